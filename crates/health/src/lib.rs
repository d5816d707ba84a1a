//! The health engine: turns the activity log into the figures of METRICS.md,
//! the weekly series, vitality, lifecycle stage and diagnoses, and renders
//! them as JSON, a terminal dashboard or a self-contained HTML page.
//!
//! Pure: no files, no network, no clock. The caller gives the log (or a
//! reader of it) and the instant the report is "as of".

pub mod diagnosis;
pub mod event;
pub mod figures;
pub mod inequality;
pub mod instant;
pub mod log;
pub mod lookup;
pub mod parallel;
pub mod reader;
pub mod render;
pub mod report;
pub mod rules;
pub mod scan;
pub mod series;
pub mod stage;
pub mod synthetic;
pub mod vitality;
pub mod window;

pub use event::{Event, Kind, Response, ThreadType};
pub use figures::{Context, Figures, Metrics, Scope, compute};
pub use log::ActivityLog;
pub use reader::{LineError, LineProblem, ReadError, ReadSummary, Strictness, read_log};
pub use report::{Portfolio, ScopeReport};
pub use window::Window;
