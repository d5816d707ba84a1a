//! Duplicates: scenarios.
