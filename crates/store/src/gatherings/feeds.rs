//! Calendar feed tokens: a person's unguessable, revocable key to an
//! iCalendar feed, either of one community or of all their communities.
//! Only the SHA-256 digest of a token is stored (the web layer makes and
//! hashes it), with a short prefix so its owner can tell tokens apart.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, from_millis, millis};

/// A feed token as its owner sees it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedToken {
    /// Id.
    pub id: i64,
    /// Whose.
    pub person_id: i64,
    /// The community whose gatherings it shows; `None`: all of the owner's.
    pub community_id: Option<i64>,
    /// That community's address.
    pub community_slug: Option<String>,
    /// The first characters, to recognise it.
    pub prefix: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "f.id, f.person_id, f.community_id, c.slug, f.prefix, f.created_at, f.revoked_at \
     FROM feed_tokens f LEFT JOIN communities c ON c.id = f.community_id";

fn token_from(row: &sqlx::any::AnyRow) -> Result<FeedToken, sqlx::Error> {
    Ok(FeedToken {
        id: row.try_get(0)?,
        person_id: row.try_get(1)?,
        community_id: row.try_get(2)?,
        community_slug: row.try_get(3)?,
        prefix: row.try_get(4)?,
        created_at: from_millis(row.try_get(5)?),
        revoked_at: row.try_get::<Option<i64>, _>(6)?.map(from_millis),
    })
}

impl Store {
    /// Stores a new feed token of `person` (its digest and prefix).
    pub async fn create_feed_token(
        &self,
        person: i64,
        community: Option<i64>,
        token_hash: &str,
        prefix: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO feed_tokens (person_id, community_id, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(person)
        .bind(community)
        .bind(token_hash)
        .bind(prefix)
        .bind(millis(at))
        .fetch_one(&self.write)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// The unrevoked feed token with this digest.
    pub async fn feed_token(&self, token_hash: &str) -> Result<Option<FeedToken>, StoreError> {
        let sql = format!("SELECT {COLUMNS} WHERE f.token_hash = $1 AND f.revoked_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.as_ref().map(token_from).transpose()?)
    }

    /// Every feed token of `person`, newest first.
    pub async fn feed_tokens(&self, person: i64) -> Result<Vec<FeedToken>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE f.person_id = $1 ORDER BY f.created_at DESC, f.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(person)
            .fetch_all(self.reader())
            .await?;
        Ok(rows.iter().map(token_from).collect::<Result<_, _>>()?)
    }

    /// Revokes `person`'s feed token `id`; revoking twice changes nothing.
    pub async fn revoke_feed_token(
        &self,
        person: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE feed_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND person_id = $3",
        )
        .bind(millis(at))
        .bind(id)
        .bind(person)
        .execute(&self.write)
        .await?;
        crate::error::found(done)
    }
}
