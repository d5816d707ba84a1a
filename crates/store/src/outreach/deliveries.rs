//! The webhook queue and its delivery log. A worker follows two sources by
//! persisted cursors, the activity log (new threads, accepted answers, new
//! artifacts, gatherings held) and the gathering series (new gatherings),
//! and queues one delivery per webhook and source in the database, so that
//! nothing committed is lost when a server stops. Each read looks back a
//! little behind its cursor: on PostgreSQL ids are handed out before their
//! transactions commit, so a row may appear after a larger one; a unique key
//! on (webhook, source) keeps it to one delivery. Sending claims a delivery
//! by moving its next attempt forward, so several servers never send one
//! delivery at the same time.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, from_millis, millis};

/// How far behind its cursor each read of a source looks again.
pub const LOOKBACK: i64 = 256;

/// The activity kinds a webhook can receive, as they are named in the log.
pub const ACTIVITY_KINDS: [&str; 4] = [
    "thread_opened",
    "answer_accepted",
    "artifact_created",
    "gathering_held",
];

/// The event a new gathering series is delivered as.
pub const GATHERING_SCHEDULED: &str = "gathering_scheduled";

/// Where a delivery came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An event of the activity log, by id.
    Activity(i64),
    /// A new gathering series, by id.
    Series(i64),
}

impl Source {
    fn kind(self) -> &'static str {
        match self {
            Source::Activity(_) => "activity",
            Source::Series(_) => "series",
        }
    }

    fn id(self) -> i64 {
        match self {
            Source::Activity(id) | Source::Series(id) => id,
        }
    }
}

/// Something that happened which a webhook should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookEvent {
    /// The webhook.
    pub webhook_id: i64,
    /// Where it came from.
    pub source: Source,
    /// The event name: an activity kind, or [`GATHERING_SCHEDULED`].
    pub event: String,
    /// Community id.
    pub community_id: i64,
    /// Who did it, if attributed.
    pub actor_id: Option<i64>,
    /// The activity subject (`thread-12`, `artifact-3`, `gathering-...`), or
    /// `None` for a series.
    pub subject: Option<String>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// What the queue makes of a [`HookEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    /// Send this JSON body.
    Send(String),
    /// Nothing to send, for this reason (kept in the log).
    Skip(String),
}

/// How far the worker has read its two sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursors {
    /// Last activity id read.
    pub activity: i64,
    /// Last gathering series id read.
    pub series: i64,
}

/// One read of the sources: what to queue, and where the cursors go once
/// it is queued.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// New events, one per webhook that receives it.
    pub events: Vec<HookEvent>,
    /// The cursors after this read.
    pub next: Cursors,
}

/// A delivery due to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    /// Delivery id.
    pub id: i64,
    /// The webhook's address.
    pub url: String,
    /// Its signing key.
    pub secret: String,
    /// The event name.
    pub event: String,
    /// The JSON body.
    pub payload: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// When this attempt was due (the claim checks it is unchanged).
    pub next_attempt_at: DateTime<Utc>,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The HTTP status the receiver answered, if it answered.
    pub response_code: Option<i64>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// `None` when delivered or given up; else when to try again.
    pub retry_at: Option<DateTime<Utc>>,
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// The webhook.
    pub webhook_id: i64,
    /// The event name.
    pub event: String,
    /// The JSON body (empty when skipped).
    pub payload: String,
    /// `pending`, `delivered`, `failed` or `skipped`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's last HTTP status.
    pub response_code: Option<i64>,
    /// The last error, or why it was skipped.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
}

const DELIVERY_COLUMNS: &str = "id, webhook_id, event, payload, status, attempts, next_attempt_at, \
     last_attempt_at, response_code, last_error, created_at, delivered_at";

fn delivery_from(row: &AnyRow) -> Result<Delivery, sqlx::Error> {
    let at = |name: &str| -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(name)?.map(from_millis))
    };
    Ok(Delivery {
        id: row.try_get("id")?,
        webhook_id: row.try_get("webhook_id")?,
        event: row.try_get("event")?,
        payload: row.try_get("payload")?,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: at("next_attempt_at")?,
        last_attempt_at: at("last_attempt_at")?,
        response_code: row.try_get("response_code")?,
        last_error: row.try_get("last_error")?,
        created_at: from_millis(row.try_get("created_at")?),
        delivered_at: at("delivered_at")?,
    })
}

/// A webhook receives `event` when its comma-separated list names it.
const RECEIVES: &str = "(',' || w.events || ',') LIKE ('%,' || $3 || ',%')";

impl Store {
    /// Where the delivery worker has read to.
    pub async fn outreach_cursors(&self) -> Result<Cursors, StoreError> {
        let rows = sqlx::query("SELECT name, position FROM outreach_cursors")
            .fetch_all(self.reader())
            .await?;
        let mut out = Cursors::default();
        for row in rows {
            let position: i64 = row.try_get("position")?;
            match row.try_get::<String, _>("name")?.as_str() {
                "activity" => out.activity = position,
                "series" => out.series = position,
                _ => {}
            }
        }
        Ok(out)
    }

