//! Membership over the API: joining and leaving, the member list with
//! derived participation, the membership history, roles, requests to join,
//! invitations, and the communities a person belongs to.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::community::MemberRole;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::{detail, filter, next_position, page_size, position};
use super::communities_access::{Seen, may_see, require_writable};
use super::communities_schema::{
    CommunityDetailOut, InvitationOut, InviteIn, InvitedOut, MemberOut, MemberRoleIn,
    MembersPageOut, MembersParams, PageParams, PendingOut, PersonCommunityOut, RequestIn,
    RequestedOut, SpellsPageOut,
};
use super::communities_stewardship as stewardship;
use crate::AppState;
use crate::auth::Member;
use crate::cursor;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

/// The words of the answer to every request to join.
pub const REQUESTED: &str = "If a community you may ask to join lives at that address, \
     its stewards will see your request.";

/// Join an open community, or a private one you were invited to.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = CommunityDetailOut),
        (status = 404, description = "No such community, or private and you were not invited or approved", body = ErrorBody),
        (status = 409, description = "Already a member, or archived", body = ErrorBody),
    ))]
async fn join(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<CommunityDetailOut>, ApiError> {
    let me = user.person.id;
    if domain::community::slug(&slug).as_deref() != Ok(slug.as_str()) {
        return Err(WebError::NotFound.into());
    }
    // Not through `Seen`: an invitee may join a private community they cannot see yet.
    if let Some(home) = state.store.merged_home(&slug).await? {
        let target = state.store.community(home).await?;
        // Outsiders of a private new home learn nothing about it.
        if !may_see(&state, &target, me).await? {
            return Err(WebError::NotFound.into());
        }
        return Err(WebError::Conflict {
            field: "community".into(),
            message: format!(
                "this community was merged into {}; join that one",
                target.slug
            ),
        }
        .into());
    }
    let c = state
        .store
        .community_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    state.store.join(c.id, me, state.clock.now()).await?;
    let c = state.store.community(c.id).await?;
    let role = state.store.role_in(c.id, me).await?;
    Ok(Json(detail(&state, &c, me, role).await?))
}

/// Leave the community. The last steward must hand stewardship over first.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/leave", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 204, description = "Left"),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "Not a member, the last steward, or archived", body = ErrorBody),
    ))]
async fn leave(State(state): State<AppState>, seen: Seen) -> Result<StatusCode, ApiError> {
    require_writable(&seen.community)?;
    state
        .store
        .leave(seen.community.id, seen.me(), state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Current members by name, with role and participation (active: a
/// contribution in the last 28 days; occasional: 90; else peripheral).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/members", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), MembersParams),
    responses(
        (status = 200, body = MembersPageOut),
        (status = 400, description = "Bad cursor", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 422, description = "Unknown role or bad limit", body = ErrorBody),
    ))]
async fn members(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(params): ApiQuery<MembersParams>,
) -> Result<Json<MembersPageOut>, ApiError> {
    let (items, next_cursor) = member_page(&state, &seen, &params).await?;
    Ok(Json(MembersPageOut { items, next_cursor }))
}

/// One page of members and the cursor of the next.
pub async fn member_page(
    state: &AppState,
    seen: &Seen,
    params: &MembersParams,
) -> Result<(Vec<MemberOut>, Option<String>), WebError> {
    let limit = page_size(params.limit)?;
    let role = filter::<MemberRole>(params.role.as_deref())?;
    let after = params
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode)
        .transpose()?;
    let mut rows = state
        .store
        .members(seen.community.id, role, after, limit + 1)
        .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|m| cursor::encode(&(m.display_name.clone(), m.person_id)))
    } else {
        None
    };
    let now = state.clock.now();
    Ok((
        rows.into_iter().map(|m| MemberOut::of(m, now)).collect(),
        next,
    ))
}

