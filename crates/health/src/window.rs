//! The reporting window: the half-open interval `[end − length, end)`.

use chrono::{DateTime, Utc};

use crate::instant::{self, DAY};

/// Why a window length is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("window length {0:?} is not a positive number of days (`28d`) or weeks (`4w`)")]
pub struct WindowLengthError(pub String);

/// A window of whole days ending at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first instant that no longer counts, UTC nanoseconds.
    pub end: i64,
    /// Length in whole days.
    pub days: u32,
}

impl Window {
    /// The default length of METRICS.md.
    pub const DEFAULT_DAYS: u32 = 28;

    /// A window of `days` days ending at `end`.
    pub fn new(end: DateTime<Utc>, days: u32) -> Window {
        Window {
            end: instant::from_datetime(end),
            days,
        }
    }

    /// A window ending at an engine instant.
    pub fn ending_at(end: i64, days: u32) -> Window {
        Window { end, days }
    }

    /// The length in nanoseconds.
    pub fn length(&self) -> i64 {
        i64::from(self.days) * DAY
    }

    /// The first instant of the window.
    pub fn start(&self) -> i64 {
        self.end - self.length()
    }

    /// The first instant of the previous window, `end − 2·length`.
    pub fn previous_start(&self) -> i64 {
        self.end - 2 * self.length()
    }
}

/// Parses a window length such as `28d`, `4w` or `28` (days).
pub fn parse_length(text: &str) -> Result<u32, WindowLengthError> {
    let error = || WindowLengthError(text.to_owned());
    let trimmed = text.trim();
    let (number, scale) = match trimmed.as_bytes().last() {
        Some(b'd') => (&trimmed[..trimmed.len() - 1], 1),
        Some(b'w') => (&trimmed[..trimmed.len() - 1], 7),
        _ => (trimmed, 1),
    };
    let value: u32 = number.parse().map_err(|_| error())?;
    let days = value.checked_mul(scale).ok_or_else(error)?;
    if days == 0 || days > 36_500 {
        return Err(error());
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(parse_length("28d"), Ok(28));
        assert_eq!(parse_length("4w"), Ok(28));
        assert_eq!(parse_length("7"), Ok(7));
        assert!(parse_length("0d").is_err());
        assert!(parse_length("3h").is_err());
        assert!(parse_length("").is_err());
    }

    #[test]
    fn window_bounds() {
        let w = Window::ending_at(100 * DAY, 28);
        assert_eq!(w.start(), 72 * DAY);
        assert_eq!(w.previous_start(), 44 * DAY);
    }
}
