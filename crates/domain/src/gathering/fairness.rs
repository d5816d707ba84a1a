//! Time-zone fairness: what a series' start time means for each member, and
//! which rotation of start times spreads the out-of-hours burden best.
//!
//! A member's burden from one occurrence is the minutes of it that fall
//! outside their working hours, in their own zone (working hours are a daily
//! span; days of the week are not considered). A rotation uses a few candidate
//! slots in turn; its burden is counted over [`CYCLE`] occurrences, a whole
//! number of turns of any rotation of up to [`MAX_ROTATION`] slots, so
//! rotations of different lengths compare exactly in whole minutes. The
//! suggestion minimises the worst-off member's burden, then the total, then
//! the number of slots.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::invalid::Invalid;
use crate::person::WorkingHours;

/// Most slots one rotation alternates between.
pub const MAX_ROTATION: usize = 4;
/// Occurrences a burden is counted over: every rotation length divides it.
pub const CYCLE: i64 = 12;
/// Most candidate slots one suggestion weighs.
pub const MAX_SLOTS: usize = 24;

/// A member as fairness sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<P> {
    /// Who.
    pub person: P,
    /// Their time zone.
    pub zone: Tz,
    /// Their working day, local time.
    pub hours: WorkingHours,
}

/// One slot as one member lives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalSlot {
    /// The slot's start on the member's clock.
    pub local_start: NaiveDateTime,
    /// Minutes of the gathering outside their working hours.
    pub minutes_outside: i64,
}

impl LocalSlot {
    /// Whether any of it falls outside their working hours.
    pub fn out_of_hours(&self) -> bool {
        self.minutes_outside > 0
    }
}

/// One member's burden under a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberBurden<P> {
    /// Who.
    pub person: P,
    /// Their zone.
    pub zone: Tz,
    /// Each slot of the rotation on their clock, in rotation order.
    pub slots: Vec<LocalSlot>,
    /// Minutes outside working hours over [`CYCLE`] occurrences.
    pub burden: i64,
}

/// The burden of the members of one time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneBurden {
    /// The zone.
    pub zone: Tz,
    /// Members in it.
    pub members: usize,
    /// The largest member burden in it.
    pub worst: i64,
    /// The sum of its members' burdens.
    pub total: i64,
}

/// A rotation of start times and what it costs whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment<P> {
    /// Indices into the candidate slots, used in turn.
    pub rotation: Vec<usize>,
    /// Each member's burden, in the order given.
    pub members: Vec<MemberBurden<P>>,
    /// Burden per zone, by zone name.
    pub zones: Vec<ZoneBurden>,
    /// The worst-off member's burden.
    pub worst: i64,
    /// All members' burdens added up.
    pub total: i64,
}

