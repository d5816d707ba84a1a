//! Personal access tokens over the API: list, create (secret shown once), revoke.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::schema::{NewTokenOut, TokenIn, TokenOut};
use crate::AppState;
use crate::accounts;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

/// Your tokens, newest first (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses(
        (status = 200, body = [TokenOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<TokenOut>>, ApiError> {
    Ok(Json(
        state
            .store
            .tokens(user.person.id)
            .await?
            .into_iter()
            .map(TokenOut::from)
            .collect(),
    ))
}

/// Create a token; its secret is in this response only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens",
    request_body = TokenIn,
    responses(
        (status = 201, body = NewTokenOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Bad name", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<TokenIn>,
) -> Result<(StatusCode, Json<NewTokenOut>), ApiError> {
    let (token, info) = accounts::create_token(&state, &user.person, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewTokenOut {
            token,
            info: info.into(),
        }),
    ))
}

/// Revoke one of your tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such token of yours", body = ErrorBody),
    ))]
async fn revoke(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .revoke_token(user.person.id, id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
}
