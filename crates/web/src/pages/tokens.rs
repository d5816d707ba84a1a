//! Managing one's personal access tokens in the browser.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::tokens::TokenInfo;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::accounts;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenInfo>,
    created: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NewTokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

async fn page(
    state: &AppState,
    member: &PageMember,
    created: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, PageError> {
    render(&TokensPage {
        chrome: Chrome::new(&member.visitor, "Access tokens", "tokens"),
        tokens: state.store.tokens(member.user.person.id).await?,
        created,
        error,
    })
}

async fn list(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    page(&state, &member, None, None).await
}

async fn create(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<NewTokenForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    match accounts::create_token(&state, &member.user.person, &form.name).await {
        Ok((secret, _)) => Ok(page(&state, &member, Some(secret), None)
            .await?
            .into_response()),
        Err(e @ WebError::Invalid(_)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &member, None, Some(e.public_message())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    state
        .store
        .revoke_token(member.user.person.id, id, state.clock.now())
        .await?;
    Ok(Redirect::to("/settings/tokens").into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/tokens", get(list).post(create))
        .route("/settings/tokens/{id}/revoke", post(revoke))
}
