//! Experiments and the adoption of artifacts by teams.
