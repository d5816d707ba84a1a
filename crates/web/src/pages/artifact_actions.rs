//! The forms an artifact page carries — mark reviewed, "I used this", links,
//! a new owner, restore an old revision — the history page with the diff
//! between any two revisions, and promoting a thread or its accepted answer
//! into a draft artifact. Every form checks its CSRF token; a refusal is
//! shown on the artifact page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::practice::DiffLine;
use serde::Deserialize;

use super::artifacts::show_page;
use super::threads::shown;
use super::{Chrome, render};
use crate::AppState;
use crate::artifact_service;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};

/// Where a form's outcome goes: back to the artifact with a notice, or the
/// artifact page again with the refusal.
async fn answer(
    state: &AppState,
    member: &PageMember,
    id: i64,
    done: Result<(), WebError>,
    notice: &str,
) -> Result<Response, PageError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/artifacts/{id}?notice={notice}")).into_response()),
        Err(e) if shown(&e) => {
            let page = show_page(state, member, id, None, Some(e.public_message())).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    team: String,
}

async fn review(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<NoteForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let done = artifact_service::review(&state, &member.user, id, &f.note).await;
    answer(&state, &member, id, done, "reviewed").await
}

async fn reuse(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<NoteForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let done = artifact_service::reuse(&state, &member.user, id, &f.team, &f.note).await;
    answer(&state, &member, id, done, "reused").await
}

#[derive(Debug, Default, Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target_type: String,
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    remove: String,
}

async fn link(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let target = f
        .target_id
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| {
            WebError::from(domain::Invalid::new(
                "target_id",
                "give the number of the artifact or thread",
            ))
        })
        .and_then(|n| artifact_service::target(&f.target_type, n));
    let done = match target {
        Ok(t) => artifact_service::link(&state, &member.user, id, t, f.remove.is_empty()).await,
        Err(e) => Err(e),
    };
    answer(&state, &member, id, done, "linked").await
}

#[derive(Debug, Default, Deserialize)]
struct OwnerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    owner_id: String,
}

async fn owner(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<OwnerForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let done = match f.owner_id.trim().parse::<i64>() {
        Ok(owner) => artifact_service::set_owner(&state, &member.user, id, owner).await,
        Err(_) => Err(domain::Invalid::new("owner_id", "choose a member").into()),
    };
    answer(&state, &member, id, done, "owner").await
}

#[derive(Debug, Default, Deserialize)]
struct RestoreForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revision: String,
}

async fn restore(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<RestoreForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let done = match f.revision.trim().parse::<i64>() {
        Ok(r) => artifact_service::restore(&state, &member.user, id, r)
            .await
            .map(|_| ()),
        Err(_) => Err(domain::Invalid::new("revision", "choose a revision").into()),
    };
    answer(&state, &member, id, done, "restored").await
}

/// A revision as the history lists it.
struct RevisionLine {
    revision: i64,
    author: String,
    at: chrono::DateTime<chrono::Utc>,
    summary: String,
    restored_from: Option<i64>,
}

#[derive(Template)]
#[template(path = "artifact_history.html")]
struct HistoryPage {
    chrome: Chrome,
    id: i64,
    title: String,
    current: i64,
    may_restore: bool,
    revisions: Vec<RevisionLine>,
    from: i64,
    to: i64,
    diff: Vec<DiffLine>,
}

#[derive(Debug, Default, Deserialize)]
struct HistoryQuery {
    from: Option<String>,
    to: Option<String>,
}

async fn history(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<HistoryQuery>,
) -> Result<Html<String>, PageError> {
    let (seen, revisions) = artifact_service::revisions(&state, &member.user, id).await?;
    let current = seen.artifact.revision;
    let number = |v: &Option<String>, field: &str, default: i64| -> Result<i64, WebError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => s
                .parse()
                .map_err(|_| domain::Invalid::new(field, "must be a revision number").into()),
        }
    };
    let to = number(&q.to, "to", current)?;
    let from = number(&q.from, "from", (to - 1).max(1))?;
    let diff = artifact_service::diff(&revisions, from, to)?;
    render(&HistoryPage {
        chrome: Chrome::new(
            &member.visitor,
            format!("History of {}", seen.artifact.content.title),
            "communities",
        )
        .counted(&state)
        .await,
        id,
        title: seen.artifact.content.title.clone(),
        current,
        may_restore: seen.can_write(),
        revisions: revisions
            .iter()
            .map(|r| RevisionLine {
                revision: r.revision,
                author: r
                    .author
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| "someone".into()),
                at: r.at,
                summary: r.summary.clone(),
                restored_from: r.restored_from,
            })
            .collect(),
        from,
        to,
        diff,
    })
}

#[derive(Debug, Default, Deserialize)]
struct PromoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reply_id: String,
    #[serde(default)]
    kind: String,
}

/// Promotes a thread (or its accepted answer) and opens the draft for editing.
async fn promote(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PromoteForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let reply = match f.reply_id.trim() {
        "" => None,
        r => Some(r.parse::<i64>().map_err(|_| {
            WebError::from(domain::Invalid::new("reply_id", "must be a reply's number"))
        })?),
    };
    let artifact = artifact_service::promote(&state, &member.user, id, reply, &f.kind).await?;
    Ok(Redirect::to(&format!("/artifacts/{artifact}/edit")).into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/artifacts/{id}/review", post(review))
        .route("/artifacts/{id}/reuse", post(reuse))
        .route("/artifacts/{id}/links", post(link))
        .route("/artifacts/{id}/owner", post(owner))
        .route("/artifacts/{id}/restore", post(restore))
        .route("/artifacts/{id}/history", get(history))
        .route("/threads/{id}/promote", post(promote))
}
