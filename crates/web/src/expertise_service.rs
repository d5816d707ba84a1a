//! Who knows what and who could answer: the expertise directory, a person's expertise, suggested answerers, as pages and API both use them.
