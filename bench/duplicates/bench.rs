//! The duplicate finder's benchmark: a generator of labelled posts across
//! teams (paraphrased near-duplicates of one problem, shared jargon within
//! a topic, true non-duplicates on the same topic), then
//!
//! - quality: precision and recall of the scan (`Corpus::scan`, LSH above
//!   `EXACT_UP_TO` posts) against the labels, at several thresholds, and
//!   the share of duplicates found among each post's 5 candidates;
//! - speed: with `--posts N` posts, building the corpus, candidates for
//!   1,000 new drafts (p50/p99), and the full cross-team scan.
//!
//! Run with `bash bench/duplicates/run.sh` (release build). Everything is
//! generated from a fixed seed, so every run reads the same posts.

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use domain::duplicates::{Corpus, DUPLICATE_THRESHOLD, Origin, PostKey, Text};

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// A Zipf-like rank in 0..n (rank r with weight 1/(r+1)), by inversion of ln.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let r = ((n as f64 + 1.0).ln() * u).exp() - 1.0;
        (r as usize).min(n - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "qu", "di", "fo", "gu", "he", "ji",
    "ke", "la", "mo", "nu", "ri", "so", "tu", "ve", "xa", "yo", "za", "be", "co", "da",
];

/// A made-up word for `id` in word class `class` (0 to 9), injective and at least 5 letters.
fn word(class: usize, id: usize) -> String {
    let n = SYLLABLES.len();
    let mut w = String::from(["b", "c", "d", "f", "g", "k", "m", "p", "t", "v"][class]);
    let mut x = id;
    for _ in 0..4 {
        w.push_str(SYLLABLES[x % n]);
        x /= n;
    }
    w.push('x');
    w
}

const FILLER: usize = 5_000;
const TOPIC_JARGON: usize = 40;
const TOPIC_POOL: usize = 30;
const TEAMS: usize = 60;

struct Problem {
    topic: usize,
    /// Names of things, the same in every post about it.
    entities: Vec<String>,
    /// Words for what happens, each with the synonym another author may use.
    symptoms: Vec<(String, String)>,
}

/// The chance an author says a symptom with its synonym.
const SYNONYM: f64 = 0.4;

struct World {
    rng: Rng,
    problems: Vec<Problem>,
    topics: usize,
}

impl World {
    fn new(seed: u64, topics: usize) -> Self {
        World {
            rng: Rng(seed),
            problems: Vec::new(),
            topics,
        }
    }

    fn problem(&mut self) -> usize {
        let topic = self.rng.below(self.topics);
        let id = self.problems.len();
        // Entities (tools, components, error names): two from the topic's
        // pool, so sibling problems share some, and two of its own; people
        // name them the same way.
        let mut picked = BTreeSet::new();
        while picked.len() < 2 {
            picked.insert(self.rng.below(TOPIC_POOL));
        }
        let mut entities: Vec<String> = picked
            .into_iter()
            .map(|p| word(1, topic * TOPIC_POOL + p))
            .collect();
        entities.extend((0..2).map(|j| word(3, id * 2 + j)));
        // What happens, in words each author may put differently: each has
        // a synonym.
        let symptoms = (0..4)
            .map(|j| (word(2, id * 4 + j), word(4, id * 4 + j)))
            .collect();
        self.problems.push(Problem {
            topic,
            entities,
            symptoms,
        });
        id
    }

    /// A post about problem `p` in its author's own words.
    fn post(&mut self, p: usize) -> Text {
        let rng = &mut self.rng;
        let problem = &self.problems[p];
        let said = |rng: &mut Rng, (w, synonym): &(String, String)| {
            if rng.chance(SYNONYM) {
                synonym.clone()
            } else {
                w.clone()
            }
        };
        let jargon =
            |rng: &mut Rng| word(5, problem.topic * TOPIC_JARGON + rng.below(TOPIC_JARGON));
        let filler = |rng: &mut Rng| word(6, rng.zipf(FILLER));
        let mut title = Vec::new();
        for _ in 0..2 {
            title.push(problem.entities[rng.below(problem.entities.len())].clone());
        }
        let s = &problem.symptoms[rng.below(problem.symptoms.len())];
        title.push(said(rng, s));
        title.push(jargon(rng));
        title.push(filler(rng));
        let mut body = Vec::new();
        for e in &problem.entities {
            if rng.chance(0.8) {
                body.push(e.clone());
            }
        }
        for s in &problem.symptoms {
            if rng.chance(0.6) {
                body.push(said(rng, s));
            }
        }
        for _ in 0..4 + rng.below(6) {
            body.push(jargon(rng));
        }
        for _ in 0..10 + rng.below(25) {
            body.push(filler(rng));
        }
        // Shuffle the body's words.
        for i in (1..body.len()).rev() {
            body.swap(i, rng.below(i + 1));
        }
        let mut tags = vec![word(7, problem.topic)];
        if rng.chance(0.5) {
            tags.push(jargon(rng));
        }
        Text {
            title: title.join(" "),
            body: body.join(" "),
            tags,
        }
    }
}

/// A labelled set of `n` posts: about 15% of them in pairs (or threes) of
/// near-duplicates by different teams, 2% in pairs by the same team, the
/// rest singletons; all spread over the same topics.
struct Labelled {
    posts: Vec<(Origin, Text)>,
    /// Cross-team pairs about the same problem (canonical order).
    truth: HashSet<(PostKey, PostKey)>,
}

