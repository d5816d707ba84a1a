//! Duplicate effort across teams: candidates for a post, the cross-team scan, and the decisions on pairs, with who may see what.
