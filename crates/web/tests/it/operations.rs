//! Operations endpoints and the API document.

use serde_json::Value;

use crate::{apps, client};

#[tokio::test]
async fn healthz_metrics_and_request_ids() {
    for app in apps().await {
        let c = client();
        let h = c.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(h.status(), 200);
        assert_eq!(h.headers()["x-request-id"].to_str().unwrap().len(), 16);
        let _ = c.get(app.url("/api/v1/people")).send().await.unwrap();
        let metrics = c
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(metrics.contains(
            "http_requests_total{method=\"GET\",route=\"/api/v1/people\",status=\"401\"}"
        ));
        assert!(metrics.contains("http_request_duration_seconds_bucket"));
    }
}

#[tokio::test]
async fn the_api_document_lists_every_operation_with_schemas() {
    let app = &apps().await[0];
    let doc: Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/signup", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me/profile", "put"),
        ("/api/v1/people", "get"),
        ("/api/v1/people/{id}", "get"),
        ("/api/v1/people/{id}/role", "put"),
        ("/api/v1/teams", "get"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{id}", "delete"),
        ("/api/v1/communities", "get"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(
            op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with('2')),
            "{method} {path}"
        );
        if (method == "post" || method == "put") && path != "/api/v1/auth/logout" {
            assert!(
                op["requestBody"].is_object(),
                "{method} {path} has no request schema"
            );
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "PersonOut",
        "ProfileIn",
        "ErrorBody",
        "SessionOut",
        "NewTokenOut",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
}
