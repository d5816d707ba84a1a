//! The communities API's request and response bodies, with their OpenAPI schemas.

use chrono::{DateTime, Utc};
use domain::charter::{Change, Charter, CharterDraft, CharterPatch, FieldChange};
use serde::{Deserialize, Serialize};
use store::communities::{
    HistoryEntry, Invitation, LoggedEvent, MemberListing, MembershipSpell, PendingRequest,
    PersonCommunity,
};
use utoipa::{IntoParams, ToSchema};

/// A new community: its address and charter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityIn {
    /// Address; derived from the name when left out.
    #[schema(example = "observability-guild")]
    pub slug: Option<String>,
    /// Name.
    #[schema(example = "Observability Guild", max_length = 100)]
    pub name: String,
    /// The domain, framed as a question or quest.
    #[schema(
        example = "How do we see what our systems are doing?",
        max_length = 300
    )]
    pub domain_question: String,
    /// What the community takes up.
    pub in_scope: Option<String>,
    /// What it leaves to others.
    pub out_of_scope: Option<String>,
    /// Why it exists.
    pub purpose: Option<String>,
    /// The organisational goal it serves.
    pub org_goal: Option<String>,
    /// technical_practice, role_based, process_oriented, domain_specific or cross_cutting.
    #[serde(rename = "type")]
    #[schema(example = "technical_practice")]
    pub community_type: String,
    /// knowledge_weaving, collaborative_learning or system_of_influence.
    #[schema(example = "knowledge_weaving")]
    pub orientation: String,
    /// open (the default) or private.
    pub visibility: Option<String>,
    /// Who sponsors it, if anyone.
    pub sponsor: Option<String>,
}

impl CommunityIn {
    /// The charter as a draft, to be checked.
    pub fn draft(&self) -> CharterDraft {
        CharterDraft {
            name: self.name.clone(),
            domain_question: self.domain_question.clone(),
            in_scope: self.in_scope.clone().unwrap_or_default(),
            out_of_scope: self.out_of_scope.clone().unwrap_or_default(),
            purpose: self.purpose.clone().unwrap_or_default(),
            org_goal: self.org_goal.clone().unwrap_or_default(),
            community_type: self.community_type.clone(),
            orientation: self.orientation.clone(),
            visibility: self.visibility.clone().unwrap_or_else(|| "open".into()),
            sponsor: self.sponsor.clone().unwrap_or_default(),
        }
    }
}

/// A new community split from this one: its charter and whom to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    /// The new community.
    #[serde(flatten)]
    pub community: CommunityIn,
    /// Ids of members of this community to invite to the new one.
    #[serde(default)]
    pub invite: Vec<i64>,
}

/// A charter edit: fields left out keep their value. Stewards only.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityPatchIn {
    /// Name.
    pub name: Option<String>,
    /// Domain question.
    pub domain_question: Option<String>,
    /// In scope.
    pub in_scope: Option<String>,
    /// Out of scope.
    pub out_of_scope: Option<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Organisational goal.
    pub org_goal: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub community_type: Option<String>,
    /// Orientation.
    pub orientation: Option<String>,
    /// open or private.
    pub visibility: Option<String>,
    /// Sponsor; empty clears it.
    pub sponsor: Option<String>,
    /// potential, coalescing, maturing, stewardship or transformation.
    pub stage: Option<String>,
    /// Why the charter changed, kept with the revision.
    pub note: Option<String>,
}

impl CommunityPatchIn {
    /// The charter part of the edit.
    pub fn patch(&self) -> CharterPatch {
        CharterPatch {
            name: self.name.clone(),
            domain_question: self.domain_question.clone(),
            in_scope: self.in_scope.clone(),
            out_of_scope: self.out_of_scope.clone(),
            purpose: self.purpose.clone(),
            org_goal: self.org_goal.clone(),
            community_type: self.community_type.clone(),
            orientation: self.orientation.clone(),
            visibility: self.visibility.clone(),
            sponsor: self.sponsor.clone(),
        }
    }
}

/// A community's charter.
#[derive(Debug, Serialize, ToSchema)]
pub struct CharterOut {
    /// Name.
    pub name: String,
    /// The domain, as a question or quest.
    pub domain_question: String,
    /// In scope.
    pub in_scope: String,
    /// Out of scope.
    pub out_of_scope: String,
    /// Purpose.
    pub purpose: String,
    /// Organisational goal.
    pub org_goal: String,
    /// Type.
    #[serde(rename = "type")]
    pub community_type: String,
    /// Orientation.
    pub orientation: String,
    /// open or private.
    pub visibility: String,
    /// Sponsor.
    pub sponsor: Option<String>,
}

