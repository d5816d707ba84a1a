//! Every figure of METRICS.md for one scope (a community, or the whole
//! organisation) and one window, with the weekly series and the extra facts
//! (previous window, age, peak) that vitality, stage and diagnoses read.
//!
//! The computation is three linear passes over the time-ordered records
//! before the window's end: a pre-scan of the window for its gatherings, a
//! history pass (first contributions, thread responses, artifacts, RSVPs,
//! facilitators, the series) and a window pass (counts, inequality, teams,
//! the reply graph). Records at or after the end are cut off first, so they
//! cannot reach any figure.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::event::{Kind, Response, ThreadType};
use crate::inequality;
use crate::instant::{DAY, SECOND};
use crate::log::{ActivityLog, NONE, Record};
use crate::series::{SeriesBuilder, WeekRow};
use crate::window::Window;

/// The records of one scope and how to key their subjects.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// Time-ordered records of the scope.
    pub records: &'a [Record],
    /// The log the records come from (names, for tie-breaking).
    pub log: &'a ActivityLog,
    /// `Some(offsets)` for the organisation: subject keys are
    /// `offsets[community] + subject`; `None` for one community.
    pub subject_offsets: Option<&'a [u32]>,
    /// Number of distinct subject keys in this scope.
    pub subject_count: usize,
}

impl<'a> Scope<'a> {
    /// The scope of one community, whose records are given.
    pub fn community(log: &'a ActivityLog, community: u32, records: &'a [Record]) -> Scope<'a> {
        Scope {
            records,
            log,
            subject_offsets: None,
            subject_count: log.subjects(community).len(),
        }
    }

    /// The scope of the whole organisation.
    pub fn organisation(log: &'a ActivityLog, offsets: &'a [u32]) -> Scope<'a> {
        Scope {
            records: log.sorted_records(),
            log,
            subject_offsets: Some(offsets),
            subject_count: log.subject_count(),
        }
    }

    fn key(&self, r: &Record) -> Option<usize> {
        if r.subject == NONE {
            return None;
        }
        Some(match self.subject_offsets {
            Some(offsets) => (offsets[r.community as usize] + r.subject) as usize,
            None => r.subject as usize,
        })
    }
}

/// The figures of METRICS.md, by their contract names and in its order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub active_members: u64,
    pub contributions: u64,
    pub threads: u64,
    pub replies: u64,
    pub gatherings_held: u64,
    pub mean_attendance: Option<f64>,
    pub rsvp_show_rate: Option<f64>,
    pub questions: u64,
    pub answered_share: Option<f64>,
    pub solved_share: Option<f64>,
    pub median_first_response: Option<f64>,
    pub unanswered: u64,
    pub artifacts_created: u64,
    pub artifacts_reused: u64,
    pub reuse_ratio: Option<f64>,
    pub gini: f64,
    pub top10_share: Option<f64>,
    pub bus_factor: u64,
    pub newcomers: u64,
    pub newcomer_retention: Option<f64>,
    pub teams_active: u64,
    pub team_evenness: f64,
    pub cross_team_reply_share: Option<f64>,
    pub reciprocity: Option<f64>,
    pub facilitator_rotation: u64,
    pub fresh_share: Option<f64>,
    pub stale: u64,
    pub pulse_mean: Option<f64>,
}

/// Facts beyond the contract's figures that vitality, stage and diagnoses
/// use; each is defined like a figure in docs/health.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    /// Contributions in the previous window.
    pub previous_contributions: u64,
    /// Distinct contributors in the previous window.
    pub previous_active_members: u64,
    /// Newcomers of the previous window.
    pub previous_newcomers: u64,
    /// `gathering_held` events before the window's end.
    pub gatherings_ever: u64,
    /// Distinct artifacts created before the window's end.
    pub artifacts_ever: u64,
    /// Rows of the weekly series (weeks since the first event).
    pub weeks: u64,
    /// Largest weekly `active_members` of the series.
    pub peak_weekly_active: u64,
}

/// Everything computed for one scope and window.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub metrics: Metrics,
    pub context: Context,
    pub series: Vec<WeekRow>,
}

#[derive(Debug, Clone, Copy)]
struct Subject {
    opened: bool,
    opener: u32,
    first_response: i64,
    accepted: bool,
    created: bool,
    review_days: u32,
    touched: i64,
    held_in_window: bool,
    reused_in_window: bool,
}

const FRESH_SUBJECT: Subject = Subject {
    opened: false,
    opener: NONE,
    first_response: i64::MAX,
    accepted: false,
    created: false,
    review_days: NONE,
    touched: i64::MIN,
    held_in_window: false,
    reused_in_window: false,
};

/// A gathering as the facilitator rotation orders it.
#[derive(Debug, Clone)]
struct Held {
    at: i64,
    community: u32,
    subject: u32,
    actor: u32,
}

