//! An occurrence's notes as the source of artifacts: the number an artifact
//! names its occurrence by (`artifacts.source_occurrence_id`), and the
//! artifacts promoted from one occurrence's notes. The artifact itself is
//! made by [`Store::create_artifact`].

use domain::gathering::plan::OccurrenceRef;
use sqlx::Row;

use super::{ensure_occurrence, writable_series};
use crate::practice::LinkedArtifact;
use crate::{Store, StoreError, millis};

impl Store {
    /// The number of occurrence `r`, given on first use. It stays with the
    /// occurrence when a series change re-keys it.
    pub async fn occurrence_number(&self, r: &OccurrenceRef) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, r.series).await?;
        ensure_occurrence(&mut tx, r).await?;
        sqlx::query(
            "UPDATE gathering_occurrences SET id = (SELECT COALESCE(MAX(id), 0) + 1 FROM gathering_occurrences) \
             WHERE series_id = $1 AND recurrence_id = $2 AND id IS NULL",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM gathering_occurrences WHERE series_id = $1 AND recurrence_id = $2",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The artifacts promoted from the notes of occurrence `r` (archived
    /// ones left out), oldest first.
    pub async fn artifacts_from_occurrence(
        &self,
        r: &OccurrenceRef,
    ) -> Result<Vec<LinkedArtifact>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.kind, a.title, a.state FROM artifacts a \
             JOIN gathering_occurrences o ON o.id = a.source_occurrence_id \
             WHERE o.series_id = $1 AND o.recurrence_id = $2 AND a.archived_at IS NULL ORDER BY a.id",
        )
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .fetch_all(self.reader())
        .await?;
        let bad = |what: &str| {
            StoreError::Database(sqlx::Error::Decode(
                format!("bad {what} in artifacts").into(),
            ))
        };
        rows.iter()
            .map(|row| {
                Ok(LinkedArtifact {
                    id: row.try_get("id")?,
                    kind: row
                        .try_get::<String, _>("kind")?
                        .parse()
                        .map_err(|_| bad("kind"))?,
                    title: row.try_get("title")?,
                    state: row
                        .try_get::<String, _>("state")?
                        .parse()
                        .map_err(|_| bad("state"))?,
                })
            })
            .collect()
    }
}
