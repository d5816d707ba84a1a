//! The practice: artifact kinds (guide, pattern, checklist, decision record,
//! story, tool, heuristic), their default review intervals and the rules for
//! what an artifact holds; when an artifact is stale; and the line diff with
//! word highlights that a history page shows between two revisions.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::charter::{Change, Piece};
use crate::community::vocabulary;
use crate::invalid::{Invalid, bounded_text};

vocabulary!(
    /// What an artifact of the practice is.
    ArtifactKind, "kind" {
        /// How to do something, step by step or in depth.
        Guide = "guide",
        /// A recurring problem and a solution that works in context.
        Pattern = "pattern",
        /// Items to check before, during or after a piece of work.
        Checklist = "checklist",
        /// A decision with its context, the decision and its consequences.
        DecisionRecord = "decision_record",
        /// A lesson learned, told as what happened.
        Story = "story",
        /// Something the community built or recommends using.
        Tool = "tool",
        /// A rule of thumb.
        Heuristic = "heuristic",
    }
);

impl ArtifactKind {
    /// How the kind reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            ArtifactKind::Guide => "Guide",
            ArtifactKind::Pattern => "Pattern",
            ArtifactKind::Checklist => "Checklist",
            ArtifactKind::DecisionRecord => "Decision record",
            ArtifactKind::Story => "Story",
            ArtifactKind::Tool => "Tool",
            ArtifactKind::Heuristic => "Heuristic",
        }
    }

    /// The review interval an artifact of this kind gets unless its writer
    /// chooses another (docs/practice.md explains each).
    pub fn default_review_days(self) -> i64 {
        match self {
            ArtifactKind::Checklist | ArtifactKind::Tool => 90,
            ArtifactKind::Guide | ArtifactKind::Heuristic => 180,
            ArtifactKind::Pattern | ArtifactKind::DecisionRecord => 365,
            ArtifactKind::Story => 730,
        }
    }
}

vocabulary!(
    /// Where a decision record stands.
    DecisionStatus, "decision_status" {
        /// Put forward, not yet decided.
        Proposed = "proposed",
        /// Decided and in force.
        Accepted = "accepted",
        /// Decided against.
        Rejected = "rejected",
        /// Replaced by a later decision.
        Superseded = "superseded",
        /// No longer followed.
        Deprecated = "deprecated",
    }
);

vocabulary!(
    /// Whether an artifact is published or still a draft (a promotion not yet
    /// reworked).
    ArtifactState, "state" {
        /// Not yet published: promoted from a thread or an experiment.
        Draft = "draft",
        /// Part of the community's practice.
        Published = "published",
    }
);

/// Longest decision-record section (context, decision, consequences).
pub const SECTION_MAX: usize = 20_000;
/// Longest revision summary.
pub const SUMMARY_MAX: usize = 200;
/// Longest reuse or review note.
pub const NOTE_MAX: usize = 500;
/// Longest team name given with a reuse.
pub const TEAM_MAX: usize = 100;
/// Shortest review interval, in days.
pub const REVIEW_DAYS_MIN: i64 = 1;
/// Longest review interval, in days (ten years).
pub const REVIEW_DAYS_MAX: i64 = 3650;

/// A checked artifact's content: what every revision records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    /// What it is.
    pub kind: ArtifactKind,
    /// Title, one line.
    pub title: String,
    /// Markdown body (for decision records, free text beside the sections).
    pub body: String,
    /// Decision records: the situation that called for a decision.
    pub context: String,
    /// Decision records: what was decided.
    pub decision: String,
    /// Decision records: what follows from it.
    pub consequences: String,
    /// Decision records: where the decision stands.
    pub decision_status: Option<DecisionStatus>,
    /// Tags, normalised.
    pub tags: Vec<String>,
    /// Review interval in days.
    pub review_days: i64,
}

/// An artifact as a person writes it, before checking.
#[derive(Debug, Clone, Default)]
pub struct ContentDraft {
    /// The kind's wire name.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Decision records' context.
    pub context: String,
    /// Decision records' decision.
    pub decision: String,
    /// Decision records' consequences.
    pub consequences: String,
    /// Decision records' status wire name; empty for none.
    pub decision_status: String,
    /// Tags, separated by commas or spaces.
    pub tags: String,
    /// Review interval in days; `None` for the kind's default.
    pub review_days: Option<i64>,
}

