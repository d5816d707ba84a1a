//! Gatherings in the browser: a community's series and the form to start
//! one, a series with its next occurrences (RSVP, facilitation suggestions,
//! volunteering), one occurrence (answers, seats and waitlist, attendance,
//! check-in, notes and recording), the time-zone fairness view, and the
//! community home's next gatherings. Calendar feeds have their own module.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use domain::gathering::plan::Draft;
use domain::gathering::{Format, Occurrence, OccurrenceStatus};
use serde::Deserialize;
use store::gatherings::SeriesRecord;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::{CurrentUser, PageMember};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::gathering_service::{
    self as gs, FacilitationView, FairnessView, OccurrenceView, SeriesAccess,
};

/// An occurrence as lists show it.
#[derive(Debug, Clone)]
pub struct OccurrenceLine {
    /// Its id.
    pub key: String,
    /// Series title.
    pub title: String,
    /// Start in the series' zone, e.g. `Tue 17 Mar 2026, 09:00 (Europe/Berlin)`.
    pub when: String,
    /// Start on the viewer's clock.
    pub yours: String,
    /// Cancelled.
    pub cancelled: bool,
    /// Moved.
    pub moved: bool,
}

fn when(at: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{} ({})",
        at.with_timezone(&zone).format("%a %-d %b %Y, %H:%M"),
        zone.name()
    )
}

fn viewer_zone(user: &CurrentUser) -> Tz {
    domain::person::time_zone(&user.person.time_zone).unwrap_or(Tz::UTC)
}

/// One line for `o` of `record`.
pub fn line(record: &SeriesRecord, o: &Occurrence, viewer: Tz) -> OccurrenceLine {
    let zone = domain::person::time_zone(&record.time_zone).unwrap_or(Tz::UTC);
    OccurrenceLine {
        key: record.occurrence_ref(o.recurrence_id).key(),
        title: record.title.clone(),
        when: when(o.start, zone),
        yours: when(o.start, viewer),
        cancelled: o.status == OccurrenceStatus::Cancelled,
        moved: o.status == OccurrenceStatus::Moved,
    }
}

/// The community home's next gatherings.
pub async fn next_for_home(state: &AppState, seen: &Seen) -> Result<Vec<OccurrenceLine>, WebError> {
    let viewer = viewer_zone(&seen.user);
    Ok(gs::upcoming(state, &seen.community, 3)
        .await?
        .iter()
        .map(|(r, o)| line(r, o, viewer))
        .collect())
}

struct SeriesLine {
    id: i64,
    title: String,
    format: &'static str,
    rule: String,
    next: Vec<OccurrenceLine>,
}

#[derive(Template)]
#[template(path = "gatherings.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    name: String,
    can_steward: bool,
    writable: bool,
    series: Vec<SeriesLine>,
    formats: Vec<(&'static str, &'static str)>,
    f: SeriesForm,
    error: Option<String>,
}

/// The series form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SeriesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    rrule: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    rotate: Option<String>,
}

impl SeriesForm {
    fn draft(&self) -> Result<Draft, WebError> {
        let number = |field: &str, v: &str| -> Result<Option<i64>, WebError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            v.parse::<i64>()
                .map(Some)
                .map_err(|_| domain::Invalid::new(field, "must be a whole number").into())
        };
        Ok(Draft {
            title: self.title.clone(),
            format: self.format.clone(),
            rrule: self.rrule.clone(),
            time_zone: self.time_zone.clone(),
            start: self.start.clone(),
            duration_minutes: number("duration_minutes", &self.duration_minutes)?.unwrap_or(0),
            location: self.location.clone(),
            agenda: self.agenda.clone(),
            capacity: number("capacity", &self.capacity)?,
            rotate: self.rotate.is_some(),
        })
    }
}

async fn list_page(
    state: &AppState,
    seen: &Seen,
    f: SeriesForm,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let c = &seen.community;
    let viewer = viewer_zone(&seen.user);
    let series = gs::list(state, c)
        .await?
        .into_iter()
        .map(|s| SeriesLine {
            id: s.record.id,
            title: s.record.title.clone(),
            format: s.record.format.label(),
            rule: if s.record.rrule == "FREQ=DAILY;COUNT=1" {
                "once".into()
            } else {
                s.record.rrule.clone()
            },
            next: s.next.iter().map(|o| line(&s.record, o, viewer)).collect(),
        })
        .collect();
    let mut f = f;
    if f.time_zone.is_empty() {
        f.time_zone = seen.user.person.time_zone.clone();
        f.duration_minutes = "60".into();
        f.rrule = "FREQ=WEEKLY".into();
    }
    render(&ListPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Gatherings of {}", c.charter.name),
            "communities",
        ),
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        can_steward: seen.can_steward(),
        writable: c.is_writable(),
        series,
        formats: Format::ALL
            .iter()
            .map(|f| (f.as_str(), f.label()))
            .collect(),
        f,
        error,
    })
    .map_err(|e| e.0)
}

async fn list(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    Ok(list_page(&state, &seen, SeriesForm::default(), None).await?)
}

