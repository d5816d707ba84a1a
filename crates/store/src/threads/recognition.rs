//! Recognition: reactions to posts ("helpful", "thanks") and kudos from one
//! person to another for a contribution, shown on the receiver's page. There
//! are no leaderboards: counts belong to posts, kudos to their receiver.
//! Kudos append a `kudos` event (a signal, not a contribution); METRICS.md
//! has no kind for reactions, so they stay out of the activity log.

use chrono::{DateTime, Utc};
use domain::thread::Reaction;
use sqlx::Row;

use super::{Author, load, notifications};
use crate::activity::{self, NewEvent};
use crate::communities::writable;
use crate::{Store, StoreError, from_millis, millis};

/// How a post was received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReactionCounts {
    /// "Helpful" reactions.
    pub helpful: i64,
    /// "Thanks" reactions.
    pub thanks: i64,
    /// Whether the viewer said it was helpful.
    pub mine_helpful: bool,
    /// Whether the viewer said thanks.
    pub mine_thanks: bool,
}

impl ReactionCounts {
    /// Counts one more `reaction`, the viewer's own when `mine`.
    pub fn add(&mut self, reaction: Reaction, mine: bool) {
        match reaction {
            Reaction::Helpful => {
                self.helpful += 1;
                self.mine_helpful |= mine;
            }
            Reaction::Thanks => {
                self.thanks += 1;
                self.mine_thanks |= mine;
            }
        }
    }
}

/// One person's reaction to one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionOf {
    /// The reply's id; 0 for the opening post.
    pub post: i64,
    /// Who reacted.
    pub person: i64,
    /// How.
    pub reaction: Reaction,
}

/// Kudos given to someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kudos {
    /// Id.
    pub id: i64,
    /// Who gave them.
    pub from: Author,
    /// Who received them.
    pub to: Author,
    /// For a contribution in this thread.
    pub thread_id: i64,
    /// The thread's title.
    pub thread_title: String,
    /// The thread's community id.
    pub community_id: i64,
    /// The reply, if for a reply.
    pub reply_id: Option<i64>,
    /// What for, in the giver's words.
    pub note: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The person who wrote a post (the opening post when `reply` is `None`);
/// `None` when it was written anonymously. Not found when the post is not
/// in `thread`.
async fn post_author(
    tx: &mut crate::Tx,
    thread: i64,
    reply: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    let row = match reply {
        None => {
            sqlx::query("SELECT author_id FROM threads WHERE id = $1")
                .bind(thread)
                .fetch_optional(&mut **tx)
                .await?
        }
        Some(r) => {
            sqlx::query("SELECT author_id FROM replies WHERE id = $1 AND thread_id = $2")
                .bind(r)
                .bind(thread)
                .fetch_optional(&mut **tx)
                .await?
        }
    };
    Ok(row.ok_or(StoreError::NotFound)?.try_get("author_id")?)
}

