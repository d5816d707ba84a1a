//! Gatherings in the browser: a community's series and the form to start
//! one, a series with its next occurrences (RSVP, facilitation suggestions,
//! volunteering), and the community home's next gatherings. One occurrence,
//! the time-zone fairness view and calendar feeds have their own modules.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use domain::gathering::plan::Draft;
use domain::gathering::{Format, Occurrence, OccurrenceStatus};
use serde::Deserialize;
use store::gatherings::SeriesRecord;

use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::{CurrentUser, PageMember};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::gathering_service::{self as gs, FacilitationView, SeriesAccess};

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

pub(super) fn when(at: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{} ({})",
        at.with_timezone(&zone).format("%a %-d %b %Y, %H:%M"),
        zone.name()
    )
}

pub(super) fn viewer_zone(user: &CurrentUser) -> Tz {
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
    /// Prefix of the series fields' ids (`gathering_series_fields.html`).
    p: &'static str,
    error: Option<String>,
}

/// The formats as the series form offers them: (stored name, label).
pub(super) fn formats() -> Vec<(&'static str, &'static str)> {
    Format::ALL
        .iter()
        .map(|f| (f.as_str(), f.label()))
        .collect()
}

/// How a one-off gathering's rule is stored.
const ONE_OFF: &str = "FREQ=DAILY;COUNT=1";

/// The series form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SeriesForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) format: String,
    #[serde(default)]
    pub(super) rrule: String,
    #[serde(default)]
    pub(super) time_zone: String,
    #[serde(default)]
    pub(super) start: String,
    #[serde(default)]
    pub(super) duration_minutes: String,
    #[serde(default)]
    pub(super) location: String,
    #[serde(default)]
    pub(super) agenda: String,
    #[serde(default)]
    pub(super) capacity: String,
    #[serde(default)]
    pub(super) rotate: Option<String>,
}

impl SeriesForm {
    /// The form filled with `record` as it stands, its first start at the
    /// local `start` and repeating by `rrule` (empty for a one-off).
    pub(super) fn of(record: &SeriesRecord, start: NaiveDateTime, rrule: &str) -> Self {
        SeriesForm {
            csrf: String::new(),
            title: record.title.clone(),
            format: record.format.as_str().to_owned(),
            rrule: if rrule == ONE_OFF {
                String::new()
            } else {
                rrule.to_owned()
            },
            time_zone: record.time_zone.clone(),
            start: start.format("%Y-%m-%dT%H:%M").to_string(),
            duration_minutes: record.duration_minutes.to_string(),
            location: record.location.clone(),
            agenda: record.agenda.clone(),
            capacity: record.capacity.map(|c| c.to_string()).unwrap_or_default(),
            rotate: record.rotate.then(|| "on".to_owned()),
        }
    }

    /// The series the form asks for.
    pub(super) fn draft(&self) -> Result<Draft, WebError> {
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
            rule: if s.record.rrule == ONE_OFF {
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
        formats: formats(),
        f,
        p: "",
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
pub(super) struct AnswerForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) response: String,
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

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/gatherings", get(list).post(create))
        .route("/gatherings/{id}", get(show))
        .route("/gatherings/{id}/rsvp", post(rsvp_series))
        .route("/gatherings/{id}/volunteer", post(volunteer))
}
