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
    let row =
        sqlx::query("SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match row {
        Some(row) => row.try_get("name")?,
        None => None,
    })
}

/// Appends `event` inside `tx`, stamping the teams of its actor and of the
/// person replied to. Events of bots and system accounts are not logged: they
/// count in no health figure (their content is kept elsewhere).
pub async fn append(tx: &mut Tx, event: &NewEvent) -> Result<(), StoreError> {
    if let Some(actor) = event.actor_id {
        let bot: Option<i64> = sqlx::query_scalar("SELECT is_bot FROM people WHERE id = $1")
            .bind(actor)
            .fetch_optional(&mut **tx)
            .await?;
        if bot == Some(1) {
            return Ok(());
        }
    }
    let team = team_of(tx, event.actor_id).await?;
    let reply_to_team = team_of(tx, event.reply_to).await?;
    append_recorded(tx, event, team.as_deref(), reply_to_team.as_deref()).await
}

/// Appends an event of history recorded elsewhere (an import, the demo's
/// past), with the teams as they were then rather than as they are now.
pub async fn append_recorded(
    tx: &mut Tx,
    event: &NewEvent,
    team: Option<&str>,
    reply_to_team: Option<&str>,
) -> Result<(), StoreError> {
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

/// An event of recorded history with the teams as they were then, for
/// [`append_recorded_all`].
#[derive(Debug, Clone)]
pub struct Recorded<'a> {
    /// The event.
    pub event: NewEvent,
    /// The actor's team.
    pub team: Option<&'a str>,
    /// The team of the person replied to.
    pub reply_to_team: Option<&'a str>,
}

/// Appends many events of recorded history at once, in their order, as
/// [`append_recorded`] would one by one (multi-row statements, for imports).
pub async fn append_recorded_all(tx: &mut Tx, events: &[Recorded<'_>]) -> Result<(), StoreError> {
    crate::bulk::values(
        tx,
        "INSERT INTO activity (at, community_id, actor_id, kind, subject, reply_to, team, reply_to_team, \
         thread_type, response, value, review_days) VALUES",
        12,
        "",
        events,
        |q, r| {
            q.bind(millis(r.event.at))
                .bind(r.event.community_id)
                .bind(r.event.actor_id)
                .bind(r.event.kind)
                .bind(r.event.subject.as_deref())
                .bind(r.event.reply_to)
                .bind(r.team)
                .bind(r.reply_to_team)
                .bind(r.event.thread_type)
                .bind(r.event.response)
                .bind(r.event.value)
                .bind(r.event.review_days)
        },
    )
    .await?;
    Ok(())
}

/// Whether any event in the log has a subject starting with `prefix`.
pub async fn has_subject_prefix(store: &crate::Store, prefix: &str) -> Result<bool, StoreError> {
    let found = sqlx::query("SELECT 1 AS yes FROM activity WHERE subject LIKE $1 LIMIT 1")
        .bind(format!("{}%", prefix.replace(['%', '_', '\\'], "")))
        .fetch_optional(store.reader())
        .await?;
    Ok(found.is_some())
}

/// An event as read back from the log, named for export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    /// Position in the log (for paging).
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The community's slug.
    pub community: String,
    /// The actor's id, if attributed.
    pub actor: Option<i64>,
    /// The METRICS.md kind.
    pub kind: String,
    /// What it concerns.
    pub subject: Option<String>,
    /// For replies: the person replied to.
    pub reply_to: Option<i64>,
    /// The actor's team at the time.
    pub team: Option<String>,
    /// The team of `reply_to` at the time.
    pub reply_to_team: Option<String>,
    /// For `thread_opened`.
    pub thread_type: Option<String>,
    /// For `rsvp`.
    pub response: Option<String>,
    /// For `pulse_answered`.
    pub value: Option<i64>,
    /// For artifacts.
    pub review_days: Option<i64>,
}

/// Which part of the log to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogFilter {
    /// Only this community.
    pub community: Option<i64>,
    /// Only events at or after this instant.
    pub since: Option<DateTime<Utc>>,
}

impl crate::Store {
    /// The next `limit` events after position `after`, in log order, for paging
    /// through a log of any size in constant memory.
    pub async fn activity_page(
        &self,
        filter: LogFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, c.slug, a.actor_id, a.kind, a.subject, a.reply_to, a.team, a.reply_to_team, \
             a.thread_type, a.response, a.value, a.review_days \
             FROM activity a JOIN communities c ON c.id = a.community_id \
             WHERE a.id > $1 AND ($2 = 0 OR a.community_id = $3) AND ($4 = 0 OR a.at >= $5) \
             ORDER BY a.id LIMIT $6",
        )
        .bind(after)
        .bind(i64::from(filter.community.is_some()))
        .bind(filter.community.unwrap_or_default())
        .bind(i64::from(filter.since.is_some()))
        .bind(filter.since.map(millis).unwrap_or_default())
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LoggedEvent {
                    id: row.try_get(0)?,
                    at: crate::from_millis(row.try_get(1)?),
                    community: row.try_get(2)?,
                    actor: row.try_get(3)?,
                    kind: row.try_get(4)?,
                    subject: row.try_get(5)?,
                    reply_to: row.try_get(6)?,
                    team: row.try_get(7)?,
                    reply_to_team: row.try_get(8)?,
                    thread_type: row.try_get(9)?,
                    response: row.try_get(10)?,
                    value: row.try_get(11)?,
                    review_days: row.try_get(12)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
