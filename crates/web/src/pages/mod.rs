//! Server-rendered pages. Each page module owns its routes; this one owns the
//! layout data every page shares (the chrome), the error page and the style
//! sheet.

mod account;
mod artifact_actions;
mod artifacts;
mod claim;
mod communities;
mod communities_home;
mod communities_manage;
mod digests;
mod duplicates;
mod experiments;
mod expertise;
mod gathering_fairness;
mod gathering_feeds;
mod gathering_occurrences;
mod gatherings;
mod health;
mod home;
mod influence;
mod mentoring;
mod notifications;
mod people;
mod pulses;
mod search;
mod start_here;
mod thread_edits;
mod thread_posts;
mod threads;
mod tokens;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;

use crate::AppState;
use crate::auth::Visitor;
use crate::error::PageError;

/// The signed-in person as the navigation shows them.
#[derive(Debug, Clone)]
pub struct ViewerLink {
    /// Their id, for the profile link.
    pub id: i64,
    /// Their name.
    pub name: String,
}

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The page title.
    pub title: String,
    /// Which navigation entry is current.
    pub section: &'static str,
    /// The signed-in person, if any.
    pub viewer: Option<ViewerLink>,
    /// The CSRF token for the page's forms.
    pub csrf: String,
    /// Unread notifications, shown in the navigation (see [`Chrome::counted`]).
    pub unread: i64,
    /// Whether `unread` has been counted.
    counted: bool,
}

impl Chrome {
    /// The chrome for `visitor` on a page titled `title` in `section`.
    pub fn new(visitor: &Visitor, title: impl Into<String>, section: &'static str) -> Self {
        Self {
            title: title.into(),
            section,
            viewer: visitor.user.as_ref().map(|u| ViewerLink {
                id: u.person.id,
                name: u.person.display_name.clone(),
            }),
            csrf: visitor.csrf.clone(),
            unread: visitor.unread.unwrap_or(0),
            counted: visitor.unread.is_some(),
        }
    }

    /// The same chrome with the viewer's unread notifications counted, for
    /// pages answering a form (page reads are counted as the request
    /// arrives); a failed count shows none rather than failing the page.
    pub async fn counted(mut self, state: &AppState) -> Self {
        if self.counted {
            return self;
        }
        if let Some(v) = &self.viewer {
            self.unread = state.store.unread_notifications(v.id).await.unwrap_or(0);
        }
        self
    }
}

/// A form that carries only its CSRF token (log out, revoke, join, ...).
#[derive(Debug, serde::Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    pub(super) csrf: String,
}

/// Renders a template into an HTML response.
pub fn render(template: &impl Template) -> Result<Html<String>, PageError> {
    Ok(Html(template.render()?))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: String,
    message: String,
}

/// The page shown for an error with `status`.
pub fn error_page(status: StatusCode, message: &str) -> String {
    let heading = match status {
        StatusCode::NOT_FOUND => "Not found".to_owned(),
        StatusCode::FORBIDDEN => "Not allowed".to_owned(),
        StatusCode::TOO_MANY_REQUESTS => "Slow down".to_owned(),
        s if s.is_server_error() => "Something went wrong".to_owned(),
        _ => "That did not work".to_owned(),
    };
    let page = ErrorPage {
        chrome: Chrome {
            title: heading.clone(),
            section: "",
            viewer: None,
            csrf: String::new(),
            unread: 0,
            counted: true,
        },
        heading,
        message: message.to_owned(),
    };
    page.render().unwrap_or_else(|_| message.to_owned())
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
}

async fn not_found() -> PageError {
    PageError(crate::WebError::NotFound)
}

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style))
        .merge(home::router())
        .merge(account::router())
        .merge(claim::router())
        .merge(people::router())
        .merge(communities::router())
        .merge(communities_home::router())
        .merge(communities_manage::router())
        .merge(gatherings::router())
        .merge(gathering_occurrences::router())
        .merge(gathering_fairness::router())
        .merge(gathering_feeds::router())
        .merge(health::router())
        .merge(pulses::router())
        .merge(threads::router())
        .merge(thread_posts::router())
        .merge(thread_edits::router())
        .merge(search::router())
        .merge(notifications::router())
        .merge(tokens::router())
        .merge(artifacts::router())
        .merge(experiments::router())
        .merge(influence::router())
        .merge(expertise::router())
        .merge(mentoring::router())
        .merge(start_here::router())
        .merge(duplicates::router())
        .merge(digests::router())
        .fallback(not_found)
}
