//! Failed log-in attempts, kept in the database so that the limit holds
//! across every server process.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, millis};

impl Store {
    /// Records a failed attempt under each key (e.g. the e-mail and the client address).
    pub async fn record_login_failure(
        &self,
        keys: &[&str],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        // Keep the table small: nothing older than a day matters.
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(millis(at) - 86_400_000)
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                .bind(*key)
                .bind(millis(at))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Failed attempts under `key` since `since`.
    pub async fn login_failures_since(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE key = $1 AND at >= $2")
                .bind(key)
                .bind(millis(since))
                .fetch_one(self.reader())
                .await?
                .try_get("n")?,
        )
    }

    /// Forgets the failures under `key` (after a successful log-in).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
