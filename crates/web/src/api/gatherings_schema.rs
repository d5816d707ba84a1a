//! Request and response bodies of the gatherings API.

use chrono::{DateTime, Utc};
use domain::gathering::plan::Draft;
use domain::gathering::{Occurrence, OccurrenceStatus};
use serde::{Deserialize, Serialize};
use store::gatherings::{FeedToken, SeriesRecord};
use utoipa::ToSchema;

use crate::gathering_service::{FairnessView, OccurrenceView, SuggestionView};

/// A series as asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesIn {
    /// Title.
    pub title: String,
    /// `call`, `deep_dive`, `workshop`, `retreat` or `office_hours` (default `call`).
    #[serde(default)]
    pub format: String,
    /// RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU`; empty for a one-off gathering.
    #[serde(default)]
    pub rrule: String,
    /// IANA time zone of the series, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// Local start of the first occurrence, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Place or call link.
    #[serde(default)]
    pub location: String,
    /// Agenda template.
    #[serde(default)]
    pub agenda: String,
    /// Most seats; absent for no limit.
    #[serde(default)]
    pub capacity: Option<i64>,
    /// Rotate facilitation among volunteers.
    #[serde(default)]
    pub rotate: bool,
}

impl From<&SeriesIn> for Draft {
    fn from(b: &SeriesIn) -> Draft {
        Draft {
            title: b.title.clone(),
            format: b.format.clone(),
            rrule: b.rrule.clone(),
            time_zone: b.time_zone.clone(),
            start: b.start.clone(),
            duration_minutes: b.duration_minutes,
            location: b.location.clone(),
            agenda: b.agenda.clone(),
            capacity: b.capacity,
            rotate: b.rotate,
        }
    }
}

/// "This and following": the series from occurrence `from` on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    /// The occurrence the new part starts with.
    pub from: String,
    /// The new part.
    pub series: SeriesIn,
}

/// One occurrence in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceOut {
    /// Its id (`{series}-{recurrence id}`).
    pub id: String,
    /// The series.
    pub series_id: i64,
    /// When the rule scheduled it.
    pub recurrence_id: DateTime<Utc>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
    /// `scheduled`, `moved` or `cancelled`.
    pub status: String,
}

/// The stored name of a status.
pub fn status_name(s: OccurrenceStatus) -> &'static str {
    match s {
        OccurrenceStatus::Scheduled => "scheduled",
        OccurrenceStatus::Moved => "moved",
        OccurrenceStatus::Cancelled => "cancelled",
    }
}

impl OccurrenceOut {
    /// From a series' occurrence.
    pub fn of(series: i64, o: &Occurrence) -> Self {
        OccurrenceOut {
            id: domain::gathering::plan::OccurrenceRef {
                series,
                recurrence_id: o.recurrence_id,
            }
            .key(),
            series_id: series,
            recurrence_id: o.recurrence_id,
            start: o.start,
            end: o.end,
            status: status_name(o.status).into(),
        }
    }
}

/// A series.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesOut {
    /// Id.
    pub id: i64,
    /// The community's address.
    pub community: String,
    /// Title.
    pub title: String,
    /// Format.
    pub format: String,
    /// RRULE value.
    pub rrule: String,
    /// IANA zone.
    pub time_zone: String,
    /// Local start of the first occurrence.
    pub start: String,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Place or call link.
    pub location: String,
    /// Agenda template.
    pub agenda: String,
    /// Most seats.
    pub capacity: Option<i64>,
    /// Whether facilitation rotates.
    pub rotate: bool,
    /// The series this one continues.
    pub split_from: Option<i64>,
    /// The next occurrences.
    pub next: Vec<OccurrenceOut>,
}

impl SeriesOut {
    /// From a record and its next occurrences.
    pub fn of(community: &str, r: &SeriesRecord, next: &[Occurrence]) -> Self {
        SeriesOut {
            id: r.id,
            community: community.to_owned(),
            title: r.title.clone(),
            format: r.format.as_str().into(),
            rrule: r.rrule.clone(),
            time_zone: r.time_zone.clone(),
            start: r.local_start.format("%Y-%m-%dT%H:%M").to_string(),
            duration_minutes: r.duration_minutes,
            location: r.location.clone(),
            agenda: r.agenda.clone(),
            capacity: r.capacity,
            rotate: r.rotate,
            split_from: r.split_from,
            next: next.iter().map(|o| OccurrenceOut::of(r.id, o)).collect(),
        }
    }
}

