//! Who knows what: expertise inferred from contributions, decaying with time, each claim with its evidence.
//!
//! A [`Contribution`] is one kind of evidence (an accepted answer, an answer,
//! a "helpful" reaction received, an artifact owned or revised, an experiment
//! run, a gathering facilitated) on one topic at one time. Each is worth its
//! kind's [`Source::weight`], halved every [`HALF_LIFE_DAYS`] days;
//! a person's [`Claim`] on a topic adds them up beside the skill they declared
//! (which does not decay), and keeps its evidence in words, e.g. "4 accepted
//! answers tagged kubernetes, last in May 2026". [`suggest`] ranks the
//! members who could answer a question: their claims on its topics, whether
//! they are working now, and how many questions they answered lately.
//! Everything takes "now" as a value.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use serde::Serialize;

use crate::person::{SkillLevel, WorkingHours};

/// Days after which a contribution counts half as much.
pub const HALF_LIFE_DAYS: f64 = 180.0;
/// The window of "recent load": answers given in these last days.
pub const LOAD_DAYS: i64 = 7;
/// Answers in the load window at which a candidate's score is halved.
pub const LOAD_HALVING: f64 = 5.0;
/// What a candidate's score is multiplied by outside their working hours.
pub const AWAY_FACTOR: f64 = 0.5;
/// What a topic found only in a question's words weighs (a tag weighs 1).
pub const TEXT_TOPIC_WEIGHT: f64 = 0.5;
/// Most people suggested for one question.
pub const SUGGESTIONS: usize = 3;

/// Where a piece of evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Their answer was accepted, on a question with the topic as a tag.
    AcceptedAnswer,
    /// They answered a question with the topic as a tag (not accepted).
    Answer,
    /// Someone else found their post on the topic helpful.
    Helpful,
    /// They own a published artifact with the topic as a tag.
    ArtifactOwned,
    /// They wrote a revision of such an artifact.
    ArtifactRevised,
    /// They own a running or concluded experiment about the topic.
    Experiment,
    /// They facilitated a gathering about the topic.
    Facilitation,
}

impl Source {
    /// Every source, in the order evidence is listed.
    pub const ALL: [Source; 7] = [
        Source::AcceptedAnswer,
        Source::Helpful,
        Source::ArtifactOwned,
        Source::ArtifactRevised,
        Source::Experiment,
        Source::Facilitation,
        Source::Answer,
    ];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::AcceptedAnswer => "accepted_answer",
            Source::Answer => "answer",
            Source::Helpful => "helpful",
            Source::ArtifactOwned => "artifact_owned",
            Source::ArtifactRevised => "artifact_revised",
            Source::Experiment => "experiment",
            Source::Facilitation => "facilitation",
        }
    }

    /// The source named `name`, if any.
    pub fn parse(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// What one contribution of this kind is worth when new.
    pub fn weight(self) -> f64 {
        match self {
            Source::AcceptedAnswer => 3.0,
            Source::ArtifactOwned => 2.0,
            Source::Experiment => 2.0,
            Source::Facilitation => 1.5,
            Source::Answer | Source::Helpful | Source::ArtifactRevised => 1.0,
        }
    }

    /// The evidence in words: `count` of them on `topic`, without the date.
    pub fn words(self, count: u32, topic: &str) -> String {
        let s = |one: &'static str, many: &'static str| if count == 1 { one } else { many };
        match self {
            Source::AcceptedAnswer => {
                format!(
                    "{count} {} tagged {topic}",
                    s("accepted answer", "accepted answers")
                )
            }
            Source::Answer => format!(
                "{count} {} to questions tagged {topic}",
                s("answer", "answers")
            ),
            Source::Helpful => format!(
                "{count} \u{201c}helpful\u{201d} {} on posts tagged {topic}",
                s("reaction", "reactions")
            ),
            Source::ArtifactOwned => {
                format!("owns {count} {} tagged {topic}", s("artifact", "artifacts"))
            }
            Source::ArtifactRevised => format!(
                "{count} {} of artifacts tagged {topic}",
                s("revision", "revisions")
            ),
            Source::Experiment => {
                format!("{count} {} about {topic}", s("experiment", "experiments"))
            }
            Source::Facilitation => format!(
                "facilitated {count} {} about {topic}",
                s("gathering", "gatherings")
            ),
        }
    }
}

