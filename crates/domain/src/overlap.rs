//! Overlapping domains: communities whose charters ask much the same
//! question, found by TF-IDF cosine similarity over the words of their names
//! and domains, and explained by the words they share. Pairs are merge
//! candidates for the portfolio; people decide.

use std::collections::{BTreeMap, BTreeSet};

/// Similarity from which two domains are said to overlap.
pub const OVERLAP_THRESHOLD: f64 = 0.35;

/// Words too common to tell domains apart.
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "all", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does",
    "for", "from", "how", "in", "into", "is", "it", "its", "make", "of", "on", "or", "our", "so",
    "that", "the", "their", "them", "this", "to", "us", "we", "what", "when", "where", "which",
    "who", "why", "with", "without", "you", "your",
];

/// Two overlapping documents, by index, with their similarity and shared words.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Index of the first document.
    pub a: usize,
    /// Index of the second document.
    pub b: usize,
    /// Cosine similarity, 0 to 1.
    pub score: f64,
    /// The words both use, most telling first.
    pub shared: Vec<String>,
}

/// The words of `text` that carry meaning: lower-cased, stop words dropped,
/// a plural `s` trimmed.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// Every pair of `documents` whose similarity reaches `threshold`, most similar first.
pub fn overlaps(documents: &[String], threshold: f64) -> Vec<Overlap> {
    let bags: Vec<BTreeMap<String, f64>> = documents
        .iter()
        .map(|d| {
            let mut bag = BTreeMap::new();
            for t in terms(d) {
                *bag.entry(t).or_insert(0.0) += 1.0;
            }
            bag
        })
        .collect();
    let n = bags.len() as f64;
    let mut df: BTreeMap<&str, f64> = BTreeMap::new();
    for bag in &bags {
        for t in bag.keys() {
            *df.entry(t.as_str()).or_insert(0.0) += 1.0;
        }
    }
    // Smoothed inverse document frequency: a word in every document still counts a little.
    let idf = |t: &str| ((1.0 + n) / (1.0 + df.get(t).copied().unwrap_or(0.0))).ln() + 1.0;
    let vectors: Vec<BTreeMap<&str, f64>> = bags
        .iter()
        .map(|bag| {
            bag.iter()
                .map(|(t, tf)| (t.as_str(), tf * idf(t)))
                .collect()
        })
        .collect();
    let norm = |v: &BTreeMap<&str, f64>| v.values().map(|x| x * x).sum::<f64>().sqrt();
    let mut out = Vec::new();
    for a in 0..vectors.len() {
        for b in a + 1..vectors.len() {
            let (va, vb) = (&vectors[a], &vectors[b]);
            let (na, nb) = (norm(va), norm(vb));
            if na == 0.0 || nb == 0.0 {
                continue;
            }
            let shared: BTreeSet<&str> =
                va.keys().filter(|t| vb.contains_key(*t)).copied().collect();
            let dot: f64 = shared.iter().map(|t| va[t] * vb[t]).sum();
            let score = dot / (na * nb);
            if score >= threshold {
                let mut words: Vec<&str> = shared.into_iter().collect();
                words.sort_by(|x, y| idf(y).total_cmp(&idf(x)).then(x.cmp(y)));
                out.push(Overlap {
                    a,
                    b,
                    score,
                    shared: words.into_iter().map(str::to_owned).collect(),
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn terms_drop_stop_words_and_plurals() {
        assert_eq!(
            terms("How do we test the Mobile apps?"),
            ["test", "mobile", "app"]
        );
        assert_eq!(
            terms("Kubernetes clusters, class"),
            ["kubernete", "cluster", "class"]
        );
    }

    #[test]
    fn two_communities_asking_the_same_question_overlap_and_say_why() {
        let found = overlaps(
            &docs(&[
                "Observability Guild: how do we see what our systems are doing in production?",
                "Monitoring Circle: how do we see what production systems are doing, with dashboards?",
                "Front-end Craft: what makes a web interface fast and accessible?",
            ]),
            OVERLAP_THRESHOLD,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].a, found[0].b), (0, 1));
        assert!(found[0].score > OVERLAP_THRESHOLD && found[0].score <= 1.0 + 1e-9);
        for word in ["system", "production", "see", "doing"] {
            assert!(
                found[0].shared.iter().any(|w| w == word),
                "{word} not in {:?}",
                found[0].shared
            );
        }
    }

    #[test]
    fn unrelated_or_empty_domains_do_not_overlap() {
        let found = overlaps(
            &docs(&[
                "Security champions threat modelling",
                "Data quality contracts",
                "",
                "the and of",
            ]),
            OVERLAP_THRESHOLD,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn identical_domains_score_one() {
        let found = overlaps(
            &docs(&["Incident review practice", "Incident review practice"]),
            0.99,
        );
        assert_eq!(found.len(), 1);
        assert!((found[0].score - 1.0).abs() < 1e-9);
    }
}
