//! The Atom feed of new threads: public for an open community, with an
//! anonymous question credited to "the asker"; for a private community only
//! with a member's feed token or session, and otherwise the same 404 as a
//! community that does not exist; a revoked token stops working.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::browser;
use crate::{apps, client};

#[tokio::test]
async fn feeds_of_new_threads_respect_privacy_and_anonymity() {
    for app in apps().await {
        let app = &app;
        let ada = browser(app, "ada@example.org", "Ada Lovelace").await;
        let bob = browser(app, "bob@example.org", "Bob").await;
        for (slug, visibility) in [("open-feed", "open"), ("closed-feed", "private")] {
            let (s, _) = ada
                .api(app, Method::POST, "/api/v1/communities",
                    Some(json!({"slug": slug, "name": slug, "domain_question": "Why?",
                        "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": visibility})))
                .await;
            assert_eq!(s, StatusCode::CREATED);
            for (title, anonymous) in [("Named question", false), ("Shy question", true)] {
                let (s, v) = ada
                    .api(app, Method::POST, &format!("/api/v1/communities/{slug}/threads"),
                        Some(json!({"type": "question", "title": format!("{title} in {slug}"),
                            "body": "Some <b>words</b> and <script>x()</script>", "anonymous": anonymous})))
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{v}");
            }
        }
        let get = |path: String| async move {
            let r = client().get(app.url(&path)).send().await.unwrap();
            let status = r.status();
            let kind = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (status, kind, r.text().await.unwrap())
        };
        let (s, kind, body) = get("/communities/open-feed/threads.atom".into()).await;
        assert_eq!(s, StatusCode::OK);
        assert!(kind.starts_with("application/atom+xml"), "{kind}");
        let feed: atom_syndication::Feed = body.parse().expect("a valid Atom document");
        assert_eq!(feed.entries().len(), 2);
        let shy = &feed.entries()[0];
        assert!(shy.title().as_str().contains("Shy question"));
        assert_eq!(shy.authors()[0].name(), "the asker");
        assert_eq!(feed.entries()[1].authors()[0].name(), "Ada Lovelace");
        let html = shy.content().unwrap().value().unwrap();
        assert!(
            html.contains("<b>words</b>") && !html.contains("<script"),
            "{html}"
        );
        assert_eq!(
            body.matches("Ada Lovelace").count(),
            1,
            "only the named question names her"
        );
        // A private community: no token, a wrong token and no community look alike.
        let missing = get("/communities/no-such-feed/threads.atom".into()).await;
        assert_eq!(missing.0, StatusCode::NOT_FOUND);
        for path in [
            "/communities/closed-feed/threads.atom",
            "/communities/closed-feed/threads.atom?token=nonsense",
        ] {
            let (s, _, text) = get(path.into()).await;
            assert_eq!((s, &text), (missing.0, &missing.2), "{path}");
        }
        // Bob, an outsider, cannot make a token for it; Ada can.
        let (s, _) = bob
            .api(
                app,
                Method::POST,
                "/api/v1/feeds",
                Some(json!({"community": "closed-feed"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, made) = ada
            .api(
                app,
                Method::POST,
                "/api/v1/feeds",
                Some(json!({"community": "closed-feed"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{made}");
        let token = made["url"]
            .as_str()
            .unwrap()
            .split("token=")
            .nth(1)
            .unwrap()
            .to_owned();
        let (s, _, body) = get(format!(
            "/communities/closed-feed/threads.atom?token={token}"
        ))
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("Shy question in closed-feed"));
        // A token for one community does not open another's feed (the open one is public anyway).
        let (_, _, open) = get(format!("/communities/open-feed/threads.atom?token={token}")).await;
        assert!(!open.contains("closed-feed"));
        // A signed-in member's session reads it too; revoking the token closes it.
        let (s, _) = ada.page(app, "/communities/closed-feed/threads.atom").await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = ada
            .api(
                app,
                Method::DELETE,
                &format!("/api/v1/feeds/{}", made["id"]),
                None,
            )
            .await;
        assert!(s.is_success());
        let (s, _, _) = get(format!(
            "/communities/closed-feed/threads.atom?token={token}"
        ))
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}
