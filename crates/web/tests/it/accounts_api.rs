//! Accounts over the API: sign-up, log-in and its limit, sessions, tokens, profiles, roles.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{apps, client};

#[tokio::test]
async fn sign_up_log_in_use_and_log_out() {
    for app in apps().await {
        let c = client();
        let token = app.sign_up("ada@example.org", "Ada Lovelace").await;
        let dup = c
            .post(app.url("/api/v1/auth/signup"))
            .json(&json!({"email": "ADA@example.org", "display_name": "Ada", "password": "0123456789ab"}))
            .send()
            .await
            .unwrap();
        assert_eq!(dup.status(), StatusCode::CONFLICT);
        assert_eq!(
            dup.json::<Value>().await.unwrap()["error"]["field"],
            "email"
        );

        let me = c
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["email"], "ada@example.org");
        assert_eq!(me["working_hours"]["start"], "08:00");

        let wrong = c
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": "ada@example.org", "password": "not the password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(
            wrong.json::<Value>().await.unwrap()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("wrong")
        );

        let login: Value = c
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": "Ada@Example.org", "password": "correct horse battery"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let second = login["token"].as_str().unwrap();
        assert!(second.starts_with("ghs_"));
        let out = c
            .post(app.url("/api/v1/auth/logout"))
            .bearer_auth(second)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        let after = c
            .get(app.url("/api/v1/me"))
            .bearer_auth(second)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        // The first session is untouched.
        assert_eq!(
            c.get(app.url("/api/v1/me"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        // Sessions expire.
        app.clock.advance(Duration::days(31));
        assert_eq!(
            c.get(app.url("/api/v1/me"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
    }
}

#[tokio::test]
async fn log_in_is_limited_after_repeated_failures_and_recovers() {
    for app in apps().await {
        let c = client();
        app.sign_up("grace@example.org", "Grace").await;
        let attempt = |password: &'static str| {
            c.post(app.url("/api/v1/auth/login"))
                .json(&json!({"email": "grace@example.org", "password": password}))
                .send()
        };
        for _ in 0..5 {
            assert_eq!(attempt("wrong password!").await.unwrap().status(), 401);
        }
        let limited = attempt("correct horse battery").await.unwrap();
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers()["retry-after"], "900");
        app.clock.advance(Duration::minutes(16));
        assert_eq!(
            attempt("correct horse battery").await.unwrap().status(),
            200
        );
    }
}

#[tokio::test]
async fn tokens_are_created_listed_used_and_revoked() {
    for app in apps().await {
        let c = client();
        let session = app.sign_up("linus@example.org", "Linus").await;
        let made = c
            .post(app.url("/api/v1/tokens"))
            .bearer_auth(&session)
            .json(&json!({"name": "ci script"}))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), 201);
        let made: Value = made.json().await.unwrap();
        let pat = made["token"].as_str().unwrap().to_owned();
        assert!(pat.starts_with("ghp_"));
        let me = c
            .get(app.url("/api/v1/me"))
            .bearer_auth(&pat)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
        let list: Value = app.get_json("/api/v1/tokens", &pat).await.1;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert!(list[0].get("token").is_none(), "the secret is never listed");
        assert!(!list.to_string().contains(&pat));
        let id = made["id"].as_i64().unwrap();
        // A PAT cannot log out; it is revoked instead.
        assert_eq!(
            c.post(app.url("/api/v1/auth/logout"))
                .bearer_auth(&pat)
                .send()
                .await
                .unwrap()
                .status(),
            400
        );
        let other = app.sign_up("eve@example.org", "Eve").await;
        let steal = c
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(steal.status(), 404);
        let gone = c
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 204);
        let refused = c
            .get(app.url("/api/v1/me"))
            .bearer_auth(&pat)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        assert!(
            refused.json::<Value>().await.unwrap()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("revoked")
        );
        let bogus = c
            .get(app.url("/api/v1/me"))
            .bearer_auth("ghp_nonsense")
            .send()
            .await
            .unwrap();
        assert_eq!(bogus.status(), 401);
    }
}

