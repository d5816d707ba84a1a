//! The request and response bodies of the mentoring API: suggestions,
//! proposals and pairs, capacity, and a community's start-here page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::mentoring_service::{MentorshipView, StartHere, Suggestion};

/// A person named in an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonLink {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// A community named in an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityRef {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
}

/// A suggested mentor and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOut {
    /// The mentor.
    pub mentor: PersonLink,
    /// Their team.
    pub team: Option<String>,
    /// The topic to ask about.
    pub topic: String,
    /// Pairs of (topic taught, topic wanted) that meet.
    pub topics: Vec<[String; 2]>,
    /// Mean daily overlap of working time, in minutes.
    pub overlap_minutes: i64,
    /// From another team.
    pub other_team: bool,
    /// A member of the community asked about.
    pub in_community: bool,
    /// A community guide: no topic in common, a free place in the community.
    pub guide: bool,
    /// Free mentoring places.
    pub free: i64,
    /// The score (see docs/mentoring.md).
    pub score: i64,
    /// The reasons in words.
    pub reasons: Vec<String>,
}

impl From<Suggestion> for SuggestionOut {
    fn from(s: Suggestion) -> Self {
        let m = s.matched;
        SuggestionOut {
            mentor: PersonLink {
                id: s.id,
                name: s.name,
            },
            team: s.team,
            topic: m.topic,
            topics: m.topics.into_iter().map(|(t, l)| [t, l]).collect(),
            overlap_minutes: m.overlap_minutes,
            other_team: m.other_team,
            in_community: m.in_community,
            guide: m.guide,
            free: m.free,
            score: m.score,
            reasons: m.reasons,
        }
    }
}

/// Which suggestions.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SuggestionsParams {
    /// Prefer members of this community (its address).
    pub community: Option<String>,
    /// At most this many (1–10, default 3).
    pub limit: Option<i64>,
}

/// A proposal to make.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposalIn {
    /// The mentor.
    pub mentor_id: i64,
    /// The mentee; you when left out.
    pub mentee_id: Option<i64>,
    /// What it is about.
    pub topic: String,
    /// The community it is for (its address); needed when a steward matches two members.
    pub community: Option<String>,
    /// A note to the other side.
    #[serde(default)]
    pub note: String,
}

/// A mentorship as you see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorshipOut {
    /// Id.
    pub id: i64,
    /// `proposed`, `declined`, `withdrawn`, `active` or `ended`.
    pub status: String,
    /// Who proposed: `mentee`, `mentor`, `steward` or `system`.
    pub proposer: String,
    /// The mentor.
    pub mentor: PersonLink,
    /// The mentee.
    pub mentee: PersonLink,
    /// What it is about.
    pub topic: String,
    /// The community it is for, when you may see it.
    pub community: Option<CommunityRef>,
    /// The proposer's note.
    pub note: String,
    /// Whether the mentor has accepted.
    pub mentor_accepted: bool,
    /// Whether the mentee has accepted.
    pub mentee_accepted: bool,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// When the pair started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was declined, withdrawn or ended.
    pub closed_at: Option<DateTime<Utc>>,
    /// What you may do: `accept`, `decline`, `withdraw`, `end`.
    pub actions: Vec<String>,
}

impl From<MentorshipView> for MentorshipOut {
    fn from(v: MentorshipView) -> Self {
        let mut actions = Vec::new();
        for (yes, name) in [
            (v.can_accept, "accept"),
            (v.can_decline, "decline"),
            (v.can_withdraw, "withdraw"),
            (v.can_end, "end"),
        ] {
            if yes {
                actions.push(name.to_owned());
            }
        }
        let m = v.m;
        MentorshipOut {
            id: m.id,
            status: m.answers.status.as_str().to_owned(),
            proposer: m.proposer.as_str().to_owned(),
            mentor: PersonLink {
                id: m.mentor.id,
                name: m.mentor.name,
            },
            mentee: PersonLink {
                id: m.mentee.id,
                name: m.mentee.name,
            },
            topic: m.topic,
            community: v.community.map(|(slug, name)| CommunityRef { slug, name }),
            note: m.note,
            mentor_accepted: m.answers.mentor_accepted,
            mentee_accepted: m.answers.mentee_accepted,
            created_at: m.created_at,
            started_at: m.started_at,
            closed_at: m.closed_at,
            actions,
        }
    }
}

