//! The weekly digest page (`/digest`): what happened in the member's
//! communities since their last digest, the e-mail opt-out, "e-mail me this
//! digest now" when the server can send mail, and links to the webhooks of
//! the communities they steward (managed in [`webhooks`]).

mod webhooks;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::community::MemberRole;
use serde::Deserialize;
use store::communities::PersonCommunity;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::PageForm;
use crate::outreach::digest::{self, Digest};

#[derive(Template)]
#[template(path = "digest.html")]
struct DigestPage {
    chrome: Chrome,
    d: Digest,
    last_sent_at: Option<chrono::DateTime<chrono::Utc>>,
    email: bool,
    mail: bool,
    message: Option<String>,
    stewarded: Vec<PersonCommunity>,
}

async fn page(
    state: &AppState,
    member: &PageMember,
    message: Option<String>,
) -> Result<Html<String>, PageError> {
    let me = &member.user.person;
    let now = state.clock.now();
    let pref = state.store.digest_preference(me.id).await?;
    let since = digest::since_last(state, me.id, now).await?;
    let d = digest::compose(state, me, since, now).await?;
    let stewarded = state
        .store
        .communities_of(me.id, Some(me.id))
        .await?
        .into_iter()
        .filter(|c| c.role == MemberRole::Steward && !c.archived)
        .collect();
    render(&DigestPage {
        chrome: Chrome::new(&member.visitor, "Your digest", "digest")
            .counted(state)
            .await,
        d,
        last_sent_at: pref.last_sent_at,
        email: pref.email,
        mail: state.outreach.mailer().is_some(),
        message,
        stewarded,
    })
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    page(&state, &member, None).await
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    csrf: String,
    /// Present (`on`) when the box is ticked.
    email: Option<String>,
}

async fn set_email(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<EmailForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    state
        .store
        .set_digest_email(member.user.person.id, form.email.is_some())
        .await?;
    Ok(Redirect::to("/digest").into_response())
}

async fn send_now(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let me = &member.user.person;
    let message = match digest::send_now(&state, me).await {
        Ok(()) => format!("Your digest is on its way to {}.", me.email),
        Err(e @ (WebError::Unavailable(_) | WebError::Conflict { .. })) => e.public_message(),
        Err(e) => return Err(e.into()),
    };
    Ok(page(&state, &member, Some(message)).await?.into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/digest", get(show))
        .route("/digest/email", post(set_email))
        .route("/digest/send", post(send_now))
        .merge(webhooks::router())
}
