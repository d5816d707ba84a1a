//! Outgoing webhooks as stewards manage them, for the pages and the API
//! alike: only a community's stewards (and organisation admins) see, add,
//! change and remove its webhooks and read their delivery log. An address
//! must be `http://` or `https://`; the secret is made here and shown once.

use domain::Invalid;
use store::outreach::deliveries::Delivery;
use store::outreach::webhooks::{NewWebhook, Webhook, WebhookChange};

use super::payloads::EVENTS;
use crate::AppState;
use crate::api::communities_access::{Seen, require_writable};
use crate::error::WebError;

/// Longest webhook address.
pub const URL_MAX: usize = 2_000;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 200;
/// Most webhooks per community.
pub const PER_COMMUNITY: usize = 20;
/// Prefix of webhook secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A webhook as a steward writes it.
#[derive(Debug, Clone, Default)]
pub struct WebhookDraft {
    /// Where deliveries go.
    pub url: String,
    /// The events it receives (all when empty is refused).
    pub events: Vec<String>,
    /// What it is for.
    pub description: String,
}

/// Checks a webhook address.
pub fn check_url(raw: &str) -> Result<String, Invalid> {
    let url = raw.trim();
    if url.is_empty() {
        return Err(Invalid::new(
            "url",
            "give the address to send deliveries to",
        ));
    }
    if url.len() > URL_MAX {
        return Err(Invalid::new(
            "url",
            format!("is longer than {URL_MAX} characters"),
        ));
    }
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| Invalid::new("url", format!("{url:?} is not a web address")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Invalid::new(
            "url",
            "must be an http:// or https:// address with a host",
        ));
    }
    Ok(url.to_owned())
}

/// Checks the events a webhook receives: known names, at least one.
pub fn check_events(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for e in raw {
        let e = e.trim();
        if e.is_empty() {
            continue;
        }
        if !EVENTS.iter().any(|(name, _)| *name == e) {
            let known: Vec<&str> = EVENTS.iter().map(|(n, _)| *n).collect();
            return Err(Invalid::new(
                "events",
                format!("{e:?} is not an event; choose from {}", known.join(", ")),
            ));
        }
        if !out.iter().any(|o| o == e) {
            out.push(e.to_owned());
        }
    }
    if out.is_empty() {
        return Err(Invalid::new("events", "choose at least one event"));
    }
    Ok(out)
}

fn check_description(raw: &str) -> Result<String, Invalid> {
    let d = raw.trim();
    if d.chars().count() > DESCRIPTION_MAX {
        return Err(Invalid::new(
            "description",
            format!("is longer than {DESCRIPTION_MAX} characters"),
        ));
    }
    Ok(d.to_owned())
}

/// The community's webhooks (stewards).
pub async fn list(state: &AppState, seen: &Seen) -> Result<Vec<Webhook>, WebError> {
    seen.require_steward()?;
    Ok(state.store.webhooks(seen.community.id).await?)
}

/// Webhook `id` of the community (stewards).
pub async fn get(state: &AppState, seen: &Seen, id: i64) -> Result<Webhook, WebError> {
    seen.require_steward()?;
    Ok(state.store.webhook(seen.community.id, id).await?)
}

/// Adds a webhook (stewards). Returns it with its secret, shown only now.
pub async fn create(
    state: &AppState,
    seen: &Seen,
    draft: &WebhookDraft,
) -> Result<Webhook, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let url = check_url(&draft.url)?;
    let events = check_events(&draft.events)?;
    let description = check_description(&draft.description)?;
    if state.store.webhooks(seen.community.id).await?.len() >= PER_COMMUNITY {
        return Err(WebError::Conflict {
            field: "url".into(),
            message: format!("a community has at most {PER_COMMUNITY} webhooks"),
        });
    }
    let id = state
        .store
        .create_webhook(
            &NewWebhook {
                community_id: seen.community.id,
                url,
                secret: crate::auth::secret::new_secret(SECRET_PREFIX),
                events,
                description,
                created_by: seen.me(),
            },
            state.clock.now(),
        )
        .await?;
    Ok(state.store.webhook(seen.community.id, id).await?)
}

/// What a steward may change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct WebhookEdit {
    /// New address.
    pub url: Option<String>,
    /// New events.
    pub events: Option<Vec<String>>,
    /// New description.
    pub description: Option<String>,
    /// Active (`true`) or paused.
    pub active: Option<bool>,
}

/// Changes webhook `id` (stewards).
pub async fn change(
    state: &AppState,
    seen: &Seen,
    id: i64,
    edit: &WebhookEdit,
) -> Result<Webhook, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let change = WebhookChange {
        url: edit.url.as_deref().map(check_url).transpose()?,
        events: edit.events.as_deref().map(check_events).transpose()?,
        description: edit
            .description
            .as_deref()
            .map(check_description)
            .transpose()?,
        active: edit.active,
    };
    state
        .store
        .change_webhook(seen.community.id, id, &change)
        .await?;
    Ok(state.store.webhook(seen.community.id, id).await?)
}

/// Removes webhook `id` (stewards); its log is kept.
pub async fn remove(state: &AppState, seen: &Seen, id: i64) -> Result<(), WebError> {
    seen.require_steward()?;
    Ok(state
        .store
        .remove_webhook(seen.community.id, id, state.clock.now())
        .await?)
}

/// The delivery log of webhook `id`, newest first (stewards).
pub async fn deliveries(
    state: &AppState,
    seen: &Seen,
    id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Delivery>, WebError> {
    let hook = get(state, seen, id).await?;
    Ok(state.store.deliveries(hook.id, before, limit).await?)
}
