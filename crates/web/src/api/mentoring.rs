//! Mentoring over the API: suggested mentors, proposals (make, list, accept,
//! decline), pairs (list, end), your capacity, and a community's start-here
//! page. Only the two people of a mentorship see it or act on it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::mentoring_schema::{
    CapacityIn, CapacityOut, MentorshipOut, ProposalIn, StartHereOut, SuggestionOut,
    SuggestionsParams,
};
use crate::AppState;
use crate::api::communities_access::{Seen, visible_by_slug};
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::mentoring_service::{self as service, ProposalDraft};

/// Mentors suggested for you: what they teach against what you want to
/// learn, other teams and overlapping working hours preferred, only
/// mentors with a free place; each with its reasons and score.
#[utoipa::path(get, path = "/api/v1/mentoring/suggestions", tag = "mentoring",
    params(SuggestionsParams),
    responses(
        (status = 200, body = [SuggestionOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "No community you can see at that address", body = ErrorBody),
    ))]
async fn suggestions(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(q): ApiQuery<SuggestionsParams>,
) -> Result<Json<Vec<SuggestionOut>>, ApiError> {
    let community = match q.community.as_deref() {
        Some(slug) => Some(visible_by_slug(&state, slug, user.person.id, "community").await?),
        None => None,
    };
    let limit = q.limit.unwrap_or(service::SUGGESTIONS as i64).clamp(1, 10) as usize;
    Ok(Json(
        service::suggestions(&state, &user, community.as_ref(), limit)
            .await?
            .into_iter()
            .map(SuggestionOut::from)
            .collect(),
    ))
}

/// Propose a mentorship: ask a mentor for yourself (leave `mentee_id` out),
/// offer to mentor someone (`mentor_id` is you), or, as a steward, match two
/// members of your `community`. Whoever did not propose accepts or declines.
#[utoipa::path(post, path = "/api/v1/mentoring/proposals", tag = "mentoring",
    request_body = ProposalIn,
    responses(
        (status = 201, body = MentorshipOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Matching two others without stewarding the community", body = ErrorBody),
        (status = 409, description = "Already an open proposal or pair between them, or no free place", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn propose(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<ProposalIn>,
) -> Result<(StatusCode, Json<MentorshipOut>), ApiError> {
    let draft = ProposalDraft {
        mentor_id: body.mentor_id,
        mentee_id: body.mentee_id,
        topic: body.topic,
        community: body.community,
        note: body.note,
    };
    let v = service::propose(&state, &user, &draft).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Your open proposals, both those waiting for you and those you made.
#[utoipa::path(get, path = "/api/v1/mentoring/proposals", tag = "mentoring",
    responses(
        (status = 200, body = [MentorshipOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn proposals(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<MentorshipOut>>, ApiError> {
    Ok(Json(
        service::mine(&state, &user)
            .await?
            .into_iter()
            .filter(|v| v.m.answers.status == domain::mentoring::Status::Proposed)
            .map(MentorshipOut::from)
            .collect(),
    ))
}

/// Accept a proposal waiting for you; when both sides have accepted it
/// becomes a pair, if the mentor still has a free place.
#[utoipa::path(post, path = "/api/v1/mentoring/proposals/{id}/accept", tag = "mentoring",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses(
        (status = 200, body = MentorshipOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such proposal of yours", body = ErrorBody),
        (status = 409, description = "Not waiting for you, or the mentor has no free place", body = ErrorBody),
    ))]
async fn accept(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MentorshipOut>, ApiError> {
    Ok(Json(service::answer(&state, &user, id, true).await?.into()))
}

/// Decline a proposal waiting for you, or take back one you made.
#[utoipa::path(post, path = "/api/v1/mentoring/proposals/{id}/decline", tag = "mentoring",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses(
        (status = 200, body = MentorshipOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such proposal of yours", body = ErrorBody),
        (status = 409, description = "No longer a proposal", body = ErrorBody),
    ))]
async fn decline(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MentorshipOut>, ApiError> {
    Ok(Json(
        service::answer(&state, &user, id, false).await?.into(),
    ))
}

/// Your mentoring pairs, active first, then ended ones.
#[utoipa::path(get, path = "/api/v1/mentoring/pairs", tag = "mentoring",
    responses(
        (status = 200, body = [MentorshipOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn pairs(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<MentorshipOut>>, ApiError> {
    use domain::mentoring::Status;
    Ok(Json(
        service::mine(&state, &user)
            .await?
            .into_iter()
            .filter(|v| matches!(v.m.answers.status, Status::Active | Status::Ended))
            .map(MentorshipOut::from)
            .collect(),
    ))
}

/// End an active pair (either side); the other side is told.
#[utoipa::path(post, path = "/api/v1/mentoring/pairs/{id}/end", tag = "mentoring",
    params(("id" = i64, Path, description = "Mentorship id")),
    responses(
        (status = 200, body = MentorshipOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such pair of yours", body = ErrorBody),
        (status = 409, description = "Not an active pair", body = ErrorBody),
    ))]
async fn end(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MentorshipOut>, ApiError> {
    Ok(Json(service::end(&state, &user, id).await?.into()))
}

async fn capacity_out(
    state: &AppState,
    user: &crate::auth::CurrentUser,
) -> Result<CapacityOut, ApiError> {
    let (capacity, active) = service::capacity(state, user).await?;
    Ok(CapacityOut {
        capacity,
        active,
        free: (capacity - active).max(0),
    })
}

/// How many mentees you take at once, and how many you have.
#[utoipa::path(get, path = "/api/v1/mentoring/capacity", tag = "mentoring",
    responses(
        (status = 200, body = CapacityOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn capacity(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<CapacityOut>, ApiError> {
    Ok(Json(capacity_out(&state, &user).await?))
}

/// Set how many mentees you take at once (0: not mentoring now). Lowering
/// it ends no pair; it only stops new ones.
#[utoipa::path(put, path = "/api/v1/mentoring/capacity", tag = "mentoring",
    request_body = CapacityIn,
    responses(
        (status = 200, body = CapacityOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Out of range", body = ErrorBody),
    ))]
async fn set_capacity(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<CapacityIn>,
) -> Result<Json<CapacityOut>, ApiError> {
    service::set_capacity(&state, &user, body.capacity).await?;
    Ok(Json(capacity_out(&state, &user).await?))
}

/// A community's start-here page for newcomers: its charter, most reused
/// artifacts, open questions suited to newcomers, the next gathering, a
/// suggested mentor and small first steps (ticked when done).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/start-here", tag = "mentoring",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = StartHereOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn start_here(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<StartHereOut>, ApiError> {
    let s = service::start_here(&state, &seen).await?;
    Ok(Json(StartHereOut::new(&seen.community, s)))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(suggestions))
        .routes(routes!(propose, proposals))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(pairs))
        .routes(routes!(end))
        .routes(routes!(capacity, set_capacity))
        .routes(routes!(start_here))
}
