//! Scenarios for artifacts.
