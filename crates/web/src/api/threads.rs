//! The shared space over the API: a community's threads, help wanted and
//! similar questions; threads and replies by id (read, write, edit,
//! revisions, accept, react, kudos, hide); search; notifications; kudos on
//! a person's page; the asker's own anonymous questions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::thread::ThreadType;
use serde::Deserialize;
use store::threads::ThreadFilter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::threads_schema::*;
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::shared_space::{self, SearchQuery, ThreadDraft};

const MAX_LIMIT: i64 = 100;

fn limit_of(limit: Option<i64>) -> Result<i64, WebError> {
    match limit {
        None => Ok(25),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => {
            Err(domain::Invalid::new("limit", format!("must be between 1 and {MAX_LIMIT}")).into())
        }
    }
}

/// Filters for a community's threads.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ThreadListQuery {
    /// Only this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub thread_type: Option<String>,
    /// Only threads with this tag.
    pub tag: Option<String>,
    /// Only solved (true) or unsolved (false) questions.
    pub solved: Option<bool>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The community's threads, latest activity first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/threads", tag = "shared space",
    params(("slug" = String, Path, description = "Community address"), ThreadListQuery),
    responses(
        (status = 200, body = ThreadPage),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(q): ApiQuery<ThreadListQuery>,
) -> Result<Json<ThreadPage>, ApiError> {
    let limit = limit_of(q.limit)?;
    let filter = ThreadFilter {
        thread_type: match q.thread_type.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => Some(t.parse::<ThreadType>().map_err(WebError::from)?),
            None => None,
        },
        tag: q
            .tag
            .filter(|t| !t.is_empty())
            .map(|t| t.trim().to_lowercase()),
        solved: q.solved,
    };
    let before = q
        .cursor
        .as_deref()
        .map(crate::cursor::decode_numbers)
        .transpose()?;
    let threads = state
        .store
        .threads(seen.community.id, &filter, before, limit + 1)
        .await
        .map_err(WebError::from)?;
    let more = threads.len() as i64 > limit;
    let items: Vec<_> = threads.iter().take(limit as usize).collect();
    let next_cursor = if more {
        items
            .last()
            .map(|t| crate::cursor::encode_numbers((t.last_activity_at.timestamp_millis(), t.id)))
    } else {
        None
    };
    Ok(Json(ThreadPage {
        items: items.into_iter().map(ThreadSummaryOut::from).collect(),
        next_cursor,
    }))
}

/// Start a thread (members; announcements by stewards).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/threads", tag = "shared space",
    params(("slug" = String, Path, description = "Community address")),
    request_body = ThreadIn,
    responses(
        (status = 201, body = ThreadOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn open(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<ThreadIn>,
) -> Result<(StatusCode, Json<ThreadOut>), ApiError> {
    let draft = ThreadDraft {
        thread_type: body.thread_type,
        title: body.title,
        body: body.body,
        tags: body.tags.join(","),
        anonymous: body.anonymous,
    };
    let id = shared_space::open(&state, &seen, &draft).await?;
    let view = shared_space::view(&state, &seen.user, id).await?;
    Ok((StatusCode::CREATED, Json(ThreadOut::from(&view))))
}

/// The community's questions that want help: no response for over seven
/// days, no response yet, answered but unsolved; oldest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/help-wanted", tag = "shared space",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = HelpWantedOut),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn help_wanted(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<HelpWantedOut>, ApiError> {
    let hw = state
        .store
        .help_wanted(seen.community.id, state.clock.now(), 100)
        .await
        .map_err(WebError::from)?;
    let out = |v: Vec<store::threads::Thread>| v.iter().map(ThreadSummaryOut::from).collect();
    Ok(Json(HelpWantedOut {
        overdue: out(hw.overdue),
        unanswered: out(hw.unanswered),
        unsolved: out(hw.unsolved),
    }))
}

/// The title of a question being written.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// The title so far.
    #[serde(default)]
    pub title: String,
}

