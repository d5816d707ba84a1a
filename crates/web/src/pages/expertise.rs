//! Who knows what in the browser: the expertise directory by topic, one's
//! expertise settings, and the script that lists who could answer a
//! question while it is written. A person's expertise on their page and
//! the suggested answerers on a question come from the templates
//! `expertise_claims.html`, `expertise_suggested.html` and
//! `expertise_draft.html`, included by those pages.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use store::expertise::ExpertiseSettings;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::PageError;
use crate::expertise_service::{self, Directory, PersonExpertise};
use crate::extract::{PageForm, PageQuery};

#[derive(Template)]
#[template(path = "expertise.html")]
struct DirectoryPage {
    chrome: Chrome,
    asked: String,
    d: Directory,
}

#[derive(Debug, Default, Deserialize)]
struct TopicParams {
    #[serde(default)]
    topic: String,
}

async fn directory(
    State(state): State<AppState>,
    member: PageMember,
    PageQuery(params): PageQuery<TopicParams>,
) -> Result<Html<String>, PageError> {
    let d = expertise_service::directory(&state, member.user.person.id, &params.topic).await?;
    let title = if d.topic.is_empty() {
        "Who knows what".to_owned()
    } else {
        format!("Who knows about {}", d.topic)
    };
    render(&DirectoryPage {
        chrome: Chrome::new(&member.visitor, title, "people"),
        asked: params.topic,
        d,
    })
}

#[derive(Template)]
#[template(path = "expertise_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    settings: ExpertiseSettings,
    expertise: PersonExpertise,
    /// The claims shown are the viewer's own.
    own: bool,
    saved: bool,
}

#[derive(Debug, Default, Deserialize)]
struct SavedParams {
    #[serde(default)]
    saved: String,
}

async fn settings(
    State(state): State<AppState>,
    member: PageMember,
    PageQuery(params): PageQuery<SavedParams>,
) -> Result<Html<String>, PageError> {
    let me = member.user.person.id;
    let expertise = expertise_service::of_person(&state, me, me).await?;
    render(&SettingsPage {
        chrome: Chrome::new(&member.visitor, "Your expertise", "profile")
            .counted(&state)
            .await,
        settings: expertise.own.unwrap_or_default(),
        expertise,
        own: true,
        saved: !params.saved.is_empty(),
    })
}

/// The settings form: a checkbox sends its value only when ticked.
#[derive(Debug, Default, Deserialize)]
struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hide_inferred: String,
    #[serde(default)]
    notify_suggested: String,
}

async fn save(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let settings = ExpertiseSettings {
        hide_inferred: !form.hide_inferred.is_empty(),
        notify_suggested: !form.notify_suggested.is_empty(),
    };
    expertise_service::save_settings(&state, &member.user, settings).await?;
    Ok(Redirect::to("/profile/expertise?saved=1").into_response())
}

/// The script that lists who could answer while a question is written.
async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/expertise.js"),
    )
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/expertise", get(directory))
        .route("/profile/expertise", get(settings).post(save))
        .route("/static/expertise.js", get(script))
}
