//! Gatherings: the rhythm of a community of practice. A gathering has a
//! format (a call, a deep dive, ...); a series repeats it by an RFC 5545 rule
//! in its own time zone ([`series`]); facilitation can rotate among volunteers
//! ([`facilitation`]); start times can rotate so that no member carries all
//! the out-of-hours burden ([`fairness`]); and [`plan`] checks what people
//! ask for (a series, an RSVP, an occurrence's name) and seats them.

pub mod facilitation;
pub mod fairness;
pub mod plan;
pub mod rule;
pub mod series;

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::invalid::Invalid;

pub use rule::Rule;
pub use series::{Expansion, Occurrence, OccurrenceStatus, Series};

/// What kind of gathering it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A regular call: news, questions, show and tell.
    Call,
    /// One topic explored at length.
    DeepDive,
    /// Hands-on practice together.
    Workshop,
    /// A day or more away together, often in person.
    Retreat,
    /// Open time when experts take any question.
    OfficeHours,
}

impl Format {
    /// Every format, in the order forms list them.
    pub const ALL: [Format; 5] = [
        Format::Call,
        Format::DeepDive,
        Format::Workshop,
        Format::Retreat,
        Format::OfficeHours,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Call => "call",
            Format::DeepDive => "deep_dive",
            Format::Workshop => "workshop",
            Format::Retreat => "retreat",
            Format::OfficeHours => "office_hours",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Format::Call => "Call",
            Format::DeepDive => "Deep dive",
            Format::Workshop => "Workshop",
            Format::Retreat => "Retreat",
            Format::OfficeHours => "Office hours",
        }
    }
}

impl FromStr for Format {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let wanted = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| {
                Invalid::new(
                    "format",
                    format!(
                        "{wanted:?} is not one of call, deep_dive, workshop, retreat, office_hours"
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_stored_names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        }
        assert_eq!(" deep_dive ".parse::<Format>().unwrap(), Format::DeepDive);
        assert_eq!(Format::OfficeHours.label(), "Office hours");
    }

    #[test]
    fn unknown_format_names_the_field() {
        let err = "standup".parse::<Format>().unwrap_err();
        assert_eq!(err.field, "format");
        assert!(err.message.contains("standup"));
    }
}
