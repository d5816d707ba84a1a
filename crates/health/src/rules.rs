//! The product's own weights, thresholds and rules, in one place: vitality
//! components, lifecycle stage rules and diagnosis triggers with their
//! interventions (drawn from the seeds' challenge table, lifecycle stages and
//! failure modes). docs/health.md carries the same table; a test keeps the
//! two in step.

use crate::figures::{Context, Metrics};

// ---- Vitality -------------------------------------------------------------

/// Weights of the vitality components (sum 1).
pub const W_ACTIVITY_TREND: f64 = 0.20;
pub const W_RESPONSIVENESS: f64 = 0.15;
pub const W_EQUALITY: f64 = 0.15;
pub const W_NEWCOMER_INFLOW: f64 = 0.10;
pub const W_NEWCOMER_RETENTION: f64 = 0.10;
pub const W_FRESHNESS: f64 = 0.10;
pub const W_ROTATION: f64 = 0.10;
pub const W_PULSE: f64 = 0.10;

/// Contributions / previous contributions at which the trend scores 1.
pub const TREND_FULL_RATIO: f64 = 1.25;
/// Fewest active members for the equality component (else null).
pub const EQUALITY_MIN_ACTIVE: u64 = 3;
/// Newcomers / active members at which inflow scores 1.
pub const INFLOW_FULL_SHARE: f64 = 0.20;
/// Newcomer retention at which the retention component scores 1.
pub const RETENTION_FULL_SHARE: f64 = 0.50;
/// Distinct facilitators (of the last six gatherings) at which rotation scores 1.
pub const ROTATION_FULL_FACILITATORS: f64 = 3.0;

// ---- Stage ----------------------------------------------------------------

/// A community this many weeks old or older has a history to judge.
pub const STAGE_HISTORY_WEEKS: u64 = 12;
/// Peak weekly active members that show the community was once alive.
pub const STAGE_ONCE_ALIVE_PEAK: u64 = 5;
/// Fewer active members than this in the window: dormant (after a history).
pub const STAGE_DORMANT_ACTIVE: u64 = 3;
/// Previous-window contributions needed before a collapse can be read.
pub const STAGE_COLLAPSE_MIN_PREVIOUS: u64 = 20;
/// Contributions at or below this share of the previous window: collapse.
pub const STAGE_COLLAPSE_RATIO: f64 = 0.5;
/// Fewer active members than this and no gathering ever: potential.
pub const STAGE_POTENTIAL_ACTIVE: u64 = 5;
/// Younger than this many weeks: still coalescing.
pub const STAGE_COALESCING_WEEKS: u64 = 13;
/// Fewer gatherings ever than this: no rhythm yet, still coalescing.
pub const STAGE_RHYTHM_GATHERINGS: u64 = 3;
/// Contributions at or above this multiple of the previous window: maturing.
pub const STAGE_GROWTH_RATIO: f64 = 1.2;
/// Newcomers / active members at or above this: maturing (growing, diversifying).
pub const STAGE_GROWTH_NEWCOMER_SHARE: f64 = 0.25;

/// The lifecycle stages of the seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageName {
    Potential,
    Coalescing,
    Maturing,
    Stewardship,
    Transformation,
}

impl StageName {
    pub fn name(self) -> &'static str {
        match self {
            StageName::Potential => "potential",
            StageName::Coalescing => "coalescing",
            StageName::Maturing => "maturing",
            StageName::Stewardship => "stewardship",
            StageName::Transformation => "transformation",
        }
    }
}

/// One stage rule; the first that holds decides.
pub struct StageRule {
    pub stage: StageName,
    pub rule: &'static str,
    pub figures: &'static [&'static str],
    pub holds: fn(&Metrics, &Context) -> bool,
}

fn collapsed(m: &Metrics, c: &Context) -> bool {
    c.previous_contributions >= STAGE_COLLAPSE_MIN_PREVIOUS
        && (m.contributions as f64) <= STAGE_COLLAPSE_RATIO * c.previous_contributions as f64
}

fn had_history(c: &Context) -> bool {
    c.weeks >= STAGE_HISTORY_WEEKS && c.peak_weekly_active >= STAGE_ONCE_ALIVE_PEAK
}

