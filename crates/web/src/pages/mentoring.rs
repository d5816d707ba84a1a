//! Mentoring in the browser: your page with the proposals waiting for you,
//! your pairs, the proposals you made, suggested mentors with a one-click
//! "ask", your capacity, and past mentorships; the forms that ask, answer,
//! end and set capacity; and the mentoring lines of the notifications page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::mentoring::Status;
use serde::Deserialize;

use super::experiments::shown;
use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::mentoring_service::{self as service, MentorshipView, ProposalDraft, Suggestion};

#[derive(Template)]
#[template(path = "mentoring.html")]
struct MentoringPage {
    chrome: Chrome,
    waiting: Vec<MentorshipView>,
    pairs: Vec<MentorshipView>,
    asked: Vec<MentorshipView>,
    past: Vec<MentorshipView>,
    suggestions: Vec<Suggestion>,
    capacity: i64,
    active: i64,
    wants_to_learn: bool,
    /// The community an ask from this page is for: none here.
    ask_community: String,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    member: &PageMember,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let user = &member.user;
    let all = service::mine(state, user).await?;
    let (mut waiting, mut pairs, mut asked, mut past) = (vec![], vec![], vec![], vec![]);
    for v in all {
        match v.m.answers.status {
            Status::Proposed if v.can_accept => waiting.push(v),
            Status::Proposed => asked.push(v),
            Status::Active => pairs.push(v),
            _ => past.push(v),
        }
    }
    let (capacity, active) = service::capacity(state, user).await?;
    let wants_to_learn = !state
        .store
        .profile(user.person.id)
        .await?
        .wants_to_learn
        .is_empty();
    render(&MentoringPage {
        chrome: Chrome::new(&member.visitor, "Mentoring", "mentoring")
            .counted(state)
            .await,
        waiting,
        pairs,
        asked,
        past,
        suggestions: service::suggestions(state, user, None, service::SUGGESTIONS).await?,
        capacity,
        active,
        wants_to_learn,
        ask_community: String::new(),
        error,
    })
    .map_err(|e| e.0)
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    Ok(page(&state, &member, None).await?)
}

/// Where a form goes after `result`: `to` when it worked, the mentoring page
/// with the refusal shown when it did not.
async fn after<T>(
    state: &AppState,
    member: &PageMember,
    result: Result<T, WebError>,
    to: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(to).into_response()),
        Err(e) => match shown(&e) {
            Some(error) => {
                Ok((e.status(), page(state, member, Some(error)).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

/// The "ask to be mentored" (and "match them") form.
#[derive(Debug, Default, Deserialize)]
struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mentor_id: String,
    #[serde(default)]
    mentee_id: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    note: String,
}

fn id_field(value: &str, field: &str) -> Result<Option<i64>, WebError> {
    match value.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| domain::Invalid::new(field, "choose a person from the list").into()),
    }
}

impl AskForm {
    fn draft(&self) -> Result<ProposalDraft, WebError> {
        Ok(ProposalDraft {
            mentor_id: id_field(&self.mentor_id, "mentor_id")?
                .ok_or_else(|| domain::Invalid::new("mentor_id", "choose a mentor"))?,
            mentee_id: id_field(&self.mentee_id, "mentee_id")?,
            topic: self.topic.clone(),
            community: Some(self.community.clone()).filter(|c| !c.trim().is_empty()),
            note: self.note.clone(),
        })
    }
}

async fn ask(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<AskForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = match form.draft() {
        Ok(draft) => service::propose(&state, &member.user, &draft).await,
        Err(e) => Err(e),
    };
    let to = match (&result, form.community.trim()) {
        (Ok(v), slug) if !slug.is_empty() && v.community.is_some() => {
            format!("/communities/{slug}/start-here")
        }
        _ => "/mentoring".to_owned(),
    };
    after(&state, &member, result, &to).await
}

async fn accept(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = service::answer(&state, &member.user, id, true).await;
    after(&state, &member, result, "/mentoring").await
}

async fn decline(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = service::answer(&state, &member.user, id, false).await;
    after(&state, &member, result, "/mentoring").await
}

async fn end(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = service::end(&state, &member.user, id).await;
    after(&state, &member, result, "/mentoring").await
}

#[derive(Debug, Deserialize)]
struct CapacityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    capacity: String,
}

async fn capacity(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<CapacityForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = match form.capacity.trim().parse::<i64>() {
        Ok(n) => service::set_capacity(&state, &member.user, n).await,
        Err(_) => {
            Err(domain::Invalid::new("capacity", "must be a whole number from 0 to 10").into())
        }
    };
    after(&state, &member, result, "/mentoring").await
}

/// A mentoring notification in words, for the notifications page.
pub(super) struct NoticeLine {
    /// Unread.
    pub(super) new: bool,
    /// The sentence.
    pub(super) text: String,
    /// When.
    pub(super) at: chrono::DateTime<chrono::Utc>,
}

/// `person`'s mentoring notifications in words, newest first.
pub(super) async fn notice_lines(
    state: &AppState,
    person: i64,
) -> Result<Vec<NoticeLine>, WebError> {
    Ok(state
        .store
        .mentoring_notices(person, 50)
        .await?
        .into_iter()
        .map(|n| {
            let who = n
                .actor
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "Guildhall".to_owned());
            let what = match n.kind.as_str() {
                "mentoring_proposed" => "proposed a mentorship",
                "mentoring_accepted" => "accepted the mentorship",
                "mentoring_active" => "accepted: you are now a mentoring pair",
                "mentoring_declined" => "declined the mentorship",
                "mentoring_withdrawn" => "withdrew the proposed mentorship",
                "mentoring_ended" => "ended the mentorship",
                _ => "changed the mentorship",
            };
            NoticeLine {
                new: !n.read,
                text: format!("{who} {what} on {}", n.topic),
                at: n.at,
            }
        })
        .collect())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/mentoring", get(show))
        .route("/mentoring/ask", post(ask))
        .route("/mentoring/capacity", post(capacity))
        .route("/mentoring/{id}/accept", post(accept))
        .route("/mentoring/{id}/decline", post(decline))
        .route("/mentoring/{id}/end", post(end))
}
