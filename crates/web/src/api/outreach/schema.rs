//! Request and response bodies of the digest and webhook API. The asker of
//! an anonymous question is never in any of them; a webhook's secret only in
//! the answer to its creation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::outreach::deliveries::Delivery;
use store::outreach::webhooks::Webhook;
use utoipa::ToSchema;

use crate::outreach::digest::{Digest, DigestLine};

/// One entry of a digest.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestItemOut {
    /// The thread, artifact or gathering series id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its page, as a path.
    pub path: String,
    /// The community's address.
    pub community: String,
    /// The community's name.
    pub community_name: String,
    /// What it is and why it is listed.
    pub detail: String,
    /// When it was opened, fell due for review, or starts.
    pub at: DateTime<Utc>,
}

impl From<&DigestLine> for DigestItemOut {
    fn from(l: &DigestLine) -> Self {
        Self {
            id: l.id,
            title: l.title.clone(),
            path: l.path.clone(),
            community: l.community_slug.clone(),
            community_name: l.community_name.clone(),
            detail: l.detail.clone(),
            at: l.at,
        }
    }
}

/// Your digest: what happened in your communities since your last one.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestOut {
    /// From when (your last digest, or a week ago).
    pub since: DateTime<Utc>,
    /// Until when (now).
    pub until: DateTime<Utc>,
    /// New threads in your communities, newest first.
    pub new_threads: Vec<DigestItemOut>,
    /// Unanswered questions whose tags meet your skills, what you can teach
    /// or what you answered before, oldest first.
    pub questions: Vec<DigestItemOut>,
    /// Stale artifacts you own, longest overdue first.
    pub stale_artifacts: Vec<DigestItemOut>,
    /// Gatherings of your communities in the next two weeks, soonest first.
    pub gatherings: Vec<DigestItemOut>,
}

impl From<&Digest> for DigestOut {
    fn from(d: &Digest) -> Self {
        let items = |lines: &[DigestLine]| lines.iter().map(DigestItemOut::from).collect();
        Self {
            since: d.since,
            until: d.until,
            new_threads: items(&d.new_threads),
            questions: items(&d.questions),
            stale_artifacts: items(&d.stale),
            gatherings: items(&d.gatherings),
        }
    }
}

/// Your digest e-mail settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestSettingsOut {
    /// Whether the digest is e-mailed to you once a week.
    pub email: bool,
    /// When your last digest was e-mailed.
    pub last_sent_at: Option<DateTime<Utc>>,
    /// Whether this server can send e-mail at all.
    pub mail_configured: bool,
}

/// New digest e-mail settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DigestSettingsIn {
    /// E-mail the digest once a week (`true`) or not.
    pub email: bool,
}

/// A webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    /// Id.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The events it receives: `thread_opened`, `answer_accepted`,
    /// `artifact_created`, `gathering_scheduled`, `gathering_held`.
    pub events: Vec<String>,
    /// What it is for.
    pub description: String,
    /// Whether it is sent to (a paused webhook queues nothing).
    pub active: bool,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl From<&Webhook> for WebhookOut {
    fn from(w: &Webhook) -> Self {
        Self {
            id: w.id,
            url: w.url.clone(),
            events: w.events.clone(),
            description: w.description.clone(),
            active: w.active,
            created_at: w.created_at,
        }
    }
}

/// A new webhook, with the secret its deliveries are signed with (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreatedOut {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// The HMAC-SHA256 key of the `Guildhall-Signature` header.
    pub secret: String,
}

/// A webhook to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// An `http://` or `https://` address.
    pub url: String,
    /// The events it receives; all of them when left out.
    pub events: Option<Vec<String>>,
    /// What it is for.
    #[serde(default)]
    pub description: String,
}

/// Changes to a webhook; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    /// New address.
    pub url: Option<String>,
    /// New events.
    pub events: Option<Vec<String>>,
    /// New description.
    pub description: Option<String>,
    /// `false` pauses it, `true` resumes it (from then on).
    pub active: Option<bool>,
}

/// One delivery of a webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    /// Id (the `Guildhall-Delivery` header).
    pub id: i64,
    /// The event.
    pub event: String,
    /// `pending`, `delivered`, `failed` (out of attempts) or `skipped` (nothing to send).
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// The receiver's last HTTP status.
    pub response_code: Option<i64>,
    /// The last error, or why it was skipped.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The JSON body sent (empty when skipped).
    pub payload: String,
}

impl From<&Delivery> for DeliveryOut {
    fn from(d: &Delivery) -> Self {
        Self {
            id: d.id,
            event: d.event.clone(),
            status: d.status.clone(),
            attempts: d.attempts,
            response_code: d.response_code,
            last_error: d.last_error.clone(),
            created_at: d.created_at,
            last_attempt_at: d.last_attempt_at,
            next_attempt_at: if d.status == "pending" {
                d.next_attempt_at
            } else {
                None
            },
            delivered_at: d.delivered_at,
            payload: d.payload.clone(),
        }
    }
}

/// A page of deliveries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    /// The deliveries.
    pub items: Vec<DeliveryOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}