/// What a scope's figures need from the state of its threads, artifacts
/// and gatherings. Every subject belongs to one community, so the
/// organisation's facts are the sums (and unions) of its communities':
/// [`crate::report::portfolio`] adds them up instead of tracking every
/// subject of the organisation again.
#[derive(Debug, Clone, Default)]
pub struct SubjectFacts {
    /// (actor, gathering) pairs with a latest `yes`, and those that attended.
    yes: u64,
    shown: u64,
    /// The window's questions, answered within 7 days, solved, unanswered.
    questions: u64,
    answered: u64,
    solved: u64,
    unanswered: u64,
    /// Waits for a first response, in nanoseconds (any order).
    waits: Vec<i64>,
    /// `attended` of the window's held gatherings.
    attendance: u64,
    /// Distinct artifacts reused in the window.
    reused_distinct: u64,
    /// Artifacts created before the end; those with a review interval; fresh.
    artifacts: u64,
    with_interval: u64,
    fresh: u64,
    /// Every `gathering_held` before the end.
    held: Vec<Held>,
}

impl SubjectFacts {
    /// The facts of several scopes with disjoint subjects, together.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a SubjectFacts>) -> SubjectFacts {
        let mut total = SubjectFacts::default();
        for p in parts {
            total.yes += p.yes;
            total.shown += p.shown;
            total.questions += p.questions;
            total.answered += p.answered;
            total.solved += p.solved;
            total.unanswered += p.unanswered;
            total.waits.extend_from_slice(&p.waits);
            total.attendance += p.attendance;
            total.reused_distinct += p.reused_distinct;
            total.artifacts += p.artifacts;
            total.with_interval += p.with_interval;
            total.fresh += p.fresh;
            total.held.extend_from_slice(&p.held);
        }
        total
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Computes every figure of `scope` for `window`.
pub fn compute(scope: &Scope<'_>, window: &Window) -> Figures {
    let (mut figures, facts) = compute_parts(scope, window, true);
    apply_subject_facts(&mut figures, facts, scope.log);
    figures
}

/// Every figure of `scope` for `window` that does not depend on its
/// subjects' state, and, if `with_subjects`, the [`SubjectFacts`] that the
/// rest is computed from by [`apply_subject_facts`] (else empty facts).
pub fn compute_parts(
    scope: &Scope<'_>,
    window: &Window,
    with_subjects: bool,
) -> (Figures, SubjectFacts) {
    let end = window.end;
    let start = window.start();
    let previous_start = window.previous_start();
    let records = &scope.records[..scope.records.partition_point(|r| r.at < end)];
    let window_from = records.partition_point(|r| r.at < start);
    let previous_from = records.partition_point(|r| r.at < previous_start);
    let actor_count = scope.log.actors().len();

    let subject_count = if with_subjects {
        scope.subject_count
    } else {
        0
    };
    let mut subjects = vec![FRESH_SUBJECT; subject_count];
    let prescan = if with_subjects {
        &records[window_from..]
    } else {
        &[]
    };
    for r in prescan {
        if r.kind == Kind::GatheringHeld
            && let Some(key) = scope.key(r)
        {
            subjects[key].held_in_window = true;
        }
    }

    // History pass: everything "ever" (before the end) and the series.
    // One bit per actor: has their first contribution been seen? (Small
    // enough to stay in cache for 100,000 members.)
    let mut contributed = vec![0u64; actor_count.div_ceil(64)];
    let mut firsts: Vec<(u32, i64)> = Vec::new();
    let mut series = SeriesBuilder::new(records.first().map(|r| r.at), end, actor_count);
    let mut artifacts: Vec<usize> = Vec::new();
    let mut held: Vec<Held> = Vec::new();
    let mut latest_rsvp: FxHashMap<(u32, usize), Response> = FxHashMap::default();
    let mut attended_pairs: FxHashSet<(u32, usize)> = FxHashSet::default();
    for r in records {
        let contribution = r.kind.is_contribution();
        let mut newcomer = false;
        if contribution && r.attributed() {
            let (word, bit) = (r.actor as usize / 64, 1u64 << (r.actor % 64));
            if contributed[word] & bit == 0 {
                contributed[word] |= bit;
                firsts.push((r.actor, r.at));
                newcomer = true;
            }
        }
        series.add(r, contribution, newcomer);
        if !with_subjects {
            continue;
        }
        let Some(key) = scope.key(r) else { continue };
        let s = &mut subjects[key];
        match r.kind {
            Kind::ThreadOpened if !s.opened => {
                s.opened = true;
                s.opener = r.actor;
            }
            Kind::Replied
                if s.opened
                    && s.first_response == i64::MAX
                    && r.attributed()
                    && r.actor != s.opener =>
            {
                s.first_response = r.at;
            }
            Kind::AnswerAccepted => s.accepted = true,
            Kind::ArtifactCreated | Kind::ArtifactRevised | Kind::ArtifactReviewed => {
                if r.kind == Kind::ArtifactCreated && !s.created {
                    s.created = true;
                    artifacts.push(key);
                }
                if r.kind != Kind::ArtifactReviewed && r.review_days != NONE {
                    s.review_days = r.review_days;
                }
                s.touched = r.at;
            }
            Kind::GatheringHeld => held.push(Held {
                at: r.at,
                community: r.community,
                subject: r.subject,
                actor: r.actor,
            }),
            Kind::Rsvp if s.held_in_window && r.attributed() => {
                if let Some(response) = r.response {
                    latest_rsvp.insert((r.actor, key), response);
                }
            }
            Kind::Attended if s.held_in_window && r.attributed() => {
                attended_pairs.insert((r.actor, key));
            }
            _ => {}
        }
    }

    // Previous window: contributions and contributors, for the trend.
    let mut previous_contributions = 0u64;
    let mut previous_active = FxHashSet::default();
    for r in &records[previous_from..window_from] {
        if r.kind.is_contribution() {
            previous_contributions += 1;
            if r.attributed() {
                previous_active.insert(r.actor);
            }
        }
    }

    // Window pass.
    let mut m = Metrics {
        active_members: 0,
        contributions: 0,
        threads: 0,
        replies: 0,
        gatherings_held: 0,
        mean_attendance: None,
        rsvp_show_rate: None,
        questions: 0,
        answered_share: None,
        solved_share: None,
        median_first_response: None,
        unanswered: 0,
        artifacts_created: 0,
        artifacts_reused: 0,
        reuse_ratio: None,
        gini: 0.0,
        top10_share: None,
        bus_factor: 0,
        newcomers: 0,
        newcomer_retention: None,
        teams_active: 0,
        team_evenness: 0.0,
        cross_team_reply_share: None,
        reciprocity: None,
        facilitator_rotation: 0,
        fresh_share: None,
        stale: 0,
        pulse_mean: None,
    };
    let mut counts = vec![0u32; actor_count];
    let mut active: Vec<u32> = Vec::new();
    let mut team_counts = vec![0u32; scope.log.teams().len()];
    let mut questions: Vec<(usize, i64)> = Vec::new();
    let mut attendance = 0u64;
    let mut reused_distinct = 0u64;
    let (mut team_replies, mut cross_team) = (0u64, 0u64);
    let mut edges: FxHashSet<(u32, u32)> = FxHashSet::default();
    let (mut pulse_sum, mut pulse_answers) = (0u64, 0u64);
    for r in &records[window_from..] {
        if r.kind.is_contribution() {
            m.contributions += 1;
            if r.attributed() {
                let count = &mut counts[r.actor as usize];
                if *count == 0 {
                    active.push(r.actor);
                }
                *count += 1;
                if r.team != NONE {
                    team_counts[r.team as usize] += 1;
                }
            }
        }
        match r.kind {
            Kind::ThreadOpened => {
                m.threads += 1;
                if with_subjects
                    && r.thread_type == Some(ThreadType::Question)
                    && let Some(key) = scope.key(r)
                {
                    questions.push((key, r.at));
                }
            }
            Kind::Replied => {
                m.replies += 1;
                if r.team != NONE && r.reply_to_team != NONE {
                    team_replies += 1;
                    cross_team += u64::from(r.team != r.reply_to_team);
                }
                if r.attributed() && r.reply_to != NONE && r.actor != r.reply_to {
                    edges.insert((r.actor, r.reply_to));
                }
            }
            Kind::GatheringHeld => m.gatherings_held += 1,
            Kind::Attended
                if with_subjects
                    && scope.key(r).is_some_and(|key| subjects[key].held_in_window) =>
            {
                attendance += 1;
            }
            Kind::ArtifactCreated => m.artifacts_created += 1,
            Kind::ArtifactReused => {
                m.artifacts_reused += 1;
                if with_subjects
                    && let Some(key) = scope.key(r)
                    && !subjects[key].reused_in_window
                {
                    subjects[key].reused_in_window = true;
                    reused_distinct += 1;
                }
            }
            Kind::PulseAnswered if r.value > 0 => {
                pulse_sum += u64::from(r.value);
                pulse_answers += 1;
            }
            _ => {}
        }
    }

    // Subjects' state.
    let mut facts = SubjectFacts {
        attendance,
        reused_distinct,
        artifacts: artifacts.len() as u64,
        held,
        ..SubjectFacts::default()
    };
    for (pair, _) in latest_rsvp.iter().filter(|(_, r)| **r == Response::Yes) {
        facts.yes += 1;
        facts.shown += u64::from(attended_pairs.contains(pair));
    }
    facts.questions = questions.len() as u64;
    for &(key, opened) in &questions {
        let s = &subjects[key];
        if s.first_response == i64::MAX {
            facts.unanswered += 1;
        } else {
            let wait = s.first_response - opened;
            facts.waits.push(wait);
            facts.answered += u64::from(wait <= 7 * DAY);
        }
        facts.solved += u64::from(s.accepted);
    }
    for &key in &artifacts {
        let s = &subjects[key];
        if s.review_days != NONE {
            facts.with_interval += 1;
            facts.fresh += u64::from(end - s.touched < i64::from(s.review_days) * DAY);
        }
    }

    // Activity.
    m.active_members = active.len() as u64;

    // Health.
    let active_counts: Vec<u32> = active.iter().map(|&a| counts[a as usize]).collect();
    m.gini = inequality::gini(&active_counts);
    m.top10_share = inequality::top10_share(&active_counts);
    m.bus_factor = inequality::bus_factor(&active_counts);
    let mut previous_newcomers = 0u64;
    let mut retained = 0u64;
    for &(actor, at) in &firsts {
        if at >= start {
            m.newcomers += 1;
        } else if at >= previous_start {
            previous_newcomers += 1;
            retained += u64::from(counts[actor as usize] > 0);
        }
    }
    m.newcomer_retention = share(retained, previous_newcomers);
    m.teams_active = team_counts.iter().filter(|&&c| c > 0).count() as u64;
    m.team_evenness = inequality::evenness(&team_counts);
    m.cross_team_reply_share = share(cross_team, team_replies);
    let mutual = edges
        .iter()
        .filter(|(a, b)| edges.contains(&(*b, *a)))
        .count();
    m.reciprocity = share(mutual as u64, edges.len() as u64);
    if pulse_answers >= 5 {
        m.pulse_mean = Some(pulse_sum as f64 / pulse_answers as f64);
    }

    let series = series.finish();
    let context = Context {
        previous_contributions,
        previous_active_members: previous_active.len() as u64,
        previous_newcomers,
        gatherings_ever: 0,
        artifacts_ever: 0,
        weeks: series.len() as u64,
        peak_weekly_active: series.iter().map(|w| w.active_members).max().unwrap_or(0),
    };
    let figures = Figures {
        metrics: m,
        context,
        series,
    };
    (figures, facts)
}

/// Completes figures from [`compute_parts`] with the facts of their
/// subjects (the scope's own, or the sum of its communities').
pub fn apply_subject_facts(figures: &mut Figures, mut facts: SubjectFacts, log: &ActivityLog) {
    let m = &mut figures.metrics;
    if m.gatherings_held > 0 {
        m.mean_attendance = Some(facts.attendance as f64 / m.gatherings_held as f64);
    }
    m.rsvp_show_rate = share(facts.shown, facts.yes);
    m.questions = facts.questions;
    m.unanswered = facts.unanswered;
    m.answered_share = share(facts.answered, facts.questions);
    m.solved_share = share(facts.solved, facts.questions);
    m.median_first_response = median_seconds(&mut facts.waits);
    m.reuse_ratio = share(facts.reused_distinct, facts.artifacts);
    m.facilitator_rotation = facilitator_rotation(log, &mut facts.held);
    m.fresh_share = share(facts.fresh, facts.with_interval);
    m.stale = facts.with_interval - facts.fresh;
    figures.context.gatherings_ever = facts.held.len() as u64;
    figures.context.artifacts_ever = facts.artifacts;
}

/// Median of waits in nanoseconds, as seconds; mean of the middle two for an
/// even count.
fn median_seconds(waits: &mut [i64]) -> Option<f64> {
    if waits.is_empty() {
        return None;
    }
    waits.sort_unstable();
    let n = waits.len();
    let twice = if n % 2 == 1 {
        2 * i128::from(waits[n / 2])
    } else {
        i128::from(waits[n / 2 - 1]) + i128::from(waits[n / 2])
    };
    Some(twice as f64 / (2 * SECOND) as f64)
}

/// Distinct actors among the last six `gathering_held`, ordered by instant,
/// then subject, then community.
fn facilitator_rotation(log: &ActivityLog, held: &mut [Held]) -> u64 {
    held.sort_by(|a, b| {
        a.at.cmp(&b.at).then_with(|| {
            let sa = log.subjects(a.community).name(a.subject);
            let sb = log.subjects(b.community).name(b.subject);
            sa.cmp(sb).then_with(|| {
                log.communities()
                    .name(a.community)
                    .cmp(log.communities().name(b.community))
            })
        })
    });
    let last = &held[held.len().saturating_sub(6)..];
    let mut actors: Vec<u32> = last
        .iter()
        .map(|h| h.actor)
        .filter(|&a| a != NONE)
        .collect();
    actors.sort_unstable();
    actors.dedup();
    actors.len() as u64
}
