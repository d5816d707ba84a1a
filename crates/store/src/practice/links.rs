//! Links from an artifact to threads and to other artifacts of the same
//! community, and the backlinks each side shows.

use chrono::{DateTime, Utc};
use domain::practice::{ArtifactKind, ArtifactState};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{decode, load};
use crate::communities::writable;
use crate::{Store, StoreError, millis};

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another artifact.
    Artifact(i64),
    /// A thread.
    Thread(i64),
}

/// An artifact as a link or backlink names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedArtifact {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: ArtifactKind,
    /// Title.
    pub title: String,
    /// Draft or published.
    pub state: ArtifactState,
}

/// A thread as a link names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedThread {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
}

/// An artifact's links and backlinks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// Artifacts it links to.
    pub artifacts: Vec<LinkedArtifact>,
    /// Threads it links to (hidden ones left out).
    pub threads: Vec<LinkedThread>,
    /// Artifacts that link to it.
    pub backlinks: Vec<LinkedArtifact>,
}

pub(super) fn linked_from(row: &AnyRow) -> Result<LinkedArtifact, StoreError> {
    Ok(LinkedArtifact {
        id: row.try_get("id")?,
        kind: decode(&row.try_get::<String, _>("kind")?, "artifact kind")?,
        title: row.try_get("title")?,
        state: decode(&row.try_get::<String, _>("state")?, "artifact state")?,
    })
}

impl Store {
    /// Links artifact `from` to `target`, which must be of the same
    /// community. Linking twice is the same as once.
    pub async fn link_artifact(
        &self,
        from: i64,
        target: LinkTarget,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, from).await?;
        writable(&mut tx, artifact.community_id).await?;
        let (sql, id) = match target {
            LinkTarget::Artifact(id) => ("SELECT community_id FROM artifacts WHERE id = $1", id),
            LinkTarget::Thread(id) => ("SELECT community_id FROM threads WHERE id = $1", id),
        };
        let community: Option<i64> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if community != Some(artifact.community_id) || target == LinkTarget::Artifact(from) {
            return Err(StoreError::Conflict {
                field: "target",
                message: "link to another artifact or a thread of the same community".into(),
            });
        }
        let (to_artifact, to_thread) = match target {
            LinkTarget::Artifact(id) => (Some(id), None),
            LinkTarget::Thread(id) => (None, Some(id)),
        };
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM artifact_links WHERE from_artifact_id = $1 \
             AND (to_artifact_id = $2 OR to_thread_id = $3)",
        )
        .bind(from)
        .bind(to_artifact.unwrap_or(-1))
        .bind(to_thread.unwrap_or(-1))
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            sqlx::query(
                "INSERT INTO artifact_links (from_artifact_id, to_artifact_id, to_thread_id, created_by, at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(from)
            .bind(to_artifact)
            .bind(to_thread)
            .bind(by)
            .bind(millis(at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes the link from artifact `from` to `target`, if there is one.
    pub async fn unlink_artifact(&self, from: i64, target: LinkTarget) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, from).await?;
        writable(&mut tx, artifact.community_id).await?;
        let (to_artifact, to_thread) = match target {
            LinkTarget::Artifact(id) => (id, -1),
            LinkTarget::Thread(id) => (-1, id),
        };
        sqlx::query(
            "DELETE FROM artifact_links WHERE from_artifact_id = $1 \
             AND (to_artifact_id = $2 OR to_thread_id = $3)",
        )
        .bind(from)
        .bind(to_artifact)
        .bind(to_thread)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Artifact `id`'s links and backlinks.
    pub async fn artifact_links(&self, id: i64) -> Result<Links, StoreError> {
        let artifacts = sqlx::query(
            "SELECT a.id, a.kind, a.title, a.state FROM artifact_links l \
             JOIN artifacts a ON a.id = l.to_artifact_id \
             WHERE l.from_artifact_id = $1 AND a.archived_at IS NULL ORDER BY l.id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        let threads = sqlx::query(
            "SELECT t.id, t.title FROM artifact_links l JOIN threads t ON t.id = l.to_thread_id \
             WHERE l.from_artifact_id = $1 AND t.hidden_at IS NULL ORDER BY l.id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        let backlinks = sqlx::query(
            "SELECT a.id, a.kind, a.title, a.state FROM artifact_links l \
             JOIN artifacts a ON a.id = l.from_artifact_id \
             WHERE l.to_artifact_id = $1 AND a.archived_at IS NULL ORDER BY l.id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        Ok(Links {
            artifacts: artifacts
                .iter()
                .map(linked_from)
                .collect::<Result<_, _>>()?,
            threads: threads
                .iter()
                .map(|row| {
                    Ok::<_, StoreError>(LinkedThread {
                        id: row.try_get("id")?,
                        title: row.try_get("title")?,
                    })
                })
                .collect::<Result<_, _>>()?,
            backlinks: backlinks
                .iter()
                .map(linked_from)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The artifacts that link to thread `thread` (its backlinks).
    pub async fn artifacts_linking_thread(
        &self,
        thread: i64,
    ) -> Result<Vec<LinkedArtifact>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.kind, a.title, a.state FROM artifact_links l \
             JOIN artifacts a ON a.id = l.from_artifact_id \
             WHERE l.to_thread_id = $1 AND a.archived_at IS NULL ORDER BY l.id",
        )
        .bind(thread)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(linked_from).collect()
    }
}
