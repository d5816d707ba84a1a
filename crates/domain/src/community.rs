//! Communities of practice: the charter's vocabulary (type, orientation,
//! visibility, stage, membership role, participation level), the kinds of
//! entry in a community's history, and the rules for slugs.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::invalid::Invalid;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<Self, Invalid> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err(Invalid::new(
                        $field,
                        format!("{other:?} is not one of: {}", [$($text),+].join(", ")),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// What kind of practice a community gathers around.
    CommunityType, "type" {
        /// A craft such as front-end engineering or observability.
        TechnicalPractice = "technical_practice",
        /// People who share a role, such as engineering managers.
        RoleBased = "role_based",
        /// A way of working, such as incident review.
        ProcessOriented = "process_oriented",
        /// A business domain, such as payments.
        DomainSpecific = "domain_specific",
        /// A concern that cuts across all work, such as accessibility.
        CrossCutting = "cross_cutting",
    }
);

vocabulary!(
    /// What the community aspires to (the two-loop model).
    Orientation, "orientation" {
        /// Exchanging tacit knowledge.
        KnowledgeWeaving = "knowledge_weaving",
        /// Developing practice through experiments.
        CollaborativeLearning = "collaborative_learning",
        /// Extending influence across the organisation.
        SystemOfInfluence = "system_of_influence",
    }
);

vocabulary!(
    /// Who can see a community.
    Visibility, "visibility" {
        /// Anyone in the organisation can see and join.
        Open = "open",
        /// Only members can see it; others must be invited or approved.
        Private = "private",
    }
);

vocabulary!(
    /// Where a community is in its life.
    Stage, "stage" {
        /// Proposed, finding its people.
        Potential = "potential",
        /// Coming together, building trust.
        Coalescing = "coalescing",
        /// Growing a practice.
        Maturing = "maturing",
        /// Sustaining momentum and relevance.
        Stewardship = "stewardship",
        /// Dissolving, merging or becoming something else.
        Transformation = "transformation",
    }
);

vocabulary!(
    /// A member's role within a community.
    MemberRole, "role" {
        /// Facilitates and tends the community.
        Steward = "steward",
        /// Carries much of the practice.
        Core = "core",
        /// Takes part.
        Member = "member",
    }
);

vocabulary!(
    /// How much a member takes part, derived from their contributions (see
    /// [`crate::membership::participation`]); never set by hand.
    Participation, "participation" {
        /// A contribution in the last 28 days.
        Active = "active",
        /// A contribution in the last 90 days, none in the last 28.
        Occasional = "occasional",
        /// No contribution in the last 90 days.
        Peripheral = "peripheral",
    }
);

vocabulary!(
    /// Whether someone asked to join or was invited.
    RequestKind, "kind" {
        /// The person asked to join a private community.
        Request = "request",
        /// A steward invited the person.
        Invitation = "invitation",
    }
);

vocabulary!(
    /// Where a request or invitation stands.
    Outcome, "outcome" {
        /// Waiting for an answer.
        Pending = "pending",
        /// Approved by a steward, or accepted by the invitee.
        Accepted = "accepted",
        /// Declined by a steward or by the invitee.
        Declined = "declined",
    }
);

vocabulary!(
    /// An entry in a community's history: the changes that have no activity
    /// event of their own (METRICS.md has kinds for joining and leaving only).
    HistoryKind, "kind" {
        /// Proposed, with its first charter.
        Created = "created",
        /// The charter was edited.
        CharterRevised = "charter_revised",
        /// A member's role changed.
        RoleChanged = "role_changed",
        /// A steward set the stage.
        StageChanged = "stage_changed",
        /// Someone asked to join.
        Requested = "requested",
        /// A steward approved a request.
        RequestApproved = "request_approved",
        /// A steward declined a request.
        RequestDeclined = "request_declined",
        /// A steward invited someone.
        Invited = "invited",
        /// The invitee accepted.
        InvitationAccepted = "invitation_accepted",
        /// The invitee declined.
        InvitationDeclined = "invitation_declined",
        /// Archived: read-only, kept.
        Archived = "archived",
        /// Merged into another community.
        MergedInto = "merged_into",
        /// Received another community by merge.
        MergedFrom = "merged_from",
        /// A new community was split from this one.
        SplitInto = "split_into",
        /// Created by splitting another community.
        SplitFrom = "split_from",
    }
);

/// Addresses the pages use for themselves, which no community may take.
pub const RESERVED_SLUGS: &[&str] = &["new", "ask", "invitations"];

/// Checks a community slug: 2 to 60 lowercase letters, digits and single hyphens.
pub fn slug(value: &str) -> Result<String, Invalid> {
    let s = value.trim();
    let ok = (2..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if RESERVED_SLUGS.contains(&s) {
        return Err(Invalid::new(
            "slug",
            format!("{s:?} is reserved for Guildhall's own pages; choose another address"),
        ));
    }
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Invalid::new(
            "slug",
            "use 2 to 60 lowercase letters, digits and single hyphens, e.g. observability-guild",
        ))
    }
}

/// Derives a slug from a community name ("Front-end Craft!" → "front-end-craft").
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_round_trips_and_names_the_field() {
        for t in CommunityType::ALL {
            assert_eq!(t.as_str().parse::<CommunityType>().unwrap(), *t);
        }
        let err = "guild".parse::<Orientation>().unwrap_err();
        assert_eq!(err.field, "orientation");
        assert!(err.message.contains("knowledge_weaving"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug_from_name("Front-end Craft!"), "front-end-craft");
        assert_eq!(slug_from_name("  SRE & Ops  "), "sre-ops");
        assert!(slug("observability-guild").is_ok());
        assert!(slug("new").unwrap_err().message.contains("reserved"));
        for bad in ["a", "-x", "x-", "a--b", "Caps", "sp ace", &"x".repeat(61)] {
            assert!(slug(bad).is_err(), "{bad:?}");
        }
    }
}
