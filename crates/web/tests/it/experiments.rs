//! Scenarios for experiments.
