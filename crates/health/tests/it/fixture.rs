//! The hand-worked fixture: `tests/fixtures/worked.jsonl`, reported as of
//! 2024-03-04T00:00:00Z over 28 days, checked figure by figure against values
//! worked out by hand below.
//!
//! Window [2024-02-05, 2024-03-04); previous window [2024-01-08, 2024-02-05).
//! Lines at 2024-03-04T00:00:00Z (one written as 01:00+01:00) and later must
//! not count anywhere.

use health::{Strictness, Window, instant, read_log, report};
use serde_json::{Value, json};

pub const WORKED: &str = include_str!("../fixtures/worked.jsonl");

pub fn worked_window() -> Window {
    Window::ending_at(instant::parse("2024-03-04T00:00:00Z").unwrap(), 28)
}

fn close(actual: &Value, expected: &Value, what: &str) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            assert!((a - e).abs() < 1e-9, "{what}: {a} != {e}");
        }
        _ => assert_eq!(actual, expected, "{what}"),
    }
}

#[test]
fn every_figure_of_the_rust_community_matches_the_hand_worked_values() {
    let (log, summary) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    assert_eq!(summary.events, 57);
    let report = report::community(&log, "rust", &worked_window()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["community"], "rust");
    assert_eq!(
        json["window"],
        json!({"start": "2024-02-05T00:00:00Z", "end": "2024-03-04T00:00:00Z", "days": 28})
    );
    let expected = json!({
        // Window contributions: q1 opened, ann's self-reply, the anonymous
        // reply, bob's reply, bob's accepted answer (5); q2 opened, dan's
        // reply (7); q3 opened anonymously, ann's reply (9); q4 opened (10);
        // cat and eve on t2 (12); eve and cat attend g2 (14); fay attends g3,
        // ann attends g1 (16); a1 reviewed, a3 created, a3 revised (19);
        // experiment e1 (20); fay opens t9 at 23:59:59.999 (21).
        "contributions": 21,
        // ann 6, bob 3, cat 3, dan 3, eve 2, fay 2 (19 attributed).
        "active_members": 6,
        "threads": 5,          // q1, q2, q3, q4, t9
        "replies": 7,          // 4 on q1/q3 incl. self and anonymous, q2, 2 on t2
        "gatherings_held": 2,  // g2, g3 (g9 is after the end)
        "mean_attendance": 1.5, // g2: eve, cat; g3: fay; ann at g1 is not a window gathering
        // Yes pairs for g2: eve (01-22), fay (02-13), cat (after attending);
        // dan's latest is "no". eve and cat attended: 2/3.
        "rsvp_show_rate": 2.0 / 3.0,
        "questions": 4,
        // First responses: q1 bob +86,400 s (self and anonymous replies do
        // not count); q2 dan +691,200 s (8 days, too late); q3 ann +3,600 s
        // (anonymous opener); q4 none (cat's reply is at the end).
        "answered_share": 0.5,
        "solved_share": 0.25,   // q1 only; q2's acceptance is after the end
        "median_first_response": 86400.0,
        "unanswered": 1,
        "artifacts_created": 1, // a3
        "artifacts_reused": 3,
        "reuse_ratio": 2.0 / 3.0, // {a1, a2} of {a1, a2, a3}
        // Counts 2,2,3,3,3,6: 2·78/(6·19) − 7/6 = 23/114.
        "gini": 23.0 / 114.0,
        "top10_share": 6.0 / 19.0, // ⌈0.6⌉ = 1 member: ann's 6 of 19
        "bus_factor": 3,            // 6+3+3 = 12 ≥ 19/2
        "newcomers": 1,             // fay (attends g3 on 02-21)
        // Previous newcomers cat, dan, eve, gil; all but gil active now.
        "newcomer_retention": 0.75,
        "teams_active": 3,
        // core 9, web 6, data 4: H/ln 3.
        "team_evenness": 0.9520903566147751,
        // Replies with both teams: core→core ×2, web→web, web→data,
        // data→web: 2 of 5 differ.
        "cross_team_reply_share": 0.4,
        // Edges bob→ann, dan→cat, cat→eve, eve→cat (ann's self-reply dropped).
        "reciprocity": 0.5,
        // Held, ordered (at, subject): ga(cat) and gb(eve) tie at 09:00Z,
        // g0 ann, g00 dan, g1 bob, g2 cat, g3 cat. Last six from gb: eve,
        // ann, dan, bob, cat.
        "facilitator_rotation": 5,
        // a1 (30 d, reviewed 02-22) fresh; a2 (7 d, 01-15) stale; a3 (10 d
        // from its revision, touched 02-26) fresh.
        "fresh_share": 2.0 / 3.0,
        "stale": 1,
        "pulse_mean": 4.0, // 4,5,3,4,4
    });
    let metrics = json["metrics"].as_object().unwrap();
    let expected = expected.as_object().unwrap();
    assert_eq!(metrics.len(), expected.len(), "every figure, no more");
    for (name, value) in expected {
        close(&metrics[name], value, name);
    }
}

