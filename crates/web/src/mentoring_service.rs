//! Mentor matching, proposals, pairs and the newcomer's "start here" page, as pages and API both use them.