/// Your mentor capacity.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityOut {
    /// Mentees you take at once (0: not mentoring now).
    pub capacity: i64,
    /// Your active pairs as mentor.
    pub active: i64,
    /// Places still free.
    pub free: i64,
}

/// A new capacity.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CapacityIn {
    /// Mentees at once, 0 to 10.
    pub capacity: i64,
}

/// An artifact named on the start-here page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactRef {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Times reused.
    pub reuse_count: i64,
}

/// A question named on the start-here page.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionRef {
    /// Thread id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Replies so far.
    pub replies: i64,
    /// When it was asked.
    pub created_at: DateTime<Utc>,
}

/// The next gathering.
#[derive(Debug, Serialize, ToSchema)]
pub struct GatheringRef {
    /// Series id.
    pub series_id: i64,
    /// Title.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
}

/// A first step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// What to do.
    pub text: String,
    /// Where (a page address).
    pub href: String,
    /// Done already.
    pub done: bool,
}

/// A community's start-here page.
#[derive(Debug, Serialize, ToSchema)]
pub struct StartHereOut {
    /// Community address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// The domain question.
    pub domain_question: String,
    /// In scope.
    pub in_scope: String,
    /// Out of scope.
    pub out_of_scope: String,
    /// Purpose.
    pub purpose: String,
    /// You are a member.
    pub member: bool,
    /// You joined recently.
    pub newcomer: bool,
    /// The most reused artifacts.
    pub artifacts: Vec<ArtifactRef>,
    /// Open questions suited to newcomers.
    pub questions: Vec<QuestionRef>,
    /// The next gathering.
    pub next_gathering: Option<GatheringRef>,
    /// A suggested mentor (members only; none while you have one or asked one here).
    pub suggested_mentor: Option<SuggestionOut>,
    /// Your open mentorships for this community.
    pub mentorships: Vec<MentorshipOut>,
    /// Small first steps.
    pub steps: Vec<StepOut>,
}

impl StartHereOut {
    /// The answer for `c` from the service's view.
    pub fn new(c: &store::communities::Community, s: StartHere) -> Self {
        StartHereOut {
            slug: c.slug.clone(),
            name: c.charter.name.clone(),
            domain_question: c.charter.domain_question.clone(),
            in_scope: c.charter.in_scope.clone(),
            out_of_scope: c.charter.out_of_scope.clone(),
            purpose: c.charter.purpose.clone(),
            member: s.member,
            newcomer: s.newcomer,
            artifacts: s
                .artifacts
                .into_iter()
                .map(|(id, title, reuse_count)| ArtifactRef {
                    id,
                    title,
                    reuse_count,
                })
                .collect(),
            questions: s
                .questions
                .into_iter()
                .map(|t| QuestionRef {
                    id: t.id,
                    title: t.title,
                    replies: t.reply_count,
                    created_at: t.created_at,
                })
                .collect(),
            next_gathering: s.gathering.map(|(r, o)| GatheringRef {
                series_id: r.id,
                title: r.title,
                starts_at: o.start,
            }),
            suggested_mentor: s.mentor.map(SuggestionOut::from),
            mentorships: s.mentorships.into_iter().map(MentorshipOut::from).collect(),
            steps: s
                .steps
                .into_iter()
                .map(|s| StepOut {
                    text: s.text,
                    href: s.href,
                    done: s.done,
                })
                .collect(),
        }
    }
}
