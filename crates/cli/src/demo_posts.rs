//! Generated conversations for benchmarks and large demos (`guildhall demo
//! --posts N`): threads and replies spread over the demo's open communities
//! and people, their words drawn from a Zipf-like vocabulary (a few
//! common words, a long tail of rare ones) so full-text search meets
//! realistic selectivity. Each community also gets one long thread of
//! exactly 100 replies, titled "The long thread", for the thread-page
//! benchmark. Deterministic for a given seed. Written in batches through
//! `Store::seed_threads`, so every post has its revision, index entry and
//! activity event.

use chrono::{DateTime, Duration, Utc};
use domain::thread::ThreadType;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::Store;
use store::threads::{SeedReply, SeedThread};

/// Threads written per transaction.
const BATCH: usize = 500;

/// The common end of the vocabulary, most frequent first.
const WORDS: &[&str] = &[
    "deploy",
    "service",
    "team",
    "error",
    "latency",
    "cluster",
    "pipeline",
    "alert",
    "dashboard",
    "test",
    "release",
    "database",
    "query",
    "cache",
    "config",
    "metric",
    "incident",
    "review",
    "design",
    "api",
    "token",
    "schema",
    "migration",
    "rollback",
    "kubernetes",
    "pod",
    "node",
    "budget",
    "trace",
    "span",
    "logging",
    "timeout",
    "retry",
    "queue",
    "consumer",
    "producer",
    "index",
    "replica",
    "backup",
    "restore",
    "feature",
    "flag",
    "canary",
    "staging",
    "production",
    "oncall",
    "pager",
    "runbook",
    "postmortem",
    "owner",
    "checklist",
    "pattern",
    "decision",
    "architecture",
    "frontend",
    "backend",
    "mobile",
    "accessibility",
    "contrast",
    "keyboard",
    "bundle",
    "performance",
    "memory",
    "profile",
    "flamegraph",
    "thread",
    "lock",
    "deadlock",
    "contract",
    "event",
    "stream",
    "batch",
    "warehouse",
    "lineage",
    "quality",
    "privacy",
    "encryption",
    "secret",
    "rotation",
    "certificate",
    "firewall",
    "threat",
    "model",
    "audit",
    "compliance",
    "onboarding",
    "mentor",
    "pairing",
    "estimate",
    "sprint",
    "retro",
    "kanban",
];

/// The `rank`-th word of the vocabulary (0 is the most common): the named
/// words first, then made-up but pronounceable ones.
pub fn word(rank: usize) -> String {
    if let Some(w) = WORDS.get(rank) {
        return (*w).to_owned();
    }
    const ONSETS: [&str; 12] = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t"];
    const VOWELS: [&str; 5] = ["a", "e", "i", "o", "u"];
    let mut n = rank - WORDS.len();
    let mut out = String::new();
    for _ in 0..3 {
        out.push_str(ONSETS[n % ONSETS.len()]);
        n /= ONSETS.len();
        out.push_str(VOWELS[n % VOWELS.len()]);
        n /= VOWELS.len();
    }
    if n > 0 {
        out.push_str(&n.to_string());
    }
    out
}

/// How many distinct words the generator uses.
pub const VOCABULARY: usize = 20_000;

/// Flattens the head of the word distribution: content words (stop words
/// are dropped by the index anyway) are less skewed than running text.
const HEAD: f64 = 30.0;

/// A word rank drawn with probability falling as 1/(rank + 30)
/// (Zipf–Mandelbrot): the commonest word is in about one post in eight.
fn zipf(rng: &mut StdRng) -> usize {
    // Inverse transform of the continuous density 1/(x + HEAD) over [0, VOCABULARY].
    let u: f64 = rng.r#gen();
    let x = HEAD * ((VOCABULARY as f64 + HEAD) / HEAD).powf(u) - HEAD;
    (x as usize).min(VOCABULARY - 1)
}

fn sentence(rng: &mut StdRng, words: usize) -> String {
    let mut s: Vec<String> = (0..words).map(|_| word(zipf(rng))).collect();
    if let Some(first) = s.first_mut() {
        let mut c = first.chars();
        if let Some(f) = c.next() {
            *first = f.to_uppercase().chain(c).collect();
        }
    }
    s.join(" ") + "."
}

fn body(rng: &mut StdRng) -> String {
    let sentences = rng.gen_range(2..7);
    let mut text: Vec<String> = (0..sentences)
        .map(|_| {
            let n = rng.gen_range(6..16);
            sentence(rng, n)
        })
        .collect();
    if rng.gen_ratio(1, 8) {
        text.push(format!(
            "\n```rust\nfn {}() -> Result<(), Error> {{\n    retry(3, || call(\"{}\"))\n}}\n```",
            word(zipf(rng)),
            word(zipf(rng))
        ));
    }
    text.join(" ")
}

/// Adds about `posts` posts (threads and replies) to `communities`, by
/// `people`, spread over the year before `now`; returns how many were written.
pub async fn load(
    store: &Store,
    communities: &[i64],
    people: &[i64],
    posts: u64,
    now: DateTime<Utc>,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    anyhow::ensure!(
        !communities.is_empty() && people.len() >= 2,
        "generated posts need a community and two people"
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let types = [
        ThreadType::Question,
        ThreadType::Question,
        ThreadType::Discussion,
        ThreadType::Story,
        ThreadType::ShowAndTell,
    ];
    let mut written = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    let mut long_threads = communities.iter().copied();
    while written < posts {
        let long = long_threads.next();
        let community = long.unwrap_or_else(|| communities[rng.gen_range(0..communities.len())]);
        let at = now - Duration::minutes(rng.gen_range(60..525_600));
        let author = people[rng.gen_range(0..people.len())];
        let replies = if long.is_some() {
            100
        } else {
            // Mostly short threads, a few long ones (geometric, mean about 4).
            let mut n = 0;
            while n < 60 && rng.gen_ratio(4, 5) {
                n += 1;
            }
            n
        };
        let thread_type = types[rng.gen_range(0..types.len())];
        let mut reply_at = at;
        let replies: Vec<SeedReply> = (0..replies)
            .map(|_| {
                reply_at += Duration::minutes(rng.gen_range(1..600));
                SeedReply {
                    author_id: people[rng.gen_range(0..people.len())],
                    body: body(&mut rng),
                    at: reply_at.min(now - Duration::seconds(1)),
                }
            })
            .collect();
        let accepted =
            (thread_type == ThreadType::Question && !replies.is_empty() && rng.gen_ratio(1, 2))
                .then_some(0);
        let title = if long.is_some() {
            "The long thread".to_owned()
        } else {
            let n = rng.gen_range(4..10);
            sentence(&mut rng, n).trim_end_matches('.').to_owned()
        };
        let tags = (0..rng.gen_range(0..4))
            .map(|_| word(zipf(&mut rng) % 300))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        written += 1 + replies.len() as u64;
        batch.push(SeedThread {
            community_id: community,
            author_id: author,
            thread_type,
            title,
            body: body(&mut rng),
            tags,
            at,
            replies,
            accepted,
        });
        if batch.len() == BATCH {
            store.seed_threads(&batch).await?;
            batch.clear();
            progress(written);
        }
    }
    if !batch.is_empty() {
        store.seed_threads(&batch).await?;
        progress(written);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_distinct_and_plain() {
        let words: std::collections::HashSet<String> =
            (0..super::VOCABULARY).map(super::word).collect();
        assert_eq!(words.len(), super::VOCABULARY);
        assert!(
            words
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        );
    }
}
