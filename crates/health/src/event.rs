//! The activity event of METRICS.md, "Inputs: the activity log".
//!
//! [`Event`] is the owned, human-facing form with exactly the contract's
//! fields; the engine itself works on the interned [`crate::log::Record`].

use serde::{Deserialize, Serialize};

/// What happened. An unknown kind is an error for its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Kind {
    Joined,
    Left,
    ThreadOpened,
    Replied,
    AnswerAccepted,
    ArtifactCreated,
    ArtifactRevised,
    ArtifactReviewed,
    ArtifactReused,
    GatheringHeld,
    Rsvp,
    Attended,
    Kudos,
    PulseAnswered,
    ExperimentStarted,
    ExperimentConcluded,
}

impl Kind {
    /// Every kind, in the contract's order.
    pub const ALL: [Kind; 16] = [
        Kind::Joined,
        Kind::Left,
        Kind::ThreadOpened,
        Kind::Replied,
        Kind::AnswerAccepted,
        Kind::ArtifactCreated,
        Kind::ArtifactRevised,
        Kind::ArtifactReviewed,
        Kind::ArtifactReused,
        Kind::GatheringHeld,
        Kind::Rsvp,
        Kind::Attended,
        Kind::Kudos,
        Kind::PulseAnswered,
        Kind::ExperimentStarted,
        Kind::ExperimentConcluded,
    ];

    /// The name used in the log.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Joined => "joined",
            Kind::Left => "left",
            Kind::ThreadOpened => "thread_opened",
            Kind::Replied => "replied",
            Kind::AnswerAccepted => "answer_accepted",
            Kind::ArtifactCreated => "artifact_created",
            Kind::ArtifactRevised => "artifact_revised",
            Kind::ArtifactReviewed => "artifact_reviewed",
            Kind::ArtifactReused => "artifact_reused",
            Kind::GatheringHeld => "gathering_held",
            Kind::Rsvp => "rsvp",
            Kind::Attended => "attended",
            Kind::Kudos => "kudos",
            Kind::PulseAnswered => "pulse_answered",
            Kind::ExperimentStarted => "experiment_started",
            Kind::ExperimentConcluded => "experiment_concluded",
        }
    }

    /// The kind of a log name, if it is one.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "joined" => Kind::Joined,
            "left" => Kind::Left,
            "thread_opened" => Kind::ThreadOpened,
            "replied" => Kind::Replied,
            "answer_accepted" => Kind::AnswerAccepted,
            "artifact_created" => Kind::ArtifactCreated,
            "artifact_revised" => Kind::ArtifactRevised,
            "artifact_reviewed" => Kind::ArtifactReviewed,
            "artifact_reused" => Kind::ArtifactReused,
            "gathering_held" => Kind::GatheringHeld,
            "rsvp" => Kind::Rsvp,
            "attended" => Kind::Attended,
            "kudos" => Kind::Kudos,
            "pulse_answered" => Kind::PulseAnswered,
            "experiment_started" => Kind::ExperimentStarted,
            "experiment_concluded" => Kind::ExperimentConcluded,
            _ => return None,
        })
    }

    /// Whether events of this kind are contributions (the others are signals).
    pub fn is_contribution(self) -> bool {
        matches!(
            self,
            Kind::ThreadOpened
                | Kind::Replied
                | Kind::AnswerAccepted
                | Kind::ArtifactCreated
                | Kind::ArtifactRevised
                | Kind::ArtifactReviewed
                | Kind::Attended
                | Kind::ExperimentStarted
                | Kind::ExperimentConcluded
        )
    }

    /// Whether the contract needs a `subject` on events of this kind.
    pub fn needs_subject(self) -> bool {
        !matches!(self, Kind::Joined | Kind::Left | Kind::Kudos)
    }
}

/// The type of a thread, given on `thread_opened`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadType {
    Discussion,
    Question,
    Announcement,
    Story,
    ShowAndTell,
}

impl ThreadType {
    /// The type of a log name, if it is one.
    pub fn from_name(name: &str) -> Option<ThreadType> {
        Some(match name {
            "discussion" => ThreadType::Discussion,
            "question" => ThreadType::Question,
            "announcement" => ThreadType::Announcement,
            "story" => ThreadType::Story,
            "show_and_tell" => ThreadType::ShowAndTell,
            _ => return None,
        })
    }
}

/// An answer to a gathering's invitation, given on `rsvp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Yes,
    No,
    Maybe,
}

impl Response {
    /// The response of a log name, if it is one.
    pub fn from_name(name: &str) -> Option<Response> {
        Some(match name {
            "yes" => Response::Yes,
            "no" => Response::No,
            "maybe" => Response::Maybe,
            _ => return None,
        })
    }
}

/// One line of the activity log, with exactly the contract's fields. `at` is
/// kept as the RFC 3339 text it was given in; the engine converts it to UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: String,
    pub community: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_type: Option<ThreadType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_days: Option<u32>,
}

impl Event {
    /// An event with only the always-present fields set.
    pub fn new(at: impl Into<String>, community: impl Into<String>, kind: Kind) -> Event {
        Event {
            at: at.into(),
            community: community.into(),
            actor: None,
            kind,
            subject: None,
            reply_to: None,
            team: None,
            reply_to_team: None,
            thread_type: None,
            response: None,
            value: None,
            review_days: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
        assert_eq!(Kind::from_name("liked"), None);
    }

    #[test]
    fn contributions_are_the_nine_of_the_contract() {
        let count = Kind::ALL.iter().filter(|k| k.is_contribution()).count();
        assert_eq!(count, 9);
        assert!(!Kind::GatheringHeld.is_contribution());
        assert!(Kind::Attended.is_contribution());
    }
}
