//! Gatherings over the API: a community's series (list, create, its
//! calendar), series by id (read, edit, "this and following", whole-series
//! RSVP, volunteering, facilitation, fairness, occurrences), occurrences by
//! id (read, RSVP, attendance, check-in, cancel, move, notes, notes
//! promoted into an artifact), and calendar feed tokens.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, TimeDelta, Utc};
use domain::gathering::plan::Draft;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::gatherings_schema::*;
use crate::AppState;
use crate::api::communities_access::{Seen, visible_by_slug};
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::gathering_service as gs;

/// The community's series with their next occurrences.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/gatherings", tag = "gatherings",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [SeriesOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn list(State(state): State<AppState>, seen: Seen) -> Result<Json<Vec<SeriesOut>>, ApiError> {
    let slug = &seen.community.slug;
    Ok(Json(
        gs::list(&state, &seen.community)
            .await?
            .iter()
            .map(|s| SeriesOut::of(slug, &s.record, &s.next))
            .collect(),
    ))
}

/// Create a series or a one-off gathering (stewards).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/gatherings", tag = "gatherings",
    params(("slug" = String, Path, description = "Community address")),
    request_body = SeriesIn,
    responses(
        (status = 201, body = SeriesOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "Bad series: rule, zone, start, length, ...", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<SeriesIn>,
) -> Result<(StatusCode, Json<SeriesOut>), ApiError> {
    let id = gs::create(&state, &seen, &Draft::from(&body)).await?;
    let a = gs::series(&state, &seen.user, id).await?;
    let next = gs::next_of(&a.schedule, state.clock.now(), 5);
    Ok((
        StatusCode::CREATED,
        Json(SeriesOut::of(&a.community.slug, &a.record, &next)),
    ))
}

/// The community's gatherings as iCalendar (RFC 5545), with your RSVPs.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/calendar.ics", tag = "gatherings",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, description = "An iCalendar document", content_type = "text/calendar", body = String),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn calendar(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<impl IntoResponse, ApiError> {
    let body = gs::community_calendar(&state, &seen.user, &seen.community).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    ))
}

/// A series with its next occurrences.
#[utoipa::path(get, path = "/api/v1/gatherings/{id}", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 200, body = SeriesOut),
        (status = 404, description = "No such series you can see", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SeriesOut>, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    let next = gs::next_of(&a.schedule, state.clock.now(), 5);
    Ok(Json(SeriesOut::of(&a.community.slug, &a.record, &next)))
}

/// Edit the whole series (stewards).
#[utoipa::path(put, path = "/api/v1/gatherings/{id}", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    request_body = SeriesIn,
    responses(
        (status = 200, body = SeriesOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such series you can see", body = ErrorBody),
        (status = 422, description = "Bad series", body = ErrorBody),
    ))]
async fn edit(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SeriesIn>,
) -> Result<Json<SeriesOut>, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    gs::update(&state, &a, &Draft::from(&body)).await?;
    let a = gs::series(&state, &user, id).await?;
    let next = gs::next_of(&a.schedule, state.clock.now(), 5);
    Ok(Json(SeriesOut::of(&a.community.slug, &a.record, &next)))
}

/// "Edit this and following": the series continues differently from one occurrence (stewards).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/split", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    request_body = SplitIn,
    responses(
        (status = 201, description = "The series from that occurrence on", body = SeriesOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such series you can see", body = ErrorBody),
        (status = 422, description = "Bad occurrence or series", body = ErrorBody),
    ))]
async fn split(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SplitIn>,
) -> Result<(StatusCode, Json<SeriesOut>), ApiError> {
    let a = gs::series(&state, &user, id).await?;
    let new = gs::split(&state, &a, &body.from, &Draft::from(&body.series)).await?;
    let a = gs::series(&state, &user, new).await?;
    let next = gs::next_of(&a.schedule, state.clock.now(), 5);
    Ok((
        StatusCode::CREATED,
        Json(SeriesOut::of(&a.community.slug, &a.record, &next)),
    ))
}

/// A range of occurrences.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// From (RFC 3339); now when absent.
    pub from: Option<DateTime<Utc>>,
    /// To (RFC 3339); 120 days after `from` when absent.
    pub to: Option<DateTime<Utc>>,
}

/// The series' occurrences in a range (cancelled ones included, marked).
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/occurrences", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id"), RangeParams),
    responses(
        (status = 200, body = [OccurrenceOut]),
        (status = 404, description = "No such series you can see", body = ErrorBody),
        (status = 422, description = "Bad range", body = ErrorBody),
    ))]
async fn occurrences(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RangeParams>,
) -> Result<Json<Vec<OccurrenceOut>>, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    let from = q.from.unwrap_or_else(|| state.clock.now());
    let to = q.to.unwrap_or(from + TimeDelta::days(gs::LOOK_AHEAD_DAYS));
    let e = a.schedule.expand(from, to)?;
    Ok(Json(
        e.occurrences
            .iter()
            .map(|o| OccurrenceOut::of(id, o))
            .collect(),
    ))
}

