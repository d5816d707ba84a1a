//! The engine benchmark driver used by `bench/health/run.sh`:
//!
//! - `engine generate [EVENTS]` writes the benchmark organisation's log
//!   (fixed seed) as JSON Lines to standard output;
//! - `engine measure` reads a log from standard input into memory, then
//!   times parsing it (on one thread, then on all), and the full report of the organisation
//!   and every community from the events in memory, and prints the figures
//!   as one JSON object.

use std::io::{self, Read, Write};
use std::time::Instant;

use health::synthetic::{Config, Shape};
use health::{Strictness, Window, render, report};

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("generate") => {
            let mut config = Config::benchmark();
            if let Some(n) = args.get(1) {
                config = Config {
                    events: n.parse().expect("EVENTS is a number"),
                    ..config
                };
            }
            let count = health::synthetic::write_jsonl(&config, io::stdout().lock())?;
            eprintln!("generated {count} events");
            Ok(())
        }
        Some("measure") => measure(),
        _ => {
            eprintln!("usage: engine generate [EVENTS] | engine measure < log.jsonl");
            Ok(())
        }
    }
}

/// CPU seconds this thread has used (Linux, 100 ticks per second), so that
/// the per-core rate holds even when other work shares the machine.
fn thread_cpu_seconds() -> f64 {
    cpu_seconds("/proc/thread-self/stat")
}

/// CPU seconds the whole process has used (all threads).
fn process_cpu_seconds() -> f64 {
    cpu_seconds("/proc/self/stat")
}

fn cpu_seconds(path: &str) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
        f.iter().filter_map(|t| t.parse::<f64>().ok()).sum()
    });
    ticks / 100.0
}

fn measure() -> io::Result<()> {
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let config = Config::benchmark();
    let window = Window::ending_at(config.end, 28);

    let started = Instant::now();
    let cpu_before = thread_cpu_seconds();
    let mut log = health::ActivityLog::new();
    let (summary, _) = health::reader::read_slice(&bytes, &mut log, Strictness::Skip, |_| {})
        .expect("in-memory read");
    let read_cpu_seconds = thread_cpu_seconds() - cpu_before;
    let read_seconds = started.elapsed().as_secs_f64();
    drop(log);
    let started = Instant::now();
    let cpu_before = process_cpu_seconds();
    let (log, _) =
        health::parallel::read_bytes(&bytes, Strictness::Skip, |_| {}).expect("in-memory read");
    let parallel_read_cpu_seconds = process_cpu_seconds() - cpu_before;
    let parallel_read_seconds = started.elapsed().as_secs_f64();

    // Best of three for the in-memory report.
    let mut report_seconds = f64::INFINITY;
    let mut report_cpu_seconds = f64::INFINITY;
    let mut portfolio = None;
    for _ in 0..3 {
        let started = Instant::now();
        let cpu_before = process_cpu_seconds();
        let p = report::portfolio(&log, &window);
        report_seconds = report_seconds.min(started.elapsed().as_secs_f64());
        report_cpu_seconds = report_cpu_seconds.min(process_cpu_seconds() - cpu_before);
        portfolio = Some(p);
    }
    let portfolio = portfolio.expect("three runs");
    let started = Instant::now();
    let json = render::json_portfolio(&portfolio);
    let render_seconds = started.elapsed().as_secs_f64();

    // How many generated communities got the stage their shape calls for.
    let mut matching = 0;
    for c in &portfolio.communities {
        let index: u32 = c
            .community
            .as_deref()
            .unwrap_or("cop-0")
            .trim_start_matches("cop-")
            .parse()
            .unwrap_or(0);
        let expected = match Config::shape(index) {
            Shape::Thriving | Shape::FewVoices | Shape::Insular | Shape::Declining => "stewardship",
            Shape::GhostTown => "transformation",
            Shape::Growing => "maturing",
            Shape::Potential => "potential",
        };
        matching += usize::from(c.stage.name == expected);
    }
    let out = serde_json::json!({
        "bytes": bytes.len(),
        "events": summary.events,
        "skipped": summary.skipped,
        "read_seconds": read_seconds,
        "read_events_per_second": summary.events as f64 / read_seconds,
        "read_mb_per_second": bytes.len() as f64 / read_seconds / 1e6,
        "read_cpu_seconds": read_cpu_seconds,
        "read_events_per_cpu_second": summary.events as f64 / read_cpu_seconds,
        "parallel_read_seconds": parallel_read_seconds,
        "parallel_read_events_per_second": summary.events as f64 / parallel_read_seconds,
        "parallel_read_cpu_seconds_all_threads": parallel_read_cpu_seconds,
        "parallel_read_events_per_cpu_second": summary.events as f64 / parallel_read_cpu_seconds,
        "report_seconds": report_seconds,
        "report_cpu_seconds_all_threads": report_cpu_seconds,
        "render_json_seconds": render_seconds,
        "json_bytes": json.len(),
        "communities": portfolio.communities.len(),
        "communities_with_expected_stage": matching,
        "threads": rayon::current_num_threads(),
    });
    writeln!(io::stdout(), "{out}")
}
