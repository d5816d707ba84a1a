//! Pulse surveys over the API: list with results (from five answers up),
//! open and close (stewards), answer anonymously (members).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::pulse_service::{self, PulseView};

/// A pulse as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PulseOut {
    /// Id.
    pub id: i64,
    /// What it asks.
    pub question: String,
    /// When it opened.
    pub opened_at: DateTime<Utc>,
    /// When it closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Answers so far.
    pub answers: i64,
    /// Whether you have answered.
    pub answered: bool,
    /// Results: present only from five answers up.
    pub results: Option<PulseResultsOut>,
}

/// What the answers add up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct PulseResultsOut {
    /// Mean answer, 1 to 5.
    pub mean: f64,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: Vec<i64>,
    /// The comments, in no meaningful order, never with names.
    pub comments: Vec<String>,
}

impl From<PulseView> for PulseOut {
    fn from(v: PulseView) -> Self {
        PulseOut {
            id: v.pulse.id,
            question: v.pulse.question,
            opened_at: v.pulse.opened_at,
            closed_at: v.pulse.closed_at,
            answers: v.pulse.answers,
            answered: v.answered,
            results: v.results.map(|r| PulseResultsOut {
                mean: r.mean,
                distribution: r.distribution.to_vec(),
                comments: r.comments,
            }),
        }
    }
}

/// A new pulse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PulseIn {
    /// The question; the default asks how useful the community was in the last month.
    #[serde(default)]
    pub question: String,
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIn {
    /// 1 (not useful) to 5 (very useful).
    pub value: i64,
    /// An optional, anonymous comment.
    #[serde(default)]
    pub comment: String,
}

/// The community's pulses, newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/pulses", tag = "health",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [PulseOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn list(State(state): State<AppState>, seen: Seen) -> Result<Json<Vec<PulseOut>>, ApiError> {
    Ok(Json(
        pulse_service::list(&state, &seen)
            .await?
            .into_iter()
            .map(PulseOut::from)
            .collect(),
    ))
}

/// Open a pulse (stewards).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/pulses", tag = "health",
    params(("slug" = String, Path, description = "Community address")),
    request_body = PulseIn,
    responses(
        (status = 201, body = PulseOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "Bad question", body = ErrorBody),
    ))]
async fn open(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<PulseIn>,
) -> Result<(StatusCode, Json<PulseOut>), ApiError> {
    let id = pulse_service::open(&state, &seen, &body.question).await?;
    let view = pulse_service::list(&state, &seen)
        .await?
        .into_iter()
        .find(|v| v.pulse.id == id)
        .ok_or(crate::WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Answer a pulse, once, anonymously (members).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/pulses/{id}/answers", tag = "health",
    params(("slug" = String, Path, description = "Community address"), ("id" = i64, Path, description = "Pulse id")),
    request_body = AnswerIn,
    responses(
        (status = 204, description = "Answered"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such pulse", body = ErrorBody),
        (status = 409, description = "Already answered, or closed", body = ErrorBody),
        (status = 422, description = "Bad answer", body = ErrorBody),
    ))]
async fn answer(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<AnswerIn>,
) -> Result<StatusCode, ApiError> {
    pulse_service::answer(&state, &seen, id, body.value, &body.comment).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Close a pulse (stewards).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/pulses/{id}/close", tag = "health",
    params(("slug" = String, Path, description = "Community address"), ("id" = i64, Path, description = "Pulse id")),
    responses(
        (status = 204, description = "Closed"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such pulse", body = ErrorBody),
    ))]
async fn close(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    pulse_service::close(&state, &seen, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(answer))
        .routes(routes!(close))
}