/// Answer every occurrence of the series (members); an answer to one occurrence overrides it there.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/rsvp", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    request_body = RsvpIn,
    responses(
        (status = 204, description = "Answered"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such series you can see", body = ErrorBody),
        (status = 422, description = "Bad answer", body = ErrorBody),
    ))]
async fn rsvp_series(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RsvpIn>,
) -> Result<StatusCode, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    gs::rsvp_series(&state, &a, &body.response).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Volunteers, suggested facilitators of the next occurrences, and who facilitated before.
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/facilitation", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 200, body = FacilitationOut),
        (status = 404, description = "No such series you can see", body = ErrorBody),
    ))]
async fn facilitation(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FacilitationOut>, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    let v = gs::facilitation_view(&state, &a).await?;
    Ok(Json(FacilitationOut {
        volunteers: v
            .volunteers
            .iter()
            .map(|(id, n)| PersonName {
                id: *id,
                display_name: n.clone(),
            })
            .collect(),
        suggestions: v.suggestions.iter().map(SuggestionOut::from).collect(),
        history: v
            .history
            .iter()
            .map(|f| FacilitatedOut {
                occurrence: a.record.occurrence_ref(f.recurrence_id).key(),
                facilitator: PersonName {
                    id: f.person_id,
                    display_name: f.display_name.clone(),
                },
            })
            .collect(),
    }))
}

/// Volunteer to facilitate this series (members).
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/volunteers", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 204, description = "Volunteered"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such series you can see", body = ErrorBody),
    ))]
async fn volunteer(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    gs::volunteer(&state, &a, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop volunteering.
#[utoipa::path(delete, path = "/api/v1/gatherings/{id}/volunteers", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, description = "No such series you can see", body = ErrorBody),
    ))]
async fn withdraw(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    gs::volunteer(&state, &a, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Say you cannot facilitate one occurrence (the rotation skips you for it), or take that back.
#[utoipa::path(post, path = "/api/v1/gatherings/{id}/declines", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    request_body = DeclineIn,
    responses(
        (status = 204, description = "Noted"),
        (status = 404, description = "No such series or occurrence you can see", body = ErrorBody),
    ))]
async fn decline(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DeclineIn>,
) -> Result<StatusCode, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &body.occurrence).await?;
    if a.record.id != id {
        return Err(WebError::NotFound.into());
    }
    gs::decline_facilitation(&state, &a, &o, body.declined).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Time-zone fairness: each member's local time and burden, before and after the suggested rotation.
#[utoipa::path(get, path = "/api/v1/gatherings/{id}/fairness", tag = "gatherings",
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 200, body = FairnessOut),
        (status = 404, description = "No such series you can see", body = ErrorBody),
        (status = 422, description = "Gatherings longer than a day are not weighed", body = ErrorBody),
    ))]
async fn fairness(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FairnessOut>, ApiError> {
    let a = gs::series(&state, &user, id).await?;
    let v = gs::fairness_view(&state, &a).await?;
    Ok(Json(FairnessOut::from(&v)))
}

/// One occurrence: answers, seats and waitlist, attendance, notes.
#[utoipa::path(get, path = "/api/v1/occurrences/{id}", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id, e.g. 12-20260303T080000Z")),
    responses(
        (status = 200, body = OccurrenceDetail),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
    ))]
async fn occurrence(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OccurrenceDetail>, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    let v = gs::occurrence_view(&state, &a, &o).await?;
    Ok(Json(OccurrenceDetail::of(&a.record, &v)))
}

/// Answer one occurrence: yes, no or maybe (members; changeable). With a
/// capacity, yeses beyond it wait in line and move up when someone declines.
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/rsvp", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = RsvpIn,
    responses(
        (status = 200, body = OccurrenceDetail),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 409, description = "The occurrence is cancelled", body = ErrorBody),
        (status = 422, description = "Bad answer", body = ErrorBody),
    ))]
async fn rsvp(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RsvpIn>,
) -> Result<Json<OccurrenceDetail>, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::rsvp(&state, &a, &o, &body.response).await?;
    let a = gs::series(&state, &user, a.record.id).await?;
    let v = gs::occurrence_view(&state, &a, &o).await?;
    Ok(Json(OccurrenceDetail::of(&a.record, &v)))
}

/// Take attendance afterwards (stewards and the series' facilitators); marks it held.
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/attendance", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = AttendanceIn,
    responses(
        (status = 200, body = OccurrenceDetail),
        (status = 403, description = "Not a facilitator or steward", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 409, description = "The occurrence is cancelled", body = ErrorBody),
        (status = 422, description = "Not started yet, or not members", body = ErrorBody),
    ))]
async fn attendance(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AttendanceIn>,
) -> Result<Json<OccurrenceDetail>, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::record_attendance(&state, &a, &o, body.facilitator_id, &body.attendees).await?;
    let a = gs::series(&state, &user, a.record.id).await?;
    let v = gs::occurrence_view(&state, &a, &o).await?;
    Ok(Json(OccurrenceDetail::of(&a.record, &v)))
}

