//! One person, one identity: merging two people (an imported identity into
//! an account, their history following in one transaction) and the one-time
//! links with which an imported person, who has no password, claims their
//! account.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError, millis};

/// Columns naming a person that simply move to the surviving person.
const MOVES: &[(&str, &str)] = &[
    ("threads", "author_id"),
    ("replies", "author_id"),
    ("post_revisions", "editor_id"),
    ("activity", "actor_id"),
    ("activity", "reply_to"),
    ("kudos", "from_id"),
    ("kudos", "to_id"),
    ("notifications", "person_id"),
    ("notifications", "actor_id"),
    ("community_history", "actor_id"),
    ("community_history", "person_id"),
    ("membership_requests", "person_id"),
    ("membership_requests", "asked_by"),
    ("membership_requests", "decided_by"),
    ("communities", "created_by"),
    ("charter_revisions", "editor_id"),
    ("pulses", "opened_by"),
    ("gathering_series", "created_by"),
    ("gathering_occurrences", "facilitator_id"),
    ("gathering_attendance", "recorded_by"),
    ("import_keys", "person_id"),
    ("artifacts", "owner_id"),
    ("artifacts", "created_by"),
    ("artifacts", "last_reviewed_by"),
    ("artifact_revisions", "author_id"),
    ("artifact_reviews", "reviewer_id"),
    ("artifact_reuses", "person_id"),
    ("artifact_links", "created_by"),
    ("experiments", "owner_id"),
    ("experiments", "created_by"),
    ("adoptions", "recorded_by"),
    ("duplicate_decisions", "decided_by"),
];

/// Tables where a person may appear once per key: the merged person's row
/// moves unless the surviving person already has one for the same key.
const UNIQUE_MOVES: &[(&str, &str, &[&str])] = &[
    (
        "reactions",
        "person_id",
        &["thread_id", "reply_id", "reaction"],
    ),
    ("pulse_respondents", "person_id", &["pulse_id"]),
    (
        "gathering_rsvps",
        "person_id",
        &["series_id", "recurrence_id"],
    ),
    ("gathering_series_rsvps", "person_id", &["series_id"]),
    (
        "gathering_attendance",
        "person_id",
        &["series_id", "recurrence_id"],
    ),
    ("gathering_volunteers", "person_id", &["series_id"]),
    (
        "gathering_declines",
        "person_id",
        &["series_id", "recurrence_id"],
    ),
];

/// What the merged person had that does not move: their ways in.
const DROPS: &[&str] = &["sessions", "api_tokens", "feed_tokens", "claim_links"];

impl Store {
    /// Merges person `from` into person `into` in one transaction: posts,
    /// revisions, memberships, the activity log's actors, kudos, reactions,
    /// notifications, requests, gatherings and import keys move to `into`;
    /// `from`'s sessions and tokens are revoked and `from` is removed.
    /// Where both hold the same membership, RSVP or reaction, `into`'s stays.
    /// (Anonymous questions stay bound to `from`'s digest: nobody can tell
    /// which they are.)
    pub async fn merge_people(&self, from: i64, into: i64) -> Result<(), StoreError> {
        if from == into {
            return Err(StoreError::Conflict {
                field: "from",
                message: "a person cannot be merged into themselves".into(),
            });
        }
        let mut tx = self.begin().await?;
        for id in [from, into] {
            sqlx::query("SELECT id FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        }
        // Memberships: `into`'s current membership of a community wins.
        sqlx::query(
            "DELETE FROM memberships WHERE person_id = $1 AND left_at IS NULL AND community_id IN \
             (SELECT community_id FROM memberships WHERE person_id = $2 AND left_at IS NULL)",
        )
        .bind(from)
        .bind(into)
        .execute(&mut *tx)
        .await?;
        crate::threads::bump_versions_by(&mut tx, from, None).await?;
        sqlx::query("UPDATE memberships SET person_id = $1 WHERE person_id = $2")
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        // Table and column names below are our own constants.
        for (table, column, key) in UNIQUE_MOVES {
            let same = key
                .iter()
                .map(|k| format!("o.{k} = {table}.{k}"))
                .collect::<Vec<_>>()
                .join(" AND ");
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE {column} = $1 AND EXISTS \
                 (SELECT 1 FROM {table} o WHERE o.{column} = $2 AND {same})"
            ))
            .bind(from)
            .bind(into)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
            ))
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        }
        for (table, column) in MOVES {
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
            ))
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        }
        for table in DROPS {
            sqlx::query(&format!("DELETE FROM {table} WHERE person_id = $1"))
                .bind(from)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM person_skills WHERE person_id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM person_topics WHERE person_id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM people WHERE id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a one-time claim link (its secret's `digest`) for imported
    /// person `person`, valid until `expires_at`. Someone who already has
    /// a password has nothing to claim.
    pub async fn create_claim_link(
        &self,
        person: i64,
        digest: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let hash: Option<Option<String>> =
            sqlx::query_scalar("SELECT password_hash FROM people WHERE id = $1")
                .bind(person)
                .fetch_optional(&mut *tx)
                .await?;
        match hash {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => {
                return Err(StoreError::Conflict {
                    field: "email",
                    message: "this person already has a password: there is nothing to claim".into(),
                });
            }
            Some(None) => {}
        }
        sqlx::query(
            "INSERT INTO claim_links (digest, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(person)
        .bind(millis(now))
        .bind(millis(expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims an account with the link whose secret has `digest`: sets the
    /// password once, if the link is unused and unexpired and the person
    /// still has no password. Every link of that person is used up. Returns
    /// the person's id; a link that does not work is not found.
    pub async fn claim_account(
        &self,
        digest: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT c.person_id FROM claim_links c JOIN people p ON p.id = c.person_id \
             WHERE c.digest = $1 AND c.used_at IS NULL AND c.expires_at > $2 AND p.password_hash IS NULL",
        )
        .bind(digest)
        .bind(millis(now))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let person: i64 = row.try_get(0)?;
        sqlx::query("UPDATE people SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(millis(now))
            .bind(person)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE claim_links SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL")
            .bind(millis(now))
            .bind(person)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(person)
    }
}
