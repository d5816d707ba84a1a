//! The lifecycle stage (potential, coalescing, maturing, stewardship,
//! transformation) with the evidence that decided it: each rule tried, in
//! order, with its figures and whether it held.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::figures::{Context, Metrics};
use crate::lookup;
use crate::rules::{STAGE_RULES, StageName};

/// One rule tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub stage: &'static str,
    pub rule: &'static str,
    pub figures: Map<String, Value>,
    pub holds: bool,
}

/// The stage and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub name: &'static str,
    pub evidence: Vec<Evidence>,
}

/// Tries the stage rules in order; the first that holds decides.
pub fn assess(m: &Metrics, c: &Context) -> Stage {
    let mut evidence = Vec::new();
    for rule in STAGE_RULES {
        let holds = (rule.holds)(m, c);
        evidence.push(Evidence {
            stage: rule.stage.name(),
            rule: rule.rule,
            figures: lookup::figures(m, c, rule.figures),
            holds,
        });
        if holds {
            return Stage {
                name: rule.stage.name(),
                evidence,
            };
        }
    }
    unreachable!("the last stage rule always holds")
}

/// The stage as an enum, for callers that branch on it.
pub fn name(m: &Metrics, c: &Context) -> StageName {
    STAGE_RULES
        .iter()
        .find(|rule| (rule.holds)(m, c))
        .map_or(StageName::Stewardship, |rule| rule.stage)
}
