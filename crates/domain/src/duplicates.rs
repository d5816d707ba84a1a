//! Duplicate effort across teams: threads and artifacts from different teams
//! that address the same problem, found lexically over their title, body and
//! tags and explained by the terms they share.
//!
//! Words come from [`crate::overlap::terms`] (the same tokenising and stop
//! words as overlapping domains). Each post is a TF-IDF vector: sublinear
//! term frequency (`1 + ln tf`, title and tag words counted
//! [`TITLE_WEIGHT`] times) times the smoothed inverse document frequency of
//! the whole corpus. Two posts are the same problem when the cosine of their
//! vectors reaches [`DUPLICATE_THRESHOLD`]; the explanation is the shared
//! terms ordered by their share of that cosine.
//!
//! Two ways in, both on a [`Corpus`] held in memory:
//! - [`Corpus::candidates`] for one post or draft: the postings of its
//!   [`QUERY_TERMS`] most telling terms give candidates, re-ranked by the
//!   exact cosine.
//! - [`Corpus::scan`] for every pair at once: MinHash signatures of each
//!   post's [`KEY_TERMS`] most telling terms, banded for locality-sensitive
//!   hashing ([`BANDS`] bands of [`ROWS`] rows); posts sharing a band are
//!   candidates, verified by the exact cosine.
//!
//! Only pairs whose authors may be on different teams count
//! ([`cross_team`]): never the same author, never the same known team.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use crate::overlap::terms;

/// Cosine similarity from which two posts are flagged as the same problem.
pub const DUPLICATE_THRESHOLD: f64 = 0.30;
/// How many times a word of the title or a tag counts against one of the body.
pub const TITLE_WEIGHT: f32 = 2.0;
/// The shared terms an explanation names.
pub const SHARED_SHOWN: usize = 8;
/// The terms of a post whose postings give candidates for it.
pub const QUERY_TERMS: usize = 12;
/// Candidates re-ranked by their exact cosine, per query.
const RERANKED: usize = 200;
/// The terms of each post its MinHash signature is taken over.
pub const KEY_TERMS: usize = 16;
/// LSH bands in a signature.
pub const BANDS: usize = 48;
/// Rows (min-hashes) per band.
pub const ROWS: usize = 2;
/// Up to this many posts, the scan compares every pair.
pub const EXACT_UP_TO: usize = 2_000;
/// Buckets larger than this are split by the posts' next band only (a
/// bucket of thousands is a word everyone uses, not a duplicate).
const BUCKET_CAP: usize = 400;

/// A post as duplicates name it: a thread or an artifact, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PostKey {
    /// A thread's opening post.
    Thread(i64),
    /// An artifact.
    Artifact(i64),
}

impl fmt::Display for PostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostKey::Thread(id) => write!(f, "thread-{id}"),
            PostKey::Artifact(id) => write!(f, "artifact-{id}"),
        }
    }
}

impl FromStr for PostKey {
    type Err = crate::Invalid;

    /// `thread-12` or `artifact-7`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || crate::Invalid::new("post", "name a post as thread-ID or artifact-ID");
        let (kind, id) = s.trim().split_once('-').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if id <= 0 {
            return Err(bad());
        }
        match kind {
            "thread" => Ok(PostKey::Thread(id)),
            "artifact" => Ok(PostKey::Artifact(id)),
            _ => Err(bad()),
        }
    }
}

/// Who wrote a post and where it lives: what the finder needs besides words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// The post.
    pub key: PostKey,
    /// Its community.
    pub community: i64,
    /// Its author (an artifact's owner); `None` for an anonymous question.
    pub author: Option<i64>,
    /// The author's team; `None` when anonymous or without a team.
    pub team: Option<i64>,
}

/// A post's words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    /// Title.
    pub title: String,
    /// Body as plain text.
    pub body: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// Whether two posts may be duplicate effort across teams: different posts,
/// not the same author, not the same known team. A post whose author's team
/// is unknown (an anonymous question, or a person without a team) can pair
/// with any other author's post; its team is never consulted, so whether a
/// pair is flagged says nothing about it.
pub fn cross_team(a: &Origin, b: &Origin) -> bool {
    a.key != b.key
        && !matches!((a.author, b.author), (Some(x), Some(y)) if x == y)
        && !matches!((a.team, b.team), (Some(x), Some(y)) if x == y)
}

