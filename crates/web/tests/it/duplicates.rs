//! Duplicate effort through the API and the pages: candidates for a post
//! and a draft, a community's flagged pairs for its stewards, "link them"
//! and "not the same" remembered, both posts showing the link; and the
//! privacy rules (a private post reaches only its members, an anonymous
//! asker is never named).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::join;
use crate::browser::{Browser, browser};
use crate::experiments::on_team;
use crate::{App, apps};

async fn community(app: &App, who: &Browser, slug: &str, visibility: &str) {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(
                json!({"slug": slug, "name": slug, "domain_question": "How do we run things?",
                "type": "technical_practice", "orientation": "collaborative_learning",
                "visibility": visibility}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn thread(
    app: &App,
    who: &Browser,
    slug: &str,
    title: &str,
    body: &str,
    tags: &[&str],
) -> i64 {
    thread_as(app, who, slug, title, body, tags, false).await
}

async fn thread_as(
    app: &App,
    who: &Browser,
    slug: &str,
    title: &str,
    body: &str,
    tags: &[&str],
    anonymous: bool,
) -> i64 {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/communities/{slug}/threads"),
            Some(
                json!({"type": "question", "title": title, "body": body, "tags": tags,
                "anonymous": anonymous}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

const LOGS_TITLE: &str = "Fluentd drops structured log fields under load";
const LOGS_BODY: &str = "Our fluentd sidecar drops JSON fields when the pods are busy: the buffer overflows and Kibana shows half the fields.";
const SAME_TITLE: &str = "Structured fields vanish from Kibana at peak traffic";
const SAME_BODY: &str = "At peak traffic the fluentd buffer overflows and the structured JSON fields never reach Kibana.";

/// Other posts, so the words of the two above are rare enough to tell.
async fn background(app: &App, who: &Browser, slug: &str) {
    for (title, body) in [
        (
            "Flaky browser tests in checkout",
            "The payment step times out once a day.",
        ),
        (
            "Terraform state locking",
            "Two pipelines apply at once and one is blocked.",
        ),
        (
            "Which logging library for Rust?",
            "We are choosing between tracing and log4rs.",
        ),
        (
            "Onboarding checklist for new engineers",
            "What should a newcomer read first?",
        ),
    ] {
        thread(app, who, slug, title, body, &[]).await;
    }
}

fn keys(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c[field]["post"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn near_duplicates_across_teams_are_flagged_explained_and_linked() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        on_team(&app, &ada, "Ada", "Payments").await;
        on_team(&app, &bob, "Bob", "Search").await;
        on_team(&app, &cy, "Cy", "Mobile").await;
        community(&app, &ada, "logs", "open").await;
        community(&app, &bob, "ops", "open").await;
        join(&app, &cy, "logs").await;
        background(&app, &ada, "logs").await;
        let t1 = thread(
            &app,
            &ada,
            "logs",
            LOGS_TITLE,
            LOGS_BODY,
            &["logging", "fluentd"],
        )
        .await;
        let t2 = thread(&app, &bob, "ops", SAME_TITLE, SAME_BODY, &["logging"]).await;
        let (k1, k2) = (format!("thread-{t1}"), format!("thread-{t2}"));

        // Candidates for Ada's thread: Bob's, explained by the words they share.
        let (s, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={k1}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(keys(&v, "post"), [k2.as_str()], "{v}");
        let terms: Vec<&str> = v[0]["shared_terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        for word in ["fluentd", "kibana", "buffer"] {
            assert!(terms.contains(&word), "{word} not in {terms:?}");
        }
        assert_eq!(v[0]["post"]["author"], "Bob");
        assert_eq!(v[0]["post"]["team"], "Search");
        assert!(v[0]["score"].as_f64().unwrap() >= domain::duplicates::DUPLICATE_THRESHOLD);

        // A draft being written by someone on a third team finds both.
        let (s, v) = cy
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/logs/duplicates/candidates",
                Some(json!({"title": "fluentd buffer overflows", "body": "Kibana misses structured JSON fields.", "tags": ["logging"]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let mut found = keys(&v, "post");
        found.sort();
        assert_eq!(found, [k1.clone(), k2.clone()], "{v}");

        // The steward of either community sees the pair; a member who is not one does not.
        let (s, v) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/logs/duplicates",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
        assert_eq!(
            (v[0]["a"]["post"].as_str(), v[0]["b"]["post"].as_str()),
            (Some(k1.as_str()), Some(k2.as_str()))
        );
        let (s, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/ops/duplicates",
                None,
            )
            .await;
        assert_eq!((s, v.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
        let (s, _) = cy
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/logs/duplicates",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, page) = ada.page(&app, "/communities/logs/duplicates").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(SAME_TITLE) && page.contains("<mark>fluentd</mark>"),
            "{page}"
        );
        assert!(page.contains("Link them") && page.contains("Not the same"));

        // The author's page shows the candidate and the two actions; Cy's does not.
        let (_, page) = ada.page(&app, &format!("/threads/{t1}")).await;
        assert!(
            page.contains("Duplicate effort") && page.contains(SAME_TITLE),
            "{page}"
        );
        assert!(page.contains("<mark>kibana</mark>") && page.contains("Link them"));
        let (_, page) = cy.page(&app, &format!("/threads/{t1}")).await;
        assert!(!page.contains("Link them") && !page.contains(SAME_TITLE));

        // Cy may not decide; Bob links them from his thread's page.
        let decision = json!({"a": k1, "b": k2, "decision": "link"});
        let (s, _) = cy
            .api(
                &app,
                Method::POST,
                "/api/v1/duplicates/decisions",
                Some(decision),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let r = bob
            .post(
                &app,
                "/duplicates/decide",
                &[
                    ("a", &k2),
                    ("b", &k1),
                    ("decision", "link"),
                    ("back", &format!("/threads/{t2}")),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()["location"],
            format!("/threads/{t2}?decided=link").as_str()
        );

        // Both pages show the link, to anyone who may see them; the pair is no longer flagged.
        let (_, page) = cy.page(&app, &format!("/threads/{t1}")).await;
        assert!(
            page.contains("Same problem as") && page.contains(SAME_TITLE),
            "{page}"
        );
        let (_, page) = cy.page(&app, &format!("/threads/{t2}")).await;
        assert!(
            page.contains("Same problem as") && page.contains(LOGS_TITLE),
            "{page}"
        );
        let (_, v) = cy
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/links?post={k2}"),
                None,
            )
            .await;
        assert_eq!(v[0]["post"], k1.as_str(), "{v}");
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/logs/duplicates",
                None,
            )
            .await;
        assert_eq!(v, json!([]));
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={k1}"),
                None,
            )
            .await;
        assert_eq!(v, json!([]));

        // "Not the same" is remembered: the pair never comes back.
        let t3 = thread(
            &app,
            &bob,
            "ops",
            "Kibana misses fluentd fields",
            SAME_BODY,
            &[],
        )
        .await;
        let k3 = format!("thread-{t3}");
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={k1}"),
                None,
            )
            .await;
        assert_eq!(keys(&v, "post"), [k3.as_str()]);
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/duplicates/decisions",
                Some(json!({"a": k3, "b": k1, "decision": "not_the_same"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["a"].as_str(), v["decision"].as_str()),
            (Some(k1.as_str()), Some("not_the_same"))
        );
        assert!(
            v["shared_terms"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "fluentd")
        );
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={k1}"),
                None,
            )
            .await;
        assert_eq!(v, json!([]));

        // Malformed input names its field.
        for (body, field) in [
            (json!({"a": "thread-x", "b": k1, "decision": "link"}), "a"),
            (
                json!({"a": k1, "b": "gathering-1", "decision": "link"}),
                "b",
            ),
            (json!({"a": k1, "b": k2, "decision": "maybe"}), "decision"),
        ] {
            let (s, v) = ada
                .api(
                    &app,
                    Method::POST,
                    "/api/v1/duplicates/decisions",
                    Some(body),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(v["error"]["field"], field, "{v}");
        }
    }
}

#[tokio::test]
async fn private_posts_reach_only_members_and_anonymous_askers_stay_unnamed() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        on_team(&app, &ada, "Ada", "Payments").await;
        on_team(&app, &bob, "Bob", "Search").await;
        on_team(&app, &cy, "Cy", "Mobile").await;
        community(&app, &ada, "vault", "private").await;
        community(&app, &bob, "logs", "open").await;
        join(&app, &cy, "logs").await;
        background(&app, &bob, "logs").await;
        let private = thread(&app, &ada, "vault", LOGS_TITLE, LOGS_BODY, &["fluentd"]).await;
        let open = thread(&app, &bob, "logs", SAME_TITLE, SAME_BODY, &["logging"]).await;
        let anonymous = thread_as(
            &app,
            &cy,
            "logs",
            "Kibana loses fluentd fields",
            SAME_BODY,
            &[],
            true,
        )
        .await;
        let (kp, ko, ka) = (
            format!("thread-{private}"),
            format!("thread-{open}"),
            format!("thread-{anonymous}"),
        );

        // Bob may not see the private post: not among his candidates, not on
        // his steward's page, and deciding on it is the 404 of a missing post.
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={ko}"),
                None,
            )
            .await;
        assert!(!keys(&v, "post").contains(&kp), "{v}");
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/logs/duplicates",
                None,
            )
            .await;
        assert!(
            !v.to_string().contains(&kp) && !v.to_string().contains("vault"),
            "{v}"
        );
        let (_, page) = bob.page(&app, "/communities/logs/duplicates").await;
        assert!(!page.contains(LOGS_TITLE));
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/duplicates/decisions",
                Some(json!({"a": ko, "b": kp, "decision": "link"})),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={kp}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Ada, who may see both, is shown the open post; the anonymous
        // question is shown without its asker or team.
        let (_, v) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/candidates?post={kp}"),
                None,
            )
            .await;
        let found = keys(&v, "post");
        assert!(found.contains(&ko) && found.contains(&ka), "{v}");
        let anon = v
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["post"]["post"] == ka.as_str())
            .unwrap();
        assert_eq!(
            (&anon["post"]["author"], &anon["post"]["team"]),
            (&Value::Null, &Value::Null)
        );
        assert!(
            !v.to_string().contains("Cy") && !v.to_string().contains("Mobile"),
            "{v}"
        );
        let (_, page) = ada.page(&app, &format!("/threads/{private}")).await;
        assert!(
            page.contains("asked anonymously") && !page.contains("Mobile"),
            "{page}"
        );

        // Linked across the two, the open post's page shows the link only to
        // those who may see the private one.
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/duplicates/decisions",
                Some(json!({"a": kp, "b": ko, "decision": "link"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, page) = ada.page(&app, &format!("/threads/{open}")).await;
        assert!(page.contains("Same problem as") && page.contains(LOGS_TITLE));
        let (_, page) = bob.page(&app, &format!("/threads/{open}")).await;
        assert!(
            !page.contains("Same problem as") && !page.contains(LOGS_TITLE),
            "{page}"
        );
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/duplicates/links?post={ko}"),
                None,
            )
            .await;
        assert_eq!(v, json!([]));

        // The anonymous asker is recognised on their own question's page.
        let (_, page) = cy.page(&app, &format!("/threads/{anonymous}")).await;
        assert!(
            page.contains("Link them") && page.contains(SAME_TITLE),
            "{page}"
        );
    }
}