/// Check yourself in (members), from 30 minutes before the start.
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/check-in", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    responses(
        (status = 204, description = "Checked in"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 422, description = "Too early", body = ErrorBody),
    ))]
async fn check_in(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::check_in(&state, &a, &o).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel one occurrence, or restore it (stewards).
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/cancel", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = CancelIn,
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
    ))]
async fn cancel(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CancelIn>,
) -> Result<StatusCode, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::cancel(&state, &a, &o, body.cancelled).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move one occurrence, or put it back (stewards).
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/move", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = MoveIn,
    responses(
        (status = 204, description = "Moved"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 422, description = "Bad start or length", body = ErrorBody),
    ))]
async fn move_occurrence(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MoveIn>,
) -> Result<StatusCode, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::move_to(&state, &a, &o, &body.start, body.duration_minutes).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set the occurrence's own agenda, notes and recording link (stewards and facilitators).
#[utoipa::path(put, path = "/api/v1/occurrences/{id}/record", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = RecordIn,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Not a facilitator or steward", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 422, description = "Bad link or text", body = ErrorBody),
    ))]
async fn record(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RecordIn>,
) -> Result<StatusCode, ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    gs::write_record(
        &state,
        &a,
        &o,
        body.agenda.as_deref(),
        &body.notes,
        &body.recording_url,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Promote the occurrence's notes into a draft artifact linked to it (the
/// series' facilitators, the date's facilitator and stewards).
#[utoipa::path(post, path = "/api/v1/occurrences/{id}/artifacts", tag = "gatherings",
    params(("id" = String, Path, description = "Occurrence id")),
    request_body = PromoteIn,
    responses(
        (status = 201, description = "The draft artifact", body = PromotedOut),
        (status = 403, description = "Not a facilitator or steward", body = ErrorBody),
        (status = 404, description = "No such occurrence you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "No notes, or a bad kind or title", body = ErrorBody),
    ))]
async fn promote(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PromoteIn>,
) -> Result<(StatusCode, Json<PromotedOut>), ApiError> {
    let (a, o) = gs::occurrence(&state, &user, &id).await?;
    let promotion = gs::Promotion {
        kind: body.kind,
        title: body.title,
    };
    let artifact = gs::promote_notes(&state, &a, &o, &promotion).await?;
    let made = state.store.artifact(artifact).await?;
    Ok((
        StatusCode::CREATED,
        Json(PromotedOut {
            id: made.id,
            kind: made.content.kind.as_str().into(),
            title: made.content.title,
            state: made.state.as_str().into(),
        }),
    ))
}

/// Your calendar feeds.
#[utoipa::path(get, path = "/api/v1/feeds", tag = "gatherings",
    responses(
        (status = 200, body = [FeedOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn feeds(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<FeedOut>>, ApiError> {
    Ok(Json(
        state
            .store
            .feed_tokens(user.person.id)
            .await?
            .iter()
            .map(FeedOut::from)
            .collect(),
    ))
}

/// Make a calendar feed (one community's, or all of yours); its address holds a secret token, shown once.
#[utoipa::path(post, path = "/api/v1/feeds", tag = "gatherings",
    request_body = FeedIn,
    responses(
        (status = 201, body = NewFeedOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "No such community you can see", body = ErrorBody),
    ))]
async fn create_feed(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<FeedIn>,
) -> Result<(StatusCode, Json<NewFeedOut>), ApiError> {
    let community = match body.community.as_deref() {
        Some(slug) => Some(visible_by_slug(&state, slug, user.person.id, "community").await?),
        None => None,
    };
    let (secret, token) = gs::create_feed(&state, &user, community.as_ref()).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewFeedOut {
            feed: FeedOut::from(&token),
            url: gs::feed_path(&secret),
        }),
    ))
}

/// Revoke one of your feeds.
#[utoipa::path(delete, path = "/api/v1/feeds/{id}", tag = "gatherings",
    params(("id" = i64, Path, description = "Feed id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such feed of yours", body = ErrorBody),
    ))]
async fn revoke_feed(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .revoke_feed_token(user.person.id, id, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(calendar))
        .routes(routes!(show, edit))
        .routes(routes!(split))
        .routes(routes!(occurrences))
        .routes(routes!(rsvp_series))
        .routes(routes!(facilitation))
        .routes(routes!(volunteer, withdraw))
        .routes(routes!(decline))
        .routes(routes!(fairness))
        .routes(routes!(occurrence))
        .routes(routes!(rsvp))
        .routes(routes!(attendance))
        .routes(routes!(check_in))
        .routes(routes!(cancel))
        .routes(routes!(move_occurrence))
        .routes(routes!(record))
        .routes(routes!(promote))
        .routes(routes!(feeds, create_feed))
        .routes(routes!(revoke_feed))
}
