//! Personal access tokens for API clients. Only a hash of each token is
//! stored, with a short prefix so its owner can tell tokens apart.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, from_millis, millis};

/// A token as its owner sees it in a list (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Token id.
    pub id: i64,
    /// The owner's label for it.
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

fn info(row: &sqlx::any::AnyRow) -> Result<TokenInfo, sqlx::Error> {
    Ok(TokenInfo {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        created_at: from_millis(row.try_get("created_at")?),
        last_used_at: row
            .try_get::<Option<i64>, _>("last_used_at")?
            .map(from_millis),
        revoked_at: row
            .try_get::<Option<i64>, _>("revoked_at")?
            .map(from_millis),
    })
}

impl Store {
    /// Stores a new token for `person_id`.
    pub async fn create_token(
        &self,
        person_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        at: DateTime<Utc>,
    ) -> Result<TokenInfo, StoreError> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (person_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, name, prefix, created_at, last_used_at, revoked_at",
        )
        .bind(person_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(millis(at))
        .fetch_one(&self.write)
        .await?;
        Ok(info(&row)?)
    }

    /// The owner of an unrevoked token with this hash, noting its use.
    pub async fn token_owner(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .token_holder(token_hash, at, false)
            .await?
            .map(|h| h.person.id))
    }

    /// Notes that token `id` was used at `at`.
    pub(crate) async fn note_token_use(
        &self,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(millis(at))
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Every token of `person_id`, newest first.
    pub async fn tokens(&self, person_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE person_id = $1 ORDER BY id DESC",
        )
        .bind(person_id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.iter().map(info).collect::<Result<_, _>>()?)
    }

    /// Revokes token `id` of `person_id`; someone else's token is not found.
    pub async fn revoke_token(
        &self,
        person_id: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND person_id = $3",
        )
        .bind(millis(at))
        .bind(id)
        .bind(person_id)
        .execute(&self.write)
        .await?;
        crate::error::found(done)
    }
}