/// Existing questions like the one being written, best first (at most five).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/similar-questions", tag = "shared space",
    params(("slug" = String, Path, description = "Community address"), SimilarQuery),
    responses(
        (status = 200, body = [SearchHitOut]),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn similar(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> Result<Json<Vec<SearchHitOut>>, ApiError> {
    let hits = shared_space::similar_questions(&state, &seen, &q.title).await?;
    Ok(Json(hits.into_iter().map(SearchHitOut::from).collect()))
}

/// The community's shared-space settings.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/space-settings", tag = "shared space",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = SpaceSettings),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn settings(seen: Seen) -> Json<SpaceSettings> {
    Json(SpaceSettings {
        anonymous_questions: seen.community.anonymous_questions,
    })
}

/// Change the shared-space settings (stewards).
#[utoipa::path(put, path = "/api/v1/communities/{slug}/space-settings", tag = "shared space",
    params(("slug" = String, Path, description = "Community address")),
    request_body = SpaceSettings,
    responses(
        (status = 200, body = SpaceSettings),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
    ))]
async fn set_settings(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<SpaceSettings>,
) -> Result<Json<SpaceSettings>, ApiError> {
    seen.require_steward()?;
    crate::api::communities_access::require_writable(&seen.community)?;
    state
        .store
        .set_anonymous_questions(seen.community.id, body.anonymous_questions)
        .await
        .map_err(WebError::from)?;
    Ok(Json(body))
}

/// A thread with its replies.
#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    responses(
        (status = 200, body = ThreadOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
    ))]
async fn show(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ThreadOut>, ApiError> {
    let view = shared_space::view(&state, &user, id).await?;
    Ok(Json(ThreadOut::from(&view)))
}

/// Edit a thread's title, body and tags (its writer); the old version is kept.
#[utoipa::path(put, path = "/api/v1/threads/{id}", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = ThreadEdit,
    responses(
        (status = 200, body = ThreadOut),
        (status = 403, description = "Not its writer", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 409, description = "Archived or hidden", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn edit(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ThreadEdit>,
) -> Result<Json<ThreadOut>, ApiError> {
    shared_space::edit(
        &state,
        &user,
        id,
        &body.title,
        &body.body,
        &body.tags.join(","),
    )
    .await?;
    let view = shared_space::view(&state, &user, id).await?;
    Ok(Json(ThreadOut::from(&view)))
}

/// Every version of a thread's opening post, newest first.
#[utoipa::path(get, path = "/api/v1/threads/{id}/revisions", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    responses(
        (status = 200, body = [RevisionOut]),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
    ))]
async fn revisions(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RevisionOut>>, ApiError> {
    let seen = shared_space::seen_thread(&state, &user, id).await?;
    if seen.thread.hidden_at.is_some() {
        return Ok(Json(Vec::new()));
    }
    let revisions = state
        .store
        .post_revisions(id, None)
        .await
        .map_err(WebError::from)?;
    Ok(Json(revisions.into_iter().map(RevisionOut::from).collect()))
}

/// Reply to a thread (members).
#[utoipa::path(post, path = "/api/v1/threads/{id}/replies", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = ReplyIn,
    responses(
        (status = 201, body = PostOut),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 409, description = "Archived, hidden, or the quoted reply is elsewhere", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn reply(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReplyIn>,
) -> Result<(StatusCode, Json<PostOut>), ApiError> {
    let reply = shared_space::reply(&state, &user, id, &body.body, body.quote_of).await?;
    let view = shared_space::view(&state, &user, id).await?;
    let post = view
        .replies
        .iter()
        .find(|p| p.reply_id == Some(reply))
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(PostOut::from(post))))
}

