//! Artifacts: revisions, reviews, reuse, links and backlinks, promotion from
//! threads, and their full-text index.
