//! A series of gatherings: a [`Rule`] in an IANA time zone from a local start,
//! each occurrence lasting the same time. Occurrences are expanded in the
//! series' zone, so a 09:00 Europe/Berlin call stays at 09:00 Berlin time
//! across daylight-saving changes. A single occurrence can be cancelled (an
//! iCalendar `EXDATE`) or moved (a `RECURRENCE-ID` override); "edit all
//! following" splits the series in two at an occurrence. Occurrences are named
//! by the instant they were first scheduled for, their recurrence id.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet};

use super::rule::Rule;
use crate::invalid::Invalid;

/// Most occurrences one expansion returns.
pub const MAX_OCCURRENCES: usize = 1000;
/// Most scheduled instants one expansion looks at, in the range or before it.
pub const MAX_EXAMINED: usize = 100_000;
/// Longest occurrence accepted (a retreat may last days).
pub const MAX_DURATION_HOURS: i64 = 14 * 24;
/// Earliest and latest years a series may start in.
pub const START_YEARS: std::ops::RangeInclusive<i32> = 1970..=2200;
/// Expansion never looks at or past the start of this year, so a rare rule
/// over an endless range cannot walk through millennia.
pub const HORIZON_YEAR: i32 = 2300;

/// The first instant expansion does not look at.
pub fn horizon() -> DateTime<Utc> {
    chrono::NaiveDate::from_ymd_opt(HORIZON_YEAR, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MAX_UTC, |t| t.and_utc())
}

/// A change to one occurrence's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// When it now starts.
    pub start: DateTime<Utc>,
    /// How long it now lasts.
    pub duration: TimeDelta,
}

/// Whether an occurrence takes place as scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceStatus {
    /// At the time the rule gives.
    Scheduled,
    /// Moved to another time or length.
    Moved,
    /// Called off.
    Cancelled,
}

/// One gathering of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// When the rule scheduled it: the occurrence's name, whatever edits say.
    pub recurrence_id: DateTime<Utc>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
    /// Scheduled, moved or cancelled.
    pub status: OccurrenceStatus,
}

/// The occurrences in a range, and whether the caps cut the list short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Occurrences starting in the range, cancelled ones included, by start.
    pub occurrences: Vec<Occurrence>,
    /// True when [`MAX_OCCURRENCES`] or [`MAX_EXAMINED`] was reached.
    pub truncated: bool,
}

impl Expansion {
    /// The occurrences that take place (not cancelled).
    pub fn held(&self) -> impl Iterator<Item = &Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.status != OccurrenceStatus::Cancelled)
    }
}

/// A recurring gathering's schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    rule: Rule,
    compiled: RRule,
    zone: Tz,
    first: DateTime<rrule::Tz>,
    duration: TimeDelta,
    cancelled: BTreeSet<DateTime<Utc>>,
    moved: BTreeMap<DateTime<Utc>, Moved>,
}

impl Series {
    /// A series following `rule` in `zone` from the local `start`, which must
    /// itself be an occurrence of the rule (the first one).
    pub fn new(
        rule: Rule,
        zone: Tz,
        start: NaiveDateTime,
        duration: TimeDelta,
    ) -> Result<Self, Invalid> {
        check_duration(duration)?;
        if !START_YEARS.contains(&chrono::Datelike::year(&start)) {
            return Err(Invalid::new(
                "start",
                format!(
                    "must be in the years {} to {}",
                    START_YEARS.start(),
                    START_YEARS.end()
                ),
            ));
        }
        let local_zone = rrule::Tz::Tz(zone);
        let first = local_zone
            .from_local_datetime(&start)
            .earliest()
            .ok_or_else(|| {
                Invalid::new(
                    "start",
                    format!(
                        "{start} does not exist in {} (the clocks skip it); pick another time",
                        zone.name()
                    ),
                )
            })?;
        let compiled = rule
            .unvalidated()?
            .validate(first)
            .map_err(|e| Invalid::new("rrule", format!("does not suit the start: {e}")))?;
        let series = Self {
            rule,
            compiled,
            zone,
            first,
            duration,
            cancelled: BTreeSet::new(),
            moved: BTreeMap::new(),
        };
        if series.schedule().into_iter().next() != Some(first) {
            return Err(Invalid::new(
                "start",
                "is not a date the rule repeats on: the first gathering must follow the rule",
            ));
        }
        Ok(series)
    }

