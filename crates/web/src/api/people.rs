//! The people directory, a person's record, teams, and (for admins) roles.

use axum::Json;
use axum::extract::State;
use domain::person::OrgRole;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::schema::{PeopleOut, PeopleParams, PersonOut, RoleIn, TeamOut};
use crate::AppState;
use crate::auth::Member;
use crate::directory;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

/// Search the people directory by name, team and skill.
#[utoipa::path(get, path = "/api/v1/people", tag = "people",
    params(PeopleParams),
    responses(
        (status = 200, body = PeopleOut),
        (status = 400, description = "Bad query or cursor", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    _member: Member,
    ApiQuery(params): ApiQuery<PeopleParams>,
) -> Result<Json<PeopleOut>, ApiError> {
    let (people, next_cursor) = directory::search(
        &state,
        params.q.as_deref(),
        params.team.as_deref(),
        params.skill.as_deref(),
        params.limit,
        params.cursor.as_deref(),
    )
    .await?;
    Ok(Json(PeopleOut {
        items: people
            .into_iter()
            .map(|p| PersonOut::of(p, false))
            .collect(),
        next_cursor,
    }))
}

/// One person's record.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, body = PersonOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn get_person(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonOut>, ApiError> {
    let p = state.store.profile(id).await?;
    let own = p.person.id == user.person.id;
    Ok(Json(PersonOut::of(p, own)))
}

/// Set a person's organisation role (admins only).
#[utoipa::path(put, path = "/api/v1/people/{id}/role", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    request_body = RoleIn,
    responses(
        (status = 200, body = PersonOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "Unknown role", body = ErrorBody),
    ))]
async fn set_role(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoleIn>,
) -> Result<Json<PersonOut>, ApiError> {
    if !user.is_admin() {
        return Err(WebError::Forbidden("only organisation admins can change roles".into()).into());
    }
    let role: OrgRole = body.role.parse()?;
    let person = state.store.person(id).await?;
    state
        .store
        .set_org_role(&person.email, role, state.clock.now())
        .await?;
    Ok(Json(PersonOut::of(state.store.profile(id).await?, false)))
}

/// Every team with its head count.
#[utoipa::path(get, path = "/api/v1/teams", tag = "people",
    responses(
        (status = 200, body = [TeamOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn teams(
    State(state): State<AppState>,
    _member: Member,
) -> Result<Json<Vec<TeamOut>>, ApiError> {
    Ok(Json(
        state
            .store
            .teams()
            .await?
            .into_iter()
            .map(TeamOut::from)
            .collect(),
    ))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_person))
        .routes(routes!(set_role))
        .routes(routes!(teams))
}
