//! Steward tools: answering requests, inviting by e-mail, giving roles,
//! setting the stage, and the lifecycle (merge, split, archive).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::community::{MemberRole, Stage};
use serde::Deserialize;
use store::communities::{Community, PendingRequest};

use super::communities::{CharterForm, FormPage, shown_in_form};
use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::{Seen, require_writable};
use crate::api::communities_membership::member_page;
use crate::api::communities_schema::{MemberOut, MembersParams};
use crate::api::communities_stewardship as stewardship;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};

#[derive(Template)]
#[template(path = "community_manage.html")]
struct ManagePage {
    chrome: Chrome,
    c: Community,
    pending: Vec<PendingRequest>,
    members: Vec<MemberOut>,
    roles: &'static [MemberRole],
    stages: &'static [Stage],
    error: Option<String>,
    field: String,
    notice: Option<String>,
}

/// Every form on the manage page: the fields each needs, all optional.
#[derive(Debug, Default, Deserialize)]
struct StewardForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    into: String,
    #[serde(default)]
    anonymous_questions: String,
}

async fn manage_page(
    state: &AppState,
    seen: &Seen,
    error: Option<&WebError>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    seen.require_steward()?;
    let c = &seen.community;
    let params = MembersParams {
        role: None,
        limit: Some(200),
        cursor: None,
    };
    let (members, _) = member_page(state, seen, &params).await?;
    let page = ManagePage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Steward tools: {}", c.charter.name),
            "communities",
        ),
        c: c.clone(),
        pending: state.store.pending_requests(c.id).await?,
        members,
        roles: MemberRole::ALL,
        stages: Stage::ALL,
        error: error.map(WebError::public_message),
        field: error
            .and_then(WebError::field)
            .unwrap_or_default()
            .to_owned(),
        notice,
    };
    let status = error
        .map(WebError::status)
        .unwrap_or(axum::http::StatusCode::OK);
    Ok((status, render(&page)?).into_response())
}

async fn manage(State(state): State<AppState>, seen: Seen) -> Result<Response, PageError> {
    manage_page(&state, &seen, None, None).await
}

/// After a steward's action: back to the tools, or the tools with the refusal shown.
async fn done(
    state: &AppState,
    seen: &Seen,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/communities/{}/manage", seen.community.slug)).into_response(),
        ),
        Err(e) if shown_in_form(&e) => manage_page(state, seen, Some(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

async fn role(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((_slug, person)): PagePath<(String, i64)>,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = stewardship::give_role(&state, &seen, person, &form.role).await;
    done(&state, &seen, result).await
}

async fn decide(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((_slug, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(domain::Invalid::new("decision", "choose approve or decline").into()),
    };
    let result = stewardship::decide(&state, &seen, id, approve).await;
    done(&state, &seen, result).await
}

async fn invite(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    seen.require_steward()?;
    let email = form.email.trim().to_lowercase();
    let result = match state.store.person_by_email(&email).await? {
        Some(p) => stewardship::invite(&state, &seen, p.id, &form.message)
            .await
            .map(|_| ()),
        None => {
            Err(domain::Invalid::new("email", "no one in Guildhall has this e-mail address").into())
        }
    };
    done(&state, &seen, result).await
}

async fn stage(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = stewardship::revise(&state, &seen, None, Some(&form.stage), "").await;
    done(&state, &seen, result).await
}

async fn space_settings(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = async {
        seen.require_steward()?;
        require_writable(&seen.community)?;
        let on = !form.anonymous_questions.is_empty();
        Ok(state
            .store
            .set_anonymous_questions(seen.community.id, on)
            .await?)
    }
    .await;
    done(&state, &seen, result).await
}

async fn archive(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    match stewardship::archive(&state, &seen).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/communities/{}", seen.community.slug)).into_response())
        }
        Err(e) => done(&state, &seen, Err(e)).await,
    }
}

async fn merge(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<StewardForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    match stewardship::merge(&state, &seen, &form.into).await {
        Ok(target) => Ok(Redirect::to(&format!("/communities/{}", target.slug)).into_response()),
        Err(e) => done(&state, &seen, Err(e)).await,
    }
}

async fn split_form(state: &AppState, seen: &Seen) -> Result<FormPage, WebError> {
    let c = &seen.community;
    let mut page = FormPage::new(
        Chrome::new(
            &seen.visitor,
            format!("Split from {}", c.charter.name),
            "communities",
        ),
        format!("Split a new community from {}", c.charter.name),
        format!("/communities/{}/split", c.slug),
        "Split",
    );
    let params = MembersParams {
        role: None,
        limit: Some(200),
        cursor: None,
    };
    page.invitable = member_page(state, seen, &params)
        .await?
        .0
        .into_iter()
        .filter(|m| m.id != seen.me())
        .map(|m| (m.id, m.display_name))
        .collect();
    page.f.community_type = c.charter.community_type.as_str().into();
    page.f.orientation = c.charter.orientation.as_str().into();
    page.f.visibility = c.charter.visibility.as_str().into();
    Ok(page)
}

async fn split_page(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    render(&split_form(&state, &seen).await?)
}

fn invited(rest: &HashMap<String, String>) -> Vec<i64> {
    let mut ids: Vec<i64> = rest
        .keys()
        .filter_map(|k| k.strip_prefix("invite-"))
        .filter_map(|id| id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

async fn split(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<CharterForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let invite = invited(&form.rest);
    match stewardship::split(&state, &seen, Some(&form.slug), &form.draft(), &invite).await {
        Ok(slug) => Ok(Redirect::to(&format!("/communities/{slug}")).into_response()),
        Err(e) if shown_in_form(&e) => split_form(&state, &seen).await?.failed(form, &e),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/manage", get(manage))
        .route("/communities/{slug}/members/{person_id}/role", post(role))
        .route("/communities/{slug}/requests/{id}", post(decide))
        .route("/communities/{slug}/invitations", post(invite))
        .route("/communities/{slug}/stage", post(stage))
        .route("/communities/{slug}/space-settings", post(space_settings))
        .route("/communities/{slug}/archive", post(archive))
        .route("/communities/{slug}/merge", post(merge))
        .route("/communities/{slug}/split", get(split_page).post(split))
}
