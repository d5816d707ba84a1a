//! The practice through the real listener, on every database: members
//! write and revise, outsiders neither write nor read a private community's
//! artifact (page, API, search), only owners and stewards review, reuse is
//! counted by team, the diff and restore answer, links show backlinks, a
//! promoted answer links back from its thread, and staleness follows the
//! clock on both sides of the interval.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::apps;
use crate::browser::{Browser, browser};

async fn community(app: &crate::App, who: &Browser, slug: &str, visibility: &str) {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": slug, "domain_question": "How?",
                "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": visibility})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn checklist(
    app: &crate::App,
    who: &Browser,
    slug: &str,
    title: &str,
) -> (StatusCode, Value) {
    who.api(
        app,
        Method::POST,
        &format!("/api/v1/communities/{slug}/artifacts"),
        Some(json!({"kind": "checklist", "title": title, "body": "- tag\n- notes", "tags": ["release"]})),
    )
    .await
}

#[tokio::test]
async fn writing_reading_and_reviewing_follow_membership() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let eve = browser(&app, "eve@example.org", "Eve").await;
        community(&app, &ada, "orchard", "open").await;
        community(&app, &ada, "vault", "private").await;
        let (s, v) = checklist(&app, &ada, "orchard", "Pruning checklist").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        assert_eq!(v["review_days"], 90);
        assert_eq!(v["stale"], false);
        let (s, _) = checklist(&app, &eve, "orchard", "Not a member").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a non-member cannot write");
        let (s, v) = checklist(&app, &ada, "vault", "Vaultkeeper checklist").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let secret = v["id"].as_i64().unwrap();
        for path in [
            format!("/api/v1/artifacts/{secret}"),
            format!("/api/v1/artifacts/{secret}/revisions"),
        ] {
            let (s, _) = eve.api(&app, Method::GET, &path, None).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        }
        let (s, text) = eve.page(&app, &format!("/artifacts/{secret}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(!text.contains("Vaultkeeper"));
        let (_, found) = eve
            .api(&app, Method::GET, "/api/v1/search?q=vaultkeeper", None)
            .await;
        assert_eq!(found["artifacts"], json!([]), "outsiders do not find it");
        let (_, found) = ada
            .api(&app, Method::GET, "/api/v1/search?q=vaultkeeper", None)
            .await;
        assert_eq!(found["artifacts"][0]["artifact_id"], secret);
        assert_eq!(found["artifacts"][0]["result"], "artifact");
        let (_, page) = ada.page(&app, "/search?q=vaultkeeper").await;
        assert!(page.contains("Vaultkeeper checklist") && page.contains(">Artifact<"));
        // Bob joins; he may revise and reuse but not review.
        let (s, _) = bob
            .api(&app, Method::POST, "/api/v1/communities/orchard/join", None)
            .await;
        assert!(s.is_success(), "{s}");
        let (s, v) = bob
            .api(&app, Method::PUT, &format!("/api/v1/artifacts/{id}"),
                Some(json!({"kind": "checklist", "title": "Pruning checklist", "body": "- tag\n- release notes", "tags": ["release"],
                    "summary": "notes are release notes"})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["revision"], 2);
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{id}/review"),
                Some(json!({})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "only the owner or a steward reviews"
        );
        let (s, _) = eve
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{id}/reuse"),
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a non-member records no use");
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{id}/reuse"),
                Some(json!({"team": "Roots", "note": "spring"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["reuse_count"], 1);
        assert_eq!(v["uses_by_team"], json!([{"team": "Roots", "uses": 1}]));
        assert_eq!(v["contributors"].as_array().unwrap().len(), 2);
        // The diff and restore.
        let (_, d) = ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/artifacts/{id}/diff?from=1&to=2"),
                None,
            )
            .await;
        let added: Vec<&Value> = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["change"] == "added")
            .collect();
        assert_eq!(added.len(), 1, "{d}");
        assert!(
            added[0]["pieces"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["change"] == "added" && p["text"].as_str().unwrap().contains("release"))
        );
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{id}/restore"),
                Some(json!({"revision": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["revision"].as_i64(), v["body"].as_str()),
            (Some(3), Some("- tag\n- notes"))
        );
        // Staleness follows the clock: not yet one millisecond before, stale at the boundary.
        let (s, v) = ada
            .api(&app, Method::PUT, &format!("/api/v1/artifacts/{id}"),
                Some(json!({"kind": "checklist", "title": "Pruning checklist", "body": "- tag\n- notes",
                    "tags": ["release"], "review_days": 2})))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let confirmed: chrono::DateTime<chrono::Utc> =
            v["last_confirmed_at"].as_str().unwrap().parse().unwrap();
        app.clock
            .set(confirmed + Duration::days(2) - Duration::milliseconds(1));
        let (_, v) = ada
            .api(&app, Method::GET, &format!("/api/v1/artifacts/{id}"), None)
            .await;
        assert_eq!(v["stale"], false);
        app.clock.set(confirmed + Duration::days(2));
        let (_, v) = ada
            .api(&app, Method::GET, &format!("/api/v1/artifacts/{id}"), None)
            .await;
        assert_eq!(v["stale"], true);
        let (_, list) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/orchard/artifacts?stale=true",
                None,
            )
            .await;
        assert_eq!(list[0]["id"], id);
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{id}/review"),
                Some(json!({"note": "still true"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["stale"], false);
    }
}

#[tokio::test]
async fn links_and_promotion_show_on_both_sides() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        community(&app, &ada, "orchard", "open").await;
        let (_, a) = checklist(&app, &ada, "orchard", "Grafting").await;
        let (_, b) = checklist(&app, &ada, "orchard", "Budding").await;
        let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
        let (s, t) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/orchard/threads",
                Some(
                    json!({"type": "question", "title": "When to graft?", "body": "Which month?"}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        let thread = t["id"].as_i64().unwrap();
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{a}/links"),
                Some(json!({"target_type": "artifact", "target_id": b})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        ada.api(
            &app,
            Method::POST,
            &format!("/api/v1/artifacts/{a}/links"),
            Some(json!({"target_type": "thread", "target_id": thread})),
        )
        .await;
        let (_, v) = ada
            .api(&app, Method::GET, &format!("/api/v1/artifacts/{b}"), None)
            .await;
        assert_eq!(v["backlinks"][0]["id"], a);
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{thread}/promote"),
                Some(json!({"kind": "heuristic"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(
            (v["state"].as_str(), v["source"]["thread_id"].as_i64()),
            (Some("draft"), Some(thread))
        );
        let promoted = v["id"].as_i64().unwrap();
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{thread}/promote"),
                Some(json!({"reply_id": 12345})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "only the accepted answer: {v}"
        );
        let (_, page) = ada.page(&app, &format!("/threads/{thread}")).await;
        assert!(page.contains("Promoted to") && page.contains(&format!("/artifacts/{promoted}")));
        assert!(page.contains("Linked from") && page.contains(&format!("/artifacts/{a}")));
        let (_, page) = ada.page(&app, &format!("/artifacts/{promoted}")).await;
        assert!(page.contains(&format!("/threads/{thread}")) && page.contains("When to graft?"));
        // Events, each with the artifact as subject.
        let log = app
            .db
            .store
            .activity_page(Default::default(), 0, 1000)
            .await
            .unwrap();
        let kinds: Vec<&str> = log
            .iter()
            .filter(|e| {
                e.subject
                    .as_deref()
                    .is_some_and(|s| s.starts_with("artifact-"))
            })
            .map(|e| e.kind.as_str())
            .collect();
        assert_eq!(
            kinds,
            ["artifact_created", "artifact_created", "artifact_created"]
        );
    }
}