/// What a declared skill adds to a claim (it does not decay).
pub fn declared_weight(level: SkillLevel) -> f64 {
    match level {
        SkillLevel::Beginner => 0.0,
        SkillLevel::Practitioner => 1.0,
        SkillLevel::Expert => 2.0,
    }
}

/// Contributions of one kind by one person on one topic, at one time (the
/// store groups them by day).
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Who.
    pub person: i64,
    /// What kind.
    pub source: Source,
    /// The topic (a tag, normalised).
    pub topic: String,
    /// When (the latest of the group).
    pub at: DateTime<Utc>,
    /// How many.
    pub count: u32,
}

/// The share of its weight a contribution made at `at` keeps at `now`:
/// 1 when new, ½ after [`HALF_LIFE_DAYS`], never more than 1 (a time after
/// `now` counts as now).
pub fn decay(at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let days = (now - at).num_seconds().max(0) as f64 / 86_400.0;
    0.5_f64.powf(days / HALF_LIFE_DAYS)
}

/// Evidence of one kind behind a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// What kind.
    pub source: Source,
    /// How many.
    pub count: u32,
    /// The latest.
    pub last: DateTime<Utc>,
    /// What it adds to the claim, decayed.
    pub score: f64,
}

impl Evidence {
    /// In words, e.g. "4 accepted answers tagged kubernetes, last in May 2026".
    pub fn words(&self, topic: &str) -> String {
        format!(
            "{}, last in {}",
            self.source.words(self.count, topic),
            month_year(self.last)
        )
    }
}

/// "May 2026".
pub fn month_year(at: DateTime<Utc>) -> String {
    at.format("%B %Y").to_string()
}

/// What someone knows about one topic, and why we think so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The topic.
    pub topic: String,
    /// The decayed sum of the evidence plus the declared skill's weight.
    pub score: f64,
    /// The skill they declared on this topic, if any.
    pub declared: Option<SkillLevel>,
    /// The inferred evidence, strongest first.
    pub evidence: Vec<Evidence>,
}

impl Claim {
    /// Every piece of evidence in words, the declared skill first.
    pub fn lines(&self) -> Vec<String> {
        let declared = self
            .declared
            .map(|l| format!("declares {} as {}", self.topic, l.as_str()));
        declared
            .into_iter()
            .chain(self.evidence.iter().map(|e| e.words(&self.topic)))
            .collect()
    }

    /// The latest evidence, if any.
    pub fn last(&self) -> Option<DateTime<Utc>> {
        self.evidence.iter().map(|e| e.last).max()
    }
}

/// Each person's claims from `contributions` and declared `skills` (person,
/// topic, level), as of `now`: by person, each person's claims strongest
/// first. Contributions after `now` are ignored. Claims worth nothing
/// (a beginner's declared skill alone) are left out.
pub fn claims(
    contributions: &[Contribution],
    skills: &[(i64, String, SkillLevel)],
    now: DateTime<Utc>,
) -> BTreeMap<i64, Vec<Claim>> {
    type Key = (i64, String);
    let mut grouped: BTreeMap<Key, BTreeMap<Source, Evidence>> = BTreeMap::new();
    for c in contributions.iter().filter(|c| c.at <= now && c.count > 0) {
        let e = grouped
            .entry((c.person, c.topic.clone()))
            .or_default()
            .entry(c.source)
            .or_insert(Evidence {
                source: c.source,
                count: 0,
                last: c.at,
                score: 0.0,
            });
        e.count += c.count;
        e.last = e.last.max(c.at);
        e.score += c.source.weight() * f64::from(c.count) * decay(c.at, now);
    }
    let mut declared: BTreeMap<Key, SkillLevel> = BTreeMap::new();
    for (person, topic, level) in skills {
        declared.insert((*person, topic.clone()), *level);
        grouped.entry((*person, topic.clone())).or_default();
    }
    let mut out: BTreeMap<i64, Vec<Claim>> = BTreeMap::new();
    for ((person, topic), by_source) in grouped {
        let level = declared.get(&(person, topic.clone())).copied();
        let mut evidence: Vec<Evidence> = by_source.into_values().collect();
        evidence.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.source.cmp(&b.source)));
        let score =
            evidence.iter().map(|e| e.score).sum::<f64>() + level.map_or(0.0, declared_weight);
        if score <= 0.0 {
            continue;
        }
        out.entry(person).or_default().push(Claim {
            topic,
            score,
            declared: level,
            evidence,
        });
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.topic.cmp(&b.topic)));
    }
    out
}