/// Someone named.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonName {
    /// Id.
    pub id: i64,
    /// Name.
    pub display_name: String,
}

fn names(v: &[(i64, String)]) -> Vec<PersonName> {
    v.iter()
        .map(|(id, n)| PersonName {
            id: *id,
            display_name: n.clone(),
        })
        .collect()
}

/// One occurrence in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceDetail {
    /// The occurrence.
    #[serde(flatten)]
    pub occurrence: OccurrenceOut,
    /// The series' title.
    pub title: String,
    /// Said yes and have a seat.
    pub going: Vec<PersonName>,
    /// Said yes and wait for a seat, in order.
    pub waitlist: Vec<PersonName>,
    /// Said maybe.
    pub maybe: Vec<PersonName>,
    /// Said no.
    pub declined: Vec<PersonName>,
    /// Your answer.
    pub your_response: Option<String>,
    /// Who attended.
    pub attended: Vec<PersonName>,
    /// Who facilitated, once held.
    pub facilitator: Option<PersonName>,
    /// When it was recorded as held.
    pub held_at: Option<DateTime<Utc>>,
    /// Agenda.
    pub agenda: String,
    /// Notes.
    pub notes: String,
    /// Recording link.
    pub recording_url: String,
    /// Artifacts promoted from its notes.
    pub artifacts: Vec<PromotedOut>,
}

impl OccurrenceDetail {
    /// From the shared view.
    pub fn of(series: &SeriesRecord, v: &OccurrenceView) -> Self {
        OccurrenceDetail {
            occurrence: OccurrenceOut::of(series.id, &v.occurrence),
            title: series.title.clone(),
            going: names(&v.seating.going),
            waitlist: names(&v.seating.waitlist),
            maybe: names(&v.seating.maybe),
            declined: names(&v.seating.declined),
            your_response: v.mine.map(|r| r.as_str().into()),
            attended: names(&v.attendance),
            facilitator: v.facilitator.as_ref().map(|(id, n)| PersonName {
                id: *id,
                display_name: n.clone(),
            }),
            held_at: v.held_at,
            agenda: v.agenda.clone(),
            notes: v.notes.clone(),
            recording_url: v.recording_url.clone(),
            artifacts: v.artifacts.iter().map(PromotedOut::from).collect(),
        }
    }
}

/// Notes to promote into a draft artifact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromoteIn {
    /// The artifact's kind: `story`, `guide`, `pattern`, `checklist`, `tool`
    /// or `heuristic` (a decision record needs its decision written out).
    pub kind: String,
    /// Title; absent or empty for the series' title and the date.
    #[serde(default)]
    pub title: String,
}

/// An artifact promoted from an occurrence's notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotedOut {
    /// The artifact's id.
    pub id: i64,
    /// Its kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// `draft` until it is reworked and published.
    pub state: String,
}

impl From<&store::practice::LinkedArtifact> for PromotedOut {
    fn from(a: &store::practice::LinkedArtifact) -> Self {
        PromotedOut {
            id: a.id,
            kind: a.kind.as_str().into(),
            title: a.title.clone(),
            state: a.state.as_str().into(),
        }
    }
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpIn {
    /// `yes`, `no` or `maybe`.
    pub response: String,
}

/// Attendance taken afterwards.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    /// Who facilitated; you, when absent.
    #[serde(default)]
    pub facilitator_id: Option<i64>,
    /// Who came (member ids).
    #[serde(default)]
    pub attendees: Vec<i64>,
}

/// Cancel or restore an occurrence.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    /// True to cancel, false to restore.
    #[serde(default = "yes")]
    pub cancelled: bool,
}

fn yes() -> bool {
    true
}

/// Move an occurrence.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveIn {
    /// New local start in the series' zone (`YYYY-MM-DDTHH:MM`); empty to put it back.
    #[serde(default)]
    pub start: String,
    /// New length in minutes; the series' when absent.
    #[serde(default)]
    pub duration_minutes: Option<i64>,
}

/// An occurrence's own agenda, notes and recording.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordIn {
    /// Its own agenda; absent or empty for the series' template.
    #[serde(default)]
    pub agenda: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Link to a recording (`https://...`).
    #[serde(default)]
    pub recording_url: String,
}

/// Facilitation of a series.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitationOut {
    /// Volunteers.
    pub volunteers: Vec<PersonName>,
    /// Suggested facilitators of the next occurrences.
    pub suggestions: Vec<SuggestionOut>,
    /// Who facilitated what, newest first.
    pub history: Vec<FacilitatedOut>,
}

