//! Adoption of practice artifacts by the organisation's teams: which team
//! adopted which artifact and from when (one record per team and artifact),
//! removing a mistaken record, and the facts a community's influence page is
//! computed from. Adoption has no activity kind in the log (METRICS.md), so
//! nothing is appended here.

use chrono::{DateTime, NaiveDate, Utc};
use domain::influence::AdoptionFact;
use sqlx::Row;

use crate::{Store, StoreError, from_millis, millis};

/// An artifact as adoption needs it: where it lives and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptedArtifact {
    /// Id.
    pub id: i64,
    /// Its community.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// Whether it is archived.
    pub archived: bool,
}

/// One team's adoption of one artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// Id.
    pub id: i64,
    /// The artifact.
    pub artifact_id: i64,
    /// The team's name.
    pub team: String,
    /// From when the team uses it.
    pub adopted_on: NaiveDate,
    /// Where or how, in a line.
    pub note: String,
    /// Who recorded it: id and name.
    pub recorded_by: Option<(i64, String)>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

fn day(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("bad adoption date {text:?}").into(),
        ))
    })
}

const COLUMNS: &str = "a.id, a.artifact_id, t.name AS team, a.adopted_on, a.note, a.recorded_by, \
     p.display_name AS recorder, a.recorded_at \
     FROM adoptions a JOIN teams t ON t.id = a.team_id LEFT JOIN people p ON p.id = a.recorded_by";

fn adoption_from(row: &sqlx::any::AnyRow) -> Result<Adoption, StoreError> {
    let recorded_by = match (
        row.try_get::<Option<i64>, _>("recorded_by")?,
        row.try_get::<Option<String>, _>("recorder")?,
    ) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => None,
    };
    Ok(Adoption {
        id: row.try_get("id")?,
        artifact_id: row.try_get("artifact_id")?,
        team: row.try_get("team")?,
        adopted_on: day(&row.try_get::<String, _>("adopted_on")?)?,
        note: row.try_get("note")?,
        recorded_by,
        recorded_at: from_millis(row.try_get("recorded_at")?),
    })
}

impl Store {
    /// Artifact `id` as adoption sees it.
    pub async fn adopted_artifact(&self, id: i64) -> Result<AdoptedArtifact, StoreError> {
        let row =
            sqlx::query("SELECT id, community_id, title, archived_at FROM artifacts WHERE id = $1")
                .bind(id)
                .fetch_optional(self.reader())
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(AdoptedArtifact {
            id: row.try_get("id")?,
            community_id: row.try_get("community_id")?,
            title: row.try_get("title")?,
            archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
        })
    }

    /// The id of the team called `name`, if there is one.
    pub async fn team_named(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM teams WHERE name = $1")
            .bind(name)
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("id")?),
            None => None,
        })
    }

    /// Records that team `team` adopted artifact `artifact` on `adopted_on`;
    /// a second record for the same team is a conflict on `team`.
    pub async fn record_adoption(
        &self,
        artifact: i64,
        team: i64,
        adopted_on: NaiveDate,
        note: &str,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO adoptions (artifact_id, team_id, adopted_on, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(artifact)
        .bind(team)
        .bind(adopted_on.format("%Y-%m-%d").to_string())
        .bind(note)
        .bind(by)
        .bind(millis(at))
        .fetch_one(&self.write)
        .await
        .map_err(StoreError::unique(
            "team",
            "this team's adoption of this artifact is already recorded",
        ))?;
        Ok(row.try_get("id")?)
    }

    /// Adoption record `id`.
    pub async fn adoption(&self, id: i64) -> Result<Adoption, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        adoption_from(&row)
    }

    /// The teams that adopted artifact `artifact`, earliest first.
    pub async fn adoptions(&self, artifact: i64) -> Result<Vec<Adoption>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} WHERE a.artifact_id = $1 ORDER BY a.adopted_on, t.name"
        ))
        .bind(artifact)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(adoption_from).collect()
    }

    /// Removes adoption record `id` (a mistaken one).
    pub async fn remove_adoption(&self, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM adoptions WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        crate::error::found(done)
    }

    /// Every adoption of `community`'s artifacts that are not archived, for
    /// its influence page.
    pub async fn community_adoptions(
        &self,
        community: i64,
    ) -> Result<Vec<AdoptionFact>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.artifact_id, f.title, t.name AS team, a.adopted_on FROM adoptions a \
             JOIN artifacts f ON f.id = a.artifact_id JOIN teams t ON t.id = a.team_id \
             WHERE f.community_id = $1 AND f.archived_at IS NULL ORDER BY a.adopted_on, a.id",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AdoptionFact {
                    artifact_id: row.try_get("artifact_id")?,
                    title: row.try_get("title")?,
                    team: row.try_get("team")?,
                    adopted_on: day(&row.try_get::<String, _>("adopted_on")?)?,
                })
            })
            .collect()
    }

    /// The artifacts of `community` that are not archived, with how many
    /// teams adopted each, most adopted first, then by title.
    pub async fn artifacts_by_adoption(
        &self,
        community: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.id, f.title, (SELECT COUNT(*) FROM adoptions a WHERE a.artifact_id = f.id) AS teams \
             FROM artifacts f WHERE f.community_id = $1 AND f.archived_at IS NULL \
             ORDER BY teams DESC, f.title, f.id",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("id")?,
                    row.try_get("title")?,
                    row.try_get("teams")?,
                ))
            })
            .collect()
    }
}
