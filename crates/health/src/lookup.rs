//! Figures by name: how rules, evidence and renderers read a figure (of
//! METRICS.md, or a context fact) from its contract name.

use serde_json::Value;

use crate::figures::{Context, Metrics};

/// A figure as JSON: an integer, a number or `null`.
pub fn figure(metrics: &Metrics, context: &Context, name: &str) -> Value {
    fn int(v: u64) -> Value {
        Value::from(v)
    }
    fn num(v: f64) -> Value {
        Value::from(v)
    }
    fn opt(v: Option<f64>) -> Value {
        v.map_or(Value::Null, Value::from)
    }
    let m = metrics;
    let c = context;
    match name {
        "active_members" => int(m.active_members),
        "contributions" => int(m.contributions),
        "threads" => int(m.threads),
        "replies" => int(m.replies),
        "gatherings_held" => int(m.gatherings_held),
        "mean_attendance" => opt(m.mean_attendance),
        "rsvp_show_rate" => opt(m.rsvp_show_rate),
        "questions" => int(m.questions),
        "answered_share" => opt(m.answered_share),
        "solved_share" => opt(m.solved_share),
        "median_first_response" => opt(m.median_first_response),
        "unanswered" => int(m.unanswered),
        "artifacts_created" => int(m.artifacts_created),
        "artifacts_reused" => int(m.artifacts_reused),
        "reuse_ratio" => opt(m.reuse_ratio),
        "gini" => num(m.gini),
        "top10_share" => opt(m.top10_share),
        "bus_factor" => int(m.bus_factor),
        "newcomers" => int(m.newcomers),
        "newcomer_retention" => opt(m.newcomer_retention),
        "teams_active" => int(m.teams_active),
        "team_evenness" => num(m.team_evenness),
        "cross_team_reply_share" => opt(m.cross_team_reply_share),
        "reciprocity" => opt(m.reciprocity),
        "facilitator_rotation" => int(m.facilitator_rotation),
        "fresh_share" => opt(m.fresh_share),
        "stale" => int(m.stale),
        "pulse_mean" => opt(m.pulse_mean),
        "previous_contributions" => int(c.previous_contributions),
        "previous_active_members" => int(c.previous_active_members),
        "previous_newcomers" => int(c.previous_newcomers),
        "gatherings_ever" => int(c.gatherings_ever),
        "artifacts_ever" => int(c.artifacts_ever),
        "weeks" => int(c.weeks),
        "peak_weekly_active" => int(c.peak_weekly_active),
        other => panic!("no figure named {other:?}"),
    }
}

/// Several figures as a JSON object, in the order given.
pub fn figures(
    metrics: &Metrics,
    context: &Context,
    names: &[&str],
) -> serde_json::Map<String, Value> {
    names
        .iter()
        .map(|&name| (name.to_owned(), figure(metrics, context, name)))
        .collect()
}
