//! Calendar feeds in the browser: a person makes and revokes their feed
//! tokens under settings (one community's gatherings, or all of theirs),
//! and feed readers fetch the iCalendar by token.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::gatherings::FeedToken;

use super::gatherings::shown;
use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities_access::visible_by_slug;
use crate::auth::{CurrentUser, PageMember};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::gathering_service as gs;

#[derive(Deserialize)]
struct FeedQuery {
    #[serde(default)]
    token: String,
}

async fn feed(
    State(state): State<AppState>,
    PageQuery(q): PageQuery<FeedQuery>,
) -> Result<Response, PageError> {
    let body = gs::feed(&state, &q.token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "gathering_feeds.html")]
struct FeedsPage {
    chrome: Chrome,
    feeds: Vec<FeedToken>,
    communities: Vec<(String, String)>,
    made: Option<String>,
    error: Option<String>,
}

async fn feeds_page(
    state: &AppState,
    member: &PageMember,
    made: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let me = member.user.person.id;
    let communities = state
        .store
        .communities_of(me, Some(me))
        .await?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect();
    render(&FeedsPage {
        chrome: Chrome::new(&member.visitor, "Calendar feeds", "tokens"),
        feeds: state.store.feed_tokens(me).await?,
        communities,
        made,
        error,
    })
    .map_err(|e| e.0)
}

async fn feeds(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    Ok(feeds_page(&state, &member, None, None).await?)
}

#[derive(Deserialize)]
struct FeedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    community: String,
}

async fn make_feed(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<FeedForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let user: &Arc<CurrentUser> = &member.user;
    let community = if form.community.trim().is_empty() {
        Ok(None)
    } else {
        visible_by_slug(&state, &form.community, user.person.id, "community")
            .await
            .map(Some)
    };
    let made = match community {
        Ok(c) => gs::create_feed(&state, user, c.as_ref()).await,
        Err(e) => Err(e),
    };
    match made {
        Ok((secret, _)) => Ok(
            feeds_page(&state, &member, Some(gs::feed_path(&secret)), None)
                .await?
                .into_response(),
        ),
        Err(e) if shown(&e) => {
            let status = e.status();
            let page = feeds_page(&state, &member, None, Some(e.public_message())).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke_feed(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    state
        .store
        .revoke_feed_token(member.user.person.id, id, state.clock.now())
        .await?;
    Ok(Redirect::to("/settings/feeds").into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/feeds/calendar.ics", get(feed))
        .route("/settings/feeds", get(feeds).post(make_feed))
        .route("/settings/feeds/{id}/revoke", post(revoke_feed))
}
