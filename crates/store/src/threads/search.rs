//! Full-text search over threads and replies with the database's own index:
//! SQLite FTS5 (BM25 ranking, `snippet`) or PostgreSQL `tsvector` + GIN
//! (`ts_rank_cd`, `ts_headline`). The index holds one row per visible post,
//! written in the same transaction as the post. Results only come from
//! communities the searcher may see, never from hidden posts, and never
//! name the author of an anonymous post.

use domain::thread::{MATCH_END, MATCH_START, ThreadType, plain_text, search_terms};
use sqlx::Row;

use crate::{Backend, Store, StoreError, Tx, from_millis};

/// Where a post sits in the index.
fn rowid((thread, reply): (i64, Option<i64>)) -> i64 {
    match reply {
        None => thread * 2,
        Some(r) => r * 2 + 1,
    }
}

/// Writes (or rewrites) a post's index row.
pub(crate) async fn index(tx: &mut Tx, written: &super::Written<'_>) -> Result<(), StoreError> {
    let super::Written {
        post,
        title,
        tags,
        body,
    } = *written;
    unindex(tx, post).await?;
    sqlx::query(
        "INSERT INTO search_entries (rowid, title, tags, body, thread_id, reply_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(rowid(post))
    .bind(title.unwrap_or_default())
    .bind(tags.join(" "))
    .bind(plain_text(body))
    .bind(post.0)
    .bind(post.1)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the index rows of many posts that have none yet (new posts,
/// whose ids were never used), in multi-row statements (imports).
pub(crate) async fn index_new(tx: &mut Tx, posts: &[super::Written<'_>]) -> Result<(), StoreError> {
    crate::bulk::values(
        tx,
        "INSERT INTO search_entries (rowid, title, tags, body, thread_id, reply_id) VALUES",
        6,
        "",
        posts,
        |q, w| {
            q.bind(rowid(w.post))
                .bind(w.title.unwrap_or_default())
                .bind(w.tags.join(" "))
                .bind(plain_text(w.body))
                .bind(w.post.0)
                .bind(w.post.1)
        },
    )
    .await?;
    Ok(())
}

/// Removes a post's index row.
pub(super) async fn unindex(tx: &mut Tx, post: (i64, Option<i64>)) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM search_entries WHERE rowid = $1")
        .bind(rowid(post))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What to search and where.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// The words sought.
    pub query: String,
    /// Match any word (similar questions) rather than all of them.
    pub any_word: bool,
    /// Only this community.
    pub community: Option<i64>,
    /// Only threads of this type.
    pub thread_type: Option<ThreadType>,
    /// Only threads with this tag.
    pub tag: Option<String>,
    /// Only solved (`true`) or unsolved (`false`) questions.
    pub solved: Option<bool>,
    /// Only opening posts (no replies).
    pub threads_only: bool,
}

/// One post that matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The thread.
    pub thread_id: i64,
    /// The reply, when the match is in one.
    pub reply_id: Option<i64>,
    /// The thread's title.
    pub title: String,
    /// The thread's type.
    pub thread_type: String,
    /// Its community's slug.
    pub community_slug: String,
    /// Its community's name.
    pub community_name: String,
    /// Whether the thread is a solved question.
    pub solved: bool,
    /// The post's author, unless anonymous.
    pub author: Option<super::Author>,
    /// The matching passage: plain text with matches between
    /// [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
    /// When the post was written.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// How many of the newest matching posts are ranked by relevance. A query
/// whose words are in a fifth of a million posts would otherwise score every
/// one of them; ranking the newest thousand (after the filters and the
/// searcher's privacy) keeps the answer fast and favours what is current.
pub const RANKED_WINDOW: i64 = 1000;

/// The rows a search may return, with the joins its filters need; `{source}`
/// and `{matches}` are the backend's full-text parts.
const FILTERED: &str = "{source} JOIN threads t ON t.id = e.thread_id \
     JOIN communities c ON c.id = t.community_id \
     LEFT JOIN replies r ON r.id = e.reply_id \
     WHERE {matches} AND t.hidden_at IS NULL AND (r.id IS NULL OR r.hidden_at IS NULL) \
     AND (c.visibility = 'open' OR EXISTS (SELECT 1 FROM memberships m \
       WHERE m.community_id = c.id AND m.person_id = $2 AND m.left_at IS NULL)) \
     AND ($3 = 0 OR t.community_id = $3) \
     AND ($4 = '' OR t.thread_type = $4) \
     AND ($5 = '' OR EXISTS (SELECT 1 FROM thread_tags g WHERE g.thread_id = t.id AND g.tag = $5)) \
     AND ($6 = 0 OR ($7 = 1) = (t.accepted_reply_id IS NOT NULL) AND t.thread_type = 'question') \
     AND ($8 = 0 OR e.reply_id IS NULL)";

impl Store {
    /// Posts matching `filter` that `viewer` may see, best first, `limit`
    /// from `offset`: the newest [`RANKED_WINDOW`] matches are ranked by
    /// relevance (BM25 on SQLite, `ts_rank_cd` on PostgreSQL), and only the
    /// page returned gets its snippet.
    pub async fn search(
        &self,
        viewer: i64,
        filter: &SearchFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let terms = search_terms(&filter.query);
        if terms.is_empty() || offset >= RANKED_WINDOW {
            return Ok(Vec::new());
        }
        let joiner = match (self.backend, filter.any_word) {
            (Backend::Sqlite, false) => " ",
            (Backend::Sqlite, true) => " OR ",
            (Backend::Postgres, false) => " & ",
            (Backend::Postgres, true) => " | ",
        };
        let query = match self.backend {
            Backend::Sqlite => terms
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(joiner),
            Backend::Postgres => terms.join(joiner),
        };
        let (source, matches, snippet, order) = match self.backend {
            Backend::Sqlite => (
                "search_entries e",
                "search_entries MATCH $1",
                format!("snippet(search_entries, -1, '{MATCH_START}', '{MATCH_END}', ' … ', 20)"),
                "bm25(search_entries, 10.0, 4.0, 1.0)",
            ),
            Backend::Postgres => (
                "search_entries e CROSS JOIN to_tsquery('english', $1) q",
                "e.document @@ q",
                format!(
                    "ts_headline('english', CASE WHEN e.reply_id IS NULL THEN e.title || ' — ' ELSE '' END || e.body, q, \
                     'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"')"
                ),
                "ts_rank_cd(e.document, q) DESC",
            ),
        };
        let filtered = FILTERED
            .replace("{source}", source)
            .replace("{matches}", matches);
        let tag = filter.tag.clone().unwrap_or_default();
        let thread_type = filter.thread_type.map(|t| t.as_str()).unwrap_or_default();
        macro_rules! bind_filters {
            ($sql:expr) => {
                sqlx::query($sql)
                    .bind(&query)
                    .bind(viewer)
                    .bind(filter.community.unwrap_or_default())
                    .bind(thread_type)
                    .bind(&tag)
                    .bind(i64::from(filter.solved.is_some()))
                    .bind(i64::from(filter.solved == Some(true)))
                    .bind(i64::from(filter.threads_only))
            };
        }
        // 1. Where the window of the newest matches begins.
        let floor_sql = format!(
            "SELECT MIN(w.rid) AS floor FROM (SELECT e.rowid AS rid FROM {filtered} \
             ORDER BY e.rowid DESC LIMIT {RANKED_WINDOW}) w"
        );
        let floor: Option<i64> = bind_filters!(&floor_sql)
            .fetch_one(self.reader())
            .await?
            .try_get("floor")?;
        let Some(floor) = floor else {
            return Ok(Vec::new());
        };
        // 2. The page, by relevance within the window.
        let rank_sql = format!(
            "SELECT e.rowid AS rid FROM {filtered} AND e.rowid >= $9 ORDER BY {order}, e.rowid DESC LIMIT $10 OFFSET $11"
        );
        let page: Vec<i64> = bind_filters!(&rank_sql)
            .bind(floor)
            .bind(limit.min(RANKED_WINDOW - offset))
            .bind(offset)
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>("rid"))
            .collect::<Result<_, _>>()?;
        if page.is_empty() {
            return Ok(Vec::new());
        }
        // 3. What is shown of each: only these rows get a snippet. (The list
        // is of integers the database itself returned.)
        let ids = page
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let detail_sql = format!(
            "SELECT e.rowid AS rid, e.thread_id, e.reply_id, {snippet} AS snippet, t.title, t.thread_type, \
             c.slug, c.name, t.accepted_reply_id, \
             CASE WHEN e.reply_id IS NULL THEN t.author_id ELSE r.author_id END AS author_id, \
             ap.display_name AS author_name, \
             CASE WHEN e.reply_id IS NULL THEN t.created_at ELSE r.created_at END AS at \
             FROM {source} JOIN threads t ON t.id = e.thread_id \
             JOIN communities c ON c.id = t.community_id \
             LEFT JOIN replies r ON r.id = e.reply_id \
             LEFT JOIN people ap ON ap.id = (CASE WHEN e.reply_id IS NULL THEN t.author_id ELSE r.author_id END) \
             WHERE {matches} AND e.rowid IN ({ids})"
        );
        let rows = sqlx::query(&detail_sql)
            .bind(&query)
            .fetch_all(self.reader())
            .await?;
        let mut hits = std::collections::HashMap::with_capacity(rows.len());
        for row in &rows {
            hits.insert(
                row.try_get::<i64, _>("rid")?,
                SearchHit {
                    thread_id: row.try_get("thread_id")?,
                    reply_id: row.try_get("reply_id")?,
                    title: row.try_get("title")?,
                    thread_type: row.try_get("thread_type")?,
                    community_slug: row.try_get("slug")?,
                    community_name: row.try_get("name")?,
                    solved: row
                        .try_get::<Option<i64>, _>("accepted_reply_id")?
                        .is_some(),
                    author: super::author_from(row, "author_id", "author_name")?,
                    snippet: row.try_get("snippet")?,
                    at: from_millis(row.try_get("at")?),
                },
            );
        }
        Ok(page.iter().filter_map(|id| hits.remove(id)).collect())
    }
}
