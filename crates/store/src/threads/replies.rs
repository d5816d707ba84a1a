//! Replies (flat, optionally quoting another reply), their edits, and
//! accepting one as a question's answer. A reply's `replied` event names the
//! author of the post it answers (the quoted reply's, else the opening
//! post's); the first response to a thread is stamped as METRICS.md defines
//! it (someone other than the opener; never an anonymous reply).

use chrono::{DateTime, Utc};
use domain::thread::ThreadType;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{
    Author, Written, author_from, check_open, load, notifications, record_revision, search, subject,
};
use crate::activity::{self, NewEvent};
use crate::communities::writable;
use crate::{Store, StoreError, from_millis, millis};

/// A new reply.
#[derive(Debug, Clone)]
pub struct NewReply {
    /// The thread.
    pub thread_id: i64,
    /// Who writes it.
    pub author_id: i64,
    /// Markdown body, checked.
    pub body: String,
    /// The reply it quotes, in the same thread.
    pub quote_of: Option<i64>,
}

/// A reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Id.
    pub id: i64,
    /// The thread.
    pub thread_id: i64,
    /// Who wrote it; `None` for the anonymous asker.
    pub author: Option<Author>,
    /// Written by the anonymous asker.
    pub anonymous: bool,
    /// Markdown body.
    pub body: String,
    /// The reply it quotes.
    pub quote_of: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// Current revision number.
    pub revision: i64,
    /// When hidden by an administrator.
    pub hidden_at: Option<DateTime<Utc>>,
}

const REPLY_COLUMNS: &str = "r.id, r.thread_id, r.author_id, p.display_name AS author_name, \
    r.anonymous, r.body, r.quote_of, r.created_at, r.edited_at, r.revision, r.hidden_at";

fn reply_from(row: &AnyRow) -> Result<Reply, StoreError> {
    Ok(Reply {
        id: row.try_get("id")?,
        thread_id: row.try_get("thread_id")?,
        author: author_from(row, "author_id", "author_name")?,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        body: row.try_get("body")?,
        quote_of: row.try_get("quote_of")?,
        created_at: from_millis(row.try_get("created_at")?),
        edited_at: row.try_get::<Option<i64>, _>("edited_at")?.map(from_millis),
        revision: row.try_get("revision")?,
        hidden_at: row.try_get::<Option<i64>, _>("hidden_at")?.map(from_millis),
    })
}

pub(super) async fn load_reply(tx: &mut crate::Tx, id: i64) -> Result<Reply, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {REPLY_COLUMNS} FROM replies r LEFT JOIN people p ON p.id = r.author_id WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    reply_from(&row)
}

