//! The practice in the store: artifacts and their revisions, owners and
//! contributors. Reviews and freshness, reuse, links and backlinks, and the
//! full-text index each have their own module. Every change appends its
//! activity event in the same transaction and keeps the index in step.
//!
//! [`Store::create_artifact`] is the one way an artifact is born, whether
//! written from scratch or made from a source (a thread, an accepted answer,
//! an experiment, a gathering's notes): the source travels in [`Source`].

mod links;
mod reuse;
mod reviews;
pub(crate) mod search;

use chrono::{DateTime, Utc};
use domain::practice::{ArtifactKind, ArtifactState, Content, DecisionStatus};
use sqlx::Row;
use sqlx::any::AnyRow;

pub use links::{LinkTarget, LinkedArtifact, LinkedThread, Links};
pub use reuse::{Reuse, TeamUses};
pub use search::ArtifactHit;

use crate::activity::{self, NewEvent};
use crate::communities::writable;
use crate::threads::Author;
use crate::{Store, StoreError, Tx, from_millis, millis};

/// Where an artifact came from. All `None` for one written from scratch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Source {
    /// The thread it was promoted from.
    pub thread_id: Option<i64>,
    /// The accepted answer (a reply of `thread_id`) it was promoted from.
    pub reply_id: Option<i64>,
    /// The experiment it concluded in.
    pub experiment_id: Option<i64>,
    /// The gathering occurrence whose notes it holds.
    pub occurrence_id: Option<i64>,
}

/// A new artifact.
#[derive(Debug, Clone)]
pub struct NewArtifact {
    /// Community id.
    pub community_id: i64,
    /// Who writes it: the author of revision 1, and its owner unless
    /// `owner_id` names another member.
    pub author_id: i64,
    /// Its owner, when not the author.
    pub owner_id: Option<i64>,
    /// What it holds, checked.
    pub content: Content,
    /// Published, or a draft (promotions start as drafts).
    pub state: ArtifactState,
    /// Where it came from.
    pub source: Source,
    /// The summary of revision 1 (e.g. "Promoted from a thread").
    pub summary: String,
}

/// An artifact: its current revision and what is not revised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// The current content.
    pub content: Content,
    /// Draft or published.
    pub state: ArtifactState,
    /// Its owner.
    pub owner: Option<Author>,
    /// Whether the owner is still a member of the community; an artifact
    /// whose owner left (or that has none) is orphaned.
    pub owner_is_member: bool,
    /// Who first wrote it.
    pub created_by: Option<Author>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last revised.
    pub updated_at: DateTime<Utc>,
    /// The current revision number, from 1.
    pub revision: i64,
    /// The latest of creation, revision and review.
    pub last_confirmed_at: DateTime<Utc>,
    /// The last time an owner or steward marked it still true.
    pub last_reviewed_at: Option<DateTime<Utc>>,
    /// Who did.
    pub last_reviewed_by: Option<Author>,
    /// How many times it was reused.
    pub reuse_count: i64,
    /// Where it came from.
    pub source: Source,
}

impl Artifact {
    /// When it falls due for review.
    pub fn due_at(&self) -> DateTime<Utc> {
        domain::practice::due_at(self.last_confirmed_at, self.content.review_days)
    }

    /// Whether it is stale at `now`.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        domain::practice::is_stale(self.last_confirmed_at, self.content.review_days, now)
    }

    /// Whether its owner has left (or it has none): stewards should re-home it.
    pub fn is_orphaned(&self) -> bool {
        !self.owner_is_member
    }
}

/// One version of an artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactRevision {
    /// Revision number, from 1.
    pub revision: i64,
    /// Who wrote this version.
    pub author: Option<Author>,
    /// When.
    pub at: DateTime<Utc>,
    /// What changed, in the author's words.
    pub summary: String,
    /// The content then.
    pub content: Content,
    /// The revision this one restored, if it was a restore.
    pub restored_from: Option<i64>,
}

