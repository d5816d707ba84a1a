//! Pulse surveys through the API and the pages: stewards open, members
//! answer once and anonymously, results only from five answers.

use chrono::Duration;
use domain::Clock;
use domain::community::{CommunityType, Orientation, Visibility};
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::communities::NewCommunity;

use crate::{App, apps, client};

async fn member(app: &App, email: &str, community: i64) -> (String, i64) {
    let token = app.sign_up(email, email).await;
    let id = app.get_json("/api/v1/me", &token).await.1["id"]
        .as_i64()
        .unwrap();
    app.db
        .store
        .join_community(community, id, app.clock.now())
        .await
        .unwrap();
    (token, id)
}

async fn post(app: &App, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    let r = client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn stewards_open_members_answer_once_and_results_wait_for_five() {
    for app in apps().await {
        let steward = app.sign_up("steward@example.org", "Steward").await;
        let steward_id = app.get_json("/api/v1/me", &steward).await.1["id"]
            .as_i64()
            .unwrap();
        let community = app
            .db
            .store
            .create_community(
                &NewCommunity {
                    slug: "pulse-guild".into(),
                    name: "Pulse Guild".into(),
                    domain_question: "Are we useful?".into(),
                    purpose: String::new(),
                    community_type: CommunityType::CrossCutting,
                    orientation: Orientation::KnowledgeWeaving,
                    visibility: Visibility::Open,
                },
                steward_id,
                app.clock.now() - Duration::days(30),
            )
            .await
            .unwrap();
        let mut members = Vec::new();
        for i in 0..5 {
            members.push(
                member(&app, &format!("m{i}@example.org"), community)
                    .await
                    .0,
            );
        }
        let outsider = app.sign_up("outsider@example.org", "Outsider").await;
        let base = "/api/v1/communities/pulse-guild/pulses";
        let (status, _) = post(&app, base, &members[0], json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "members do not open pulses");
        let (status, pulse) = post(&app, base, &steward, json!({})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert!(pulse["question"].as_str().unwrap().contains("How useful"));
        let id = pulse["id"].as_i64().unwrap();
        let answers = format!("{base}/{id}/answers");
        let (status, body) = post(&app, &answers, &members[0], json!({"value": 7})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "value");
        let (status, _) = post(&app, &answers, &outsider, json!({"value": 3})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only members answer");
        for (i, token) in members.iter().take(4).enumerate() {
            let (status, _) = post(
                &app,
                &answers,
                token,
                json!({"value": i + 2, "comment": "helpful demos"}),
            )
            .await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
        let (status, _) = post(&app, &answers, &members[0], json!({"value": 5})).await;
        assert_eq!(status, StatusCode::CONFLICT, "one answer each");
        let (_, list) = app.get_json(base, &steward).await;
        assert_eq!(list[0]["answers"], 4);
        assert!(
            list[0]["results"].is_null(),
            "four answers show nothing, even to stewards"
        );
        post(&app, &answers, &members[4], json!({"value": 5})).await;
        let (_, list) = app.get_json(base, &members[4]).await;
        assert_eq!(list[0]["answered"], true);
        assert_eq!(list[0]["results"]["distribution"], json!([0, 1, 1, 1, 2]));
        assert!((list[0]["results"]["mean"].as_f64().unwrap() - 3.8).abs() < 1e-9);
        // The page shows the results, and nothing names who answered.
        let page = client()
            .get(app.url("/communities/pulse-guild/pulses"))
            .bearer_auth(&steward)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Mean <strong>3.8</strong>") && page.contains("helpful demos"),
            "{page}"
        );
        assert!(!page.contains("m0@example.org"));
        // The log counts the answers without actors: pulse_mean reaches the health figures.
        app.state
            .health
            .refresh(&app.db.store, app.clock.now() + Duration::hours(1), false)
            .await
            .unwrap();
        let (_, health) = app
            .get_json("/api/v1/communities/pulse-guild/health", &steward)
            .await;
        assert!(
            (health["report"]["metrics"]["pulse_mean"].as_f64().unwrap() - 3.8).abs() < 1e-9,
            "{health}"
        );
        let (status, _) = post(&app, &format!("{base}/{id}/close"), &members[1], json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post(&app, &format!("{base}/{id}/close"), &steward, json!({})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let late = member(&app, "late@example.org", community).await.0;
        let (status, _) = post(&app, &answers, &late, json!({"value": 4})).await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "closed pulses take no answers"
        );
        let (status, _) = post(
            &app,
            "/api/v1/communities/pulse-guild/pulses/999999/answers",
            &late,
            json!({"value": 4}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
