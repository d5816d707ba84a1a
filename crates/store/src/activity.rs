//! The append-only activity log (METRICS.md, Inputs). Events are written in
//! the same transaction as the change they record; the actor's team is read
//! at that moment so history does not change when profiles do.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{StoreError, Tx, millis};

/// One event to append.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Community id.
    pub community_id: i64,
    /// Who did it; `None` for anonymous posts.
    pub actor_id: Option<i64>,
    /// The METRICS.md kind, e.g. `joined`.
    pub kind: &'static str,
    /// The thread, artifact, gathering, ... it concerns.
    pub subject: Option<String>,
    /// For replies: the person replied to.
    pub reply_to: Option<i64>,
    /// For `thread_opened`: the thread's type.
    pub thread_type: Option<&'static str>,
    /// For `rsvp`: yes, no or maybe.
    pub response: Option<&'static str>,
    /// For `pulse_answered`: 1 to 5.
    pub value: Option<i64>,
    /// For artifacts: the review interval in days.
    pub review_days: Option<i64>,
}

async fn team_of(tx: &mut Tx, person: Option<i64>) -> Result<Option<String>, StoreError> {
    let Some(id) = person else { return Ok(None) };
    let row = sqlx::query("SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(row) => row.try_get("name")?,
        None => None,
    })
}

/// Appends `event` inside `tx`, stamping the teams of its actor and of the person replied to.
pub async fn append(tx: &mut Tx, event: &NewEvent) -> Result<(), StoreError> {
    let team = team_of(tx, event.actor_id).await?;
    let reply_to_team = team_of(tx, event.reply_to).await?;
    sqlx::query(
        "INSERT INTO activity (at, community_id, actor_id, kind, subject, reply_to, team, reply_to_team, \
         thread_type, response, value, review_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(millis(event.at))
    .bind(event.community_id)
    .bind(event.actor_id)
    .bind(event.kind)
    .bind(event.subject.as_deref())
    .bind(event.reply_to)
    .bind(team)
    .bind(reply_to_team)
    .bind(event.thread_type)
    .bind(event.response)
    .bind(event.value)
    .bind(event.review_days)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
