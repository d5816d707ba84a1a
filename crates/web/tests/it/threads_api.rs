//! The shared space through the API, on both databases: asking, answering,
//! accepting, editing with revisions, reactions, kudos and notifications;
//! anonymous questions that never name the asker to anyone (stewards and
//! admins included) on any route; admin hiding; search with its filters and
//! privacy; sanitised Markdown; help wanted and similar questions.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::join;
use crate::browser::{Browser, browser};
use crate::{App, apps};
use domain::Clock;

async fn community(app: &App, steward: &Browser, slug: &str, visibility: &str) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": slug, "domain_question": "How do we ship safely?",
                "type": "technical_practice", "orientation": "collaborative_learning", "visibility": visibility})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn ask(app: &App, who: &Browser, slug: &str, body: Value) -> Value {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/communities/{slug}/threads"),
            Some(body),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

#[tokio::test]
async fn a_question_is_asked_answered_accepted_and_thanked() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        community(&app, &ada, "deploys", "open").await;
        // Outsiders read an open community's threads but must join to write.
        let q = json!({"type": "question", "title": "How do we roll back?", "body": "Is there a **runbook**?", "tags": ["Rollback", "deploys"]});
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/deploys/threads",
                Some(q.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        join(&app, &bob, "deploys").await;
        let thread = ask(&app, &bob, "deploys", q).await;
        let id = thread["id"].as_i64().unwrap();
        assert_eq!(thread["tags"], json!(["rollback", "deploys"]));
        assert_eq!(
            thread["post"]["html"],
            "<p>Is there a <strong>runbook</strong>?</p>\n"
        );
        assert_eq!(thread["post"]["author"]["name"], "Bob");
        let (s, answer) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/replies"),
                Some(json!({"body": "Use `deploy rollback` — thanks @bob"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        let answer_id = answer["id"].as_i64().unwrap();
        // Only the asker (or a steward) accepts; Bob is the asker.
        let carol = browser(&app, "carol@example.org", "Carol").await;
        join(&app, &carol, "deploys").await;
        let (s, _) = carol
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/accept"),
                Some(json!({"reply_id": answer_id})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/accept"),
                Some(json!({"reply_id": answer_id})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["solved"], true);
        assert_eq!(v["replies"][0]["accepted"], true);
        // Reactions and kudos.
        let (s, _) = carol
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/reactions"),
                Some(json!({"reply_id": answer_id, "reaction": "helpful"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, v) = carol
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/reactions"),
                Some(json!({"reply_id": answer_id, "reaction": "adore"})),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reaction"))
        );
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/kudos"),
                Some(json!({"reply_id": answer_id, "note": "Saved the release"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, kudos) = carol
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/people/{}/kudos", ada.id),
                None,
            )
            .await;
        assert_eq!(kudos[0]["note"], "Saved the release");
        assert_eq!(kudos[0]["from"]["name"], "Bob");
        let (_, v) = carol
            .api(&app, Method::GET, &format!("/api/v1/threads/{id}"), None)
            .await;
        assert_eq!(v["replies"][0]["reactions"]["helpful"], 1);
        assert_eq!(v["replies"][0]["reactions"]["mine"], json!(["helpful"]));
        // Bob was mentioned and replied to (told once), then Ada got acceptance and kudos.
        let (_, n) = bob
            .api(&app, Method::GET, "/api/v1/notifications", None)
            .await;
        assert_eq!(n["unread"], 1, "{n}");
        assert_eq!(n["items"][0]["kind"], "mention");
        let (_, n) = ada
            .api(&app, Method::GET, "/api/v1/notifications", None)
            .await;
        let kinds: Vec<_> = n["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["kind"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(kinds, ["kudos", "accepted"]);
        let (s, _) = ada
            .api(&app, Method::POST, "/api/v1/notifications/read", None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, n) = ada
            .api(&app, Method::GET, "/api/v1/notifications", None)
            .await;
        assert_eq!(n["unread"], 0);
        // Editing keeps revisions; only the writer edits.
        let edit = json!({"title": "How do we roll back a deploy?", "body": "Runbook, please", "tags": ["rollback"]});
        let (s, _) = ada
            .api(
                &app,
                Method::PUT,
                &format!("/api/v1/threads/{id}"),
                Some(edit.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = bob
            .api(
                &app,
                Method::PUT,
                &format!("/api/v1/threads/{id}"),
                Some(edit),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["revision"], 2);
        let (_, revs) = carol
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/threads/{id}/revisions"),
                None,
            )
            .await;
        assert_eq!(revs.as_array().unwrap().len(), 2);
        assert_eq!(revs[1]["title"], "How do we roll back?");
        let (s, _) = ada
            .api(
                &app,
                Method::PUT,
                &format!("/api/v1/replies/{answer_id}"),
                Some(json!({"body": "Use the rollback pipeline"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, revs) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/replies/{answer_id}/revisions"),
                None,
            )
            .await;
        assert_eq!(revs.as_array().unwrap().len(), 2);
        // The activity log has the thread's events.
        let kinds: Vec<String> = app
            .db
            .store
            .activity_page(Default::default(), 0, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.subject.as_deref() == Some(&*format!("thread-{id}")))
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["thread_opened", "replied", "answer_accepted", "kudos"]
        );
    }
}

#[tokio::test]
async fn an_anonymous_asker_is_never_named_anywhere() {
    for app in apps().await {
        let steward = browser(&app, "steward@example.org", "Stella Steward").await;
        let asker = browser(&app, "asker@example.org", "Quentin Quietly").await;
        let admin = browser(&app, "root@example.org", "Root Admin").await;
        app.db
            .store
            .set_org_role(
                "root@example.org",
                domain::person::OrgRole::Admin,
                app.clock.now(),
            )
            .await
            .unwrap();
        community(&app, &steward, "k8s", "open").await;
        join(&app, &asker, "k8s").await;
        // Only questions may be anonymous.
        let (s, v) = asker
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/k8s/threads",
                Some(json!({"type": "discussion", "title": "x", "body": "y", "anonymous": true})),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("anonymous"))
        );
        let thread = ask(
            &app,
            &asker,
            "k8s",
            json!({"type": "question", "title": "What is a pod, really?",
            "body": "Sorry if this is basic", "tags": ["basics"], "anonymous": true}),
        )
        .await;
        let id = thread["id"].as_i64().unwrap();
        assert_eq!(thread["post"]["byline"], "the asker");
        assert_eq!(thread["post"]["mine"], true);
        let (s, answer) = steward
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/replies"),
                Some(json!({"body": "Not basic at all: a pod is ..."})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, follow) = asker
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/replies"),
                Some(json!({"body": "Thanks! And a node?", "quote_of": answer["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{follow}");
        assert_eq!(follow["byline"], "the asker");
        assert!(follow["author"].is_null());
        // The asker accepts and edits as the asker.
        let (s, _) = asker
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/accept"),
                Some(json!({"reply_id": answer["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = asker.api(&app, Method::PUT, &format!("/api/v1/threads/{id}"),
            Some(json!({"title": "What is a pod?", "body": "Sorry if this is basic!", "tags": ["basics"]}))).await;
        assert_eq!(s, StatusCode::OK);
        // Everything anyone else can fetch about it: no name, no id of the asker.
        let (_, mine) = asker
            .api(&app, Method::GET, "/api/v1/me/anonymous-questions", None)
            .await;
        assert_eq!(mine[0]["id"], id);
        let routes = [
            format!("/api/v1/threads/{id}"),
            format!("/api/v1/threads/{id}/revisions"),
            format!("/api/v1/replies/{}/revisions", follow["id"]),
            "/api/v1/communities/k8s/threads".to_owned(),
            "/api/v1/communities/k8s/help-wanted".to_owned(),
            "/api/v1/communities/k8s/similar-questions?title=pod".to_owned(),
            "/api/v1/search?q=pod".to_owned(),
            "/api/v1/search?q=node".to_owned(),
            "/api/v1/notifications".to_owned(),
            "/api/v1/me/anonymous-questions".to_owned(),
            format!("/api/v1/people/{}/kudos", asker.id),
            "/api/v1/communities/k8s/members".to_owned(),
        ];
        let mut seen_something = 0;
        for who in [&steward, &admin] {
            for route in &routes {
                let (s, v) = who.api(&app, Method::GET, route, None).await;
                assert_eq!(s, StatusCode::OK, "{route}: {v}");
                let text = v.to_string();
                if route.contains("threads") || route.contains("search") {
                    assert!(
                        text.contains("pod") || text.contains("node"),
                        "{route} is empty: {text}"
                    );
                    seen_something += 1;
                }
                if !route.ends_with("/members") {
                    assert!(!text.contains("Quentin"), "{route} names the asker: {text}");
                    assert!(
                        !text.contains(&format!("{{\"id\":{},\"name\"", asker.id)),
                        "{route} gives the asker's id: {text}"
                    );
                }
                assert!(!text.contains("asker@example.org"), "{route}: {text}");
            }
        }
        assert!(seen_something >= 8);
        // Nor the export of the activity log.
        for e in app
            .db
            .store
            .activity_page(Default::default(), 0, 1000)
            .await
            .unwrap()
        {
            if e.subject.as_deref() == Some(&*format!("thread-{id}")) {
                assert_ne!(e.actor, Some(asker.id), "{e:?}");
                assert_ne!(e.reply_to, Some(asker.id), "{e:?}");
            }
        }
        // An admin hides it without learning who wrote it; a steward cannot.
        let (s, _) = steward
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/hide"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = admin
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/hide"),
                Some(json!({"hidden": true})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, v) = steward
            .api(&app, Method::GET, &format!("/api/v1/threads/{id}"), None)
            .await;
        assert_eq!(v["post"]["hidden"], true);
        assert_eq!(v["post"]["body"], "");
        assert_eq!(v["title"], "(hidden)");
        let (_, v) = steward
            .api(&app, Method::GET, "/api/v1/search?q=pod", None)
            .await;
        assert_eq!(v["items"], json!([]));
        // Stewards may switch anonymous questions off.
        let (s, _) = asker
            .api(
                &app,
                Method::PUT,
                "/api/v1/communities/k8s/space-settings",
                Some(json!({"anonymous_questions": false})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = steward
            .api(
                &app,
                Method::PUT,
                "/api/v1/communities/k8s/space-settings",
                Some(json!({"anonymous_questions": false})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = asker
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/k8s/threads",
                Some(
                    json!({"type": "question", "title": "Again?", "body": "y", "anonymous": true}),
                ),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("anonymous"))
        );
    }
}

#[tokio::test]
async fn bodies_are_sanitised_and_fields_checked() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        community(&app, &ada, "web", "open").await;
        let member = browser(&app, "member@example.org", "M").await;
        join(&app, &member, "web").await;
        let evil = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) ![t](https://tracker.example/p.png)";
        let t = ask(
            &app,
            &ada,
            "web",
            json!({"type": "discussion", "title": "XSS", "body": evil}),
        )
        .await;
        let html = t["post"]["html"].as_str().unwrap();
        assert!(
            html.contains("<a href=\"https://tracker.example/p.png\""),
            "{html}"
        );
        for bad in [
            "<script",
            "onerror",
            "href=\"javascript",
            "<img src=\"https://tracker",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert_eq!(t["post"]["body"], evil, "the Markdown is kept as written");
        for (body, field) in [
            (json!({"type": "gossip", "title": "t", "body": "b"}), "type"),
            (
                json!({"type": "discussion", "title": "", "body": "b"}),
                "title",
            ),
            (
                json!({"type": "discussion", "title": "t", "body": " "}),
                "body",
            ),
            (
                json!({"type": "discussion", "title": "t", "body": "b", "tags": ["no spaces allowed?"]}),
                "tags",
            ),
            (
                json!({"type": "announcement", "title": "t", "body": "b"}),
                "type",
            ),
        ] {
            let (s, v) = member
                .api(
                    &app,
                    Method::POST,
                    "/api/v1/communities/web/threads",
                    Some(body.clone()),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
            assert_eq!(v["error"]["field"], field, "{body}: {v}");
        }
        // A steward may announce.
        ask(
            &app,
            &ada,
            "web",
            json!({"type": "announcement", "title": "Meet-up", "body": "Thursday"}),
        )
        .await;
        let id = t["id"].as_i64().unwrap();
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{id}/replies"),
                Some(json!({"body": "q", "quote_of": 999_999})),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("quote_of"))
        );
        let (s, _) = ada
            .api(&app, Method::GET, "/api/v1/search?q=x&type=nonsense", None)
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/web/threads?limit=0",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/web/threads?cursor=garbage",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn search_help_wanted_and_paging() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        community(&app, &ada, "open-k8s", "open").await;
        community(&app, &ada, "hidden-k8s", "private").await;
        for i in 0..3 {
            ask(&app, &ada, "open-k8s", json!({"type": "question", "title": format!("Kubernetes question {i}"), "body": "pods and nodes", "tags": ["k8s"]})).await;
        }
        ask(
            &app,
            &ada,
            "hidden-k8s",
            json!({"type": "question", "title": "Kubernetes secret plan", "body": "pods"}),
        )
        .await;
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/search?q=kubernetes&limit=2",
                None,
            )
            .await;
        assert_eq!(v["items"].as_array().unwrap().len(), 2);
        assert!(
            v["items"][0]["snippet"]
                .as_str()
                .unwrap()
                .contains("<mark>Kubernetes</mark>"),
            "{v}"
        );
        let next = v["next_cursor"].as_str().unwrap().to_owned();
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/search?q=kubernetes&limit=2&cursor={next}"),
                None,
            )
            .await;
        assert_eq!(
            v["items"].as_array().unwrap().len(),
            1,
            "the private community's question stays out: {v}"
        );
        assert!(v["next_cursor"].is_null());
        let (_, v) = ada
            .api(&app, Method::GET, "/api/v1/search?q=kubernetes", None)
            .await;
        assert_eq!(v["items"].as_array().unwrap().len(), 4);
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/search?q=kubernetes&community=hidden-k8s",
                None,
            )
            .await;
        assert_eq!(v["items"].as_array().unwrap().len(), 1);
        let (s, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/search?q=kubernetes&community=hidden-k8s",
                None,
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("community"))
        );
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/open-k8s/similar-questions?title=kubernetes+pods",
                None,
            )
            .await;
        assert_eq!(v.as_array().unwrap().len(), 3);
        // Threads page by cursor; help wanted shows the unanswered, oldest first.
        let (_, page) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/open-k8s/threads?limit=2&tag=k8s",
                None,
            )
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let next = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, rest) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/communities/open-k8s/threads?limit=2&cursor={next}"),
                None,
            )
            .await;
        assert_eq!(rest["items"].as_array().unwrap().len(), 1);
        app.clock.advance(chrono::Duration::days(8));
        let (_, hw) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/open-k8s/help-wanted",
                None,
            )
            .await;
        let titles: Vec<_> = hw["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            titles,
            [
                "Kubernetes question 0",
                "Kubernetes question 1",
                "Kubernetes question 2"
            ]
        );
        assert_eq!(hw["unanswered"], json!([]));
    }
}
