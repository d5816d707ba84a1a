//! Signing up, logging in and out, and one's own profile, over the API.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use domain::person::{OrgRole, ProfileDraft, Skill};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::schema::{LogInIn, PersonOut, ProfileIn, SessionOut, SignUpIn};
use crate::AppState;
use crate::accounts::{self, NewSession, SignUp};
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::ApiJson;

async fn session_out(state: &AppState, session: NewSession) -> Result<SessionOut, ApiError> {
    let person = state.store.profile(session.person_id).await?;
    Ok(SessionOut {
        token: session.secret,
        expires_at: session.expires_at,
        person: PersonOut::of(person, true),
    })
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "accounts", security(()),
    request_body = SignUpIn,
    responses(
        (status = 201, description = "Account created; a session token", body = SessionOut),
        (status = 403, description = "Sign-up is closed", body = ErrorBody),
        (status = 409, description = "E-mail taken", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn sign_up(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignUpIn>,
) -> Result<(StatusCode, Json<SessionOut>), ApiError> {
    if !state.config.open_signup {
        return Err(WebError::Forbidden(
            "sign-up is closed here; ask an administrator for an account".into(),
        )
        .into());
    }
    let id = accounts::sign_up(
        &state,
        SignUp {
            email: body.email,
            display_name: body.display_name,
            password: body.password,
        },
        OrgRole::Member,
    )
    .await?;
    let session = accounts::start_session(&state, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(session_out(&state, session).await?),
    ))
}

/// Log in with e-mail and password; returns a session token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", security(()),
    request_body = LogInIn,
    responses(
        (status = 200, description = "Signed in", body = SessionOut),
        (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<LogInIn>,
) -> Result<Json<SessionOut>, ApiError> {
    let session = accounts::log_in(
        &state,
        &body.email,
        &body.password,
        &client.ip().to_string(),
    )
    .await?;
    Ok(Json(session_out(&state, session).await?))
}

/// End the session whose token was sent.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses(
        (status = 204, description = "Logged out"),
        (status = 400, description = "A personal access token was sent: revoke it instead", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn log_out(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<StatusCode, ApiError> {
    let Some(digest) = &user.session_digest else {
        return Err(WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            message:
                "this is a personal access token, not a session; revoke it under /api/v1/tokens"
                    .into(),
        }
        .into());
    };
    accounts::log_out(&state, digest).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your own record, with your e-mail.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses(
        (status = 200, body = PersonOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn me(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<PersonOut>, ApiError> {
    Ok(Json(PersonOut::of(
        state.store.profile(user.person.id).await?,
        true,
    )))
}

/// Replace your profile.
#[utoipa::path(put, path = "/api/v1/me/profile", tag = "accounts",
    request_body = ProfileIn,
    responses(
        (status = 200, description = "The saved profile", body = PersonOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn update_profile(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<ProfileIn>,
) -> Result<Json<PersonOut>, ApiError> {
    let skills = body
        .skills
        .into_iter()
        .map(|s| {
            Ok(Skill {
                name: s.name,
                level: s.level.parse()?,
            })
        })
        .collect::<Result<Vec<_>, domain::Invalid>>()?;
    let profile = ProfileDraft {
        display_name: body.display_name,
        team: body.team.unwrap_or_default(),
        location: body.location.unwrap_or_default(),
        time_zone: body.time_zone.unwrap_or_default(),
        work_start: body.work_start.unwrap_or_default(),
        work_end: body.work_end.unwrap_or_default(),
        bio: body.bio.unwrap_or_default(),
        skills,
        interests: body.interests,
        can_teach: body.can_teach,
        wants_to_learn: body.wants_to_learn,
    }
    .validate()?;
    state
        .store
        .update_profile(user.person.id, &profile, state.clock.now())
        .await?;
    Ok(Json(PersonOut::of(
        state.store.profile(user.person.id).await?,
        true,
    )))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(log_in))
        .routes(routes!(log_out))
        .routes(routes!(me))
        .routes(routes!(update_profile))
}