impl ContentDraft {
    /// Checks every field: the kind, a one-line title, a body (required
    /// except for decision records, which need a decision instead), the
    /// sections (decision records only), tags and the review interval.
    pub fn check(&self) -> Result<Content, Invalid> {
        let kind: ArtifactKind = self.kind.parse()?;
        let title = crate::thread::title(&self.title)?;
        let decision_record = kind == ArtifactKind::DecisionRecord;
        let body = if decision_record {
            bounded_text("body", &self.body, crate::thread::BODY_MAX)?
        } else {
            crate::thread::body(&self.body)?
        };
        let section = |field: &str, value: &str| -> Result<String, Invalid> {
            let value = bounded_text(field, value, SECTION_MAX)?;
            if !decision_record && !value.is_empty() {
                return Err(Invalid::new(
                    field,
                    "only decision records have this section",
                ));
            }
            Ok(value)
        };
        let context = section("context", &self.context)?;
        let decision = section("decision", &self.decision)?;
        let consequences = section("consequences", &self.consequences)?;
        if decision_record && decision.is_empty() {
            return Err(Invalid::new(
                "decision",
                "is required for a decision record",
            ));
        }
        let decision_status = match self.decision_status.trim() {
            "" if decision_record => Some(DecisionStatus::Proposed),
            "" => None,
            _ if !decision_record => {
                return Err(Invalid::new(
                    "decision_status",
                    "only decision records have a status",
                ));
            }
            other => Some(other.parse()?),
        };
        let review_days = review_days(self.review_days.unwrap_or(kind.default_review_days()))?;
        Ok(Content {
            kind,
            title,
            body,
            context,
            decision,
            consequences,
            decision_status,
            tags: crate::thread::tags(&self.tags)?,
            review_days,
        })
    }
}

/// A review interval: between [`REVIEW_DAYS_MIN`] and [`REVIEW_DAYS_MAX`] days.
pub fn review_days(days: i64) -> Result<i64, Invalid> {
    if !(REVIEW_DAYS_MIN..=REVIEW_DAYS_MAX).contains(&days) {
        return Err(Invalid::new(
            "review_days",
            format!("must be between {REVIEW_DAYS_MIN} and {REVIEW_DAYS_MAX} days"),
        ));
    }
    Ok(days)
}

/// A revision summary: optional, one line, at most [`SUMMARY_MAX`] characters.
pub fn summary(value: &str) -> Result<String, Invalid> {
    let value = bounded_text("summary", value, SUMMARY_MAX)?;
    if value.contains(['\n', '\r']) {
        return Err(Invalid::new("summary", "must be a single line"));
    }
    Ok(value)
}

/// A reuse or review note: optional, at most [`NOTE_MAX`] characters.
pub fn note(value: &str) -> Result<String, Invalid> {
    bounded_text("note", value, NOTE_MAX)
}

/// A team named with a reuse: optional, one line, at most [`TEAM_MAX`]
/// characters; `None` when blank.
pub fn team(value: &str) -> Result<Option<String>, Invalid> {
    let value = bounded_text("team", value, TEAM_MAX)?;
    if value.contains(['\n', '\r']) {
        return Err(Invalid::new("team", "must be a single line"));
    }
    Ok((!value.is_empty()).then_some(value))
}

/// When an artifact last confirmed at `confirmed` with an interval of
/// `review_days` falls due for review.
pub fn due_at(confirmed: DateTime<Utc>, review_days: i64) -> DateTime<Utc> {
    confirmed + Duration::days(review_days)
}

/// Whether the artifact is stale at `now`: `now >= confirmed + review_days`,
/// where `confirmed` is the latest of its creation, last revision and last
/// review (METRICS.md `fresh_share`: fresh while less than `review_days`
/// days have passed).
pub fn is_stale(confirmed: DateTime<Utc>, review_days: i64, now: DateTime<Utc>) -> bool {
    now >= due_at(confirmed, review_days)
}

/// One line of a diff between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// Kept, removed or added.
    pub change: Change,
    /// The line in pieces: changed words of a changed line are marked with
    /// the line's own change, the rest [`Change::Kept`].
    pub pieces: Vec<Piece>,
}

