//! Notifications: a person is told when they are mentioned, replied to,
//! their answer is accepted, or they receive kudos. Mentions reach only
//! people who may see the community; who wrote an anonymous post is never
//! named (the actor is left empty).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::Author;
use crate::{Store, StoreError, Tx, from_millis, millis};

/// Something a person is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// `mention`, `reply`, `accepted` or `kudos`.
    pub kind: String,
    /// The thread.
    pub thread_id: i64,
    /// Its title.
    pub thread_title: String,
    /// The reply, if about one.
    pub reply_id: Option<i64>,
    /// Who did it; `None` when anonymous or no one in particular.
    pub actor: Option<Author>,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether it has been read.
    pub read: bool,
}

/// Tells `person` about a post.
pub(super) async fn notify(
    tx: &mut Tx,
    person: i64,
    kind: &str,
    (thread, reply): (i64, Option<i64>),
    actor: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (person_id, kind, thread_id, reply_id, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(person)
    .bind(kind)
    .bind(thread)
    .bind(reply)
    .bind(actor)
    .bind(millis(at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells everyone `@mentioned` in `body` who may see `community`, except
/// the writer; returns who was told. A handle that names more than one
/// person names no one.
pub(super) async fn mentions(
    tx: &mut Tx,
    community: i64,
    post: (i64, Option<i64>),
    writer: i64,
    shown_actor: Option<i64>,
    body: &str,
    at: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    let mut told = Vec::new();
    for handle in domain::thread::mentions(body).into_iter().take(20) {
        let pattern = format!(
            "{}@%",
            handle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows = sqlx::query(
            "SELECT p.id FROM people p JOIN communities c ON c.id = $2 \
             WHERE LOWER(p.email) LIKE $1 ESCAPE '\\' AND (c.visibility = 'open' OR EXISTS ( \
               SELECT 1 FROM memberships m WHERE m.community_id = c.id AND m.person_id = p.id AND m.left_at IS NULL))",
        )
        .bind(pattern)
        .bind(community)
        .fetch_all(&mut **tx)
        .await?;
        let exact = rows
            .iter()
            .map(|row| row.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        if let [person] = exact[..]
            && person != writer
            && !told.contains(&person)
        {
            notify(tx, person, "mention", post, shown_actor, at).await?;
            told.push(person);
        }
    }
    Ok(told)
}

impl Store {
    /// `person`'s notifications, newest first, at most `limit`.
    pub async fn notifications(
        &self,
        person: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.thread_id, t.title, n.reply_id, n.actor_id, p.display_name, n.at, n.read_at \
             FROM notifications n JOIN threads t ON t.id = n.thread_id LEFT JOIN people p ON p.id = n.actor_id \
             WHERE n.person_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(person)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Notification {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    thread_id: row.try_get("thread_id")?,
                    thread_title: row.try_get("title")?,
                    reply_id: row.try_get("reply_id")?,
                    actor: super::author_from(row, "actor_id", "display_name")?,
                    at: from_millis(row.try_get("at")?),
                    read: row.try_get::<Option<i64>, _>("read_at")?.is_some(),
                })
            })
            .collect()
    }

    /// How many of `person`'s notifications are unread.
    pub async fn unread_notifications(&self, person: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL",
        )
        .bind(person)
        .fetch_one(self.reader())
        .await?)
    }

    /// Marks all of `person`'s notifications read.
    pub async fn read_notifications(
        &self,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL",
        )
        .bind(millis(at))
        .bind(person)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
