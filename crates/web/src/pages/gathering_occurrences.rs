//! One occurrence in the browser: answers, seats and waitlist, attendance,
//! check-in, notes and recording, declining to facilitate, and the
//! stewards' changes: cancel or restore the date, move only this date, or
//! change the series from this date on ("this and all following"); and the
//! notes promoted into a draft artifact, linked from the page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use domain::gathering::Occurrence;
use domain::practice::ArtifactKind;
use serde::Deserialize;

use super::gatherings::{
    AnswerForm, OccurrenceLine, SeriesForm, formats, line, shown, viewer_zone,
};
use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::gathering_service::{self as gs, OccurrenceView, SeriesAccess};

/// What the stewards' change forms hold: the occurrence as it stands, or
/// what was submitted when it was refused.
#[derive(Debug, Clone, Default)]
struct Changes {
    /// The local start to move this date to.
    move_start: String,
    /// Its length in minutes.
    move_minutes: String,
    /// The series from this date on.
    following: SeriesForm,
}

impl Changes {
    /// The forms filled with occurrence `o` of `a` as it stands; the series
    /// from this date on keeps the rule, a `COUNT` cut to what remains.
    fn of(a: &SeriesAccess, o: &Occurrence) -> Self {
        let zone = a.schedule.zone();
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
        let rule = match a.schedule.split_at(o.recurrence_id) {
            Ok((_, after)) => after.rule().as_str().to_owned(),
            Err(_) => a.record.rrule.clone(),
        };
        Changes {
            move_start: local(o.start).format("%Y-%m-%dT%H:%M").to_string(),
            move_minutes: (o.end - o.start).num_minutes().to_string(),
            following: SeriesForm::of(&a.record, local(o.recurrence_id), &rule),
        }
    }
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
    /// Whether members can check themselves in (from 30 minutes before).
    check_in_open: bool,
    members: Vec<(i64, String, bool)>,
    declined_facilitation: bool,
    writable: bool,
    c: Changes,
    /// The series form of "this and all following" (`gathering_series_fields.html`).
    f: SeriesForm,
    formats: Vec<(&'static str, &'static str)>,
    p: &'static str,
    /// Whether the viewer may promote the notes into an artifact.
    can_promote: bool,
    /// The kinds notes can become: (wire name, label).
    kinds: Vec<(&'static str, &'static str)>,
    /// The title a promotion gets unless given one.
    promote_title: String,
    error: Option<String>,
}

async fn occurrence_page(
    state: &AppState,
    member: &PageMember,
    key: &str,
    error: Option<String>,
    changes: Option<Changes>,
) -> Result<Html<String>, WebError> {
    let (a, o) = gs::occurrence(state, &member.user, key).await?;
    let c = changes.unwrap_or_else(|| Changes::of(&a, &o));
    let v = gs::occurrence_view(state, &a, &o).await?;
    let can_facilitate = gs::can_facilitate(state, &a).await?;
    let facilitated = v.facilitator.as_ref().is_some_and(|(p, _)| *p == a.me());
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
        check_in_open: o.start - chrono::TimeDelta::minutes(30) <= state.clock.now(),
        can_facilitate,
        members,
        declined_facilitation,
        writable: a.community.is_writable(),
        can_promote: (can_facilitate || (facilitated && a.role.is_some()))
            && a.community.is_writable()
            && !v.notes.trim().is_empty(),
        kinds: ArtifactKind::ALL
            .iter()
            .filter(|k| **k != ArtifactKind::DecisionRecord)
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        promote_title: gs::default_title(&a, &o),
        f: c.following.clone(),
        formats: formats(),
        p: "following-",
        c,
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
    Ok(occurrence_page(&state, &member, &key, None, None).await?)
}

/// Back to the occurrence page after a change, or the page again with the
/// error shown (and the change forms as submitted, when given).
async fn after_occurrence(
    state: &AppState,
    member: &PageMember,
    key: &str,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    after_change(state, member, key, result, None).await
}

async fn after_change(
    state: &AppState,
    member: &PageMember,
    key: &str,
    result: Result<(), WebError>,
    changes: Option<Changes>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/occurrences/{key}")).into_response()),
        Err(e) if shown(&e) => {
            let status = e.status();
            let page =
                occurrence_page(state, member, key, Some(e.public_message()), changes).await?;
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

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    restore: Option<String>,
}

/// Moves only this date (stewards), or puts it back at its usual time.
async fn move_date(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<MoveForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = if form.restore.is_some() {
        gs::move_to(&state, &a, &o, "", None).await
    } else if form.start.trim().is_empty() {
        Err(domain::Invalid::new("start", "give the new local start, as YYYY-MM-DDTHH:MM").into())
    } else {
        match minutes(&form.duration_minutes) {
            Ok(m) => gs::move_to(&state, &a, &o, &form.start, m).await,
            Err(e) => Err(e),
        }
    };
    let changes = Changes {
        move_start: form.start,
        move_minutes: form.duration_minutes,
        ..Changes::of(&a, &o)
    };
    after_change(&state, &member, &key, result, Some(changes)).await
}

/// A length in minutes as a form gives it; empty for the series' own.
fn minutes(v: &str) -> Result<Option<i64>, WebError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| domain::Invalid::new("duration_minutes", "must be a whole number").into())
}

/// "This and all following" (stewards): the series continues from this
/// date as the form says; at the first date the whole series changes.
async fn following(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<SeriesForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let result = match form.draft() {
        Ok(d) => gs::split(&state, &a, &key, &d).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/gatherings/{id}")).into_response()),
        Err(e) => {
            let changes = Changes {
                following: form,
                ..Changes::of(&a, &o)
            };
            after_change(&state, &member, &key, Err(e), Some(changes)).await
        }
    }
}

#[derive(Deserialize)]
struct PromoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
}

/// Promotes the notes into a draft artifact; the page then links to it.
async fn promote(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(key): PagePath<String>,
    PageForm(form): PageForm<PromoteForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let (a, o) = gs::occurrence(&state, &member.user, &key).await?;
    let promotion = gs::Promotion {
        kind: form.kind,
        title: form.title,
    };
    let result = gs::promote_notes(&state, &a, &o, &promotion)
        .await
        .map(|_| ());
    after_occurrence(&state, &member, &key, result).await
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/occurrences/{id}", get(occurrence))
        .route("/occurrences/{id}/rsvp", post(rsvp))
        .route("/occurrences/{id}/attendance", post(attendance))
        .route("/occurrences/{id}/check-in", post(check_in))
        .route("/occurrences/{id}/cancel", post(cancel))
        .route("/occurrences/{id}/decline", post(decline))
        .route("/occurrences/{id}/record", post(record))
        .route("/occurrences/{id}/move", post(move_date))
        .route("/occurrences/{id}/following", post(following))
        .route("/occurrences/{id}/promote", post(promote))
}
