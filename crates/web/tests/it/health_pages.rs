//! Health pages and the health API: figures from the activity log, charts,
//! the portfolio, and privacy (a private community's health is seen only by
//! its members).

use chrono::Duration;
use domain::Clock;
use domain::community::{CommunityType, Orientation, Visibility};
use store::activity::{self, NewEvent};
use store::communities::NewCommunity;

use crate::{App, apps, client};

fn charter(slug: &str, visibility: Visibility) -> NewCommunity {
    NewCommunity {
        slug: slug.into(),
        name: slug.replace('-', " "),
        domain_question: "What should we learn together?".into(),
        purpose: String::new(),
        community_type: CommunityType::TechnicalPractice,
        orientation: Orientation::KnowledgeWeaving,
        visibility,
    }
}

async fn id_of(app: &App, token: &str) -> i64 {
    app.get_json("/api/v1/me", token).await.1["id"]
        .as_i64()
        .unwrap()
}

async fn contribute(app: &App, community: i64, actor: i64, kind: &'static str, subject: &str) {
    let mut tx = app.db.store.begin().await.unwrap();
    activity::append(
        &mut tx,
        &NewEvent {
            at: app.clock.now() - Duration::days(2),
            community_id: community,
            actor_id: Some(actor),
            kind,
            subject: Some(subject.into()),
            thread_type: (kind == "thread_opened").then_some("discussion"),
            ..NewEvent::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn page(app: &App, path: &str, token: &str) -> (u16, String) {
    let r = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn health_pages_show_figures_to_those_who_may_see_them() {
    for app in apps().await {
        let ada = app.sign_up("ada@example.org", "Ada").await;
        let bob = app.sign_up("bob@example.org", "Bob").await;
        let (ada_id, bob_id) = (id_of(&app, &ada).await, id_of(&app, &bob).await);
        let s = &app.db.store;
        let open = s
            .create_community(
                &charter("observability", Visibility::Open),
                ada_id,
                app.clock.now() - Duration::days(60),
            )
            .await
            .unwrap();
        let secret = s
            .create_community(
                &charter("secret-circle", Visibility::Private),
                ada_id,
                app.clock.now() - Duration::days(60),
            )
            .await
            .unwrap();
        contribute(&app, open, ada_id, "thread_opened", "t1").await;
        contribute(&app, open, bob_id, "replied", "t1").await;
        contribute(&app, secret, ada_id, "thread_opened", "s1").await;
        app.db
            .store
            .join_community(open, bob_id, app.clock.now() - Duration::days(3))
            .await
            .unwrap();
        // The server's board tails the log every 30 s; refresh it now rather than wait.
        app.state
            .health
            .refresh(s, app.clock.now(), false)
            .await
            .unwrap();
        let (status, html) = page(&app, "/communities/observability/health", &bob).await;
        assert_eq!(status, 200);
        assert!(html.contains("Active members per week"), "{html}");
        let (status, _) = page(&app, "/communities/secret-circle/health", &bob).await;
        assert_eq!(
            status, 404,
            "an outsider cannot see a private community's health"
        );
        let (status, _) = page(&app, "/communities/secret-circle/health", &ada).await;
        assert_eq!(status, 200);
        let (_, portfolio) = page(&app, "/portfolio", &bob).await;
        assert!(
            portfolio.contains("observability") && !portfolio.contains("secret"),
            "{portfolio}"
        );
        let (_, portfolio) = page(&app, "/portfolio", &ada).await;
        assert!(portfolio.contains("secret circle"));
        let (status, json) = app.get_json("/api/v1/portfolio", &bob).await;
        assert_eq!(status, 200);
        let slugs: Vec<_> = json["communities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["slug"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(slugs, ["observability"]);
        let (status, _) = app
            .get_json("/api/v1/communities/secret-circle/health", &bob)
            .await;
        assert_eq!(status, 404);
        let (status, json) = app
            .get_json("/api/v1/communities/observability/health", &bob)
            .await;
        assert_eq!(status, 200);
        assert!(json["computed_at"].is_string());
    }
}

#[tokio::test]
async fn the_health_page_renders_the_report_with_charts_and_diagnoses() {
    for app in apps().await {
        let ada = app.sign_up("ada@example.org", "Ada").await;
        let ada_id = id_of(&app, &ada).await;
        let s = &app.db.store;
        let c = s
            .create_community(
                &charter("front-end-craft", Visibility::Open),
                ada_id,
                app.clock.now() - Duration::days(90),
            )
            .await
            .unwrap();
        for i in 0..6 {
            contribute(&app, c, ada_id, "thread_opened", &format!("t{i}")).await;
        }
        app.state
            .health
            .refresh(s, app.clock.now(), false)
            .await
            .unwrap();
        let (status, html) = page(&app, "/communities/front-end-craft/health", &ada).await;
        assert_eq!(status, 200);
        for expected in [
            "Vitality",
            "<svg",
            "Active members per week",
            "What to tend",
            "Why this stage",
            "How the vitality score is made",
        ] {
            assert!(html.contains(expected), "{expected} missing");
        }
        // One voice does everything: the page names it and says where to act.
        assert!(
            html.contains("/communities/front-end-craft/manage"),
            "a diagnosis links to where it can be acted on"
        );
        let (_, json) = app
            .get_json("/api/v1/communities/front-end-craft/health", &ada)
            .await;
        let metrics = json["report"]["metrics"].as_object().unwrap();
        for figure in [
            "active_members",
            "contributions",
            "threads",
            "replies",
            "gatherings_held",
            "mean_attendance",
            "rsvp_show_rate",
            "questions",
            "answered_share",
            "solved_share",
            "median_first_response",
            "unanswered",
            "artifacts_created",
            "artifacts_reused",
            "reuse_ratio",
            "gini",
            "top10_share",
            "bus_factor",
            "newcomers",
            "newcomer_retention",
            "teams_active",
            "team_evenness",
            "cross_team_reply_share",
            "reciprocity",
            "facilitator_rotation",
            "fresh_share",
            "stale",
            "pulse_mean",
        ] {
            assert!(metrics.contains_key(figure), "{figure} missing");
        }
        assert_eq!(metrics["threads"], 6);
        assert_eq!(metrics["active_members"], 1);
        assert_eq!(json["report"]["window"]["days"], 28);
    }
}

#[tokio::test]
async fn the_portfolio_names_overlapping_domains_among_visible_communities() {
    for app in apps().await {
        let ada = app.sign_up("ada@example.org", "Ada").await;
        let bob = app.sign_up("bob@example.org", "Bob").await;
        let ada_id = id_of(&app, &ada).await;
        let s = &app.db.store;
        let make = |slug: &'static str, question: &'static str, visibility| {
            let mut c = charter(slug, visibility);
            c.domain_question = question.into();
            c
        };
        let at = app.clock.now() - Duration::days(10);
        for c in [
            make(
                "observability",
                "How do we see what our production systems are doing?",
                Visibility::Open,
            ),
            make(
                "monitoring-circle",
                "How do we see what production systems are doing, early?",
                Visibility::Open,
            ),
            make(
                "front-end-craft",
                "What makes a web interface fast and accessible?",
                Visibility::Open,
            ),
            make(
                "secret-ops",
                "How do we see what production systems are doing at night?",
                Visibility::Private,
            ),
        ] {
            s.create_community(&c, ada_id, at).await.unwrap();
        }
        app.state
            .health
            .refresh(s, app.clock.now(), false)
            .await
            .unwrap();
        let (_, json) = app.get_json("/api/v1/portfolio", &bob).await;
        let entries = json["communities"].as_array().unwrap();
        let overlaps_of = |slug: &str| -> Vec<String> {
            entries.iter().find(|e| e["slug"] == slug).unwrap()["overlaps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["slug"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            overlaps_of("observability"),
            ["monitoring-circle"],
            "the private one stays unnamed for Bob"
        );
        assert_eq!(overlaps_of("monitoring-circle"), ["observability"]);
        assert!(overlaps_of("front-end-craft").is_empty());
        let (_, html) = page(&app, "/portfolio", &bob).await;
        assert!(
            html.contains("Overlapping domain with") && !html.contains("secret"),
            "{html}"
        );
        let (_, json) = app.get_json("/api/v1/portfolio", &ada).await;
        let ada_sees = json["communities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["slug"] == "observability")
            .unwrap()["overlaps"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            ada_sees, 2,
            "a member of the private one sees both overlaps"
        );
    }
}
