//! Reuse: "I used this", by whom, for which team (theirs unless they name
//! another) and where; counts and uses by team.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{author, event, load};
use crate::communities::writable;
use crate::threads::Author;
use crate::{Store, StoreError, from_millis, millis};

/// One recorded use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reuse {
    /// Who used it.
    pub person: Option<Author>,
    /// For which team.
    pub team: Option<String>,
    /// Where, in their words.
    pub note: String,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// How many uses a team recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamUses {
    /// The team; `None` for uses with no team.
    pub team: Option<String>,
    /// How many.
    pub uses: i64,
}

impl Store {
    /// Records that `person` used artifact `id`, for `team` (their own team
    /// when `None`) with a note, appending `artifact_reused`.
    pub async fn record_reuse(
        &self,
        id: i64,
        person: i64,
        team: Option<&str>,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let artifact = load(&mut tx, id).await?;
        writable(&mut tx, artifact.community_id).await?;
        let team = match team {
            Some(team) => Some(team.to_owned()),
            None => sqlx::query(
                "SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = $1",
            )
            .bind(person)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get::<String, _>("name"))
            .transpose()?,
        };
        sqlx::query(
            "INSERT INTO artifact_reuses (artifact_id, person_id, team, note, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(person)
        .bind(team)
        .bind(note)
        .bind(millis(at))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE artifacts SET reuse_count = reuse_count + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let who = (artifact.community_id, person, at);
        event(&mut tx, who, "artifact_reused", id, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The uses of artifact `id`, newest first, at most `limit`.
    pub async fn artifact_reuses(&self, id: i64, limit: i64) -> Result<Vec<Reuse>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.person_id, p.display_name, u.team, u.note, u.at FROM artifact_reuses u \
             LEFT JOIN people p ON p.id = u.person_id WHERE u.artifact_id = $1 \
             ORDER BY u.at DESC, u.id DESC LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Reuse {
                    person: author(row, "person_id", "display_name")?,
                    team: row.try_get("team")?,
                    note: row.try_get("note")?,
                    at: from_millis(row.try_get("at")?),
                })
            })
            .collect()
    }

    /// Uses of artifact `id` by team, most uses first (then by name).
    pub async fn artifact_uses_by_team(&self, id: i64) -> Result<Vec<TeamUses>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.team, COUNT(*) AS uses FROM artifact_reuses u WHERE u.artifact_id = $1 \
             GROUP BY u.team ORDER BY uses DESC, u.team",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TeamUses {
                    team: row.try_get("team")?,
                    uses: row.try_get("uses")?,
                })
            })
            .collect()
    }
}
