//! The shared space in the store: threads (with tags and revisions),
//! anonymous questions, the community's thread list and "help wanted" view.
//! Replies and accepted answers, reactions and kudos, notifications and the
//! full-text index each have their own module. Every post appends its
//! activity event in the same transaction and keeps the index in step.

mod anonymity;
mod context;
mod notifications;
mod recognition;
mod replies;
mod rows;
pub(crate) mod search;
mod seed;
mod versions;

pub(crate) use rows::{
    THREAD_COLUMNS, THREAD_FROM, author_from, thread_from, thread_from_prefixed,
};
pub(crate) use versions::{bump_version, bump_versions_by};

use chrono::{DateTime, Utc};
use domain::thread::ThreadType;
use sqlx::Row;
use sqlx::any::AnyRow;

pub use notifications::Notification;
pub use recognition::{Kudos, ReactionCounts, ReactionOf};
pub use replies::{NewReply, Reply};
pub use search::{RANKED_WINDOW, SearchFilter, SearchHit};
pub use seed::{SeedReply, SeedThread};

use crate::activity::{self, NewEvent};
use crate::communities::writable;
use crate::{Store, StoreError, Tx, from_millis, millis};

/// A person as a post names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A new thread.
#[derive(Debug, Clone)]
pub struct NewThread {
    /// Community id.
    pub community_id: i64,
    /// Who writes it.
    pub author_id: i64,
    /// Whether it is asked without the author's name (questions only).
    pub anonymous: bool,
    /// What it is for.
    pub thread_type: ThreadType,
    /// Title, checked.
    pub title: String,
    /// Markdown body, checked.
    pub body: String,
    /// Tags, normalised.
    pub tags: Vec<String>,
}

/// A thread: its opening post and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// What it is for.
    pub thread_type: ThreadType,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Who wrote it; `None` when asked anonymously.
    pub author: Option<Author>,
    /// Asked anonymously.
    pub anonymous: bool,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// Its current revision number.
    pub revision: i64,
    /// The latest post in it.
    pub last_activity_at: DateTime<Utc>,
    /// Replies, hidden ones included.
    pub reply_count: i64,
    /// The first response (METRICS.md): a reply by someone other than the opener.
    pub first_response_at: Option<DateTime<Utc>>,
    /// The accepted answer, for questions.
    pub accepted_reply_id: Option<i64>,
    /// When it was hidden by an administrator.
    pub hidden_at: Option<DateTime<Utc>>,
    /// Tags in the order given.
    pub tags: Vec<String>,
    /// Raised by every change to what the thread's page shows (migration
    /// 0009): a rendered thread is good for as long as this stays the same.
    pub version: i64,
}

impl Thread {
    /// Whether a question has an accepted answer.
    pub fn solved(&self) -> bool {
        self.accepted_reply_id.is_some()
    }
}

/// One version of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRevision {
    /// Revision number, from 1.
    pub revision: i64,
    /// Who wrote this version; `None` for the anonymous asker.
    pub editor: Option<Author>,
    /// When.
    pub at: DateTime<Utc>,
    /// The title then (opening posts only).
    pub title: Option<String>,
    /// The body then.
    pub body: String,
    /// The tags then, comma-separated (opening posts only).
    pub tags: String,
}

/// Which threads of a community to list.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    /// Only this type.
    pub thread_type: Option<ThreadType>,
    /// Only threads with this tag.
    pub tag: Option<String>,
    /// Only solved (`true`) or unsolved (`false`) questions.
    pub solved: Option<bool>,
}

/// Questions that want help, oldest first in each group.
#[derive(Debug, Clone, Default)]
pub struct HelpWanted {
    /// No response at all, and waiting more than seven days.
    pub overdue: Vec<Thread>,
    /// No response yet, asked within the last seven days.
    pub unanswered: Vec<Thread>,
    /// Answered, but no answer accepted.
    pub unsolved: Vec<Thread>,
}

/// The subject by which the activity log names thread `id`.
pub fn subject(id: i64) -> String {
    format!("thread-{id}")
}

