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
        let form = c
            .get(app.url("/signup"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&form);
        // Without the token, the form is refused.
        let forged = c
            .post(app.url("/signup"))
            .form(&[
                ("email", "ada@example.org"),
                ("display_name", "Ada"),
                ("password", "correct horse battery"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // A bad field re-renders the form with the message and the field marked.
        let short = c
            .post(app.url("/signup"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "ada@example.org"),
                ("display_name", "Ada"),
                ("password", "short"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = short.text().await.unwrap();
        assert!(body.contains("too short") && body.contains("aria-invalid=\"true\""));
        let ok = c
            .post(app.url("/signup"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "ada@example.org"),
                ("display_name", "Ada"),
                ("password", "correct horse battery"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert!(
            ok.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("HttpOnly")
        );
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Welcome, Ada"));
        // Signed in, forms carry the session's own token, not the anonymous one.
        let edit = c
            .get(app.url("/profile/edit"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let session_token = csrf(&edit);
        assert_ne!(session_token, token);
        let stale = c
            .post(app.url("/profile"))
            .form(&[("csrf", token.as_str()), ("display_name", "Ada L")])
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::FORBIDDEN);
        let bad_zone = c
            .post(app.url("/profile"))
            .form(&[
                ("csrf", session_token.as_str()),
                ("display_name", "Ada L"),
                ("time_zone", "Nowhere/Land"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(bad_zone.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_zone.text().await.unwrap().contains("IANA"));
        let saved = c
            .post(app.url("/profile"))
            .form(&[
                ("csrf", session_token.as_str()),
                ("display_name", "Ada Lovelace"),
                ("team", "Analytical Engines"),
                ("time_zone", "Europe/London"),
                ("work_start", "10:00"),
                ("work_end", "16:00"),
                ("skills", "mathematics:expert, poetry"),
                ("can_teach", "notes on the engine"),
            ])
            .send()
            .await
            .unwrap();
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
        let found = c
            .get(app.url("/people?skill=mathematics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(found.contains("Ada Lovelace"));
        let none = c
            .get(app.url("/people?team=Nobody"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(none.contains("No one matches"));
        let out = c
            .post(app.url("/logout"))
            .form(&[("csrf", session_token.as_str())])
            .send()
            .await
            .unwrap();
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
        let token = csrf(
            &c.get(app.url("/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
        let wrong = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "grace@example.org"),
                ("password", "nope nope nope"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("wrong"));
        let ok = c
            .post(app.url("/login"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "grace@example.org"),
                ("password", "correct horse battery"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let page = c
            .get(app.url("/settings/tokens"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let t = csrf(&page);
        let made = c
            .post(app.url("/settings/tokens"))
            .form(&[("csrf", t.as_str()), ("name", "laptop")])
            .send()
            .await
            .unwrap()
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
        let login_token = crate::pages::csrf(
            &c.get(app.url("/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
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
