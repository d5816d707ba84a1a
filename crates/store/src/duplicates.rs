//! What the duplicate finder needs from the store, and what people decided.
//!
//! Posts are read in pages by id (visible threads; published artifacts not
//! archived) as [`domain::duplicates::Origin`] and
//! [`domain::duplicates::Text`]: community, author and the author's team
//! now. An anonymous question has no author in the database (only a salted
//! digest, see `threads::anonymity`), so its author and team are `None` by
//! construction: it is compared by its words alone and nothing about its
//! asker can come out. An artifact's author is its owner (else its creator).
//!
//! Decisions on a pair ([`Verdict::Link`], [`Verdict::NotTheSame`]) are
//! kept in `duplicate_decisions`, one row per pair in canonical order.
//! Linking an artifact with a thread or artifact of the same community also
//! writes the practice's own link (`artifact_links`), in the same
//! transaction, so the artifact page's links and backlinks show it too.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::duplicates::{Origin, Pair, PostKey, Text, Verdict};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, from_millis, millis};

/// A decision on a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The first post (canonical order).
    pub a: PostKey,
    /// The second post.
    pub b: PostKey,
    /// What was decided.
    pub verdict: Verdict,
    /// The shared terms that explained the pair then.
    pub shared: Vec<String>,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: DateTime<Utc>,
}

impl Decision {
    /// The other post of the pair, seen from `key`.
    pub fn other(&self, key: PostKey) -> PostKey {
        if self.a == key { self.b } else { self.a }
    }
}

/// A post as a flagged pair shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostSummary {
    /// The post.
    pub key: PostKey,
    /// Its title.
    pub title: String,
    /// Its community.
    pub community_id: i64,
    /// The community's address.
    pub community_slug: String,
    /// The community's name.
    pub community_name: String,
    /// Its named author (an artifact's owner); `None` for an anonymous question.
    pub author: Option<(i64, String)>,
    /// That author's team now, if they have one.
    pub team: Option<String>,
}

fn kind_of(key: PostKey) -> (&'static str, i64) {
    match key {
        PostKey::Thread(id) => ("thread", id),
        PostKey::Artifact(id) => ("artifact", id),
    }
}

fn key_of(kind: &str, id: i64) -> Result<PostKey, StoreError> {
    match kind {
        "thread" => Ok(PostKey::Thread(id)),
        "artifact" => Ok(PostKey::Artifact(id)),
        other => Err(StoreError::Database(sqlx::Error::Decode(
            format!("unknown post kind {other:?} in the database").into(),
        ))),
    }
}

fn decision_from(row: &AnyRow) -> Result<Decision, StoreError> {
    let verdict: String = row.try_get("verdict")?;
    let shared: String = row.try_get("shared")?;
    Ok(Decision {
        a: key_of(&row.try_get::<String, _>("a_kind")?, row.try_get("a_id")?)?,
        b: key_of(&row.try_get::<String, _>("b_kind")?, row.try_get("b_id")?)?,
        verdict: verdict.parse().map_err(|_| {
            StoreError::Database(sqlx::Error::Decode(
                format!("unknown verdict {verdict:?} in the database").into(),
            ))
        })?,
        shared: shared
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
        decided_by: row.try_get("decided_by")?,
        decided_at: from_millis(row.try_get("decided_at")?),
    })
}

/// A comma-separated list of ids the store itself produced or parsed as integers.
fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

const DECISION_COLUMNS: &str =
    "a_kind, a_id, b_kind, b_id, verdict, shared, decided_by, decided_at";