/// What people decided about a flagged pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The same problem: the two posts show each other as "same problem as".
    Link,
    /// Not the same: the pair is never flagged again.
    NotTheSame,
}

impl Verdict {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Link => "link",
            Verdict::NotTheSame => "not_the_same",
        }
    }
}

impl FromStr for Verdict {
    type Err = crate::Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "link" => Ok(Verdict::Link),
            "not_the_same" => Ok(Verdict::NotTheSame),
            _ => Err(crate::Invalid::new(
                "decision",
                "is either link or not_the_same",
            )),
        }
    }
}

/// Two posts that may be the same problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The first post (the smaller key).
    pub a: PostKey,
    /// The second post.
    pub b: PostKey,
    /// Cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most, most telling first.
    pub shared: Vec<String>,
}

impl Pair {
    /// The pair of `x` and `y` in canonical order.
    pub fn ordered(x: PostKey, y: PostKey) -> (PostKey, PostKey) {
        if x <= y { (x, y) } else { (y, x) }
    }
}

/// A post like the one asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Where it lives and who wrote it.
    pub origin: Origin,
    /// Cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most, most telling first.
    pub shared: Vec<String>,
}

/// A post's term frequencies: (term, weighted frequency), by term.
type Bag = Vec<(u32, f32)>;

struct Doc {
    origin: Origin,
    bag: Bag,
    alive: bool,
}

/// The posts compared, held in memory: vocabulary, document frequencies,
/// each post's term frequencies and the postings of every term.
#[derive(Default)]
pub struct Corpus {
    vocab: HashMap<String, u32>,
    words: Vec<String>,
    df: Vec<u32>,
    postings: Vec<Vec<u32>>,
    docs: Vec<Doc>,
    by_key: HashMap<PostKey, u32>,
    alive: usize,
}

