//! Route-by-route privacy: a private community, its members and everything in
//! it are invisible to outsiders on every route that exists. API routes come
//! from the OpenAPI document, so new operations join by being documented;
//! page and operations routes are listed here, and a check of the web
//! crate's source fails when a route exists that this list does not name.
//!
//! For every route, as an outsider: no answer mentions the private
//! community; and on every route addressed by a community's slug (or by an
//! id inside one), the answer for the private community is the very same as
//! for one that does not exist.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::{Browser, browser};
use crate::{App, apps, client};

/// Every route outside the API document (pages and operations endpoints),
/// with the methods it answers. Keep in step with `crates/web/src`:
/// [`page_routes_are_all_listed`] checks it.
const PAGE_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/openapi.json", &["GET"]),
    ("/api/{*rest}", &["GET"]),
    ("/healthz", &["GET"]),
    ("/communities/{slug}/threads.atom", &["GET"]),
    ("/metrics", &["GET"]),
    ("/", &["GET"]),
    ("/static/style.css", &["GET"]),
    ("/signup", &["GET", "POST"]),
    ("/login", &["GET", "POST"]),
    ("/logout", &["POST"]),
    ("/claim/{link}", &["GET", "POST"]),
    ("/people", &["GET"]),
    ("/people/{id}", &["GET"]),
    ("/profile/edit", &["GET"]),
    ("/profile", &["POST"]),
    ("/settings/tokens", &["GET", "POST"]),
    ("/settings/tokens/{id}/revoke", &["POST"]),
    ("/communities", &["GET", "POST"]),
    ("/communities/new", &["GET"]),
    ("/communities/ask", &["GET", "POST"]),
    ("/invitations/{id}", &["POST"]),
    ("/communities/{slug}", &["GET"]),
    ("/communities/{slug}/join", &["POST"]),
    ("/communities/{slug}/leave", &["POST"]),
    ("/communities/{slug}/edit", &["GET", "POST"]),
    ("/communities/{slug}/history", &["GET"]),
    ("/communities/{slug}/health", &["GET"]),
    ("/communities/{slug}/pulses", &["GET", "POST"]),
    ("/communities/{slug}/pulses/{id}/answer", &["POST"]),
    ("/communities/{slug}/pulses/{id}/close", &["POST"]),
    ("/portfolio", &["GET"]),
    ("/communities/{slug}/gatherings", &["GET", "POST"]),
    ("/gatherings/{id}", &["GET"]),
    ("/gatherings/{id}/rsvp", &["POST"]),
    ("/gatherings/{id}/volunteer", &["POST"]),
    ("/gatherings/{id}/fairness", &["GET"]),
    ("/occurrences/{id}", &["GET"]),
    ("/occurrences/{id}/rsvp", &["POST"]),
    ("/occurrences/{id}/attendance", &["POST"]),
    ("/occurrences/{id}/check-in", &["POST"]),
    ("/occurrences/{id}/cancel", &["POST"]),
    ("/occurrences/{id}/decline", &["POST"]),
    ("/occurrences/{id}/record", &["POST"]),
    ("/occurrences/{id}/move", &["POST"]),
    ("/occurrences/{id}/following", &["POST"]),
    ("/occurrences/{id}/promote", &["POST"]),
    ("/feeds/calendar.ics", &["GET"]),
    ("/settings/feeds", &["GET", "POST"]),
    ("/settings/feeds/{id}/revoke", &["POST"]),
    ("/communities/{slug}/manage", &["GET"]),
    ("/communities/{slug}/members/{person_id}/role", &["POST"]),
    ("/communities/{slug}/requests/{id}", &["POST"]),
    ("/communities/{slug}/invitations", &["POST"]),
    ("/communities/{slug}/stage", &["POST"]),
    ("/communities/{slug}/archive", &["POST"]),
    ("/communities/{slug}/merge", &["POST"]),
    ("/communities/{slug}/split", &["GET", "POST"]),
    ("/static/threads.js", &["GET"]),
    ("/communities/{slug}/threads", &["GET", "POST"]),
    ("/communities/{slug}/threads/new", &["GET"]),
    ("/communities/{slug}/help-wanted", &["GET"]),
    ("/communities/{slug}/space-settings", &["POST"]),
    ("/threads/{id}", &["GET"]),
    ("/threads/{id}/edit", &["GET", "POST"]),
    ("/threads/{id}/history", &["GET"]),
    ("/threads/{id}/replies", &["POST"]),
    ("/threads/{id}/accept", &["POST"]),
    ("/threads/{id}/reactions", &["POST"]),
    ("/threads/{id}/kudos", &["POST"]),
    ("/threads/{id}/hide", &["POST"]),
    ("/replies/{id}/edit", &["GET", "POST"]),
    ("/replies/{id}/hide", &["POST"]),
    ("/replies/{id}/history", &["GET"]),
    ("/search", &["GET"]),
    ("/communities/{slug}/artifacts", &["GET", "POST"]),
    ("/communities/{slug}/artifacts/new", &["GET"]),
    ("/artifacts/mine", &["GET"]),
    ("/artifacts/{id}", &["GET"]),
    ("/artifacts/{id}/edit", &["GET", "POST"]),
    ("/artifacts/{id}/history", &["GET"]),
    ("/artifacts/{id}/review", &["POST"]),
    ("/artifacts/{id}/reuse", &["POST"]),
    ("/artifacts/{id}/links", &["POST"]),
    ("/artifacts/{id}/owner", &["POST"]),
    ("/artifacts/{id}/restore", &["POST"]),
    ("/threads/{id}/promote", &["POST"]),
    ("/notifications", &["GET"]),
    ("/notifications/read", &["POST"]),
    ("/communities/{slug}/experiments", &["GET", "POST"]),
    ("/experiments/{id}", &["GET"]),
    ("/experiments/{id}/edit", &["POST"]),
    ("/experiments/{id}/status", &["POST"]),
    ("/experiments/{id}/artifact", &["POST"]),
    ("/communities/{slug}/influence", &["GET"]),
    ("/artifacts/{id}/adoption", &["GET", "POST"]),
    ("/adoptions/{id}/remove", &["POST"]),
    // expertise and suggested answerers
    ("/expertise", &["GET"]),
    ("/profile/expertise", &["GET", "POST"]),
    ("/static/expertise.js", &["GET"]),
    // mentoring and start here
    ("/mentoring", &["GET"]),
    ("/mentoring/ask", &["POST"]),
    ("/mentoring/capacity", &["POST"]),
    ("/mentoring/{id}/accept", &["POST"]),
    ("/mentoring/{id}/decline", &["POST"]),
    ("/mentoring/{id}/end", &["POST"]),
    ("/communities/{slug}/start-here", &["GET"]),
    // duplicate effort
    ("/communities/{slug}/duplicates", &["GET"]),
    ("/duplicates/decide", &["POST"]),
    // digests and webhooks
    ("/digest", &["GET"]),
    ("/digest/email", &["POST"]),
    ("/digest/send", &["POST"]),
    ("/communities/{slug}/webhooks", &["GET", "POST"]),
    ("/communities/{slug}/webhooks/{id}", &["GET", "POST"]),
    ("/communities/{slug}/webhooks/{id}/remove", &["POST"]),
];