impl Store {
    /// The highest thread and artifact ids so far: a cheap way to tell that
    /// posts were added since the finder last read them.
    pub async fn duplicate_watermark(&self) -> Result<(i64, i64), StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM threads) AS t, \
             (SELECT COALESCE(MAX(id), 0) FROM artifacts) AS a",
        )
        .fetch_one(self.reader())
        .await?;
        Ok((row.try_get("t")?, row.try_get("a")?))
    }

    /// The team `person` is on now, if any.
    pub async fn team_id_of(&self, person: i64) -> Result<Option<i64>, StoreError> {
        let team: Option<Option<i64>> =
            sqlx::query_scalar("SELECT team_id FROM people WHERE id = $1")
                .bind(person)
                .fetch_optional(self.reader())
                .await?;
        Ok(team.flatten())
    }

    /// Up to `limit` visible threads with ids above `after`, by id, as the finder reads them.
    pub async fn duplicate_threads(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(Origin, Text)>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, t.community_id, t.title, t.body, t.author_id, p.team_id \
             FROM threads t LEFT JOIN people p ON p.id = t.author_id \
             WHERE t.id > $1 AND t.hidden_at IS NULL ORDER BY t.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        self.finder_posts(rows, PostKey::Thread, "thread_tags", "thread_id")
            .await
    }

    /// Up to `limit` published, unarchived artifacts with ids above `after`, by id.
    pub async fn duplicate_artifacts(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(Origin, Text)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.community_id, a.title, \
             a.body || ' ' || a.context || ' ' || a.decision || ' ' || a.consequences AS body, \
             COALESCE(a.owner_id, a.created_by) AS author_id, p.team_id \
             FROM artifacts a LEFT JOIN people p ON p.id = COALESCE(a.owner_id, a.created_by) \
             WHERE a.id > $1 AND a.state = 'published' AND a.archived_at IS NULL \
             ORDER BY a.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        self.finder_posts(rows, PostKey::Artifact, "artifact_tags", "artifact_id")
            .await
    }

    async fn finder_posts(
        &self,
        rows: Vec<AnyRow>,
        key: fn(i64) -> PostKey,
        tag_table: &str,
        tag_column: &str,
    ) -> Result<Vec<(Origin, Text)>, StoreError> {
        let mut posts = Vec::with_capacity(rows.len());
        for row in &rows {
            posts.push((
                Origin {
                    key: key(row.try_get("id")?),
                    community: row.try_get("community_id")?,
                    author: row.try_get("author_id")?,
                    team: row.try_get("team_id")?,
                },
                Text {
                    title: row.try_get("title")?,
                    body: domain::thread::plain_text(&row.try_get::<String, _>("body")?),
                    tags: Vec::new(),
                },
            ));
        }
        if rows.is_empty() {
            return Ok(posts);
        }
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        // The table and column are our constants; the ids came from the database.
        let tags = sqlx::query(&format!(
            "SELECT {tag_column} AS id, tag FROM {tag_table} WHERE {tag_column} IN ({}) \
             ORDER BY {tag_column}, position",
            id_list(ids.iter().copied())
        ))
        .fetch_all(self.reader())
        .await?;
        let position: HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        for row in &tags {
            let id: i64 = row.try_get("id")?;
            if let Some(&i) = position.get(&id) {
                posts[i].1.tags.push(row.try_get("tag")?);
            }
        }
        Ok(posts)
    }

    /// What flagged pairs show of `keys`: title, community, named author
    /// and their team. Posts that are gone, hidden or archived are left out.
    pub async fn post_summaries(&self, keys: &[PostKey]) -> Result<Vec<PostSummary>, StoreError> {
        let threads: Vec<i64> = keys
            .iter()
            .filter_map(|k| match k {
                PostKey::Thread(id) => Some(*id),
                PostKey::Artifact(_) => None,
            })
            .collect();
        let artifacts: Vec<i64> = keys
            .iter()
            .filter_map(|k| match k {
                PostKey::Artifact(id) => Some(*id),
                PostKey::Thread(_) => None,
            })
            .collect();
        let mut out = Vec::new();
        let columns = "x.id, x.title, x.community_id, c.slug, c.name, p.id AS author_id, \
                       p.display_name, tm.name AS team";
        for (ids, key, from) in [
            (
                threads,
                PostKey::Thread as fn(i64) -> PostKey,
                "threads x LEFT JOIN people p ON p.id = x.author_id",
            ),
            (
                artifacts,
                PostKey::Artifact,
                "artifacts x LEFT JOIN people p ON p.id = COALESCE(x.owner_id, x.created_by)",
            ),
        ] {
            if ids.is_empty() {
                continue;
            }
            let live = match key(0) {
                PostKey::Thread(_) => "x.hidden_at IS NULL",
                PostKey::Artifact(_) => "x.archived_at IS NULL AND x.state = 'published'",
            };
            // Our constants and integers parsed or produced by the store.
            let sql = format!(
                "SELECT {columns} FROM {from} JOIN communities c ON c.id = x.community_id \
                 LEFT JOIN teams tm ON tm.id = p.team_id WHERE {live} AND x.id IN ({}) ORDER BY x.id",
                id_list(ids.into_iter())
            );
            for row in sqlx::query(&sql).fetch_all(self.reader()).await? {
                let author: Option<i64> = row.try_get("author_id")?;
                out.push(PostSummary {
                    key: key(row.try_get("id")?),
                    title: row.try_get("title")?,
                    community_id: row.try_get("community_id")?,
                    community_slug: row.try_get("slug")?,
                    community_name: row.try_get("name")?,
                    author: match author {
                        Some(id) => Some((id, row.try_get("display_name")?)),
                        None => None,
                    },
                    team: row.try_get("team")?,
                });
            }
        }
        Ok(out)
    }

    /// Records `verdict` on the pair `x`–`y` by `by` (replacing an earlier
    /// decision on it). Linking an artifact with a thread or another
    /// artifact of its own community also links them in the practice.
    pub async fn decide_duplicate(
        &self,
        x: PostKey,
        y: PostKey,
        verdict: Verdict,
        shared: &[String],
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if x == y {
            return Err(StoreError::Conflict {
                field: "b",
                message: "a post cannot be a duplicate of itself".into(),
            });
        }
        let (a, b) = Pair::ordered(x, y);
        let mut tx = self.begin().await?;
        let mut communities = Vec::new();
        for key in [a, b] {
            let (kind, id) = kind_of(key);
            // The table name is one of our two constants.
            let community: Option<i64> =
                sqlx::query_scalar(&format!("SELECT community_id FROM {kind}s WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            communities.push(community.ok_or(StoreError::NotFound)?);
        }
        let ((a_kind, a_id), (b_kind, b_id)) = (kind_of(a), kind_of(b));
        sqlx::query(
            "INSERT INTO duplicate_decisions (a_kind, a_id, b_kind, b_id, verdict, shared, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (a_kind, a_id, b_kind, b_id) DO UPDATE SET verdict = excluded.verdict, \
             shared = excluded.shared, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(a_kind)
        .bind(a_id)
        .bind(b_kind)
        .bind(b_id)
        .bind(verdict.as_str())
        .bind(shared.join(" "))
        .bind(by)
        .bind(millis(at))
        .execute(&mut *tx)
        .await?;
        // Threads sort before artifacts, so an artifact is always `b`.
        if verdict == Verdict::Link
            && communities[0] == communities[1]
            && let PostKey::Artifact(from) = b
        {
            let (to_artifact, to_thread) = match a {
                PostKey::Artifact(id) => (Some(id), None),
                PostKey::Thread(id) => (None, Some(id)),
            };
            sqlx::query(
                "INSERT INTO artifact_links (from_artifact_id, to_artifact_id, to_thread_id, created_by, at) \
                 SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM artifact_links \
                 WHERE from_artifact_id = $1 AND (to_artifact_id = $6 OR to_thread_id = $7))",
            )
            .bind(from)
            .bind(to_artifact)
            .bind(to_thread)
            .bind(by)
            .bind(millis(at))
            .bind(to_artifact.unwrap_or(-1))
            .bind(to_thread.unwrap_or(-1))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every decision, oldest first (the finder leaves decided pairs out).
    pub async fn duplicate_decisions(&self) -> Result<Vec<Decision>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DECISION_COLUMNS} FROM duplicate_decisions ORDER BY id"
        ))
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(decision_from).collect()
    }

    /// The decisions on pairs that include `key`, oldest first.
    pub async fn duplicate_decisions_of(&self, key: PostKey) -> Result<Vec<Decision>, StoreError> {
        let (kind, id) = kind_of(key);
        let rows = sqlx::query(&format!(
            "SELECT {DECISION_COLUMNS} FROM duplicate_decisions \
             WHERE a_kind = $1 AND a_id = $2 OR b_kind = $1 AND b_id = $2 ORDER BY id"
        ))
        .bind(kind)
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(decision_from).collect()
    }
}
