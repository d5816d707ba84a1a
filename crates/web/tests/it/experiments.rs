//! Experiments and adoption through the real listener: who may propose,
//! edit and move experiments, refusals naming the field, the events the
//! loop logs, the experiments page with overdue reviews highlighted, a
//! concluded experiment written up as a draft artifact; recording and
//! removing adoptions, and the influence page and API.

use chrono::Duration;
use domain::Clock;
use domain::person::ProfileDraft;
use domain::practice::{ArtifactState, ContentDraft};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use store::practice::{NewArtifact, Source};

use crate::browser::{Browser, browser};
use crate::{App, apps};

/// Puts `who` on `team`.
pub async fn on_team(app: &App, who: &Browser, name: &str, team: &str) {
    let p = ProfileDraft {
        display_name: name.into(),
        team: team.into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    app.db
        .store
        .update_profile(who.id, &p, app.clock.now())
        .await
        .unwrap();
}

/// A published checklist titled `title` in community `slug`, by `author`.
pub async fn artifact(app: &App, slug: &str, author: i64, title: &str) -> i64 {
    let s = &app.db.store;
    let community = s.community_by_slug(slug).await.unwrap().unwrap().id;
    let content = ContentDraft {
        kind: "checklist".into(),
        title: title.into(),
        body: "- [ ] check".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    s.create_artifact(
        &NewArtifact {
            community_id: community,
            author_id: author,
            owner_id: None,
            content,
            state: ArtifactState::Published,
            source: Source::default(),
            summary: String::new(),
        },
        app.clock.now(),
    )
    .await
    .unwrap()
}

async fn guild(app: &App, steward: &Browser) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": "learners", "name": "Learners", "domain_question": "How do we learn?",
                "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn join(app: &App, who: &Browser) {
    let (s, v) = who
        .api(app, Method::POST, "/api/v1/communities/learners/join", None)
        .await;
    assert!(s.is_success(), "{s} {v}");
}

fn field(v: &Value) -> &str {
    v["error"]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn members_propose_owners_move_and_the_loop_refuses_skips() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bo = browser(&app, "bo@example.org", "Bo").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        on_team(&app, &bo, "Bo", "Payments").await;
        guild(&app, &ada).await;
        join(&app, &bo).await;
        let list = "/api/v1/communities/learners/experiments";
        let plan = json!({"title": "Pair reviews", "hypothesis": "Pairing halves review time",
            "starts_on": "2026-03-02", "review_on": "2026-03-16"});
        let (s, _) = cy.api(&app, Method::POST, list, Some(plan.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "outsiders do not propose");
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                list,
                Some(json!({"title": " ", "hypothesis": "h"})),
            )
            .await;
        assert_eq!((s, field(&v)), (StatusCode::UNPROCESSABLE_ENTITY, "title"));
        let (s, v) = bo
            .api(&app, Method::POST, list,
                Some(json!({"title": "t", "hypothesis": "h", "starts_on": "2026-03-10", "review_on": "2026-03-01"})))
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "review_on")
        );
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                list,
                Some(json!({"title": "t", "hypothesis": "h", "owner_id": cy.id})),
            )
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "owner_id")
        );
        let (s, e) = bo.api(&app, Method::POST, list, Some(plan)).await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
        assert_eq!(e["status"], "proposed");
        assert_eq!(e["owner"]["id"], bo.id);
        assert_eq!(e["next"], json!(["running", "abandoned"]));
        let id = e["id"].as_i64().unwrap();
        let one = format!("/api/v1/experiments/{id}");
        let status = format!("{one}/status");

        // Only its owner or a steward moves it: not Cy, an outsider.
        let (s, _) = cy
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "running"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "finished"})),
            )
            .await;
        assert_eq!((s, field(&v)), (StatusCode::UNPROCESSABLE_ENTITY, "status"));
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "concluded",
                "result": "r", "learnings": "l"})),
            )
            .await;
        assert_eq!((s, field(&v)), (StatusCode::CONFLICT, "status"), "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("running or abandoned")
        );
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "running"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "running");

        // A member edits the plan.
        let (s, v) = ada
            .api(
                &app,
                Method::PUT,
                &one,
                Some(json!({"title": "Pair on reviews",
                "hypothesis": "Pairing halves review time", "review_on": "2026-03-16"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["title"], "Pair on reviews");
        assert_eq!(v["owner"]["id"], bo.id, "the owner stays unless named");

        // Past its review date, the page and API flag it.
        app.clock.set(app.clock.now() + Duration::days(20));
        let (_, v) = bo.api(&app, Method::GET, &one, None).await;
        assert_eq!(v["review_overdue"], true);
        let (s, page) = bo.page(&app, "/communities/learners/experiments").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("card overdue") && page.contains("review overdue"),
            "{page}"
        );

        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "concluded", "result": "40% faster"})),
            )
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "learnings")
        );
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &status,
                Some(json!({"status": "concluded",
                "result": "Reviews took 40% less time", "learnings": "Pair on *risky* changes"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["next"], json!([]));
        let (s, v) = ada
            .api(
                &app,
                Method::PUT,
                &one,
                Some(json!({"title": "x", "hypothesis": "y"})),
            )
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::CONFLICT, "status"),
            "closed experiments stay as they were"
        );

        // The log holds one start and one conclusion, with Bo's team.
        let log = app
            .db
            .store
            .activity_page(Default::default(), 0, 1000)
            .await
            .unwrap();
        let loop_events: Vec<_> = log
            .iter()
            .filter(|e| e.kind.starts_with("experiment_"))
            .map(|e| {
                (
                    e.kind.as_str(),
                    e.subject.as_deref(),
                    e.team.as_deref(),
                    e.actor,
                )
            })
            .collect();
        let subject = format!("experiment-{id}");
        assert_eq!(
            loop_events,
            vec![
                (
                    "experiment_started",
                    Some(subject.as_str()),
                    Some("Payments"),
                    Some(bo.id)
                ),
                (
                    "experiment_concluded",
                    Some(subject.as_str()),
                    Some("Payments"),
                    Some(bo.id)
                ),
            ]
        );

        // The experiment's page shows the learnings, rendered.
        let (_, page) = bo.page(&app, &format!("/experiments/{id}")).await;
        assert!(page.contains("Pair on <em>risky</em> changes"), "{page}");
        assert!(page.contains("Write it up as a draft artifact"));

        // Written up once, as a draft whose source is the experiment.
        let (s, _) = cy
            .api(&app, Method::POST, &format!("{one}/artifact"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = bo
            .api(&app, Method::POST, &format!("{one}/artifact"), None)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let artifact = v["artifact_id"].as_i64().unwrap();
        let a = app.db.store.artifact(artifact).await.unwrap();
        assert_eq!(a.state, ArtifactState::Draft);
        assert_eq!(a.source.experiment_id, Some(id));
        assert!(a.content.body.contains("Pair on *risky* changes"));
        let (s, v) = bo
            .api(&app, Method::POST, &format!("{one}/artifact"), None)
            .await;
        assert_eq!((s, field(&v)), (StatusCode::CONFLICT, "experiment"));
    }
}

