//! Communities through HTTP: the whole life of a community by forms (create,
//! join, hand stewardship over, leave, history, merge and redirect), and the
//! API's operations with their answers to bad input.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use store::activity::{self, NewEvent};

use crate::browser::{Browser, browser};
use crate::{App, apps, client};

const CHARTER: &[(&str, &str)] = &[
    (
        "domain_question",
        "How do we see what our systems are doing?",
    ),
    ("community_type", "technical_practice"),
    ("orientation", "knowledge_weaving"),
    ("visibility", "open"),
];

async fn propose(b: &Browser, app: &App, name: &str) -> reqwest::Response {
    let mut fields = vec![("name", name)];
    fields.extend_from_slice(CHARTER);
    b.post(app, "/communities", &fields).await
}

#[tokio::test]
async fn a_community_is_created_joined_handed_over_left_and_merged_by_forms() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada Lovelace").await;
        let bob = browser(&app, "bob@example.org", "Bob Babbage").await;
        // A bad field comes back in the form, marked.
        let bad = ada
            .post(
                &app,
                "/communities",
                &[("name", "Observability Guild"), ("community_type", "guild")],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("aria-invalid=\"true\""));
        let made = propose(&ada, &app, "Observability Guild").await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            made.headers()["location"],
            "/communities/observability-guild"
        );
        let dup = propose(&bob, &app, "Observability Guild").await;
        assert_eq!(dup.status(), StatusCode::CONFLICT, "the address is taken");
        // Without the CSRF token, nothing happens.
        let forged = bob
            .web
            .post(app.url("/communities/observability-guild/join"))
            .send()
            .await
            .unwrap();
        assert_ne!(forged.status(), StatusCode::SEE_OTHER);
        let joined = bob
            .post(&app, "/communities/observability-guild/join", &[])
            .await;
        assert_eq!(joined.status(), StatusCode::SEE_OTHER);
        let (_, home) = ada.page(&app, "/communities/observability-guild").await;
        assert!(home.contains("Bob Babbage") && home.contains("2 members"));
        assert!(
            home.contains("peripheral"),
            "participation is derived: no contributions yet"
        );
        // The last steward cannot leave.
        let refused = ada
            .post(&app, "/communities/observability-guild/leave", &[])
            .await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(refused.text().await.unwrap().contains("last steward"));
        let handed = ada
            .post(
                &app,
                &format!("/communities/observability-guild/members/{}/role", bob.id),
                &[("role", "steward")],
            )
            .await;
        assert_eq!(handed.status(), StatusCode::SEE_OTHER);
        let left = ada
            .post(&app, "/communities/observability-guild/leave", &[])
            .await;
        assert_eq!(left.status(), StatusCode::SEE_OTHER);
        // Bob, now the steward, edits the charter.
        let edited = bob
            .post(
                &app,
                "/communities/observability-guild/edit",
                &[
                    ("name", "Observability Guild"),
                    (
                        "domain_question",
                        "How do we see what our services are doing?",
                    ),
                    ("community_type", "technical_practice"),
                    ("orientation", "knowledge_weaving"),
                    ("visibility", "open"),
                    ("note", "services, not systems"),
                ],
            )
            .await;
        assert_eq!(edited.status(), StatusCode::SEE_OTHER);
        let (status, history) = bob
            .page(&app, "/communities/observability-guild/history")
            .await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            "Bob Babbage&#39;s role changed: member → steward",
            "<del><span class=\"sr\">removed: </span>systems</del>",
            "<ins><span class=\"sr\">added: </span>services</ins>",
            "services, not systems",
            "Revision 2",
            "<td>left</td>",
            "<td>joined</td>",
        ] {
            assert!(
                history.contains(expected),
                "{expected} missing from the history page: {history}"
            );
        }
        // The membership history: Ada's spell ended, Bob's goes on.
        let (_, spells) = bob
            .api(
                &app,
                reqwest::Method::GET,
                "/api/v1/communities/observability-guild/members/history",
                None,
            )
            .await;
        let ada_spell = spells["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["person"]["id"] == ada.id)
            .unwrap();
        assert!(ada_spell["left_at"].is_string());
        let (_, log) = bob
            .api(
                &app,
                reqwest::Method::GET,
                "/api/v1/communities/observability-guild/activity",
                None,
            )
            .await;
        let kinds: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["joined", "joined", "left"]);
        let (_, first) = bob
            .api(
                &app,
                reqwest::Method::GET,
                "/api/v1/communities/observability-guild/activity?limit=2",
                None,
            )
            .await;
        let next = first["next_cursor"].as_str().unwrap().to_owned();
        let (_, rest) = bob
            .api(
                &app,
                reqwest::Method::GET,
                &format!("/api/v1/communities/observability-guild/activity?limit=2&cursor={next}"),
                None,
            )
            .await;
        assert_eq!(
            rest["items"][0]["kind"], "joined",
            "the oldest event, on the second page"
        );
        assert!(rest["next_cursor"].is_null());
        // Ada's page no longer lists it; Bob's does.
        let (_, bobs) = ada.page(&app, &format!("/people/{}", bob.id)).await;
        assert!(bobs.contains("/communities/observability-guild"));
        let (_, adas) = bob.page(&app, &format!("/people/{}", ada.id)).await;
        assert!(!adas.contains("/communities/observability-guild"));
        // Merge into a second community Bob stewards: the old address redirects.
        propose(&bob, &app, "Tracing").await;
        let merged = bob
            .post(
                &app,
                "/communities/observability-guild/merge",
                &[("into", "tracing")],
            )
            .await;
        assert_eq!(merged.status(), StatusCode::SEE_OTHER);
        let old = bob
            .web
            .get(app.url("/communities/observability-guild/history"))
            .send()
            .await
            .unwrap();
        assert_eq!(old.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(old.headers()["location"], "/communities/tracing/history");
        let api_old = client()
            .get(app.url("/api/v1/communities/observability-guild"))
            .bearer_auth(&bob.token)
            .send()
            .await
            .unwrap();
        assert_eq!(api_old.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(api_old.headers()["location"], "/api/v1/communities/tracing");
        let (_, tracing) = bob.page(&app, "/communities/tracing/history").await;
        assert!(tracing.contains("Observability Guild was merged into this community"));
        let (_, dir) = bob.page(&app, "/communities").await;
        assert!(
            !dir.contains("/communities/observability-guild\""),
            "merged communities leave the directory"
        );
    }
}

