//! Server-side log-in sessions, shared by every server process through the
//! database. Only a hash of the session secret is stored.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, from_millis, millis};

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub person_id: i64,
    /// The token forms must echo back.
    pub csrf_token: String,
    /// When it stops being valid.
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Records a new session under the hash of its secret.
    pub async fn create_session(
        &self,
        id_hash: &str,
        person_id: i64,
        csrf_token: &str,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        // Expired sessions are swept as new ones are made.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(millis(at))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(person_id)
        .bind(csrf_token)
        .bind(millis(at))
        .bind(millis(expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session with this hash, if it exists and has not expired at `now`.
    pub async fn session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query("SELECT person_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash)
            .bind(millis(now))
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(row) => Some(Session {
                person_id: row.try_get("person_id")?,
                csrf_token: row.try_get("csrf_token")?,
                expires_at: from_millis(row.try_get("expires_at")?),
            }),
            None => None,
        })
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
