//! A community's charter: its name, the domain framed as a question or quest,
//! the boundaries of that domain, its purpose and the organisational goal it
//! serves, its type, orientation, visibility and sponsor. Charters are checked
//! here, edited by partial patches, and compared field by field with a
//! word-level diff so a history page can show what changed.

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use crate::community::{CommunityType, Orientation, Visibility};
use crate::invalid::{Invalid, bounded_text, required_text};

/// Longest community name.
pub const NAME_MAX: usize = 100;
/// Longest domain question.
pub const QUESTION_MAX: usize = 300;
/// Longest free-text section (scope, purpose, goal).
pub const SECTION_MAX: usize = 4000;
/// Longest sponsor.
pub const SPONSOR_MAX: usize = 100;

/// A checked charter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    /// Name shown everywhere.
    pub name: String,
    /// The domain, framed as a question or quest.
    pub domain_question: String,
    /// What the community takes up.
    pub in_scope: String,
    /// What it leaves to others.
    pub out_of_scope: String,
    /// Why it exists.
    pub purpose: String,
    /// The organisational goal it serves.
    pub org_goal: String,
    /// Kind of practice.
    pub community_type: CommunityType,
    /// What it aspires to.
    pub orientation: Orientation,
    /// Who can see it.
    pub visibility: Visibility,
    /// Who sponsors it in the organisation, if anyone (free text).
    pub sponsor: Option<String>,
}

/// A charter as typed into a form or sent to the API: text, not yet checked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CharterDraft {
    /// Name.
    pub name: String,
    /// Domain question.
    pub domain_question: String,
    /// In scope.
    pub in_scope: String,
    /// Out of scope.
    pub out_of_scope: String,
    /// Purpose.
    pub purpose: String,
    /// Organisational goal.
    pub org_goal: String,
    /// `technical_practice`, `role_based`, ...
    pub community_type: String,
    /// `knowledge_weaving`, ...
    pub orientation: String,
    /// `open` or `private`.
    pub visibility: String,
    /// Sponsor, empty for none.
    pub sponsor: String,
}

impl CharterDraft {
    /// Checks every field, naming the first that is wrong.
    pub fn validate(&self) -> Result<Charter, Invalid> {
        let sponsor = bounded_text("sponsor", &self.sponsor, SPONSOR_MAX)?;
        Ok(Charter {
            name: required_text("name", &self.name, NAME_MAX)?,
            domain_question: required_text("domain_question", &self.domain_question, QUESTION_MAX)?,
            in_scope: bounded_text("in_scope", &self.in_scope, SECTION_MAX)?,
            out_of_scope: bounded_text("out_of_scope", &self.out_of_scope, SECTION_MAX)?,
            purpose: bounded_text("purpose", &self.purpose, SECTION_MAX)?,
            org_goal: bounded_text("org_goal", &self.org_goal, SECTION_MAX)?,
            community_type: self.community_type.parse()?,
            orientation: self.orientation.parse()?,
            visibility: self.visibility.parse()?,
            sponsor: (!sponsor.is_empty()).then_some(sponsor),
        })
    }
}

impl From<&Charter> for CharterDraft {
    fn from(c: &Charter) -> Self {
        CharterDraft {
            name: c.name.clone(),
            domain_question: c.domain_question.clone(),
            in_scope: c.in_scope.clone(),
            out_of_scope: c.out_of_scope.clone(),
            purpose: c.purpose.clone(),
            org_goal: c.org_goal.clone(),
            community_type: c.community_type.as_str().to_owned(),
            orientation: c.orientation.as_str().to_owned(),
            visibility: c.visibility.as_str().to_owned(),
            sponsor: c.sponsor.clone().unwrap_or_default(),
        }
    }
}

/// A partial edit: fields left out keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CharterPatch {
    /// New name.
    pub name: Option<String>,
    /// New domain question.
    pub domain_question: Option<String>,
    /// New in-scope boundary.
    pub in_scope: Option<String>,
    /// New out-of-scope boundary.
    pub out_of_scope: Option<String>,
    /// New purpose.
    pub purpose: Option<String>,
    /// New organisational goal.
    pub org_goal: Option<String>,
    /// New type.
    pub community_type: Option<String>,
    /// New orientation.
    pub orientation: Option<String>,
    /// New visibility.
    pub visibility: Option<String>,
    /// New sponsor; empty clears it.
    pub sponsor: Option<String>,
}

impl CharterPatch {
    /// The charter after this edit, checked.
    pub fn apply(&self, to: &Charter) -> Result<Charter, Invalid> {
        let mut d = CharterDraft::from(to);
        let set = |slot: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                slot.clone_from(v);
            }
        };
        set(&mut d.name, &self.name);
        set(&mut d.domain_question, &self.domain_question);
        set(&mut d.in_scope, &self.in_scope);
        set(&mut d.out_of_scope, &self.out_of_scope);
        set(&mut d.purpose, &self.purpose);
        set(&mut d.org_goal, &self.org_goal);
        set(&mut d.community_type, &self.community_type);
        set(&mut d.orientation, &self.orientation);
        set(&mut d.visibility, &self.visibility);
        set(&mut d.sponsor, &self.sponsor);
        d.validate()
    }
}

