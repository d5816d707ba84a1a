//! Digests and webhooks through the listener, on both databases: a
//! steward's webhook receives signed deliveries of its own community only
//! (anonymous askers unnamed) at a receiver started by the test, failed
//! deliveries back off on the test clock and give up, the delivery log in
//! the API and the pages, stewards only; the digest in the API and the page
//! (escaped), its opt-out, and the weekly e-mail reaching an SMTP server on
//! loopback once a week, not again after a restart.

mod digests;
mod webhooks;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::App;
use crate::browser::Browser;

/// `steward` creates a community at `slug`, named "The <slug>".
pub async fn community(app: &App, steward: &Browser, slug: &str, visibility: &str) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": format!("The {slug}"), "domain_question": "How do we ship safely?",
                "type": "technical_practice", "orientation": "collaborative_learning", "visibility": visibility})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

pub use crate::browser::join;

/// `who` opens a thread in `slug` over the API; returns its id.
pub async fn post_thread(app: &App, who: &Browser, slug: &str, body: Value) -> i64 {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/communities/{slug}/threads"),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}
