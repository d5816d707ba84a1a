//! What members and stewards do to a community, as one set of operations the
//! API and the pages both call: propose, revise the charter and stage, give
//! roles, answer requests, invite, archive, merge and split. Each checks who
//! is asking and the input, then makes one store call.

use domain::charter::{Charter, CharterDraft};
use domain::community::{self, MemberRole, Stage, Visibility};
use domain::invalid::bounded_text;
use store::communities::Community;

use super::communities_access::{Seen, require_writable, visible_by_slug};
use crate::AppState;
use crate::error::WebError;

/// Longest note on a request, invitation or revision.
pub const NOTE_MAX: usize = 1000;

/// The slug to use: the one given, or one derived from the name.
fn slug_for(given: Option<&str>, charter: &Charter) -> Result<String, WebError> {
    let given = given.map(str::trim).unwrap_or_default();
    let wanted = if given.is_empty() {
        community::slug_from_name(&charter.name)
    } else {
        given.to_owned()
    };
    Ok(community::slug(&wanted)?)
}

/// Proposes a community with `me` as its first steward; returns its slug.
pub async fn propose(
    state: &AppState,
    me: i64,
    slug: Option<&str>,
    draft: &CharterDraft,
) -> Result<String, WebError> {
    let charter = draft.validate()?;
    let slug = slug_for(slug, &charter)?;
    state
        .store
        .propose_community(&slug, &charter, me, state.clock.now())
        .await?;
    Ok(slug)
}

/// Revises the charter to `charter` and sets `stage`, as a steward.
pub async fn revise(
    state: &AppState,
    seen: &Seen,
    charter: Option<Charter>,
    stage: Option<&str>,
    note: &str,
) -> Result<(), WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let note = bounded_text("note", note, NOTE_MAX)?;
    let stage: Option<Stage> = stage
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .transpose()?;
    let now = state.clock.now();
    let id = seen.community.id;
    if let Some(charter) = charter {
        state
            .store
            .revise_charter(id, seen.me(), &charter, &note, now)
            .await?;
    }
    if let Some(stage) = stage {
        state.store.set_stage(id, seen.me(), stage, now).await?;
    }
    Ok(())
}

/// Gives member `person` the role named `role`, as a steward.
pub async fn give_role(
    state: &AppState,
    seen: &Seen,
    person: i64,
    role: &str,
) -> Result<(), WebError> {
    seen.require_steward()?;
    let role: MemberRole = role.parse()?;
    require_writable(&seen.community)?;
    state
        .store
        .set_role(
            seen.community.id,
            seen.me(),
            person,
            role,
            state.clock.now(),
        )
        .await?;
    Ok(())
}

/// Asks to join the community at `slug`. Outsiders get the same answer
/// whether or not a private community lives there, so asking reveals nothing.
pub async fn ask_to_join(
    state: &AppState,
    me: i64,
    slug: &str,
    message: &str,
) -> Result<(), WebError> {
    let message = bounded_text("message", message, NOTE_MAX)?;
    let slug = community::slug(slug)?;
    let Some(c) = state.store.community_by_slug(&slug).await? else {
        return Ok(());
    };
    let member = state.store.role_in(c.id, me).await?.is_some();
    let visible = c.charter.visibility == Visibility::Open || member;
    let now = state.clock.now();
    if visible {
        if c.merged_into.is_some() {
            return Err(WebError::Conflict {
                field: "community".into(),
                message: "this community was merged into another; ask there".into(),
            });
        }
        require_writable(&c)?;
        state.store.request_to_join(c.id, me, &message, now).await?;
        return Ok(());
    }
    match state.store.request_to_join(c.id, me, &message, now).await {
        Ok(()) | Err(store::StoreError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Approves or declines request `id`, as a steward.
pub async fn decide(state: &AppState, seen: &Seen, id: i64, approve: bool) -> Result<(), WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    state
        .store
        .decide_request(seen.community.id, id, seen.me(), approve, state.clock.now())
        .await?;
    Ok(())
}

/// Invites `person`, as a steward; returns the invitation's id.
pub async fn invite(
    state: &AppState,
    seen: &Seen,
    person: i64,
    message: &str,
) -> Result<i64, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let message = bounded_text("message", message, NOTE_MAX)?;
    Ok(state
        .store
        .invite(
            seen.community.id,
            seen.me(),
            person,
            &message,
            state.clock.now(),
        )
        .await?)
}

/// Archives the community, as a steward.
pub async fn archive(state: &AppState, seen: &Seen) -> Result<(), WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    state
        .store
        .archive(seen.community.id, seen.me(), state.clock.now())
        .await?;
    Ok(())
}

/// Merges the community into the one at `into`; the viewer must steward
/// both. Returns the community merged into.
pub async fn merge(state: &AppState, seen: &Seen, into: &str) -> Result<Community, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let target = visible_by_slug(state, into, seen.me(), "into").await?;
    let steward_there =
        state.store.role_in(target.id, seen.me()).await? == Some(MemberRole::Steward);
    if !steward_there && !seen.user.is_admin() {
        return Err(WebError::Forbidden(
            "you can merge only into a community you also steward".into(),
        ));
    }
    state
        .store
        .merge(seen.community.id, target.id, seen.me(), state.clock.now())
        .await?;
    Ok(state.store.community(target.id).await?)
}

/// Splits a new community from this one, as a steward; returns its slug.
pub async fn split(
    state: &AppState,
    seen: &Seen,
    slug: Option<&str>,
    draft: &CharterDraft,
    invite: &[i64],
) -> Result<String, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let charter = draft.validate()?;
    let slug = slug_for(slug, &charter)?;
    state
        .store
        .split(
            seen.community.id,
            seen.me(),
            &slug,
            &charter,
            invite,
            state.clock.now(),
        )
        .await?;
    Ok(slug)
}
