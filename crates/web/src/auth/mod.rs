//! Who is asking: the session cookie or bearer token on each request, the
//! CSRF token its forms must carry, and the extractors handlers use to require
//! a signed-in member.

pub mod password;
pub mod secret;

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::person::OrgRole;
use store::holders::Holder;
use store::people::Person;

use crate::AppState;
use crate::error::{ApiError, PageError, WebError};

/// The session cookie.
pub const SESSION_COOKIE: &str = "gh_session";
/// The cookie carrying the CSRF token of visitors who are not signed in.
pub const CSRF_COOKIE: &str = "gh_csrf";
/// The header API clients using the session cookie send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How a signed-in person proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The browser's session cookie.
    Cookie,
    /// An `Authorization: Bearer` session token or personal access token.
    Bearer,
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Who they are.
    pub person: Person,
    /// How they signed in.
    pub via: Via,
    /// Digest of the session secret, when a session was used.
    pub session_digest: Option<String>,
}

impl CurrentUser {
    /// Whether they administer the organisation.
    pub fn is_admin(&self) -> bool {
        self.person.org_role == OrgRole::Admin
    }
}

/// Whoever sent the request, signed in or not.
#[derive(Debug, Clone)]
pub struct Visitor {
    /// The signed-in person, if any.
    pub user: Option<Arc<CurrentUser>>,
    /// The CSRF token this visitor's forms must carry.
    pub csrf: String,
    /// Why presented credentials were refused, if they were.
    pub refused: Option<&'static str>,
    /// The signed-in person's unread notifications, counted for the pages
    /// they read (the navigation shows it); `None` elsewhere.
    pub unread: Option<i64>,
}

impl Visitor {
    /// Checks a form's CSRF token.
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if secret::same(&self.csrf, submitted) {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "this form has expired or did not come from Guildhall; reload the page and try again".into(),
            ))
        }
    }

    fn require(&self) -> Result<Arc<CurrentUser>, WebError> {
        match (&self.user, self.refused) {
            (Some(user), _) => Ok(user.clone()),
            (None, Some(why)) => Err(WebError::Unauthorized(why.into())),
            (None, None) => Err(WebError::Unauthorized(
                "sign in first: send Authorization: Bearer <token>, or log in".into(),
            )),
        }
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// A `Set-Cookie` value for `name`.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Who is asking, from their bearer credential or session cookie: the
/// person (with their unread count when `unread`), the session's CSRF token
/// for cookie sessions, and why a credential sent was refused.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    unread: bool,
) -> Result<
    (
        Option<(CurrentUser, Option<i64>)>,
        Option<String>,
        Option<&'static str>,
    ),
    WebError,
> {
    let now = state.clock.now();
    let user = |holder: Holder, via, session_digest| {
        let unread = holder.unread;
        Some((
            CurrentUser {
                person: holder.person,
                via,
                session_digest,
            },
            unread,
        ))
    };
    // A bearer credential wins over a cookie: API clients are explicit.
    if let Some(token) = bearer(headers) {
        if token.starts_with(secret::SESSION_PREFIX) {
            let digest = secret::digest(token);
            if let Some((_, holder)) = state.store.session_holder(&digest, now, unread).await? {
                return Ok((user(holder, Via::Bearer, Some(digest)), None, None));
            }
            return Ok((
                None,
                None,
                Some("the session token has expired or was logged out; log in again"),
            ));
        }
        if token.starts_with(secret::TOKEN_PREFIX)
            && let Some(holder) = state
                .store
                .token_holder(&secret::digest(token), now, unread)
                .await?
        {
            return Ok((user(holder, Via::Bearer, None), None, None));
        }
        return Ok((
            None,
            None,
            Some("the access token is not valid or has been revoked"),
        ));
    }
    if let Some(secret_value) = cookie(headers, SESSION_COOKIE) {
        let digest = secret::digest(secret_value);
        if let Some((session, holder)) = state.store.session_holder(&digest, now, unread).await? {
            return Ok((
                user(holder, Via::Cookie, Some(digest)),
                Some(session.csrf_token),
                None,
            ));
        }
    }
    Ok((None, None, None))
}

/// Middleware: identifies the visitor, gives a CSRF cookie to anonymous
/// browsers, and refuses cookie-authenticated API writes without the CSRF header.
pub async fn visitor_layer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Pages show the unread count in their navigation.
    let page_read = request.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/static/")
        && !matches!(path, "/healthz" | "/metrics")
        && !path.ends_with(".ics")
        && !path.ends_with(".atom");
    let headers = request.headers();
    let (user, session_csrf, refused) = match identify(&state, headers, page_read).await {
        Ok(found) => found,
        Err(e) => return crate::error::ApiError(e).into_response(),
    };
    let (user, unread) = match user {
        Some((user, unread)) => (Some(user), unread),
        None => (None, None),
    };
    let anon_cookie = cookie(headers, CSRF_COOKIE)
        .filter(|v| v.len() >= 32 && v.len() <= 64)
        .map(str::to_owned);
    let mut new_anon_cookie = None;
    let csrf = match session_csrf {
        Some(token) => token,
        None => anon_cookie.unwrap_or_else(|| {
            let fresh = secret::new_secret("");
            new_anon_cookie = Some(fresh.clone());
            fresh
        }),
    };
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method
        && request.uri().path().starts_with("/api/")
        && user.as_ref().is_some_and(|u| u.via == Via::Cookie)
    {
        let sent = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !secret::same(sent, &csrf) {
            return ApiError(WebError::Forbidden(format!(
                "with the session cookie, send the CSRF token in the {CSRF_HEADER} header (or use a bearer token)"
            )))
            .into_response();
        }
    }
    request.extensions_mut().insert(Visitor {
        user: user.map(Arc::new),
        csrf,
        refused,
        unread,
    });
    let mut response = next.run(request).await;
    if let Some(value) = new_anon_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                CSRF_COOKIE,
                &value,
                86_400 * 30,
                state.config.secure_cookies,
            ),
        );
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| ApiError(WebError::Internal("visitor layer missing".into())))
    }
}

/// A signed-in member, for API handlers (401 as JSON otherwise).
#[derive(Debug, Clone)]
pub struct Member(pub Arc<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for Member {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        Ok(Member(visitor.require()?))
    }
}

/// A signed-in member, for pages (redirected to log in otherwise), with the CSRF token.
#[derive(Debug, Clone)]
pub struct PageMember {
    /// Who is signed in.
    pub user: Arc<CurrentUser>,
    /// The visitor, for CSRF checks and the page chrome.
    pub visitor: Visitor,
}

impl<S: Send + Sync> FromRequestParts<S> for PageMember {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(|e| PageError(e.0))?;
        let user = visitor
            .require()
            .map_err(|_| PageError(WebError::Unauthorized(String::new())))?;
        Ok(PageMember { user, visitor })
    }
}