/// Minutes of a gathering starting at `start` and lasting `duration` that
/// fall outside `hours` in `zone`.
pub fn minutes_outside(
    zone: Tz,
    hours: WorkingHours,
    start: DateTime<Utc>,
    duration: TimeDelta,
) -> i64 {
    let begin = start.with_timezone(&zone).naive_local();
    let end = begin + duration;
    let mut inside = 0;
    let mut day = begin.date();
    while day <= end.date() {
        let work_start = day.and_time(hours.start).max(begin);
        let work_end = day.and_time(hours.end).min(end);
        if work_end > work_start {
            inside += (work_end - work_start).num_minutes();
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    duration.num_minutes() - inside
}

/// How the rotation `rotation` (indices into `slots`) falls on each member.
pub fn assess<P: Clone>(
    members: &[Member<P>],
    slots: &[DateTime<Utc>],
    duration: TimeDelta,
    rotation: &[usize],
) -> Result<Assessment<P>, Invalid> {
    check(slots, duration)?;
    if rotation.is_empty() || rotation.len() > MAX_ROTATION {
        return Err(Invalid::new(
            "rotation",
            format!("must use from 1 to {MAX_ROTATION} slots"),
        ));
    }
    if rotation.iter().any(|&i| i >= slots.len()) {
        return Err(Invalid::new(
            "rotation",
            "names a slot that is not a candidate",
        ));
    }
    let table = local_table(members, slots, duration);
    Ok(assessment(members, &table, rotation.to_vec()))
}

/// The rotation of up to [`MAX_ROTATION`] distinct candidate slots that
/// leaves the worst-off member least burdened (then the least total, then
/// the fewest slots, then the earliest candidates).
pub fn suggest_rotation<P: Clone>(
    members: &[Member<P>],
    slots: &[DateTime<Utc>],
    duration: TimeDelta,
) -> Result<Assessment<P>, Invalid> {
    check(slots, duration)?;
    let table = local_table(members, slots, duration);
    let mut best: Option<(i64, i64, Vec<usize>)> = None;
    for rotation in rotations(slots.len()) {
        let (worst, total) = score(&table, &rotation);
        let better = match &best {
            None => true,
            Some((w, t, r)) => (worst, total, rotation.len()) < (*w, *t, r.len()),
        };
        if better {
            best = Some((worst, total, rotation));
        }
    }
    let rotation = best.map(|(_, _, r)| r).unwrap_or_else(|| vec![0]);
    Ok(assessment(members, &table, rotation))
}

/// The burden before and after: the series' current time (`current`, an
/// index into `slots`) held fixed, and the suggested rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison<P> {
    /// Every occurrence at the current time.
    pub fixed: Assessment<P>,
    /// The suggested rotation of start times.
    pub suggested: Assessment<P>,
}

/// Compares keeping the current start time with the suggested rotation.
pub fn compare<P: Clone>(
    members: &[Member<P>],
    slots: &[DateTime<Utc>],
    duration: TimeDelta,
    current: usize,
) -> Result<Comparison<P>, Invalid> {
    Ok(Comparison {
        fixed: assess(members, slots, duration, &[current])?,
        suggested: suggest_rotation(members, slots, duration)?,
    })
}

/// Candidate slots for a series in `zone`: each local time of day in
/// `times` on the local date `day`, as instants. A time the clocks skip that
/// day is refused.
pub fn slots_on(
    zone: Tz,
    day: NaiveDate,
    times: &[NaiveTime],
) -> Result<Vec<DateTime<Utc>>, Invalid> {
    times
        .iter()
        .map(|&time| {
            zone.from_local_datetime(&day.and_time(time))
                .earliest()
                .map(|at| at.with_timezone(&Utc))
                .ok_or_else(|| {
                    Invalid::new(
                        "slots",
                        format!(
                            "{} does not exist on {day} in {}",
                            time.format("%H:%M"),
                            zone.name()
                        ),
                    )
                })
        })
        .collect()
}

fn check(slots: &[DateTime<Utc>], duration: TimeDelta) -> Result<(), Invalid> {
    if slots.is_empty() || slots.len() > MAX_SLOTS {
        return Err(Invalid::new(
            "slots",
            format!("give from 1 to {MAX_SLOTS} candidate start times"),
        ));
    }
    if duration <= TimeDelta::zero() || duration > TimeDelta::hours(24) {
        return Err(Invalid::new(
            "duration",
            "must be longer than zero and at most a day",
        ));
    }
    Ok(())
}

/// Every member's view of every slot: `table[member][slot]`.
fn local_table<P>(
    members: &[Member<P>],
    slots: &[DateTime<Utc>],
    duration: TimeDelta,
) -> Vec<Vec<LocalSlot>> {
    members
        .iter()
        .map(|m| {
            slots
                .iter()
                .map(|&start| LocalSlot {
                    local_start: start.with_timezone(&m.zone).naive_local(),
                    minutes_outside: minutes_outside(m.zone, m.hours, start, duration),
                })
                .collect()
        })
        .collect()
}

fn burden(row: &[LocalSlot], rotation: &[usize]) -> i64 {
    let turns = CYCLE / rotation.len() as i64;
    rotation
        .iter()
        .map(|&i| row[i].minutes_outside * turns)
        .sum()
}

fn score(table: &[Vec<LocalSlot>], rotation: &[usize]) -> (i64, i64) {
    table.iter().fold((0, 0), |(worst, total), row| {
        let b = burden(row, rotation);
        (worst.max(b), total + b)
    })
}

/// Sets of 1 to [`MAX_ROTATION`] distinct slot indices, smaller sets first,
/// each in increasing order.
fn rotations(slots: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    let mut out = Vec::new();
    for _ in 0..MAX_ROTATION.min(slots) {
        let mut grown = Vec::new();
        for set in &all {
            let from = set.last().map_or(0, |&l| l + 1);
            for i in from..slots {
                let mut next = set.clone();
                next.push(i);
                grown.push(next);
            }
        }
        out.extend(grown.iter().cloned());
        all = grown;
    }
    out
}

fn assessment<P: Clone>(
    members: &[Member<P>],
    table: &[Vec<LocalSlot>],
    rotation: Vec<usize>,
) -> Assessment<P> {
    let burdens: Vec<MemberBurden<P>> = members
        .iter()
        .zip(table)
        .map(|(m, row)| MemberBurden {
            person: m.person.clone(),
            zone: m.zone,
            slots: rotation.iter().map(|&i| row[i]).collect(),
            burden: burden(row, &rotation),
        })
        .collect();
    let mut zones: BTreeMap<&str, ZoneBurden> = BTreeMap::new();
    for b in &burdens {
        let z = zones.entry(b.zone.name()).or_insert(ZoneBurden {
            zone: b.zone,
            members: 0,
            worst: 0,
            total: 0,
        });
        z.members += 1;
        z.worst = z.worst.max(b.burden);
        z.total += b.burden;
    }
    let (worst, total) = score(table, &rotation);
    Assessment {
        rotation,
        members: burdens,
        zones: zones.into_values().collect(),
        worst,
        total,
    }
}

#[cfg(test)]
#[path = "fairness_tests.rs"]
mod tests;
