//! Rendering reports: JSON exactly as METRICS.md gives it, a terminal
//! dashboard for people, and one self-contained HTML page with SVG charts.
//! Every renderer is a pure function returning a `String`.

pub mod chart;
pub mod format;
mod html;
mod text;

pub use html::{html_community, html_portfolio};
pub use text::{text_community, text_portfolio};

use crate::report::{Portfolio, ScopeReport};

/// One community's report as METRICS.md's JSON object.
pub fn json_community(report: &ScopeReport) -> String {
    serde_json::to_string_pretty(report).expect("reports serialise")
}

/// `{"window": ..., "organisation": ..., "communities": [...]}`.
pub fn json_portfolio(portfolio: &Portfolio) -> String {
    serde_json::to_string_pretty(portfolio).expect("reports serialise")
}
