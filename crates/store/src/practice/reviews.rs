//! Living documentation: owners and stewards mark an artifact reviewed
//! ("still true"), which restarts its review interval; stale lists per
//! community and per owner; orphaned artifacts (their owner left) for
//! stewards to re-home.

use chrono::{DateTime, Utc};

use super::{ARTIFACT_COLUMNS, ARTIFACT_FROM, Artifact, event, load};
use crate::communities::writable;
use crate::{Store, StoreError, millis};

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

impl Store {
    /// Marks artifact `id` reviewed by `reviewer` at `at` with an optional
    /// note, appending `artifact_reviewed`.
    pub async fn review_artifact(
        &self,
        id: i64,
        reviewer: i64,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, id).await?;
        writable(&mut tx, artifact.community_id).await?;
        sqlx::query(
            "INSERT INTO artifact_reviews (artifact_id, reviewer_id, at, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(reviewer)
        .bind(millis(at))
        .bind(note)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE artifacts SET last_reviewed_at = $1, last_reviewed_by = $2, \
             last_confirmed_at = CASE WHEN last_confirmed_at > $1 THEN last_confirmed_at ELSE $1 END \
             WHERE id = $3",
        )
        .bind(millis(at))
        .bind(reviewer)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let who = (artifact.community_id, reviewer, at);
        event(&mut tx, who, "artifact_reviewed", id, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Artifacts stale at `now` (`now >= last confirmed + review_days`), in a
    /// community and/or owned by a person, longest overdue first, at most
    /// `limit`. Drafts are not listed: they are not yet part of the practice.
    pub async fn stale_artifacts(
        &self,
        community: Option<i64>,
        owner: Option<i64>,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Artifact>, StoreError> {
        let sql = format!(
            "SELECT {ARTIFACT_COLUMNS} FROM {ARTIFACT_FROM} WHERE a.archived_at IS NULL \
             AND a.state = 'published' AND a.last_confirmed_at + a.review_days * {DAY_MS} <= $1 \
             AND ($2 = 0 OR a.community_id = $2) AND ($3 = 0 OR a.owner_id = $3) \
             ORDER BY a.last_confirmed_at + a.review_days * {DAY_MS}, a.id LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(millis(now))
            .bind(community.unwrap_or_default())
            .bind(owner.unwrap_or_default())
            .bind(limit)
            .fetch_all(self.reader())
            .await?;
        self.with_artifact_tags(rows).await
    }

    /// A community's artifacts whose owner is no longer a member (or that
    /// have none), oldest first: stewards re-home them by naming a new owner.
    pub async fn orphaned_artifacts(&self, community: i64) -> Result<Vec<Artifact>, StoreError> {
        let sql = format!(
            "SELECT {ARTIFACT_COLUMNS} FROM {ARTIFACT_FROM} WHERE a.community_id = $1 \
             AND a.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM memberships m \
               WHERE m.community_id = a.community_id AND m.person_id = a.owner_id AND m.left_at IS NULL) \
             ORDER BY a.created_at, a.id"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .fetch_all(self.reader())
            .await?;
        self.with_artifact_tags(rows).await
    }
}
