//! Claiming an imported account: a person whose history came in from
//! Slack, a Q&A site or a mailing list exists without a password. An
//! administrator gives them a one-time link (`guildhall admin claim-link`);
//! here they choose a password and are signed in. A used, expired or
//! unknown link is the same 404, and a person who already has a password
//! cannot be claimed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::accounts;
use crate::auth::{Visitor, password, secret};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};

#[derive(Template)]
#[template(path = "claim.html")]
struct ClaimPage {
    chrome: Chrome,
    link: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct ClaimForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn plausible(link: &str) -> Result<(), WebError> {
    if link.is_empty() || link.len() > 200 {
        return Err(WebError::NotFound);
    }
    Ok(())
}

async fn form(
    visitor: Visitor,
    PagePath(link): PagePath<String>,
) -> Result<Html<String>, PageError> {
    plausible(&link)?;
    render(&ClaimPage {
        chrome: Chrome::new(&visitor, "Claim your account", ""),
        link,
        error: None,
    })
}

async fn claim(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(link): PagePath<String>,
    PageForm(f): PageForm<ClaimForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&f.csrf)?;
    plausible(&link)?;
    let problem = if f.password != f.confirm {
        Some("the two passwords differ".to_owned())
    } else {
        domain::person::password(&f.password)
            .err()
            .map(|e| e.to_string())
    };
    if let Some(problem) = problem {
        let page = ClaimPage {
            chrome: Chrome::new(&visitor, "Claim your account", ""),
            link,
            error: Some(problem),
        };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let hash = password::hash(f.password).await?;
    let person = state
        .store
        .claim_account(&secret::digest(&link), &hash, state.clock.now())
        .await?;
    let session = accounts::start_session(&state, person).await?;
    Ok(super::account::signed_in(&state, &session))
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/claim/{link}", get(form).post(claim))
}
