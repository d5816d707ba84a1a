//! A community's life: setting its stage, archiving it (read-only, kept),
//! merging it into another (members, content and history move; the old
//! address keeps pointing at the new home), splitting a new community from
//! it (with a link back), and the history that records each change.

use chrono::{DateTime, Utc};
use domain::charter::Charter;
use domain::community::{HistoryKind, Stage};
use sqlx::Row;

use super::membership::{current_role, end_membership};
use super::{Entry, insert_community, record, writable};
use crate::{Store, StoreError, from_millis, millis};

/// One entry of a community's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Its place in the history.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: HistoryKind,
    /// Who did it.
    pub actor_name: Option<String>,
    /// The member concerned, if any.
    pub person_id: Option<i64>,
    /// Their name.
    pub person_name: Option<String>,
    /// The other community concerned (merge, split), if any.
    pub other_community: Option<i64>,
    /// Details: the role change, the fields revised, a name.
    pub detail: String,
    /// The actor's team at the time.
    pub team: Option<String>,
}

impl Store {
    /// Sets the stage of `community`, by `actor`.
    pub async fn set_stage(
        &self,
        community: i64,
        actor: i64,
        stage: Stage,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let c = writable(&mut tx, community).await?;
        if c.stage == stage {
            return Ok(());
        }
        sqlx::query("UPDATE communities SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(stage.as_str())
            .bind(millis(at))
            .bind(community)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            Entry {
                community,
                at,
                actor: Some(actor),
                kind: HistoryKind::StageChanged,
                person: None,
                other: None,
                detail: &format!("{} → {stage}", c.stage),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Archives `community`: from now on it is read-only, and everything in it is kept.
    pub async fn archive(
        &self,
        community: i64,
        actor: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, community).await?;
        sqlx::query("UPDATE communities SET archived_at = $1, updated_at = $1 WHERE id = $2")
            .bind(millis(at))
            .bind(community)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            Entry {
                community,
                at,
                actor: Some(actor),
                kind: HistoryKind::Archived,
                person: None,
                other: None,
                detail: "",
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Merges `source` into `target`, by `actor`. Members of both keep their
    /// place in `target` (their spell in `source` ends, with a `left` event);
    /// every other membership, past and present, the activity log, requests
    /// and history move to `target`. `source` keeps its charter revisions,
    /// becomes read-only and points at `target`.
    pub async fn merge(
        &self,
        source: i64,
        target: i64,
        actor: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if source == target {
            return Err(StoreError::Conflict {
                field: "into",
                message: "a community cannot be merged into itself".into(),
            });
        }
        let mut tx = self.begin().await?;
        let from = writable(&mut tx, source).await?;
        let into = writable(&mut tx, target).await.map_err(|e| match e {
            StoreError::Conflict { message, .. } => StoreError::Conflict {
                field: "into",
                message,
            },
            other => other,
        })?;
        let both = sqlx::query(
            "SELECT m.person_id FROM memberships m WHERE m.community_id = $1 AND m.left_at IS NULL \
             AND EXISTS (SELECT 1 FROM memberships t WHERE t.community_id = $2 \
               AND t.person_id = m.person_id AND t.left_at IS NULL)",
        )
        .bind(source)
        .bind(target)
        .fetch_all(&mut *tx)
        .await?;
        for row in both {
            let person: i64 = row.try_get("person_id")?;
            end_membership(&mut tx, source, person, at).await?;
        }
        for table in [
            "memberships",
            "activity",
            "membership_requests",
            "community_history",
            "threads",
        ] {
            // The table names are our own constants.
            sqlx::query(&format!(
                "UPDATE {table} SET community_id = $1 WHERE community_id = $2"
            ))
            .bind(target)
            .bind(source)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE communities SET merged_into = $1, archived_at = $2, updated_at = $2, stage = $3 WHERE id = $4",
        )
        .bind(target)
        .bind(millis(at))
        .bind(Stage::Transformation.as_str())
        .bind(source)
        .execute(&mut *tx)
        .await?;
        for (community, kind, other, name) in [
            (source, HistoryKind::MergedInto, target, &into.charter.name),
            (target, HistoryKind::MergedFrom, source, &from.charter.name),
        ] {
            record(
                &mut tx,
                Entry {
                    community,
                    at,
                    actor: Some(actor),
                    kind,
                    person: None,
                    other: Some(other),
                    detail: name,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Splits a new community at `slug` with `charter` from `source`, by
    /// `actor` (its first steward), inviting `invite` (current members of
    /// `source`). Both communities record the split and link to each other.
    pub async fn split(
        &self,
        source: i64,
        actor: i64,
        slug: &str,
        charter: &Charter,
        invite: &[i64],
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let from = writable(&mut tx, source).await?;
        let id = insert_community(&mut tx, slug, charter, actor, Some(source), at).await?;
        for (community, kind, other, name) in [
            (source, HistoryKind::SplitInto, id, &charter.name),
            (id, HistoryKind::SplitFrom, source, &from.charter.name),
        ] {
            record(
                &mut tx,
                Entry {
                    community,
                    at,
                    actor: Some(actor),
                    kind,
                    person: None,
                    other: Some(other),
                    detail: name,
                },
            )
            .await?;
        }
        for &person in invite {
            if person == actor {
                continue;
            }
            if current_role(&mut tx, source, person).await?.is_none() {
                return Err(StoreError::Conflict {
                    field: "invite",
                    message: format!(
                        "person {person} is not a member of the community being split"
                    ),
                });
            }
            super::requests::invite_in(&mut tx, id, actor, person, "", at).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The communities split from `community`, as (id, name, slug).
    pub async fn splits_of(
        &self,
        community: i64,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        let rows =
            sqlx::query("SELECT id, name, slug FROM communities WHERE split_from = $1 ORDER BY id")
                .bind(community)
                .fetch_all(self.reader())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("slug")?)))
            .collect()
    }

    /// `community`'s history, newest first (at most `limit` entries).
    pub async fn history(
        &self,
        community: i64,
        limit: i64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.history_before(community, None, limit).await
    }

    /// Like [`Store::history`], continuing before the entry at (instant in
    /// milliseconds, id) `before`.
    pub async fn history_before(
        &self,
        community: i64,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let (before_at, before_id) = before.unwrap_or_default();
        let rows = sqlx::query(
            "SELECT h.id, h.at, h.kind, a.display_name AS actor_name, h.person_id, p.display_name AS person_name, \
               h.other_community_id, h.detail, h.team \
             FROM community_history h LEFT JOIN people a ON a.id = h.actor_id \
             LEFT JOIN people p ON p.id = h.person_id \
             WHERE h.community_id = $1 AND ($2 = 0 OR h.at < $3 OR (h.at = $3 AND h.id < $4)) \
             ORDER BY h.at DESC, h.id DESC LIMIT $5",
        )
        .bind(community)
        .bind(i64::from(before.is_some()))
        .bind(before_at)
        .bind(before_id)
        .bind(limit.clamp(1, 5000))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .filter_map(|row| {
                let kind: HistoryKind = match row.try_get::<String, _>("kind") {
                    Ok(text) => text.parse().ok()?,
                    Err(e) => return Some(Err(e.into())),
                };
                Some((|| {
                    Ok(HistoryEntry {
                        id: row.try_get("id")?,
                        at: from_millis(row.try_get("at")?),
                        kind,
                        actor_name: row.try_get("actor_name")?,
                        person_id: row.try_get("person_id")?,
                        person_name: row.try_get("person_name")?,
                        other_community: row.try_get("other_community_id")?,
                        detail: row.try_get("detail")?,
                        team: row.try_get("team")?,
                    })
                })())
            })
            .collect()
    }

    /// Where requests to `slug` end up after merges: the id of the last
    /// community in the chain of merges starting at it, if it was merged.
    pub async fn merged_home(&self, slug: &str) -> Result<Option<i64>, StoreError> {
        let mut next = sqlx::query("SELECT merged_into FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.reader())
            .await?
            .map(|r| r.try_get::<Option<i64>, _>("merged_into"))
            .transpose()?
            .flatten();
        let mut home = None;
        // Chains are short; the bound guards against a cycle written by hand.
        for _ in 0..32 {
            let Some(id) = next else { break };
            home = Some(id);
            next = sqlx::query("SELECT merged_into FROM communities WHERE id = $1")
                .bind(id)
                .fetch_optional(self.reader())
                .await?
                .map(|r| r.try_get::<Option<i64>, _>("merged_into"))
                .transpose()?
                .flatten();
        }
        Ok(home)
    }
}
