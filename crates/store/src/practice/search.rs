//! The full-text index of published artifacts, on the database's own index
//! (FTS5 at rowid = the artifact's id, or a tsvector + GIN table keyed by
//! it), written in the same transaction as each revision. Results only come
//! from communities the searcher may see.

use domain::practice::{ArtifactKind, Content};
use domain::thread::{MATCH_END, MATCH_START, plain_text, search_terms};
use sqlx::Row;

use super::decode;
use crate::{Backend, Store, StoreError, Tx, from_millis};

/// The index's key column on `backend`.
fn key(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "rowid",
        Backend::Postgres => "artifact_id",
    }
}

/// Writes (or rewrites) an artifact's index row.
pub(crate) async fn index(
    tx: &mut Tx,
    backend: Backend,
    id: i64,
    content: &Content,
) -> Result<(), StoreError> {
    let key = key(backend);
    sqlx::query(&format!("DELETE FROM artifact_search WHERE {key} = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let body = [
        content.context.as_str(),
        &content.decision,
        &content.consequences,
        &content.body,
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .map(|s| plain_text(s))
    .collect::<Vec<_>>()
    .join("\n");
    sqlx::query(&format!(
        "INSERT INTO artifact_search ({key}, title, tags, body) VALUES ($1, $2, $3, $4)"
    ))
    .bind(id)
    .bind(&content.title)
    .bind(content.tags.join(" "))
    .bind(body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One artifact that matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactHit {
    /// The artifact.
    pub artifact_id: i64,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: ArtifactKind,
    /// Its community's slug.
    pub community_slug: String,
    /// Its community's name.
    pub community_name: String,
    /// The matching passage: plain text with matches between
    /// [`MATCH_START`] and [`MATCH_END`].
    pub snippet: String,
    /// When it was last revised.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Published artifacts matching every word of `query` that `viewer` may
    /// see (open communities, or those they are a member of), optionally in
    /// one community, best first, `limit` from `offset`.
    pub async fn search_artifacts(
        &self,
        viewer: i64,
        query: &str,
        community: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ArtifactHit>, StoreError> {
        let terms = search_terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let (query, source, matches, snippet, order, key) = match self.backend {
            Backend::Sqlite => (
                terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" "),
                "artifact_search e",
                "artifact_search MATCH $1",
                format!("snippet(artifact_search, -1, '{MATCH_START}', '{MATCH_END}', ' … ', 20)"),
                "bm25(artifact_search, 10.0, 4.0, 1.0)",
                "e.rowid",
            ),
            Backend::Postgres => (
                terms.join(" & "),
                "artifact_search e CROSS JOIN to_tsquery('english', $1) q",
                "e.document @@ q",
                format!(
                    "ts_headline('english', e.title || ' — ' || e.body, q, \
                     'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=\" … \"')"
                ),
                "ts_rank_cd(e.document, q) DESC",
                "e.artifact_id",
            ),
        };
        let sql = format!(
            "SELECT a.id, a.title, a.kind, a.updated_at, c.slug, c.name, {snippet} AS snippet \
             FROM {source} JOIN artifacts a ON a.id = {key} \
             JOIN communities c ON c.id = a.community_id \
             WHERE {matches} AND a.archived_at IS NULL AND a.state = 'published' \
             AND (c.visibility = 'open' OR EXISTS (SELECT 1 FROM memberships m \
               WHERE m.community_id = c.id AND m.person_id = $2 AND m.left_at IS NULL)) \
             AND ($3 = 0 OR a.community_id = $3) \
             ORDER BY {order}, a.id DESC LIMIT $4 OFFSET $5"
        );
        let rows = sqlx::query(&sql)
            .bind(&query)
            .bind(viewer)
            .bind(community.unwrap_or_default())
            .bind(limit)
            .bind(offset)
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ArtifactHit {
                    artifact_id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    kind: decode(&row.try_get::<String, _>("kind")?, "artifact kind")?,
                    community_slug: row.try_get("slug")?,
                    community_name: row.try_get("name")?,
                    snippet: row.try_get("snippet")?,
                    at: from_millis(row.try_get("updated_at")?),
                })
            })
            .collect()
    }
}