impl From<&Charter> for CharterOut {
    fn from(c: &Charter) -> Self {
        CharterOut {
            name: c.name.clone(),
            domain_question: c.domain_question.clone(),
            in_scope: c.in_scope.clone(),
            out_of_scope: c.out_of_scope.clone(),
            purpose: c.purpose.clone(),
            org_goal: c.org_goal.clone(),
            community_type: c.community_type.as_str().into(),
            orientation: c.orientation.as_str().into(),
            visibility: c.visibility.as_str().into(),
            sponsor: c.sponsor.clone(),
        }
    }
}

/// Another community, linked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityLink {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
}

/// A person, named.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub display_name: String,
}

/// A community in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityDetailOut {
    /// Address.
    pub slug: String,
    /// The charter.
    pub charter: CharterOut,
    /// Life stage.
    pub stage: String,
    /// Current members.
    pub members: i64,
    /// How many members are at each participation level, derived from contributions.
    pub participation: ParticipationOut,
    /// Its stewards.
    pub stewards: Vec<PersonRef>,
    /// Your role, if you are a member.
    pub your_role: Option<String>,
    /// When proposed.
    pub created_at: DateTime<Utc>,
    /// Last change to the charter or stage.
    pub updated_at: Option<DateTime<Utc>>,
    /// Archived (read-only) since.
    pub archived_at: Option<DateTime<Utc>>,
    /// The community it was split from, if you can see it.
    pub split_from: Option<CommunityLink>,
    /// Communities split from it that you can see.
    pub splits: Vec<CommunityLink>,
}

/// Members by participation level: active (a contribution in the last 28
/// days), occasional (in the last 90), peripheral (none in the last 90).
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationOut {
    /// Active members.
    pub active: i64,
    /// Occasional members.
    pub occasional: i64,
    /// Peripheral members.
    pub peripheral: i64,
}

/// Directory filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// Only this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub community_type: Option<String>,
    /// Only this orientation.
    pub orientation: Option<String>,
    /// Only this stage.
    pub stage: Option<String>,
    /// Only communities you belong to.
    pub mine: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of communities.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityPageOut {
    /// The communities on this page.
    pub items: Vec<super::schema::CommunityOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Member list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersParams {
    /// Only this role.
    pub role: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A current member.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    /// Person id.
    pub id: i64,
    /// Name.
    pub display_name: String,
    /// Team.
    pub team: Option<String>,
    /// steward, core or member.
    pub role: String,
    /// active, occasional or peripheral: derived from contributions.
    pub participation: String,
    /// Latest contribution here.
    pub last_contribution: Option<DateTime<Utc>>,
    /// Member since.
    pub joined_at: DateTime<Utc>,
}

impl MemberOut {
    /// The API view of `m` as of `now`.
    pub fn of(m: MemberListing, now: DateTime<Utc>) -> Self {
        MemberOut {
            id: m.person_id,
            display_name: m.display_name,
            team: m.team,
            role: m.role.as_str().into(),
            participation: domain::membership::participation(m.last_contribution, now)
                .as_str()
                .into(),
            last_contribution: m.last_contribution,
            joined_at: m.joined_at,
        }
    }
}

/// A page of members.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembersPageOut {
    /// The members on this page.
    pub items: Vec<MemberOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// One spell of membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpellOut {
    /// Person.
    pub person: PersonRef,
    /// Role.
    pub role: String,
    /// Joined.
    pub joined_at: DateTime<Utc>,
    /// Left, if they have.
    pub left_at: Option<DateTime<Utc>>,
    /// Whether this was a rejoin.
    pub rejoined: bool,
}

impl From<MembershipSpell> for SpellOut {
    fn from(m: MembershipSpell) -> Self {
        SpellOut {
            person: PersonRef {
                id: m.person_id,
                display_name: m.display_name,
            },
            role: m.role.as_str().into(),
            joined_at: m.joined_at,
            left_at: m.left_at,
            rejoined: m.rejoined,
        }
    }
}

/// A role to give a member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRoleIn {
    /// steward, core or member.
    #[schema(example = "steward")]
    pub role: String,
}

/// A note with a request to join.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestIn {
    /// Why you would like to join.
    pub message: Option<String>,
}

/// The answer to a request to join: the same whether or not the community exists.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestedOut {
    /// Always `requested`.
    pub status: String,
    /// What happens next.
    pub message: String,
}

/// A pending request or invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingOut {
    /// Id.
    pub id: i64,
    /// request or invitation.
    pub kind: String,
    /// The person who would join.
    pub person: PersonRef,
    /// Who asked or invited.
    pub asked_by: String,
    /// Note.
    pub message: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<PendingRequest> for PendingOut {
    fn from(r: PendingRequest) -> Self {
        PendingOut {
            id: r.id,
            kind: r.kind.as_str().into(),
            person: PersonRef {
                id: r.person_id,
                display_name: r.display_name,
            },
            asked_by: r.asked_by_name,
            message: r.message,
            created_at: r.created_at,
        }
    }
}

