//! Synthetic activity logs for demos, tests and benchmarks: pure, seeded and
//! deterministic. An organisation of communities of known shapes (thriving,
//! dominated by few voices, ghost town, insular one-team, growing,
//! declining, and potential: just starting), from a handful of events to
//! tens of millions, written as JSON Lines in time order.
//!
//! Community `i` has shape `Shape::ALL[i % 7]`, so any organisation of seven
//! communities or more holds every shape.

mod community;
mod line;

use std::io::{self, Write};

use crate::instant::{DAY, WEEK};
use community::Simulation;
pub use line::SynthEvent;

/// The shape a generated community is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    Thriving,
    FewVoices,
    GhostTown,
    Insular,
    Growing,
    Declining,
    Potential,
}

impl Shape {
    pub const ALL: [Shape; 7] = [
        Shape::Thriving,
        Shape::FewVoices,
        Shape::GhostTown,
        Shape::Insular,
        Shape::Growing,
        Shape::Declining,
        Shape::Potential,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Thriving => "thriving",
            Shape::FewVoices => "few-voices",
            Shape::GhostTown => "ghost-town",
            Shape::Insular => "insular",
            Shape::Growing => "growing",
            Shape::Declining => "declining",
            Shape::Potential => "potential",
        }
    }

    /// Share of the organisation's events this shape gets (relative).
    fn weight(self) -> f64 {
        match self {
            Shape::Thriving => 1.5,
            Shape::FewVoices => 0.8,
            Shape::GhostTown => 0.6,
            Shape::Insular => 0.8,
            Shape::Growing => 1.0,
            Shape::Declining => 1.0,
            Shape::Potential => 0.0,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub seed: u64,
    /// Roughly how many events (within a few per cent).
    pub events: u64,
    /// Size of the organisation's member pool.
    pub members: u32,
    pub communities: u32,
    /// Days of history before `end`.
    pub days: u32,
    /// The first instant after the log (UTC nanoseconds); reports "as of"
    /// this instant see each community in its intended shape.
    pub end: i64,
}

impl Config {
    /// The benchmark organisation: 10,000,000 events, 100,000 members, 200
    /// communities, two years ending 2026-01-05T00:00:00Z.
    pub fn benchmark() -> Config {
        Config {
            seed: 20_260_105,
            events: 10_000_000,
            members: 100_000,
            communities: 200,
            days: 730,
            end: crate::instant::parse("2026-01-05T00:00:00Z").expect("valid instant"),
        }
    }

    /// An organisation of `events` events scaled like the benchmark one.
    pub fn scaled(seed: u64, events: u64) -> Config {
        let communities = (events / 50_000).clamp(7, 200) as u32;
        let members = (events / 100).clamp(300, 100_000) as u32;
        Config {
            seed,
            events,
            members,
            communities,
            ..Config::benchmark()
        }
    }

    /// The community id of index `i`.
    pub fn community_name(i: u32) -> String {
        format!("cop-{i:03}")
    }

    /// The shape of community `i`.
    pub fn shape(i: u32) -> Shape {
        Shape::ALL[i as usize % Shape::ALL.len()]
    }
}

/// Generates the log, calling `emit` for each event in time order.
pub fn generate(config: &Config, mut emit: impl FnMut(&SynthEvent)) {
    let start = config.end - i64::from(config.days) * DAY;
    let total_weight: f64 = (0..config.communities)
        .map(|i| Config::shape(i).weight())
        .sum();
    let mut sims: Vec<Simulation> = (0..config.communities)
        .map(|i| {
            let shape = Config::shape(i);
            let share = if total_weight > 0.0 {
                shape.weight() / total_weight
            } else {
                0.0
            };
            Simulation::new(config, i, shape, start, share * config.events as f64)
        })
        .collect();
    let mut buffer: Vec<SynthEvent> = Vec::new();
    let mut week_start = crate::instant::week_start(start);
    while week_start < config.end {
        let week_end = week_start + WEEK;
        for sim in &mut sims {
            sim.week(week_start, &mut buffer);
        }
        buffer.retain(|e| e.at < config.end && e.at >= start);
        buffer.sort_by_key(|e| e.at);
        let ready = buffer.partition_point(|e| e.at < week_end);
        for e in &buffer[..ready] {
            emit(e);
        }
        buffer.drain(..ready);
        week_start = week_end;
    }
    for e in &buffer {
        emit(e);
    }
}

/// Generates the log as JSON Lines into `out`; returns the number of events.
pub fn write_jsonl(config: &Config, out: impl Write) -> io::Result<u64> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut line = Vec::with_capacity(256);
    let mut count = 0u64;
    let mut failure = None;
    generate(config, |e| {
        if failure.is_some() {
            return;
        }
        line.clear();
        e.write_json(&mut line);
        if let Err(err) = out.write_all(&line) {
            failure = Some(err);
        }
        count += 1;
    });
    if let Some(err) = failure {
        return Err(err);
    }
    out.flush()?;
    Ok(count)
}

/// Generates the log straight into an [`crate::ActivityLog`] (sorted).
pub fn activity_log(config: &Config) -> crate::ActivityLog {
    let mut log = crate::ActivityLog::new();
    generate(config, |e| e.push_into(&mut log));
    log.sort();
    log
}
