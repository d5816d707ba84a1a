//! Rotating facilitation in the store: who volunteers for a series, who
//! declined which occurrence, and who facilitated what (the history the
//! rotation balances, per series and per person).

use chrono::{DateTime, Utc};
use domain::gathering::plan::OccurrenceRef;
use sqlx::Row;

use super::writable_series;
use crate::{Store, StoreError, from_millis, millis};

/// Someone facilitated an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facilitation {
    /// The series.
    pub series_id: i64,
    /// Its title.
    pub series_title: String,
    /// The occurrence.
    pub recurrence_id: DateTime<Utc>,
    /// Who facilitated.
    pub person_id: i64,
    /// Their name.
    pub display_name: String,
    /// When it was recorded as held.
    pub held_at: DateTime<Utc>,
}

impl Store {
    /// `person` volunteers to facilitate series `series` (again: no change).
    pub async fn volunteer(
        &self,
        series: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, series).await?;
        sqlx::query(
            "INSERT INTO gathering_volunteers (series_id, person_id, since) VALUES ($1, $2, $3) \
             ON CONFLICT (series_id, person_id) DO NOTHING",
        )
        .bind(series)
        .bind(person)
        .bind(millis(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `person` stops volunteering for series `series`.
    pub async fn withdraw_volunteer(&self, series: i64, person: i64) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, series).await?;
        sqlx::query("DELETE FROM gathering_volunteers WHERE series_id = $1 AND person_id = $2")
            .bind(series)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The volunteers of series `series`: (person id, name), by name.
    pub async fn volunteers(&self, series: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.person_id, p.display_name FROM gathering_volunteers v JOIN people p ON p.id = v.person_id \
             WHERE v.series_id = $1 ORDER BY p.display_name, v.person_id",
        )
        .bind(series)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }

    /// `person` cannot facilitate the occurrence `r` (or can again, when
    /// `declined` is false).
    pub async fn decline_facilitation(
        &self,
        r: &OccurrenceRef,
        person: i64,
        declined: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, r.series).await?;
        let sql = if declined {
            "INSERT INTO gathering_declines (series_id, recurrence_id, person_id) VALUES ($1, $2, $3) \
             ON CONFLICT (series_id, recurrence_id, person_id) DO NOTHING"
        } else {
            "DELETE FROM gathering_declines WHERE series_id = $1 AND recurrence_id = $2 AND person_id = $3"
        };
        sqlx::query(sql)
            .bind(r.series)
            .bind(millis(r.recurrence_id))
            .bind(person)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who declined which occurrence of series `series`: (person id, recurrence id).
    pub async fn facilitation_declines(
        &self,
        series: i64,
    ) -> Result<Vec<(i64, DateTime<Utc>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT person_id, recurrence_id FROM gathering_declines WHERE series_id = $1 ORDER BY recurrence_id, person_id",
        )
        .bind(series)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, from_millis(row.try_get(1)?))))
            .collect()
    }

    /// Who facilitated the held occurrences of series `series` (or, with
    /// `person`, everything that person facilitated), oldest first.
    pub async fn facilitations(
        &self,
        series: Option<i64>,
        person: Option<i64>,
    ) -> Result<Vec<Facilitation>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.series_id, s.title, o.recurrence_id, o.facilitator_id, p.display_name, o.held_at \
             FROM gathering_occurrences o JOIN gathering_series s ON s.id = o.series_id \
             JOIN people p ON p.id = o.facilitator_id \
             WHERE o.held_at IS NOT NULL AND ($1 = 0 OR o.series_id = $2) AND ($3 = 0 OR o.facilitator_id = $4) \
             ORDER BY o.recurrence_id, o.series_id",
        )
        .bind(i64::from(series.is_some()))
        .bind(series.unwrap_or_default())
        .bind(i64::from(person.is_some()))
        .bind(person.unwrap_or_default())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Facilitation {
                    series_id: row.try_get(0)?,
                    series_title: row.try_get(1)?,
                    recurrence_id: from_millis(row.try_get(2)?),
                    person_id: row.try_get(3)?,
                    display_name: row.try_get(4)?,
                    held_at: from_millis(row.try_get(5)?),
                })
            })
            .collect()
    }
}