/// The people with a claim on `topic`, strongest first (ties: latest
/// evidence, then id), with that claim.
pub fn directory(by_person: BTreeMap<i64, Vec<Claim>>, topic: &str) -> Vec<(i64, Claim)> {
    let mut out: Vec<(i64, Claim)> = by_person
        .into_iter()
        .filter_map(|(p, claims)| {
            claims
                .into_iter()
                .find(|c| c.topic == topic)
                .map(|c| (p, c))
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then(b.1.last().cmp(&a.1.last()))
            .then(a.0.cmp(&b.0))
    });
    out
}

/// The lower-cased words of `text`: letters and digits with `-`, `.`, `+`,
/// `#` and `_` inside them (as tags are written); other characters and a
/// trailing `.` separate words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#' | '_')))
        .map(|w| w.trim_matches(|c| matches!(c, '.' | '-' | '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The topics of `vocabulary` that occur in `text` as whole words (a topic
/// of several words as those words in a row), each once, in vocabulary order.
pub fn topics_in(text: &str, vocabulary: &[String]) -> Vec<String> {
    let text = words(text);
    vocabulary
        .iter()
        .filter(|topic| {
            let topic = words(topic);
            !topic.is_empty() && text.windows(topic.len()).any(|w| w == topic.as_slice())
        })
        .fold(Vec::new(), |mut out, t| {
            if !out.contains(t) {
                out.push(t.clone());
            }
            out
        })
}

/// A question's topics with their weights: its tags (1) and the topics of
/// `vocabulary` found only in its title and body ([`TEXT_TOPIC_WEIGHT`]).
pub fn question_topics(tags: &[String], text: &str, vocabulary: &[String]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = tags.iter().map(|t| (t.clone(), 1.0)).collect();
    for topic in topics_in(text, vocabulary) {
        if !tags.contains(&topic) {
            out.push((topic, TEXT_TOPIC_WEIGHT));
        }
    }
    out
}

/// Whether `now` falls in someone's working day: Monday to Friday in their
/// zone, between the start and the end of their working hours.
pub fn working_now(hours: WorkingHours, zone: chrono_tz::Tz, now: DateTime<Utc>) -> bool {
    let local = now.with_timezone(&zone);
    let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
    !matches!(local.weekday(), Weekday::Sat | Weekday::Sun)
        && minute >= hours.start_minutes()
        && minute < hours.end_minutes()
}

/// The factor by which recent answers lower a candidate's score: 1 with
/// none, ½ at [`LOAD_HALVING`].
pub fn load_factor(recent_answers: u32) -> f64 {
    1.0 / (1.0 + f64::from(recent_answers) / LOAD_HALVING)
}

/// Someone who could be suggested, with what is known of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Who.
    pub person: i64,
    /// Their claims (see [`claims`]).
    pub claims: Vec<Claim>,
    /// Whether they are in their working hours now (see [`working_now`]).
    pub working_now: bool,
    /// Answers they gave in the last [`LOAD_DAYS`] days.
    pub recent_answers: u32,
}

/// A suggested answerer and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Who.
    pub person: i64,
    /// The ranking score.
    pub score: f64,
    /// Their claims on the question's topics, strongest first.
    pub claims: Vec<Claim>,
    /// Whether they are in their working hours now.
    pub working_now: bool,
    /// Answers they gave in the last [`LOAD_DAYS`] days.
    pub recent_answers: u32,
}

impl Suggestion {
    /// Why they are suggested, in words: the evidence on the question's
    /// topics, then their hours and load.
    pub fn reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = self.claims.iter().flat_map(Claim::lines).collect();
        out.push(if self.working_now {
            "in their working hours now".to_owned()
        } else {
            "outside their working hours now".to_owned()
        });
        out.push(match self.recent_answers {
            0 => format!("no answers in the last {LOAD_DAYS} days"),
            1 => format!("1 answer in the last {LOAD_DAYS} days"),
            n => format!("{n} answers in the last {LOAD_DAYS} days"),
        });
        out
    }
}

