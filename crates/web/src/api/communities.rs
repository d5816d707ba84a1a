//! Communities over the API: the directory, proposing a community, its
//! charter and revisions, its history and activity log, and the lifecycle
//! (archive, merge, split). Membership lives in `communities_membership`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::community::{CommunityType, MemberRole, Orientation, Stage};
use store::communities::{Community, CommunityFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities_access::{Seen, may_see};
use super::communities_schema::{
    CommunityDetailOut, CommunityIn, CommunityLink, CommunityPageOut, CommunityPatchIn,
    DirectoryParams, EventsPageOut, HistoryOut, HistoryPageOut, MergeIn, PageParams,
    ParticipationOut, PersonRef, RevisionOut, SplitIn,
};
use super::communities_stewardship as stewardship;
use super::schema::CommunityOut;
use crate::AppState;
use crate::auth::Member;
use crate::cursor;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiQuery};

/// Default page size.
pub const PAGE: i64 = 50;

/// Checks a page size.
pub fn page_size(limit: Option<i64>) -> Result<i64, WebError> {
    let limit = limit.unwrap_or(PAGE);
    if !(1..=200).contains(&limit) {
        return Err(domain::Invalid::new("limit", "must be between 1 and 200").into());
    }
    Ok(limit)
}

/// Parses an optional filter value, empty meaning none.
pub fn filter<T: std::str::FromStr<Err = domain::Invalid>>(
    value: Option<&str>,
) -> Result<Option<T>, WebError> {
    Ok(value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::parse)
        .transpose()?)
}

/// The directory page for `viewer` with these filters, and the next cursor.
pub async fn directory(
    state: &AppState,
    viewer: i64,
    params: &DirectoryParams,
) -> Result<(Vec<store::communities::CommunitySummary>, Option<String>), WebError> {
    let limit = page_size(params.limit)?;
    let query = CommunityFilter {
        community_type: filter::<CommunityType>(params.community_type.as_deref())?,
        orientation: filter::<Orientation>(params.orientation.as_deref())?,
        stage: filter::<Stage>(params.stage.as_deref())?,
        mine: params.mine.unwrap_or(false),
        after: params
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode)
            .transpose()?,
        limit: limit + 1,
    };
    let mut items = state
        .store
        .directory_of_communities(Some(viewer), &query)
        .await?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items
            .last()
            .map(|c| cursor::encode(&(c.name.clone(), c.id)))
    } else {
        None
    };
    Ok((items, next))
}

/// A history position (instant in milliseconds, id) from a client's cursor.
pub fn position(cursor: Option<&str>) -> Result<Option<(i64, i64)>, WebError> {
    let Some(c) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let (at, id) = cursor::decode(c)?;
    let at = at.parse().map_err(|_| WebError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        message: "cursor: not a cursor this server gave out; start again without it".into(),
    })?;
    Ok(Some((at, id)))
}

/// The cursor after the last of a page of `limit` + 1 rows, trimming the extra row.
pub fn next_position<T>(
    rows: &mut Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> (chrono::DateTime<chrono::Utc>, i64),
) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(|r| {
        let (at, id) = key(r);
        cursor::encode(&(at.timestamp_millis().to_string(), id))
    })
}

