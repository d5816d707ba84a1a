//! A malformed-input sweep over every operation in the API document: no
//! request gets a 5xx, bodies over the limit get 413, and errors are JSON in
//! our format. New operations join the sweep by being in the document.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{apps, client};

fn bodies() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("not json", "{\"email\": ".into()),
        ("array", "[1, 2, 3]".into()),
        ("wrong types", json!({"email": 5, "display_name": [], "password": {}, "name": false, "role": 1}).to_string()),
        ("nulls", json!({"email": null, "display_name": null, "password": null, "name": null}).to_string()),
        ("unknown field", json!({"surprise": true}).to_string()),
        ("over-long", json!({"email": "a".repeat(5000), "display_name": "b".repeat(5000), "password": "c".repeat(5000),
            "name": "d".repeat(5000), "role": "e".repeat(5000)}).to_string()),
        ("unicode junk", json!({"email": "\u{0}\u{202e}@\u{ffff}", "display_name": "\u{0007}", "password": "\u{d7ff}".repeat(3)}).to_string()),
        ("deep", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
    ]
}

fn concrete(path: &str) -> Vec<String> {
    if path.contains('{') {
        ["1", "0", "-1", "999999999999", "abc", "%00", "1.5"]
            .iter()
            .map(|v| {
                let mut p = path.to_owned();
                while let (Some(a), Some(b)) = (p.find('{'), p.find('}')) {
                    p.replace_range(a..=b, v);
                }
                p
            })
            .collect()
    } else {
        vec![path.to_owned()]
    }
}

#[tokio::test]
async fn no_operation_answers_a_malformed_request_with_a_server_error() {
    for app in apps().await {
        let c = client();
        let session = app.sign_up("sweep@example.org", "Sweeper").await;
        // A personal access token, so the sweep's log-out calls cannot end it.
        let made: Value = c
            .post(app.url("/api/v1/tokens"))
            .bearer_auth(&session)
            .json(&json!({"name": "sweep"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = made["token"].as_str().unwrap().to_owned();
        let doc: Value = c
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut checked = 0;
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                for url in concrete(path) {
                    for auth in [
                        None,
                        Some(token.as_str()),
                        Some("ghp_forged"),
                        Some("ghs_forged"),
                    ] {
                        for (what, body) in bodies() {
                            let mut req = c
                                .request(
                                    method.clone(),
                                    app.url(&format!("{url}?limit=abc&cursor=%%%")),
                                )
                                .header("content-type", "application/json")
                                .body(body);
                            if let Some(t) = auth {
                                req = req.bearer_auth(t);
                            }
                            let r = req.send().await.unwrap();
                            let status = r.status();
                            assert!(
                                status.is_client_error() || status.is_success(),
                                "{method} {url} {what}: {status}"
                            );
                            if status.is_client_error() && status != 405 {
                                let text = r.text().await.unwrap();
                                let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                                    panic!("{method} {url} {what}: not JSON: {text}")
                                });
                                assert!(
                                    v["error"]["message"].is_string(),
                                    "{method} {url} {what}: {text}"
                                );
                            }
                            checked += 1;
                        }
                    }
                }
                // A body over the limit is refused with 413.
                if method == Method::POST || method == Method::PUT {
                    for url in concrete(path).into_iter().take(1) {
                        let huge =
                            json!({"display_name": "x".repeat(web::BODY_LIMIT + 1)}).to_string();
                        let r = c
                            .request(method.clone(), app.url(&url))
                            .bearer_auth(&token)
                            .header("content-type", "application/json")
                            .body(huge)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(r.status(), 413, "{method} {url}");
                    }
                }
            }
        }
        assert!(checked > 500, "the sweep covered {checked} requests");
        // The account survived the sweep (the token may have revoked itself: id 1 is a valid path).
        assert_eq!(
            c.get(app.url("/api/v1/me"))
                .bearer_auth(&session)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
}
