//! Account services shared by the pages and the API: signing up, logging in
//! (with the log-in limit that holds across processes), logging out, and
//! personal access tokens.

use chrono::{DateTime, Duration, Utc};
use domain::person::{self, OrgRole};
use store::people::{NewPerson, Person};
use store::tokens::TokenInfo;

use crate::AppState;
use crate::auth::{password, secret};
use crate::error::WebError;

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 30;
/// Failed log-ins for one e-mail address within [`LIMIT_WINDOW_MINUTES`] before refusing.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed log-ins from one client address within the window before refusing.
pub const MAX_FAILURES_PER_CLIENT: i64 = 50;
/// The window failures are counted in.
pub const LIMIT_WINDOW_MINUTES: i64 = 15;

/// A new session: the secret goes to the client once, only its digest is kept.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The session secret (cookie value or bearer token).
    pub secret: String,
    /// The CSRF token bound to the session.
    pub csrf: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// Who it belongs to.
    pub person_id: i64,
}

/// What sign-up needs.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// E-mail address.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Chosen password.
    pub password: String,
}

/// Creates an account, checking every field; returns the new person's id.
pub async fn sign_up(state: &AppState, form: SignUp, role: OrgRole) -> Result<i64, WebError> {
    let email = person::email(&form.email)?;
    let display_name = person::display_name(&form.display_name)?;
    person::password(&form.password)?;
    if state.store.person_by_email(&email).await?.is_some() {
        return Err(WebError::Conflict {
            field: "email".into(),
            message: "an account with this e-mail already exists; log in instead".into(),
        });
    }
    let hash = password::hash(form.password).await?;
    let id = state
        .store
        .create_person(
            &NewPerson {
                email,
                display_name,
                password_hash: Some(hash),
                org_role: role,
            },
            state.clock.now(),
        )
        .await?;
    Ok(id)
}

/// Starts a session for `person_id`.
pub async fn start_session(state: &AppState, person_id: i64) -> Result<NewSession, WebError> {
    let now = state.clock.now();
    let session = NewSession {
        secret: secret::new_secret(secret::SESSION_PREFIX),
        csrf: secret::new_secret(""),
        expires_at: now + Duration::days(SESSION_DAYS),
        person_id,
    };
    state
        .store
        .create_session(
            &secret::digest(&session.secret),
            person_id,
            &session.csrf,
            now,
            session.expires_at,
        )
        .await?;
    Ok(session)
}

/// Checks an e-mail and password and starts a session, refusing after too
/// many recent failures for that address or client.
pub async fn log_in(
    state: &AppState,
    email: &str,
    password_text: &str,
    client: &str,
) -> Result<NewSession, WebError> {
    let email = email.trim().to_lowercase();
    let now = state.clock.now();
    let since = now - Duration::minutes(LIMIT_WINDOW_MINUTES);
    let email_key = format!("email:{email}");
    let client_key = format!("client:{client}");
    if state.store.login_failures_since(&email_key, since).await? >= MAX_FAILURES_PER_EMAIL
        || state.store.login_failures_since(&client_key, since).await? >= MAX_FAILURES_PER_CLIENT
    {
        return Err(WebError::TooManyRequests(LIMIT_WINDOW_MINUTES * 60));
    }
    let found = state.store.credentials(&email).await?;
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    let ok = password::verify(password_text.to_owned(), hash).await?;
    match (ok, id) {
        (true, Some(id)) => {
            state.store.clear_login_failures(&email_key).await?;
            start_session(state, id).await
        }
        _ => {
            state
                .store
                .record_login_failure(&[&email_key, &client_key], now)
                .await?;
            Err(WebError::Unauthorized(
                "the e-mail or password is wrong".into(),
            ))
        }
    }
}

/// Ends the session with this digest.
pub async fn log_out(state: &AppState, session_digest: &str) -> Result<(), WebError> {
    Ok(state.store.delete_session(session_digest).await?)
}

/// Makes a personal access token for `person`; the secret is returned once.
pub async fn create_token(
    state: &AppState,
    person: &Person,
    name: &str,
) -> Result<(String, TokenInfo), WebError> {
    let name = domain::invalid::required_text("name", name, 100)?;
    let secret = secret::new_secret(secret::TOKEN_PREFIX);
    let prefix: String = secret.chars().take(10).collect();
    let info = state
        .store
        .create_token(
            person.id,
            &name,
            &secret::digest(&secret),
            &prefix,
            state.clock.now(),
        )
        .await?;
    Ok((secret, info))
}
