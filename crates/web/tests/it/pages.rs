//! Pages through HTTP: forms carry CSRF tokens, sign-up and log-in set the
//! session cookie, profiles are edited by form, private data needs a session.

use reqwest::StatusCode;

use crate::{apps, client};

/// The value of the hidden `csrf` input in `html`.
fn csrf(html: &str) -> String {
    let at =
        html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn sign_up_edit_profile_and_log_out_by_forms() {
    for app in apps().await {
        let c = client();
        let form = app.page(&c, "/signup").await;
        let token = csrf(&form);
        // Without the token, the form is refused.
        let forged = app
            .post_form(
                &c,
                "/signup",
                &[
                    ("email", "ada@example.org"),
                    ("display_name", "Ada"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // A bad field re-renders the form with the message and the field marked.
        let short = app
            .post_form(
                &c,
                "/signup",
                &[
                    ("csrf", token.as_str()),
                    ("email", "ada@example.org"),
                    ("display_name", "Ada"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = short.text().await.unwrap();
        assert!(body.contains("too short") && body.contains("aria-invalid=\"true\""));
        let ok = app
            .post_form(
                &c,
                "/signup",
                &[
                    ("csrf", token.as_str()),
                    ("email", "ada@example.org"),
                    ("display_name", "Ada"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert!(
            ok.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("HttpOnly")
        );
        let home = app.page(&c, "/").await;
        assert!(home.contains("Welcome, Ada"));
        // Signed in, forms carry the session's own token, not the anonymous one.
        let edit = app.page(&c, "/profile/edit").await;
        let session_token = csrf(&edit);
        assert_ne!(session_token, token);
        let stale = app
            .post_form(
                &c,
                "/profile",
                &[("csrf", token.as_str()), ("display_name", "Ada L")],
            )
            .await;
        assert_eq!(stale.status(), StatusCode::FORBIDDEN);
        let bad_zone = app
            .post_form(
                &c,
                "/profile",
                &[
                    ("csrf", session_token.as_str()),
                    ("display_name", "Ada L"),
                    ("time_zone", "Nowhere/Land"),
                ],
            )
            .await;
        assert_eq!(bad_zone.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_zone.text().await.unwrap().contains("IANA"));
        let saved = app
            .post_form(
                &c,
                "/profile",
                &[
                    ("csrf", session_token.as_str()),
                    ("display_name", "Ada Lovelace"),
                    ("team", "Analytical Engines"),
                    ("time_zone", "Europe/London"),
                    ("work_start", "10:00"),
                    ("work_end", "16:00"),
                    ("skills", "mathematics:expert, poetry"),
                    ("can_teach", "notes on the engine"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let page = c
            .get(app.url(saved.headers()["location"].to_str().unwrap()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for expected in [
            "Ada Lovelace",
            "Analytical Engines",
            "Europe/London",
            "10:00–16:00",
            "mathematics",
            "notes on the engine",
        ] {
            assert!(page.contains(expected), "{expected} missing");
        }
        let found = app.page(&c, "/people?skill=mathematics").await;
        assert!(found.contains("Ada Lovelace"));
        let none = app.page(&c, "/people?team=Nobody").await;
        assert!(none.contains("No one matches"));
        let out = app
            .post_form(&c, "/logout", &[("csrf", session_token.as_str())])
            .await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        let after = c.get(app.url("/people")).send().await.unwrap();
        assert_eq!(
            after.status(),
            StatusCode::SEE_OTHER,
            "the directory needs a session"
        );
        assert_eq!(after.headers()["location"], "/login");
    }
}

#[tokio::test]
async fn log_in_form_and_tokens_page() {
    for app in apps().await {
        app.sign_up("grace@example.org", "Grace").await;
        let c = client();
        let token = csrf(&app.page(&c, "/login").await);
        let wrong = app
            .post_form(
                &c,
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", "grace@example.org"),
                    ("password", "nope nope nope"),
                ],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("wrong"));
        let ok = app
            .post_form(
                &c,
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", "grace@example.org"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let page = app.page(&c, "/settings/tokens").await;
        let t = csrf(&page);
        let made = app
            .post_form(
                &c,
                "/settings/tokens",
                &[("csrf", t.as_str()), ("name", "laptop")],
            )
            .await
            .text()
            .await
            .unwrap();
        let secret = made
            .split("<code id=\"new-token\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned();
        assert!(secret.starts_with("ghp_"));
        let me = client()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        // The cookie alone may read the API but not write to it without the CSRF header.
        assert_eq!(
            c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
            200
        );
        let write = c
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(write.status(), StatusCode::FORBIDDEN);
        let write = c
            .post(app.url("/api/v1/tokens"))
            .header("x-csrf-token", &t)
            .json(&serde_json::json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(write.status(), StatusCode::CREATED);
    }
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    for app in apps().await {
        let r = client().get(app.url("/no/such/page")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert!(r.text().await.unwrap().contains("Not found"));
        let token = app.sign_up("x@example.org", "X").await;
        let c = client();
        let login_token = crate::pages::csrf(&app.page(&c, "/login").await);
        let _ = login_token;
        let missing = c
            .get(app.url("/api/v1/people/999999"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
}
