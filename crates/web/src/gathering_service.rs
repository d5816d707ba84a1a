//! Gatherings as both the pages and the API use them: who may see and do
//! what, series with their next occurrences, one occurrence with its
//! answers, seats, waitlist and attendance, facilitation suggestions,
//! time-zone fairness, and calendar feeds. Series and occurrences are
//! addressed by id; one in a private community is the same 404 to outsiders
//! as one that does not exist.

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

/// One occurrence with its answers, seats and attendance.
#[derive(Debug, Clone)]
pub struct OccurrenceView {
    /// The occurrence.
    pub occurrence: Occurrence,
    /// Its name.
    pub key: String,
    /// Every answer that applies.
    pub answers: Vec<Answer>,
    /// Seats and waitlist, by name.
    pub seating: Seating<(i64, String)>,
    /// The viewer's answer.
    pub mine: Option<Response>,
    /// Who attended.
    pub attendance: Vec<(i64, String)>,
    /// Who facilitated, once held.
    pub facilitator: Option<(i64, String)>,
    /// When it was recorded as held.
    pub held_at: Option<DateTime<Utc>>,
    /// Its agenda: its own, or the series' template.
    pub agenda: String,
    /// Notes.
    pub notes: String,
    /// Recording link.
    pub recording_url: String,
}

/// The view of one occurrence.
pub async fn occurrence_view(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
) -> Result<OccurrenceView, WebError> {
    let r = a.record.occurrence_ref(o.recurrence_id);
    let answers = state.store.answers(&r).await?;
    let tuples: Vec<((i64, String), Response, DateTime<Utc>)> = answers
        .iter()
        .map(|x| ((x.person_id, x.display_name.clone()), x.response, x.at))
        .collect();
    let seating = plan::seat(&tuples, a.record.capacity);
    let known = a.record.occurrence(o.recurrence_id);
    let facilitator = match known.and_then(|k| k.facilitator_id.zip(k.held_at)) {
        Some((p, _)) => Some((p, state.store.person(p).await?.display_name)),
        None => None,
    };
    Ok(OccurrenceView {
        occurrence: *o,
        key: r.key(),
        mine: answers
            .iter()
            .find(|x| x.person_id == a.me())
            .map(|x| x.response),
        answers,
        seating,
        attendance: state.store.attendance(&r).await?,
        facilitator,
        held_at: known.and_then(|k| k.held_at),
        agenda: known
            .and_then(|k| k.agenda.clone())
            .unwrap_or_else(|| a.record.agenda.clone()),
        notes: known.map(|k| k.notes.clone()).unwrap_or_default(),
        recording_url: known.map(|k| k.recording_url.clone()).unwrap_or_default(),
    })
}

/// A suggested facilitator for an upcoming occurrence.
#[derive(Debug, Clone)]
pub struct SuggestionView {
    /// The occurrence.
    pub occurrence: Occurrence,
    /// Its name.
    pub key: String,
    /// Who should facilitate, if anyone can.
    pub facilitator: Option<(i64, String)>,
}

/// Facilitation for the next occurrences: volunteers, history and suggestions.
#[derive(Debug, Clone)]
pub struct FacilitationView {
    /// Volunteers by name.
    pub volunteers: Vec<(i64, String)>,
    /// Who facilitated what, newest first.
    pub history: Vec<store::gatherings::Facilitation>,
    /// The suggestions for the next occurrences not yet held.
    pub suggestions: Vec<SuggestionView>,
    /// Occurrences the viewer declined to facilitate.
    pub my_declines: Vec<DateTime<Utc>>,
}

