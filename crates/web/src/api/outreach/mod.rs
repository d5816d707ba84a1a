//! Digests and webhooks over the API: your digest and its e-mail settings
//! (and "e-mail it now"), and a community's webhooks with their delivery
//! log, for its stewards.

mod schema;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::schema::*;
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::outreach::digest;
use crate::outreach::payloads::EVENTS;
use crate::outreach::webhooks::{self, WebhookDraft, WebhookEdit};

const MAX_LIMIT: i64 = 100;

/// Your digest: new threads in your communities since your last digest,
/// unanswered questions you could answer, stale artifacts you own and the
/// next gatherings.
#[utoipa::path(get, path = "/api/v1/me/digest", tag = "outreach",
    responses(
        (status = 200, body = DigestOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn my_digest(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<DigestOut>, ApiError> {
    let now = state.clock.now();
    let since = digest::since_last(&state, user.person.id, now).await?;
    let d = digest::compose(&state, &user.person, since, now).await?;
    Ok(Json(DigestOut::from(&d)))
}

async fn settings_of(state: &AppState, person: i64) -> Result<DigestSettingsOut, WebError> {
    let pref = state.store.digest_preference(person).await?;
    Ok(DigestSettingsOut {
        email: pref.email,
        last_sent_at: pref.last_sent_at,
        mail_configured: state.outreach.mailer().is_some(),
    })
}

/// Your digest e-mail settings.
#[utoipa::path(get, path = "/api/v1/me/digest/settings", tag = "outreach",
    responses(
        (status = 200, body = DigestSettingsOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn get_settings(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<DigestSettingsOut>, ApiError> {
    Ok(Json(settings_of(&state, user.person.id).await?))
}

/// Turns the weekly digest e-mail on or off.
#[utoipa::path(put, path = "/api/v1/me/digest/settings", tag = "outreach",
    request_body = DigestSettingsIn,
    responses(
        (status = 200, body = DigestSettingsOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn put_settings(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<DigestSettingsIn>,
) -> Result<Json<DigestSettingsOut>, ApiError> {
    state
        .store
        .set_digest_email(user.person.id, body.email)
        .await
        .map_err(WebError::from)?;
    Ok(Json(settings_of(&state, user.person.id).await?))
}

/// E-mails you your digest now; the next weekly one comes a week later.
#[utoipa::path(post, path = "/api/v1/me/digest/email", tag = "outreach",
    responses(
        (status = 202, description = "Sent to the mail relay"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "This server sends no e-mail", body = ErrorBody),
        (status = 503, description = "The mail relay refused or could not be reached", body = ErrorBody),
    ))]
async fn email_now(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<StatusCode, ApiError> {
    digest::send_now(&state, &user.person).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The community's webhooks (stewards).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/webhooks", tag = "outreach",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = Vec<WebhookOut>),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<Vec<WebhookOut>>, ApiError> {
    let hooks = webhooks::list(&state, &seen).await?;
    Ok(Json(hooks.iter().map(WebhookOut::from).collect()))
}

/// Adds a webhook (stewards). The answer holds its signing secret, shown only now.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/webhooks", tag = "outreach",
    params(("slug" = String, Path, description = "Community address")),
    request_body = WebhookIn,
    responses(
        (status = 201, body = WebhookCreatedOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "Archived, or too many webhooks", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<WebhookIn>,
) -> Result<(StatusCode, Json<WebhookCreatedOut>), ApiError> {
    let draft = WebhookDraft {
        url: body.url,
        events: body
            .events
            .unwrap_or_else(|| EVENTS.iter().map(|(n, _)| (*n).to_owned()).collect()),
        description: body.description,
    };
    let hook = webhooks::create(&state, &seen, &draft).await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreatedOut {
            webhook: WebhookOut::from(&hook),
            secret: hook.secret,
        }),
    ))
}

/// One webhook (stewards).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/webhooks/{id}", tag = "outreach",
    params(("slug" = String, Path, description = "Community address"),
           ("id" = i64, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such webhook or community you can see", body = ErrorBody),
    ))]
async fn get_one(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
) -> Result<Json<WebhookOut>, ApiError> {
    let hook = webhooks::get(&state, &seen, id).await?;
    Ok(Json(WebhookOut::from(&hook)))
}

/// Changes a webhook: its address, events, description, or pauses and resumes it (stewards).
#[utoipa::path(patch, path = "/api/v1/communities/{slug}/webhooks/{id}", tag = "outreach",
    params(("slug" = String, Path, description = "Community address"),
           ("id" = i64, Path, description = "Webhook id")),
    request_body = WebhookPatch,
    responses(
        (status = 200, body = WebhookOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such webhook or community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn patch(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<WebhookPatch>,
) -> Result<Json<WebhookOut>, ApiError> {
    let edit = WebhookEdit {
        url: body.url,
        events: body.events,
        description: body.description,
        active: body.active,
    };
    let hook = webhooks::change(&state, &seen, id, &edit).await?;
    Ok(Json(WebhookOut::from(&hook)))
}

/// Removes a webhook (stewards): nothing more is sent to it.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/webhooks/{id}", tag = "outreach",
    params(("slug" = String, Path, description = "Community address"),
           ("id" = i64, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such webhook or community you can see", body = ErrorBody),
    ))]
async fn remove(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    webhooks::remove(&state, &seen, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Paging of a delivery log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A webhook's delivery log, newest first: status, response code, attempts, next try (stewards).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/webhooks/{id}/deliveries", tag = "outreach",
    params(("slug" = String, Path, description = "Community address"),
           ("id" = i64, Path, description = "Webhook id"), DeliveryQuery),
    responses(
        (status = 200, body = DeliveryPage),
        (status = 400, description = "Not a cursor this server gave out", body = ErrorBody),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such webhook or community you can see", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn deliveries(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> Result<Json<DeliveryPage>, ApiError> {
    let limit = match q.limit {
        None => 25,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            return Err(domain::Invalid::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )
            .into());
        }
    };
    let before = q
        .cursor
        .as_deref()
        .map(crate::cursor::decode_numbers)
        .transpose()?
        .map(|(id, _)| id);
    let log = webhooks::deliveries(&state, &seen, id, before, limit + 1).await?;
    let more = log.len() as i64 > limit;
    let items: Vec<DeliveryOut> = log
        .iter()
        .take(limit as usize)
        .map(DeliveryOut::from)
        .collect();
    let next_cursor = if more {
        items
            .last()
            .map(|d| crate::cursor::encode_numbers((d.id, 0)))
    } else {
        None
    };
    Ok(Json(DeliveryPage { items, next_cursor }))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_digest))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(email_now))
        .routes(routes!(list, create))
        .routes(routes!(get_one, patch, remove))
        .routes(routes!(deliveries))
}