/// Edit a reply (its writer); the old version is kept.
#[utoipa::path(put, path = "/api/v1/replies/{id}", tag = "shared space",
    params(("id" = i64, Path, description = "Reply id")),
    request_body = ReplyEdit,
    responses(
        (status = 200, body = ThreadOut),
        (status = 403, description = "Not its writer", body = ErrorBody),
        (status = 404, description = "No such reply you can see", body = ErrorBody),
        (status = 409, description = "Archived or hidden", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn edit_reply(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReplyEdit>,
) -> Result<Json<ThreadOut>, ApiError> {
    let thread = shared_space::edit_reply(&state, &user, id, &body.body).await?;
    let view = shared_space::view(&state, &user, thread).await?;
    Ok(Json(ThreadOut::from(&view)))
}

/// Every version of a reply, newest first.
#[utoipa::path(get, path = "/api/v1/replies/{id}/revisions", tag = "shared space",
    params(("id" = i64, Path, description = "Reply id")),
    responses(
        (status = 200, body = [RevisionOut]),
        (status = 404, description = "No such reply you can see", body = ErrorBody),
    ))]
async fn reply_revisions(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RevisionOut>>, ApiError> {
    let (reply, seen) = shared_space::seen_reply(&state, &user, id).await?;
    if reply.hidden_at.is_some() || seen.thread.hidden_at.is_some() {
        return Ok(Json(Vec::new()));
    }
    let revisions = state
        .store
        .post_revisions(reply.thread_id, Some(id))
        .await
        .map_err(WebError::from)?;
    Ok(Json(revisions.into_iter().map(RevisionOut::from).collect()))
}

/// Accept an answer to a question (the asker or a steward).
#[utoipa::path(post, path = "/api/v1/threads/{id}/accept", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = AcceptIn,
    responses(
        (status = 200, body = ThreadOut),
        (status = 403, description = "Not the asker or a steward", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 409, description = "Not a question, or not a reply in it", body = ErrorBody),
    ))]
async fn accept(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AcceptIn>,
) -> Result<Json<ThreadOut>, ApiError> {
    shared_space::accept(&state, &user, id, body.reply_id).await?;
    let view = shared_space::view(&state, &user, id).await?;
    Ok(Json(ThreadOut::from(&view)))
}

/// React to a post ("helpful", "thanks"), or take the reaction back.
#[utoipa::path(post, path = "/api/v1/threads/{id}/reactions", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = ReactionIn,
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 422, description = "Unknown reaction or reply", body = ErrorBody),
    ))]
async fn react(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReactionIn>,
) -> Result<StatusCode, ApiError> {
    shared_space::react(&state, &user, id, body.reply_id, &body.reaction, body.on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give kudos to the writer of a post.
#[utoipa::path(post, path = "/api/v1/threads/{id}/kudos", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = KudosIn,
    responses(
        (status = 201, description = "Given"),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
        (status = 409, description = "Your own or an anonymous post", body = ErrorBody),
        (status = 422, description = "Unknown reply, or note too long", body = ErrorBody),
    ))]
async fn kudos(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<KudosIn>,
) -> Result<StatusCode, ApiError> {
    shared_space::kudos(&state, &user, id, body.reply_id, &body.note).await?;
    Ok(StatusCode::CREATED)
}

/// Hide (or show again) a thread (organisation admins); who wrote it is never revealed.
#[utoipa::path(post, path = "/api/v1/threads/{id}/hide", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = HideIn,
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
    ))]
async fn hide(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HideIn>,
) -> Result<StatusCode, ApiError> {
    shared_space::hide(&state, &user, id, None, body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Hide (or show again) a reply (organisation admins).
#[utoipa::path(post, path = "/api/v1/replies/{id}/hide", tag = "shared space",
    params(("id" = i64, Path, description = "Reply id")),
    request_body = HideIn,
    responses(
        (status = 204, description = "Done"),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such reply you can see", body = ErrorBody),
    ))]