/// Every spell of membership, past and present (joined, left, rejoined), newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/members/history", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), PageParams),
    responses(
        (status = 200, body = SpellsPageOut),
        (status = 400, description = "Bad cursor", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn membership_history(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<SpellsPageOut>, ApiError> {
    let limit = page_size(params.limit)?;
    let before = position(params.cursor.as_deref())?;
    let mut rows = state
        .store
        .membership_history_before(seen.community.id, before, limit + 1)
        .await?;
    let next_cursor = next_position(&mut rows, limit, |m| (m.joined_at, m.id));
    Ok(Json(SpellsPageOut {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Give a member a role (steward, core or member). Stewards only; a community keeps a steward.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/members/{person_id}/role", tag = "communities",
    params(("slug" = String, Path, description = "Community address"),
        ("person_id" = i64, Path, description = "The member's person id")),
    request_body = MemberRoleIn,
    responses(
        (status = 204, description = "Role set"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community or member", body = ErrorBody),
        (status = 409, description = "It would leave no steward, or archived", body = ErrorBody),
        (status = 422, description = "Unknown role", body = ErrorBody),
    ))]
async fn set_role(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, person)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<MemberRoleIn>,
) -> Result<StatusCode, ApiError> {
    stewardship::give_role(&state, &seen, person, &body.role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pending requests to join and invitations. Stewards only.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/requests", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [PendingOut]),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
    ))]
async fn requests(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<Vec<PendingOut>>, ApiError> {
    seen.require_steward()?;
    Ok(Json(
        state
            .store
            .pending_requests(seen.community.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Ask to join a private community. The answer is the same whether or not a
/// private community lives at the address, so asking reveals nothing.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    request_body = RequestIn,
    responses(
        (status = 202, body = RequestedOut),
        (status = 409, description = "An open community (join it), already a member, or archived", body = ErrorBody),
        (status = 422, description = "Message too long", body = ErrorBody),
    ))]
async fn ask(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<RequestIn>,
) -> Result<(StatusCode, Json<RequestedOut>), ApiError> {
    stewardship::ask_to_join(
        &state,
        user.person.id,
        &slug,
        body.message.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RequestedOut {
            status: "requested".into(),
            message: REQUESTED.into(),
        }),
    ))
}

/// Approve a request to join: the person becomes a member. Stewards only.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests/{id}/approve", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), ("id" = i64, Path, description = "Request id")),
    responses(
        (status = 204, description = "Approved"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community or pending request", body = ErrorBody),
        (status = 409, description = "Archived", body = ErrorBody),
    ))]
async fn approve(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    stewardship::decide(&state, &seen, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline a request to join. Stewards only.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/requests/{id}/decline", tag = "communities",
    params(("slug" = String, Path, description = "Community address"), ("id" = i64, Path, description = "Request id")),
    responses(
        (status = 204, description = "Declined"),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community or pending request", body = ErrorBody),
        (status = 409, description = "Archived", body = ErrorBody),
    ))]
async fn decline(
    State(state): State<AppState>,
    seen: Seen,
    ApiPath((_slug, id)): ApiPath<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    stewardship::decide(&state, &seen, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invite someone to the community. Stewards only.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/invitations", tag = "communities",
    params(("slug" = String, Path, description = "Community address")),
    request_body = InviteIn,
    responses(
        (status = 201, body = InvitedOut),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community", body = ErrorBody),
        (status = 409, description = "No such person, already a member or invited, or archived", body = ErrorBody),
    ))]
async fn invite(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(body): ApiJson<InviteIn>,
) -> Result<(StatusCode, Json<InvitedOut>), ApiError> {
    let id = stewardship::invite(
        &state,
        &seen,
        body.person_id,
        body.message.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(InvitedOut { id })))
}

/// Your pending invitations.
#[utoipa::path(get, path = "/api/v1/invitations", tag = "communities",
    responses(
        (status = 200, body = [InvitationOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn my_invitations(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<InvitationOut>>, ApiError> {
    Ok(Json(
        state
            .store
            .invitations_for(user.person.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Accept an invitation: you join the community.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/accept", tag = "communities",
    params(("id" = i64, Path, description = "Invitation id")),
    responses(
        (status = 204, description = "Joined"),
        (status = 404, description = "No such pending invitation of yours", body = ErrorBody),
        (status = 409, description = "Already a member, or the community is archived", body = ErrorBody),
    ))]
async fn accept(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .answer_invitation(id, user.person.id, true, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline an invitation.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/decline", tag = "communities",
    params(("id" = i64, Path, description = "Invitation id")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such pending invitation of yours", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
    ))]
async fn decline_invitation(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .answer_invitation(id, user.person.id, false, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The communities a person belongs to that you can see.
#[utoipa::path(get, path = "/api/v1/people/{id}/communities", tag = "communities",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, body = [PersonCommunityOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn of_person(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<PersonCommunityOut>>, ApiError> {
    state.store.person(id).await?;
    Ok(Json(
        state
            .store
            .communities_of(id, Some(user.person.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(join))
        .routes(routes!(leave))
        .routes(routes!(members))
        .routes(routes!(membership_history))
        .routes(routes!(set_role))
        .routes(routes!(requests, ask))
        .routes(routes!(approve))
        .routes(routes!(decline))
        .routes(routes!(invite))
        .routes(routes!(my_invitations))
        .routes(routes!(accept))
        .routes(routes!(decline_invitation))
        .routes(routes!(of_person))
}