#[test]
fn the_weekly_series_matches_the_hand_worked_rows() {
    let (log, _) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let report = report::community(&log, "rust", &worked_window()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    // (week_start, active, contributions, newcomers, threads, replies)
    let rows = [
        ("2024-01-01T00:00:00Z", 2, 2, 2, 1, 0), // a1 by ann, t0 by bob
        ("2024-01-08T00:00:00Z", 2, 2, 2, 1, 1), // t1 by cat, dan replies
        ("2024-01-15T00:00:00Z", 1, 1, 0, 0, 0), // a2 by bob
        ("2024-01-22T00:00:00Z", 2, 2, 2, 1, 1), // t2 by eve, gil replies
        ("2024-01-29T00:00:00Z", 0, 0, 0, 0, 0),
        ("2024-02-05T00:00:00Z", 3, 8, 0, 3, 4), // q1 thread, q2, q3
        ("2024-02-12T00:00:00Z", 4, 6, 0, 1, 3), // q4, t2 replies, g2, dan on q2
        ("2024-02-19T00:00:00Z", 3, 4, 1, 0, 0), // fay, ann attend; a1, a3
        ("2024-02-26T00:00:00Z", 3, 3, 0, 1, 0), // a3 revised, e1, t9
    ];
    let series = json["series"].as_array().unwrap();
    assert_eq!(series.len(), rows.len());
    for (row, (week, active, contributions, newcomers, threads, replies)) in series.iter().zip(rows)
    {
        assert_eq!(
            row,
            &json!({"week_start": week, "active_members": active, "contributions": contributions,
                    "newcomers": newcomers, "threads": threads, "replies": replies})
        );
    }
}

#[test]
fn vitality_stage_and_diagnoses_of_the_fixture() {
    let (log, _) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let report = report::community(&log, "rust", &worked_window()).unwrap();
    // Context: previous window t1, dan's reply, a2, t2, gil's reply.
    assert_eq!(report.context.previous_contributions, 5);
    assert_eq!(report.context.previous_newcomers, 4);
    assert_eq!(report.context.gatherings_ever, 7);
    assert_eq!(report.context.weeks, 9);
    assert_eq!(report.context.peak_weekly_active, 4);
    // Components: trend 1, responsiveness 0.5, equality 1 − 23/114,
    // inflow (1/6)/0.2, retention 1, freshness 2/3, rotation 1, pulse 0.75.
    let expected = 5.0
        * (0.2
            + 0.15 * 0.5
            + 0.15 * (1.0 - 23.0 / 114.0)
            + 0.1 * (1.0 / 6.0 / 0.2)
            + 0.1
            + 0.1 * 2.0 / 3.0
            + 0.1
            + 0.1 * 0.75);
    assert!((report.vitality.score - expected).abs() < 1e-9);
    assert!(report.vitality.left_out.is_empty());
    // Nine weeks old: coalescing.
    assert_eq!(report.stage.name, "coalescing");
    let names: Vec<_> = report.diagnoses.iter().map(|d| d.name).collect();
    // Six active members (< 8); answered share 0.5 is not below 0.5.
    assert_eq!(names, ["low_participation"]);
}

#[test]
fn the_organisation_tells_subjects_apart_by_community() {
    let (log, _) = read_log(WORKED.as_bytes(), Strictness::Strict, |_| {}).unwrap();
    let org = report::organisation(&log, &worked_window());
    let m = &org.metrics;
    assert_eq!(org.community, None);
    // go/q1 is a different thread from rust/q1: answered after 3,600 s.
    assert_eq!(m.questions, 5);
    assert_eq!(m.answered_share, Some(0.6));
    assert_eq!(m.median_first_response, Some(45_000.0));
    assert_eq!(m.contributions, 23);
    assert_eq!(m.active_members, 7);
    assert_eq!(m.newcomers, 2); // fay, gus; ann's first is in rust
    assert_eq!(m.cross_team_reply_share, Some(2.0 / 6.0));
    assert_eq!(m.reciprocity, Some(0.4));
    let portfolio = report::portfolio(&log, &worked_window());
    assert_eq!(portfolio.organisation, org);
    let names: Vec<_> = portfolio
        .communities
        .iter()
        .map(|c| c.community.clone().unwrap())
        .collect();
    assert_eq!(names, ["go", "rust"]);
}