/// Which artifacts of a community to list.
#[derive(Debug, Clone, Default)]
pub struct ArtifactFilter {
    /// Only this kind.
    pub kind: Option<ArtifactKind>,
    /// Only artifacts with this tag.
    pub tag: Option<String>,
    /// Only artifacts owned by this person.
    pub owner: Option<i64>,
}

pub(crate) const ARTIFACT_COLUMNS: &str = "a.id, a.community_id, a.kind, a.title, a.body, \
    a.context, a.decision, a.consequences, a.decision_status, a.state, a.owner_id, \
    op.display_name AS owner_name, a.created_by, cp.display_name AS creator_name, a.created_at, \
    a.updated_at, a.revision, a.review_days, a.last_confirmed_at, a.last_reviewed_at, \
    a.last_reviewed_by, rp.display_name AS reviewer_name, a.reuse_count, a.source_thread_id, \
    a.source_reply_id, a.source_experiment_id, a.source_occurrence_id, \
    CASE WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = a.community_id \
      AND m.person_id = a.owner_id AND m.left_at IS NULL) THEN 1 ELSE 0 END AS owner_is_member";

pub(crate) const ARTIFACT_FROM: &str = "artifacts a \
    LEFT JOIN people op ON op.id = a.owner_id \
    LEFT JOIN people cp ON cp.id = a.created_by \
    LEFT JOIN people rp ON rp.id = a.last_reviewed_by";

fn decode<T: std::str::FromStr>(value: &str, what: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown {what} {value:?} in the database").into(),
        ))
    })
}

pub(crate) fn author(row: &AnyRow, id: &str, name: &str) -> Result<Option<Author>, StoreError> {
    let id: Option<i64> = row.try_get(id)?;
    Ok(match id {
        Some(id) => Some(Author {
            id,
            name: row.try_get(name)?,
        }),
        None => None,
    })
}

fn content_from(row: &AnyRow, tags: Vec<String>) -> Result<Content, StoreError> {
    let status: Option<String> = row.try_get("decision_status")?;
    Ok(Content {
        kind: decode(&row.try_get::<String, _>("kind")?, "artifact kind")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        context: row.try_get("context")?,
        decision: row.try_get("decision")?,
        consequences: row.try_get("consequences")?,
        decision_status: status
            .map(|s| decode::<DecisionStatus>(&s, "decision status"))
            .transpose()?,
        tags,
        review_days: row.try_get("review_days")?,
    })
}

fn artifact_from(row: &AnyRow) -> Result<Artifact, StoreError> {
    Ok(Artifact {
        id: row.try_get("id")?,
        community_id: row.try_get("community_id")?,
        content: content_from(row, Vec::new())?,
        state: decode(&row.try_get::<String, _>("state")?, "artifact state")?,
        owner: author(row, "owner_id", "owner_name")?,
        owner_is_member: row.try_get::<i64, _>("owner_is_member")? != 0,
        created_by: author(row, "created_by", "creator_name")?,
        created_at: from_millis(row.try_get("created_at")?),
        updated_at: from_millis(row.try_get("updated_at")?),
        revision: row.try_get("revision")?,
        last_confirmed_at: from_millis(row.try_get("last_confirmed_at")?),
        last_reviewed_at: row
            .try_get::<Option<i64>, _>("last_reviewed_at")?
            .map(from_millis),
        last_reviewed_by: author(row, "last_reviewed_by", "reviewer_name")?,
        reuse_count: row.try_get("reuse_count")?,
        source: Source {
            thread_id: row.try_get("source_thread_id")?,
            reply_id: row.try_get("source_reply_id")?,
            experiment_id: row.try_get("source_experiment_id")?,
            occurrence_id: row.try_get("source_occurrence_id")?,
        },
    })
}

/// The subject by which the activity log names artifact `id`.
pub fn subject(id: i64) -> String {
    format!("artifact-{id}")
}