    /// A one-off gathering: a series of one.
    pub fn one_off(zone: Tz, start: NaiveDateTime, duration: TimeDelta) -> Result<Self, Invalid> {
        Self::new(Rule::parse("FREQ=DAILY;COUNT=1")?, zone, start, duration)
    }

    /// The recurrence rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The series' time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The first occurrence's local start.
    pub fn start(&self) -> NaiveDateTime {
        self.first.naive_local()
    }

    /// The first occurrence's instant.
    pub fn first_start(&self) -> DateTime<Utc> {
        self.first.with_timezone(&Utc)
    }

    /// How long each occurrence lasts unless moved.
    pub fn duration(&self) -> TimeDelta {
        self.duration
    }

    /// Recurrence ids of cancelled occurrences (`EXDATE`s).
    pub fn cancelled(&self) -> &BTreeSet<DateTime<Utc>> {
        &self.cancelled
    }

    /// Moved occurrences by recurrence id (`RECURRENCE-ID` overrides).
    pub fn moved(&self) -> &BTreeMap<DateTime<Utc>, Moved> {
        &self.moved
    }

    /// The occurrences starting in `[from, to)`, edits applied; nothing at
    /// or after the [`horizon`] is looked at.
    pub fn expand(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Expansion, Invalid> {
        if to <= from {
            return Err(Invalid::new("to", "must be later than from"));
        }
        let to = to.min(horizon());
        let (natural, mut truncated) = self.scheduled_between(from, to);
        let mut occurrences: Vec<Occurrence> = natural
            .iter()
            .map(|&id| self.occurrence(id))
            .filter(|o| o.start >= from && o.start < to)
            .collect();
        for (&id, moved) in &self.moved {
            let outside = id < from || id >= to;
            if outside && moved.start >= from && moved.start < to {
                occurrences.push(self.occurrence(id));
            }
        }
        occurrences.sort_by_key(|o| (o.start, o.recurrence_id));
        if occurrences.len() > MAX_OCCURRENCES {
            occurrences.truncate(MAX_OCCURRENCES);
            truncated = true;
        }
        Ok(Expansion {
            occurrences,
            truncated,
        })
    }

    /// Whether the rule schedules an occurrence at `recurrence_id`.
    pub fn is_occurrence(&self, recurrence_id: DateTime<Utc>) -> bool {
        let (found, _) =
            self.scheduled_between(recurrence_id, recurrence_id + TimeDelta::seconds(1));
        found.first() == Some(&recurrence_id)
    }

    /// Cancels one occurrence (any move of it is forgotten).
    pub fn cancel(&mut self, recurrence_id: DateTime<Utc>) -> Result<(), Invalid> {
        self.check_occurrence(recurrence_id)?;
        self.moved.remove(&recurrence_id);
        self.cancelled.insert(recurrence_id);
        Ok(())
    }

    /// Takes back the cancellation of one occurrence.
    pub fn restore(&mut self, recurrence_id: DateTime<Utc>) {
        self.cancelled.remove(&recurrence_id);
    }

    /// Moves one occurrence to `start`, lasting `duration`. Moving it back to
    /// its scheduled time and length removes the override.
    pub fn move_occurrence(
        &mut self,
        recurrence_id: DateTime<Utc>,
        start: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<(), Invalid> {
        self.check_occurrence(recurrence_id)?;
        check_duration(duration)?;
        if self.cancelled.contains(&recurrence_id) {
            return Err(Invalid::new(
                "occurrence",
                "is cancelled: restore it before moving it",
            ));
        }
        if start == recurrence_id && duration == self.duration {
            self.moved.remove(&recurrence_id);
        } else {
            self.moved.insert(recurrence_id, Moved { start, duration });
        }
        Ok(())
    }

    /// "Edit all following": splits the series at the occurrence
    /// `recurrence_id`. The first part ends just before it (its rule gets an
    /// `UNTIL`); the second starts with it and keeps the rule (a `COUNT` is
    /// reduced to what remains). Cancellations and moves go with their part.
    pub fn split_at(&self, recurrence_id: DateTime<Utc>) -> Result<(Series, Series), Invalid> {
        self.check_occurrence(recurrence_id)?;
        if recurrence_id == self.first_start() {
            return Err(Invalid::new(
                "occurrence",
                "is the first of the series: edit the whole series instead",
            ));
        }
        let before_rule = self.rule.ending_at(recurrence_id - TimeDelta::seconds(1));
        let after_rule = match self.rule.count() {
            Some(count) => {
                let (earlier, _) = self.scheduled_between(self.first_start(), recurrence_id);
                let earlier = u32::try_from(earlier.len()).unwrap_or(count);
                self.rule.with_count(count.saturating_sub(earlier).max(1))
            }
            None => self.rule.clone(),
        };
        let local = recurrence_id.with_timezone(&self.zone).naive_local();
        let mut before = Series::new(before_rule, self.zone, self.start(), self.duration)?;
        let mut after = Series::new(after_rule, self.zone, local, self.duration)?;
        for &id in &self.cancelled {
            let part = if id < recurrence_id {
                &mut before
            } else {
                &mut after
            };
            part.cancelled.insert(id);
        }
        for (&id, &moved) in &self.moved {
            let part = if id < recurrence_id {
                &mut before
            } else {
                &mut after
            };
            part.moved.insert(id, moved);
        }
        Ok((before, after))
    }

    /// Where an occurrence `recurrence_id` of a series in `zone` lands when,
    /// from its occurrence `from` on, the series continues as `self` ("this
    /// and following", or a whole-series edit from its first date): shifted
    /// by the same local date and time as `from` is to `self`'s first start.
    /// `None` when `self` has no occurrence there (say, its rule changed).
    pub fn carried(
        &self,
        zone: Tz,
        from: DateTime<Utc>,
        recurrence_id: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
        let shift = self.start() - local(from);
        let target = local(recurrence_id).checked_add_signed(shift)?;
        let at = self
            .zone
            .from_local_datetime(&target)
            .earliest()?
            .with_timezone(&Utc);
        self.is_occurrence(at).then_some(at)
    }

    fn check_occurrence(&self, recurrence_id: DateTime<Utc>) -> Result<(), Invalid> {
        if self.is_occurrence(recurrence_id) {
            Ok(())
        } else {
            Err(Invalid::new(
                "occurrence",
                format!(
                    "{} is not a date of this series",
                    recurrence_id.format("%Y-%m-%dT%H:%M:%SZ")
                ),
            ))
        }
    }

    fn occurrence(&self, recurrence_id: DateTime<Utc>) -> Occurrence {
        let scheduled = |status| Occurrence {
            recurrence_id,
            start: recurrence_id,
            end: recurrence_id + self.duration,
            status,
        };
        if self.cancelled.contains(&recurrence_id) {
            scheduled(OccurrenceStatus::Cancelled)
        } else if let Some(moved) = self.moved.get(&recurrence_id) {
            Occurrence {
                recurrence_id,
                start: moved.start,
                end: moved.start + moved.duration,
                status: OccurrenceStatus::Moved,
            }
        } else {
            scheduled(OccurrenceStatus::Scheduled)
        }
    }

    fn schedule(&self) -> RRuleSet {
        RRuleSet::new(self.first)
            .rrule(self.compiled.clone())
            .limit()
    }

    /// The rule's instants in `[from, to)`, and whether a cap was reached.
    fn scheduled_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (Vec<DateTime<Utc>>, bool) {
        let to = to.min(horizon());
        let mut found = Vec::new();
        for (examined, instant) in self.schedule().into_iter().enumerate() {
            if examined >= MAX_EXAMINED {
                return (found, true);
            }
            let instant = instant.with_timezone(&Utc);
            if instant >= to {
                break;
            }
            if instant >= from {
                if found.len() == MAX_OCCURRENCES {
                    return (found, true);
                }
                found.push(instant);
            }
        }
        (found, false)
    }
}

fn check_duration(duration: TimeDelta) -> Result<(), Invalid> {
    if duration <= TimeDelta::zero() {
        return Err(Invalid::new("duration", "must be longer than zero"));
    }
    if duration > TimeDelta::hours(MAX_DURATION_HOURS) {
        return Err(Invalid::new(
            "duration",
            format!("may be at most {} days", MAX_DURATION_HOURS / 24),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "series_tests.rs"]
mod tests;
