//! The practice over the API: a community's artifacts (with stale and
//! orphaned filters), writing one, an artifact by id (read, revise), its
//! revisions and the diff between two, restore, review, reuse, a new owner,
//! links, and promoting a thread or its accepted answer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::practice::ArtifactKind;
use store::practice::ArtifactFilter;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::artifacts_schema::*;
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::artifact_service;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

const MAX_LIMIT: i64 = 200;

async fn full(
    state: &AppState,
    user: &std::sync::Arc<crate::auth::CurrentUser>,
    id: i64,
) -> Result<Json<ArtifactOut>, ApiError> {
    let view = artifact_service::view(state, user, id).await?;
    Ok(Json(ArtifactOut::new(&view, state.clock.now())))
}

/// The community's artifacts, most recently revised first (or, with
/// `stale`, longest overdue first; with `orphaned`, oldest first).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/artifacts", tag = "practice",
    params(("slug" = String, Path, description = "Community address"), ArtifactListQuery),
    responses(
        (status = 200, body = [ArtifactSummaryOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(q): ApiQuery<ArtifactListQuery>,
) -> Result<Json<Vec<ArtifactSummaryOut>>, ApiError> {
    let limit = match q.limit {
        None => 50,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(WebError::from(domain::Invalid::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ))
            .into());
        }
    };
    let now = state.clock.now();
    let c = seen.community.id;
    let store = &state.store;
    let artifacts = if q.stale == Some(true) {
        store.stale_artifacts(Some(c), None, now, limit).await
    } else if q.orphaned == Some(true) {
        store.orphaned_artifacts(c).await
    } else {
        let filter = ArtifactFilter {
            kind: match q.kind.as_deref().filter(|k| !k.is_empty()) {
                Some(k) => Some(k.parse::<ArtifactKind>().map_err(WebError::from)?),
                None => None,
            },
            tag: q
                .tag
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_lowercase()),
            owner: None,
        };
        store.artifacts(c, &filter, limit).await
    }
    .map_err(WebError::from)?;
    Ok(Json(
        artifacts
            .iter()
            .map(|a| ArtifactSummaryOut::new(a, now))
            .collect(),
    ))
}

/// Write an artifact (members); you own it.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/artifacts", tag = "practice",
    params(("slug" = String, Path, description = "Community address")),
    request_body = ArtifactIn,
    responses(
        (status = 201, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<ArtifactIn>,
) -> Result<(StatusCode, Json<ArtifactOut>), ApiError> {
    let id = artifact_service::create(&state, &seen, &body.draft()).await?;
    Ok((StatusCode::CREATED, full(&state, &seen.user, id).await?))
}

/// An artifact with its owner, contributors, freshness, uses by team,
/// links and backlinks.
#[utoipa::path(get, path = "/api/v1/artifacts/{id}", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    responses(
        (status = 200, body = ArtifactOut),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ArtifactOut>, ApiError> {
    full(&state, &user, id).await
}

/// Revise an artifact (members): a new revision with its summary;
/// `publish` publishes a draft.
#[utoipa::path(put, path = "/api/v1/artifacts/{id}", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = ArtifactIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn revise(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ArtifactIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    let summary = body.summary.clone().unwrap_or_default();
    artifact_service::revise(&state, &user, id, &body.draft(), &summary, body.publish).await?;
    full(&state, &user, id).await
}

/// Every revision, newest first.
#[utoipa::path(get, path = "/api/v1/artifacts/{id}/revisions", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    responses(
        (status = 200, body = [RevisionOut]),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
    ))]
async fn revisions(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RevisionOut>>, ApiError> {
    let (_, revisions) = artifact_service::revisions(&state, &user, id).await?;
    Ok(Json(revisions.iter().map(RevisionOut::from).collect()))
}

/// The line diff, with changed words, between two revisions.
#[utoipa::path(get, path = "/api/v1/artifacts/{id}/diff", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id"), DiffQuery),
    responses(
        (status = 200, body = DiffOut),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "No such revision", body = ErrorBody),
    ))]
