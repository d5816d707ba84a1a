//! The forms a thread page carries: replying (quoting a reply or not),
//! editing a reply, accepting an answer, reactions, kudos, and an
//! administrator hiding or showing a post. Each goes back to the thread
//! (at the post concerned), or shows the thread again with the refusal.

use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::thread_edits::EditPage;
use super::threads::{ReplyDraft, shown, thread_page};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::shared_space;

/// Every form of a thread page: the fields each needs, all text.
#[derive(Debug, Default, Deserialize)]
struct PostForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    quote_of: String,
    #[serde(default)]
    reply_id: String,
    #[serde(default)]
    reaction: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    hidden: String,
    /// A reaction button's value: `{reply id}:{reaction}:{on}`, the reply
    /// id empty for the opening post (one form serves every post).
    #[serde(default)]
    react: String,
}

/// An optional reply id from a form field.
fn reply_id(value: &str, field: &str) -> Result<Option<i64>, WebError> {
    match value.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| domain::Invalid::new(field, "is not a reply of this thread").into()),
    }
}

/// The thread at the post concerned.
fn back(id: i64, reply: Option<i64>) -> Response {
    let anchor = reply.map_or("post".to_owned(), |r| format!("reply-{r}"));
    Redirect::to(&format!("/threads/{id}#{anchor}")).into_response()
}

/// The thread again with `e` shown, or the error page for what a form cannot show.
async fn refused(
    state: &AppState,
    member: &PageMember,
    id: i64,
    draft: ReplyDraft,
    e: WebError,
) -> Result<Response, PageError> {
    if !shown(&e) {
        return Err(e.into());
    }
    let status = e.status();
    let page = thread_page(
        state,
        &member.user,
        &member.visitor,
        id,
        draft,
        Some(e.public_message()),
        None,
    )
    .await?;
    Ok((status, page).into_response())
}

async fn reply(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let result = match reply_id(&f.quote_of, "quote_of") {
        Ok(quote) => shared_space::reply(&state, &member.user, id, &f.body, quote).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(back(id, Some(r))),
        Err(e) => {
            let draft = ReplyDraft {
                quote_of: f.quote_of.trim().parse().ok(),
                body: f.body,
            };
            refused(&state, &member, id, draft, e).await
        }
    }
}

async fn accept(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let result = match reply_id(&f.reply_id, "reply_id") {
        Ok(Some(r)) => shared_space::accept(&state, &member.user, id, r)
            .await
            .map(|()| r),
        Ok(None) => Err(domain::Invalid::new("reply_id", "choose the answer to accept").into()),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(back(id, Some(r))),
        Err(e) => refused(&state, &member, id, ReplyDraft::default(), e).await,
    }
}

async fn react(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let mut f = f;
    if let Some((reply, rest)) = f.react.split_once(':') {
        let (reaction, on) = rest.split_once(':').unwrap_or((rest, "true"));
        (f.reply_id, f.reaction, f.on) = (reply.to_owned(), reaction.to_owned(), on.to_owned());
    }
    let on = f.on != "false";
    let result = match reply_id(&f.reply_id, "reply_id") {
        Ok(r) => shared_space::react(&state, &member.user, id, r, &f.reaction, on)
            .await
            .map(|()| r),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(back(id, r)),
        Err(e) => refused(&state, &member, id, ReplyDraft::default(), e).await,
    }
}

async fn kudos(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let result = match reply_id(&f.reply_id, "reply_id") {
        Ok(r) => shared_space::kudos(&state, &member.user, id, r, &f.note)
            .await
            .map(|_| r),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => {
            let anchor = r.map_or("post".to_owned(), |r| format!("reply-{r}"));
            Ok(Redirect::to(&format!("/threads/{id}?notice=kudos#{anchor}")).into_response())
        }
        Err(e) => refused(&state, &member, id, ReplyDraft::default(), e).await,
    }
}

async fn hide(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    shared_space::hide(&state, &member.user, id, None, f.hidden != "false").await?;
    Ok(back(id, None))
}

async fn hide_reply(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let thread = shared_space::hide(&state, &member.user, 0, Some(id), f.hidden != "false").await?;
    Ok(back(thread, Some(id)))
}

fn reply_form(chrome: Chrome, id: i64, thread: i64, body: String) -> EditPage {
    EditPage {
        chrome,
        heading: "Edit your reply".into(),
        action: format!("/replies/{id}/edit"),
        back: format!("/threads/{thread}#reply-{id}"),
        with_title: false,
        title: String::new(),
        body,
        tags: String::new(),
        error: None,
        field: String::new(),
    }
}

async fn edit_reply_page(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let (reply, seen) = shared_space::seen_reply(&state, &member.user, id).await?;
    let mine = match &reply.author {
        Some(a) => a.id == member.user.person.id,
        None => reply.anonymous && seen.is_asker,
    };
    if !mine {
        return Err(WebError::Forbidden("only its writer can edit a post".into()).into());
    }
    if !seen.can_post() || reply.hidden_at.is_some() {
        return Err(WebError::Conflict {
            field: "reply".into(),
            message: "this reply can no longer be edited".into(),
        }
        .into());
    }
    let chrome = Chrome::new(&member.visitor, "Edit your reply", "communities")
        .counted(&state)
        .await;
    render(&reply_form(chrome, id, reply.thread_id, reply.body))
}

async fn edit_reply(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<PostForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    match shared_space::edit_reply(&state, &member.user, id, &f.body).await {
        Ok(thread) => Ok(back(thread, Some(id))),
        Err(e) if shown(&e) => {
            let (reply, _) = shared_space::seen_reply(&state, &member.user, id).await?;
            let chrome = Chrome::new(&member.visitor, "Edit your reply", "communities")
                .counted(&state)
                .await;
            let mut page = reply_form(chrome, id, reply.thread_id, f.body);
            page.error = Some(e.public_message());
            page.field = e.field().unwrap_or_default().to_owned();
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/threads/{id}/replies", post(reply))
        .route("/threads/{id}/accept", post(accept))
        .route("/threads/{id}/reactions", post(react))
        .route("/threads/{id}/kudos", post(kudos))
        .route("/threads/{id}/hide", post(hide))
        .route("/replies/{id}/edit", get(edit_reply_page).post(edit_reply))
        .route("/replies/{id}/hide", post(hide_reply))
}