/// An invitation to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteIn {
    /// Whom to invite.
    pub person_id: i64,
    /// A note.
    pub message: Option<String>,
}

/// A sent invitation's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedOut {
    /// Id.
    pub id: i64,
}

/// An invitation you received.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationOut {
    /// Id.
    pub id: i64,
    /// The community.
    pub community: CommunityLink,
    /// Its domain question.
    pub domain_question: String,
    /// Who invited you.
    pub invited_by: String,
    /// Their note.
    pub message: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<Invitation> for InvitationOut {
    fn from(i: Invitation) -> Self {
        InvitationOut {
            id: i.id,
            community: CommunityLink {
                slug: i.slug,
                name: i.name,
            },
            domain_question: i.domain_question,
            invited_by: i.invited_by,
            message: i.message,
            created_at: i.created_at,
        }
    }
}

/// Where to merge a community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The address of the community to merge into; you must steward both.
    pub into: String,
}

/// A piece of a word diff.
#[derive(Debug, Serialize, ToSchema)]
pub struct PieceOut {
    /// kept, removed or added.
    pub change: String,
    /// The text.
    pub text: String,
}

/// A changed charter field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChangeOut {
    /// Field name.
    pub field: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
    /// Word diff.
    pub diff: Vec<PieceOut>,
}

impl From<FieldChange> for FieldChangeOut {
    fn from(c: FieldChange) -> Self {
        FieldChangeOut {
            field: c.field.into(),
            before: c.before,
            after: c.after,
            diff: c
                .pieces
                .into_iter()
                .map(|p| PieceOut {
                    change: match p.change {
                        Change::Kept => "kept",
                        Change::Removed => "removed",
                        Change::Added => "added",
                    }
                    .into(),
                    text: p.text,
                })
                .collect(),
        }
    }
}

/// A charter revision and what it changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionOut {
    /// Number, from 1.
    pub revision: i64,
    /// Who made it.
    pub editor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Their note.
    pub note: String,
    /// The charter as it then was.
    pub charter: CharterOut,
    /// What changed from the revision before.
    pub changes: Vec<FieldChangeOut>,
}

/// An entry of a community's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryOut {
    /// When.
    pub at: DateTime<Utc>,
    /// created, charter_revised, role_changed, stage_changed, requested, ...
    pub kind: String,
    /// Who did it.
    pub actor: Option<String>,
    /// Their team at the time.
    pub team: Option<String>,
    /// The member concerned.
    pub person: Option<String>,
    /// The other community (merge, split), when you can see it.
    pub community: Option<CommunityLink>,
    /// Details.
    pub detail: String,
}

impl HistoryOut {
    /// The API view of `h`, with the other community if visible.
    pub fn of(h: HistoryEntry, community: Option<CommunityLink>) -> Self {
        let hidden = h.other_community.is_some() && community.is_none();
        HistoryOut {
            at: h.at,
            kind: h.kind.as_str().into(),
            actor: h.actor_name,
            team: h.team,
            person: h.person_name,
            community,
            // The other community's name is its own business when you cannot see it.
            detail: if hidden { String::new() } else { h.detail },
        }
    }
}

/// An event of the activity log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// When.
    pub at: DateTime<Utc>,
    /// The METRICS.md kind.
    pub kind: String,
    /// Who.
    pub actor: Option<PersonRef>,
    /// Their team at the time.
    pub team: Option<String>,
}

impl From<LoggedEvent> for EventOut {
    fn from(e: LoggedEvent) -> Self {
        EventOut {
            at: e.at,
            kind: e.kind,
            actor: e.actor_id.map(|id| PersonRef {
                id,
                display_name: e.actor_name.unwrap_or_default(),
            }),
            team: e.team,
        }
    }
}

/// A community a person belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonCommunityOut {
    /// The community.
    pub community: CommunityLink,
    /// Their role.
    pub role: String,
    /// Since.
    pub joined_at: DateTime<Utc>,
    /// Whether it is archived.
    pub archived: bool,
}

impl From<PersonCommunity> for PersonCommunityOut {
    fn from(p: PersonCommunity) -> Self {
        PersonCommunityOut {
            community: CommunityLink {
                slug: p.slug,
                name: p.name,
            },
            role: p.role.as_str().into(),
            joined_at: p.joined_at,
            archived: p.archived,
        }
    }
}

/// Paging through a history, newest first.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of the activity log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsPageOut {
    /// Events, newest first.
    pub items: Vec<EventOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A page of a community's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryPageOut {
    /// Entries, newest first.
    pub items: Vec<HistoryOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A page of the membership history.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpellsPageOut {
    /// Spells, newest first.
    pub items: Vec<SpellOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}
