//! Property tests over random logs: the report does not depend on line order
//! (for distinct instants) nor on the offset an instant is written in;
//! nothing at or after the window's end changes any figure; Gini stays in
//! [0, 1] and the bus factor never exceeds the active members.

use chrono::FixedOffset;
use health::{Event, Kind, Response, Strictness, ThreadType, Window, instant, read_log, report};
use proptest::prelude::*;
use serde_json::Value;

const END: &str = "2024-06-03T00:00:00Z";

fn end() -> i64 {
    instant::parse(END).unwrap()
}

/// A random event; `at` is filled in later.
fn event() -> impl Strategy<Value = Event> {
    (
        0usize..2,
        prop::option::weighted(0.9, 0usize..7),
        0usize..Kind::ALL.len(),
        0usize..5,
        prop::option::of(0usize..7),
        prop::option::of(0usize..3),
        prop::option::of(0usize..3),
        0usize..5,
        0usize..3,
        1u8..=5,
        prop::option::of(1u32..60),
    )
        .prop_map(
            |(c, actor, kind, subject, reply_to, team, reply_team, tt, resp, value, review)| {
                let kind = Kind::ALL[kind];
                let mut e = Event::new("", ["rust", "go"][c], kind);
                e.actor = actor.map(|a| format!("m{a}"));
                if kind.needs_subject() {
                    let prefix = match kind {
                        Kind::ThreadOpened | Kind::Replied | Kind::AnswerAccepted => "t",
                        Kind::GatheringHeld | Kind::Rsvp | Kind::Attended => "g",
                        Kind::PulseAnswered => "p",
                        Kind::ExperimentStarted | Kind::ExperimentConcluded => "e",
                        _ => "a",
                    };
                    e.subject = Some(format!("{prefix}{subject}"));
                }
                e.team = team.map(|t| format!("team{t}"));
                if kind == Kind::Replied {
                    e.reply_to = reply_to.map(|a| format!("m{a}"));
                    e.reply_to_team = reply_team.map(|t| format!("team{t}"));
                }
                if kind == Kind::ThreadOpened {
                    e.thread_type = Some(
                        [
                            ThreadType::Question,
                            ThreadType::Discussion,
                            ThreadType::Question,
                            ThreadType::Story,
                            ThreadType::ShowAndTell,
                        ][tt],
                    );
                }
                if kind == Kind::Rsvp {
                    e.response = Some([Response::Yes, Response::No, Response::Maybe][resp]);
                }
                if kind == Kind::PulseAnswered {
                    e.value = Some(value);
                }
                if matches!(kind, Kind::ArtifactCreated | Kind::ArtifactRevised) {
                    e.review_days = review;
                }
                e
            },
        )
}

/// Events at distinct whole seconds within the 70 days before the end.
fn log_events() -> impl Strategy<Value = Vec<(i64, Event)>> {
    prop::collection::btree_set(0i64..70 * 86_400, 1..120).prop_flat_map(|seconds| {
        let n = seconds.len();
        prop::collection::vec(event(), n).prop_map(move |events| {
            seconds
                .iter()
                .zip(events)
                .map(|(&s, e)| (end() - (s + 1) * instant::SECOND, e))
                .collect()
        })
    })
}

fn jsonl(events: &[(i64, Event)], offsets: &[i32]) -> String {
    let mut out = String::new();
    for (i, (at, e)) in events.iter().enumerate() {
        let minutes = offsets.get(i % offsets.len().max(1)).copied().unwrap_or(0);
        let zone = FixedOffset::east_opt(minutes * 60).unwrap();
        let mut e = e.clone();
        e.at = instant::to_datetime(*at).with_timezone(&zone).to_rfc3339();
        out.push_str(&serde_json::to_string(&e).unwrap());
        out.push('\n');
    }
    out
}

fn portfolio_json(text: &str) -> Value {
    let (log, _) = read_log(text.as_bytes(), Strictness::Strict, |e| panic!("{e}")).unwrap();
    serde_json::to_value(report::portfolio(&log, &Window::ending_at(end(), 28))).unwrap()
}

/// The first path where two reports differ beyond rounding, if any.
pub fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{path}[{i}]"))),
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().find_map(|(k, v)| match y.get(k) {
                Some(w) => difference(v, w, &format!("{path}.{k}")),
                None => Some(format!("{path}.{k} missing")),
            })
        }
        _ if same(a, b) => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

/// Equal up to floating-point rounding.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn line_order_does_not_matter_for_distinct_instants(
        events in log_events(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = events.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert!(same(&portfolio_json(&jsonl(&events, &[0])), &portfolio_json(&jsonl(&shuffled, &[0]))));
    }

    #[test]
    fn the_offset_an_instant_is_written_in_does_not_matter(
        events in log_events(),
        offsets in prop::collection::vec(-14 * 60..=14 * 60i32, 1..5),
    ) {
        prop_assert!(same(&portfolio_json(&jsonl(&events, &[0])), &portfolio_json(&jsonl(&events, &offsets))));
    }

    #[test]
    fn nothing_at_or_after_the_end_changes_any_figure(
        events in log_events(),
        late in prop::collection::vec((0i64..40 * 86_400, event()), 1..40),
    ) {
        let before = portfolio_json(&jsonl(&events, &[0]));
        let mut all = events.clone();
        all.extend(late.into_iter().map(|(s, e)| (end() + s * instant::SECOND, e)));
        let after = portfolio_json(&jsonl(&all, &[60]));
        prop_assert!(same(&before, &after), "{:?}", difference(&before, &after, ""));
    }

    #[test]
    fn gini_and_bus_factor_stay_in_bounds(events in log_events()) {
        let (log, _) = read_log(jsonl(&events, &[0]).as_bytes(), Strictness::Strict, |_| {}).unwrap();
        let portfolio = report::portfolio(&log, &Window::ending_at(end(), 28));
        for r in portfolio.communities.iter().chain([&portfolio.organisation]) {
            prop_assert!((0.0..=1.0).contains(&r.metrics.gini));
            prop_assert!(r.metrics.bus_factor <= r.metrics.active_members);
            prop_assert!((0.0..=5.0 + 1e-9).contains(&r.vitality.score));
        }
    }
}
