//! Duplicate effort across teams: posts that address the same problem, found by lexical similarity and explained by their shared terms.