/// The community `id` as a link, if `viewer` may see it.
pub async fn link_if_visible(
    state: &AppState,
    id: i64,
    viewer: i64,
) -> Result<Option<CommunityLink>, WebError> {
    let c = match state.store.community(id).await {
        Ok(c) => c,
        Err(store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(may_see(state, &c, viewer).await?.then_some(CommunityLink {
        slug: c.slug,
        name: c.charter.name,
    }))
}

/// The whole view of a community for `viewer`.
pub async fn detail(
    state: &AppState,
    c: &Community,
    viewer: i64,
    role: Option<MemberRole>,
) -> Result<CommunityDetailOut, WebError> {
    let stewards = state
        .store
        .members(c.id, Some(MemberRole::Steward), None, 100)
        .await?
        .into_iter()
        .map(|m| PersonRef {
            id: m.person_id,
            display_name: m.display_name,
        })
        .collect();
    let split_from = match c.split_from {
        Some(id) => link_if_visible(state, id, viewer).await?,
        None => None,
    };
    let mut splits = Vec::new();
    for (id, _, _) in state.store.splits_of(c.id).await? {
        if let Some(link) = link_if_visible(state, id, viewer).await? {
            splits.push(link);
        }
    }
    let counts = state
        .store
        .participation_counts(c.id, state.clock.now())
        .await?;
    Ok(CommunityDetailOut {
        slug: c.slug.clone(),
        charter: (&c.charter).into(),
        stage: c.stage.as_str().into(),
        members: c.members,
        participation: ParticipationOut {
            active: counts.active,
            occasional: counts.occasional,
            peripheral: counts.peripheral,
        },
        stewards,
        your_role: role.map(|r| r.as_str().into()),
        created_at: c.created_at,
        updated_at: c.updated_at,
        archived_at: c.archived_at,
        split_from,
        splits,
    })
}

/// The detail of `slug` as `viewer` sees it now.
async fn fresh(state: &AppState, slug: &str, viewer: i64) -> Result<CommunityDetailOut, WebError> {
    let c = state
        .store
        .community_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let role = state.store.role_in(c.id, viewer).await?;
    detail(state, &c, viewer, role).await
}

/// The communities you can see (every open one and the private ones you
/// belong to; none merged away), filtered, by name, with member counts.
#[utoipa::path(get, path = "/api/v1/communities", tag = "communities",
    params(DirectoryParams),
    responses(
        (status = 200, body = CommunityPageOut),
        (status = 400, description = "Bad query or cursor", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Unknown type, orientation or stage, or bad limit", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(params): ApiQuery<DirectoryParams>,
) -> Result<Json<CommunityPageOut>, ApiError> {
    let (items, next_cursor) = directory(&state, user.person.id, &params).await?;
    Ok(Json(CommunityPageOut {
        items: items.into_iter().map(CommunityOut::from).collect(),
        next_cursor,
    }))
}

/// Propose a community: you become its first steward; it starts in the potential stage.
#[utoipa::path(post, path = "/api/v1/communities", tag = "communities",
    request_body = CommunityIn,
    responses(
        (status = 201, body = CommunityDetailOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "The address is taken", body = ErrorBody),
        (status = 422, description = "A charter field is wrong", body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<CommunityIn>,
) -> Result<(StatusCode, Json<CommunityDetailOut>), ApiError> {
    let me = user.person.id;
    let slug = stewardship::propose(&state, me, body.slug.as_deref(), &body.draft()).await?;
    Ok((StatusCode::CREATED, Json(fresh(&state, &slug, me).await?)))
}

/// A community: its charter, stage, stewards, member count and links.
#[utoipa::path(get, path = "/api/v1/communities/{slug}", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = CommunityDetailOut),
        (status = 301, description = "Merged: the new address is in Location"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community, or a private one you do not belong to", body = ErrorBody),
    ))]
async fn get_one(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<CommunityDetailOut>, ApiError> {
    Ok(Json(
        detail(&state, &seen.community, seen.me(), seen.role).await?,
    ))
}

/// Edit the charter (a new revision) and stage. Stewards only.
#[utoipa::path(patch, path = "/api/v1/communities/{slug}", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    request_body = CommunityPatchIn,
    responses(
        (status = 200, body = CommunityDetailOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "Archived", body = ErrorBody),
        (status = 422, description = "A field is wrong", body = ErrorBody),
    ))]
async fn patch(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<CommunityPatchIn>,
) -> Result<Json<CommunityDetailOut>, ApiError> {
    // Who may edit comes before what the edit says.
    seen.require_steward()?;
    let charter = body.patch().apply(&seen.community.charter)?;
    stewardship::revise(
        &state,
        &seen,
        Some(charter),
        body.stage.as_deref(),
        body.note.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(Json(fresh(&state, &seen.community.slug, seen.me()).await?))
}

/// Every revision of the charter, oldest first, each with a word diff from the one before.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/charter/revisions", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [RevisionOut]),
        (status = 404, description = "No such community", body = ErrorBody),
    ))]
