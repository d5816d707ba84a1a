//! A community's slice of the activity log, newest first, as its history
//! page shows it: who did what, when, and the team stamped on the event.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, from_millis};

/// One event of the activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    /// Its place in the log.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The METRICS.md kind.
    pub kind: String,
    /// The actor's id, if attributed.
    pub actor_id: Option<i64>,
    /// The actor's name now.
    pub actor_name: Option<String>,
    /// The actor's team at the time of the event.
    pub team: Option<String>,
}

impl Store {
    /// The latest `limit` events of `community`'s activity log, newest first.
    pub async fn community_activity(
        &self,
        community: i64,
        limit: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        self.community_activity_before(community, None, limit).await
    }

    /// Like [`Store::community_activity`], continuing before the event at
    /// (instant in milliseconds, id) `before`.
    pub async fn community_activity_before(
        &self,
        community: i64,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<LoggedEvent>, StoreError> {
        let (at, id) = before.unwrap_or_default();
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.kind, a.actor_id, p.display_name AS actor_name, a.team \
             FROM activity a LEFT JOIN people p ON p.id = a.actor_id \
             WHERE a.community_id = $1 AND ($2 = 0 OR a.at < $3 OR (a.at = $3 AND a.id < $4)) \
             ORDER BY a.at DESC, a.id DESC LIMIT $5",
        )
        .bind(community)
        .bind(i64::from(before.is_some()))
        .bind(at)
        .bind(id)
        .bind(limit.clamp(1, 5000))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LoggedEvent {
                    id: row.try_get("id")?,
                    at: from_millis(row.try_get("at")?),
                    kind: row.try_get("kind")?,
                    actor_id: row.try_get("actor_id")?,
                    actor_name: row.try_get("actor_name")?,
                    team: row.try_get("team")?,
                })
            })
            .collect()
    }
}
