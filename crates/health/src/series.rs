//! The weekly series of METRICS.md: one row per week (Monday 00:00 UTC) from
//! the week of the scope's first event to the last week starting before the
//! window's end; the last row stops at the end.

use serde::{Serialize, Serializer};

use crate::instant::{self, WEEK};
use crate::log::Record;

fn as_rfc3339<S: Serializer>(nanos: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&instant::format(*nanos))
}

/// One week of the series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekRow {
    #[serde(serialize_with = "as_rfc3339")]
    pub week_start: i64,
    pub active_members: u64,
    pub contributions: u64,
    pub newcomers: u64,
    pub threads: u64,
    pub replies: u64,
}

/// Builds the series from the time-ordered records before the end.
pub(crate) struct SeriesBuilder {
    first_week: i64,
    rows: Vec<WeekRow>,
    /// Per actor: 1 + index of the last row they were active in (0: none);
    /// 16 bits keep it small in cache (over a thousand years of weeks).
    last_active: Vec<u16>,
}

impl SeriesBuilder {
    /// A builder for a scope whose first event is at `first` (if any).
    pub(crate) fn new(first: Option<i64>, end: i64, actor_count: usize) -> SeriesBuilder {
        let Some(first) = first else {
            return SeriesBuilder {
                first_week: 0,
                rows: Vec::new(),
                last_active: Vec::new(),
            };
        };
        let first_week = instant::week_start(first);
        let weeks = (instant::week_start(end - 1) - first_week) / WEEK + 1;
        let rows = (0..weeks)
            .map(|i| WeekRow {
                week_start: first_week + i * WEEK,
                active_members: 0,
                contributions: 0,
                newcomers: 0,
                threads: 0,
                replies: 0,
            })
            .collect();
        SeriesBuilder {
            first_week,
            rows,
            last_active: vec![0; actor_count],
        }
    }

    /// Counts one record; `newcomer` when it is its actor's first
    /// attributed contribution.
    pub(crate) fn add(&mut self, r: &Record, contribution: bool, newcomer: bool) {
        let index = ((r.at - self.first_week) / WEEK) as usize;
        let row = &mut self.rows[index];
        if contribution {
            row.contributions += 1;
            if r.attributed() {
                let last = &mut self.last_active[r.actor as usize];
                let marker = (index + 1) as u16;
                if *last != marker {
                    *last = marker;
                    row.active_members += 1;
                }
            }
        }
        row.newcomers += u64::from(newcomer);
        match r.kind {
            crate::event::Kind::ThreadOpened => row.threads += 1,
            crate::event::Kind::Replied => row.replies += 1,
            _ => {}
        }
    }

    pub(crate) fn finish(self) -> Vec<WeekRow> {
        self.rows
    }
}
