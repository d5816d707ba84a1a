//! Experiments: the collaborative-learning loop of hypothesis, owner, dates,
//! status (proposed, running, concluded, abandoned), result and learnings.
//! A community tries something, looks at what happened and writes down what
//! it learnt; only the moves proposed → running → concluded or abandoned
//! exist, and concluding needs a result and learnings.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::invalid::{Invalid, bounded_text, required_text};

/// Longest title accepted.
pub const MAX_TITLE: usize = 200;
/// Longest hypothesis, result or learnings accepted.
pub const MAX_TEXT: usize = 20_000;

/// Where an experiment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExperimentStatus {
    /// Written down, not yet tried.
    Proposed,
    /// Being tried.
    Running,
    /// Tried, with a result and learnings.
    Concluded,
    /// Dropped before (or while) being tried.
    Abandoned,
}

impl ExperimentStatus {
    /// Every status, in the order of the loop.
    pub const ALL: [Self; 4] = [
        Self::Proposed,
        Self::Running,
        Self::Concluded,
        Self::Abandoned,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Running => "running",
            Self::Concluded => "concluded",
            Self::Abandoned => "abandoned",
        }
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Proposed => &[Self::Running, Self::Abandoned],
            Self::Running => &[Self::Concluded, Self::Abandoned],
            Self::Concluded | Self::Abandoned => &[],
        }
    }

    /// Whether the experiment's loop is closed.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

impl fmt::Display for ExperimentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExperimentStatus {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| {
                Invalid::new(
                    "status",
                    format!("{s:?} is not one of proposed, running, concluded, abandoned"),
                )
            })
    }
}

/// Checks the move from `from` to `to`.
pub fn transition(from: ExperimentStatus, to: ExperimentStatus) -> Result<(), Invalid> {
    if from.next().contains(&to) {
        return Ok(());
    }
    let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
    let hint = if allowed.is_empty() {
        format!("a {from} experiment is closed and cannot change status")
    } else {
        format!(
            "a {from} experiment can only become {}, not {to}",
            allowed.join(" or ")
        )
    };
    Err(Invalid::new("status", hint))
}

/// An experiment as written: what is tried, and when it is looked at again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentPlan {
    /// A short name.
    pub title: String,
    /// What the community expects to happen, and how it will tell (Markdown).
    pub hypothesis: String,
    /// When it starts, if planned.
    pub starts_on: Option<NaiveDate>,
    /// When the community looks at it again.
    pub review_on: Option<NaiveDate>,
}

/// Checks an experiment's title, hypothesis and dates (`YYYY-MM-DD`, either
/// empty); the review cannot come before the start.
pub fn plan(
    title: &str,
    hypothesis: &str,
    starts_on: &str,
    review_on: &str,
) -> Result<ExperimentPlan, Invalid> {
    let title = required_text("title", title, MAX_TITLE)?;
    let hypothesis = required_text("hypothesis", hypothesis, MAX_TEXT)?;
    let starts_on = optional_date("starts_on", starts_on)?;
    let review_on = optional_date("review_on", review_on)?;
    if let (Some(s), Some(r)) = (starts_on, review_on)
        && r < s
    {
        return Err(Invalid::new(
            "review_on",
            format!("the review ({r}) cannot come before the start ({s})"),
        ));
    }
    Ok(ExperimentPlan {
        title,
        hypothesis,
        starts_on,
        review_on,
    })
}

/// Parses a calendar date `YYYY-MM-DD`, or `None` when empty.
pub fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    date(field, value).map(Some)
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn date(field: &str, value: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, format!("{value:?} is not a date like 2026-03-31")))
}

/// What a concluded experiment leaves behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusion {
    /// What happened (Markdown).
    pub result: String,
    /// What the community learnt (Markdown).
    pub learnings: String,
}

/// Checks a conclusion: both the result and the learnings are required.
pub fn conclusion(result: &str, learnings: &str) -> Result<Conclusion, Invalid> {
    Ok(Conclusion {
        result: required_text("result", result, MAX_TEXT)?,
        learnings: required_text("learnings", learnings, MAX_TEXT)?,
    })
}

