//! Experiments and adoption over the API: a community's experiments (list,
//! propose), one experiment (read, edit, change status), which teams adopted
//! an artifact (list, record, remove), and a community's influence across
//! the organisation's teams.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::experiments_schema::{
    AdoptionIn, AdoptionOut, ExperimentIn, ExperimentOut, InfluenceOut, StatusIn,
};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody};
use crate::experiment_service::{self as service, ExperimentDraft};
use crate::extract::{ApiJson, ApiPath};

fn draft(body: ExperimentIn) -> ExperimentDraft {
    ExperimentDraft {
        title: body.title,
        hypothesis: body.hypothesis,
        owner_id: body.owner_id,
        starts_on: body.starts_on.unwrap_or_default(),
        review_on: body.review_on.unwrap_or_default(),
    }
}

/// The community's experiments: running first, then proposed, then closed.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/experiments", tag = "practice",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [ExperimentOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<Vec<ExperimentOut>>, ApiError> {
    Ok(Json(
        service::list(&state, &seen)
            .await?
            .into_iter()
            .map(ExperimentOut::from)
            .collect(),
    ))
}

/// Propose an experiment (members); it starts as `proposed`.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/experiments", tag = "practice",
    params(("slug" = String, Path, description = "Community address")),
    request_body = ExperimentIn,
    responses(
        (status = 201, body = ExperimentOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn propose(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<ExperimentIn>,
) -> Result<(StatusCode, Json<ExperimentOut>), ApiError> {
    let id = service::propose(&state, &seen, &draft(body)).await?;
    let (_, view) = service::seen_experiment(&state, &seen.user, id).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// An experiment.
#[utoipa::path(get, path = "/api/v1/experiments/{id}", tag = "practice",
    params(("id" = i64, Path, description = "Experiment id")),
    responses(
        (status = 200, body = ExperimentOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such experiment you can see", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ExperimentOut>, ApiError> {
    let (_, view) = service::seen_experiment(&state, &user, id).await?;
    Ok(Json(view.into()))
}

/// Rewrite an experiment's title, hypothesis, owner and dates (members,
/// while it is proposed or running).
#[utoipa::path(put, path = "/api/v1/experiments/{id}", tag = "practice",
    params(("id" = i64, Path, description = "Experiment id")),
    request_body = ExperimentIn,
    responses(
        (status = 200, body = ExperimentOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such experiment you can see", body = ErrorBody),
        (status = 409, description = "Closed, or the community is archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn edit(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExperimentIn>,
) -> Result<Json<ExperimentOut>, ApiError> {
    service::edit(&state, &user, id, &draft(body)).await?;
    let (_, view) = service::seen_experiment(&state, &user, id).await?;
    Ok(Json(view.into()))
}

/// Move an experiment through the loop (its owner or a steward):
/// proposed → running or abandoned, running → concluded or abandoned.
/// Concluding needs `result` and `learnings`.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/status", tag = "practice",
    params(("id" = i64, Path, description = "Experiment id")),
    request_body = StatusIn,
    responses(
        (status = 200, body = ExperimentOut),
        (status = 403, description = "Neither its owner nor a steward", body = ErrorBody),
        (status = 404, description = "No such experiment you can see", body = ErrorBody),
        (status = 409, description = "A move the loop does not allow, or the community is archived", body = ErrorBody),
        (status = 422, description = "Unknown status, or a conclusion without result or learnings", body = ErrorBody),
    ))]
async fn status(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusIn>,
) -> Result<Json<ExperimentOut>, ApiError> {
    service::change_status(
        &state,
        &user,
        id,
        &body.status,
        &body.result,
        &body.learnings,
    )
    .await?;
    let (_, view) = service::seen_experiment(&state, &user, id).await?;
    Ok(Json(view.into()))
}

/// Write a concluded experiment up as a draft artifact (a story holding its
/// hypothesis, result and learnings, with the experiment as its source);
/// its owner or a steward, once.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/artifact", tag = "practice",
    params(("id" = i64, Path, description = "Experiment id")),
    responses(
        (status = 201, body = ExperimentOut, description = "The experiment, naming its artifact"),
        (status = 403, description = "Neither its owner nor a steward", body = ErrorBody),
        (status = 404, description = "No such experiment you can see", body = ErrorBody),
        (status = 409, description = "Not concluded, already an artifact, or the community is archived", body = ErrorBody),
    ))]
async fn artifact(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<ExperimentOut>), ApiError> {
    service::make_artifact(&state, &user, id).await?;
    let (_, view) = service::seen_experiment(&state, &user, id).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// The teams that adopted an artifact, earliest first.
#[utoipa::path(get, path = "/api/v1/artifacts/{id}/adoptions", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    responses(
        (status = 200, body = [AdoptionOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
    ))]
async fn adoptions(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AdoptionOut>>, ApiError> {
    let (_, _, list) = service::adoptions(&state, &user, id).await?;
    Ok(Json(list.into_iter().map(AdoptionOut::from).collect()))
}

/// Record that a team adopted an artifact (members of its community); one
/// record per team.
#[utoipa::path(post, path = "/api/v1/artifacts/{id}/adoptions", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = AdoptionIn,
    responses(
        (status = 201, body = AdoptionOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 409, description = "Already recorded for this team, or archived", body = ErrorBody),
        (status = 422, description = "Unknown team, or a bad date or note", body = ErrorBody),
    ))]
async fn adopt(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AdoptionIn>,
) -> Result<(StatusCode, Json<AdoptionOut>), ApiError> {
    let adoption =
        service::record(&state, &user, id, &body.team, &body.adopted_on, &body.note).await?;
    let (_, _, list) = service::adoptions(&state, &user, id).await?;
    let view = list
        .into_iter()
        .find(|v| v.adoption.id == adoption)
        .ok_or(crate::WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Remove a mistaken adoption record (a steward, or whoever recorded it).
#[utoipa::path(delete, path = "/api/v1/adoptions/{id}", tag = "practice",
    params(("id" = i64, Path, description = "Adoption id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Neither a steward nor its recorder", body = ErrorBody),
        (status = 404, description = "No such adoption you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::remove(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adoption of the community's artifacts across the organisation's teams,
/// month by month (the last twelve months with adoptions).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/influence", tag = "practice",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = InfluenceOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn influence(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<InfluenceOut>, ApiError> {
    Ok(Json(service::influence(&state, &seen).await?.into()))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, propose))
        .routes(routes!(show, edit))
        .routes(routes!(status))
        .routes(routes!(artifact))
        .routes(routes!(adoptions, adopt))
        .routes(routes!(remove))
        .routes(routes!(influence))
}