/// A suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOut {
    /// The occurrence.
    pub occurrence: String,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// Who should facilitate; absent when every volunteer declined.
    pub facilitator: Option<PersonName>,
}

impl From<&SuggestionView> for SuggestionOut {
    fn from(s: &SuggestionView) -> Self {
        SuggestionOut {
            occurrence: s.key.clone(),
            start: s.occurrence.start,
            facilitator: s.facilitator.as_ref().map(|(id, n)| PersonName {
                id: *id,
                display_name: n.clone(),
            }),
        }
    }
}

/// A held occurrence and who facilitated it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitatedOut {
    /// The occurrence.
    pub occurrence: String,
    /// Who.
    pub facilitator: PersonName,
}

/// Decline or accept facilitating one occurrence.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineIn {
    /// The occurrence.
    pub occurrence: String,
    /// True to decline, false to take it back.
    #[serde(default = "yes")]
    pub declined: bool,
}

/// Time-zone fairness of a series.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairnessOut {
    /// Candidate start instants.
    pub slots: Vec<DateTime<Utc>>,
    /// Index of the current start among them.
    pub current: usize,
    /// The suggested rotation (indices into `slots`).
    pub rotation: Vec<usize>,
    /// The worst-off member's burden (minutes outside working hours per 12 occurrences), fixed and rotated.
    pub worst_before: i64,
    /// After.
    pub worst_after: i64,
    /// Each member, before and after.
    pub members: Vec<MemberBurdenOut>,
    /// Each zone, before and after.
    pub zones: Vec<ZoneBurdenOut>,
}

/// One member's burden.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberBurdenOut {
    /// Who.
    pub id: i64,
    /// Name.
    pub display_name: String,
    /// Their zone.
    pub time_zone: String,
    /// The current start on their clock.
    pub local_start: String,
    /// Whether it falls outside their working hours.
    pub out_of_hours: bool,
    /// Burden at the fixed time.
    pub burden_before: i64,
    /// Burden under the rotation.
    pub burden_after: i64,
}

/// One zone's burden.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneBurdenOut {
    /// The zone.
    pub time_zone: String,
    /// Members in it.
    pub members: usize,
    /// Total burden at the fixed time.
    pub total_before: i64,
    /// Under the rotation.
    pub total_after: i64,
}

impl From<&FairnessView> for FairnessOut {
    fn from(v: &FairnessView) -> Self {
        let c = &v.comparison;
        FairnessOut {
            slots: v.slots.clone(),
            current: v.current,
            rotation: c.suggested.rotation.clone(),
            worst_before: c.fixed.worst,
            worst_after: c.suggested.worst,
            members: c
                .fixed
                .members
                .iter()
                .zip(&c.suggested.members)
                .map(|(b, a)| MemberBurdenOut {
                    id: b.person,
                    display_name: v.names.get(&b.person).cloned().unwrap_or_default(),
                    time_zone: b.zone.name().into(),
                    local_start: b
                        .slots
                        .first()
                        .map(|s| s.local_start.format("%Y-%m-%dT%H:%M").to_string())
                        .unwrap_or_default(),
                    out_of_hours: b.slots.first().is_some_and(|s| s.out_of_hours()),
                    burden_before: b.burden,
                    burden_after: a.burden,
                })
                .collect(),
            zones: c
                .fixed
                .zones
                .iter()
                .map(|z| ZoneBurdenOut {
                    time_zone: z.zone.name().into(),
                    members: z.members,
                    total_before: z.total,
                    total_after: c
                        .suggested
                        .zones
                        .iter()
                        .find(|s| s.zone == z.zone)
                        .map_or(0, |s| s.total),
                })
                .collect(),
        }
    }
}

/// A new feed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedIn {
    /// A community's address for its feed; absent for all your communities.
    #[serde(default)]
    pub community: Option<String>,
}

/// A feed token (never its secret, except when made).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedOut {
    /// Id.
    pub id: i64,
    /// The community it shows; absent: all yours.
    pub community: Option<String>,
    /// The first characters of the token.
    pub prefix: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&FeedToken> for FeedOut {
    fn from(t: &FeedToken) -> Self {
        FeedOut {
            id: t.id,
            community: t.community_slug.clone(),
            prefix: t.prefix.clone(),
            created_at: t.created_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A feed just made: its address holds the secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewFeedOut {
    /// The feed.
    #[serde(flatten)]
    pub feed: FeedOut,
    /// The address to subscribe to (relative to the site).
    pub url: String,
}
