//! Instants as stored: milliseconds since the Unix epoch, UTC.

use chrono::{DateTime, Utc};

/// An instant as stored.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// A stored instant back as a `DateTime`.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
