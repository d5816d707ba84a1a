//! The clock browser tests move: the system time plus an offset in whole
//! seconds read from a file on every `now()` (a missing, empty or unreadable
//! file is no offset). Only `guildhall serve --test-clock FILE` uses it, a
//! hidden option for tests; it is never on by default.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use domain::{Clock, SystemClock};

/// System time shifted by the seconds written in `path`.
#[derive(Debug, Clone)]
pub struct FileOffsetClock {
    path: PathBuf,
}

impl FileOffsetClock {
    /// A clock reading its offset from `path`.
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    fn offset(&self) -> Duration {
        std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .map(Duration::seconds)
            .unwrap_or_default()
    }
}

impl Clock for FileOffsetClock {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + self.offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_file_moves_the_clock_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offset");
        let clock = FileOffsetClock::new(path.clone());
        let before = SystemClock.now();
        assert!(
            (clock.now() - before).num_seconds().abs() < 60,
            "no file, no offset"
        );
        std::fs::write(&path, "7862400\n").unwrap();
        let moved = clock.now() - SystemClock.now();
        assert!((moved - Duration::days(91)).num_seconds().abs() < 60);
        std::fs::write(&path, "not a number").unwrap();
        assert!((clock.now() - SystemClock.now()).num_seconds().abs() < 60);
    }
}
