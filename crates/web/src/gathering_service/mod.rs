//! Gatherings as both the pages and the API use them: who may see and do
//! what, series with their next occurrences, one occurrence with its
//! answers, seats, waitlist and attendance, facilitation suggestions,
//! time-zone fairness, calendar feeds, and notes promoted into artifacts.
//! Series and occurrences are addressed by id; one in a private community
//! is the same 404 to outsiders as one that does not exist.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use domain::Invalid;
use domain::community::{MemberRole, Visibility};
use domain::gathering::facilitation::{self, Declined, Facilitated};
use domain::gathering::fairness::{self, Comparison, Member as FairMember};
use domain::gathering::plan::{self, Draft, OccurrenceRef, Plan, Response, Seating};
use domain::gathering::{Occurrence, OccurrenceStatus, Series};
use domain::person::WorkingHours;
use store::communities::Community;
use store::gatherings::{Answer, FeedToken, SeriesRecord};

use crate::AppState;
use crate::api::communities_access::{Seen, may_see, require_writable};
use crate::auth::CurrentUser;
use crate::auth::secret;
use crate::error::WebError;
use crate::ical::{self, FeedSeries, Reader};

mod feeds;
mod promotion;
mod views;

pub use feeds::*;
pub use promotion::*;
pub use views::*;

/// How far ahead lists of next occurrences look.
pub const LOOK_AHEAD_DAYS: i64 = 120;
/// How many upcoming occurrences a whole-series RSVP is logged for.
pub const LOGGED_AHEAD: usize = 12;
/// How many next occurrences get a facilitator suggestion.
pub const SUGGESTED: usize = 4;
/// Most members weighed by the fairness view.
pub const FAIRNESS_MEMBERS: i64 = 500;

/// A series the viewer may see, with its community and their role.
#[derive(Debug, Clone)]
pub struct SeriesAccess {
    /// The series.
    pub record: SeriesRecord,
    /// Its schedule, edits applied.
    pub schedule: Series,
    /// Its community.
    pub community: Community,
    /// The viewer's role there.
    pub role: Option<MemberRole>,
    /// The viewer.
    pub user: Arc<CurrentUser>,
}

impl SeriesAccess {
    /// The viewer's id.
    pub fn me(&self) -> i64 {
        self.user.person.id
    }

    /// Stewards of the community and organisation admins.
    pub fn can_steward(&self) -> bool {
        self.role == Some(MemberRole::Steward) || self.user.is_admin()
    }

    fn require_steward(&self) -> Result<(), WebError> {
        if self.can_steward() {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "only this community's stewards can change its gatherings".into(),
            ))
        }
    }

    fn require_member(&self) -> Result<(), WebError> {
        if self.role.is_some() {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "join the community first: only members take part in its gatherings".into(),
            ))
        }
    }

    /// One occurrence of this series by recurrence id, as it now stands.
    pub fn occurrence(&self, rid: DateTime<Utc>) -> Result<Occurrence, WebError> {
        if !self.schedule.is_occurrence(rid) {
            return Err(WebError::NotFound);
        }
        Ok(occurrence_of(&self.schedule, rid))
    }
}

/// The occurrence `rid` of `schedule` (which must be one of its dates).
pub fn occurrence_of(schedule: &Series, rid: DateTime<Utc>) -> Occurrence {
    if schedule.cancelled().contains(&rid) {
        Occurrence {
            recurrence_id: rid,
            start: rid,
            end: rid + schedule.duration(),
            status: OccurrenceStatus::Cancelled,
        }
    } else if let Some(m) = schedule.moved().get(&rid) {
        Occurrence {
            recurrence_id: rid,
            start: m.start,
            end: m.start + m.duration,
            status: OccurrenceStatus::Moved,
        }
    } else {
        Occurrence {
            recurrence_id: rid,
            start: rid,
            end: rid + schedule.duration(),
            status: OccurrenceStatus::Scheduled,
        }
    }
}

fn broken(e: Invalid) -> WebError {
    WebError::Internal(format!("stored series does not load: {e}"))
}

