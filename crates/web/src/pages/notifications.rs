//! A person's notifications (mentions, replies, accepted answers, kudos),
//! the unread ones marked, with "mark all read"; and the questions they
//! asked anonymously, which only they ever see listed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use store::threads::Notification;

use super::threads::ThreadLine;
use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::PageError;
use crate::extract::PageForm;
use crate::shared_space::ASKER;

/// A notification in words.
struct Line {
    n: Notification,
    /// Who did it: a name, or the asker of an anonymous question.
    who: String,
    /// What they did, before the thread's title.
    what: &'static str,
    url: String,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    chrome: Chrome,
    lines: Vec<Line>,
    mine: Vec<ThreadLine>,
    mentoring: Vec<super::mentoring::NoticeLine>,
}

fn line(n: Notification) -> Line {
    let what = match n.kind.as_str() {
        "mention" => "mentioned you in",
        "reply" => "replied in",
        "accepted" => "accepted your answer in",
        "kudos" => "gave you kudos for your post in",
        "suggested" => "asked a question you could answer:",
        _ => "posted in",
    };
    Line {
        who: n.actor.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| {
            let mut asker = ASKER.to_owned();
            asker[..1].make_ascii_uppercase();
            asker
        }),
        url: match n.reply_id {
            Some(r) => format!("/threads/{}#reply-{r}", n.thread_id),
            None => format!("/threads/{}", n.thread_id),
        },
        what,
        n,
    }
}

async fn list(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    let me = member.user.person.id;
    let lines = state
        .store
        .notifications(me, 100)
        .await?
        .into_iter()
        .map(line)
        .collect();
    let mine = state
        .store
        .anonymous_questions_of(me)
        .await?
        .iter()
        .map(ThreadLine::from)
        .collect();
    render(&NotificationsPage {
        chrome: Chrome::new(&member.visitor, "Notifications", "notifications")
            .counted(&state)
            .await,
        lines,
        mine,
        mentoring: super::mentoring::notice_lines(&state, me).await?,
    })
}

async fn read(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    state
        .store
        .read_notifications(member.user.person.id, state.clock.now())
        .await?;
    Ok(Redirect::to("/notifications").into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(read))
}
