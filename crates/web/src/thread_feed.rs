//! The Atom feed of a community's new threads, for feed readers. An open
//! community's feed is public; a private community's needs a personal feed
//! token (the same revocable tokens as the calendar feeds) of a current
//! member, or a signed-in member's session. Anything else, including a
//! community that does not exist, is the same 404. Anonymous questions are
//! credited to "the asker"; hidden threads are left out.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use domain::community::Visibility;
use serde::Deserialize;

use crate::AppState;
use crate::api::communities_access::may_see;
use crate::auth::{Visitor, secret};
use crate::error::{PageError, WebError};
use crate::shared_space::ASKER;

/// How many threads a feed carries.
const ENTRIES: i64 = 30;

/// The feed token, for private communities.
#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    token: String,
}

/// `GET /communities/{slug}/threads.atom`.
pub async fn feed(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, PageError> {
    let body = build(&state, &visitor, &headers, &slug, &q.token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}

/// Whether the request may read `community`'s feed.
async fn allowed(
    state: &AppState,
    visitor: &Visitor,
    community: &store::communities::Community,
    token: &str,
) -> Result<bool, WebError> {
    if community.charter.visibility == Visibility::Open {
        return Ok(true);
    }
    if let Some(user) = &visitor.user
        && may_see(state, community, user.person.id).await?
    {
        return Ok(true);
    }
    if token.is_empty() || token.len() > 200 {
        return Ok(false);
    }
    let Some(token) = state.store.feed_token(&secret::digest(token)).await? else {
        return Ok(false);
    };
    if token.community_id.is_some_and(|c| c != community.id) {
        return Ok(false);
    }
    may_see(state, community, token.person_id).await
}

async fn build(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    slug: &str,
    token: &str,
) -> Result<String, WebError> {
    if domain::community::slug(slug).as_deref() != Ok(slug) {
        return Err(WebError::NotFound);
    }
    let community = state
        .store
        .community_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)?;
    if community.merged_into.is_some() || !allowed(state, visitor, &community, token).await? {
        return Err(WebError::NotFound);
    }
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let base = format!("{scheme}://{host}");
    let threads = state.store.newest_threads(community.id, ENTRIES).await?;
    let updated = threads
        .iter()
        .map(|t| t.created_at)
        .max()
        .unwrap_or(community.created_at);
    let entries = threads
        .iter()
        .map(|t| {
            let url = format!("{base}/threads/{}", t.id);
            let author = t
                .author
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| ASKER.to_owned());
            let mut content = Content::default();
            content.set_content_type("html".to_owned());
            content.set_value(crate::markdown::render(&t.body));
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(format!(
                "[{}] {}",
                t.thread_type.label(),
                t.title
            )));
            entry.set_published(Some(t.created_at.fixed_offset()));
            entry.set_updated(t.edited_at.unwrap_or(t.created_at).fixed_offset());
            entry.set_authors(vec![Person {
                name: author,
                ..Person::default()
            }]);
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".into(),
                ..Link::default()
            }]);
            entry.set_content(Some(content));
            entry
        })
        .collect::<Vec<_>>();
    let home = format!("{base}/communities/{}", community.slug);
    let mut feed = Feed::default();
    feed.set_id(format!("{home}/threads"));
    feed.set_title(Text::plain(format!(
        "{}: new threads",
        community.charter.name
    )));
    feed.set_subtitle(Some(Text::plain(community.charter.domain_question.clone())));
    feed.set_updated(updated.fixed_offset());
    feed.set_links(vec![
        Link {
            href: format!("{home}/threads"),
            rel: "alternate".into(),
            ..Link::default()
        },
        Link {
            href: format!("{home}/threads.atom"),
            rel: "self".into(),
            ..Link::default()
        },
    ]);
    feed.set_entries(entries);
    Ok(feed.to_string())
}