/// The stage rules in the order they are tried.
pub const STAGE_RULES: &[StageRule] = &[
    StageRule {
        stage: StageName::Transformation,
        rule: "weeks ≥ 12 and peak weekly active ≥ 5, and either active members < 3 \
               or (previous contributions ≥ 20 and contributions ≤ 0.5 × previous)",
        figures: &[
            "weeks",
            "peak_weekly_active",
            "active_members",
            "contributions",
            "previous_contributions",
        ],
        holds: |m, c| {
            had_history(c) && (m.active_members < STAGE_DORMANT_ACTIVE || collapsed(m, c))
        },
    },
    StageRule {
        stage: StageName::Potential,
        rule: "active members < 5 and no gathering ever held",
        figures: &["active_members", "gatherings_ever"],
        holds: |m, c| m.active_members < STAGE_POTENTIAL_ACTIVE && c.gatherings_ever == 0,
    },
    StageRule {
        stage: StageName::Coalescing,
        rule: "weeks < 13 or fewer than 3 gatherings ever held",
        figures: &["weeks", "gatherings_ever"],
        holds: |_, c| {
            c.weeks < STAGE_COALESCING_WEEKS || c.gatherings_ever < STAGE_RHYTHM_GATHERINGS
        },
    },
    StageRule {
        stage: StageName::Maturing,
        rule: "contributions ≥ 1.2 × previous window, or newcomers ≥ 0.25 × active members",
        figures: &[
            "contributions",
            "previous_contributions",
            "newcomers",
            "active_members",
        ],
        holds: |m, c| {
            (c.previous_contributions > 0
                && m.contributions as f64 >= STAGE_GROWTH_RATIO * c.previous_contributions as f64)
                || (m.active_members > 0
                    && m.newcomers as f64 >= STAGE_GROWTH_NEWCOMER_SHARE * m.active_members as f64)
        },
    },
    StageRule {
        stage: StageName::Stewardship,
        rule: "otherwise: established, steady, with a rhythm",
        figures: &[
            "weeks",
            "gatherings_ever",
            "contributions",
            "previous_contributions",
        ],
        holds: |_, _| true,
    },
];

// ---- Diagnoses ------------------------------------------------------------

/// Weeks a community must have before low participation is read.
pub const LOW_PARTICIPATION_MIN_WEEKS: u64 = 4;
/// Fewer active members than this: low participation.
pub const LOW_PARTICIPATION_ACTIVE: u64 = 8;
/// Fewest active members for dominance, insularity and bus-factor readings.
pub const GROUP_MIN_ACTIVE: u64 = 5;
/// Gini at or above this: dominance by few voices.
pub const FEW_VOICES_GINI: f64 = 0.6;
/// Top-10 % share at or above this: dominance by few voices.
pub const FEW_VOICES_TOP10: f64 = 0.5;
/// Previous contributions needed before stagnation is read.
pub const STAGNATION_MIN_PREVIOUS: u64 = 20;
/// Contributions below this share of the previous window: stagnation.
pub const STAGNATION_RATIO: f64 = 0.7;
/// Team evenness below this (with two teams or more): insularity.
pub const INSULAR_EVENNESS: f64 = 0.4;
/// Cross-team reply share below this: insularity.
pub const INSULAR_CROSS_TEAM: f64 = 0.15;
/// Fresh share below this: stale practice.
pub const STALE_FRESH_SHARE: f64 = 0.5;
/// RSVP show rate below this: remote participation barriers.
pub const REMOTE_SHOW_RATE: f64 = 0.5;
/// Gatherings ever needed before facilitation is judged.
pub const LEADERSHIP_MIN_GATHERINGS: u64 = 3;
/// Previous newcomers needed before retention is judged.
pub const RETENTION_MIN_NEWCOMERS: u64 = 3;
/// Newcomer retention below this: newcomers not retained.
pub const RETENTION_LOW: f64 = 0.25;
/// Questions needed before answering is judged.
pub const UNANSWERED_MIN_QUESTIONS: u64 = 3;
/// Answered share below this: questions left unanswered.
pub const UNANSWERED_SHARE: f64 = 0.5;
/// Pulse mean below this: value not felt.
pub const LOW_PULSE: f64 = 3.0;

