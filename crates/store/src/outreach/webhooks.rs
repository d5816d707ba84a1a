//! A community's outgoing webhooks as stewards configure them: the address,
//! the events it receives, paused or active, removed. Each one only ever
//! receives what happened after it was made, in its own community.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, from_millis, millis};

/// A new webhook.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// Community id.
    pub community_id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The key deliveries are signed with.
    pub secret: String,
    /// The event names it receives.
    pub events: Vec<String>,
    /// What it is for, in the steward's words.
    pub description: String,
    /// Who made it.
    pub created_by: i64,
}

/// A stored webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The signing key.
    pub secret: String,
    /// The event names it receives.
    pub events: Vec<String>,
    /// What it is for.
    pub description: String,
    /// Whether deliveries are sent (a paused webhook queues nothing).
    pub active: bool,
    /// Who made it.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What a steward may change on a webhook; `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct WebhookChange {
    /// New address.
    pub url: Option<String>,
    /// New events.
    pub events: Option<Vec<String>>,
    /// New description.
    pub description: Option<String>,
    /// Paused (`false`) or active.
    pub active: Option<bool>,
}

const WEBHOOK_COLUMNS: &str =
    "id, community_id, url, secret, events, description, active, created_by, created_at";

fn webhook_from(row: &AnyRow) -> Result<Webhook, StoreError> {
    let events: String = row.try_get("events")?;
    Ok(Webhook {
        id: row.try_get("id")?,
        community_id: row.try_get("community_id")?,
        url: row.try_get("url")?,
        secret: row.try_get("secret")?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        description: row.try_get("description")?,
        active: row.try_get::<i64, _>("active")? != 0,
        created_by: row.try_get("created_by")?,
        created_at: from_millis(row.try_get("created_at")?),
    })
}

impl Store {
    /// Makes a webhook that receives what happens from now on. Returns its id.
    pub async fn create_webhook(
        &self,
        new: &NewWebhook,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        crate::communities::writable(&mut tx, new.community_id).await?;
        let after_activity: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM activity")
            .fetch_one(&mut *tx)
            .await?;
        let after_series: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM gathering_series")
                .fetch_one(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhooks (community_id, url, secret, events, description, active, \
             after_activity, after_series, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.community_id)
        .bind(&new.url)
        .bind(&new.secret)
        .bind(new.events.join(","))
        .bind(&new.description)
        .bind(after_activity)
        .bind(after_series)
        .bind(new.created_by)
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The community's webhooks (not removed), oldest first.
    pub async fn webhooks(&self, community: i64) -> Result<Vec<Webhook>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE community_id = $1 AND removed_at IS NULL \
             ORDER BY id"
        ))
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(webhook_from).collect()
    }

    /// Webhook `id` of `community`, unless removed.
    pub async fn webhook(&self, community: i64, id: i64) -> Result<Webhook, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1 AND community_id = $2 \
             AND removed_at IS NULL"
        ))
        .bind(id)
        .bind(community)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        webhook_from(&row)
    }

    /// Changes webhook `id` of `community`. A paused webhook that is
    /// resumed hears what happens from then on, not what happened while it
    /// was paused.
    pub async fn change_webhook(
        &self,
        community: i64,
        id: i64,
        change: &WebhookChange,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), \
             description = COALESCE($3, description), active = COALESCE($4, active), \
             after_activity = CASE WHEN active = 0 AND $4 = 1 \
               THEN (SELECT COALESCE(MAX(id), 0) FROM activity) ELSE after_activity END, \
             after_series = CASE WHEN active = 0 AND $4 = 1 \
               THEN (SELECT COALESCE(MAX(id), 0) FROM gathering_series) ELSE after_series END \
             WHERE id = $5 AND community_id = $6 AND removed_at IS NULL",
        )
        .bind(change.url.as_deref())
        .bind(change.events.as_ref().map(|e| e.join(",")))
        .bind(change.description.as_deref())
        .bind(change.active.map(i64::from))
        .bind(id)
        .bind(community)
        .execute(&self.write)
        .await?;
        crate::error::found(done)
    }

    /// Removes webhook `id` of `community`: nothing more is queued or sent
    /// for it; its delivery log is kept.
    pub async fn remove_webhook(
        &self,
        community: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE webhooks SET removed_at = $1 WHERE id = $2 AND community_id = $3 AND removed_at IS NULL",
        )
        .bind(millis(at))
        .bind(id)
        .bind(community)
        .execute(&self.write)
        .await?;
        crate::error::found(done)
    }
}
