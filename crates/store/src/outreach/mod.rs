//! Reaching people outside Guildhall. This module holds the weekly digest's
//! contents (new threads in a member's communities, unanswered questions
//! that match what they know, which they could answer) and its e-mail
//! bookkeeping (the opt-out, when each member's last digest went, claimed
//! so that two servers or a restart never send it twice). Outgoing webhooks
//! are in [`webhooks`], their queue and delivery log in [`deliveries`].

pub mod deliveries;
pub mod webhooks;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::threads::{THREAD_COLUMNS, THREAD_FROM, Thread, thread_from};
use crate::{Store, StoreError, from_millis, millis};

/// How often a member's digest is e-mailed.
pub const DIGEST_EVERY_DAYS: i64 = 7;

/// Most unanswered questions read before matching them with a member's topics.
const QUESTIONS_READ: i64 = 300;

/// A thread as the digest lists it, with its community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestThread {
    /// The community's address.
    pub community_slug: String,
    /// The community's name.
    pub community_name: String,
    /// The thread (its author is `None` when asked anonymously).
    pub thread: Thread,
    /// For suggested questions: the tags that match what the member knows.
    pub matched: Vec<String>,
}

/// A member's digest settings and bookkeeping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestPreference {
    /// Whether the digest comes by e-mail (when the server can send mail).
    pub email: bool,
    /// When the last digest was e-mailed (or found empty).
    pub last_sent_at: Option<DateTime<Utc>>,
}

/// A member whose weekly digest is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDigest {
    /// Person id.
    pub person_id: i64,
    /// Their e-mail address.
    pub email: String,
    /// Their name.
    pub display_name: String,
    /// When their previous digest went, if one has.
    pub last_sent_at: Option<DateTime<Utc>>,
}