/// One recognised challenge.
pub struct DiagnosisRule {
    pub name: &'static str,
    pub title: &'static str,
    pub rule: &'static str,
    pub figures: &'static [&'static str],
    pub triggered: fn(&Metrics, &Context) -> bool,
    pub interventions: &'static [&'static str],
}

fn dormant(m: &Metrics, c: &Context) -> bool {
    had_history(c) && m.active_members < STAGE_DORMANT_ACTIVE
}

fn below(value: Option<f64>, threshold: f64) -> bool {
    value.is_some_and(|v| v < threshold)
}

/// The diagnoses, in the order they are reported.
pub const DIAGNOSES: &[DiagnosisRule] = &[
    DiagnosisRule {
        name: "dormant_consider_dissolving",
        title: "Ghost town: dormant, consider dissolving",
        rule: "weeks ≥ 12, peak weekly active ≥ 5 and active members < 3",
        figures: &[
            "weeks",
            "peak_weekly_active",
            "active_members",
            "contributions",
        ],
        triggered: dormant,
        interventions: &[
            "Ask the remaining members whether the community is still useful to them; treat the silence as a signal of value, not a target to manage.",
            "If it has stopped being useful, let it dissolve: archive it and say so openly.",
            "Preserve and hand on its legacy knowledge (artifacts, answered questions) before closing.",
            "Consider merging with a neighbouring community whose domain now holds the interest.",
        ],
    },
    DiagnosisRule {
        name: "low_participation",
        title: "Low participation",
        rule: "weeks ≥ 4, not dormant, and active members < 8",
        figures: &[
            "active_members",
            "contributions",
            "mean_attendance",
            "weeks",
        ],
        triggered: |m, c| {
            c.weeks >= LOW_PARTICIPATION_MIN_WEEKS
                && !dormant(m, c)
                && m.active_members < LOW_PARTICIPATION_ACTIVE
        },
        interventions: &[
            "Reduce barriers to taking part: fewer steps, less administration, clear entry points.",
            "Create quick-win opportunities: small questions, short show-and-tells.",
            "Solicit feedback on the format and rhythm of gatherings.",
        ],
    },
    DiagnosisRule {
        name: "dominance_by_few_voices",
        title: "Dominance by few voices",
        rule: "active members ≥ 5 and (gini ≥ 0.6 or top-10 % share ≥ 0.5)",
        figures: &["active_members", "gini", "top10_share", "bus_factor"],
        triggered: |m, _| {
            m.active_members >= GROUP_MIN_ACTIVE
                && (m.gini >= FEW_VOICES_GINI
                    || m.top10_share.is_some_and(|s| s >= FEW_VOICES_TOP10))
        },
        interventions: &[
            "Actively invite quieter members to share, by name and by topic.",
            "Rotate facilitation of gatherings and threads.",
            "Create smaller breakout discussions where more people speak.",
        ],
    },
    DiagnosisRule {
        name: "stagnation",
        title: "Stagnation: declining interest",
        rule: "previous contributions ≥ 20, not dormant, and contributions < 0.7 × previous",
        figures: &[
            "contributions",
            "previous_contributions",
            "threads",
            "artifacts_created",
        ],
        triggered: |m, c| {
            !dormant(m, c)
                && c.previous_contributions >= STAGNATION_MIN_PREVIOUS
                && (m.contributions as f64) < STAGNATION_RATIO * c.previous_contributions as f64
        },
        interventions: &[
            "Introduce new topics from members' current work.",
            "Bring in external speakers.",
            "Challenge the community's assumptions; run an experiment together.",
        ],
    },
    DiagnosisRule {
        name: "insularity",
        title: "Insularity: one team talking to itself",
        rule: "active members ≥ 5 and (one team only, or team evenness < 0.4 with two teams or more, \
               or cross-team reply share < 0.15)",
        figures: &[
            "active_members",
            "teams_active",
            "team_evenness",
            "cross_team_reply_share",
        ],
        triggered: |m, _| {
            m.active_members >= GROUP_MIN_ACTIVE
                && (m.teams_active == 1
                    || (m.teams_active >= 2 && m.team_evenness < INSULAR_EVENNESS)
                    || below(m.cross_team_reply_share, INSULAR_CROSS_TEAM))
        },
        interventions: &[
            "Invite practitioners from other teams whose work touches the domain.",
            "Bring external speakers and cross-team show-and-tells.",
            "Pair questions with answerers from another team; make the community's outputs visible beyond it.",
        ],
    },
    DiagnosisRule {
        name: "stale_practice",
        title: "Stale practice: outdated artifacts",
        rule: "fresh share < 0.5",
        figures: &["fresh_share", "stale", "artifacts_created"],
        triggered: |m, _| below(m.fresh_share, STALE_FRESH_SHARE),
        interventions: &[
            "Curate the shared repertoire: review or retire the stale artifacts.",
            "Give each artifact a steward and a review interval it can keep.",
            "Capture what the community learns as living documentation, updated as practice changes.",
        ],
    },
    DiagnosisRule {
        name: "remote_barriers",
        title: "Remote participation barriers",
        rule: "RSVP show rate < 0.5",
        figures: &["rsvp_show_rate", "mean_attendance", "gatherings_held"],
        triggered: |m, _| below(m.rsvp_show_rate, REMOTE_SHOW_RATE),
        interventions: &[
            "Rotate meeting times across time zones.",
            "Record sessions and share notes.",
            "Emphasise asynchronous options: threads before and after each gathering.",
        ],
    },
    DiagnosisRule {
        name: "single_point_of_leadership",
        title: "Single point of leadership",
        rule: "(gatherings ever ≥ 3 and facilitator rotation = 1) or (active members ≥ 5 and bus factor = 1)",
        figures: &[
            "facilitator_rotation",
            "gatherings_ever",
            "bus_factor",
            "active_members",
        ],
        triggered: |m, c| {
            (c.gatherings_ever >= LEADERSHIP_MIN_GATHERINGS && m.facilitator_rotation == 1)
                || (m.active_members >= GROUP_MIN_ACTIVE && m.bus_factor == 1)
        },
        interventions: &[
            "Distribute the stewardship role: name co-stewards.",
            "Rotate facilitation of gatherings.",
            "Write down the rhythms and rituals so that others can run them.",
        ],
    },
    DiagnosisRule {
        name: "newcomers_not_retained",
        title: "Newcomers not retained",
        rule: "previous newcomers ≥ 3 and newcomer retention < 0.25",
        figures: &["previous_newcomers", "newcomer_retention", "newcomers"],
        triggered: |m, c| {
            c.previous_newcomers >= RETENTION_MIN_NEWCOMERS
                && below(m.newcomer_retention, RETENTION_LOW)
        },
        interventions: &[
            "Actively onboard and mentor new members: a welcome, a buddy, a first small task.",
            "Provide clear entry points: starter threads, a charter, a map of the practice.",
            "Balance experts with novices: make naive questions welcome.",
        ],
    },
    DiagnosisRule {
        name: "questions_unanswered",
        title: "Questions left unanswered",
        rule: "questions ≥ 3 and answered share < 0.5",
        figures: &[
            "questions",
            "answered_share",
            "unanswered",
            "median_first_response",
        ],
        triggered: |m, _| {
            m.questions >= UNANSWERED_MIN_QUESTIONS && below(m.answered_share, UNANSWERED_SHARE)
        },
        interventions: &[
            "Connect askers with members of complementary expertise.",
            "Take turns watching unanswered questions.",
            "Encourage questions and admissions of not knowing; thank those who answer.",
        ],
    },
    DiagnosisRule {
        name: "value_not_felt",
        title: "Value not felt (low pulse)",
        rule: "pulse mean < 3",
        figures: &["pulse_mean"],
        triggered: |m, _| below(m.pulse_mean, LOW_PULSE),
        interventions: &[
            "Ask members what would make the community useful; connect it to real work.",
            "Revisit the charter and domain: is the shared inquiry still alive?",
            "Share success stories and practical outcomes.",
        ],
    },
];