#[tokio::test]
async fn profiles_are_edited_and_found_in_the_directory() {
    for app in apps().await {
        let c = client();
        let token = app.sign_up("barbara@example.org", "Barbara").await;
        app.sign_up("alan@example.org", "Alan").await;
        let saved = c
            .put(app.url("/api/v1/me/profile"))
            .bearer_auth(&token)
            .json(&json!({
                "display_name": "Barbara Liskov", "team": "Research", "location": "Boston",
                "time_zone": "America/New_York", "work_start": "09:00", "work_end": "17:00",
                "bio": "Substitution.", "skills": [{"name": "Distributed Systems", "level": "expert"}],
                "interests": ["abstraction"], "can_teach": ["clu"], "wants_to_learn": ["rust"]
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        let saved: Value = saved.json().await.unwrap();
        assert_eq!(saved["skills"][0]["name"], "distributed systems");
        assert_eq!(saved["working_hours"]["end"], "17:00");
        for (query, expected) in [
            ("q=lisk", 1),
            ("team=Research", 1),
            ("skill=Distributed%20Systems", 1),
            ("skill=cobol", 0),
            ("", 2),
        ] {
            let page: Value = app
                .get_json(&format!("/api/v1/people?{query}"), &token)
                .await
                .1;
            assert_eq!(page["items"].as_array().unwrap().len(), expected, "{query}");
            assert!(
                page["items"][0].get("email").is_none(),
                "others' e-mail stays private"
            );
        }
        let first: Value = app.get_json("/api/v1/people?limit=1", &token).await.1;
        let cursor = first["next_cursor"].as_str().unwrap();
        let second: Value = app
            .get_json(&format!("/api/v1/people?limit=1&cursor={cursor}"), &token)
            .await
            .1;
        assert_eq!(second["items"][0]["display_name"], "Barbara Liskov");
        assert!(second["next_cursor"].is_null());
        let bad_zone = c
            .put(app.url("/api/v1/me/profile"))
            .bearer_auth(&token)
            .json(&json!({"display_name": "B", "time_zone": "Europe/Atlantis"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad_zone.status(), 422);
        assert_eq!(
            bad_zone.json::<Value>().await.unwrap()["error"]["field"],
            "time_zone"
        );
        let long = c
            .put(app.url("/api/v1/me/profile"))
            .bearer_auth(&token)
            .json(&json!({"display_name": "x".repeat(101)}))
            .send()
            .await
            .unwrap();
        assert_eq!(long.status(), 422);
        assert_eq!(
            long.json::<Value>().await.unwrap()["error"]["field"],
            "display_name"
        );
    }
}

#[tokio::test]
async fn only_admins_change_roles() {
    for app in apps().await {
        let c = client();
        let admin = app.sign_up("root@example.org", "Root").await;
        let member = app.sign_up("member@example.org", "Member").await;
        app.db
            .store
            .set_org_role(
                "root@example.org",
                domain::person::OrgRole::Admin,
                app.clock.now(),
            )
            .await
            .unwrap();
        let member_id = c
            .get(app.url("/api/v1/me"))
            .bearer_auth(&member)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let url = app.url(&format!("/api/v1/people/{member_id}/role"));
        let denied = c
            .put(&url)
            .bearer_auth(&member)
            .json(&json!({"role": "admin"}))
            .send()
            .await
            .unwrap();
        assert_eq!(denied.status(), 403);
        let bad = c
            .put(&url)
            .bearer_auth(&admin)
            .json(&json!({"role": "king"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let ok = c
            .put(&url)
            .bearer_auth(&admin)
            .json(&json!({"role": "admin"}))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.json::<Value>().await.unwrap()["org_role"], "admin");
    }
}

use domain::Clock;