#[tokio::test]
async fn the_pages_propose_start_and_conclude_with_errors_named() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        guild(&app, &ada).await;
        let r = ada
            .post(
                &app,
                "/communities/learners/experiments",
                &[("title", "Demo days"), ("hypothesis", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text().await.unwrap();
        assert!(
            text.contains("hypothesis: is required") && text.contains("value=\"Demo days\""),
            "{text}"
        );
        let r = ada
            .post(
                &app,
                "/communities/learners/experiments",
                &[
                    ("title", "Demo days"),
                    ("hypothesis", "Demos spread practices"),
                    ("review_on", "2026-04-01"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let at = r.headers()["location"].to_str().unwrap().to_owned();
        let id = at.rsplit('/').next().unwrap();
        let status = format!("/experiments/{id}/status");
        assert_eq!(
            ada.post(&app, &status, &[("status", "running")])
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let r = ada
            .post(
                &app,
                &status,
                &[("status", "concluded"), ("result", "Two teams copied it")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("learnings: is required"));
        let r = ada
            .post(
                &app,
                &status,
                &[
                    ("status", "concluded"),
                    ("result", "Two teams copied it"),
                    ("learnings", "Record the demos"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = ada.page(&app, &at).await;
        assert!(
            page.contains(">concluded<") && page.contains("Record the demos"),
            "{page}"
        );
        let r = ada.post(&app, &status, &[("status", "running")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let r = ada
            .post(&app, &format!("/experiments/{id}/artifact"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/artifacts/")
        );
        let (_, list) = ada.page(&app, "/communities/learners/experiments").await;
        assert!(list.contains("Demo days") && list.contains("concluded"));
    }
}

#[tokio::test]
async fn adoptions_are_recorded_once_per_team_and_removed_by_stewards_or_recorders() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bo = browser(&app, "bo@example.org", "Bo").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        let di = browser(&app, "di@example.org", "Di").await;
        on_team(&app, &bo, "Bo", "Payments").await;
        on_team(&app, &cy, "Cy", "Search").await;
        on_team(&app, &di, "Di", "Ledger").await;
        guild(&app, &ada).await;
        join(&app, &bo).await;
        join(&app, &di).await;
        let release = artifact(&app, "learners", ada.id, "Release checklist").await;
        let adoptions = format!("/api/v1/artifacts/{release}/adoptions");
        let (s, _) = cy
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"adopted_on": "2026-03-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "outsiders do not record");
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"adopted_on": "2026-03-01"})),
            )
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "team"),
            "Ada has no team"
        );
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"team": "Nowhere", "adopted_on": "2026-03-01"})),
            )
            .await;
        assert_eq!((s, field(&v)), (StatusCode::UNPROCESSABLE_ENTITY, "team"));
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"adopted_on": "2026-03-03"})),
            )
            .await;
        assert_eq!(
            (s, field(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, "adopted_on"),
            "not in the future"
        );
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"adopted_on": "2026-02-01", "note": "all services"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["team"], "Payments");
        let payments = v["id"].as_i64().unwrap();
        let (s, v) = di
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"team": "Payments", "adopted_on": "2026-02-02"})),
            )
            .await;
        assert_eq!((s, field(&v)), (StatusCode::CONFLICT, "team"));
        let (s, v) = bo
            .api(
                &app,
                Method::POST,
                &adoptions,
                Some(json!({"team": "Search", "adopted_on": "2026-01-15"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "members record for any team: {v}");
        let search = v["id"].as_i64().unwrap();
        let (_, list) = cy.api(&app, Method::GET, &adoptions, None).await;
        assert_eq!(
            list.as_array().unwrap().len(),
            2,
            "open communities' adoptions are readable"
        );
        assert_eq!(list[0]["team"], "Search");

        let (_, inf) = cy
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/learners/influence",
                None,
            )
            .await;
        assert_eq!(inf["months"], json!(["2026-01", "2026-02", "2026-03"]));
        assert_eq!(inf["reached"], json!([1, 2, 2]));
        assert_eq!(
            (inf["teams_reached"].as_i64(), inf["teams_total"].as_i64()),
            (Some(2), Some(3))
        );
        assert_eq!(inf["top_artifacts"][0]["title"], "Release checklist");
        let (s, page) = cy.page(&app, "/communities/learners/influence").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("2 of 3") && page.contains("<svg") && page.contains("Release checklist"),
            "{page}"
        );
        assert!(page.contains(&format!("/artifacts/{release}/adoption")));

        // Di is neither steward nor recorder; Bo recorded it; Ada stewards.
        let (s, _) = di
            .api(
                &app,
                Method::DELETE,
                &format!("/api/v1/adoptions/{payments}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = bo
            .api(
                &app,
                Method::DELETE,
                &format!("/api/v1/adoptions/{payments}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = ada
            .api(
                &app,
                Method::DELETE,
                &format!("/api/v1/adoptions/{search}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = ada
            .api(
                &app,
                Method::DELETE,
                &format!("/api/v1/adoptions/{search}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // The page records for the member's own team by default, and removes.
        let (s, page) = di
            .page(&app, &format!("/artifacts/{release}/adoption"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("<option selected>Ledger</option>"), "{page}");
        let r = di
            .post(
                &app,
                &format!("/artifacts/{release}/adoption"),
                &[
                    ("team", "Ledger"),
                    ("adopted_on", "2026-03-02"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = di
            .post(
                &app,
                &format!("/artifacts/{release}/adoption"),
                &[("team", "Ledger"), ("adopted_on", "2026-03-02")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("already recorded"));
        let (_, list) = di.api(&app, Method::GET, &adoptions, None).await;
        let ledger = list[0]["id"].as_i64().unwrap();
        assert_eq!(list[0]["can_remove"], true);
        let r = di
            .post(&app, &format!("/adoptions/{ledger}/remove"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, list) = di.api(&app, Method::GET, &adoptions, None).await;
        assert_eq!(list, json!([]));
    }
}
