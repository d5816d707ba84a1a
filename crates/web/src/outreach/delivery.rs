//! Sending webhook deliveries. Each round of the worker first queues what
//! happened since its cursors (one delivery per webhook and event, with its
//! payload), then sends what is due: a POST of the JSON payload signed with
//! the webhook's secret. A 2xx answer delivers it; anything else (another
//! status, a refused connection, no answer within the timeout) is retried
//! with exponential backoff until [`MAX_ATTEMPTS`], then marked failed. Every
//! attempt is in the delivery log stewards see.
//!
//! The signature header is `Guildhall-Signature: t=<unix seconds>,v1=<hex>`,
//! where the hex is HMAC-SHA256 over `<t>.<body>` keyed with the secret: the
//! timestamp is signed with the body, so a receiver that refuses old
//! timestamps cannot be fed a replayed delivery.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use store::outreach::deliveries::{Attempt, DueDelivery, Queued};

use super::payloads;
use crate::AppState;
use crate::error::WebError;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 10;
/// The wait after the first failed attempt; it doubles after each next one.
pub const FIRST_RETRY_SECONDS: i64 = 30;
/// Events read from each source per round.
const READ_PER_ROUND: i64 = 500;
/// Deliveries sent per round.
const SEND_PER_ROUND: i64 = 50;
/// How long a claimed delivery is held by its worker before another may try.
const LEASE_SECONDS: i64 = 60;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Guildhall-Signature";
/// The header naming the event.
pub const EVENT_HEADER: &str = "Guildhall-Event";
/// The header with the delivery's id.
pub const DELIVERY_HEADER: &str = "Guildhall-Delivery";

/// The wait before the next attempt after `attempts` failed ones, or `None`
/// when that was the last: 30 s, 1 min, 2 min, ... doubling.
pub fn retry_after(attempts: i64) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = u32::try_from((attempts - 1).max(0)).unwrap_or(0).min(20);
    Some(Duration::seconds(FIRST_RETRY_SECONDS << doublings))
}

/// HMAC-SHA256 of `<timestamp>.<body>` keyed with `secret`, in hex.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The value of the signature header for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

/// Whether `header` signs `body` with `secret` at most `tolerance` away
/// from `now`: what a receiver checks (documented in docs/outreach.md).
pub fn verify(
    secret: &str,
    header: &str,
    body: &str,
    now: DateTime<Utc>,
    tolerance: Duration,
) -> bool {
    let mut timestamp = None;
    let mut given = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => given.push(v.to_owned()),
            _ => {}
        }
    }
    let Some(t) = timestamp else { return false };
    if (now.timestamp() - t).abs() > tolerance.num_seconds() {
        return false;
    }
    let expected = sign(secret, t, body);
    given
        .iter()
        .any(|v| crate::auth::secret::same(v, &expected))
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Deliveries queued.
    pub queued: usize,
    /// Deliveries that reached their receiver.
    pub delivered: usize,
    /// Attempts that failed (to be retried or given up).
    pub failed: usize,
}

/// One round of the webhook worker: queue, then send what is due.
pub async fn tick(state: &AppState) -> Result<Round, WebError> {
    let queued = queue(state).await?;
    let (delivered, failed) = send_due(state).await?;
    Ok(Round {
        queued,
        delivered,
        failed,
    })
}

/// Queues a delivery for every new event a webhook receives and moves the
/// cursors past them, in one transaction. Returns how many will be sent.
pub async fn queue(state: &AppState) -> Result<usize, WebError> {
    let from = state.store.outreach_cursors().await?;
    let pending = state
        .store
        .pending_hook_events(from, READ_PER_ROUND)
        .await?;
    if pending.events.is_empty() && pending.next == from {
        return Ok(0);
    }
    let mut queued = Vec::with_capacity(pending.events.len());
    for e in pending.events {
        let q = match payloads::payload(state, &e).await {
            Ok(q) => q,
            // A database fault: this round stops, the next one reads again.
            Err(e @ WebError::Internal(_)) => return Err(e),
            Err(other) => Queued::Skip(other.to_string()),
        };
        queued.push((e, q));
    }
    let sending = queued
        .iter()
        .filter(|(_, q)| matches!(q, Queued::Send(_)))
        .count();
    state
        .store
        .queue_deliveries(&queued, pending.next, state.clock.now())
        .await?;
    Ok(sending)
}

/// Sends the deliveries due now; returns (delivered, failed attempts).
pub async fn send_due(state: &AppState) -> Result<(usize, usize), WebError> {
    let now = state.clock.now();
    let due = state.store.due_deliveries(now, SEND_PER_ROUND).await?;
    let (mut delivered, mut failed) = (0, 0);
    for d in &due {
        let lease = now + Duration::seconds(LEASE_SECONDS);
        if !state.store.claim_delivery(d, lease).await? {
            continue;
        }
        let attempt = send(state, d).await;
        if attempt.error.is_none() {
            delivered += 1;
        } else {
            failed += 1;
        }
        state.store.record_attempt(d.id, &attempt).await?;
    }
    Ok((delivered, failed))
}

async fn send(state: &AppState, d: &DueDelivery) -> Attempt {
    let at = state.clock.now();
    let result = state
        .outreach
        .http()
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(EVENT_HEADER, &d.event)
        .header(DELIVERY_HEADER, d.id.to_string())
        .header(
            SIGNATURE_HEADER,
            signature(&d.secret, at.timestamp(), &d.payload),
        )
        .body(d.payload.clone())
        .send()
        .await;
    let (code, error) = match result {
        Ok(r) if r.status().is_success() => (Some(i64::from(r.status().as_u16())), None),
        Ok(r) => (
            Some(i64::from(r.status().as_u16())),
            Some(format!("the receiver answered {}", r.status())),
        ),
        // Without the address: a chat tool's webhook address is itself a secret.
        Err(e) => (None, Some(e.without_url().to_string())),
    };
    let retry_at = match &error {
        Some(_) => retry_after(d.attempts + 1).map(|wait| at + wait),
        None => None,
    };
    Attempt {
        at,
        response_code: code,
        error,
        retry_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_stops() {
        assert_eq!(retry_after(1), Some(Duration::seconds(30)));
        assert_eq!(retry_after(2), Some(Duration::seconds(60)));
        assert_eq!(retry_after(3), Some(Duration::seconds(120)));
        assert_eq!(
            retry_after(MAX_ATTEMPTS - 1),
            Some(Duration::seconds(30 << (MAX_ATTEMPTS - 2)))
        );
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
    }

    #[test]
    fn a_signature_verifies_only_for_its_body_key_and_time() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let t = now.timestamp();
        let header = signature("k", t, "{\"a\":1}");
        let five = Duration::minutes(5);
        assert!(header.starts_with(&format!("t={t},v1=")));
        assert!(verify("k", &header, "{\"a\":1}", now, five));
        assert!(
            !verify("k", &header, "{\"a\":2}", now, five),
            "another body"
        );
        assert!(!verify("j", &header, "{\"a\":1}", now, five), "another key");
        assert!(
            !verify("k", &header, "{\"a\":1}", now + Duration::minutes(6), five),
            "replayed later"
        );
        assert!(!verify("k", "v1=00", "{\"a\":1}", now, five));
        // A known value, so that receivers in other languages can check theirs.
        // (Python: hmac.new(b"whsec_test", b"1700000000.{}", hashlib.sha256).hexdigest())
        assert_eq!(
            sign("whsec_test", 1_700_000_000, "{}"),
            "35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }
}
