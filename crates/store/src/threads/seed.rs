//! Conversations written in bulk: many threads with their replies in one
//! transaction, each post with its revision, index entry and activity event
//! exactly as the one-at-a-time path writes them, minus notifications. For
//! generated data (benchmarks, large demos), where a transaction per post
//! would take hours.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::thread::ThreadType;
use sqlx::Row;

use super::{Written, record_revision, search, subject};
use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, Tx, millis};

/// A reply to write.
#[derive(Debug, Clone)]
pub struct SeedReply {
    /// Who wrote it.
    pub author_id: i64,
    /// Markdown body.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A thread to write, with its replies.
#[derive(Debug, Clone)]
pub struct SeedThread {
    /// Community id.
    pub community_id: i64,
    /// Who wrote it.
    pub author_id: i64,
    /// Its type.
    pub thread_type: ThreadType,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags, normalised.
    pub tags: Vec<String>,
    /// When it was opened.
    pub at: DateTime<Utc>,
    /// Replies, in order.
    pub replies: Vec<SeedReply>,
    /// Index into `replies` of the accepted answer (questions).
    pub accepted: Option<usize>,
}

async fn team(
    tx: &mut Tx,
    teams: &mut HashMap<i64, Option<String>>,
    person: i64,
) -> Result<Option<String>, StoreError> {
    if let Some(t) = teams.get(&person) {
        return Ok(t.clone());
    }
    let row =
        sqlx::query("SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = $1")
            .bind(person)
            .fetch_optional(&mut **tx)
            .await?;
    let name: Option<String> = match row {
        Some(r) => r.try_get("name")?,
        None => None,
    };
    teams.insert(person, name.clone());
    Ok(name)
}

impl Store {
    /// Writes `threads` in one transaction; returns the ids of the threads.
    pub async fn seed_threads(&self, threads: &[SeedThread]) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let mut teams = HashMap::new();
        let mut ids = Vec::with_capacity(threads.len());
        for t in threads {
            let last = t.replies.last().map(|r| r.at).unwrap_or(t.at);
            let first_response = t
                .replies
                .iter()
                .find(|r| r.author_id != t.author_id)
                .map(|r| millis(r.at));
            let row = sqlx::query(
                "INSERT INTO threads (community_id, thread_type, title, body, author_id, created_at, \
                 last_activity_at, reply_count, first_response_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(t.community_id)
            .bind(t.thread_type.as_str())
            .bind(&t.title)
            .bind(&t.body)
            .bind(t.author_id)
            .bind(millis(t.at))
            .bind(millis(last))
            .bind(t.replies.len() as i64)
            .bind(first_response)
            .fetch_one(&mut *tx)
            .await?;
            let id: i64 = row.try_get("id")?;
            ids.push(id);
            for (position, tag) in t.tags.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO thread_tags (thread_id, tag, position) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(tag)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            let written = Written {
                post: (id, None),
                title: Some(&t.title),
                tags: &t.tags,
                body: &t.body,
            };
            record_revision(&mut tx, &written, 1, Some(t.author_id), t.at).await?;
            search::index(&mut tx, &written).await?;
            let opener_team = team(&mut tx, &mut teams, t.author_id).await?;
            let event = NewEvent {
                at: t.at,
                community_id: t.community_id,
                actor_id: Some(t.author_id),
                kind: "thread_opened",
                subject: Some(subject(id)),
                thread_type: Some(t.thread_type.as_str()),
                ..NewEvent::default()
            };
            activity::append_recorded(&mut tx, &event, opener_team.as_deref(), None).await?;
            let mut accepted = None;
            for (k, r) in t.replies.iter().enumerate() {
                let row = sqlx::query(
                    "INSERT INTO replies (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(id)
                .bind(r.author_id)
                .bind(&r.body)
                .bind(millis(r.at))
                .fetch_one(&mut *tx)
                .await?;
                let reply: i64 = row.try_get("id")?;
                let written = Written {
                    post: (id, Some(reply)),
                    title: None,
                    tags: &[],
                    body: &r.body,
                };
                record_revision(&mut tx, &written, 1, Some(r.author_id), r.at).await?;
                search::index(&mut tx, &written).await?;
                let replier_team = team(&mut tx, &mut teams, r.author_id).await?;
                let event = NewEvent {
                    at: r.at,
                    community_id: t.community_id,
                    actor_id: Some(r.author_id),
                    kind: "replied",
                    subject: Some(subject(id)),
                    reply_to: Some(t.author_id),
                    ..NewEvent::default()
                };
                activity::append_recorded(
                    &mut tx,
                    &event,
                    replier_team.as_deref(),
                    opener_team.as_deref(),
                )
                .await?;
                if t.accepted == Some(k) {
                    accepted = Some((reply, r));
                }
            }
            if let Some((reply, r)) = accepted {
                let at = r.at + chrono::Duration::hours(1);
                sqlx::query(
                    "UPDATE threads SET accepted_reply_id = $1, accepted_at = $2 WHERE id = $3",
                )
                .bind(reply)
                .bind(millis(at))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let replier_team = team(&mut tx, &mut teams, r.author_id).await?;
                let event = NewEvent {
                    at,
                    community_id: t.community_id,
                    actor_id: Some(r.author_id),
                    kind: "answer_accepted",
                    subject: Some(subject(id)),
                    ..NewEvent::default()
                };
                activity::append_recorded(&mut tx, &event, replier_team.as_deref(), None).await?;
            }
        }
        tx.commit().await?;
        Ok(ids)
    }
}