async fn hide_reply(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HideIn>,
) -> Result<StatusCode, ApiError> {
    shared_space::hide(&state, &user, 0, Some(id), body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words.
    #[serde(default)]
    pub q: String,
    /// Only this community (its address).
    pub community: Option<String>,
    /// Only this thread type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub thread_type: Option<String>,
    /// Only threads with this tag.
    pub tag: Option<String>,
    /// Only solved (true) or unsolved (false) questions.
    pub solved: Option<bool>,
    /// Page size, 1 to 100 (default 25).
    pub limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Search the threads, replies and published artifacts you may see, best
/// first; each result says whether it is a `thread` or an `artifact`.
#[utoipa::path(get, path = "/api/v1/search", tag = "shared space",
    params(SearchParams),
    responses(
        (status = 200, body = SearchOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn search(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchOut>, ApiError> {
    let limit = limit_of(p.limit)?;
    let offset = match p.cursor.as_deref() {
        Some(c) => crate::cursor::decode_numbers(c)?.0.max(0),
        None => 0,
    };
    let query = SearchQuery {
        q: p.q,
        community: p.community,
        thread_type: p.thread_type,
        tag: p.tag,
        solved: p.solved,
    };
    let hits = shared_space::search(&state, &user, &query, offset, limit + 1).await?;
    let thread_only = query.thread_type.as_deref().is_some_and(|t| !t.is_empty())
        || query.tag.as_deref().is_some_and(|t| !t.trim().is_empty())
        || query.solved.is_some();
    let artifacts = if offset == 0 && !thread_only {
        crate::artifact_service::search_in(
            &state,
            &user,
            &query.q,
            query.community.as_deref(),
            limit,
        )
        .await?
    } else {
        Vec::new()
    };
    let next_cursor =
        (hits.len() as i64 > limit).then(|| crate::cursor::encode_numbers((offset + limit, 0)));
    Ok(Json(SearchOut {
        items: hits
            .into_iter()
            .take(limit as usize)
            .map(SearchHitOut::from)
            .collect(),
        artifacts: artifacts.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Your notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "shared space",
    responses(
        (status = 200, body = NotificationsOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn notifications(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<NotificationsOut>, ApiError> {
    let me = user.person.id;
    let items = state
        .store
        .notifications(me, 100)
        .await
        .map_err(WebError::from)?;
    let unread = state
        .store
        .unread_notifications(me)
        .await
        .map_err(WebError::from)?;
    Ok(Json(NotificationsOut {
        unread,
        items: items.into_iter().map(NotificationOut::from).collect(),
    }))
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "shared space",
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn read_notifications(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .read_notifications(user.person.id, state.clock.now())
        .await
        .map_err(WebError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Kudos a person received, for contributions you may see.
#[utoipa::path(get, path = "/api/v1/people/{id}/kudos", tag = "shared space",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, body = [KudosOut]),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn person_kudos(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<KudosOut>>, ApiError> {
    state.store.person(id).await.map_err(WebError::from)?;
    let kudos = state
        .store
        .kudos_for(id, user.person.id)
        .await
        .map_err(WebError::from)?;
    Ok(Json(kudos.into_iter().map(KudosOut::from).collect()))
}

/// The questions you asked anonymously (only you see this list).
#[utoipa::path(get, path = "/api/v1/me/anonymous-questions", tag = "shared space",
    responses(
        (status = 200, body = [ThreadSummaryOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn my_anonymous(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<ThreadSummaryOut>>, ApiError> {
    let mine = state
        .store
        .anonymous_questions_of(user.person.id)
        .await
        .map_err(WebError::from)?;
    Ok(Json(mine.iter().map(ThreadSummaryOut::from).collect()))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(help_wanted))
        .routes(routes!(similar))
        .routes(routes!(settings, set_settings))
        .routes(routes!(show, edit))
        .routes(routes!(revisions))
        .routes(routes!(reply))
        .routes(routes!(edit_reply))
        .routes(routes!(reply_revisions))
        .routes(routes!(accept))
        .routes(routes!(react))
        .routes(routes!(kudos))
        .routes(routes!(hide))
        .routes(routes!(hide_reply))
        .routes(routes!(search))
        .routes(routes!(notifications))
        .routes(routes!(read_notifications))
        .routes(routes!(person_kudos))
        .routes(routes!(my_anonymous))
}
