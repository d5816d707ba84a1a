//! The suggested-answerer benchmark: replays a community's history in the
//! order questions were asked and, for each answered question, asks the
//! product's ranking (`web::expertise_service::suggest`, the clock set just
//! before the question, so only earlier evidence counts) for three people;
//! then reports how often the actual answerer is among them, beside a
//! baseline computed in the same pass — the three people who had answered
//! most questions so far (the asker left out of both). Who answered is read
//! once, up front, and used only to score. See `bench/expertise/run.sh`.
//!
//! ```text
//! cargo run --release -p web --example expertise_replay -- DATABASE_URL SLUG [EVERY]
//! ```

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use domain::SettableClock;
use web::{AppState, WebConfig};

/// Hits of one method.
#[derive(Default)]
struct Tally {
    accepted: u32,
    any: u32,
    first: u32,
}

impl Tally {
    fn count(&mut self, picked: &[i64], accepted: Option<i64>, answerers: &[i64]) {
        if accepted.is_some_and(|a| picked.contains(&a)) {
            self.accepted += 1;
        }
        if answerers.iter().any(|a| picked.contains(a)) {
            self.any += 1;
        }
        if answerers.first().is_some_and(|a| picked.contains(a)) {
            self.first += 1;
        }
    }
}

/// The three people with most answers so far, the asker left out; ties to the lower id.
fn most_active(counts: &HashMap<i64, u32>, asker: Option<i64>) -> Vec<i64> {
    let mut all: Vec<(i64, u32)> = counts
        .iter()
        .filter(|(p, _)| Some(**p) != asker)
        .map(|(p, n)| (*p, *n))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    all.into_iter().take(3).map(|(p, _)| p).collect()
}

fn share(hits: u32, of: u32) -> String {
    if of == 0 {
        "—".to_owned()
    } else {
        format!(
            "{hits}/{of} = {:.1}%",
            100.0 * f64::from(hits) / f64::from(of)
        )
    }
}

fn ratio(ours: u32, theirs: u32) -> String {
    if theirs == 0 {
        "—".to_owned()
    } else {
        format!("{:.2}", f64::from(ours) / f64::from(theirs))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: expertise_replay DATABASE_URL SLUG [EVERY]";
    let url = args.next().ok_or(usage)?;
    let slug = args.next().ok_or(usage)?;
    // Score every n-th answered question (all of history is still replayed).
    let every: u32 = match args.next() {
        Some(n) => n.parse::<u32>()?.max(1),
        None => 1,
    };
    let store = store::Store::open(&url).await?;
    let community = store
        .community_by_slug(&slug)
        .await?
        .ok_or("no community with that address")?
        .id;
    let (questions, answers) = store.past_questions(community).await?;
    let Some(first) = questions.first() else {
        return Err("the community has no questions".into());
    };
    let clock = SettableClock::new(first.asked_at);
    let state = AppState::new(store.clone(), Arc::new(clock.clone()), WebConfig::default());
    let mut counts: HashMap<i64, u32> = HashMap::new();
    let mut next = 0;
    let (mut seen, mut answered, mut with_accepted, mut short) = (0_u32, 0_u32, 0_u32, 0_u32);
    let (mut ours, mut baseline) = (Tally::default(), Tally::default());
    let started = Instant::now();
    for q in &questions {
        // The baseline's knowledge: answers given before the question.
        while next < answers.len() && answers[next].1 < q.asked_at {
            *counts.entry(answers[next].0).or_default() += 1;
            next += 1;
        }
        if q.answerers.is_empty() {
            continue;
        }
        seen += 1;
        if (seen - 1) % every != 0 {
            continue;
        }
        answered += 1;
        let accepted = q.accepted_author.filter(|a| Some(*a) != q.asker);
        if accepted.is_some() {
            with_accepted += 1;
        }
        clock.set(q.asked_at - Duration::milliseconds(1));
        let text = format!("{}\n{}", q.title, domain::thread::plain_text(&q.body));
        let picked: Vec<i64> = web::expertise_service::suggest(
            &state,
            community,
            &q.tags,
            &text,
            q.asker.unwrap_or(-1),
            q.asker.is_none(),
        )
        .await?
        .iter()
        .map(|s| s.person)
        .collect();
        if picked.len() < 3 {
            short += 1;
        }
        ours.count(&picked, accepted, &q.answerers);
        baseline.count(&most_active(&counts, q.asker), accepted, &q.answerers);
    }
    let took = started.elapsed();
    println!(
        "questions: {} asked, {seen} answered by someone other than the asker; scored every {every}: {answered}, {with_accepted} of them with an accepted answer",
        questions.len()
    );
    println!("suggested answerers (3, only history before each question):");
    println!(
        "  accepted answerer among them: {}",
        share(ours.accepted, with_accepted)
    );
    println!(
        "  first answerer among them:    {}",
        share(ours.first, answered)
    );
    println!(
        "  any answerer among them:      {}",
        share(ours.any, answered)
    );
    println!("  fewer than 3 suggested:       {short}");
    println!("baseline (the 3 most active answerers so far):");
    println!(
        "  accepted answerer among them: {}",
        share(baseline.accepted, with_accepted)
    );
    println!(
        "  first answerer among them:    {}",
        share(baseline.first, answered)
    );
    println!(
        "  any answerer among them:      {}",
        share(baseline.any, answered)
    );
    println!(
        "ratio suggested / baseline: accepted {}, first {}, any {}",
        ratio(ours.accepted, baseline.accepted),
        ratio(ours.first, baseline.first),
        ratio(ours.any, baseline.any)
    );
    println!(
        "time: {:.1} s for {answered} suggestions, {:.1} ms each",
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / f64::from(answered.max(1))
    );
    Ok(())
}