#[tokio::test]
async fn the_api_covers_requests_invitations_roles_participation_and_the_lifecycle() {
    use reqwest::Method as M;
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        let charter = json!({"name": "Incident Review", "domain_question": "What do our incidents teach us?",
            "type": "process_oriented", "orientation": "collaborative_learning", "visibility": "private",
            "sponsor": "Head of SRE"});
        let (s, v) = ada
            .api(&app, M::POST, "/api/v1/communities", Some(charter.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["slug"], "incident-review");
        assert_eq!(v["stage"], "potential");
        assert_eq!(v["stewards"][0]["id"], ada.id);
        let (s, v) = ada
            .api(&app, M::POST, "/api/v1/communities", Some(charter.clone()))
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("slug"))
        );
        let mut bad = charter.clone();
        bad["type"] = json!("guild");
        bad["slug"] = json!("other");
        let (s, v) = ada
            .api(&app, M::POST, "/api/v1/communities", Some(bad))
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("type"))
        );
        let (_, doc) = ada.api(&app, M::GET, "/api/v1/openapi.json", None).await;
        let names: Vec<&str> = doc["paths"]["/api/v1/communities"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"type") && names.contains(&"mine"),
            "{names:?}"
        );
        let (s, _) = ada
            .api(&app, M::GET, "/api/v1/communities?stage=ripe", None)
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Private: Bob cannot see or join it, but may ask.
        let (s, _) = bob
            .api(&app, M::GET, "/api/v1/communities/incident-review", None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = bob
            .api(
                &app,
                M::POST,
                "/api/v1/communities/incident-review/join",
                None,
            )
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "joining a private community without approval"
        );
        let (s, _) = bob
            .api(
                &app,
                M::POST,
                "/api/v1/communities/incident-review/requests",
                Some(json!({"message": "I write postmortems"})),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let (s, _) = cy
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/requests",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, pending) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/requests",
                None,
            )
            .await;
        let id = pending[0]["id"].as_i64().unwrap();
        assert_eq!(pending[0]["message"], "I write postmortems");
        let (s, _) = ada
            .api(
                &app,
                M::POST,
                &format!("/api/v1/communities/incident-review/requests/{id}/approve"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        // Bob is a member now, not a steward.
        let (s, _) = bob
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/requests",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = bob
            .api(
                &app,
                M::PATCH,
                "/api/v1/communities/incident-review",
                Some(json!({"purpose": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Invitations.
        let (s, v) = ada
            .api(
                &app,
                M::POST,
                "/api/v1/communities/incident-review/invitations",
                Some(json!({"person_id": cy.id, "message": "join us"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (_, mine) = cy.api(&app, M::GET, "/api/v1/invitations", None).await;
        assert_eq!(mine[0]["community"]["slug"], "incident-review");
        let inv = mine[0]["id"].as_i64().unwrap();
        let (s, _) = bob
            .api(
                &app,
                M::POST,
                &format!("/api/v1/invitations/{inv}/accept"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "not Bob's invitation");
        let (s, _) = cy
            .api(
                &app,
                M::POST,
                &format!("/api/v1/invitations/{inv}/accept"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        // Roles and the last steward.
        let (s, v) = ada
            .api(
                &app,
                M::POST,
                "/api/v1/communities/incident-review/leave",
                None,
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("role"))
        );
        let (s, v) = ada
            .api(
                &app,
                M::PUT,
                &format!("/api/v1/communities/incident-review/members/{}/role", cy.id),
                Some(json!({"role": "chief"})),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("role"))
        );
        let (s, _) = ada
            .api(
                &app,
                M::PUT,
                &format!("/api/v1/communities/incident-review/members/{}/role", cy.id),
                Some(json!({"role": "core"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        // Participation comes from contributions in the activity log.
        let c = app
            .db
            .store
            .community_id("incident-review")
            .await
            .unwrap()
            .unwrap();
        let now = domain::Clock::now(&app.clock);
        let mut tx = app.db.store.begin().await.unwrap();
        for (who, days) in [(bob.id, 10), (cy.id, 40)] {
            activity::append(
                &mut tx,
                &NewEvent {
                    at: now - Duration::days(days),
                    community_id: c,
                    actor_id: Some(who),
                    kind: "replied",
                    subject: Some("t1".into()),
                    ..NewEvent::default()
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let (_, members) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/members",
                None,
            )
            .await;
        let level = |name: &str| {
            members["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["display_name"] == name)
                .unwrap()["participation"]
                .clone()
        };
        assert_eq!(
            (level("Bob"), level("Cy"), level("Ada")),
            (json!("active"), json!("occasional"), json!("peripheral"))
        );
        // Moving the clock ages participation (sessions last longer than this move).
        app.clock.advance(Duration::days(20));
        let (_, members) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/members",
                None,
            )
            .await;
        let level = |name: &str| {
            members["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["display_name"] == name)
                .unwrap()["participation"]
                .clone()
        };
        assert_eq!(level("Bob"), json!("occasional"), "30 days after his reply");
        let (_, home) = ada
            .api(&app, M::GET, "/api/v1/communities/incident-review", None)
            .await;
        assert_eq!(
            home["participation"],
            json!({"active": 0, "occasional": 2, "peripheral": 1})
        );
        let (_, core) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/members?role=core",
                None,
            )
            .await;
        assert_eq!(core["items"].as_array().unwrap().len(), 1);
        assert_eq!(core["items"][0]["display_name"], "Cy");
        assert_eq!(
            core["items"][0]["participation"], "occasional",
            "60 days after her reply"
        );
        let (_, page) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/members?limit=1",
                None,
            )
            .await;
        let next = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, rest) = ada
            .api(
                &app,
                M::GET,
                &format!("/api/v1/communities/incident-review/members?limit=1&cursor={next}"),
                None,
            )
            .await;
        assert_ne!(rest["items"][0]["id"], page["items"][0]["id"]);
        // Charter revisions with diffs; stage.
        let (s, v) = ada.api(&app, M::PATCH, "/api/v1/communities/incident-review", Some(json!({"purpose": "Learn without blame", "stage": "coalescing", "note": "first purpose"}))).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["charter"]["purpose"].as_str(), v["stage"].as_str()),
            (Some("Learn without blame"), Some("coalescing"))
        );
        let (_, revisions) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/charter/revisions",
                None,
            )
            .await;
        assert_eq!(revisions[1]["changes"][0]["field"], "purpose");
        assert_eq!(revisions[1]["changes"][0]["diff"][0]["change"], "added");
        // Split, with a link back; then archive, after which edits are refused.
        let (s, v) = ada.api(&app, M::POST, "/api/v1/communities/incident-review/split", Some(json!({"name": "Chaos Days", "domain_question": "Can we break it on purpose?", "type": "process_oriented", "orientation": "collaborative_learning", "visibility": "private", "invite": [bob.id]}))).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["split_from"]["slug"], "incident-review");
        let (_, bobs) = bob.api(&app, M::GET, "/api/v1/invitations", None).await;
        assert_eq!(bobs[0]["community"]["slug"], "chaos-days");
        let (_, home) = ada
            .api(&app, M::GET, "/api/v1/communities/incident-review", None)
            .await;
        assert_eq!(home["splits"][0]["slug"], "chaos-days");
        let (s, _) = ada
            .api(
                &app,
                M::POST,
                "/api/v1/communities/incident-review/archive",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = ada
            .api(
                &app,
                M::PATCH,
                "/api/v1/communities/incident-review",
                Some(json!({"purpose": "changed"})),
            )
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("community"))
        );
        assert!(v["error"]["message"].as_str().unwrap().contains("archived"));
        let (_, history) = ada
            .api(
                &app,
                M::GET,
                "/api/v1/communities/incident-review/history",
                None,
            )
            .await;
        let kinds: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap())
            .collect();
        for k in [
            "archived",
            "split_into",
            "charter_revised",
            "stage_changed",
            "role_changed",
            "invitation_accepted",
            "request_approved",
            "created",
        ] {
            assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
        }
        // A person's communities, filtered by what the viewer may see.
        let (_, of_ada) = bob
            .api(
                &app,
                M::GET,
                &format!("/api/v1/people/{}/communities", ada.id),
                None,
            )
            .await;
        let slugs: Vec<&str> = of_ada
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["community"]["slug"].as_str().unwrap())
            .collect();
        assert_eq!(
            slugs,
            ["incident-review"],
            "Bob sees the one he belongs to, not Chaos Days"
        );
        let (_, dir) = bob
            .api(
                &app,
                M::GET,
                "/api/v1/communities?mine=true&type=process_oriented",
                None,
            )
            .await;
        assert_eq!(dir["items"].as_array().unwrap().len(), 1);
        assert_eq!(dir["items"][0]["your_role"], "member");
    }
}
