//! Webhooks: signed deliveries of a community's own events at a receiver
//! on port 0, backoff on the test clock, the log in the API and the pages.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use chrono::Duration;
use domain::Clock;
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use web::outreach::delivery::{self, MAX_ATTEMPTS};

use super::{community, join, post_thread};
use crate::browser::{Browser, browser};
use crate::{App, apps};

/// A webhook receiver on port 0: what it got, and the status it answers.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    status: Arc<AtomicU16>,
}

impl Receiver {
    fn bodies(&self) -> Vec<Value> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .collect()
    }
}

async fn receiver() -> Receiver {
    let got: Arc<Mutex<Vec<(HeaderMap, String)>>> = Arc::default();
    let status = Arc::new(AtomicU16::new(204));
    let (g, s) = (got.clone(), status.clone());
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (g, s) = (g.clone(), s.clone());
            async move {
                g.lock().unwrap().push((headers, body));
                axum::http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Receiver {
        url: format!("http://{addr}/hook"),
        got,
        status,
    }
}

async fn add_hook(app: &App, who: &Browser, slug: &str, url: &str) -> (i64, String) {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/communities/{slug}/webhooks"),
            Some(json!({"url": url, "description": "team chat"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (
        v["id"].as_i64().unwrap(),
        v["secret"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_webhook_receives_signed_events_of_its_own_community_only() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        community(&app, &ada, "platform", "open").await;
        community(&app, &ada, "elsewhere", "open").await;
        join(&app, &bob, "platform").await;
        let rx = receiver().await;
        let (hook, secret) = add_hook(&app, &ada, "platform", &rx.url).await;
        assert!(secret.starts_with("whsec_"));
        let (s, v) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/platform/webhooks",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v[0]["id"], hook);
        assert_eq!(
            v[0]["events"].as_array().unwrap().len(),
            5,
            "all events by default"
        );
        assert!(
            v[0].get("secret").is_none(),
            "the secret is shown only once"
        );
        let (s, _) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/platform/webhooks",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "members who do not steward");
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/platform/webhooks",
                Some(json!({"url": "ftp://example.org/x"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["field"], "url");
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/platform/webhooks",
                Some(json!({"url": rx.url, "events": ["thread_deleted"]})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["field"], "events");

        let thread = post_thread(
            &app,
            &bob,
            "platform",
            json!({"type": "question", "title": "Why do canaries fail?", "body": "Often.", "tags": ["deploys"]}),
        )
        .await;
        post_thread(
            &app,
            &bob,
            "platform",
            json!({"type": "question", "title": "A quiet question", "body": "Shh.", "anonymous": true}),
        )
        .await;
        post_thread(
            &app,
            &ada,
            "elsewhere",
            json!({"type": "discussion", "title": "Not for that webhook", "body": "Elsewhere."}),
        )
        .await;
        let round = delivery::tick(&app.state).await.unwrap();
        assert_eq!((round.queued, round.delivered, round.failed), (2, 2, 0));

        let got = rx.got.lock().unwrap().clone();
        assert_eq!(got.len(), 2, "the other community's thread is not sent");
        for (headers, body) in &got {
            assert_eq!(headers["content-type"], "application/json");
            assert_eq!(headers["guildhall-event"], "thread_opened");
            let header = headers["guildhall-signature"].to_str().unwrap();
            assert!(delivery::verify(
                &secret,
                header,
                body,
                app.clock.now(),
                Duration::minutes(5)
            ));
            // Checked independently of our own verifier too.
            let (t, v1) = header.split_once(",v1=").unwrap();
            let t = t.strip_prefix("t=").unwrap();
            assert_eq!(t, app.clock.now().timestamp().to_string());
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
            mac.update(format!("{t}.{body}").as_bytes());
            assert_eq!(v1, hex::encode(mac.finalize().into_bytes()));
            assert!(!delivery::verify(
                "whsec_wrong",
                header,
                body,
                app.clock.now(),
                Duration::minutes(5)
            ));
        }
        let bodies = rx.bodies();
        let first = &bodies[0];
        assert_eq!(first["event"], "thread_opened");
        assert_eq!(first["community"]["slug"], "platform");
        assert_eq!(first["thread"]["id"], thread);
        assert_eq!(first["thread"]["title"], "Why do canaries fail?");
        assert_eq!(first["thread"]["author"]["name"], "Bob");
        assert_eq!(first["thread"]["tags"], json!(["deploys"]));
        assert!(
            first["text"]
                .as_str()
                .unwrap()
                .contains("Why do canaries fail?")
        );
        let quiet = &bodies[1];
        assert_eq!(quiet["thread"]["title"], "A quiet question");
        assert_eq!(quiet["thread"]["author"], Value::Null);
        let raw = &got[1].1;
        assert!(
            !raw.contains("Bob"),
            "the anonymous asker is never named: {raw}"
        );
        // Nothing new: nothing sent again.
        let round = delivery::tick(&app.state).await.unwrap();
        assert_eq!((round.queued, round.delivered), (0, 0));
        assert_eq!(rx.got.lock().unwrap().len(), 2);

        // The accepted answer names the answerer.
        let (s, r) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{thread}/replies"),
                Some(json!({"body": "Check the probes."})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{thread}/accept"),
                Some(json!({"reply_id": r["id"]})),
            )
            .await;
        assert!(s.is_success(), "{v}");
        delivery::tick(&app.state).await.unwrap();
        let accepted = rx.bodies().pop().unwrap();
        assert_eq!(accepted["event"], "answer_accepted");
        assert_eq!(
            accepted["thread"]["accepted_answer"]["author"]["name"],
            "Ada"
        );
        assert_eq!(
            accepted["thread"]["accepted_answer"]["id"], r["id"],
            "{accepted}"
        );
    }
}

#[tokio::test]
async fn failed_deliveries_back_off_on_the_clock_and_give_up() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        community(&app, &ada, "platform", "open").await;
        let rx = receiver().await;
        let (hook, _) = add_hook(&app, &ada, "platform", &rx.url).await;
        // A port nobody listens on.
        let closed = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            l.local_addr().unwrap()
        };
        let (dead, _) = add_hook(&app, &ada, "platform", &format!("http://{closed}/hook")).await;
        rx.status.store(503, Ordering::SeqCst);
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "discussion", "title": "Retry me", "body": "Please."}),
        )
        .await;
        let round = delivery::tick(&app.state).await.unwrap();
        assert_eq!((round.queued, round.delivered, round.failed), (2, 0, 2));
        let log = |id: i64| {
            let ada = &ada;
            let app = &app;
            async move {
                let (s, v) = ada
                    .api(
                        app,
                        Method::GET,
                        &format!("/api/v1/communities/platform/webhooks/{id}/deliveries"),
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{v}");
                v["items"][0].clone()
            }
        };
        let d = log(hook).await;
        assert_eq!(d["status"], "pending");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["response_code"], 503);
        let next = (app.clock.now() + Duration::seconds(30))
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        assert_eq!(d["next_attempt_at"], json!(next));
        assert_eq!(
            d["last_error"],
            "the receiver answered 503 Service Unavailable"
        );

        // Not due yet: nothing is sent.
        app.clock.advance(Duration::seconds(29));
        assert_eq!(delivery::tick(&app.state).await.unwrap().failed, 0);
        assert_eq!(rx.got.lock().unwrap().len(), 1);
        app.clock.advance(Duration::seconds(1));
        rx.status.store(200, Ordering::SeqCst);
        let round = delivery::tick(&app.state).await.unwrap();
        assert_eq!(
            (round.delivered, round.failed),
            (1, 1),
            "the receiver is back; the dead one still fails"
        );
        let d = log(hook).await;
        assert_eq!(d["status"], "delivered");
        assert_eq!(d["attempts"], 2);
        assert_eq!(d["response_code"], 200);
        assert_eq!(d["next_attempt_at"], Value::Null);
        let bodies = rx.bodies();
        assert_eq!(bodies.len(), 2);
        assert_eq!(bodies[0], bodies[1], "a retry sends the same payload");
        let headers = rx.got.lock().unwrap()[1].0.clone();
        assert_eq!(headers["guildhall-delivery"], d["id"].to_string());

        // The dead receiver: 60 s, then doubling, until out of attempts.
        let d = log(dead).await;
        assert_eq!(d["attempts"], 2);
        assert_eq!(d["response_code"], Value::Null);
        let wait = (app.clock.now() + Duration::seconds(60))
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        assert_eq!(d["next_attempt_at"], json!(wait));
        for _ in 2..MAX_ATTEMPTS {
            app.clock.advance(Duration::hours(3));
            assert_eq!(delivery::tick(&app.state).await.unwrap().failed, 1);
        }
        let d = log(dead).await;
        assert_eq!(d["status"], "failed");
        assert_eq!(d["attempts"], MAX_ATTEMPTS);
        assert_eq!(d["next_attempt_at"], Value::Null);
        app.clock.advance(Duration::days(1));
        assert_eq!(
            delivery::tick(&app.state).await.unwrap().failed,
            0,
            "given up"
        );

        // Paging through the log.
        for n in 0..3 {
            post_thread(
                &app,
                &ada,
                "platform",
                json!({"type": "discussion", "title": format!("More {n}"), "body": "x"}),
            )
            .await;
        }
        delivery::tick(&app.state).await.unwrap();
        let path = format!("/api/v1/communities/platform/webhooks/{hook}/deliveries?limit=2");
        let (_, page) = ada.api(&app, Method::GET, &path, None).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let cursor = page["next_cursor"].as_str().unwrap();
        let (_, rest) = ada
            .api(&app, Method::GET, &format!("{path}&cursor={cursor}"), None)
            .await;
        assert_eq!(rest["items"].as_array().unwrap().len(), 2);
        assert_eq!(rest["next_cursor"], Value::Null);
        assert!(rest["items"][0]["id"].as_i64() < page["items"][1]["id"].as_i64());
        let (s, _) = ada
            .api(&app, Method::GET, &format!("{path}&cursor=nonsense"), None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // Removed: nothing more is sent to it.
        let (s, _) = ada
            .api(
                &app,
                Method::DELETE,
                &format!("/api/v1/communities/platform/webhooks/{hook}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "discussion", "title": "After", "body": "x"}),
        )
        .await;
        let before = rx.got.lock().unwrap().len();
        delivery::tick(&app.state).await.unwrap();
        assert_eq!(rx.got.lock().unwrap().len(), before);
        let (s, _) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/communities/platform/webhooks/{hook}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn stewards_manage_webhooks_and_read_the_log_in_pages() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        community(&app, &ada, "platform", "open").await;
        join(&app, &bob, "platform").await;
        let rx = receiver().await;
        let (s, page) = ada.page(&app, "/communities/platform/webhooks").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("No webhooks yet"));
        let (s, _) = bob.page(&app, "/communities/platform/webhooks").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let r = ada
            .post(
                &app,
                "/communities/platform/webhooks",
                &[("url", "not a url"), ("event.thread_opened", "on")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("is not a web address"));
        let r = ada
            .post(
                &app,
                "/communities/platform/webhooks",
                &[
                    ("url", rx.url.as_str()),
                    ("description", "<b>chat</b>"),
                    ("event.thread_opened", "on"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let page = r.text().await.unwrap();
        assert!(page.contains("whsec_"), "the secret is shown once");
        let hook = app
            .db
            .store
            .webhooks(
                app.db
                    .store
                    .community_id("platform")
                    .await
                    .unwrap()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(hook.len(), 1);
        assert_eq!(hook[0].events, ["thread_opened"]);
        let id = hook[0].id;
        let (_, list) = ada.page(&app, "/communities/platform/webhooks").await;
        assert!(
            list.contains(&rx.url) && list.contains("&#60;b&#62;chat&#60;/b&#62;"),
            "escaped: {list}"
        );
        let (_, page) = ada
            .page(&app, &format!("/communities/platform/webhooks/{id}"))
            .await;
        assert!(!page.contains("whsec_"), "not shown again");
        assert!(page.contains("Nothing sent yet"));

        post_thread(
            &app,
            &bob,
            "platform",
            json!({"type": "discussion", "title": "Hello hooks", "body": "x"}),
        )
        .await;
        delivery::tick(&app.state).await.unwrap();
        let (_, page) = ada
            .page(&app, &format!("/communities/platform/webhooks/{id}"))
            .await;
        assert!(
            page.contains("<td class=\"status\">delivered</td>"),
            "{page}"
        );
        assert!(page.contains("<td>204</td>"));

        // Paused in the page: nothing is queued for what happens meanwhile.
        let r = ada
            .post(
                &app,
                &format!("/communities/platform/webhooks/{id}"),
                &[("url", rx.url.as_str()), ("event.thread_opened", "on")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/communities/platform/webhooks/{id}"),
                None,
            )
            .await;
        assert_eq!(v["active"], false);
        post_thread(
            &app,
            &bob,
            "platform",
            json!({"type": "discussion", "title": "While paused", "body": "x"}),
        )
        .await;
        delivery::tick(&app.state).await.unwrap();
        assert_eq!(rx.got.lock().unwrap().len(), 1);
        let (s, v) = ada
            .api(
                &app,
                Method::PATCH,
                &format!("/api/v1/communities/platform/webhooks/{id}"),
                Some(json!({"active": true})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["active"], true);
        let (s, _) = bob
            .api(
                &app,
                Method::PATCH,
                &format!("/api/v1/communities/platform/webhooks/{id}"),
                Some(json!({"active": false})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let r = bob
            .post(
                &app,
                &format!("/communities/platform/webhooks/{id}/remove"),
                &[],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = ada
            .post(
                &app,
                &format!("/communities/platform/webhooks/{id}/remove"),
                &[],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, list) = ada.page(&app, "/communities/platform/webhooks").await;
        assert!(list.contains("No webhooks yet"));
        // The digest page links stewards to their webhooks.
        let (_, digest) = ada.page(&app, "/digest").await;
        assert!(digest.contains("/communities/platform/webhooks"));
    }
}