async fn revisions(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<Vec<RevisionOut>>, ApiError> {
    let revisions = state.store.charter_revisions(seen.community.id).await?;
    let mut out = Vec::with_capacity(revisions.len());
    for (i, r) in revisions.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| &revisions[j].charter);
        out.push(RevisionOut {
            revision: r.revision,
            editor: r.editor_name.clone(),
            at: r.at,
            note: r.note.clone(),
            charter: (&r.charter).into(),
            changes: domain::charter::changes(before, &r.charter)
                .into_iter()
                .map(Into::into)
                .collect(),
        });
    }
    Ok(Json(out))
}

/// The community's history: charter revisions, roles, requests, stage and lifecycle changes, newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/history", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), PageParams),
    responses(
        (status = 200, body = HistoryPageOut),
        (status = 400, description = "Bad cursor", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn history(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<HistoryPageOut>, ApiError> {
    let limit = page_size(params.limit)?;
    let before = position(params.cursor.as_deref())?;
    let mut rows = state
        .store
        .history_before(seen.community.id, before, limit + 1)
        .await?;
    let next_cursor = next_position(&mut rows, limit, |h| (h.at, h.id));
    let mut items = Vec::with_capacity(rows.len());
    for h in rows {
        let link = match h.other_community {
            Some(id) => link_if_visible(&state, id, seen.me()).await?,
            None => None,
        };
        items.push(HistoryOut::of(h, link));
    }
    Ok(Json(HistoryPageOut { items, next_cursor }))
}

/// The community's activity log (joins, leaves and contributions), newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/activity", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), PageParams),
    responses(
        (status = 200, body = EventsPageOut),
        (status = 400, description = "Bad cursor", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn activity(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<EventsPageOut>, ApiError> {
    let limit = page_size(params.limit)?;
    let before = position(params.cursor.as_deref())?;
    let mut rows = state
        .store
        .community_activity_before(seen.community.id, before, limit + 1)
        .await?;
    let next_cursor = next_position(&mut rows, limit, |e| (e.at, e.id));
    Ok(Json(EventsPageOut {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Archive the community: read-only from now on, everything kept. Stewards only.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/archive", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = CommunityDetailOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "Already archived", body = ErrorBody),
    ))]
async fn archive(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<CommunityDetailOut>, ApiError> {
    stewardship::archive(&state, &seen).await?;
    Ok(Json(fresh(&state, &seen.community.slug, seen.me()).await?))
}

/// Merge the community into another you also steward: members, content and
/// history move, and the old address redirects. Returns the merged-into community.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/merge", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    request_body = MergeIn,
    responses(
        (status = 200, body = CommunityDetailOut),
        (status = 403, description = "Not a steward of both", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "Archived, or merging into itself", body = ErrorBody),
        (status = 422, description = "No community to merge into at that address", body = ErrorBody),
    ))]
async fn merge(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<MergeIn>,
) -> Result<Json<CommunityDetailOut>, ApiError> {
    let target = stewardship::merge(&state, &seen, &body.into).await?;
    Ok(Json(fresh(&state, &target.slug, seen.me()).await?))
}

/// Split a new community from this one, with a link back; you become its
/// first steward and the listed members are invited. Stewards only.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/split", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    request_body = SplitIn,
    responses(
        (status = 201, body = CommunityDetailOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "Archived, address taken, or someone to invite is not a member", body = ErrorBody),
        (status = 422, description = "A charter field is wrong", body = ErrorBody),
    ))]
async fn split(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<SplitIn>,
) -> Result<(StatusCode, Json<CommunityDetailOut>), ApiError> {
    let slug = stewardship::split(
        &state,
        &seen,
        body.community.slug.as_deref(),
        &body.community.draft(),
        &body.invite,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(fresh(&state, &slug, seen.me()).await?),
    ))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, patch))
        .routes(routes!(revisions))
        .routes(routes!(history))
        .routes(routes!(activity))
        .routes(routes!(archive))
        .routes(routes!(merge))
        .routes(routes!(split))
}
