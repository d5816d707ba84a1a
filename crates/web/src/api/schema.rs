//! The API's request and response bodies, with their OpenAPI schemas.

use chrono::{DateTime, Utc};
use domain::person::WorkingHours;
use serde::{Deserialize, Serialize};
use store::communities::CommunitySummary;
use store::people::{PersonProfile, Team};
use store::tokens::TokenInfo;
use utoipa::{IntoParams, ToSchema};

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpIn {
    /// E-mail address; becomes the log-in name.
    #[schema(example = "ada@example.org", max_length = 254)]
    pub email: String,
    /// Name shown to others.
    #[schema(example = "Ada Lovelace", max_length = 100)]
    pub display_name: String,
    /// At least 10 characters.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogInIn {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`; shown once.
    pub token: String,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
    /// Who is signed in.
    pub person: PersonOut,
}

/// A declared skill.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillIo {
    /// Skill name, e.g. "kubernetes".
    pub name: String,
    /// One of beginner, practitioner, expert.
    #[schema(example = "practitioner")]
    pub level: String,
}

/// Local working hours.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkingHoursOut {
    /// Start, `HH:MM` local time.
    #[schema(example = "08:00")]
    pub start: String,
    /// End, `HH:MM` local time.
    #[schema(example = "18:00")]
    pub end: String,
}

/// A person and their profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    /// Id.
    pub id: i64,
    /// Name shown to others.
    pub display_name: String,
    /// E-mail: only in your own record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Team, if any.
    pub team: Option<String>,
    /// Location.
    pub location: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Working hours in that zone.
    pub working_hours: WorkingHoursOut,
    /// Biography.
    pub bio: String,
    /// Declared skills.
    pub skills: Vec<SkillIo>,
    /// Topics of interest.
    pub interests: Vec<String>,
    /// Topics they can teach.
    pub can_teach: Vec<String>,
    /// Topics they want to learn.
    pub wants_to_learn: Vec<String>,
    /// `admin` or `member`.
    pub org_role: String,
    /// When they joined.
    pub created_at: DateTime<Utc>,
}

impl PersonOut {
    /// The API view of `p`; `with_email` for the person themselves.
    pub fn of(p: PersonProfile, with_email: bool) -> Self {
        let hours = WorkingHours::from_minutes(p.person.work_start, p.person.work_end);
        PersonOut {
            id: p.person.id,
            display_name: p.person.display_name,
            email: with_email.then_some(p.person.email),
            team: p.person.team,
            location: p.person.location,
            time_zone: p.person.time_zone,
            working_hours: WorkingHoursOut {
                start: hours.start_text(),
                end: hours.end_text(),
            },
            bio: p.person.bio,
            skills: p
                .skills
                .into_iter()
                .map(|s| SkillIo {
                    name: s.name,
                    level: s.level.as_str().to_owned(),
                })
                .collect(),
            interests: p.interests,
            can_teach: p.can_teach,
            wants_to_learn: p.wants_to_learn,
            org_role: p.person.org_role.as_str().to_owned(),
            created_at: p.person.created_at,
        }
    }
}

/// A whole profile; fields left out are cleared (lists) or take their defaults
/// (time zone UTC, working hours 08:00-18:00).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileIn {
    /// Name shown to others.
    pub display_name: String,
    /// Team name; created if new.
    pub team: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin.
    pub time_zone: Option<String>,
    /// Start of the working day, `HH:MM`.
    pub work_start: Option<String>,
    /// End of the working day, `HH:MM`.
    pub work_end: Option<String>,
    /// Biography.
    pub bio: Option<String>,
    /// Skills with levels.
    #[serde(default)]
    pub skills: Vec<SkillIo>,
    /// Topics of interest.
    #[serde(default)]
    pub interests: Vec<String>,
    /// Topics you can teach.
    #[serde(default)]
    pub can_teach: Vec<String>,
    /// Topics you want to learn.
    #[serde(default)]
    pub wants_to_learn: Vec<String>,
}

/// Directory search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Part of a name.
    pub q: Option<String>,
    /// Team name.
    pub team: Option<String>,
    /// Skill name.
    pub skill: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of people.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleOut {
    /// The people on this page.
    pub items: Vec<PersonOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamOut {
    /// Name.
    pub name: String,
    /// Head count.
    pub members: i64,
}

impl From<Team> for TeamOut {
    fn from(t: Team) -> Self {
        TeamOut {
            name: t.name,
            members: t.members,
        }
    }
}

/// A new token's label.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    /// What the token is for.
    #[schema(example = "reporting script", max_length = 100)]
    pub name: String,
}

/// A token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    /// Id.
    pub id: i64,
    /// Label.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// When made.
    pub created_at: DateTime<Utc>,
    /// When last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<TokenInfo> for TokenOut {
    fn from(t: TokenInfo) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A new token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenOut {
    /// The secret: send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The token's record.
    #[serde(flatten)]
    pub info: TokenOut,
}

/// An organisation role change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// `admin` or `member`.
    pub role: String,
}

/// A community in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityOut {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// The domain, as a question.
    pub domain_question: String,
    /// Kind of practice.
    #[serde(rename = "type")]
    pub community_type: String,
    /// What it aspires to.
    pub orientation: String,
    /// `open` or `private`.
    pub visibility: String,
    /// Life stage.
    pub stage: String,
    /// Current members.
    pub members: i64,
    /// When proposed.
    pub created_at: DateTime<Utc>,
    /// Archived (read-only) since.
    pub archived_at: Option<DateTime<Utc>>,
    /// Your role in it, if you are a member.
    pub your_role: Option<String>,
}

impl From<CommunitySummary> for CommunityOut {
    fn from(c: CommunitySummary) -> Self {
        CommunityOut {
            slug: c.slug,
            name: c.name,
            domain_question: c.domain_question,
            community_type: c.community_type,
            orientation: c.orientation,
            visibility: c.visibility,
            stage: c.stage,
            members: c.members,
            created_at: c.created_at,
            archived_at: c.archived_at,
            your_role: c.viewer_role,
        }
    }
}