/// The weighted term frequencies of `text`, by word.
fn counts(text: &Text) -> BTreeMap<String, f32> {
    let mut bag: BTreeMap<String, f32> = BTreeMap::new();
    let title = terms(&text.title)
        .into_iter()
        .chain(text.tags.iter().flat_map(|t| terms(t)));
    for t in title {
        *bag.entry(t).or_default() += TITLE_WEIGHT;
    }
    for t in terms(&text.body) {
        *bag.entry(t).or_default() += 1.0;
    }
    bag
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many posts it holds.
    pub fn len(&self) -> usize {
        self.alive
    }

    /// Whether it holds no post.
    pub fn is_empty(&self) -> bool {
        self.alive == 0
    }

    /// Whether it holds `key`.
    pub fn contains(&self, key: PostKey) -> bool {
        self.by_key.contains_key(&key)
    }

    /// The origin of `key`, if held.
    pub fn origin(&self, key: PostKey) -> Option<Origin> {
        self.by_key.get(&key).map(|&i| self.docs[i as usize].origin)
    }

    fn term_id(&mut self, word: String) -> u32 {
        if let Some(&id) = self.vocab.get(&word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.clone());
        self.vocab.insert(word, id);
        self.df.push(0);
        self.postings.push(Vec::new());
        id
    }

    /// Adds a post, or replaces the one with the same key.
    pub fn insert(&mut self, origin: Origin, text: &Text) {
        self.remove(origin.key);
        let mut bag: Bag = counts(text)
            .into_iter()
            .map(|(w, tf)| (self.term_id(w), tf))
            .collect();
        bag.sort_unstable_by_key(|&(t, _)| t);
        let index = self.docs.len() as u32;
        for &(t, _) in &bag {
            self.df[t as usize] += 1;
            self.postings[t as usize].push(index);
        }
        self.docs.push(Doc {
            origin,
            bag,
            alive: true,
        });
        self.by_key.insert(origin.key, index);
        self.alive += 1;
    }

    /// Forgets a post (its postings stay, pointing at a dead document).
    pub fn remove(&mut self, key: PostKey) {
        if let Some(i) = self.by_key.remove(&key) {
            let doc = &mut self.docs[i as usize];
            doc.alive = false;
            for &(t, _) in &doc.bag {
                self.df[t as usize] -= 1;
            }
            self.alive -= 1;
        }
    }

    /// Smoothed inverse document frequency: a word in every post still counts a little.
    fn idf(&self, df: u32) -> f32 {
        let n = self.alive as f32;
        ((1.0 + n) / (1.0 + df as f32)).ln() + 1.0
    }

    /// The unit TF-IDF vector of `bag`.
    fn vector(&self, bag: &Bag) -> Bag {
        let mut v: Bag = bag
            .iter()
            .map(|&(t, tf)| (t, (1.0 + tf.ln()) * self.idf(self.df[t as usize])))
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut v {
                *w /= norm;
            }
        }
        v
    }

    /// The unit vector of a text that need not be in the corpus (a draft):
    /// words never seen weigh as the rarest, and match nothing.
    fn query_vector(&self, text: &Text) -> Bag {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for (w, tf) in counts(text) {
            match self.vocab.get(&w) {
                Some(&t) => known.push((t, tf)),
                None => unknown.push(tf),
            }
        }
        known.sort_unstable_by_key(|&(t, _)| t);
        let rare = self.idf(0);
        let mut v: Bag = known
            .iter()
            .map(|&(t, tf)| (t, (1.0 + tf.ln()) * self.idf(self.df[t as usize])))
            .collect();
        let norm = v
            .iter()
            .map(|(_, w)| w * w)
            .chain(unknown.iter().map(|tf| ((1.0 + tf.ln()) * rare).powi(2)))
            .sum::<f32>()
            .sqrt();
        if norm > 0.0 {
            for (_, w) in &mut v {
                *w /= norm;
            }
        }
        v
    }

    /// The cosine of two unit vectors and their shared terms, heaviest first.
    fn explain(&self, x: &Bag, y: &Bag) -> (f64, Vec<String>) {
        let mut shared: Vec<(u32, f32)> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < x.len() && j < y.len() {
            match x[i].0.cmp(&y[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared.push((x[i].0, x[i].1 * y[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        let score = shared.iter().map(|&(_, w)| f64::from(w)).sum::<f64>();
        shared.sort_by(|p, q| {
            q.1.total_cmp(&p.1)
                .then_with(|| self.words[p.0 as usize].cmp(&self.words[q.0 as usize]))
        });
        let words = shared
            .iter()
            .take(SHARED_SHOWN)
            .map(|&(t, _)| self.words[t as usize].clone())
            .collect();
        (score.min(1.0), words)
    }

    /// The posts most like `text` (a draft, or a post as written), best
    /// first: at most `limit`, each at or above `threshold`, each one
    /// `allow` accepts (by its origin) and [`cross_team`] with `asker` (the
    /// post's own origin: this leaves out the post itself, its author's
    /// posts and their team's).
    pub fn candidates(
        &self,
        asker: &Origin,
        text: &Text,
        threshold: f64,
        limit: usize,
        allow: impl Fn(&Origin) -> bool,
    ) -> Vec<Candidate> {
        let query = self.query_vector(text);
        self.rank(asker, &query, threshold, limit, allow)
    }

    /// The posts most like post `key`, already in the corpus (see [`Corpus::candidates`]).
    pub fn candidates_of(
        &self,
        key: PostKey,
        threshold: f64,
        limit: usize,
        allow: impl Fn(&Origin) -> bool,
    ) -> Vec<Candidate> {
        let Some(&i) = self.by_key.get(&key) else {
            return Vec::new();
        };
        let doc = &self.docs[i as usize];
        self.rank(&doc.origin, &self.vector(&doc.bag), threshold, limit, allow)
    }

    fn rank(
        &self,
        asker: &Origin,
        query: &Bag,
        threshold: f64,
        limit: usize,
        allow: impl Fn(&Origin) -> bool,
    ) -> Vec<Candidate> {
        let mut telling = query.clone();
        telling.sort_by(|p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
        telling.truncate(QUERY_TERMS);
        // Partial scores over the telling terms only, as if each post used
        // each word once: enough to pick the few worth the exact cosine.
        let mut partial = vec![0f32; self.docs.len()];
        let mut touched: Vec<u32> = Vec::new();
        for &(t, w) in &telling {
            let idf = self.idf(self.df[t as usize]);
            for &d in &self.postings[t as usize] {
                let p = &mut partial[d as usize];
                if *p == 0.0 {
                    touched.push(d);
                }
                *p += w * idf;
            }
        }
        let mut ranked: Vec<(u32, f32)> = touched
            .into_iter()
            .filter(|&d| {
                let doc = &self.docs[d as usize];
                doc.alive && cross_team(asker, &doc.origin) && allow(&doc.origin)
            })
            .map(|d| (d, partial[d as usize]))
            .collect();
        if ranked.len() > RERANKED {
            ranked.select_nth_unstable_by(RERANKED, |p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
            ranked.truncate(RERANKED);
        }
        let mut out: Vec<Candidate> = ranked
            .into_iter()
            .filter_map(|(d, _)| {
                let doc = &self.docs[d as usize];
                let v = self.vector(&doc.bag);
                if cosine(query, &v) < threshold {
                    return None;
                }
                let (score, shared) = self.explain(query, &v);
                Some(Candidate {
                    origin: doc.origin,
                    score,
                    shared,
                })
            })
            .collect();
        out.sort_by(|p, q| {
            q.score
                .total_cmp(&p.score)
                .then(p.origin.key.cmp(&q.origin.key))
        });
        out.truncate(limit);
        out
    }

    /// The similarity of two posts in the corpus and their shared terms.
    pub fn compare(&self, x: PostKey, y: PostKey) -> Option<(f64, Vec<String>)> {
        let (&i, &j) = (self.by_key.get(&x)?, self.by_key.get(&y)?);
        let (dx, dy) = (&self.docs[i as usize], &self.docs[j as usize]);
        Some(self.explain(&self.vector(&dx.bag), &self.vector(&dy.bag)))
    }

    /// Every cross-team pair whose similarity reaches `threshold`, most
    /// similar first: every pair compared when the corpus holds at most
    /// [`EXACT_UP_TO`] posts, else the pairs [`Corpus::scan_lsh`] proposes.
    pub fn scan(&self, threshold: f64) -> Vec<Pair> {
        if self.alive <= EXACT_UP_TO {
            self.scan_exact(threshold)
        } else {
            self.scan_lsh(threshold)
        }
    }

    /// The live posts and their unit vectors.
    fn live_vectors(&self) -> (Vec<u32>, Vec<Bag>) {
        let live: Vec<u32> = (0..self.docs.len() as u32)
            .filter(|&d| self.docs[d as usize].alive)
            .collect();
        let vectors = live
            .iter()
            .map(|&d| self.vector(&self.docs[d as usize].bag))
            .collect();
        (live, vectors)
    }

    /// [`Corpus::scan`] comparing every pair.
    pub fn scan_exact(&self, threshold: f64) -> Vec<Pair> {
        let (live, vectors) = self.live_vectors();
        let n = live.len() as u32;
        let candidates = (0..n).flat_map(|x| (x + 1..n).map(move |y| (x, y)));
        self.verified(&live, &vectors, candidates, threshold)
    }

    /// [`Corpus::scan`] through MinHash signatures of each post's
    /// [`KEY_TERMS`] most telling terms, banded for locality-sensitive
    /// hashing: posts sharing a band's bucket are candidates.
    pub fn scan_lsh(&self, threshold: f64) -> Vec<Pair> {
        let (live, vectors) = self.live_vectors();
        let seeds = minhash::seeds(BANDS * ROWS);
        // Each post's band keys, BANDS at a time; none for a post without words.
        let mut keys: Vec<u64> = Vec::with_capacity(live.len() * BANDS);
        let mut key_terms: Bag = Vec::with_capacity(KEY_TERMS * 4);
        for v in &vectors {
            key_terms.clear();
            key_terms.extend_from_slice(v);
            key_terms.sort_unstable_by(|p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
            key_terms.truncate(KEY_TERMS);
            let sig = minhash::signature(key_terms.iter().map(|&(t, _)| t), &seeds);
            keys.extend((0..BANDS).map(|band| {
                if sig.is_empty() {
                    u64::MAX
                } else {
                    minhash::band(&sig, band, ROWS)
                }
            }));
        }
        // Candidates as positions in `live`.
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        let mut buckets: Vec<(u64, u32)> = Vec::with_capacity(live.len());
        for band in 0..BANDS {
            buckets.clear();
            buckets.extend(
                (0..live.len())
                    .map(|i| (keys[i * BANDS + band], i as u32))
                    .filter(|&(k, _)| k != u64::MAX),
            );
            buckets.sort_unstable();
            for bucket in buckets.chunk_by(|p, q| p.0 == q.0) {
                if bucket.len() > BUCKET_CAP {
                    // Too common to tell anything: pair each only with its neighbours.
                    candidates.extend(bucket.windows(2).map(|w| (w[0].1, w[1].1)));
                    continue;
                }
                for (k, &(_, x)) in bucket.iter().enumerate() {
                    candidates.extend(bucket[k + 1..].iter().map(|&(_, y)| (x, y)));
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.verified(&live, &vectors, candidates.into_iter(), threshold)
    }

    /// The cross-team pairs among `candidates` (positions in `live`) whose
    /// cosine reaches `threshold`, explained, most similar first.
    fn verified(
        &self,
        live: &[u32],
        vectors: &[Bag],
        candidates: impl Iterator<Item = (u32, u32)>,
        threshold: f64,
    ) -> Vec<Pair> {
        let mut out: Vec<Pair> = candidates
            .filter_map(|(x, y)| {
                let dx = &self.docs[live[x as usize] as usize];
                let dy = &self.docs[live[y as usize] as usize];
                let (vx, vy) = (&vectors[x as usize], &vectors[y as usize]);
                if cosine(vx, vy) < threshold || !cross_team(&dx.origin, &dy.origin) {
                    return None;
                }
                let (score, shared) = self.explain(vx, vy);
                let (a, b) = Pair::ordered(dx.origin.key, dy.origin.key);
                Some(Pair {
                    a,
                    b,
                    score,
                    shared,
                })
            })
            .collect();
        out.sort_by(|p, q| {
            q.score
                .total_cmp(&p.score)
                .then((p.a, p.b).cmp(&(q.a, q.b)))
        });
        out
    }
}

/// The cosine of two unit vectors sorted by term.
fn cosine(x: &Bag, y: &Bag) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0f64);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += f64::from(x[i].1 * y[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// MinHash over term ids: one hash per row, each a multiply-shift of the
/// term's mixed id, so a signature costs a few multiplications per term.
mod minhash {
    /// splitmix64: a well-mixed 64-bit value from any input.
    fn mix(mut x: u64) -> u64 {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// `n` fixed (odd multiplier, offset) pairs: the same on every run.
    pub(super) fn seeds(n: usize) -> Vec<(u64, u64)> {
        (0..n as u64)
            .map(|i| (mix(2 * i + 1) | 1, mix(2 * i + 2)))
            .collect()
    }

    /// The minimum of each hash over `terms`; empty when there is no term.
    pub(super) fn signature(terms: impl Iterator<Item = u32>, seeds: &[(u64, u64)]) -> Vec<u64> {
        let mut sig: Vec<u64> = Vec::new();
        for t in terms {
            let x = mix(u64::from(t));
            if sig.is_empty() {
                sig = vec![u64::MAX; seeds.len()];
            }
            for (s, &(a, b)) in sig.iter_mut().zip(seeds) {
                *s = (*s).min(x.wrapping_mul(a).wrapping_add(b));
            }
        }
        sig
    }

    /// Band `band` of `sig` (rows `rows` wide) as one bucket key.
    pub(super) fn band(sig: &[u64], band: usize, rows: usize) -> u64 {
        sig[band * rows..(band + 1) * rows]
            .iter()
            .fold(mix(band as u64), |h, &v| mix(h ^ v))
    }
}

#[cfg(test)]
mod tests;