pub(super) fn shown(e: &WebError) -> bool {
    matches!(
        e,
        WebError::Invalid(_) | WebError::Conflict { .. } | WebError::Forbidden(_)
    )
}

async fn create(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<SeriesForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = match form.draft() {
        Ok(d) => gs::create(&state, &seen, &d).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/gatherings/{id}")).into_response()),
        Err(e) if shown(&e) => {
            let status = e.status();
            let page = list_page(&state, &seen, form, Some(e.public_message())).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "gathering.html")]
struct SeriesPage {
    chrome: Chrome,
    a: SeriesAccess,
    format: &'static str,
    next: Vec<(OccurrenceLine, Option<String>)>,
    my_series_answer: Option<String>,
    facilitation: FacilitationView,
    suggestions: Vec<(OccurrenceLine, Option<String>)>,
    volunteering: bool,
    member: bool,
    error: Option<String>,
}

async fn series_page(
    state: &AppState,
    member: &PageMember,
    id: i64,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let a = gs::series(state, &member.user, id).await?;
    let viewer = viewer_zone(&member.user);
    let now = state.clock.now();
    let answers = state.store.answers_of(a.me(), Some(a.record.id)).await?;
    let series_answer = answers
        .iter()
        .find(|x| x.recurrence_id.is_none())
        .map(|x| x.response);
    let mut next = Vec::new();
    for o in gs::next_of(&a.schedule, now, 8) {
        let mine = answers
            .iter()
            .find(|x| x.recurrence_id == Some(o.recurrence_id))
            .map(|x| x.response)
            .or(series_answer);
        next.push((
            line(&a.record, &o, viewer),
            mine.map(|r| r.as_str().to_owned()),
        ));
    }
    let facilitation = gs::facilitation_view(state, &a).await?;
    let suggestions = facilitation
        .suggestions
        .iter()
        .map(|s| {
            (
                line(&a.record, &s.occurrence, viewer),
                s.facilitator.as_ref().map(|(_, n)| n.clone()),
            )
        })
        .collect();
    let volunteering = facilitation.volunteers.iter().any(|(p, _)| *p == a.me());
    render(&SeriesPage {
        chrome: Chrome::new(&member.visitor, a.record.title.clone(), "communities"),
        format: a.record.format.label(),
        next,
        my_series_answer: series_answer.map(|r| r.as_str().to_owned()),
        suggestions,
        facilitation,
        volunteering,
        member: a.role.is_some(),
        error,
        a,
    })
    .map_err(|e| e.0)
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(series_page(&state, &member, id, None).await?)
}

/// Back to `to` after a change, or the series page with the error shown.
async fn after_series(
    state: &AppState,
    member: &PageMember,
    id: i64,
    to: String,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&to).into_response()),
        Err(e) if shown(&e) => {
            let status = e.status();
            let page = series_page(state, member, id, Some(e.public_message())).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    response: String,
}

async fn rsvp_series(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<AnswerForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let a = gs::series(&state, &member.user, id).await?;
    let result = gs::rsvp_series(&state, &a, &form.response).await;
    after_series(&state, &member, id, format!("/gatherings/{id}"), result).await
}

#[derive(Deserialize)]
struct VolunteerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    volunteer: String,
}

async fn volunteer(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<VolunteerForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let a = gs::series(&state, &member.user, id).await?;
    let result = gs::volunteer(&state, &a, form.volunteer != "no").await;
    after_series(&state, &member, id, format!("/gatherings/{id}"), result).await
}

#[derive(Template)]
#[template(path = "gathering_occurrence.html")]
struct OccurrencePage {
    chrome: Chrome,
    a: SeriesAccess,
    line: OccurrenceLine,
    v: OccurrenceView,
    member: bool,
    can_facilitate: bool,
    can_steward: bool,
    started: bool,
    members: Vec<(i64, String, bool)>,
    declined_facilitation: bool,
    error: Option<String>,
}

async fn occurrence_page(
    state: &AppState,
    member: &PageMember,
    key: &str,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let (a, o) = gs::occurrence(state, &member.user, key).await?;
    let v = gs::occurrence_view(state, &a, &o).await?;
    let can_facilitate = gs::can_facilitate(state, &a).await?;
    let members = if can_facilitate {
        state
            .store
            .members(a.community.id, None, None, 500)
            .await?
            .into_iter()
            .map(|m| {
                let came = v.attendance.iter().any(|(p, _)| *p == m.person_id);
                (m.person_id, m.display_name, came)
            })
            .collect()
    } else {
        Vec::new()
    };
    let declined_facilitation = state
        .store
        .facilitation_declines(a.record.id)
        .await?
        .iter()
        .any(|(p, at)| *p == a.me() && *at == o.recurrence_id);
    render(&OccurrencePage {
        chrome: Chrome::new(&member.visitor, a.record.title.clone(), "communities"),
        line: line(&a.record, &o, viewer_zone(&member.user)),
        member: a.role.is_some(),
        can_steward: a.can_steward(),
        started: o.start <= state.clock.now(),
        can_facilitate,
        members,
        declined_facilitation,
        v,
        a,
        error,
    })
    .map_err(|e| e.0)
}

