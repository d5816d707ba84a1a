//! Editing a thread's opening post (its writer only; the old version is
//! kept) and reading its revisions, each with a word diff against the one
//! before. A hidden thread shows no revisions; an anonymous asker's edits
//! are credited to "the asker".

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::charter::{Change, Piece, word_diff};
use serde::Deserialize;

use super::threads::shown;
use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::shared_space::{self, ASKER};

#[derive(Template)]
#[template(path = "thread_edit.html")]
pub(super) struct EditPage {
    pub(super) chrome: Chrome,
    pub(super) heading: String,
    pub(super) action: String,
    pub(super) back: String,
    pub(super) with_title: bool,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) tags: String,
    pub(super) error: Option<String>,
    pub(super) field: String,
}

#[derive(Debug, Default, Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
}

async fn edit_page(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let seen = shared_space::seen_thread(&state, &member.user, id).await?;
    if !seen.wrote_it() {
        return Err(WebError::Forbidden("only its writer can edit a post".into()).into());
    }
    if !seen.can_post() {
        return Err(WebError::Conflict {
            field: "thread".into(),
            message: "this thread can no longer be edited".into(),
        }
        .into());
    }
    let t = &seen.thread;
    render(&EditPage {
        chrome: Chrome::new(&member.visitor, "Edit the thread", "communities")
            .counted(&state)
            .await,
        heading: format!("Edit “{}”", t.title),
        action: format!("/threads/{id}/edit"),
        back: format!("/threads/{id}"),
        with_title: true,
        title: t.title.clone(),
        body: t.body.clone(),
        tags: t.tags.join(", "),
        error: None,
        field: String::new(),
    })
}

async fn edit(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    match shared_space::edit(&state, &member.user, id, &f.title, &f.body, &f.tags).await {
        Ok(()) => Ok(Redirect::to(&format!("/threads/{id}")).into_response()),
        Err(e) if shown(&e) => {
            let page = EditPage {
                chrome: Chrome::new(&member.visitor, "Edit the thread", "communities")
                    .counted(&state)
                    .await,
                heading: "Edit the thread".into(),
                action: format!("/threads/{id}/edit"),
                back: format!("/threads/{id}"),
                with_title: true,
                title: f.title,
                body: f.body,
                tags: f.tags,
                error: Some(e.public_message()),
                field: e.field().unwrap_or_default().to_owned(),
            };
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A revision of the opening post with what it changed from the one before.
struct RevisionView {
    revision: i64,
    editor: String,
    at: chrono::DateTime<chrono::Utc>,
    /// The fields it changed (all of them, for the first), each as a word diff.
    fields: Vec<(&'static str, Vec<Piece>)>,
}

#[derive(Template)]
#[template(path = "thread_history.html")]
struct HistoryPage {
    chrome: Chrome,
    id: i64,
    heading: String,
    hidden: bool,
    revisions: Vec<RevisionView>,
}

async fn history(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    history_of(&state, &member, id, None).await
}

async fn reply_history(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let (reply, _) = shared_space::seen_reply(&state, &member.user, id).await?;
    history_of(&state, &member, reply.thread_id, Some(reply)).await
}

/// The revisions of a thread's opening post, or of one of its replies, each
/// compared with the one before.
async fn history_of(
    state: &AppState,
    member: &PageMember,
    id: i64,
    reply: Option<store::threads::Reply>,
) -> Result<Html<String>, PageError> {
    let seen = shared_space::seen_thread(state, &member.user, id).await?;
    let hidden =
        seen.thread.hidden_at.is_some() || reply.as_ref().is_some_and(|r| r.hidden_at.is_some());
    let anonymous = match &reply {
        Some(r) => r.anonymous,
        None => seen.thread.anonymous,
    };
    let revisions = if hidden {
        Vec::new()
    } else {
        state
            .store
            .post_revisions(id, reply.as_ref().map(|r| r.id))
            .await?
    };
    // Newest first: each revision is compared with the next one in the list.
    let views = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let before = revisions.get(i + 1);
            let title = r.title.clone().unwrap_or_default();
            RevisionView {
                revision: r.revision,
                editor: match &r.editor {
                    Some(e) => e.name.clone(),
                    None if anonymous => ASKER.to_owned(),
                    None => "someone".to_owned(),
                },
                at: r.at,
                fields: [
                    (
                        "Title",
                        word_diff(
                            before.and_then(|b| b.title.as_deref()).unwrap_or_default(),
                            &title,
                        ),
                    ),
                    (
                        "Body",
                        word_diff(before.map(|b| b.body.as_str()).unwrap_or_default(), &r.body),
                    ),
                    (
                        "Tags",
                        word_diff(before.map(|b| b.tags.as_str()).unwrap_or_default(), &r.tags),
                    ),
                ]
                .into_iter()
                .filter(|(_, pieces)| pieces.iter().any(|p| p.change != Change::Kept))
                .collect(),
            }
        })
        .collect();
    let title = if seen.thread.hidden_at.is_some() {
        "(hidden)".to_owned()
    } else {
        seen.thread.title.clone()
    };
    let heading = match &reply {
        Some(_) => format!("History of a reply in “{title}”"),
        None => format!("History of “{title}”"),
    };
    render(&HistoryPage {
        chrome: Chrome::new(&member.visitor, heading.clone(), "communities")
            .counted(state)
            .await,
        id,
        heading,
        hidden,
        revisions: views,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/threads/{id}/edit", get(edit_page).post(edit))
        .route("/threads/{id}/history", get(history))
        .route("/replies/{id}/history", get(reply_history))
}