/// Checks the optional result and learnings given with any other move
/// (an abandoned experiment may say why).
pub fn notes(result: &str, learnings: &str) -> Result<Conclusion, Invalid> {
    Ok(Conclusion {
        result: bounded_text("result", result, MAX_TEXT)?,
        learnings: bounded_text("learnings", learnings, MAX_TEXT)?,
    })
}

/// Whether a running experiment is past its review date on `today`.
pub fn review_overdue(
    status: ExperimentStatus,
    review_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status == ExperimentStatus::Running && review_on.is_some_and(|r| r < today)
}

/// The Markdown body of the draft artifact a concluded experiment becomes:
/// its hypothesis, result and learnings under headings.
pub fn artifact_body(hypothesis: &str, result: &str, learnings: &str) -> String {
    format!(
        "## Hypothesis\n\n{}\n\n## Result\n\n{}\n\n## Learnings\n\n{}\n",
        hypothesis.trim(),
        result.trim(),
        learnings.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::ExperimentStatus::*;
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn only_the_loop_s_moves_are_allowed() {
        let allowed = [
            (Proposed, Running),
            (Proposed, Abandoned),
            (Running, Concluded),
            (Running, Abandoned),
        ];
        for from in ExperimentStatus::ALL {
            for to in ExperimentStatus::ALL {
                let ok = transition(from, to).is_ok();
                assert_eq!(ok, allowed.contains(&(from, to)), "{from} → {to}");
                if !ok {
                    assert_eq!(transition(from, to).unwrap_err().field, "status");
                }
            }
        }
        assert!(
            transition(Proposed, Concluded)
                .unwrap_err()
                .message
                .contains("running or abandoned")
        );
        assert!(Concluded.is_final() && Abandoned.is_final() && !Running.is_final());
    }

    #[test]
    fn statuses_round_trip_and_unknown_ones_name_the_field() {
        for s in ExperimentStatus::ALL {
            assert_eq!(s.as_str().parse::<ExperimentStatus>().unwrap(), s);
        }
        assert_eq!(
            "finished".parse::<ExperimentStatus>().unwrap_err().field,
            "status"
        );
    }

    #[test]
    fn plans_need_a_title_a_hypothesis_and_ordered_dates() {
        let p = plan(" Pairing ", "Pairing halves review time", "2026-03-02", "").unwrap();
        assert_eq!(p.title, "Pairing");
        assert_eq!(p.starts_on, Some(d("2026-03-02")));
        assert_eq!(p.review_on, None);
        assert_eq!(plan("", "h", "", "").unwrap_err().field, "title");
        assert_eq!(plan("t", " ", "", "").unwrap_err().field, "hypothesis");
        assert_eq!(
            plan("t", "h", "2026-02-30", "").unwrap_err().field,
            "starts_on"
        );
        assert_eq!(plan("t", "h", "", "soon").unwrap_err().field, "review_on");
        assert_eq!(
            plan("t", "h", "2026-03-10", "2026-03-09")
                .unwrap_err()
                .field,
            "review_on"
        );
        assert!(plan("t", "h", "2026-03-10", "2026-03-10").is_ok());
    }

    #[test]
    fn concluding_needs_result_and_learnings() {
        assert_eq!(conclusion("", "x").unwrap_err().field, "result");
        assert_eq!(conclusion("x", "  ").unwrap_err().field, "learnings");
        let c = conclusion(" worked ", " pair more ").unwrap();
        assert_eq!(
            (c.result.as_str(), c.learnings.as_str()),
            ("worked", "pair more")
        );
        assert!(notes("", "").is_ok());
    }

    #[test]
    fn a_running_experiment_is_overdue_the_day_after_its_review() {
        let review = Some(d("2026-03-10"));
        assert!(!review_overdue(Running, review, d("2026-03-10")));
        assert!(review_overdue(Running, review, d("2026-03-11")));
        assert!(!review_overdue(Proposed, review, d("2026-03-11")));
        assert!(!review_overdue(Concluded, review, d("2026-03-11")));
        assert!(!review_overdue(Running, None, d("2030-01-01")));
    }

    #[test]
    fn the_artifact_body_keeps_the_three_parts() {
        let body = artifact_body("h", "r", "l");
        assert!(body.contains("## Hypothesis\n\nh") && body.contains("## Learnings\n\nl"));
    }
}