// ---- The table ------------------------------------------------------------

/// Every weight and threshold above by name, as docs/health.md lists them.
pub const TABLE: &[(&str, f64)] = &[
    ("W_ACTIVITY_TREND", W_ACTIVITY_TREND),
    ("W_RESPONSIVENESS", W_RESPONSIVENESS),
    ("W_EQUALITY", W_EQUALITY),
    ("W_NEWCOMER_INFLOW", W_NEWCOMER_INFLOW),
    ("W_NEWCOMER_RETENTION", W_NEWCOMER_RETENTION),
    ("W_FRESHNESS", W_FRESHNESS),
    ("W_ROTATION", W_ROTATION),
    ("W_PULSE", W_PULSE),
    ("TREND_FULL_RATIO", TREND_FULL_RATIO),
    ("EQUALITY_MIN_ACTIVE", EQUALITY_MIN_ACTIVE as f64),
    ("INFLOW_FULL_SHARE", INFLOW_FULL_SHARE),
    ("RETENTION_FULL_SHARE", RETENTION_FULL_SHARE),
    ("ROTATION_FULL_FACILITATORS", ROTATION_FULL_FACILITATORS),
    ("STAGE_HISTORY_WEEKS", STAGE_HISTORY_WEEKS as f64),
    ("STAGE_ONCE_ALIVE_PEAK", STAGE_ONCE_ALIVE_PEAK as f64),
    ("STAGE_DORMANT_ACTIVE", STAGE_DORMANT_ACTIVE as f64),
    (
        "STAGE_COLLAPSE_MIN_PREVIOUS",
        STAGE_COLLAPSE_MIN_PREVIOUS as f64,
    ),
    ("STAGE_COLLAPSE_RATIO", STAGE_COLLAPSE_RATIO),
    ("STAGE_POTENTIAL_ACTIVE", STAGE_POTENTIAL_ACTIVE as f64),
    ("STAGE_COALESCING_WEEKS", STAGE_COALESCING_WEEKS as f64),
    ("STAGE_RHYTHM_GATHERINGS", STAGE_RHYTHM_GATHERINGS as f64),
    ("STAGE_GROWTH_RATIO", STAGE_GROWTH_RATIO),
    ("STAGE_GROWTH_NEWCOMER_SHARE", STAGE_GROWTH_NEWCOMER_SHARE),
    (
        "LOW_PARTICIPATION_MIN_WEEKS",
        LOW_PARTICIPATION_MIN_WEEKS as f64,
    ),
    ("LOW_PARTICIPATION_ACTIVE", LOW_PARTICIPATION_ACTIVE as f64),
    ("GROUP_MIN_ACTIVE", GROUP_MIN_ACTIVE as f64),
    ("FEW_VOICES_GINI", FEW_VOICES_GINI),
    ("FEW_VOICES_TOP10", FEW_VOICES_TOP10),
    ("STAGNATION_MIN_PREVIOUS", STAGNATION_MIN_PREVIOUS as f64),
    ("STAGNATION_RATIO", STAGNATION_RATIO),
    ("INSULAR_EVENNESS", INSULAR_EVENNESS),
    ("INSULAR_CROSS_TEAM", INSULAR_CROSS_TEAM),
    ("STALE_FRESH_SHARE", STALE_FRESH_SHARE),
    ("REMOTE_SHOW_RATE", REMOTE_SHOW_RATE),
    (
        "LEADERSHIP_MIN_GATHERINGS",
        LEADERSHIP_MIN_GATHERINGS as f64,
    ),
    ("RETENTION_MIN_NEWCOMERS", RETENTION_MIN_NEWCOMERS as f64),
    ("RETENTION_LOW", RETENTION_LOW),
    ("UNANSWERED_MIN_QUESTIONS", UNANSWERED_MIN_QUESTIONS as f64),
    ("UNANSWERED_SHARE", UNANSWERED_SHARE),
    ("LOW_PULSE", LOW_PULSE),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one() {
        let sum = W_ACTIVITY_TREND
            + W_RESPONSIVENESS
            + W_EQUALITY
            + W_NEWCOMER_INFLOW
            + W_NEWCOMER_RETENTION
            + W_FRESHNESS
            + W_ROTATION
            + W_PULSE;
        assert!((sum - 1.0).abs() < 1e-12);
    }

    #[test]
    fn docs_carry_the_same_table() {
        let docs = include_str!("../../../docs/health.md");
        for (name, value) in TABLE {
            let row = format!("| `{name}` | {value} |");
            assert!(docs.contains(&row), "docs/health.md lacks the row {row}");
        }
        for rule in DIAGNOSES {
            assert!(docs.contains(&format!("`{}`", rule.name)), "{}", rule.name);
        }
    }
}
