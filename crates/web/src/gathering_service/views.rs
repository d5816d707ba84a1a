//! What the gathering pages and API show of one occurrence (answers,
//! seats, waitlist, attendance), of facilitation (volunteers, history and
//! the next suggestions) and of time-zone fairness.

use super::*;

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
    /// Artifacts promoted from its notes.
    pub artifacts: Vec<store::practice::LinkedArtifact>,
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
        artifacts: state.store.artifacts_from_occurrence(&r).await?,
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