/// Up to `limit` candidates most likely to answer a question on `topics`
/// (see [`question_topics`]): the weighted sum of their claims on those
/// topics, times [`AWAY_FACTOR`] outside their working hours, times
/// [`load_factor`]. People with no claim on any of the topics are never
/// suggested. Ties go to the latest evidence, then the lowest id, so the
/// order is the same on every call.
pub fn suggest(
    topics: &[(String, f64)],
    candidates: &[Candidate],
    limit: usize,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = candidates
        .iter()
        .filter_map(|c| {
            let mut matched: Vec<(f64, &Claim)> = topics
                .iter()
                .filter_map(|(t, w)| c.claims.iter().find(|k| &k.topic == t).map(|k| (*w, k)))
                .collect();
            let relevance: f64 = matched.iter().map(|(w, k)| w * k.score).sum();
            if relevance <= 0.0 {
                return None;
            }
            matched.sort_by(|a, b| (b.0 * b.1.score).total_cmp(&(a.0 * a.1.score)));
            let away = if c.working_now { 1.0 } else { AWAY_FACTOR };
            Some(Suggestion {
                person: c.person,
                score: relevance * away * load_factor(c.recent_answers),
                claims: matched.into_iter().map(|(_, k)| k.clone()).collect(),
                working_now: c.working_now,
                recent_answers: c.recent_answers,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                let last = |s: &Suggestion| s.claims.iter().filter_map(Claim::last).max();
                last(b).cmp(&last(a))
            })
            .then(a.person.cmp(&b.person))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn c(
        person: i64,
        source: Source,
        topic: &str,
        when: DateTime<Utc>,
        count: u32,
    ) -> Contribution {
        Contribution {
            person,
            source,
            topic: topic.into(),
            at: when,
            count,
        }
    }

    #[test]
    fn decay_halves_every_half_life_and_never_grows() {
        let now = at(2026, 6, 1);
        assert_eq!(decay(now, now), 1.0);
        let half = now - chrono::Duration::days(180);
        assert!((decay(half, now) - 0.5).abs() < 1e-12);
        let quarter = now - chrono::Duration::days(360);
        assert!((decay(quarter, now) - 0.25).abs() < 1e-12);
        assert_eq!(decay(now + chrono::Duration::days(3), now), 1.0);
    }

    #[test]
    fn evidence_reads_as_a_sentence_with_its_last_month() {
        let now = at(2026, 6, 1);
        let list = [
            c(1, Source::AcceptedAnswer, "kubernetes", at(2026, 3, 1), 3),
            c(1, Source::AcceptedAnswer, "kubernetes", at(2026, 5, 20), 1),
            c(1, Source::Helpful, "kubernetes", at(2026, 4, 2), 1),
        ];
        let claims = claims(&list, &[], now);
        let lines = claims[&1][0].lines();
        assert_eq!(
            lines,
            vec![
                "4 accepted answers tagged kubernetes, last in May 2026",
                "1 \u{201c}helpful\u{201d} reaction on posts tagged kubernetes, last in April 2026",
            ]
        );
        assert_eq!(
            Source::Facilitation.words(1, "rust"),
            "facilitated 1 gathering about rust"
        );
        assert_eq!(
            Source::ArtifactOwned.words(2, "go"),
            "owns 2 artifacts tagged go"
        );
        assert_eq!(
            Source::Answer.words(1, "go"),
            "1 answer to questions tagged go"
        );
    }

    #[test]
    fn scores_are_decayed_weights_plus_the_declared_level() {
        let now = at(2026, 6, 1);
        let old = now - chrono::Duration::days(360);
        let list = [
            c(1, Source::AcceptedAnswer, "rust", now, 1),
            c(1, Source::AcceptedAnswer, "rust", old, 2),
            c(2, Source::Answer, "rust", now, 1),
            c(
                2,
                Source::AcceptedAnswer,
                "rust",
                now + chrono::Duration::days(1),
                9,
            ),
        ];
        let skills = [
            (2, "rust".to_owned(), SkillLevel::Expert),
            (3, "rust".to_owned(), SkillLevel::Beginner),
            (3, "go".to_owned(), SkillLevel::Practitioner),
        ];
        let claims = claims(&list, &skills, now);
        // 3 now + 2 × 3 × ¼ a year ago.
        assert!((claims[&1][0].score - 4.5).abs() < 1e-9);
        // An answer (1) and the declared expert level (2); the future is ignored.
        let two = &claims[&2][0];
        assert!((two.score - 3.0).abs() < 1e-9);
        assert_eq!(two.evidence.len(), 1);
        assert_eq!(two.lines()[0], "declares rust as expert");
        // A beginner's declaration alone is no claim.
        assert_eq!(claims[&3].len(), 1);
        assert_eq!(claims[&3][0].topic, "go");
        let ranked = directory(claims, "rust");
        assert_eq!(ranked.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn topics_are_found_as_whole_words() {
        let vocabulary: Vec<String> = ["go", "kubernetes", "site reliability", "c++"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            topics_in("Good Kubernetes. Site  reliability in C++?", &vocabulary),
            vec!["kubernetes", "site reliability", "c++"]
        );
        assert!(topics_in("going gopher", &vocabulary).is_empty());
        let topics = question_topics(&["kubernetes".into()], "kubernetes with go", &vocabulary);
        assert_eq!(
            topics,
            vec![("kubernetes".into(), 1.0), ("go".into(), TEXT_TOPIC_WEIGHT)]
        );
    }

    #[test]
    fn working_hours_are_read_in_the_persons_zone_on_weekdays() {
        let hours = WorkingHours::parse("09:00", "17:00").unwrap();
        // Tuesday 2026-03-03 08:30 UTC is 09:30 in Berlin, 03:30 in New York.
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 8, 30, 0).unwrap();
        assert!(working_now(hours, chrono_tz::Europe::Berlin, now));
        assert!(!working_now(hours, chrono_tz::America::New_York, now));
        // The end is exclusive, and Saturday is not a working day.
        let five = Utc.with_ymd_and_hms(2026, 3, 3, 16, 0, 0).unwrap();
        assert!(!working_now(hours, chrono_tz::Europe::Berlin, five));
        let saturday = Utc.with_ymd_and_hms(2026, 3, 7, 10, 0, 0).unwrap();
        assert!(!working_now(hours, chrono_tz::UTC, saturday));
    }

    fn candidate(person: i64, topic: &str, score_in: u32, working: bool, load: u32) -> Candidate {
        let now = at(2026, 6, 1);
        let list = [c(person, Source::Answer, topic, now, score_in)];
        Candidate {
            person,
            claims: claims(&list, &[], now).remove(&person).unwrap_or_default(),
            working_now: working,
            recent_answers: load,
        }
    }

    #[test]
    fn suggestions_weigh_topics_hours_and_load() {
        let topics = vec![("rust".to_owned(), 1.0), ("go".to_owned(), 0.5)];
        let people = [
            candidate(1, "rust", 4, true, 0),
            // As strong, but away: half.
            candidate(2, "rust", 4, false, 0),
            // As strong, but busy: 5 answers this week halve it.
            candidate(3, "rust", 4, true, 5),
            // Stronger on a text-only topic: 6 × ½.
            candidate(4, "go", 6, true, 0),
            // Nothing on these topics: never suggested.
            candidate(5, "java", 50, true, 0),
        ];
        let got = suggest(&topics, &people, SUGGESTIONS);
        assert_eq!(
            got.iter().map(|s| s.person).collect::<Vec<_>>(),
            vec![1, 4, 2]
        );
        assert!((got[0].score - 4.0).abs() < 1e-9);
        assert!((got[1].score - 3.0).abs() < 1e-9);
        assert_eq!(
            got[0].reasons(),
            vec![
                "4 answers to questions tagged rust, last in June 2026",
                "in their working hours now",
                "no answers in the last 7 days",
            ]
        );
        let all = suggest(&topics, &people, 10);
        assert_eq!(all.len(), 4);
        assert!((all[2].score - all[3].score).abs() < 1e-9);
        assert_eq!(
            (all[2].person, all[3].person),
            (2, 3),
            "ties go to the lower id"
        );
        assert!(suggest(&topics, &[], 3).is_empty());
    }

    #[test]
    fn sources_round_trip_by_name() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(s));
        }
        assert_eq!(Source::parse("gossip"), None);
    }
}