pub(crate) async fn set_tags(tx: &mut Tx, thread: i64, tags: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM thread_tags WHERE thread_id = $1")
        .bind(thread)
        .execute(&mut **tx)
        .await?;
    for (position, tag) in tags.iter().enumerate() {
        sqlx::query("INSERT INTO thread_tags (thread_id, tag, position) VALUES ($1, $2, $3)")
            .bind(thread)
            .bind(tag)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A post's words as written: which post, its title and tags (opening
/// posts only) and its Markdown body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Written<'a> {
    /// (thread, reply); the opening post when the reply is `None`.
    pub post: (i64, Option<i64>),
    /// Title, for opening posts.
    pub title: Option<&'a str>,
    /// Tags, for opening posts.
    pub tags: &'a [String],
    /// Markdown body.
    pub body: &'a str,
}

/// Records revision `revision` of a post.
pub(crate) async fn record_revision(
    tx: &mut Tx,
    post: &Written<'_>,
    revision: i64,
    editor: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Written {
        post: (thread, reply),
        title,
        tags,
        body,
    } = *post;
    sqlx::query(
        "INSERT INTO post_revisions (thread_id, reply_id, revision, editor_id, at, title, body, tags) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(thread)
    .bind(reply)
    .bind(revision)
    .bind(editor)
    .bind(millis(at))
    .bind(title)
    .bind(body)
    .bind(tags.join(", "))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records the first revision of many new posts at once: each with its
/// writer and time (imports).
pub(crate) async fn record_first_revisions(
    tx: &mut Tx,
    posts: &[(Written<'_>, Option<i64>, DateTime<Utc>)],
) -> Result<(), StoreError> {
    crate::bulk::values(
        tx,
        "INSERT INTO post_revisions (thread_id, reply_id, revision, editor_id, at, title, body, tags) VALUES",
        8,
        "",
        posts,
        |q, (post, editor, at)| {
            q.bind(post.post.0)
                .bind(post.post.1)
                .bind(1_i64)
                .bind(*editor)
                .bind(millis(*at))
                .bind(post.title)
                .bind(post.body)
                .bind(post.tags.join(", "))
        },
    )
    .await?;
    Ok(())
}

/// The thread `id` as seen inside `tx`.
pub(crate) async fn load(tx: &mut Tx, id: i64) -> Result<Thread, StoreError> {
    let sql = format!("SELECT {THREAD_COLUMNS} FROM {THREAD_FROM} WHERE t.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    thread_from(&row)
}

/// Refuses posts to a hidden thread.
fn check_open(thread: &Thread) -> Result<(), StoreError> {
    if thread.hidden_at.is_some() {
        return Err(StoreError::Conflict {
            field: "thread",
            message: "this thread was hidden by an administrator".into(),
        });
    }
    Ok(())
}

impl Store {
    /// Opens a thread, appending `thread_opened`, notifying anyone mentioned
    /// and indexing it, in one transaction. Returns its id.
    pub async fn open_thread(&self, new: &NewThread, at: DateTime<Utc>) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let community = writable(&mut tx, new.community_id).await?;
        let anonymous = new.anonymous && new.thread_type == ThreadType::Question;
        if anonymous && !community.anonymous_questions {
            return Err(StoreError::Conflict {
                field: "anonymous",
                message: "this community's stewards have switched anonymous questions off".into(),
            });
        }
        let (salt, digest) = if anonymous {
            let (salt, digest) = anonymity::seal(new.author_id);
            (Some(salt), Some(digest))
        } else {
            (None, None)
        };
        let author = (!anonymous).then_some(new.author_id);
        let row = sqlx::query(
            "INSERT INTO threads (community_id, thread_type, title, body, author_id, anonymous, \
             asker_salt, asker_digest, created_at, last_activity_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(new.community_id)
        .bind(new.thread_type.as_str())
        .bind(&new.title)
        .bind(&new.body)
        .bind(author)
        .bind(i64::from(anonymous))
        .bind(salt)
        .bind(digest)
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        set_tags(&mut tx, id, &new.tags).await?;
        let written = Written {
            post: (id, None),
            title: Some(&new.title),
            tags: &new.tags,
            body: &new.body,
        };
        record_revision(&mut tx, &written, 1, author, at).await?;
        activity::append(
            &mut tx,
            &NewEvent {
                at,
                community_id: new.community_id,
                actor_id: author,
                kind: "thread_opened",
                subject: Some(subject(id)),
                thread_type: Some(new.thread_type.as_str()),
                ..NewEvent::default()
            },
        )
        .await?;
        search::index(&mut tx, &written).await?;
        notifications::mentions(
            &mut tx,
            new.community_id,
            (id, None),
            new.author_id,
            author,
            &new.body,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Thread `id` with its tags.
    pub async fn thread(&self, id: i64) -> Result<Thread, StoreError> {
        let sql = format!("SELECT {THREAD_COLUMNS} FROM {THREAD_FROM} WHERE t.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut thread = thread_from(&row)?;
        thread.tags = self.thread_tags(id).await?;
        Ok(thread)
    }

    /// Edits thread `id`'s title, body and tags as `editor` (the asker of an
    /// anonymous question is recorded as no one), keeping the old version.
    pub async fn edit_thread(
        &self,
        id: i64,
        editor: i64,
        title: &str,
        body: &str,
        tags: &[String],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let thread = load(&mut tx, id).await?;
        writable(&mut tx, thread.community_id).await?;
        check_open(&thread)?;
        let revision = thread.revision + 1;
        let editor = (!thread.anonymous).then_some(editor);
        sqlx::query(
            "UPDATE threads SET title = $1, body = $2, edited_at = $3, revision = $4, \
             version = version + 1 WHERE id = $5",
        )
        .bind(title)
        .bind(body)
        .bind(millis(at))
        .bind(revision)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        set_tags(&mut tx, id, tags).await?;
        let written = Written {
            post: (id, None),
            title: Some(title),
            tags,
            body,
        };
        record_revision(&mut tx, &written, revision, editor, at).await?;
        search::index(&mut tx, &written).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of a post, newest first: the opening post of `thread`
    /// (`reply` `None`) or one of its replies.
    pub async fn post_revisions(
        &self,
        thread: i64,
        reply: Option<i64>,
    ) -> Result<Vec<PostRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.revision, r.editor_id, p.display_name, r.at, r.title, r.body, r.tags \
             FROM post_revisions r LEFT JOIN people p ON p.id = r.editor_id \
             WHERE r.thread_id = $1 AND ($2 = 0 AND r.reply_id IS NULL OR r.reply_id = $3) \
             ORDER BY r.revision DESC",
        )
        .bind(thread)
        .bind(i64::from(reply.is_some()))
        .bind(reply.unwrap_or_default())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PostRevision {
                    revision: row.try_get("revision")?,
                    editor: author_from(row, "editor_id", "display_name")?,
                    at: from_millis(row.try_get("at")?),
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    tags: row.try_get("tags")?,
                })
            })
            .collect()
    }

    /// A community's threads, latest activity first, `limit` at a time after
    /// the position `before` (last activity in milliseconds, id).
    pub async fn threads(
        &self,
        community: i64,
        filter: &ThreadFilter,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<Thread>, StoreError> {
        let (before_at, before_id) = before.unwrap_or((i64::MAX, i64::MAX));
        let sql = format!(
            "SELECT {THREAD_COLUMNS} FROM {THREAD_FROM} WHERE t.community_id = $1 \
             AND ($2 = '' OR t.thread_type = $2) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM thread_tags g WHERE g.thread_id = t.id AND g.tag = $3)) \
             AND ($4 = 0 OR ($5 = 1) = (t.accepted_reply_id IS NOT NULL) AND t.thread_type = 'question') \
             AND (t.last_activity_at < $6 OR t.last_activity_at = $6 AND t.id < $7) \
             ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $8"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .bind(filter.thread_type.map(|t| t.as_str()).unwrap_or_default())
            .bind(filter.tag.as_deref().unwrap_or_default())
            .bind(i64::from(filter.solved.is_some()))
            .bind(i64::from(filter.solved == Some(true)))
            .bind(before_at)
            .bind(before_id)
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        self.with_tags(rows).await
    }

    /// The `limit` newest visible threads of `community`, newest first (for feeds).
    pub async fn newest_threads(
        &self,
        community: i64,
        limit: i64,
    ) -> Result<Vec<Thread>, StoreError> {
        let sql = format!(
            "SELECT {THREAD_COLUMNS} FROM {THREAD_FROM} WHERE t.community_id = $1 \
             AND t.hidden_at IS NULL ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        self.with_tags(rows).await
    }

    /// The threads of `rows` with their tags, fetched in one query.
    async fn with_tags(&self, rows: Vec<AnyRow>) -> Result<Vec<Thread>, StoreError> {
        let mut out = rows
            .iter()
            .map(thread_from)
            .collect::<Result<Vec<_>, _>>()?;
        if out.is_empty() {
            return Ok(out);
        }
        // The list is of integers the database itself returned.
        let ids = out
            .iter()
            .map(|t| t.id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let tags = sqlx::query(&format!(
            "SELECT thread_id, tag FROM thread_tags WHERE thread_id IN ({ids}) ORDER BY thread_id, position"
        ))
        .fetch_all(self.reader())
        .await?;
        let mut by_thread: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for row in &tags {
            by_thread
                .entry(row.try_get("thread_id")?)
                .or_default()
                .push(row.try_get("tag")?);
        }
        for thread in &mut out {
            thread.tags = by_thread.remove(&thread.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// The questions in `community` that want help as of `now`: no response
    /// for more than seven days, no response yet, and answered but unsolved;
    /// oldest first, at most `limit` in each group. Hidden questions are left out.
    pub async fn help_wanted(
        &self,
        community: i64,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<HelpWanted, StoreError> {
        let cutoff = millis(now) - domain::thread::RESPONSE_DAYS * 86_400_000;
        let query = |condition: &str| {
            format!(
                "SELECT {THREAD_COLUMNS} FROM {THREAD_FROM} WHERE t.community_id = $1 \
                 AND t.thread_type = 'question' AND t.hidden_at IS NULL AND t.accepted_reply_id IS NULL \
                 AND {condition} ORDER BY t.created_at, t.id LIMIT $3"
            )
        };
        let mut groups = Vec::new();
        for condition in [
            "t.first_response_at IS NULL AND t.created_at < $2",
            "t.first_response_at IS NULL AND t.created_at >= $2",
            "t.first_response_at IS NOT NULL AND $2 = $2",
        ] {
            let rows = sqlx::query(&query(condition))
                .bind(community)
                .bind(cutoff)
                .bind(limit)
                .fetch_all(self.reader())
                .await?;
            groups.push(self.with_tags(rows).await?);
        }
        let unsolved = groups.pop().unwrap_or_default();
        let unanswered = groups.pop().unwrap_or_default();
        let overdue = groups.pop().unwrap_or_default();
        Ok(HelpWanted {
            overdue,
            unanswered,
            unsolved,
        })
    }

    /// Whether `person` asked thread `id` anonymously.
    pub async fn is_anonymous_asker(&self, id: i64, person: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT asker_salt, asker_digest FROM threads WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(row) => anonymity::opens(
                row.try_get::<Option<String>, _>("asker_salt")?.as_deref(),
                row.try_get::<Option<String>, _>("asker_digest")?.as_deref(),
                person,
            ),
            None => false,
        })
    }

    /// The questions `person` asked anonymously, newest first (only they see
    /// this list: it is how the asker follows their questions).
    pub async fn anonymous_questions_of(&self, person: i64) -> Result<Vec<Thread>, StoreError> {
        let sql = format!(
            "SELECT {THREAD_COLUMNS}, t.asker_salt, t.asker_digest FROM {THREAD_FROM} \
             WHERE t.anonymous = 1 ORDER BY t.created_at DESC, t.id DESC"
        );
        let rows = sqlx::query(&sql).fetch_all(self.reader()).await?;
        let mine = rows
            .into_iter()
            .filter(|row| {
                anonymity::opens(
                    row.try_get::<Option<String>, _>("asker_salt")
                        .ok()
                        .flatten()
                        .as_deref(),
                    row.try_get::<Option<String>, _>("asker_digest")
                        .ok()
                        .flatten()
                        .as_deref(),
                    person,
                )
            })
            .collect();
        self.with_tags(mine).await
    }

    /// Hides (or shows again) a post: the opening post of `thread` (`reply`
    /// `None`; the whole thread) or one reply. Its text leaves the index and
    /// pages say it was hidden. Who wrote it is never consulted.
    pub async fn hide_post(
        &self,
        (thread, reply): (i64, Option<i64>),
        hidden: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let t = load(&mut tx, thread).await?;
        let (title, tags, body) = match reply {
            None => {
                let tags = sqlx::query(
                    "SELECT tag FROM thread_tags WHERE thread_id = $1 ORDER BY position",
                )
                .bind(thread)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("tag"))
                .collect::<Result<Vec<String>, _>>()?;
                (Some(t.title), tags, t.body)
            }
            Some(r) => {
                let reply = replies::load_reply(&mut tx, r).await?;
                if reply.thread_id != thread {
                    return Err(StoreError::NotFound);
                }
                (None, Vec::new(), reply.body)
            }
        };
        let table = if reply.is_some() {
            "replies"
        } else {
            "threads"
        };
        // The table name is one of our two constants.
        sqlx::query(&format!("UPDATE {table} SET hidden_at = $1 WHERE id = $2"))
            .bind(hidden.then_some(millis(at)))
            .bind(reply.unwrap_or(thread))
            .execute(&mut *tx)
            .await?;
        bump_version(&mut tx, thread).await?;
        if hidden {
            search::unindex(&mut tx, (thread, reply)).await?;
        } else {
            let written = Written {
                post: (thread, reply),
                title: title.as_deref(),
                tags: &tags,
                body: &body,
            };
            search::index(&mut tx, &written).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Switches anonymous questions on or off for `community`.
    pub async fn set_anonymous_questions(
        &self,
        community: i64,
        allowed: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, community).await?;
        sqlx::query("UPDATE communities SET anonymous_questions = $1 WHERE id = $2")
            .bind(i64::from(allowed))
            .bind(community)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