impl Store {
    /// Adds a reply, appending `replied`, notifying the thread's author and
    /// anyone mentioned, and indexing it, in one transaction. The asker of
    /// an anonymous question replies in its thread as the anonymous asker.
    pub async fn reply(&self, new: &NewReply, at: DateTime<Utc>) -> Result<i64, StoreError> {
        let as_asker = self
            .is_anonymous_asker(new.thread_id, new.author_id)
            .await?;
        let mut tx = self.begin().await?;
        let thread = load(&mut tx, new.thread_id).await?;
        writable(&mut tx, thread.community_id).await?;
        check_open(&thread)?;
        let quoted = match new.quote_of {
            Some(q) => {
                let quoted = load_reply(&mut tx, q).await.map_err(|e| match e {
                    StoreError::NotFound => quote_elsewhere(),
                    other => other,
                })?;
                if quoted.thread_id != thread.id {
                    return Err(quote_elsewhere());
                }
                Some(quoted)
            }
            None => None,
        };
        let author = (!as_asker).then_some(new.author_id);
        let row = sqlx::query(
            "INSERT INTO replies (thread_id, author_id, anonymous, body, quote_of, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(thread.id)
        .bind(author)
        .bind(i64::from(as_asker))
        .bind(&new.body)
        .bind(new.quote_of)
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        // The first response: a named reply by someone other than the opener.
        let first_response = author.is_some()
            && thread.first_response_at.is_none()
            && thread.author.as_ref().map(|a| a.id) != author;
        sqlx::query(
            "UPDATE threads SET reply_count = reply_count + 1, last_activity_at = $1, \
             first_response_at = CASE WHEN $2 = 1 THEN $1 ELSE first_response_at END, \
             version = version + 1 WHERE id = $3",
        )
        .bind(millis(at))
        .bind(i64::from(first_response))
        .bind(thread.id)
        .execute(&mut *tx)
        .await?;
        let written = Written {
            post: (thread.id, Some(id)),
            title: None,
            tags: &[],
            body: &new.body,
        };
        record_revision(&mut tx, &written, 1, author, at).await?;
        let replied_to = match &quoted {
            Some(q) => q.author.as_ref().map(|a| a.id),
            None => thread.author.as_ref().map(|a| a.id),
        };
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: thread.community_id,
                actor_id: author,
                kind: "replied",
                subject: Some(subject(thread.id)),
                reply_to: replied_to,
                ..NewEvent::default()
            },
        )
        .await?;
        search::index(&mut tx, &written).await?;
        let mut told = notifications::mentions(
            &mut tx,
            thread.community_id,
            (thread.id, Some(id)),
            new.author_id,
            author,
            &new.body,
            at,
        )
        .await?;
        for person in [
            thread.author.as_ref().map(|a| a.id),
            quoted.and_then(|q| q.author.map(|a| a.id)),
        ]
        .into_iter()
        .flatten()
        {
            if person != new.author_id && !told.contains(&person) {
                notifications::notify(&mut tx, person, "reply", (thread.id, Some(id)), author, at)
                    .await?;
                told.push(person);
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Reply `id`.
    pub async fn reply_by_id(&self, id: i64) -> Result<Reply, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {REPLY_COLUMNS} FROM replies r LEFT JOIN people p ON p.id = r.author_id WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        reply_from(&row)
    }

    /// The replies in thread `id`, in order.
    pub async fn replies(&self, thread: i64) -> Result<Vec<Reply>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REPLY_COLUMNS} FROM replies r LEFT JOIN people p ON p.id = r.author_id \
             WHERE r.thread_id = $1 ORDER BY r.id"
        ))
        .bind(thread)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(reply_from).collect()
    }

    /// Edits reply `id`, keeping the old version.
    pub async fn edit_reply(
        &self,
        id: i64,
        editor: i64,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let reply = load_reply(&mut tx, id).await?;
        let thread = load(&mut tx, reply.thread_id).await?;
        writable(&mut tx, thread.community_id).await?;
        check_open(&thread)?;
        if reply.hidden_at.is_some() {
            return Err(StoreError::Conflict {
                field: "reply",
                message: "this reply was hidden by an administrator".into(),
            });
        }
        let revision = reply.revision + 1;
        sqlx::query("UPDATE replies SET body = $1, edited_at = $2, revision = $3 WHERE id = $4")
            .bind(body)
            .bind(millis(at))
            .bind(revision)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        super::bump_version(&mut tx, thread.id).await?;
        let editor = (!reply.anonymous).then_some(editor);
        let written = Written {
            post: (thread.id, Some(id)),
            title: None,
            tags: &[],
            body,
        };
        record_revision(&mut tx, &written, revision, editor, at).await?;
        search::index(&mut tx, &written).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Accepts reply `reply` as the answer to question `thread` (replacing
    /// any earlier choice), appending `answer_accepted` with the answer's
    /// author as actor, and telling them.
    pub async fn accept_answer(
        &self,
        thread: i64,
        reply: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let question = load(&mut tx, thread).await?;
        writable(&mut tx, question.community_id).await?;
        check_open(&question)?;
        if question.thread_type != ThreadType::Question {
            return Err(StoreError::Conflict {
                field: "thread",
                message: "only a question has an accepted answer".into(),
            });
        }
        let answer = load_reply(&mut tx, reply).await.map_err(|e| match e {
            StoreError::NotFound => not_in_thread(),
            other => other,
        })?;
        if answer.thread_id != thread || answer.hidden_at.is_some() {
            return Err(not_in_thread());
        }
        if question.accepted_reply_id == Some(reply) {
            return Ok(());
        }
        sqlx::query(
            "UPDATE threads SET accepted_reply_id = $1, accepted_at = $2, version = version + 1 \
             WHERE id = $3",
        )
        .bind(reply)
        .bind(millis(at))
        .bind(thread)
        .execute(&mut *tx)
        .await?;
        let author = answer.author.as_ref().map(|a| a.id);
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: question.community_id,
                actor_id: author,
                kind: "answer_accepted",
                subject: Some(subject(thread)),
                ..NewEvent::default()
            },
        )
        .await?;
        if let Some(person) = author {
            notifications::notify(&mut tx, person, "accepted", (thread, Some(reply)), None, at)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn quote_elsewhere() -> StoreError {
    StoreError::Conflict {
        field: "quote_of",
        message: "the quoted reply is not in this thread".into(),
    }
}

fn not_in_thread() -> StoreError {
    StoreError::Conflict {
        field: "reply_id",
        message: "that reply is not a visible answer in this thread".into(),
    }
}