/// The rotation's suggestions for the next [`SUGGESTED`] occurrences.
pub async fn facilitation_view(
    state: &AppState,
    a: &SeriesAccess,
) -> Result<FacilitationView, WebError> {
    let volunteers = state.store.volunteers(a.record.id).await?;
    let mut history = state.store.facilitations(Some(a.record.id), None).await?;
    let declines = state.store.facilitation_declines(a.record.id).await?;
    let held: Vec<DateTime<Utc>> = history.iter().map(|f| f.recurrence_id).collect();
    let next: Vec<Occurrence> = next_of(&a.schedule, state.clock.now(), SUGGESTED * 2)
        .into_iter()
        .filter(|o| o.status != OccurrenceStatus::Cancelled && !held.contains(&o.recurrence_id))
        .take(SUGGESTED)
        .collect();
    let ids: Vec<i64> = volunteers.iter().map(|(p, _)| *p).collect();
    let past: Vec<Facilitated<i64>> = history
        .iter()
        .map(|f| Facilitated {
            person: f.person_id,
            at: f.recurrence_id,
        })
        .collect();
    let declined: Vec<Declined<i64>> = declines
        .iter()
        .map(|&(person, occurrence)| Declined { person, occurrence })
        .collect();
    let upcoming: Vec<DateTime<Utc>> = next.iter().map(|o| o.recurrence_id).collect();
    let names: BTreeMap<i64, String> = volunteers.iter().cloned().collect();
    let suggestions = facilitation::suggest(&ids, &past, &declined, &upcoming)
        .into_iter()
        .zip(&next)
        .map(|(s, o)| SuggestionView {
            occurrence: *o,
            key: a.record.occurrence_ref(o.recurrence_id).key(),
            facilitator: s
                .facilitator
                .map(|p| (p, names.get(&p).cloned().unwrap_or_default())),
        })
        .collect();
    history.reverse();
    Ok(FacilitationView {
        volunteers,
        history,
        suggestions,
        my_declines: declines
            .iter()
            .filter(|(p, _)| *p == a.me())
            .map(|(_, at)| *at)
            .collect(),
    })
}

/// The fairness view of a series: the candidate slots (local times in the
/// series' zone on the next occurrence's date), the current one, and the
/// burden before and after the suggested rotation, with members' names.
#[derive(Debug, Clone)]
pub struct FairnessView {
    /// Candidate start instants.
    pub slots: Vec<DateTime<Utc>>,
    /// Index of the series' current start among them.
    pub current: usize,
    /// The comparison, members by person id.
    pub comparison: Comparison<i64>,
    /// Names by person id.
    pub names: BTreeMap<i64, String>,
    /// Working hours by person id.
    pub hours: BTreeMap<i64, WorkingHours>,
    /// The series' zone.
    pub zone: chrono_tz::Tz,
}

/// Local times weighed as candidate starts besides the current one.
const CANDIDATE_HOURS: [u32; 9] = [6, 8, 10, 12, 14, 16, 18, 20, 22];

/// Time-zone fairness for the series' members.
pub async fn fairness_view(state: &AppState, a: &SeriesAccess) -> Result<FairnessView, WebError> {
    let zone = a.schedule.zone();
    let next = next_of(&a.schedule, state.clock.now(), 1);
    let basis = next
        .first()
        .map(|o| o.recurrence_id)
        .unwrap_or(a.schedule.first_start());
    let local = basis.with_timezone(&zone).naive_local();
    let current_time = local.time();
    let mut times: Vec<NaiveTime> = CANDIDATE_HOURS
        .iter()
        .filter_map(|&h| NaiveTime::from_hms_opt(h, chrono::Timelike::minute(&current_time), 0))
        .collect();
    if !times.contains(&current_time) {
        times.push(current_time);
    }
    times.sort();
    times.dedup();
    let current = times.iter().position(|t| *t == current_time).unwrap_or(0);
    let slots = fairness::slots_on(zone, local.date(), &times).or_else(|_| {
        // A candidate the clocks skip that day: weigh the current time alone.
        fairness::slots_on(zone, local.date(), &[current_time])
    })?;
    let current = if slots.len() == 1 { 0 } else { current };
    let listing = state
        .store
        .members(a.community.id, None, None, FAIRNESS_MEMBERS)
        .await?;
    let mut members = Vec::new();
    let mut names = BTreeMap::new();
    let mut hours = BTreeMap::new();
    for m in listing {
        let p = state.store.person(m.person_id).await?;
        let Ok(zone) = domain::person::time_zone(&p.time_zone) else {
            continue;
        };
        let h = WorkingHours::from_minutes(p.work_start, p.work_end);
        names.insert(p.id, p.display_name.clone());
        hours.insert(p.id, h);
        members.push(FairMember {
            person: p.id,
            zone,
            hours: h,
        });
    }
    let comparison = fairness::compare(&members, &slots, a.schedule.duration(), current)?;
    Ok(FairnessView {
        slots,
        current,
        comparison,
        names,
        hours,
        zone,
    })
}

