//! Duplicate effort: the posts the duplicate finder compares, and the "link them" / "not the same" decisions people make about pairs.