/// Series `id` if `user` may see it; otherwise 404.
pub async fn series(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<SeriesAccess, WebError> {
    let record = state.store.series(id).await?;
    let community = state.store.community(record.community_id).await?;
    let role = state.store.role_in(community.id, user.person.id).await?;
    if community.charter.visibility == Visibility::Private && role.is_none() {
        return Err(WebError::NotFound);
    }
    if community.merged_into.is_some() && !may_see(state, &community, user.person.id).await? {
        return Err(WebError::NotFound);
    }
    let schedule = record.schedule().map_err(broken)?;
    Ok(SeriesAccess {
        record,
        schedule,
        community,
        role,
        user: user.clone(),
    })
}

/// The occurrence named `key` if `user` may see it; otherwise 404.
pub async fn occurrence(
    state: &AppState,
    user: &Arc<CurrentUser>,
    key: &str,
) -> Result<(SeriesAccess, Occurrence), WebError> {
    let r = OccurrenceRef::parse(key).ok_or(WebError::NotFound)?;
    let access = series(state, user, r.series).await?;
    let o = access.occurrence(r.recurrence_id)?;
    Ok((access, o))
}

/// A series with what lists show of it.
#[derive(Debug, Clone)]
pub struct SeriesSummary {
    /// The series.
    pub record: SeriesRecord,
    /// Its next occurrences (cancelled ones included, marked).
    pub next: Vec<Occurrence>,
}

/// The next occurrences of `schedule` from `now` (those under way included).
pub fn next_of(schedule: &Series, now: DateTime<Utc>, count: usize) -> Vec<Occurrence> {
    let from = now - schedule.duration();
    schedule
        .expand(from, now + TimeDelta::days(LOOK_AHEAD_DAYS))
        .map(|e| {
            e.occurrences
                .into_iter()
                .filter(|o| o.end > now)
                .take(count)
                .collect()
        })
        .unwrap_or_default()
}

/// The community's series with their next occurrences.
pub async fn list(state: &AppState, community: &Community) -> Result<Vec<SeriesSummary>, WebError> {
    let now = state.clock.now();
    let mut out = Vec::new();
    for record in state.store.community_series(community.id).await? {
        let schedule = record.schedule().map_err(broken)?;
        out.push(SeriesSummary {
            next: next_of(&schedule, now, 5),
            record,
        });
    }
    Ok(out)
}

/// The community's next gatherings across its series: (series, occurrence),
/// soonest first, cancelled ones left out.
pub async fn upcoming(
    state: &AppState,
    community: &Community,
    count: usize,
) -> Result<Vec<(SeriesRecord, Occurrence)>, WebError> {
    let mut all = Vec::new();
    for s in list(state, community).await? {
        for o in s.next {
            if o.status != OccurrenceStatus::Cancelled {
                all.push((s.record.clone(), o));
            }
        }
    }
    all.sort_by_key(|(r, o)| (o.start, r.id));
    all.truncate(count);
    Ok(all)
}

/// Creates a series in the community (stewards).
pub async fn create(state: &AppState, seen: &Seen, draft: &Draft) -> Result<i64, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let plan = draft.check()?;
    Ok(state
        .store
        .create_series(seen.community.id, &plan, seen.me(), state.clock.now())
        .await?)
}

/// Edits the whole series (stewards).
pub async fn update(state: &AppState, a: &SeriesAccess, draft: &Draft) -> Result<(), WebError> {
    a.require_steward()?;
    require_writable(&a.community)?;
    let plan = draft.check()?;
    Ok(state
        .store
        .update_series(a.record.id, &plan, state.clock.now())
        .await?)
}

