//! Mentoring: scenarios.