/// Words that appear only in the private communities.
const MARKERS: &[&str] = &[
    "secret-circle",
    "Hidden Orchard",
    "What grows unseen",
    "old-secret",
    "Buried Roots",
    "secret-sapling",
    "Quiet Seedlings",
    "whispered-question",
];

/// The paths given to `.route(...)` in every source file under `dir`
/// except the API's, whose operations are in the OpenAPI document.
fn routes_in(dir: &std::path::Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("api") {
                routes_in(&path, found);
            }
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for piece in text.split(".route(").skip(1) {
            let route = piece
                .trim_start()
                .strip_prefix('"')
                .and_then(|p| p.split('"').next());
            found.insert(
                route
                    .unwrap_or_else(|| {
                        panic!(
                            "a route in {} not given as a string literal",
                            path.display()
                        )
                    })
                    .to_owned(),
            );
        }
    }
}

#[test]
fn page_routes_are_all_listed() {
    let mut found = BTreeSet::new();
    routes_in(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut found,
    );
    let listed: BTreeSet<String> = PAGE_ROUTES.iter().map(|(p, _)| (*p).to_owned()).collect();
    let missing: Vec<_> = found.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "page routes missing from the privacy test: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "listed routes that no longer exist: {stale:?}"
    );
}

/// The private world: Ada stewards "secret-circle" (with a revision, a
/// pending request, an invitation, a private split and a merged private
/// community); "commons-garden" is open and split from it.
struct World {
    ada: Browser,
    bob: Browser,
    request: i64,
    invitation: i64,
    /// A question in the private community, and a reply to it.
    thread: i64,
    reply: i64,
    /// An experiment, an artifact and its adoption in the private community.
    experiment: i64,
    artifact: i64,
    adoption: i64,
    /// A webhook of the private community.
    webhook: i64,
}

