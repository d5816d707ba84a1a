//! The renderers: JSON shaped as METRICS.md, the text dashboard, and HTML
//! that is self-contained and escapes what the log says.

use health::render;
use health::{Strictness, read_log, report};
use serde_json::Value;

use crate::fixture::{WORKED, worked_window};

#[test]
fn json_of_all_has_the_contract_shape() {
    let (log, _) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let json: Value = serde_json::from_str(&render::json_portfolio(&report::portfolio(
        &log,
        &worked_window(),
    )))
    .unwrap();
    let top: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["communities", "organisation", "window"]);
    assert_eq!(json["organisation"]["community"], Value::Null);
    assert_eq!(json["window"]["days"], 28);
    for scope in json["communities"]
        .as_array()
        .unwrap()
        .iter()
        .chain([&json["organisation"]])
    {
        let keys: Vec<&str> = scope
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "community",
                "diagnoses",
                "metrics",
                "series",
                "stage",
                "vitality",
                "window"
            ]
        );
        assert!(scope["vitality"]["score"].is_number());
        assert!(scope["vitality"]["components"].is_array());
        assert!(scope["stage"]["name"].is_string());
        assert!(scope["stage"]["evidence"].is_array());
        for d in scope["diagnoses"].as_array().unwrap() {
            assert!(
                d["name"].is_string() && d["figures"].is_object() && d["interventions"].is_array()
            );
        }
    }
    // The go community has no gathering: null, never 0 or NaN.
    assert_eq!(
        json["communities"][0]["metrics"]["mean_attendance"],
        Value::Null
    );
}

#[test]
fn text_dashboard_shows_figures_nulls_and_diagnoses() {
    let (log, _) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let p = report::portfolio(&log, &worked_window());
    let text = render::text_portfolio(&p);
    assert!(text.contains("━━ rust ━━"));
    assert!(text.contains("stage: coalescing"));
    assert!(text.contains("Low participation"));
    assert!(text.contains("median first response 1d 0h"));
    assert!(text.contains("mean attendance —"), "nulls read as a dash");
    assert!(!text.contains("NaN"));
}

#[test]
fn html_is_self_contained_and_escaped() {
    let line = r#"{"at":"2024-02-10T10:00:00Z","community":"<script>alert(1)</script>","actor":"a\"b","kind":"thread_opened","subject":"t","thread_type":"question"}"#;
    let text = format!("{WORKED}{line}\n");
    let (log, _) = read_log(text.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let html = render::html_portfolio(&report::portfolio(&log, &worked_window()));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<script"),
        "no script, and the hostile name is escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for external in ["src=", "href=\"http", "@import", "url("] {
        assert!(!html.contains(external), "external asset: {external}");
    }
    assert!(html.contains("<svg"));
    assert!(html.contains("<style>"));
    let one = render::html_community(&report::community(&log, "rust", &worked_window()).unwrap());
    assert!(one.contains("Weekly active members"));
}
