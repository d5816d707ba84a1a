//! Expertise: scenarios.
