//! Steward tools by forms: answering a request, inviting by e-mail, setting
//! the stage, splitting with invitations, archiving; and what members who
//! are not stewards are refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::apps;
use crate::browser::browser;

#[tokio::test]
async fn stewards_answer_requests_invite_split_and_archive_by_forms() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        let made = ada
            .post(
                &app,
                "/communities",
                &[
                    ("name", "Security Champions"),
                    ("domain_question", "How does every team ship safely?"),
                    ("community_type", "cross_cutting"),
                    ("orientation", "system_of_influence"),
                    ("visibility", "private"),
                ],
            )
            .await;
        assert_eq!(
            made.headers()["location"],
            "/communities/security-champions"
        );
        // Bob asks by address; the answer does not say whether it exists.
        let asked = bob
            .post(
                &app,
                "/communities/ask",
                &[("slug", "security-champions"), ("message", "I triage CVEs")],
            )
            .await;
        assert_eq!(asked.status(), StatusCode::OK);
        assert!(
            asked
                .text()
                .await
                .unwrap()
                .contains("its stewards will see your request")
        );
        let (_, tools) = ada
            .page(&app, "/communities/security-champions/manage")
            .await;
        assert!(tools.contains("Bob") && tools.contains("I triage CVEs"));
        let (_, pending) = ada
            .api(
                &app,
                reqwest::Method::GET,
                "/api/v1/communities/security-champions/requests",
                None,
            )
            .await;
        let id = pending[0]["id"].as_i64().unwrap();
        let approved = ada
            .post(
                &app,
                &format!("/communities/security-champions/requests/{id}"),
                &[("decision", "approve")],
            )
            .await;
        assert_eq!(approved.status(), StatusCode::SEE_OTHER);
        let (status, _) = bob.page(&app, "/communities/security-champions").await;
        assert_eq!(status, StatusCode::OK, "Bob is a member now");
        // Bob is not a steward: the tools are refused.
        let (status, _) = bob
            .page(&app, "/communities/security-champions/manage")
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let refused = bob
            .post(&app, "/communities/security-champions/archive", &[])
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // Inviting by e-mail: an unknown address is named in the form.
        let unknown = ada
            .post(
                &app,
                "/communities/security-champions/invitations",
                &[("email", "nobody@example.org")],
            )
            .await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .text()
                .await
                .unwrap()
                .contains("no one in Guildhall has this e-mail address")
        );
        let invited = ada
            .post(
                &app,
                "/communities/security-champions/invitations",
                &[("email", "CY@example.org"), ("message", "welcome")],
            )
            .await;
        assert_eq!(invited.status(), StatusCode::SEE_OTHER);
        let (_, dir) = cy.page(&app, "/communities").await;
        assert!(dir.contains("Invitations for you") && dir.contains("Security Champions"));
        let (_, mine) = cy
            .api(&app, reqwest::Method::GET, "/api/v1/invitations", None)
            .await;
        let inv = mine[0]["id"].as_i64().unwrap();
        let accepted = cy
            .post(
                &app,
                &format!("/invitations/{inv}"),
                &[("decision", "accept")],
            )
            .await;
        assert_eq!(
            accepted.headers()["location"],
            "/communities/security-champions"
        );
        // Stage.
        let staged = ada
            .post(
                &app,
                "/communities/security-champions/stage",
                &[("stage", "coalescing")],
            )
            .await;
        assert_eq!(staged.status(), StatusCode::SEE_OTHER);
        let bad = ada
            .post(
                &app,
                "/communities/security-champions/stage",
                &[("stage", "ripe")],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Split, inviting Bob by checkbox.
        let (_, form) = ada
            .page(&app, "/communities/security-champions/split")
            .await;
        let bob_box = format!("invite-{}", bob.id);
        assert!(form.contains(&bob_box));
        let split = ada
            .post(
                &app,
                "/communities/security-champions/split",
                &[
                    ("name", "Threat Modelling"),
                    ("domain_question", "What could go wrong, before it does?"),
                    ("community_type", "process_oriented"),
                    ("orientation", "collaborative_learning"),
                    ("visibility", "open"),
                    (bob_box.as_str(), "on"),
                ],
            )
            .await;
        assert_eq!(split.headers()["location"], "/communities/threat-modelling");
        let (_, new_home) = bob.page(&app, "/communities/threat-modelling").await;
        assert!(new_home.contains("Split from <a href=\"/communities/security-champions\">"));
        let (_, invites): (StatusCode, Value) = bob
            .api(&app, reqwest::Method::GET, "/api/v1/invitations", None)
            .await;
        assert_eq!(invites[0]["community"]["slug"], json!("threat-modelling"));
        // Archive: read-only, still readable, and the page says so.
        let archived = ada
            .post(&app, "/communities/security-champions/archive", &[])
            .await;
        assert_eq!(archived.status(), StatusCode::SEE_OTHER);
        let (status, home) = bob.page(&app, "/communities/security-champions").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains("Archived on") && !home.contains("Leave this community"));
        let leave = bob
            .post(&app, "/communities/security-champions/leave", &[])
            .await;
        assert_eq!(leave.status(), StatusCode::CONFLICT);
        let (status, _) = ada.page(&app, "/communities/security-champions/edit").await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, history) = bob
            .page(&app, "/communities/security-champions/history")
            .await;
        for expected in [
            "archived",
            "Threat Modelling was split from this community",
            "stage changed: potential → coalescing",
            "Cy accepted an invitation",
            "request was approved",
        ] {
            assert!(history.contains(expected), "{expected} missing");
        }
        // Filters on the directory page.
        let (_, filtered) = bob.page(&app, "/communities?type=process_oriented").await;
        assert!(
            filtered.contains("Threat Modelling") && !filtered.contains(">Security Champions<")
        );
        let (_, mine) = bob.page(&app, "/communities?mine=true").await;
        // Bob belongs to one; the other appears only as his invitation, not as a card.
        assert!(mine.contains("href=\"/communities/security-champions\""));
        assert!(!mine.contains("href=\"/communities/threat-modelling\""));
    }
}