async fn set_tags(tx: &mut Tx, artifact: i64, tags: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM artifact_tags WHERE artifact_id = $1")
        .bind(artifact)
        .execute(&mut **tx)
        .await?;
    for (position, tag) in tags.iter().enumerate() {
        sqlx::query("INSERT INTO artifact_tags (artifact_id, tag, position) VALUES ($1, $2, $3)")
            .bind(artifact)
            .bind(tag)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records revision `revision` of `artifact`.
async fn record_revision(
    tx: &mut Tx,
    artifact: i64,
    revision: i64,
    (author, at): (Option<i64>, DateTime<Utc>),
    summary: &str,
    content: &Content,
    restored_from: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO artifact_revisions (artifact_id, revision, author_id, at, summary, kind, title, \
         body, context, decision, consequences, decision_status, tags, review_days, restored_from) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(artifact)
    .bind(revision)
    .bind(author)
    .bind(millis(at))
    .bind(summary)
    .bind(content.kind.as_str())
    .bind(&content.title)
    .bind(&content.body)
    .bind(&content.context)
    .bind(&content.decision)
    .bind(&content.consequences)
    .bind(content.decision_status.map(|s| s.as_str()))
    .bind(content.tags.join(", "))
    .bind(content.review_days)
    .bind(restored_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The artifact `id` as seen inside `tx`, with its tags.
pub(crate) async fn load(tx: &mut Tx, id: i64) -> Result<Artifact, StoreError> {
    let sql = format!("SELECT {ARTIFACT_COLUMNS} FROM {ARTIFACT_FROM} WHERE a.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut artifact = artifact_from(&row)?;
    artifact.content.tags =
        sqlx::query("SELECT tag FROM artifact_tags WHERE artifact_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get("tag"))
            .collect::<Result<_, _>>()?;
    Ok(artifact)
}

/// Checks that a source thread (and reply) belong to `community`.
async fn check_source(tx: &mut Tx, community: i64, source: &Source) -> Result<(), StoreError> {
    let bad = |message: &str| StoreError::Conflict {
        field: "source",
        message: message.into(),
    };
    if let Some(thread) = source.thread_id {
        let row = sqlx::query("SELECT community_id FROM threads WHERE id = $1")
            .bind(thread)
            .fetch_optional(&mut **tx)
            .await?;
        let of: Option<i64> = row.map(|r| r.try_get("community_id")).transpose()?;
        if of != Some(community) {
            return Err(bad("the source thread is not in this community"));
        }
    }
    if let Some(reply) = source.reply_id {
        let row = sqlx::query("SELECT thread_id FROM replies WHERE id = $1")
            .bind(reply)
            .fetch_optional(&mut **tx)
            .await?;
        let of: Option<i64> = row.map(|r| r.try_get("thread_id")).transpose()?;
        if of.is_none() || of != source.thread_id {
            return Err(bad("the source answer is not a reply of the source thread"));
        }
    }
    Ok(())
}

/// Appends an artifact event.
async fn event(
    tx: &mut Tx,
    (community, actor, at): (i64, i64, DateTime<Utc>),
    kind: &'static str,
    id: i64,
    review_days: Option<i64>,
) -> Result<(), StoreError> {
    activity::append(
        tx,
        &NewEvent {
            at,
            community_id: community,
            actor_id: Some(actor),
            kind,
            subject: Some(subject(id)),
            review_days,
            ..NewEvent::default()
        },
    )
    .await
}

impl Store {
    /// Creates an artifact: revision 1, its tags, `artifact_created` (with
    /// its review interval) and, when published, its index row, in one
    /// transaction. A source thread or answer must be of the same community.
    /// Returns its id.
    pub async fn create_artifact(
        &self,
        new: &NewArtifact,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, new.community_id).await?;
        check_source(&mut tx, new.community_id, &new.source).await?;
        let c = &new.content;
        let row = sqlx::query(
            "INSERT INTO artifacts (community_id, kind, title, body, context, decision, consequences, \
             decision_status, state, owner_id, created_by, created_at, updated_at, revision, review_days, \
             last_confirmed_at, source_thread_id, source_reply_id, source_experiment_id, source_occurrence_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1, $13, $12, $14, $15, $16, $17) \
             RETURNING id",
        )
        .bind(new.community_id)
        .bind(c.kind.as_str())
        .bind(&c.title)
        .bind(&c.body)
        .bind(&c.context)
        .bind(&c.decision)
        .bind(&c.consequences)
        .bind(c.decision_status.map(|s| s.as_str()))
        .bind(new.state.as_str())
        .bind(new.owner_id.unwrap_or(new.author_id))
        .bind(new.author_id)
        .bind(millis(at))
        .bind(c.review_days)
        .bind(new.source.thread_id)
        .bind(new.source.reply_id)
        .bind(new.source.experiment_id)
        .bind(new.source.occurrence_id)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        set_tags(&mut tx, id, &c.tags).await?;
        let by = (Some(new.author_id), at);
        record_revision(&mut tx, id, 1, by, &new.summary, c, None).await?;
        let who = (new.community_id, new.author_id, at);
        event(&mut tx, who, "artifact_created", id, Some(c.review_days)).await?;
        if new.state == ArtifactState::Published {
            search::index(&mut tx, self.backend, id, c).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Artifact `id` with its tags.
    pub async fn artifact(&self, id: i64) -> Result<Artifact, StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(artifact)
    }

    /// A community's artifacts matching `filter`, most recently revised
    /// first, at most `limit`.
    pub async fn artifacts(
        &self,
        community: i64,
        filter: &ArtifactFilter,
        limit: i64,
    ) -> Result<Vec<Artifact>, StoreError> {
        let sql = format!(
            "SELECT {ARTIFACT_COLUMNS} FROM {ARTIFACT_FROM} WHERE a.community_id = $1 \
             AND a.archived_at IS NULL AND ($2 = '' OR a.kind = $2) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM artifact_tags g WHERE g.artifact_id = a.id AND g.tag = $3)) \
             AND ($4 = 0 OR a.owner_id = $4) \
             ORDER BY a.updated_at DESC, a.id DESC LIMIT $5"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .bind(filter.kind.map(|k| k.as_str()).unwrap_or_default())
            .bind(filter.tag.as_deref().unwrap_or_default())
            .bind(filter.owner.unwrap_or_default())
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        self.with_artifact_tags(rows).await
    }

    /// The artifacts of `rows` with their tags, fetched in one query.
    pub(crate) async fn with_artifact_tags(
        &self,
        rows: Vec<AnyRow>,
    ) -> Result<Vec<Artifact>, StoreError> {
        let mut out = rows
            .iter()
            .map(artifact_from)
            .collect::<Result<Vec<_>, _>>()?;
        if out.is_empty() {
            return Ok(out);
        }
        // The list is of integers the database itself returned.
        let ids = out
            .iter()
            .map(|a| a.id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let tags = sqlx::query(&format!(
            "SELECT artifact_id, tag FROM artifact_tags WHERE artifact_id IN ({ids}) \
             ORDER BY artifact_id, position"
        ))
        .fetch_all(self.reader())
        .await?;
        let mut by_artifact: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for row in &tags {
            by_artifact
                .entry(row.try_get("artifact_id")?)
                .or_default()
                .push(row.try_get("tag")?);
        }
        for artifact in &mut out {
            artifact.content.tags = by_artifact.remove(&artifact.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// Revises artifact `id` as `author`: a new revision with `summary`,
    /// publishing a draft when `publish`; appends `artifact_revised` (with
    /// the review interval when it changed). Returns the new revision number.
    pub async fn revise_artifact(
        &self,
        id: i64,
        author: i64,
        content: &Content,
        summary: &str,
        publish: bool,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.write_revision(id, (author, at), content, summary, publish, None)
            .await
    }

    /// Restores revision `revision` of artifact `id` as a new revision by
    /// `author`, naming the one restored. Returns the new revision number.
    pub async fn restore_artifact(
        &self,
        id: i64,
        revision: i64,
        author: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let old = self
            .artifact_revisions(id)
            .await?
            .into_iter()
            .find(|r| r.revision == revision)
            .ok_or(StoreError::NotFound)?;
        let summary = format!("Restored revision {revision}");
        self.write_revision(
            id,
            (author, at),
            &old.content,
            &summary,
            false,
            Some(revision),
        )
        .await
    }

    async fn write_revision(
        &self,
        id: i64,
        (author, at): (i64, DateTime<Utc>),
        content: &Content,
        summary: &str,
        publish: bool,
        restored_from: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        writable(&mut tx, before.community_id).await?;
        let revision = before.revision + 1;
        let state = if publish {
            ArtifactState::Published
        } else {
            before.state
        };
        let c = content;
        sqlx::query(
            "UPDATE artifacts SET kind = $1, title = $2, body = $3, context = $4, decision = $5, \
             consequences = $6, decision_status = $7, review_days = $8, state = $9, updated_at = $10, \
             last_confirmed_at = $10, revision = $11 WHERE id = $12",
        )
        .bind(c.kind.as_str())
        .bind(&c.title)
        .bind(&c.body)
        .bind(&c.context)
        .bind(&c.decision)
        .bind(&c.consequences)
        .bind(c.decision_status.map(|s| s.as_str()))
        .bind(c.review_days)
        .bind(state.as_str())
        .bind(millis(at))
        .bind(revision)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        set_tags(&mut tx, id, &c.tags).await?;
        let by = (Some(author), at);
        record_revision(&mut tx, id, revision, by, summary, c, restored_from).await?;
        let changed = (c.review_days != before.content.review_days).then_some(c.review_days);
        let who = (before.community_id, author, at);
        event(&mut tx, who, "artifact_revised", id, changed).await?;
        if state == ArtifactState::Published {
            search::index(&mut tx, self.backend, id, c).await?;
        }
        tx.commit().await?;
        Ok(revision)
    }

    /// Every version of artifact `id`, newest first.
    pub async fn artifact_revisions(&self, id: i64) -> Result<Vec<ArtifactRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.revision, r.author_id, p.display_name, r.at, r.summary, r.kind, r.title, r.body, \
             r.context, r.decision, r.consequences, r.decision_status, r.tags, r.review_days, \
             r.restored_from FROM artifact_revisions r LEFT JOIN people p ON p.id = r.author_id \
             WHERE r.artifact_id = $1 ORDER BY r.revision DESC",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                let tags: String = row.try_get("tags")?;
                let tags = tags
                    .split(", ")
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect();
                Ok(ArtifactRevision {
                    revision: row.try_get("revision")?,
                    author: author(row, "author_id", "display_name")?,
                    at: from_millis(row.try_get("at")?),
                    summary: row.try_get("summary")?,
                    content: content_from(row, tags)?,
                    restored_from: row.try_get("restored_from")?,
                })
            })
            .collect()
    }

    /// The people who wrote a revision of artifact `id`, first writer first.
    pub async fn artifact_contributors(&self, id: i64) -> Result<Vec<Author>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.display_name, MIN(r.revision) AS first FROM artifact_revisions r \
             JOIN people p ON p.id = r.author_id WHERE r.artifact_id = $1 \
             GROUP BY p.id, p.display_name ORDER BY first",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Author {
                    id: row.try_get("id")?,
                    name: row.try_get("display_name")?,
                })
            })
            .collect()
    }

    /// Gives artifact `id` a new owner, who must be a member of its community.
    pub async fn set_artifact_owner(&self, id: i64, owner: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, id).await?;
        writable(&mut tx, artifact.community_id).await?;
        let member: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM memberships WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL",
        )
        .bind(artifact.community_id)
        .bind(owner)
        .fetch_optional(&mut *tx)
        .await?;
        if member.is_none() {
            return Err(StoreError::Conflict {
                field: "owner",
                message: "the new owner must be a member of the community".into(),
            });
        }
        sqlx::query("UPDATE artifacts SET owner_id = $1 WHERE id = $2")
            .bind(owner)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The artifacts promoted from thread `thread` (or one of its answers).
    pub async fn artifacts_promoted_from(
        &self,
        thread: i64,
    ) -> Result<Vec<LinkedArtifact>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.kind, a.title, a.state FROM artifacts a \
             WHERE a.source_thread_id = $1 AND a.archived_at IS NULL ORDER BY a.id",
        )
        .bind(thread)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(links::linked_from).collect()
    }
}
