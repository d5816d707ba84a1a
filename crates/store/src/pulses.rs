//! Pulse surveys in the store: opening and closing a pulse, anonymous
//! answers (one per person, never linked to them), and results that exist
//! only from five answers up. Each answer appends an unattributed
//! `pulse_answered` event in the same transaction.

use chrono::{DateTime, Utc};
use domain::pulse::MIN_ANSWERS_SHOWN;
use rand::RngCore;
use sqlx::Row;

use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, from_millis, millis};

/// A pulse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// What it asks.
    pub question: String,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When it closed, if it has.
    pub closed_at: Option<DateTime<Utc>>,
    /// How many have answered.
    pub answers: i64,
}

/// What a pulse's answers add up to; only from five answers up.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseResults {
    /// Answers given.
    pub answers: i64,
    /// Mean answer.
    pub mean: f64,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
    /// The comments, in no meaningful order.
    pub comments: Vec<String>,
}

fn pulse_from(row: &sqlx::any::AnyRow) -> Result<Pulse, sqlx::Error> {
    Ok(Pulse {
        id: row.try_get("id")?,
        community_id: row.try_get("community_id")?,
        question: row.try_get("question")?,
        opened_at: from_millis(row.try_get("opened_at")?),
        closed_at: row.try_get::<Option<i64>, _>("closed_at")?.map(from_millis),
        answers: row.try_get("answers")?,
    })
}

const PULSE_COLUMNS: &str = "p.id, p.community_id, p.question, p.opened_at, p.closed_at, \
     (SELECT COUNT(*) FROM pulse_respondents r WHERE r.pulse_id = p.id) AS answers";

impl Store {
    /// Opens a pulse in `community` asking `question`.
    pub async fn open_pulse(
        &self,
        community: i64,
        question: &str,
        opened_by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO pulses (community_id, question, opened_by, opened_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(community)
        .bind(question)
        .bind(opened_by)
        .bind(millis(at))
        .fetch_one(&self.write)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Closes pulse `id`; closing a closed pulse changes nothing.
    pub async fn close_pulse(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE pulses SET closed_at = COALESCE(closed_at, $1) WHERE id = $2")
                .bind(millis(at))
                .bind(id)
                .execute(&self.write)
                .await?;
        crate::error::found(done)
    }

    /// Pulse `id`.
    pub async fn pulse(&self, id: i64) -> Result<Pulse, StoreError> {
        let sql = format!("SELECT {PULSE_COLUMNS} FROM pulses p WHERE p.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(pulse_from(&row)?)
    }

    /// The pulses of `community`, newest first.
    pub async fn pulses(&self, community: i64) -> Result<Vec<Pulse>, StoreError> {
        let sql = format!(
            "SELECT {PULSE_COLUMNS} FROM pulses p WHERE p.community_id = $1 ORDER BY p.opened_at DESC, p.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .fetch_all(self.reader())
            .await?;
        Ok(rows.iter().map(pulse_from).collect::<Result<_, _>>()?)
    }

    /// Whether `person` has answered pulse `id`.
    pub async fn has_answered(&self, id: i64, person: i64) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT 1 AS yes FROM pulse_respondents WHERE pulse_id = $1 AND person_id = $2",
        )
        .bind(id)
        .bind(person)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.is_some())
    }

    /// Records `person`'s answer to pulse `id` without linking the two; a
    /// second answer, or one to a closed pulse, is a conflict.
    pub async fn answer_pulse(
        &self,
        id: i64,
        person: i64,
        value: i64,
        comment: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT community_id, closed_at FROM pulses WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let community: i64 = row.try_get("community_id")?;
        if row.try_get::<Option<i64>, _>("closed_at")?.is_some() {
            return Err(StoreError::Conflict {
                field: "pulse",
                message: "this pulse is closed".into(),
            });
        }
        sqlx::query("INSERT INTO pulse_respondents (pulse_id, person_id) VALUES ($1, $2)")
            .bind(id)
            .bind(person)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::unique(
                "pulse",
                "you have already answered this pulse",
            ))?;
        let mut key = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let key: String = key.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(
            "INSERT INTO pulse_answers (id, pulse_id, value, comment) VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(id)
        .bind(value)
        .bind(comment)
        .execute(&mut *tx)
        .await?;
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: community,
                actor_id: None,
                kind: "pulse_answered",
                subject: Some(format!("pulse-{id}")),
                value: Some(value),
                ..NewEvent::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The results of pulse `id`, or `None` below five answers.
    pub async fn pulse_results(&self, id: i64) -> Result<Option<PulseResults>, StoreError> {
        let rows =
            sqlx::query("SELECT value, comment FROM pulse_answers WHERE pulse_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(self.reader())
                .await?;
        if (rows.len() as i64) < MIN_ANSWERS_SHOWN {
            return Ok(None);
        }
        let mut distribution = [0i64; 5];
        let mut comments = Vec::new();
        let mut sum = 0i64;
        for row in &rows {
            let value: i64 = row.try_get("value")?;
            sum += value;
            if let Some(slot) = usize::try_from(value - 1)
                .ok()
                .and_then(|i| distribution.get_mut(i))
            {
                *slot += 1;
            }
            if let Some(c) = row.try_get::<Option<String>, _>("comment")? {
                comments.push(c);
            }
        }
        Ok(Some(PulseResults {
            answers: rows.len() as i64,
            mean: sum as f64 / rows.len() as f64,
            distribution,
            comments,
        }))
    }
}
