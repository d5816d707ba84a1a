//! What is known about occurrences (their own row, RSVPs, attendance,
//! facilitation declines) follows them when a series changes from a date
//! on: "this and following" carries it to the new series, a whole-series
//! edit re-keys it in place, each date to where the change puts it
//! ([`Series::carried`]). Dates the new schedule no longer has keep their
//! rows where no occurrence can reach them: on the old series after a
//! split, at a negative key after a whole-series edit.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use domain::gathering::Series;

use crate::{StoreError, Tx, from_millis, millis};

/// The tables keyed by (series, recurrence id); our own constants.
const KEYED: [&str; 4] = [
    "gathering_occurrences",
    "gathering_rsvps",
    "gathering_attendance",
    "gathering_declines",
];

/// Where keys of dates the new schedule lacks are parked after a
/// whole-series edit: below every temporary key (recurrence ids stay far
/// under 2^50 ms, the year 37,000).
const PARKED: i64 = 1 << 50;

/// Carries what is known about the occurrences of series `old` (in `zone`)
/// at or after `from` to series `new`, which continues as `next`.
pub(super) async fn carry(
    tx: &mut Tx,
    old: i64,
    zone: Tz,
    from: DateTime<Utc>,
    new: i64,
    next: &Series,
) -> Result<(), StoreError> {
    let mut known = BTreeSet::new();
    for table in KEYED {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT recurrence_id FROM {table} WHERE series_id = $1 AND recurrence_id >= $2"
        ))
        .bind(old)
        .bind(millis(from))
        .fetch_all(&mut **tx)
        .await?;
        known.extend(ids);
    }
    let mut targets = BTreeSet::new();
    let mut pairs = Vec::new();
    let mut lost = Vec::new();
    for id in known {
        match next.carried(zone, from, from_millis(id)) {
            Some(to) if targets.insert(millis(to)) => pairs.push((id, millis(to))),
            _ => lost.push(id),
        }
    }
    // Through temporary negative keys, so that no date lands on one not yet moved.
    for &(id, to) in &pairs {
        rekey(tx, (old, id), (new, -1 - to)).await?;
    }
    if old == new {
        for &id in &lost {
            rekey(tx, (old, id), (old, -PARKED - id)).await?;
        }
    }
    for &(_, to) in &pairs {
        rekey(tx, (new, -1 - to), (new, to)).await?;
    }
    Ok(())
}

async fn rekey(
    tx: &mut Tx,
    (s, id): (i64, i64),
    (to_s, to_id): (i64, i64),
) -> Result<(), StoreError> {
    for table in KEYED {
        sqlx::query(&format!(
            "UPDATE {table} SET series_id = $1, recurrence_id = $2 WHERE series_id = $3 AND recurrence_id = $4"
        ))
        .bind(to_s)
        .bind(to_id)
        .bind(s)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