/// "This and following": from the occurrence `from`, the series continues
/// as `draft` (stewards). Returns the new series' id; at the first
/// occurrence, the whole series is edited instead and its own id returned.
pub async fn split(
    state: &AppState,
    a: &SeriesAccess,
    from: &str,
    draft: &Draft,
) -> Result<i64, WebError> {
    a.require_steward()?;
    require_writable(&a.community)?;
    let r = OccurrenceRef::parse(from)
        .filter(|r| r.series == a.record.id && a.schedule.is_occurrence(r.recurrence_id))
        .ok_or_else(|| Invalid::new("from", "is not an occurrence of this series"))?;
    let plan: Plan = draft.check()?;
    if r.recurrence_id == a.schedule.first_start() {
        update(state, a, draft).await?;
        return Ok(a.record.id);
    }
    let (before, _) = a.schedule.split_at(r.recurrence_id)?;
    if plan.series.first_start() < r.recurrence_id - a.schedule.duration() {
        return Err(Invalid::new(
            "start",
            "the following part cannot start before the occurrence it continues from",
        )
        .into());
    }
    Ok(state
        .store
        .split_series(
            a.record.id,
            r.recurrence_id,
            &before,
            &plan,
            a.me(),
            state.clock.now(),
        )
        .await?)
}

/// Cancels (or restores) one occurrence (stewards).
pub async fn cancel(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    cancelled: bool,
) -> Result<(), WebError> {
    a.require_steward()?;
    require_writable(&a.community)?;
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state
        .store
        .set_cancelled(&r, cancelled, state.clock.now())
        .await?)
}

/// Moves one occurrence to the local `start` in the series' zone, lasting
/// `minutes` (stewards); an empty start puts it back.
pub async fn move_to(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    start: &str,
    minutes: Option<i64>,
) -> Result<(), WebError> {
    a.require_steward()?;
    require_writable(&a.community)?;
    if o.status == OccurrenceStatus::Cancelled {
        return Err(Invalid::new("occurrence", "is cancelled: restore it before moving it").into());
    }
    let r = a.record.occurrence_ref(o.recurrence_id);
    let moved = if start.trim().is_empty() {
        None
    } else {
        let local = plan::parse_local("start", start)?;
        let instant = chrono::TimeZone::from_local_datetime(&a.schedule.zone(), &local)
            .earliest()
            .ok_or_else(|| Invalid::new("start", "does not exist in the series' time zone"))?
            .with_timezone(&Utc);
        let minutes = minutes.unwrap_or(a.record.duration_minutes);
        let mut check = a.schedule.clone();
        check
            .move_occurrence(
                o.recurrence_id,
                instant,
                TimeDelta::minutes(minutes.clamp(-1, 1 << 30)),
            )
            .map_err(|mut e| {
                if e.field == "duration" {
                    e.field = "duration_minutes".into();
                }
                e
            })?;
        Some((instant, minutes))
    };
    Ok(state
        .store
        .move_occurrence(&r, moved, state.clock.now())
        .await?)
}

/// The viewer answers one occurrence (members).
pub async fn rsvp(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    response: &str,
) -> Result<(), WebError> {
    a.require_member()?;
    require_writable(&a.community)?;
    let response: Response = response.parse()?;
    if o.status == OccurrenceStatus::Cancelled {
        return Err(WebError::Conflict {
            field: "occurrence".into(),
            message: "this gathering is cancelled".into(),
        });
    }
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state
        .store
        .rsvp(&r, a.me(), response, state.clock.now())
        .await?)
}

/// The viewer answers the whole series (members).
pub async fn rsvp_series(
    state: &AppState,
    a: &SeriesAccess,
    response: &str,
) -> Result<(), WebError> {
    a.require_member()?;
    require_writable(&a.community)?;
    let response: Response = response.parse()?;
    let now = state.clock.now();
    let upcoming: Vec<DateTime<Utc>> = next_of(&a.schedule, now, LOGGED_AHEAD)
        .into_iter()
        .filter(|o| o.status != OccurrenceStatus::Cancelled)
        .map(|o| o.recurrence_id)
        .collect();
    Ok(state
        .store
        .rsvp_series(a.record.id, a.me(), response, &upcoming, now)
        .await?)
}