async fn diff(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<Json<DiffOut>, ApiError> {
    let (seen, revisions) = artifact_service::revisions(&state, &user, id).await?;
    let to = q.to.unwrap_or(seen.artifact.revision);
    let from = q.from.unwrap_or((to - 1).max(1));
    let lines = artifact_service::diff(&revisions, from, to)?;
    Ok(Json(DiffOut::new(from, to, lines)))
}

/// Restore an old revision as a new one (members).
#[utoipa::path(post, path = "/api/v1/artifacts/{id}/restore", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = RestoreIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "No such revision", body = ErrorBody),
    ))]
async fn restore(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RestoreIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    artifact_service::restore(&state, &user, id, body.revision).await?;
    full(&state, &user, id).await
}

/// Mark it reviewed, still true (its owner or a steward): restarts its
/// review interval.
#[utoipa::path(post, path = "/api/v1/artifacts/{id}/review", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = ReviewIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not its owner or a steward", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
    ))]
async fn review(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    artifact_service::review(&state, &user, id, &body.note).await?;
    full(&state, &user, id).await
}

/// "I used this" (members), for a team (yours by default) with a note.
#[utoipa::path(post, path = "/api/v1/artifacts/{id}/reuse", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = ReuseIn,
    responses(
        (status = 201, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn reuse(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReuseIn>,
) -> Result<(StatusCode, Json<ArtifactOut>), ApiError> {
    artifact_service::reuse(&state, &user, id, &body.team, &body.note).await?;
    Ok((StatusCode::CREATED, full(&state, &user, id).await?))
}

/// Give it a new owner, a member (its owner or a steward; how stewards
/// re-home an orphaned artifact).
#[utoipa::path(put, path = "/api/v1/artifacts/{id}/owner", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = OwnerIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not its owner or a steward", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "Not a member", body = ErrorBody),
    ))]
async fn owner(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OwnerIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    artifact_service::set_owner(&state, &user, id, body.owner_id).await?;
    full(&state, &user, id).await
}

/// Link it to an artifact or a thread of the same community (members).
#[utoipa::path(post, path = "/api/v1/artifacts/{id}/links", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = LinkIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
        (status = 422, description = "Not a target of this community", body = ErrorBody),
    ))]
async fn link(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    let target = artifact_service::target(&body.target_type, body.target_id)?;
    artifact_service::link(&state, &user, id, target, true).await?;
    full(&state, &user, id).await
}

/// Remove a link (members).
#[utoipa::path(delete, path = "/api/v1/artifacts/{id}/links", tag = "practice",
    params(("id" = i64, Path, description = "Artifact id")),
    request_body = LinkIn,
    responses(
        (status = 200, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such artifact you can see", body = ErrorBody),
    ))]
async fn unlink(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    let target = artifact_service::target(&body.target_type, body.target_id)?;
    artifact_service::link(&state, &user, id, target, false).await?;
    full(&state, &user, id).await
}

/// Promote a thread, or its accepted answer, into a draft artifact that
/// keeps a link to its source (members).
#[utoipa::path(post, path = "/api/v1/threads/{id}/promote", tag = "practice",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = PromoteIn,
    responses(
        (status = 201, body = ArtifactOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 422, description = "Not the accepted answer, or a bad kind", body = ErrorBody),
    ))]
async fn promote(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PromoteIn>,
) -> Result<(StatusCode, Json<ArtifactOut>), ApiError> {
    let artifact = artifact_service::promote(&state, &user, id, body.reply_id, &body.kind).await?;
    Ok((StatusCode::CREATED, full(&state, &user, artifact).await?))
}

/// Your artifacts that are stale now, in communities you can see.
#[utoipa::path(get, path = "/api/v1/me/artifacts/stale", tag = "practice",
    responses(
        (status = 200, body = [ArtifactSummaryOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn my_stale(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<ArtifactSummaryOut>>, ApiError> {
    let me = user.person.id;
    let now = state.clock.now();
    let stale = artifact_service::stale_owned_by(&state, me, me).await?;
    Ok(Json(
        stale
            .iter()
            .map(|(a, _)| ArtifactSummaryOut::new(a, now))
            .collect(),
    ))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, revise))
        .routes(routes!(revisions))
        .routes(routes!(diff))
        .routes(routes!(restore))
        .routes(routes!(review))
        .routes(routes!(reuse))
        .routes(routes!(owner))
        .routes(routes!(link, unlink))
        .routes(routes!(promote))
        .routes(routes!(my_stale))
}
