//! RSVPs: yes, no or maybe to one occurrence or to a whole series (an
//! answer to one occurrence overrides the series answer for it). Each
//! answer that changes something appends an `rsvp` event naming the
//! occurrence; a whole-series answer is logged for the upcoming occurrences
//! the caller names. Seats and the waitlist are derived from the answers and
//! their times (`domain::gathering::plan::seat`), so the waitlist moves up
//! by itself when someone with a seat declines.

use chrono::{DateTime, Utc};
use domain::gathering::plan::{OccurrenceRef, Response};
use sqlx::Row;

use super::{not_cancelled, subject, writable_series};
use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, from_millis, millis};

/// Someone's answer as it applies to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Who.
    pub person_id: i64,
    /// Their name.
    pub display_name: String,
    /// Yes, no or maybe.
    pub response: Response,
    /// When they gave this answer (their place in the queue).
    pub at: DateTime<Utc>,
    /// Whether it comes from their answer to the whole series.
    pub whole_series: bool,
}

/// Someone's answer to a whole series or to one of its occurrences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesAnswer {
    /// The series.
    pub series_id: i64,
    /// The occurrence, or `None` for the whole series.
    pub recurrence_id: Option<DateTime<Utc>>,
    /// Yes, no or maybe.
    pub response: Response,
}

fn response_of(text: &str) -> Result<Response, StoreError> {
    text.parse().map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown response {text:?} in the database").into(),
        ))
    })
}

impl Store {
    /// Records `person`'s answer to the occurrence `r`. Answering the same
    /// again changes nothing (and keeps their place in the queue).
    pub async fn rsvp(
        &self,
        r: &OccurrenceRef,
        person: i64,
        response: Response,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let community = writable_series(&mut tx, r.series).await?;
        not_cancelled(&mut tx, r).await?;
        let before: Option<String> = sqlx::query_scalar(
            "SELECT response FROM gathering_rsvps WHERE series_id = $1 AND recurrence_id = $2 AND person_id = $3",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .bind(person)
        .fetch_optional(&mut *tx)
        .await?;
        if before.as_deref() == Some(response.as_str()) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO gathering_rsvps (series_id, recurrence_id, person_id, response, responded_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (series_id, recurrence_id, person_id) \
             DO UPDATE SET response = $4, responded_at = $5",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .bind(person)
        .bind(response.as_str())
        .bind(millis(at))
        .execute(&mut *tx)
        .await?;
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: community,
                actor_id: Some(person),
                kind: "rsvp",
                subject: Some(subject(r)),
                response: Some(response.as_str()),
                ..NewEvent::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records `person`'s answer to the whole series, and logs it for each
    /// of `upcoming` (recurrence ids) they have not answered on its own.
    pub async fn rsvp_series(
        &self,
        series: i64,
        person: i64,
        response: Response,
        upcoming: &[DateTime<Utc>],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let community = writable_series(&mut tx, series).await?;
        let before: Option<String> = sqlx::query_scalar(
            "SELECT response FROM gathering_series_rsvps WHERE series_id = $1 AND person_id = $2",
        )
        .bind(series)
        .bind(person)
        .fetch_optional(&mut *tx)
        .await?;
        if before.as_deref() == Some(response.as_str()) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO gathering_series_rsvps (series_id, person_id, response, responded_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (series_id, person_id) \
             DO UPDATE SET response = $3, responded_at = $4",
        )
        .bind(series)
        .bind(person)
        .bind(response.as_str())
        .bind(millis(at))
        .execute(&mut *tx)
        .await?;
        for &rid in upcoming {
            let own = sqlx::query(
                "SELECT 1 AS yes FROM gathering_rsvps WHERE series_id = $1 AND recurrence_id = $2 AND person_id = $3",
            )
            .bind(series)
            .bind(millis(rid))
            .bind(person)
            .fetch_optional(&mut *tx)
            .await?;
            if own.is_some() {
                continue;
            }
            activity::append(
                &mut tx,
                &NewEvent {
                    at,
                    community_id: community,
                    actor_id: Some(person),
                    kind: "rsvp",
                    subject: Some(subject(&OccurrenceRef {
                        series,
                        recurrence_id: rid,
                    })),
                    response: Some(response.as_str()),
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every answer that applies to the occurrence `r`, in the order given.
    pub async fn answers(&self, r: &OccurrenceRef) -> Result<Vec<Answer>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.person_id, p.display_name, r.response, r.responded_at, CAST(0 AS BIGINT) AS whole \
             FROM gathering_rsvps r JOIN people p ON p.id = r.person_id \
             WHERE r.series_id = $1 AND r.recurrence_id = $2 \
             UNION ALL \
             SELECT s.person_id, p.display_name, s.response, s.responded_at, CAST(1 AS BIGINT) AS whole \
             FROM gathering_series_rsvps s JOIN people p ON p.id = s.person_id \
             WHERE s.series_id = $1 AND NOT EXISTS (SELECT 1 FROM gathering_rsvps o \
               WHERE o.series_id = s.series_id AND o.recurrence_id = $2 AND o.person_id = s.person_id) \
             ORDER BY 4, 1",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Answer {
                    person_id: row.try_get(0)?,
                    display_name: row.try_get(1)?,
                    response: response_of(&row.try_get::<String, _>(2)?)?,
                    at: from_millis(row.try_get(3)?),
                    whole_series: row.try_get::<i64, _>(4)? != 0,
                })
            })
            .collect()
    }

    /// `person`'s answers to series `series`: the whole-series one (if any)
    /// and those to single occurrences.
    pub async fn answers_of(
        &self,
        person: i64,
        series: Option<i64>,
    ) -> Result<Vec<SeriesAnswer>, StoreError> {
        let rows = sqlx::query(
            "SELECT series_id, CAST(NULL AS BIGINT) AS recurrence_id, response FROM gathering_series_rsvps \
             WHERE person_id = $1 AND ($2 = 0 OR series_id = $3) \
             UNION ALL \
             SELECT series_id, recurrence_id, response FROM gathering_rsvps \
             WHERE person_id = $1 AND ($2 = 0 OR series_id = $3) ORDER BY 1, 2",
        )
        .bind(person)
        .bind(i64::from(series.is_some()))
        .bind(series.unwrap_or_default())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SeriesAnswer {
                    series_id: row.try_get(0)?,
                    recurrence_id: row.try_get::<Option<i64>, _>(1)?.map(from_millis),
                    response: response_of(&row.try_get::<String, _>(2)?)?,
                })
            })
            .collect()
    }
}
