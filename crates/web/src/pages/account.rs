//! Signing up, logging in and logging out in the browser.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::person::OrgRole;
use serde::Deserialize;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::accounts::{self, NewSession, SignUp};
use crate::auth::{SESSION_COOKIE, Visitor, set_cookie};
use crate::error::{PageError, WebError};
use crate::extract::PageForm;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    chrome: Chrome,
    error: Option<String>,
    field: String,
    email: String,
    display_name: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LogInPage {
    chrome: Chrome,
    error: Option<String>,
    email: String,
}

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
struct LogInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub(super) fn signed_in(state: &AppState, session: &NewSession) -> Response {
    let cookie = set_cookie(
        SESSION_COOKIE,
        &session.secret,
        accounts::SESSION_DAYS * 86_400,
        state.config.secure_cookies,
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()
}

async fn sign_up_page(visitor: Visitor) -> Result<Html<String>, PageError> {
    render(&SignUpPage {
        chrome: Chrome::new(&visitor, "Sign up", "signup"),
        error: None,
        field: String::new(),
        email: String::new(),
        display_name: String::new(),
    })
}

async fn sign_up(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(form): PageForm<SignUpForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    if !state.config.open_signup {
        return Err(WebError::Forbidden(
            "sign-up is closed here; ask an administrator for an account".into(),
        )
        .into());
    }
    let attempt = SignUp {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password,
    };
    match accounts::sign_up(&state, attempt, OrgRole::Member).await {
        Ok(id) => {
            let session = accounts::start_session(&state, id).await?;
            Ok(signed_in(&state, &session))
        }
        Err(e @ (WebError::Invalid(_) | WebError::Conflict { .. })) => {
            let page = SignUpPage {
                chrome: Chrome::new(&visitor, "Sign up", "signup"),
                error: Some(e.public_message()),
                field: e.field().unwrap_or_default().to_owned(),
                email: form.email,
                display_name: form.display_name,
            };
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn log_in_page(visitor: Visitor) -> Result<Html<String>, PageError> {
    render(&LogInPage {
        chrome: Chrome::new(&visitor, "Log in", "login"),
        error: None,
        email: String::new(),
    })
}

async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    visitor: Visitor,
    PageForm(form): PageForm<LogInForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    match accounts::log_in(
        &state,
        &form.email,
        &form.password,
        &client.ip().to_string(),
    )
    .await
    {
        Ok(session) => Ok(signed_in(&state, &session)),
        Err(e @ (WebError::Unauthorized(_) | WebError::TooManyRequests(_))) => {
            let page = LogInPage {
                chrome: Chrome::new(&visitor, "Log in", "login"),
                error: Some(e.public_message()),
                email: form.email,
            };
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn log_out(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    if let Some(digest) = visitor.user.as_ref().and_then(|u| u.session_digest.clone()) {
        accounts::log_out(&state, &digest).await?;
    }
    let clear = set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/")).into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(sign_up_page).post(sign_up))
        .route("/login", get(log_in_page).post(log_in))
        .route("/logout", post(log_out))
}