/// A new feed token: the secret (shown once) and its record.
pub async fn create_feed(
    state: &AppState,
    user: &CurrentUser,
    community: Option<&Community>,
) -> Result<(String, FeedToken), WebError> {
    let secret = secret::new_secret("ghf_");
    let prefix: String = secret.chars().take(10).collect();
    let id = state
        .store
        .create_feed_token(
            user.person.id,
            community.map(|c| c.id),
            &secret::digest(&secret),
            &prefix,
            state.clock.now(),
        )
        .await?;
    let token = state
        .store
        .feed_tokens(user.person.id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(WebError::NotFound)?;
    Ok((secret, token))
}

/// The address of the feed of `secret`, relative to the site.
pub fn feed_path(secret: &str) -> String {
    format!("/feeds/calendar.ics?token={secret}")
}

async fn feed_series(
    state: &AppState,
    person: i64,
    records: Vec<SeriesRecord>,
) -> Result<Vec<FeedSeries>, WebError> {
    let answers = state.store.answers_of(person, None).await?;
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let mut out = Vec::new();
    for record in records {
        let community = match names.get(&record.community_id) {
            Some(n) => n.clone(),
            None => {
                let n = state
                    .store
                    .community(record.community_id)
                    .await?
                    .charter
                    .name;
                names.insert(record.community_id, n.clone());
                n
            }
        };
        let mine = answers.iter().filter(|x| x.series_id == record.id);
        let mut answer = None;
        let mut single = BTreeMap::new();
        for x in mine {
            match x.recurrence_id {
                None => answer = Some(x.response),
                Some(rid) => {
                    single.insert(rid, x.response);
                }
            }
        }
        out.push(FeedSeries {
            record,
            community,
            answer,
            answers: single,
        });
    }
    Ok(out)
}

/// The calendar of one community as `user` sees it.
pub async fn community_calendar(
    state: &AppState,
    user: &CurrentUser,
    community: &Community,
) -> Result<String, WebError> {
    let records = state.store.community_series(community.id).await?;
    let series = feed_series(state, user.person.id, records).await?;
    let reader = Reader {
        email: user.person.email.clone(),
        name: user.person.display_name.clone(),
    };
    Ok(ical::calendar(
        &community.charter.name,
        &series,
        Some(&reader),
        state.clock.now(),
    ))
}

/// The calendar a feed token opens; 404 for an unknown or revoked token,
/// or a community its owner may no longer see.
pub async fn feed(state: &AppState, secret_text: &str) -> Result<String, WebError> {
    if secret_text.is_empty() || secret_text.len() > 200 {
        return Err(WebError::NotFound);
    }
    let token = state
        .store
        .feed_token(&secret::digest(secret_text))
        .await?
        .ok_or(WebError::NotFound)?;
    let person = state.store.person(token.person_id).await?;
    let reader = Reader {
        email: person.email.clone(),
        name: person.display_name.clone(),
    };
    let now = state.clock.now();
    match token.community_id {
        Some(c) => {
            let community = state.store.community(c).await?;
            if !may_see(state, &community, person.id).await? {
                return Err(WebError::NotFound);
            }
            let records = state.store.community_series(c).await?;
            let series = feed_series(state, person.id, records).await?;
            Ok(ical::calendar(
                &community.charter.name,
                &series,
                Some(&reader),
                now,
            ))
        }
        None => {
            let records = state.store.member_series(person.id).await?;
            let series = feed_series(state, person.id, records).await?;
            Ok(ical::calendar(
                &format!("Gatherings of {}", person.display_name),
                &series,
                Some(&reader),
                now,
            ))
        }
    }
}