fn labelled(seed: u64, n: usize) -> Labelled {
    let mut w = World::new(seed, (n / 500).max(20));
    let mut posts: Vec<(Origin, Text, usize)> = Vec::with_capacity(n);
    let mut truth = HashSet::new();
    let origin = |id: usize, team: usize, author: usize| Origin {
        key: PostKey::Thread(id as i64 + 1),
        community: (author % 40) as i64,
        author: Some(author as i64),
        team: Some(team as i64),
    };
    while posts.len() < n {
        let p = w.problem();
        let roll = w.rng.below(100);
        let copies = match roll {
            0..=6 => 2,
            7..=7 => 3,
            8..=8 => 2, // same team, below
            _ => 1,
        };
        let same_team = roll == 8;
        let first_team = w.rng.below(TEAMS);
        let start = posts.len();
        for c in 0..copies {
            let team = if same_team {
                first_team
            } else {
                (first_team + c * (1 + w.rng.below(TEAMS - 1))) % TEAMS
            };
            let author = team * 1000 + w.rng.below(1000);
            let text = w.post(p);
            posts.push((origin(posts.len(), team, author), text, p));
        }
        for i in start..posts.len() {
            for j in i + 1..posts.len() {
                let (a, b) = (&posts[i].0, &posts[j].0);
                if a.team != b.team && a.author != b.author {
                    truth.insert(domain::duplicates::Pair::ordered(a.key, b.key));
                }
            }
        }
    }
    posts.truncate(n);
    let keys: HashSet<PostKey> = posts.iter().map(|p| p.0.key).collect();
    truth.retain(|(a, b)| keys.contains(a) && keys.contains(b));
    Labelled {
        posts: posts.into_iter().map(|(o, t, _)| (o, t)).collect(),
        truth,
    }
}

fn corpus_of(set: &Labelled) -> Corpus {
    let mut c = Corpus::new();
    for (o, t) in &set.posts {
        c.insert(*o, t);
    }
    c
}

fn quality(n: usize) {
    let set = labelled(20_260_105, n);
    let c = corpus_of(&set);
    println!(
        "quality: {n} posts, {} labelled cross-team duplicate pairs",
        set.truth.len()
    );
    let started = Instant::now();
    let found = c.scan(0.15);
    println!(
        "  scan at 0.15 (LSH above {} posts): {} pairs in {:.2} s",
        domain::duplicates::EXACT_UP_TO,
        found.len(),
        started.elapsed().as_secs_f64()
    );
    println!("  threshold  flagged  true  precision  recall");
    for t in [0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50] {
        let flagged: Vec<_> = found.iter().filter(|p| p.score >= t).collect();
        let hits = flagged
            .iter()
            .filter(|p| set.truth.contains(&(p.a, p.b)))
            .count();
        let mark = if (t - DUPLICATE_THRESHOLD).abs() < 1e-9 {
            "  <- DUPLICATE_THRESHOLD"
        } else {
            ""
        };
        println!(
            "  {t:9.2}  {:7}  {hits:4}  {:9.3}  {:6.3}{mark}",
            flagged.len(),
            hits as f64 / flagged.len().max(1) as f64,
            hits as f64 / set.truth.len().max(1) as f64,
        );
    }
    // Candidates: is each duplicate among the other post's 5 candidates?
    let mut shown = 0;
    for (a, b) in &set.truth {
        let top = c.candidates_of(*a, DUPLICATE_THRESHOLD, 5, |_| true);
        if top.iter().any(|x| x.origin.key == *b) {
            shown += 1;
        }
    }
    println!(
        "  candidates: {shown} of {} duplicates among the other post's 5 candidates ({:.3})",
        set.truth.len(),
        shown as f64 / set.truth.len().max(1) as f64
    );
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn speed(n: usize) {
    let started = Instant::now();
    let set = labelled(7, n);
    let generated = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let c = corpus_of(&set);
    let built = started.elapsed().as_secs_f64();
    println!("speed: {n} posts generated in {generated:.1} s, corpus built in {built:.1} s");
    // New drafts: half about problems already posted, half about new ones.
    let mut w = World::new(99, (n / 500).max(20));
    let drafts: Vec<Text> = (0..1_000)
        .map(|_| {
            let p = w.problem();
            w.post(p)
        })
        .collect();
    let reposts: Vec<&Text> = set
        .posts
        .iter()
        .step_by((n / 500).max(1))
        .map(|(_, t)| t)
        .collect();
    let asker = Origin {
        key: PostKey::Thread(0),
        community: 1,
        author: Some(-1),
        team: Some(-1),
    };
    let mut times = Vec::new();
    let mut hits = 0;
    for (i, d) in drafts.iter().enumerate() {
        let text = if i % 2 == 0 {
            reposts[(i / 2) % reposts.len()]
        } else {
            d
        };
        let t = Instant::now();
        let found = c.candidates(&asker, text, DUPLICATE_THRESHOLD, 5, |_| true);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        hits += usize::from(!found.is_empty());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "  candidates for a new post: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} drafts ({hits} with candidates)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
        times.len()
    );
    let started = Instant::now();
    let found = c.scan(DUPLICATE_THRESHOLD);
    let scanned = started.elapsed().as_secs_f64();
    let true_found = found
        .iter()
        .filter(|p| set.truth.contains(&(p.a, p.b)))
        .count();
    println!(
        "  full cross-team scan: {scanned:.1} s, {} pairs flagged ({true_found} of {} labelled; precision {:.3}, recall {:.3})",
        found.len(),
        set.truth.len(),
        true_found as f64 / found.len().max(1) as f64,
        true_found as f64 / set.truth.len().max(1) as f64,
    );
    println!("  peak memory (VmHWM): {}", peak_memory());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    // `cargo bench` passes --bench; only our own flags count.
    quality(value("--labelled").unwrap_or(20_000));
    if let Some(n) = value("--posts").filter(|&n| n > 0) {
        speed(n);
    }
}
