//! Who knows what, through HTTP: suggested answerers on a question and on a
//! question being written (never the asker, each with its evidence),
//! notifications only for those who opted in; an anonymous question whose
//! suggestions only its asker sees, with no one taking the asker's place;
//! the directory by topic and a person's expertise, with private evidence
//! kept from outsiders and inferred expertise hidden on request.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::join;
use crate::browser::{Browser, browser};
use crate::{App, apps};

async fn community(app: &App, steward: &Browser, slug: &str, visibility: &str) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": format!("Guild {slug}"),
                "domain_question": "How do we run the platform well?",
                "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": visibility})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn ask(
    app: &App,
    who: &Browser,
    slug: &str,
    title: &str,
    tags: &[&str],
    anonymous: bool,
) -> i64 {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/communities/{slug}/threads"),
            Some(
                json!({"type": "question", "title": title, "body": "Details follow.",
                "tags": tags, "anonymous": anonymous}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn answer(app: &App, who: &Browser, thread: i64) -> i64 {
    let (s, v) = who
        .api(
            app,
            Method::POST,
            &format!("/api/v1/threads/{thread}/replies"),
            Some(json!({"body": "Here is how."})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn accept(app: &App, asker: &Browser, thread: i64, reply: i64) {
    let (s, v) = asker
        .api(
            app,
            Method::POST,
            &format!("/api/v1/threads/{thread}/accept"),
            Some(json!({"reply_id": reply})),
        )
        .await;
    assert!(s.is_success(), "{v}");
}

async fn opt_in(app: &App, who: &Browser, hide: bool, notify: bool) {
    let (s, v) = who
        .api(
            app,
            Method::PUT,
            "/api/v1/me/expertise-settings",
            Some(json!({"hide_inferred": hide, "notify_suggested": notify})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"hide_inferred": hide, "notify_suggested": notify})
    );
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["person"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn suggested_notifications(app: &App, who: &Browser) -> Vec<Value> {
    let (_, v) = who
        .api(app, Method::GET, "/api/v1/notifications", None)
        .await;
    let items = v["items"].as_array().cloned().unwrap_or_default();
    items
        .into_iter()
        .filter(|n| n["kind"] == "suggested")
        .collect()
}

/// Ada stewards "platform"; Bo's answer on kubernetes was accepted; Cy and
/// Dan answered kubernetes questions; Eve answered one on helm.
struct Guild {
    ada: Browser,
    bo: Browser,
    cy: Browser,
    dan: Browser,
    eve: Browser,
}

async fn guild(app: &App) -> Guild {
    let ada = browser(app, "ada@example.org", "Ada").await;
    let bo = browser(app, "bo@example.org", "Bo").await;
    let cy = browser(app, "cy@example.org", "Cy").await;
    let dan = browser(app, "dan@example.org", "Dan").await;
    let eve = browser(app, "eve@example.org", "Eve").await;
    community(app, &ada, "platform", "open").await;
    for p in [&bo, &cy, &dan, &eve] {
        join(app, p, "platform").await;
    }
    let q = ask(
        app,
        &ada,
        "platform",
        "Pods restart in a loop",
        &["kubernetes"],
        false,
    )
    .await;
    let r = answer(app, &bo, q).await;
    answer(app, &cy, q).await;
    accept(app, &ada, q, r).await;
    let q = ask(
        app,
        &ada,
        "platform",
        "Which probe for a slow start?",
        &["kubernetes"],
        false,
    )
    .await;
    let r = answer(app, &dan, q).await;
    accept(app, &ada, q, r).await;
    answer(app, &dan, q).await;
    let q = ask(
        app,
        &ada,
        "platform",
        "Chart values per stage",
        &["helm"],
        false,
    )
    .await;
    answer(app, &eve, q).await;
    Guild {
        ada,
        bo,
        cy,
        dan,
        eve,
    }
}

#[tokio::test]
async fn a_question_gets_suggested_answerers_with_evidence_never_its_asker() {
    for app in apps().await {
        let g = guild(&app).await;
        opt_in(&app, &g.bo, false, true).await;
        opt_in(&app, &g.eve, false, true).await;
        // Dan, the strongest on kubernetes, asks: he is never suggested.
        let q = ask(
            &app,
            &g.dan,
            "platform",
            "Draining a node safely",
            &["kubernetes"],
            false,
        )
        .await;
        let (s, v) = g
            .ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/threads/{q}/suggested-answerers"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(names(&v["people"]), vec!["Bo", "Cy"]);
        let bo = &v["people"][0];
        assert_eq!(bo["working_now"], true);
        assert_eq!(
            bo["reasons"][0],
            "1 accepted answer tagged kubernetes, last in March 2026"
        );
        assert!(
            bo["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "1 answer in the last 7 days")
        );
        // Bo opted in and was told, by name of the asker; Cy did not opt in;
        // Eve opted in but has nothing on kubernetes.
        let told = suggested_notifications(&app, &g.bo).await;
        assert_eq!(told.len(), 1);
        assert_eq!(told[0]["thread_id"], q);
        assert_eq!(told[0]["actor"]["name"], "Dan");
        assert!(suggested_notifications(&app, &g.cy).await.is_empty());
        assert!(suggested_notifications(&app, &g.eve).await.is_empty());
        let (_, page) = g.bo.page(&app, "/notifications").await;
        assert!(
            page.contains("Dan asked a question you could answer:"),
            "{page}"
        );
        // The thread page shows them with their evidence.
        let (s, page) = g.ada.page(&app, &format!("/threads/{q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Who could answer"));
        assert!(page.contains("1 accepted answer tagged kubernetes, last in March 2026"));
        // Words of the text count too: "helm" in the title brings Eve.
        let (_, v) = g
            .dan
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/platform/suggested-answerers?title=Upgrading%20a%20helm%20chart&tags=kubernetes",
                None,
            )
            .await;
        assert_eq!(names(&v), vec!["Bo", "Cy", "Eve"]);
        // Written by Bo: Bo is left out and Dan comes in.
        let (_, v) =
            g.bo.api(
                &app,
                Method::GET,
                "/api/v1/communities/platform/suggested-answerers?tags=kubernetes",
                None,
            )
            .await;
        assert_eq!(names(&v), vec!["Dan", "Cy"]);
        // Without the script: the form's check button lists them too.
        let r = g
            .dan
            .post(
                &app,
                "/communities/platform/threads",
                &[
                    ("type", "question"),
                    ("title", "Node pools"),
                    ("body", "x"),
                    ("tags", "kubernetes"),
                    ("check", "1"),
                ],
            )
            .await;
        let page = r.text().await.unwrap();
        assert!(page.contains("Who could answer"));
        assert!(page.contains("/people/") && page.contains("accepted answer tagged kubernetes"));
        // Once solved, no suggestions.
        let r = answer(&app, &g.cy, q).await;
        accept(&app, &g.dan, q, r).await;
        let (_, v) = g
            .ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/threads/{q}/suggested-answerers"),
                None,
            )
            .await;
        assert_eq!(v["people"], json!([]));
        assert_eq!(v["note"], "This question is solved.");
    }
}

#[tokio::test]
async fn an_anonymous_questions_suggestions_cannot_point_at_its_asker() {
    for app in apps().await {
        let g = guild(&app).await;
        // Eve gains kubernetes evidence too: fourth after Dan, Bo and Cy.
        let q = ask(
            &app,
            &g.ada,
            "platform",
            "Ingress timeouts",
            &["kubernetes", "helm"],
            false,
        )
        .await;
        answer(&app, &g.eve, q).await;
        for p in [&g.bo, &g.cy, &g.eve] {
            opt_in(&app, p, false, true).await;
        }
        let q = ask(
            &app,
            &g.dan,
            "platform",
            "Secrets in pods",
            &["kubernetes"],
            true,
        )
        .await;
        // Everyone but the asker is told only that suggestions are private.
        for p in [&g.ada, &g.bo, &g.eve] {
            let (s, v) = p
                .api(
                    &app,
                    Method::GET,
                    &format!("/api/v1/threads/{q}/suggested-answerers"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(v["people"], json!([]));
            assert!(v["note"].as_str().unwrap().contains("only to its asker"));
            let (_, page) = p.page(&app, &format!("/threads/{q}")).await;
            assert!(!page.contains("Dan"), "the asker is named on the page");
        }
        // The asker sees the top three without himself, and no one in his place.
        let (_, v) = g
            .dan
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/threads/{q}/suggested-answerers"),
                None,
            )
            .await;
        let shown = names(&v["people"]);
        assert_eq!(shown.len(), 2, "{v}");
        assert!(!shown.contains(&"Dan".to_owned()) && !shown.contains(&"Eve".to_owned()));
        // Those notified are the same; no notification names the asker.
        for p in [&g.bo, &g.cy] {
            let told = suggested_notifications(&app, p).await;
            assert_eq!(told.len(), 1);
            assert_eq!(told[0]["actor"], Value::Null);
            let (_, page) = p.page(&app, "/notifications").await;
            assert!(!page.contains("Dan"));
        }
        assert!(suggested_notifications(&app, &g.eve).await.is_empty());
        assert!(suggested_notifications(&app, &g.dan).await.is_empty());
    }
}

#[tokio::test]
async fn the_directory_and_a_persons_expertise_keep_private_and_hidden_evidence() {
    for app in apps().await {
        let g = guild(&app).await;
        community(&app, &g.ada, "vault-club", "private").await;
        let (s, _) = g
            .ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/vault-club/invitations",
                Some(json!({"person_id": g.bo.id})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        join(&app, &g.bo, "vault-club").await;
        let q = ask(
            &app,
            &g.ada,
            "vault-club",
            "Rotating unseal keys",
            &["vaultsecret"],
            false,
        )
        .await;
        answer(&app, &g.bo, q).await;

        let (s, v) =
            g.cy.api(
                &app,
                Method::GET,
                "/api/v1/expertise?topic=%20Kubernetes",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["topic"], "kubernetes");
        let people: Vec<&str> = v["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["person"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(people, vec!["Dan", "Bo", "Cy"]);
        assert_eq!(
            v["people"][1]["claim"]["evidence"],
            json!([
                "1 accepted answer tagged kubernetes, last in March 2026",
                "1 answer to questions tagged kubernetes, last in March 2026"
            ])
        );
        let (_, page) = g.cy.page(&app, "/expertise?topic=kubernetes").await;
        assert!(
            page.contains("1 accepted answer tagged kubernetes, last in March 2026"),
            "{page}"
        );

        // The outsider sees nothing of the private community's evidence.
        let (_, v) =
            g.cy.api(
                &app,
                Method::GET,
                "/api/v1/expertise?topic=vaultsecret",
                None,
            )
            .await;
        assert_eq!(v["people"], json!([]));
        for url in [
            "/api/v1/expertise",
            &format!("/api/v1/people/{}/expertise", g.bo.id),
        ] {
            let (_, v) = g.cy.api(&app, Method::GET, url, None).await;
            assert!(!v.to_string().contains("vaultsecret"), "{url}: {v}");
        }
        let (_, page) = g.cy.page(&app, &format!("/people/{}", g.bo.id)).await;
        assert!(page.contains("accepted answer tagged kubernetes"));
        assert!(!page.contains("vaultsecret"));
        // A member does.
        let (_, v) = g
            .ada
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/people/{}/expertise", g.bo.id),
                None,
            )
            .await;
        assert!(
            v.to_string()
                .contains("1 answer to questions tagged vaultsecret"),
            "{v}"
        );
        assert_eq!(v["settings"], Value::Null);

        // Bo hides his inferred expertise by the settings form and declares kubernetes.
        let r =
            g.bo.post(&app, "/profile/expertise", &[("hide_inferred", "true")])
                .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = g.bo.page(&app, "/profile/expertise?saved=1").await;
        assert!(
            page.contains("id=\"hide_inferred\" name=\"hide_inferred\" value=\"true\" checked")
        );
        let (s, _) = g
            .bo
            .api(
                &app,
                Method::PUT,
                "/api/v1/me/profile",
                Some(json!({"display_name": "Bo", "skills": [{"name": "Kubernetes", "level": "expert"}]})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, v) =
            g.cy.api(
                &app,
                Method::GET,
                "/api/v1/expertise?topic=kubernetes",
                None,
            )
            .await;
        let bo = v["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["person"]["name"] == "Bo")
            .unwrap();
        assert_eq!(
            bo["claim"]["evidence"],
            json!(["declares kubernetes as expert"])
        );
        assert_eq!(bo["claim"]["declared"], "expert");
        let (_, v) =
            g.cy.api(
                &app,
                Method::GET,
                &format!("/api/v1/people/{}/expertise", g.bo.id),
                None,
            )
            .await;
        assert!(!v.to_string().contains("accepted answer"), "{v}");
        // He still sees his own, and that it is hidden.
        let (_, v) =
            g.bo.api(
                &app,
                Method::GET,
                &format!("/api/v1/people/{}/expertise", g.bo.id),
                None,
            )
            .await;
        assert!(v.to_string().contains("accepted answer tagged kubernetes"));
        assert_eq!(v["settings"]["hide_inferred"], true);
        // Suggested on his declared skill alone.
        let q = ask(
            &app,
            &g.ada,
            "platform",
            "Autoscaling",
            &["kubernetes"],
            false,
        )
        .await;
        let (_, v) =
            g.cy.api(
                &app,
                Method::GET,
                &format!("/api/v1/threads/{q}/suggested-answerers"),
                None,
            )
            .await;
        let bo = v["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["person"]["name"] == "Bo")
            .unwrap();
        assert_eq!(bo["reasons"][0], "declares kubernetes as expert");
        assert!(!bo.to_string().contains("accepted answer"));

        let (s, v) =
            g.cy.api(
                &app,
                Method::GET,
                &format!("/api/v1/expertise?topic={}", "x".repeat(101)),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["field"], "topic");
    }
}
