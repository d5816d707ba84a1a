//! Attendance, taken afterwards by the facilitator (or a steward) or by
//! self check-in. The first record of an occurrence marks it held, with its
//! facilitator, and appends `gathering_held` (actor = the facilitator); each
//! person newly recorded appends `attended`. Records are only ever added:
//! the activity log cannot take an attendance back.

use chrono::{DateTime, Utc};
use domain::gathering::plan::OccurrenceRef;
use sqlx::Row;

use super::{ensure_occurrence, not_cancelled, subject, writable_series};
use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, Tx, millis};

async fn add_attendee(
    tx: &mut Tx,
    community: i64,
    r: &OccurrenceRef,
    person: i64,
    recorded_by: i64,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO gathering_attendance (series_id, recurrence_id, person_id, recorded_by, at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (series_id, recurrence_id, person_id) DO NOTHING",
    )
    .bind(r.series)
    .bind(millis(r.recurrence_id))
    .bind(person)
    .bind(recorded_by)
    .bind(millis(at))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    activity::append(
        tx,
        &NewEvent {
            at,
            community_id: community,
            actor_id: Some(person),
            kind: "attended",
            subject: Some(subject(r)),
            ..NewEvent::default()
        },
    )
    .await?;
    Ok(true)
}

impl Store {
    /// Records that the occurrence `r` was held with `facilitator` and that
    /// `attendees` came. Returns how many were newly recorded.
    pub async fn record_attendance(
        &self,
        r: &OccurrenceRef,
        facilitator: i64,
        attendees: &[i64],
        recorded_by: i64,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        let community = writable_series(&mut tx, r.series).await?;
        not_cancelled(&mut tx, r).await?;
        ensure_occurrence(&mut tx, r).await?;
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT held_at FROM gathering_occurrences WHERE series_id = $1 AND recurrence_id = $2",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE gathering_occurrences SET facilitator_id = $1, held_at = COALESCE(held_at, $2) \
             WHERE series_id = $3 AND recurrence_id = $4",
        )
        .bind(facilitator)
        .bind(millis(at))
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .execute(&mut *tx)
        .await?;
        if held.is_none() {
            activity::append(
                &mut tx,
                &NewEvent {
                    at,
                    community_id: community,
                    actor_id: Some(facilitator),
                    kind: "gathering_held",
                    subject: Some(subject(r)),
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        let mut added = 0;
        for &person in attendees {
            if add_attendee(&mut tx, community, r, person, recorded_by, at).await? {
                added += 1;
            }
        }
        tx.commit().await?;
        Ok(added)
    }

    /// `person` checks themselves in to the occurrence `r`; false when they
    /// already were.
    pub async fn check_in(
        &self,
        r: &OccurrenceRef,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let community = writable_series(&mut tx, r.series).await?;
        not_cancelled(&mut tx, r).await?;
        ensure_occurrence(&mut tx, r).await?;
        let added = add_attendee(&mut tx, community, r, person, person, at).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Who attended the occurrence `r`: (person id, name), by name.
    pub async fn attendance(&self, r: &OccurrenceRef) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.person_id, p.display_name FROM gathering_attendance a JOIN people p ON p.id = a.person_id \
             WHERE a.series_id = $1 AND a.recurrence_id = $2 ORDER BY p.display_name, a.person_id",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }
}
