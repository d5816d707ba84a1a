//! Vitality: a 0–5 score from normalised components, each shown with its
//! input figures, normalised value, weight and contribution. A component
//! whose figure is null is left out and the other weights renormalised.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::figures::{Context, Metrics};
use crate::lookup;
use crate::rules::*;

/// One component of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub name: &'static str,
    pub inputs: Map<String, Value>,
    /// In [0, 1]; `None` when its figure is null (left out).
    pub value: Option<f64>,
    /// Its weight before renormalisation.
    pub weight: f64,
    /// Its weight after leaving out null components.
    pub effective_weight: Option<f64>,
    /// Points it adds to the 0–5 score.
    pub contribution: Option<f64>,
}

/// The score with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vitality {
    pub score: f64,
    pub components: Vec<Component>,
    /// Names of the components left out because their figure is null.
    pub left_out: Vec<&'static str>,
    /// Says how the weights were renormalised, if they were.
    pub note: Option<String>,
}

fn clamp01(v: f64) -> f64 {
    v.clamp(0.0, 1.0)
}

/// The normalised value of each component, by name, with its input figures
/// and base weight.
fn raw_components(
    m: &Metrics,
    c: &Context,
) -> [(&'static str, f64, Option<f64>, &'static [&'static str]); 8] {
    let trend = if c.previous_contributions == 0 {
        if m.contributions > 0 { 1.0 } else { 0.0 }
    } else {
        clamp01(m.contributions as f64 / c.previous_contributions as f64 / TREND_FULL_RATIO)
    };
    let equality = (m.active_members >= EQUALITY_MIN_ACTIVE).then(|| clamp01(1.0 - m.gini));
    let inflow = (m.active_members > 0)
        .then(|| clamp01(m.newcomers as f64 / m.active_members as f64 / INFLOW_FULL_SHARE));
    let retention = m
        .newcomer_retention
        .map(|r| clamp01(r / RETENTION_FULL_SHARE));
    let rotation = (c.gatherings_ever > 0)
        .then(|| clamp01(m.facilitator_rotation as f64 / ROTATION_FULL_FACILITATORS));
    let pulse = m.pulse_mean.map(|p| clamp01((p - 1.0) / 4.0));
    [
        (
            "activity_trend",
            W_ACTIVITY_TREND,
            Some(trend),
            &["contributions", "previous_contributions"],
        ),
        (
            "responsiveness",
            W_RESPONSIVENESS,
            m.answered_share,
            &["answered_share", "questions", "median_first_response"],
        ),
        (
            "equality",
            W_EQUALITY,
            equality,
            &["gini", "active_members"],
        ),
        (
            "newcomer_inflow",
            W_NEWCOMER_INFLOW,
            inflow,
            &["newcomers", "active_members"],
        ),
        (
            "newcomer_retention",
            W_NEWCOMER_RETENTION,
            retention,
            &["newcomer_retention", "previous_newcomers"],
        ),
        (
            "freshness",
            W_FRESHNESS,
            m.fresh_share,
            &["fresh_share", "stale"],
        ),
        (
            "rotation",
            W_ROTATION,
            rotation,
            &["facilitator_rotation", "gatherings_ever"],
        ),
        ("pulse", W_PULSE, pulse, &["pulse_mean"]),
    ]
}

/// Computes vitality from the figures.
pub fn assess(m: &Metrics, c: &Context) -> Vitality {
    let raw = raw_components(m, c);
    let present: f64 = raw.iter().filter(|r| r.2.is_some()).map(|r| r.1).sum();
    let mut components = Vec::with_capacity(raw.len());
    let mut left_out = Vec::new();
    let mut score = 0.0;
    for (name, weight, value, inputs) in raw {
        let effective_weight = value.map(|_| weight / present);
        let contribution = value.zip(effective_weight).map(|(v, w)| 5.0 * v * w);
        score += contribution.unwrap_or(0.0);
        if value.is_none() {
            left_out.push(name);
        }
        components.push(Component {
            name,
            inputs: lookup::figures(m, c, inputs),
            value,
            weight,
            effective_weight,
            contribution,
        });
    }
    let note = (!left_out.is_empty()).then(|| {
        format!(
            "left out for want of data: {}; the other weights were renormalised to sum to 1",
            left_out.join(", ")
        )
    });
    Vitality {
        score,
        components,
        left_out,
        note,
    }
}