/// A line-by-line diff from `before` to `after`; a line that changed shows as
/// its removed and added versions with the changed words highlighted.
pub fn line_diff(before: &str, after: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(before, after);
    let mut out = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            let line = match change.tag() {
                ChangeTag::Equal => Change::Kept,
                ChangeTag::Delete => Change::Removed,
                ChangeTag::Insert => Change::Added,
            };
            let mut pieces: Vec<Piece> = Vec::new();
            for (emphasised, text) in change.iter_strings_lossy() {
                let text = text.trim_end_matches(['\n', '\r']);
                if text.is_empty() {
                    continue;
                }
                let kind = if emphasised { line } else { Change::Kept };
                match pieces.last_mut() {
                    Some(last) if last.change == kind => last.text.push_str(text),
                    _ => pieces.push(Piece {
                        change: kind,
                        text: text.to_owned(),
                    }),
                }
            }
            out.push(DiffLine {
                change: line,
                pieces,
            });
        }
    }
    out
}

/// The text of a revision as a diff compares it: title, kind, tags, review
/// interval, the decision record's sections, then the body.
pub fn diff_text(content: &Content) -> String {
    let mut text = format!(
        "# {}\nKind: {}\nTags: {}\nReview every {} days\n",
        content.title,
        content.kind.label(),
        content.tags.join(", "),
        content.review_days
    );
    if content.kind == ArtifactKind::DecisionRecord {
        if let Some(status) = content.decision_status {
            text.push_str(&format!("Status: {status}\n"));
        }
        for (label, section) in [
            ("Context", &content.context),
            ("Decision", &content.decision),
            ("Consequences", &content.consequences),
        ] {
            text.push_str(&format!("\n## {label}\n{section}\n"));
        }
    }
    text.push('\n');
    text.push_str(&content.body);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft(kind: &str) -> ContentDraft {
        ContentDraft {
            kind: kind.into(),
            title: "Release checklist".into(),
            body: "- [ ] tag\n- [ ] notes".into(),
            tags: "release, ops".into(),
            ..ContentDraft::default()
        }
    }

    #[test]
    fn defaults_come_from_the_kind() {
        let c = draft("checklist").check().unwrap();
        assert_eq!(c.review_days, 90);
        assert_eq!(c.tags, ["release", "ops"]);
        assert_eq!(c.decision_status, None);
        for kind in ArtifactKind::ALL {
            assert!(kind.default_review_days() >= REVIEW_DAYS_MIN);
        }
    }

    #[test]
    fn decision_records_need_a_decision_and_others_no_sections() {
        let mut d = draft("decision_record");
        assert_eq!(d.check().unwrap_err().field, "decision");
        d.decision = "Use Postgres".into();
        let c = d.check().unwrap();
        assert_eq!(c.decision_status, Some(DecisionStatus::Proposed));
        let mut g = draft("guide");
        g.context = "why".into();
        assert_eq!(g.check().unwrap_err().field, "context");
        g.context.clear();
        g.decision_status = "accepted".into();
        assert_eq!(g.check().unwrap_err().field, "decision_status");
        let mut bad = draft("poem");
        assert_eq!(bad.check().unwrap_err().field, "kind");
        bad.kind = "story".into();
        bad.review_days = Some(0);
        assert_eq!(bad.check().unwrap_err().field, "review_days");
    }

    #[test]
    fn stale_at_the_boundary_and_after() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let due = t + Duration::days(90);
        assert!(!is_stale(t, 90, due - Duration::milliseconds(1)));
        assert!(is_stale(t, 90, due));
        assert!(is_stale(t, 90, due + Duration::days(1)));
    }

    #[test]
    fn diff_marks_changed_lines_and_words() {
        let lines = line_diff("a\nrun the tests\nc\n", "a\nrun all the tests\nc\n");
        let changes: Vec<Change> = lines.iter().map(|l| l.change).collect();
        assert_eq!(
            changes,
            [Change::Kept, Change::Removed, Change::Added, Change::Kept]
        );
        let added = &lines[2];
        assert!(
            added
                .pieces
                .iter()
                .any(|p| p.change == Change::Added && p.text.contains("all"))
        );
        assert!(
            added
                .pieces
                .iter()
                .any(|p| p.change == Change::Kept && p.text.contains("tests"))
        );
    }

    #[test]
    fn team_and_summary_are_one_line() {
        assert_eq!(team("  ").unwrap(), None);
        assert_eq!(team("Payments").unwrap().as_deref(), Some("Payments"));
        assert_eq!(summary("a\nb").unwrap_err().field, "summary");
    }
}
