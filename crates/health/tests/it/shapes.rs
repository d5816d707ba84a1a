//! Generated communities of known shape get their expected stage and
//! diagnoses, for more than one seed and size.

use health::synthetic::{self, Config, Shape};
use health::{Window, report};

fn expected(shape: Shape) -> (&'static str, &'static [&'static str]) {
    match shape {
        Shape::Thriving => ("stewardship", &[]),
        Shape::FewVoices => (
            "stewardship",
            &["dominance_by_few_voices", "single_point_of_leadership"],
        ),
        Shape::GhostTown => ("transformation", &["dormant_consider_dissolving"]),
        Shape::Insular => ("stewardship", &["insularity"]),
        Shape::Growing => ("maturing", &[]),
        Shape::Declining => ("stewardship", &["stagnation"]),
        Shape::Potential => ("potential", &[]),
    }
}

/// Diagnoses that would contradict the shape.
fn excluded(shape: Shape) -> &'static [&'static str] {
    match shape {
        Shape::Thriving | Shape::Potential => &[
            "dormant_consider_dissolving",
            "low_participation",
            "dominance_by_few_voices",
            "stagnation",
            "insularity",
            "stale_practice",
            "remote_barriers",
            "single_point_of_leadership",
            "newcomers_not_retained",
            "questions_unanswered",
            "value_not_felt",
        ],
        Shape::Growing => &[
            "dormant_consider_dissolving",
            "stagnation",
            "insularity",
            "dominance_by_few_voices",
        ],
        Shape::Insular => &[
            "dominance_by_few_voices",
            "stagnation",
            "dormant_consider_dissolving",
        ],
        Shape::FewVoices => &["insularity", "stagnation", "dormant_consider_dissolving"],
        Shape::Declining => &[
            "dormant_consider_dissolving",
            "insularity",
            "dominance_by_few_voices",
        ],
        Shape::GhostTown => &["insularity", "dominance_by_few_voices"],
    }
}

fn check(config: Config) {
    let log = synthetic::activity_log(&config);
    let portfolio = report::portfolio(&log, &Window::ending_at(config.end, 28));
    let mut failures = Vec::new();
    for c in &portfolio.communities {
        let name = c.community.as_deref().unwrap();
        let index: u32 = name.trim_start_matches("cop-").parse().unwrap();
        let shape = Config::shape(index);
        let (stage, diagnoses) = expected(shape);
        let found: Vec<&str> = c.diagnoses.iter().map(|d| d.name).collect();
        let ok = c.stage.name == stage
            && diagnoses.iter().all(|d| found.contains(d))
            && excluded(shape).iter().all(|d| !found.contains(d));
        if !ok {
            failures.push(format!(
                "{name} {}: stage {} diagnoses {found:?}; metrics {:?}; context {:?}",
                shape.name(),
                c.stage.name,
                c.metrics,
                c.context
            ));
        }
    }
    assert_eq!(portfolio.communities.len(), config.communities as usize);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn each_shape_gets_its_stage_and_diagnoses() {
    check(Config::scaled(7, 60_000));
}

#[test]
fn shapes_hold_for_another_seed_and_size() {
    check(Config::scaled(2024, 150_000));
}

#[test]
fn generation_is_deterministic_and_sized() {
    let config = Config::scaled(99, 40_000);
    let mut first = Vec::new();
    let count = synthetic::write_jsonl(&config, &mut first).unwrap();
    let mut second = Vec::new();
    synthetic::write_jsonl(&config, &mut second).unwrap();
    assert_eq!(first, second);
    assert!(
        (36_000..=44_000).contains(&count),
        "{count} events for 40,000 asked"
    );
    let (log, summary) =
        health::read_log(&first[..], health::Strictness::Strict, |e| panic!("{e}")).unwrap();
    assert_eq!(summary.events, count);
    assert_eq!(log.len() as u64, count);
    let times: Vec<&[u8]> = first
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| &l[7..27])
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "lines are in time order"
    );
}