/// A topic as tags write it: lower case, words joined by hyphens.
pub fn as_tag(topic: &str) -> String {
    topic
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

const MEMBER_OF: &str = "t.community_id IN (SELECT m.community_id FROM memberships m \
     JOIN communities mc ON mc.id = m.community_id \
     WHERE m.person_id = $1 AND m.left_at IS NULL AND mc.merged_into IS NULL)";

impl Store {
    /// Threads opened in `(since, until]` in the communities `person`
    /// belongs to now, by others (anonymous ones included, without a name),
    /// hidden ones left out; newest first, at most `limit`.
    pub async fn digest_new_threads(
        &self,
        person: i64,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DigestThread>, StoreError> {
        let sql = format!(
            "SELECT {THREAD_COLUMNS}, c.slug AS community_slug, c.name AS community_name \
             FROM {THREAD_FROM} JOIN communities c ON c.id = t.community_id \
             WHERE {MEMBER_OF} AND t.hidden_at IS NULL AND t.created_at > $2 AND t.created_at <= $3 \
             AND (t.author_id IS NULL OR t.author_id <> $1) \
             ORDER BY t.created_at DESC, t.id DESC LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(person)
            .bind(millis(since))
            .bind(millis(until))
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        let mut out = self.digest_threads(&rows).await?;
        // The member's own anonymous questions are theirs, not news.
        let mut mine = Vec::new();
        for t in &out {
            mine.push(t.thread.anonymous && self.is_anonymous_asker(t.thread.id, person).await?);
        }
        let mut mine = mine.into_iter();
        out.retain(|_| !mine.next().unwrap_or(false));
        Ok(out)
    }

    /// What `person` knows, as tags: their declared skills and what they
    /// can teach, and the tags of questions they answered (not anonymously).
    pub async fn digest_topics(&self, person: i64) -> Result<BTreeSet<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT name AS topic FROM person_skills WHERE person_id = $1 \
             UNION SELECT topic FROM person_topics WHERE person_id = $1 AND list = 'can_teach' \
             UNION SELECT g.tag FROM replies r JOIN threads q ON q.id = r.thread_id \
               JOIN thread_tags g ON g.thread_id = q.id \
               WHERE r.author_id = $1 AND r.anonymous = 0 AND q.thread_type = 'question'",
        )
        .bind(person)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| Ok(as_tag(&row.try_get::<String, _>("topic")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Questions in `person`'s communities that nobody has responded to,
    /// asked by others, whose tags meet `topics`; oldest first (the longest
    /// waiting), at most `limit`, each with the tags that matched.
    pub async fn digest_questions(
        &self,
        person: i64,
        topics: &BTreeSet<String>,
        limit: usize,
    ) -> Result<Vec<DigestThread>, StoreError> {
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {THREAD_COLUMNS}, c.slug AS community_slug, c.name AS community_name \
             FROM {THREAD_FROM} JOIN communities c ON c.id = t.community_id \
             WHERE {MEMBER_OF} AND t.thread_type = 'question' AND t.hidden_at IS NULL \
             AND t.first_response_at IS NULL AND t.accepted_reply_id IS NULL \
             AND (t.author_id IS NULL OR t.author_id <> $1) \
             ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(person)
            .bind(QUESTIONS_READ)
            .fetch_all(self.reader())
            .await?;
        let mut out = Vec::new();
        for mut t in self.digest_threads(&rows).await?.into_iter().rev() {
            t.matched = t
                .thread
                .tags
                .iter()
                .filter(|tag| topics.contains(*tag))
                .cloned()
                .collect();
            if t.matched.is_empty()
                || t.thread.anonymous && self.is_anonymous_asker(t.thread.id, person).await?
            {
                continue;
            }
            out.push(t);
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    /// The threads of `rows` with their communities and tags.
    async fn digest_threads(&self, rows: &[AnyRow]) -> Result<Vec<DigestThread>, StoreError> {
        let mut out = Vec::new();
        for row in rows {
            out.push(DigestThread {
                community_slug: row.try_get("community_slug")?,
                community_name: row.try_get("community_name")?,
                thread: thread_from(row)?,
                matched: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        // The list is of integers the database itself returned.
        let ids = out
            .iter()
            .map(|t| t.thread.id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let tags = sqlx::query(&format!(
            "SELECT thread_id, tag FROM thread_tags WHERE thread_id IN ({ids}) ORDER BY thread_id, position"
        ))
        .fetch_all(self.reader())
        .await?;
        let mut by_thread: HashMap<i64, Vec<String>> = HashMap::new();
        for row in &tags {
            by_thread
                .entry(row.try_get("thread_id")?)
                .or_default()
                .push(row.try_get("tag")?);
        }
        for t in &mut out {
            t.thread.tags = by_thread.remove(&t.thread.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// `person`'s digest settings (e-mail on, never sent, when unset).
    pub async fn digest_preference(&self, person: i64) -> Result<DigestPreference, StoreError> {
        let row = sqlx::query(
            "SELECT email_off, last_sent_at FROM digest_preferences WHERE person_id = $1",
        )
        .bind(person)
        .fetch_optional(self.reader())
        .await?;
        Ok(match row {
            Some(row) => DigestPreference {
                email: row.try_get::<i64, _>("email_off")? == 0,
                last_sent_at: row
                    .try_get::<Option<i64>, _>("last_sent_at")?
                    .map(from_millis),
            },
            None => DigestPreference {
                email: true,
                last_sent_at: None,
            },
        })
    }

    /// Turns `person`'s digest e-mail on or off.
    pub async fn set_digest_email(&self, person: i64, email: bool) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO digest_preferences (person_id, email_off) VALUES ($1, $2) \
             ON CONFLICT (person_id) DO UPDATE SET email_off = $2",
        )
        .bind(person)
        .bind(i64::from(!email))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Members whose digest e-mail is due at `now`: people (not bots) in at
    /// least one community, with the e-mail on, whose last digest went at
    /// least [`DIGEST_EVERY_DAYS`] ago or never; at most `limit`, the
    /// longest waiting first.
    pub async fn due_digests(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueDigest>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.email, p.display_name, d.last_sent_at FROM people p \
             LEFT JOIN digest_preferences d ON d.person_id = p.id \
             WHERE p.is_bot = 0 AND COALESCE(d.email_off, 0) = 0 \
             AND (d.last_sent_at IS NULL OR d.last_sent_at <= $1) \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.left_at IS NULL) \
             ORDER BY COALESCE(d.last_sent_at, 0), p.id LIMIT $2",
        )
        .bind(millis(now - Duration::days(DIGEST_EVERY_DAYS)))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DueDigest {
                    person_id: row.try_get("id")?,
                    email: row.try_get("email")?,
                    display_name: row.try_get("display_name")?,
                    last_sent_at: row
                        .try_get::<Option<i64>, _>("last_sent_at")?
                        .map(from_millis),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Records that `person`'s digest goes at `now`, if their last one is
    /// still `previous` (so two servers, or a restart, never both send it);
    /// false when someone else already did.
    pub async fn claim_digest(
        &self,
        person: i64,
        previous: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO digest_preferences (person_id, email_off, last_sent_at) VALUES ($1, 0, $2) \
             ON CONFLICT (person_id) DO UPDATE SET last_sent_at = $2 \
             WHERE COALESCE(digest_preferences.last_sent_at, -1) = $3",
        )
        .bind(person)
        .bind(millis(now))
        .bind(previous.map(millis).unwrap_or(-1))
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a claim made at `claimed` when the e-mail could not go,
    /// so the digest is tried again.
    pub async fn release_digest(
        &self,
        person: i64,
        previous: Option<DateTime<Utc>>,
        claimed: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE digest_preferences SET last_sent_at = $1 WHERE person_id = $2 AND last_sent_at = $3",
        )
        .bind(previous.map(millis))
        .bind(person)
        .bind(millis(claimed))
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