/// Whether a piece of a diff was kept, removed or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// In both versions.
    Kept,
    /// Only in the older version.
    Removed,
    /// Only in the newer version.
    Added,
}

/// A run of text in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// Kept, removed or added.
    pub change: Change,
    /// The text, whitespace included.
    pub text: String,
}

/// One field that differs between two charters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field's API name.
    pub field: &'static str,
    /// Its label for people.
    pub label: &'static str,
    /// The value before.
    pub before: String,
    /// The value after.
    pub after: String,
    /// A word-level diff from `before` to `after`.
    pub pieces: Vec<Piece>,
}

impl Charter {
    /// Every field as (API name, label, text), in reading order.
    pub fn fields(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("name", "Name", self.name.clone()),
            ("domain_question", "Domain", self.domain_question.clone()),
            ("in_scope", "In scope", self.in_scope.clone()),
            ("out_of_scope", "Out of scope", self.out_of_scope.clone()),
            ("purpose", "Purpose", self.purpose.clone()),
            ("org_goal", "Organisational goal", self.org_goal.clone()),
            (
                "community_type",
                "Type",
                self.community_type.as_str().to_owned(),
            ),
            (
                "orientation",
                "Orientation",
                self.orientation.as_str().to_owned(),
            ),
            (
                "visibility",
                "Visibility",
                self.visibility.as_str().to_owned(),
            ),
            (
                "sponsor",
                "Sponsor",
                self.sponsor.clone().unwrap_or_default(),
            ),
        ]
    }
}

/// The fields that differ from `before` to `after`, each with a word diff.
/// With no `before` (the first revision), every non-empty field is added.
pub fn changes(before: Option<&Charter>, after: &Charter) -> Vec<FieldChange> {
    let old = before.map(Charter::fields);
    after
        .fields()
        .into_iter()
        .enumerate()
        .filter_map(|(i, (field, label, new))| {
            let prev = old.as_ref().map(|o| o[i].2.clone()).unwrap_or_default();
            (prev != new).then(|| FieldChange {
                field,
                label,
                pieces: word_diff(&prev, &new),
                before: prev,
                after: new,
            })
        })
        .collect()
}

/// A word-level diff, with neighbouring pieces of the same kind joined.
pub fn word_diff(before: &str, after: &str) -> Vec<Piece> {
    let diff = TextDiff::from_words(before, after);
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Kept,
            ChangeTag::Delete => Change::Removed,
            ChangeTag::Insert => Change::Added,
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(text),
            _ => out.push(Piece {
                change: kind,
                text: text.to_owned(),
            }),
        }
    }
    out
}

/// "name, purpose" — the labels of what changed, for history lists.
pub fn summary(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| c.label.to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CharterDraft {
        CharterDraft {
            name: "Observability Guild".into(),
            domain_question: "How do we see what our systems are doing?".into(),
            community_type: "technical_practice".into(),
            orientation: "knowledge_weaving".into(),
            visibility: "open".into(),
            ..CharterDraft::default()
        }
    }

    #[test]
    fn drafts_name_the_bad_field() {
        assert!(draft().validate().is_ok());
        let mut d = draft();
        d.community_type = "guild".into();
        assert_eq!(d.validate().unwrap_err().field, "type");
        let mut d = draft();
        d.domain_question = "  ".into();
        assert_eq!(d.validate().unwrap_err().field, "domain_question");
        let mut d = draft();
        d.purpose = "x".repeat(SECTION_MAX + 1);
        assert_eq!(d.validate().unwrap_err().field, "purpose");
        let mut d = draft();
        d.sponsor = "  ".into();
        assert_eq!(d.validate().unwrap().sponsor, None);
    }

    #[test]
    fn patches_keep_what_they_leave_out() {
        let c = draft().validate().unwrap();
        let p = CharterPatch {
            purpose: Some("Fewer pages at night.".into()),
            ..Default::default()
        };
        let after = p.apply(&c).unwrap();
        assert_eq!(after.name, c.name);
        assert_eq!(after.purpose, "Fewer pages at night.");
        let bad = CharterPatch {
            visibility: Some("secret".into()),
            ..Default::default()
        };
        assert_eq!(bad.apply(&c).unwrap_err().field, "visibility");
    }

    #[test]
    fn changes_list_only_what_differs_with_a_word_diff() {
        let c = draft().validate().unwrap();
        let mut d = draft();
        d.domain_question = "How do we see what our services are doing?".into();
        d.visibility = "private".into();
        let after = d.validate().unwrap();
        let got = changes(Some(&c), &after);
        assert_eq!(
            got.iter().map(|c| c.field).collect::<Vec<_>>(),
            ["domain_question", "visibility"]
        );
        let q = &got[0];
        assert!(q.pieces.contains(&Piece {
            change: Change::Removed,
            text: "systems".into()
        }));
        assert!(q.pieces.contains(&Piece {
            change: Change::Added,
            text: "services".into()
        }));
        let rebuilt: String = q
            .pieces
            .iter()
            .filter(|p| p.change != Change::Removed)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rebuilt, q.after);
        assert_eq!(summary(&got), "domain, visibility");
        assert!(changes(Some(&c), &c).is_empty());
        let first = changes(None, &c);
        assert_eq!(
            first.len(),
            5,
            "name, domain, type, orientation, visibility"
        );
    }
}