impl Store {
    /// Adds (`on`) or removes `person`'s `reaction` to a post of `thread`.
    pub async fn react(
        &self,
        thread: i64,
        reply: Option<i64>,
        person: i64,
        reaction: Reaction,
        on: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let t = load(&mut tx, thread).await?;
        writable(&mut tx, t.community_id).await?;
        post_author(&mut tx, thread, reply).await?;
        let key = reply.unwrap_or(0);
        sqlx::query(
            "DELETE FROM reactions WHERE thread_id = $1 AND reply_id = $2 AND person_id = $3 AND reaction = $4",
        )
        .bind(thread)
        .bind(key)
        .bind(person)
        .bind(reaction.as_str())
        .execute(&mut *tx)
        .await?;
        if on {
            sqlx::query(
                "INSERT INTO reactions (thread_id, reply_id, person_id, reaction, at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(thread)
            .bind(key)
            .bind(person)
            .bind(reaction.as_str())
            .bind(millis(at))
            .execute(&mut *tx)
            .await?;
        }
        super::bump_version(&mut tx, thread).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reactions to every post of `thread`, by reply id (0 for the
    /// opening post), with `viewer`'s own marked.
    pub async fn reactions(
        &self,
        thread: i64,
        viewer: i64,
    ) -> Result<std::collections::HashMap<i64, ReactionCounts>, StoreError> {
        let mut out = std::collections::HashMap::<i64, ReactionCounts>::new();
        for r in self.reaction_list(thread).await? {
            out.entry(r.post)
                .or_default()
                .add(r.reaction, r.person == viewer);
        }
        Ok(out)
    }

    /// Every reaction to the posts of `thread`.
    pub async fn reaction_list(&self, thread: i64) -> Result<Vec<ReactionOf>, StoreError> {
        let rows =
            sqlx::query("SELECT reply_id, person_id, reaction FROM reactions WHERE thread_id = $1")
                .bind(thread)
                .fetch_all(self.reader())
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if let Ok(reaction) = row.try_get::<String, _>("reaction")?.parse::<Reaction>() {
                out.push(ReactionOf {
                    post: row.try_get("reply_id")?,
                    person: row.try_get("person_id")?,
                    reaction,
                });
            }
        }
        Ok(out)
    }

    /// Gives kudos from `from` to the author of a post, appending `kudos`
    /// and telling the receiver. Refused for anonymous posts (they have no
    /// one to receive them) and for one's own posts.
    pub async fn give_kudos(
        &self,
        thread: i64,
        reply: Option<i64>,
        from: i64,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let t = load(&mut tx, thread).await?;
        writable(&mut tx, t.community_id).await?;
        let Some(to) = post_author(&mut tx, thread, reply).await? else {
            return Err(StoreError::Conflict {
                field: "reply_id",
                message: "an anonymous post has no one to receive kudos".into(),
            });
        };
        if to == from {
            return Err(StoreError::Conflict {
                field: "reply_id",
                message: "kudos are for someone else's contribution".into(),
            });
        }
        let row = sqlx::query(
            "INSERT INTO kudos (from_id, to_id, thread_id, reply_id, note, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(from)
        .bind(to)
        .bind(thread)
        .bind(reply)
        .bind(note)
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: t.community_id,
                actor_id: Some(from),
                kind: "kudos",
                subject: Some(super::subject(thread)),
                ..NewEvent::default()
            },
        )
        .await?;
        notifications::notify(&mut tx, to, "kudos", (thread, reply), Some(from), at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Kudos `person` received, newest first, only for contributions in
    /// communities `viewer` may see.
    pub async fn kudos_for(&self, person: i64, viewer: i64) -> Result<Vec<Kudos>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.id, k.from_id, f.display_name AS from_name, k.to_id, o.display_name AS to_name, \
             k.thread_id, t.title, t.community_id, k.reply_id, k.note, k.at \
             FROM kudos k JOIN people f ON f.id = k.from_id JOIN people o ON o.id = k.to_id \
             JOIN threads t ON t.id = k.thread_id JOIN communities c ON c.id = t.community_id \
             WHERE k.to_id = $1 AND t.hidden_at IS NULL AND (c.visibility = 'open' OR EXISTS ( \
               SELECT 1 FROM memberships m WHERE m.community_id = c.id AND m.person_id = $2 AND m.left_at IS NULL)) \
             ORDER BY k.at DESC, k.id DESC LIMIT 100",
        )
        .bind(person)
        .bind(viewer)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Kudos {
                    id: row.try_get("id")?,
                    from: Author {
                        id: row.try_get("from_id")?,
                        name: row.try_get("from_name")?,
                    },
                    to: Author {
                        id: row.try_get("to_id")?,
                        name: row.try_get("to_name")?,
                    },
                    thread_id: row.try_get("thread_id")?,
                    thread_title: row.try_get("title")?,
                    community_id: row.try_get("community_id")?,
                    reply_id: row.try_get("reply_id")?,
                    note: row.try_get("note")?,
                    at: from_millis(row.try_get("at")?),
                })
            })
            .collect()
    }
}
