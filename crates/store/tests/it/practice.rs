//! Scenarios for practice.