/// Whether the viewer may take attendance and notes: stewards and the
/// series' facilitation volunteers.
pub async fn can_facilitate(state: &AppState, a: &SeriesAccess) -> Result<bool, WebError> {
    if a.can_steward() {
        return Ok(true);
    }
    Ok(a.role.is_some()
        && state
            .store
            .volunteers(a.record.id)
            .await?
            .iter()
            .any(|(p, _)| *p == a.me()))
}

async fn require_facilitator(state: &AppState, a: &SeriesAccess) -> Result<(), WebError> {
    if can_facilitate(state, a).await? {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only stewards and this series' facilitators take attendance and notes".into(),
        ))
    }
}

/// Records attendance afterwards (facilitators and stewards): who
/// facilitated (the recorder when `None`) and who came, all current members.
pub async fn record_attendance(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    facilitator: Option<i64>,
    attendees: &[i64],
) -> Result<usize, WebError> {
    require_facilitator(state, a).await?;
    require_writable(&a.community)?;
    let now = state.clock.now();
    if o.start > now {
        return Err(Invalid::new(
            "occurrence",
            "has not started yet: take attendance afterwards",
        )
        .into());
    }
    if o.status == OccurrenceStatus::Cancelled {
        return Err(WebError::Conflict {
            field: "occurrence".into(),
            message: "this gathering is cancelled".into(),
        });
    }
    let facilitator = facilitator.unwrap_or(a.me());
    if state
        .store
        .role_in(a.community.id, facilitator)
        .await?
        .is_none()
    {
        return Err(Invalid::new("facilitator_id", "is not a member of this community").into());
    }
    for &p in attendees {
        if state.store.role_in(a.community.id, p).await?.is_none() {
            return Err(Invalid::new(
                "attendees",
                format!("person {p} is not a member of this community"),
            )
            .into());
        }
    }
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state
        .store
        .record_attendance(&r, facilitator, attendees, a.me(), now)
        .await?)
}

/// The viewer checks themselves in (members), from 30 minutes before the start.
pub async fn check_in(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
) -> Result<bool, WebError> {
    a.require_member()?;
    require_writable(&a.community)?;
    let now = state.clock.now();
    if now < o.start - TimeDelta::minutes(30) {
        return Err(
            Invalid::new("occurrence", "check-in opens 30 minutes before the start").into(),
        );
    }
    if o.status == OccurrenceStatus::Cancelled {
        return Err(WebError::Conflict {
            field: "occurrence".into(),
            message: "this gathering is cancelled".into(),
        });
    }
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state.store.check_in(&r, a.me(), now).await?)
}

/// Sets an occurrence's agenda, notes and recording link (facilitators and stewards).
pub async fn write_record(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    agenda: Option<&str>,
    notes: &str,
    recording_url: &str,
) -> Result<(), WebError> {
    require_facilitator(state, a).await?;
    require_writable(&a.community)?;
    let agenda = agenda
        .map(|t| domain::invalid::bounded_text("agenda", t, plan::MAX_TEXT))
        .transpose()?
        .filter(|t| !t.is_empty());
    let notes = plan::notes(notes)?;
    let url = plan::recording_url(recording_url)?;
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state
        .store
        .set_occurrence_record(&r, agenda.as_deref(), &notes, &url)
        .await?)
}

/// The viewer volunteers to facilitate (members), or withdraws.
pub async fn volunteer(state: &AppState, a: &SeriesAccess, yes: bool) -> Result<(), WebError> {
    a.require_member()?;
    require_writable(&a.community)?;
    if yes {
        Ok(state
            .store
            .volunteer(a.record.id, a.me(), state.clock.now())
            .await?)
    } else {
        Ok(state.store.withdraw_volunteer(a.record.id, a.me()).await?)
    }
}

/// The viewer (a volunteer) cannot facilitate one occurrence, or can again.
pub async fn decline_facilitation(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    declined: bool,
) -> Result<(), WebError> {
    a.require_member()?;
    require_writable(&a.community)?;
    let r = a.record.occurrence_ref(o.recurrence_id);
    Ok(state
        .store
        .decline_facilitation(&r, a.me(), declined)
        .await?)
}
