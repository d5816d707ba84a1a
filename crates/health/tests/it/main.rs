//! Integration tests of the health engine, one binary with a module per
//! concern.

mod fixture;
mod properties;
mod render;
mod shapes;
mod thresholds;
