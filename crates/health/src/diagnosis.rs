//! Diagnoses: each recognised challenge with the figures that triggered it
//! and the interventions the community can try.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::figures::{Context, Metrics};
use crate::lookup;
use crate::rules::DIAGNOSES;

/// One triggered diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub name: &'static str,
    pub title: &'static str,
    pub rule: &'static str,
    pub figures: Map<String, Value>,
    pub interventions: Vec<&'static str>,
}

/// Every diagnosis whose trigger holds.
pub fn assess(m: &Metrics, c: &Context) -> Vec<Diagnosis> {
    DIAGNOSES
        .iter()
        .filter(|rule| (rule.triggered)(m, c))
        .map(|rule| Diagnosis {
            name: rule.name,
            title: rule.title,
            rule: rule.rule,
            figures: lookup::figures(m, c, rule.figures),
            interventions: rule.interventions.to_vec(),
        })
        .collect()
}
