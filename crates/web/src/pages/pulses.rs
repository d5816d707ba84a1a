//! Pulse surveys in the browser: the list with results, the answer form,
//! and the steward's open and close buttons.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::pulse_service::{self, PulseView};

#[derive(Template)]
#[template(path = "pulses.html")]
struct PulsesPage {
    chrome: Chrome,
    slug: String,
    name: String,
    member: bool,
    can_steward: bool,
    pulses: Vec<PulseView>,
    error: Option<String>,
    default_question: &'static str,
    min_shown: i64,
}

#[derive(Deserialize)]
struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    question: String,
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    comment: String,
}

async fn page(
    state: &AppState,
    seen: &Seen,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let c = &seen.community;
    render(&PulsesPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Pulse of {}", c.charter.name),
            "communities",
        ),
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        member: seen.role.is_some(),
        can_steward: seen.can_steward(),
        pulses: pulse_service::list(state, seen).await?,
        error,
        default_question: domain::pulse::DEFAULT_QUESTION,
        min_shown: domain::pulse::MIN_ANSWERS_SHOWN,
    })
    .map_err(|e| e.0)
}

/// Back to the list after a change, or the list with the error shown.
async fn after(
    state: &AppState,
    seen: &Seen,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/communities/{}/pulses", seen.community.slug)).into_response(),
        ),
        Err(e @ (WebError::Invalid(_) | WebError::Conflict { .. } | WebError::Forbidden(_))) => {
            let status = e.status();
            Ok((status, page(state, seen, Some(e.public_message())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn list(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    Ok(page(&state, &seen, None).await?)
}

async fn open(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<OpenForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = pulse_service::open(&state, &seen, &form.question)
        .await
        .map(|_| ());
    after(&state, &seen, result).await
}

async fn answer(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((_slug, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<AnswerForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = match form.value.trim().parse::<i64>() {
        Ok(value) => pulse_service::answer(&state, &seen, id, value, &form.comment).await,
        Err(_) => Err(domain::Invalid::new("value", "choose an answer from 1 to 5").into()),
    };
    after(&state, &seen, result).await
}

async fn close(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((_slug, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = pulse_service::close(&state, &seen, id).await;
    after(&state, &seen, result).await
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/pulses", get(list).post(open))
        .route("/communities/{slug}/pulses/{id}/answer", post(answer))
        .route("/communities/{slug}/pulses/{id}/close", post(close))
}