    /// Reads what webhooks should hear about after `from` (looking back
    /// [`LOOKBACK`] ids): events not yet queued for a webhook of their
    /// community that is active and receives them, at most `limit` of each
    /// source, in order.
    pub async fn pending_hook_events(
        &self,
        from: Cursors,
        limit: i64,
    ) -> Result<Pending, StoreError> {
        let top_activity: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM activity")
            .fetch_one(self.reader())
            .await?;
        let top_series: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM gathering_series")
                .fetch_one(self.reader())
                .await?;
        let mut events = Vec::new();
        let mut next = from;
        let kinds = ACTIVITY_KINDS
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // `kinds` is our own constant list. The event is compared as $3 so
        // that the subscription test is one expression for both sources.
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.at, a.community_id, a.actor_id, a.kind, a.subject, w.id AS webhook_id \
             FROM activity a JOIN webhooks w ON w.community_id = a.community_id \
             WHERE a.id > $1 AND a.id > w.after_activity AND w.removed_at IS NULL AND w.active = 1 \
             AND a.kind IN ({kinds}) AND (',' || w.events || ',') LIKE ('%,' || a.kind || ',%') \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id \
               AND d.source_kind = 'activity' AND d.source_id = a.id) \
             ORDER BY a.id, w.id LIMIT $2"
        ))
        .bind(from.activity - LOOKBACK)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            next.activity = next.activity.max(id);
            events.push(HookEvent {
                webhook_id: row.try_get("webhook_id")?,
                source: Source::Activity(id),
                event: row.try_get("kind")?,
                community_id: row.try_get("community_id")?,
                actor_id: row.try_get("actor_id")?,
                subject: row.try_get("subject")?,
                at: from_millis(row.try_get("at")?),
            });
        }
        if (rows.len() as i64) < limit {
            next.activity = next.activity.max(top_activity);
        }
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.created_at, s.community_id, s.created_by, w.id AS webhook_id \
             FROM gathering_series s JOIN webhooks w ON w.community_id = s.community_id \
             WHERE s.id > $1 AND s.id > w.after_series AND s.split_from IS NULL \
             AND w.removed_at IS NULL AND w.active = 1 AND {RECEIVES} \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id \
               AND d.source_kind = 'series' AND d.source_id = s.id) \
             ORDER BY s.id, w.id LIMIT $2"
        ))
        .bind(from.series - LOOKBACK)
        .bind(limit)
        .bind(GATHERING_SCHEDULED)
        .fetch_all(self.reader())
        .await?;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            next.series = next.series.max(id);
            events.push(HookEvent {
                webhook_id: row.try_get("webhook_id")?,
                source: Source::Series(id),
                event: GATHERING_SCHEDULED.to_owned(),
                community_id: row.try_get("community_id")?,
                actor_id: row.try_get("created_by")?,
                subject: None,
                at: from_millis(row.try_get("created_at")?),
            });
        }
        if (rows.len() as i64) < limit {
            next.series = next.series.max(top_series);
        }
        Ok(Pending { events, next })
    }

    /// Queues `queued` (each event with its body, or why it is skipped) and
    /// moves the cursors to `next`, in one transaction. An event already
    /// queued for its webhook is left as it is.
    pub async fn queue_deliveries(
        &self,
        queued: &[(HookEvent, Queued)],
        next: Cursors,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for (e, q) in queued {
            let (status, payload, reason, due) = match q {
                Queued::Send(body) => ("pending", body.as_str(), None, Some(millis(now))),
                Queued::Skip(why) => ("skipped", "", Some(why.as_str()), None),
            };
            sqlx::query(
                "INSERT INTO webhook_deliveries (webhook_id, source_kind, source_id, event, payload, \
                 status, next_attempt_at, last_error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (webhook_id, source_kind, source_id) DO NOTHING",
            )
            .bind(e.webhook_id)
            .bind(e.source.kind())
            .bind(e.source.id())
            .bind(&e.event)
            .bind(payload)
            .bind(status)
            .bind(due)
            .bind(reason)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
        }
        for (name, position) in [("activity", next.activity), ("series", next.series)] {
            sqlx::query(
                "INSERT INTO outreach_cursors (name, position) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET position = $2 WHERE outreach_cursors.position < $2",
            )
            .bind(name)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deliveries due at `now` for active webhooks, oldest due first, at most `limit`.
    pub async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, w.url, w.secret, d.event, d.payload, d.attempts, d.next_attempt_at \
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
             AND w.removed_at IS NULL AND w.active = 1 \
             ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(millis(now))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DueDelivery {
                    id: row.try_get("id")?,
                    url: row.try_get("url")?,
                    secret: row.try_get("secret")?,
                    event: row.try_get("event")?,
                    payload: row.try_get("payload")?,
                    attempts: row.try_get("attempts")?,
                    next_attempt_at: from_millis(row.try_get("next_attempt_at")?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Claims delivery `d` for sending until `until`: false when another
    /// worker got there first.
    pub async fn claim_delivery(
        &self,
        d: &DueDelivery,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $1 \
             WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3",
        )
        .bind(millis(until))
        .bind(d.id)
        .bind(millis(d.next_attempt_at))
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records an attempt at delivery `id`: delivered (a 2xx), to be tried
    /// again at `retry_at`, or failed for good.
    pub async fn record_attempt(&self, id: i64, attempt: &Attempt) -> Result<(), StoreError> {
        let delivered = attempt.error.is_none();
        let status = match (delivered, attempt.retry_at) {
            (true, _) => "delivered",
            (false, Some(_)) => "pending",
            (false, None) => "failed",
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, \
             last_attempt_at = $3, response_code = $4, last_error = $5, delivered_at = $6 WHERE id = $7",
        )
        .bind(status)
        .bind(attempt.retry_at.map(millis))
        .bind(millis(attempt.at))
        .bind(attempt.response_code)
        .bind(attempt.error.as_deref())
        .bind(delivered.then(|| millis(attempt.at)))
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The delivery log of webhook `webhook`, newest first, `limit` at a
    /// time before delivery id `before`.
    pub async fn deliveries(
        &self,
        webhook: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 AND id < $2 \
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(webhook)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(delivery_from)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
