//! Mentoring through the real listener: a newcomer's start-here page with a
//! suggested mentor and a one-click ask, the mentor accepting from their
//! mentoring page, notifications to the other side, pairs ended; the API's
//! suggestions, proposals, pairs, capacity and start-here with their
//! refusals; and privacy: a private community's start-here, suggestions and
//! mentorships reach no outsider.

use domain::Clock;
use domain::person::ProfileDraft;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::join;
use crate::browser::{Browser, browser};
use crate::{App, apps};

async fn profile(app: &App, who: &Browser, name: &str, team: &str, teach: &str, learn: &str) {
    let p = ProfileDraft {
        display_name: name.into(),
        team: team.into(),
        can_teach: domain::person::split_list(teach),
        wants_to_learn: domain::person::split_list(learn),
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

async fn community(app: &App, steward: &Browser, slug: &str, visibility: &str) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": format!("Guild {slug}"), "domain_question": "How do we write Rust?",
                "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": visibility})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_newcomer_asks_the_suggested_mentor_who_accepts_from_their_page() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        profile(&app, &ada, "Ada", "Platform", "Rust, Go", "").await;
        profile(&app, &bob, "Bob", "Payments", "", "rust").await;
        community(&app, &ada, "rustaceans", "open").await;
        join(&app, &bob, "rustaceans").await;
        let (_, home) = bob.page(&app, "/communities/rustaceans").await;
        assert!(home.contains("href=\"/communities/rustaceans/start-here\"><strong>Start here"));
        let (s, page) = bob.page(&app, "/communities/rustaceans/start-here").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Welcome!"), "a newcomer is welcomed");
        assert!(page.contains("How do we write Rust?"));
        assert!(
            page.contains("teaches rust, which you want to learn"),
            "{page}"
        );
        assert!(page.contains("other team"));
        assert!(page.contains("a member of Guild rustaceans"));
        assert!(page.contains("Ask Ada to mentor you on rust"));
        assert!(page.contains("0 of 3 done"), "three steps, none done");
        // Ada's profile offers the same ask; her own shows where to set capacity.
        let (_, person) = bob.page(&app, &format!("/people/{}", ada.id)).await;
        assert!(person.contains("Mentors up to 1 person at once; 1 free."));
        assert!(person.contains("Ask Ada to mentor you on"));
        let (_, own) = ada.page(&app, &format!("/people/{}", ada.id)).await;
        assert!(own.contains("Set your capacity") && !own.contains("Ask Ada to mentor"));
        let r = bob
            .post(
                &app,
                "/mentoring/ask",
                &[
                    ("mentor_id", &ada.id.to_string()),
                    ("topic", "rust"),
                    ("community", "rustaceans"),
                    ("note", "I am new here"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/communities/rustaceans/start-here");
        let (_, page) = bob.page(&app, "/communities/rustaceans/start-here").await;
        assert!(page.contains("1 of 3 done"), "asking ticks its step");
        assert!(page.contains("Ada</a> mentoring you on <strong>rust"));
        assert!(!page.contains("Ask Ada to mentor"), "no second suggestion");
        // Ada hears of it, and accepts from her mentoring page.
        let (_, notes) = ada.page(&app, "/notifications").await;
        assert!(
            notes.contains("Bob proposed a mentorship on rust"),
            "{notes}"
        );
        let (_, mine) = ada.page(&app, "/mentoring").await;
        assert!(mine.contains("I am new here"));
        let id = app
            .db
            .store
            .mentorships_of(ada.id)
            .await
            .unwrap()
            .first()
            .unwrap()
            .id;
        assert!(mine.contains(&format!("action=\"/mentoring/{id}/accept\"")));
        // Bob cannot accept his own request.
        let r = bob
            .post(&app, &format!("/mentoring/{id}/accept"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let r = ada
            .post(&app, &format!("/mentoring/{id}/accept"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, bobs) = bob.page(&app, "/mentoring").await;
        let pairs = bobs.split("id=\"pairs-h\"").nth(1).unwrap();
        assert!(
            pairs
                .split("</section>")
                .next()
                .unwrap()
                .contains("Ada</a> mentoring you")
        );
        let (_, notes) = bob.page(&app, "/notifications").await;
        assert!(notes.contains("Ada accepted: you are now a mentoring pair on rust"));
        let (_, adas) = ada.page(&app, "/mentoring").await;
        assert!(adas.contains("You mentoring <a href=\"/people/"));
        assert!(adas.contains("You mentor 1 person now"));
        // A stranger cannot touch it; Bob ends it and Ada is told.
        let cy = browser(&app, "cy@example.org", "Cy").await;
        let r = cy.post(&app, &format!("/mentoring/{id}/end"), &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = bob.post(&app, &format!("/mentoring/{id}/end"), &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, notes) = ada.page(&app, "/notifications").await;
        assert!(notes.contains("Bob ended the mentorship on rust"));
        // Capacity from the page: a bad value names the field.
        let r = ada
            .post(&app, "/mentoring/capacity", &[("capacity", "eleven")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("capacity"));
        let r = ada
            .post(&app, "/mentoring/capacity", &[("capacity", "0")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = bob.page(&app, "/communities/rustaceans/start-here").await;
        assert!(!page.contains("Ask Ada"), "Ada is not mentoring now");
        assert!(page.contains("No mentor with a free place right now"));
    }
}

#[tokio::test]
async fn the_api_suggests_proposes_answers_and_ends() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        profile(&app, &ada, "Ada", "Platform", "rust", "").await;
        profile(&app, &bob, "Bob", "Payments", "", "Rust").await;
        profile(&app, &cy, "Cy", "Payments", "rust", "").await;
        let (s, v) = bob
            .api(&app, Method::GET, "/api/v1/mentoring/suggestions", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let names: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["mentor"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["Ada", "Cy"], "the other team first");
        assert_eq!(v[0]["other_team"], true);
        assert_eq!(v[0]["overlap_minutes"], 600);
        assert_eq!(v[1]["reasons"][2], "same team");
        // Capacity: Cy stops mentoring.
        let (s, v) = cy
            .api(
                &app,
                Method::PUT,
                "/api/v1/mentoring/capacity",
                Some(json!({"capacity": 11})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["field"], "capacity");
        let (s, v) = cy
            .api(
                &app,
                Method::PUT,
                "/api/v1/mentoring/capacity",
                Some(json!({"capacity": 0})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v, json!({"capacity": 0, "active": 0, "free": 0}));
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": cy.id, "topic": "rust"})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        // Refusals name their field.
        for (body, field) in [
            (json!({"mentor_id": bob.id, "topic": "rust"}), "mentor_id"),
            (json!({"mentor_id": 999_999, "topic": "rust"}), "mentor_id"),
            (json!({"mentor_id": ada.id, "topic": " "}), "topic"),
            (
                json!({"mentor_id": ada.id, "topic": "rust", "community": "nowhere"}),
                "community",
            ),
            (
                json!({"mentor_id": ada.id, "mentee_id": cy.id, "topic": "rust"}),
                "community",
            ),
        ] {
            let (s, v) = bob
                .api(
                    &app,
                    Method::POST,
                    "/api/v1/mentoring/proposals",
                    Some(body),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(v["error"]["field"], field, "{v}");
        }
        let (s, asked) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": ada.id, "topic": "Rust", "note": "please"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{asked}");
        assert_eq!(asked["status"], "proposed");
        assert_eq!(asked["proposer"], "mentee");
        assert_eq!(asked["topic"], "rust");
        assert_eq!(asked["actions"], json!(["withdraw"]));
        let id = asked["id"].as_i64().unwrap();
        let (_, waiting) = ada
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        assert_eq!(waiting[0]["actions"], json!(["accept", "decline"]));
        // Ada is no longer suggested to Bob while the proposal is open.
        let (_, v) = bob
            .api(&app, Method::GET, "/api/v1/mentoring/suggestions", None)
            .await;
        assert_eq!(v, json!([]));
        // Strangers get 404; Bob cannot accept for Ada.
        let url = format!("/api/v1/mentoring/proposals/{id}/accept");
        let (s, _) = cy.api(&app, Method::POST, &url, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, v) = bob.api(&app, Method::POST, &url, None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        let (s, pair) = ada.api(&app, Method::POST, &url, None).await;
        assert_eq!(s, StatusCode::OK, "{pair}");
        assert_eq!(pair["status"], "active");
        assert_eq!(pair["actions"], json!(["end"]));
        let (_, pairs) = bob
            .api(&app, Method::GET, "/api/v1/mentoring/pairs", None)
            .await;
        assert_eq!(pairs.as_array().unwrap().len(), 1);
        let (_, cap) = ada
            .api(&app, Method::GET, "/api/v1/mentoring/capacity", None)
            .await;
        assert_eq!(cap, json!({"capacity": 1, "active": 1, "free": 0}));
        let end = format!("/api/v1/mentoring/pairs/{id}/end");
        let (s, v) = ada.api(&app, Method::POST, &end, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["status"], "ended");
        let (s, _) = bob.api(&app, Method::POST, &end, None).await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Ada offers to mentor Bob; Bob declines; Bob asks and withdraws.
        let (_, offer) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": ada.id, "mentee_id": bob.id, "topic": "rust"})),
            )
            .await;
        assert_eq!(offer["proposer"], "mentor");
        let decline = format!(
            "/api/v1/mentoring/proposals/{}/decline",
            offer["id"].as_i64().unwrap()
        );
        let (_, v) = bob.api(&app, Method::POST, &decline, None).await;
        assert_eq!(v["status"], "declined");
        let (_, ask) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": ada.id, "topic": "rust"})),
            )
            .await;
        let withdraw = format!(
            "/api/v1/mentoring/proposals/{}/decline",
            ask["id"].as_i64().unwrap()
        );
        let (_, v) = bob.api(&app, Method::POST, &withdraw, None).await;
        assert_eq!(v["status"], "withdrawn");
        let (_, open) = ada
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        assert_eq!(open, json!([]));
    }
}

#[tokio::test]
async fn a_steward_matches_two_members_and_start_here_lists_what_helps() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        community(&app, &ada, "rustaceans", "open").await;
        join(&app, &bob, "rustaceans").await;
        let artifact =
            crate::experiments::artifact(&app, "rustaceans", ada.id, "Error handling guide").await;
        let (s, q) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/rustaceans/threads",
                Some(json!({"type": "question", "title": "How do lifetimes work?", "body": "Anyone?"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        // Bob is not a steward: he cannot match Ada and Cy.
        let body = json!({"mentor_id": ada.id, "mentee_id": cy.id, "topic": "rust", "community": "rustaceans"});
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(body.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Ada stewards, but Cy is not a member.
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": bob.id, "mentee_id": cy.id, "topic": "rust", "community": "rustaceans"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["field"], "mentee_id");
        join(&app, &cy, "rustaceans").await;
        // From the start-here page's form.
        let (_, page) = ada.page(&app, "/communities/rustaceans/start-here").await;
        assert!(page.contains("Match two members"));
        let r = ada
            .post(
                &app,
                "/mentoring/ask",
                &[
                    ("mentor_id", &bob.id.to_string()),
                    ("mentee_id", &cy.id.to_string()),
                    ("topic", "lifetimes"),
                    ("community", "rustaceans"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, bobs) = bob
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        let (_, cys) = cy
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        assert_eq!(bobs[0]["proposer"], "steward");
        assert_eq!(bobs[0]["actions"], json!(["accept", "decline"]));
        assert_eq!(cys[0]["actions"], json!(["accept", "decline"]));
        assert_eq!(cys[0]["community"]["slug"], "rustaceans");
        // Ada, neither side, does not see it afterwards.
        let (_, adas) = ada
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        assert_eq!(adas, json!([]));
        // Start here over the API for Bob.
        let (s, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/rustaceans/start-here",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["domain_question"], "How do we write Rust?");
        assert_eq!(v["member"], true);
        assert_eq!(v["newcomer"], true);
        assert_eq!(v["artifacts"][0]["id"], artifact);
        assert_eq!(v["questions"][0]["title"], "How do lifetimes work?");
        assert_eq!(v["next_gathering"], Value::Null);
        let steps: Vec<&str> = v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert_eq!(steps.len(), 4, "{steps:?}");
        assert!(steps[3].contains("Error handling guide"));
        // Bob reacts "helpful" and records a reuse: both ticked.
        let thread = q["id"].as_i64().unwrap();
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/threads/{thread}/reactions"),
                Some(json!({"reaction": "helpful"})),
            )
            .await;
        assert!(s.is_success());
        let (s, v) = bob
            .api(
                &app,
                Method::POST,
                &format!("/api/v1/artifacts/{artifact}/reuse"),
                Some(json!({})),
            )
            .await;
        assert!(s.is_success(), "{v}");
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/rustaceans/start-here",
                None,
            )
            .await;
        let done: Vec<bool> = v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["done"].as_bool().unwrap())
            .collect();
        assert_eq!(done, vec![false, false, true, true]);
        // Four weeks and a day later Bob is no longer a newcomer.
        app.clock.advance(chrono::Duration::days(29));
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/rustaceans/start-here",
                None,
            )
            .await;
        assert_eq!(v["newcomer"], false);
    }
}

#[tokio::test]
async fn a_private_community_and_its_mentorships_stay_with_its_members() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let dan = browser(&app, "dan@example.org", "Dan").await;
        let eve = browser(&app, "eve@example.org", "Eve").await;
        profile(&app, &ada, "Ada", "", "rust", "").await;
        community(&app, &ada, "hidden-grove", "private").await;
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/hidden-grove/invitations",
                Some(json!({"person_id": dan.id})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        join(&app, &dan, "hidden-grove").await;
        let (s, _) = dan
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/hidden-grove/start-here",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // An outsider: the same 404 as for nothing, in the page and the API.
        for path in [
            "/communities/hidden-grove/start-here",
            "/communities/no-such-grove/start-here",
        ] {
            let (s, text) = eve.page(&app, path).await;
            assert_eq!(s, StatusCode::NOT_FOUND);
            assert!(!text.contains("Guild hidden-grove"));
        }
        let (a, x) = (
            eve.api(
                &app,
                Method::GET,
                "/api/v1/communities/hidden-grove/start-here",
                None,
            )
            .await,
            eve.api(
                &app,
                Method::GET,
                "/api/v1/communities/no-such-grove/start-here",
                None,
            )
            .await,
        );
        assert_eq!(a.0, StatusCode::NOT_FOUND);
        assert_eq!(a, x);
        let (a, x) = (
            eve.api(
                &app,
                Method::GET,
                "/api/v1/mentoring/suggestions?community=hidden-grove",
                None,
            )
            .await,
            eve.api(
                &app,
                Method::GET,
                "/api/v1/mentoring/suggestions?community=no-such-grove",
                None,
            )
            .await,
        );
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(a.1["error"]["field"], x.1["error"]["field"]);
        // Eve cannot attach her ask to the private community either.
        let (s, v) = eve
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": ada.id, "topic": "rust", "community": "hidden-grove"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["field"], "community");
        // Dan's mentorship in it: only Dan and Ada see it.
        let (s, m) = dan
            .api(
                &app,
                Method::POST,
                "/api/v1/mentoring/proposals",
                Some(json!({"mentor_id": ada.id, "topic": "rust", "community": "hidden-grove"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        assert_eq!(m["community"]["slug"], "hidden-grove");
        let (_, eves) = eve.page(&app, "/mentoring").await;
        assert!(!eves.contains("hidden-grove") && !eves.contains("Dan</a>"));
        let (_, adas) = ada.page(&app, "/mentoring").await;
        assert!(adas.contains("Guild hidden-grove"));
        // Once Dan has left, the community is no longer named to him.
        let (s, _) = dan
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/hidden-grove/leave",
                None,
            )
            .await;
        assert!(s.is_success());
        let (_, mine) = dan
            .api(&app, Method::GET, "/api/v1/mentoring/proposals", None)
            .await;
        assert_eq!(mine[0]["community"], Value::Null);
        let (_, page) = dan.page(&app, "/mentoring").await;
        assert!(!page.contains("Guild hidden-grove"));
    }
}