async fn occurrence(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
) -> Result<Html<String>, PageError> {
    Ok(occurrence_page(&state, &member, &key, None).await?)
}

async fn after_occurrence(
    state: &AppState,
    member: &PageMember,
    key: &str,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/occurrences/{key}")).into_response()),
        Err(e) if shown(&e) => {
            let status = e.status();
            let page = occurrence_page(state, member, key, Some(e.public_message())).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn rsvp(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<AnswerForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = gs::rsvp(&state, &a, &o, &form.response).await;
    after_occurrence(&state, &member, &key, result).await
}

async fn attendance(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    member.visitor.verify_csrf(csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let attendees: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "attended")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let result = gs::record_attendance(&state, &a, &o, None, &attendees)
        .await
        .map(|_| ());
    after_occurrence(&state, &member, &key, result).await
}

async fn check_in(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = gs::check_in(&state, &a, &o).await.map(|_| ());
    after_occurrence(&state, &member, &key, result).await
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    restore: Option<String>,
}

async fn cancel(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<CancelForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = gs::cancel(&state, &a, &o, form.restore.is_none()).await;
    after_occurrence(&state, &member, &key, result).await
}

async fn decline(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<CancelForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = gs::decline_facilitation(&state, &a, &o, form.restore.is_none()).await;
    after_occurrence(&state, &member, &key, result).await
}

#[derive(Deserialize)]
struct RecordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    recording_url: String,
}

async fn record(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<RecordForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let agenda = (form.agenda.trim() != a.record.agenda.trim()).then_some(form.agenda.as_str());
    let result = gs::write_record(&state, &a, &o, agenda, &form.notes, &form.recording_url).await;
    after_occurrence(&state, &member, &key, result).await
}

/// A row of the fairness table.
struct FairRow {
    name: String,
    zone: String,
    local: String,
    hours: String,
    out_of_hours: bool,
    before: i64,
    after: i64,
}

#[derive(Template)]
#[template(path = "gathering_fairness.html")]
struct FairnessPage {
    chrome: Chrome,
    a: SeriesAccess,
    rows: Vec<FairRow>,
    zones: Vec<(String, usize, i64, i64)>,
    rotation: Vec<String>,
    current: String,
    worst_before: i64,
    worst_after: i64,
}

fn fair_rows(v: &FairnessView) -> Vec<FairRow> {
    let c = &v.comparison;
    c.fixed
        .members
        .iter()
        .zip(&c.suggested.members)
        .map(|(b, s)| {
            let slot = b.slots.first();
            let hours = v.hours.get(&b.person).copied().unwrap_or_default();
            FairRow {
                name: v.names.get(&b.person).cloned().unwrap_or_default(),
                zone: b.zone.name().to_owned(),
                local: slot
                    .map(|s| s.local_start.format("%a %H:%M").to_string())
                    .unwrap_or_default(),
                hours: format!("{}–{}", hours.start_text(), hours.end_text()),
                out_of_hours: slot.is_some_and(|s| s.out_of_hours()),
                before: b.burden,
                after: s.burden,
            }
        })
        .collect()
}

async fn fairness(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let a = gs::series(&state, &member.user, id).await?;
    let v = gs::fairness_view(&state, &a).await?;
    let c = &v.comparison;
    let local = |at: DateTime<Utc>| at.with_timezone(&v.zone).format("%H:%M").to_string();
    let zones = c
        .fixed
        .zones
        .iter()
        .map(|z| {
            let after = c
                .suggested
                .zones
                .iter()
                .find(|s| s.zone == z.zone)
                .map_or(0, |s| s.total);
            (z.zone.name().to_owned(), z.members, z.total, after)
        })
        .collect();
    render(&FairnessPage {
        chrome: Chrome::new(
            &member.visitor,
            format!("Time-zone fairness of {}", a.record.title),
            "communities",
        ),
        rows: fair_rows(&v),
        zones,
        rotation: c
            .suggested
            .rotation
            .iter()
            .map(|&i| local(v.slots[i]))
            .collect(),
        current: local(v.slots[v.current]),
        worst_before: c.fixed.worst,
        worst_after: c.suggested.worst,
        a,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/gatherings", get(list).post(create))
        .route("/gatherings/{id}", get(show))
        .route("/gatherings/{id}/rsvp", post(rsvp_series))
        .route("/gatherings/{id}/volunteer", post(volunteer))
        .route("/gatherings/{id}/fairness", get(fairness))
        .route("/occurrences/{id}", get(occurrence))
        .route("/occurrences/{id}/rsvp", post(rsvp))
        .route("/occurrences/{id}/attendance", post(attendance))
        .route("/occurrences/{id}/check-in", post(check_in))
        .route("/occurrences/{id}/cancel", post(cancel))
        .route("/occurrences/{id}/decline", post(decline))
        .route("/occurrences/{id}/record", post(record))
}