async fn world(app: &App) -> World {
    let ada = browser(app, "ada@example.org", "Ada").await;
    let bob = browser(app, "bob@example.org", "Bob").await;
    let cy = browser(app, "cy@example.org", "Cy").await;
    let dan = browser(app, "dan@example.org", "Dan").await;
    let private = |slug: &str, name: &str| {
        json!({"slug": slug, "name": name, "domain_question": "What grows unseen?",
            "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "private"})
    };
    for (slug, name) in [
        ("secret-circle", "Hidden Orchard"),
        ("old-secret", "Buried Roots"),
    ] {
        let (s, v) = ada
            .api(
                app,
                Method::POST,
                "/api/v1/communities",
                Some(private(slug, name)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, _) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/old-secret/merge",
            Some(json!({"into": "secret-circle"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = ada
        .api(
            app,
            Method::PATCH,
            "/api/v1/communities/secret-circle",
            Some(json!({"purpose": "Tend the orchard"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/split",
            Some(private("secret-sapling", "Quiet Seedlings")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let open = json!({"slug": "commons-garden", "name": "Commons Garden", "domain_question": "How do we share?",
        "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"});
    let (s, _) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/split",
            Some(open),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = dan
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/requests",
            Some(json!({"message": "please"})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (_, pending) = ada
        .api(
            app,
            Method::GET,
            "/api/v1/communities/secret-circle/requests",
            None,
        )
        .await;
    let request = pending[0]["id"].as_i64().unwrap();
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/invitations",
            Some(json!({"person_id": cy.id})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let invitation = v["id"].as_i64().unwrap();
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/threads",
            Some(json!({"type": "question", "title": "A whispered-question", "body": "whispered-question body",
                "tags": ["whispered-question"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let thread = v["id"].as_i64().unwrap();
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            &format!("/api/v1/threads/{thread}/replies"),
            Some(json!({"body": "a whispered-question answer"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let reply = v["id"].as_i64().unwrap();
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/experiments",
            Some(
                json!({"title": "A whispered-question trial", "hypothesis": "whispered-question"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let experiment = v["id"].as_i64().unwrap();
    crate::experiments::on_team(app, &ada, "Ada", "Orchard team").await;
    let artifact =
        crate::experiments::artifact(app, "secret-circle", ada.id, "whispered-question checklist")
            .await;
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            &format!("/api/v1/artifacts/{artifact}/adoptions"),
            Some(json!({"adopted_on": "2026-03-01", "note": "whispered-question"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let adoption = v["id"].as_i64().unwrap();
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            &format!("/api/v1/artifacts/{artifact}/links"),
            Some(json!({"target_type": "thread", "target_id": thread})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = ada
        .api(
            app,
            Method::POST,
            "/api/v1/communities/secret-circle/webhooks",
            Some(json!({"url": "http://127.0.0.1:9/hook", "description": "orchard chat"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let webhook = v["id"].as_i64().unwrap();
    World {
        webhook,
        ada,
        bob,
        request,
        invitation,
        thread,
        reply,
        experiment,
        artifact,
        adoption,
    }
}

/// A body that would be valid for the operation, so refusals come from privacy, not from the body.
fn body_for(path: &str, bob: i64) -> Value {
    let charter = json!({"name": "Anything", "domain_question": "Why?", "type": "cross_cutting",
        "orientation": "knowledge_weaving"});
    match path {
        "/api/v1/communities/{slug}/threads" => {
            return json!({"type": "discussion", "title": "Anything", "body": "Why?"});
        }
        "/api/v1/threads/{id}" => return json!({"title": "Anything", "body": "Why?"}),
        "/api/v1/replies/{id}" | "/api/v1/threads/{id}/replies" => return json!({"body": "Why?"}),
        "/api/v1/threads/{id}/accept" => return json!({"reply_id": 1}),
        "/api/v1/threads/{id}/reactions" => return json!({"reaction": "helpful"}),
        "/api/v1/communities/{slug}/experiments" | "/api/v1/experiments/{id}" => {
            return json!({"title": "Anything", "hypothesis": "Why?"});
        }
        "/api/v1/experiments/{id}/status" => return json!({"status": "running"}),
        "/api/v1/artifacts/{id}/adoptions" => return json!({"adopted_on": "2026-03-01"}),
        "/api/v1/communities/{slug}/artifacts" | "/api/v1/artifacts/{id}" => {
            return json!({"kind": "guide", "title": "Anything", "body": "Why?"});
        }
        "/api/v1/artifacts/{id}/links" => return json!({"target_type": "thread", "target_id": 1}),
        "/api/v1/artifacts/{id}/restore" => return json!({"revision": 1}),
        "/api/v1/artifacts/{id}/owner" => return json!({"owner_id": bob}),
        "/api/v1/communities/{slug}/space-settings" => {
            return json!({"anonymous_questions": true});
        }
        _ => {}
    }
    match path.rsplit('/').next().unwrap_or_default() {
        "merge" => json!({"into": "commons-garden"}),
        "split" | "communities" => charter,
        "role" => json!({"role": "member"}),
        "invitations" => json!({"person_id": bob}),
        "requests" => json!({"message": "hello"}),
        "{slug}" => json!({"purpose": "changed"}),
        _ => json!({}),
    }
}

/// `path` with its parameters filled in: `slug` for `{slug}`, and the ids given.
fn fill(path: &str, slug: &str, id: i64, person: i64) -> String {
    path.replace("{slug}", slug)
        .replace("{person_id}", &person.to_string())
        .replace("{id}", &id.to_string())
}

fn assert_clean(what: &str, text: &str) {
    for m in MARKERS {
        assert!(!text.contains(m), "{what} leaks {m:?}: {text}");
    }
}

#[tokio::test]
async fn a_private_community_leaks_nowhere_in_the_api() {
    for app in apps().await {
        let w = world(&app).await;
        let doc: Value = client()
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut operations: Vec<(String, String)> = Vec::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                operations.push((method.to_uppercase(), path.clone()));
            }
        }
        // Logging out last, so the outsider stays signed in throughout.
        operations.sort_by_key(|(_, p)| p.contains("/auth/"));
        let mut scoped = 0;
        for (method, path) in &operations {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let in_community = path.contains("{slug}");
            // Ids inside a community: the real request; elsewhere, Ada (people) or the invitation.
            let real_id = if path.contains("/requests/") {
                w.request
            } else if path.contains("/webhooks/") {
                w.webhook
            } else if path.starts_with("/api/v1/invitations/") {
                w.invitation
            } else if path.starts_with("/api/v1/people/") {
                w.ada.id
            } else if path.starts_with("/api/v1/threads/") {
                w.thread
            } else if path.starts_with("/api/v1/replies/") {
                w.reply
            } else if path.starts_with("/api/v1/experiments/") {
                w.experiment
            } else if path.starts_with("/api/v1/artifacts/") {
                w.artifact
            } else if path.starts_with("/api/v1/adoptions/") {
                w.adoption
            } else {
                999_999
            };
            let in_thread = [
                "/api/v1/threads/",
                "/api/v1/replies/",
                "/api/v1/experiments/",
                "/api/v1/artifacts/",
                "/api/v1/adoptions/",
            ]
            .iter()
            .any(|p| path.starts_with(p));
            let body = || Some(body_for(path, w.bob.id));
            let url = fill(path, "secret-circle", real_id, w.ada.id);
            let (status, answer) = w.bob.api(&app, method.clone(), &url, body()).await;
            assert_clean(&format!("{method} {url}"), &answer.to_string());
            if in_community || in_thread || path.starts_with("/api/v1/invitations/") {
                scoped += 1;
                let missing = fill(path, "no-such-place", 999_999, w.ada.id);
                let (m_status, m_answer) = w.bob.api(&app, method.clone(), &missing, body()).await;
                assert_eq!(
                    (status, &answer),
                    (m_status, &m_answer),
                    "{method} {path}: private and missing differ"
                );
                assert!(
                    status == StatusCode::NOT_FOUND
                        || (status == StatusCode::ACCEPTED && path.ends_with("/requests")),
                    "{method} {url}: {status} {answer}"
                );
                // Anonymous visitors get the same answer for both, too.
                let mut anonymous = Vec::new();
                for u in [&url, &missing] {
                    let r = client()
                        .request(method.clone(), app.url(u))
                        .json(&body_for(path, w.bob.id))
                        .send()
                        .await
                        .unwrap();
                    anonymous.push((r.status(), r.text().await.unwrap()));
                }
                assert_eq!(anonymous[0], anonymous[1], "anonymous {method} {path}");
                assert_eq!(
                    anonymous[0].0,
                    StatusCode::UNAUTHORIZED,
                    "anonymous {method} {path}"
                );
                for merged in ["old-secret"] {
                    let url = fill(path, merged, real_id, w.ada.id);
                    let (s, a) = w.bob.api(&app, method.clone(), &url, body()).await;
                    assert!(
                        s == StatusCode::NOT_FOUND || s == StatusCode::ACCEPTED,
                        "{method} {url}: {s}"
                    );
                    assert_clean(&url, &a.to_string());
                }
            }
            // The member sees what the outsider does not: the test is not vacuous.
            if (in_community || in_thread) && method == Method::GET {
                let (s, _) = w.ada.api(&app, Method::GET, &url, None).await;
                assert_eq!(s, StatusCode::OK, "Ada GET {url}");
            }
        }
        assert!(scoped >= 18, "only {scoped} community operations checked");
        assert!(
            operations.len() >= 30,
            "only {} operations in the document",
            operations.len()
        );
    }
}

#[tokio::test]
async fn a_private_community_leaks_nowhere_in_the_pages() {
    for app in apps().await {
        let w = world(&app).await;
        // The open community split from the private one does not name it.
        let (s, text) = w.bob.page(&app, "/communities/commons-garden").await;
        assert_eq!(s, StatusCode::OK);
        assert_clean("the open split", &text);
        let (_, text) = w
            .bob
            .page(&app, "/communities/commons-garden/history")
            .await;
        assert!(text.contains("split from a private community"));
        // Asking to join by address answers alike for private and missing.
        let ask = |slug: &'static str| {
            let bob = &w.bob;
            let app = &app;
            async move {
                let r = bob.post(app, "/communities/ask", &[("slug", slug)]).await;
                (r.status(), r.text().await.unwrap())
            }
        };
        assert_eq!(ask("secret-sapling").await, ask("nothing-here").await);
        let mut routes: Vec<(&str, &str)> = PAGE_ROUTES
            .iter()
            .flat_map(|(p, ms)| ms.iter().map(move |m| (*m, *p)))
            .collect();
        routes.sort_by_key(|(_, p)| *p == "/logout");
        for (method, path) in routes {
            let real_id = if path.contains("/requests/") {
                w.request
            } else if path.contains("/webhooks/") {
                w.webhook
            } else if path.starts_with("/invitations/") {
                w.invitation
            } else if path.starts_with("/people/") {
                w.ada.id
            } else if path.starts_with("/experiments/") {
                w.experiment
            } else if path.starts_with("/artifacts/{id}") {
                w.artifact
            } else if path == "/threads/{id}/promote" {
                w.thread
            } else if path.starts_with("/adoptions/") {
                w.adoption
            } else {
                999_999
            };
            // Pages of things inside the private community, addressed by id.
            let inside = path.starts_with("/experiments/")
                || path.starts_with("/artifacts/{id}")
                || path == "/threads/{id}/promote"
                || path.starts_with("/adoptions/");
            let get = |url: String| {
                let bob = &w.bob;
                let app = &app;
                async move {
                    if method == "GET" {
                        let r = bob.web.get(app.url(&url)).send().await.unwrap();
                        (r.status(), r.text().await.unwrap())
                    } else {
                        let mut fields: Vec<(&str, &str)> = vec![
                            ("name", "Anything"),
                            ("domain_question", "Why?"),
                            ("community_type", "cross_cutting"),
                            ("orientation", "knowledge_weaving"),
                            ("visibility", "open"),
                            ("role", "member"),
                            (
                                "decision",
                                if url.starts_with("/invitations/") {
                                    "accept"
                                } else {
                                    "approve"
                                },
                            ),
                            ("stage", "maturing"),
                            ("into", "commons-garden"),
                            ("email", "bob@example.org"),
                            ("message", "hi"),
                        ];
                        // Asking by address names the private community; the answer must not.
                        if url == "/communities/ask" {
                            fields.push(("slug", "secret-circle"));
                        }
                        let r = bob.post(app, &url, &fields).await;
                        (r.status(), r.text().await.unwrap())
                    }
                }
            };
            let url = fill(path, "secret-circle", real_id, w.ada.id);
            let (status, text) = get(url.clone()).await;
            assert_clean(&format!("{method} {url}"), &text);
            if path.contains("{slug}") || path.starts_with("/invitations/") || inside {
                let missing = fill(path, "no-such-place", 999_999, w.ada.id);
                let (m_status, m_text) = get(missing).await;
                assert_eq!(
                    (status, &text),
                    (m_status, &m_text),
                    "{method} {path}: private and missing differ"
                );
                assert_eq!(status, StatusCode::NOT_FOUND, "{method} {url}");
                let (s, t) = get(fill(path, "old-secret", real_id, w.ada.id)).await;
                assert_eq!(
                    s,
                    StatusCode::NOT_FOUND,
                    "{method} {path} at the merged private address"
                );
                assert_clean(path, &t);
                if method == "GET" {
                    let (s, _) = w.ada.page(&app, &url).await;
                    assert_eq!(s, StatusCode::OK, "Ada GET {url}");
                }
            }
        }
    }
}
