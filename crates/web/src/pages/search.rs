//! Searching the shared space and the practice (published artifacts lead
//! the first page when no thread-only filter is set): the words, filters (a community the viewer
//! may see, a type, a tag, solved or not), results best first with their
//! snippets and matches highlighted, a page at a time. Anonymous writers
//! are never named; posts the viewer may not see never appear.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use domain::thread::ThreadType;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::PageError;
use crate::extract::PageQuery;
use crate::shared_space::{self, SearchQuery};

/// Results on one page.
const PAGE_SIZE: i64 = 20;
/// Artifacts shown at the top of the first page.
const ARTIFACTS_SHOWN: i64 = 10;

/// A result as the page shows it.
struct Hit {
    /// "Thread" or "Artifact".
    what: &'static str,
    url: String,
    title: String,
    in_reply: bool,
    community: String,
    type_label: String,
    solved: bool,
    author: Option<(i64, String)>,
    /// Escaped text with `<mark>`s, from [`crate::markdown::snippet`].
    snippet: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    community: String,
    thread_type: String,
    tag: String,
    solved: String,
    communities: Vec<(String, String)>,
    types: Vec<(&'static str, &'static str)>,
    searched: bool,
    hits: Vec<Hit>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    community: String,
    #[serde(rename = "type", default)]
    thread_type: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    solved: String,
    cursor: Option<String>,
}

async fn search(
    State(state): State<AppState>,
    member: PageMember,
    PageQuery(p): PageQuery<Params>,
) -> Result<Html<String>, PageError> {
    let me = member.user.person.id;
    let offset = match p.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => crate::cursor::decode_numbers(c)?.0.max(0),
        None => 0,
    };
    let searched = !p.q.trim().is_empty();
    let query = SearchQuery {
        q: p.q.clone(),
        community: Some(p.community.clone()).filter(|c| !c.is_empty()),
        thread_type: Some(p.thread_type.clone()).filter(|t| !t.is_empty()),
        tag: Some(p.tag.clone()).filter(|t| !t.trim().is_empty()),
        solved: match p.solved.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    };
    let mut hits = if searched {
        shared_space::search(&state, &member.user, &query, offset, PAGE_SIZE + 1).await?
    } else {
        Vec::new()
    };
    let more = hits.len() as i64 > PAGE_SIZE;
    hits.truncate(PAGE_SIZE as usize);
    let next = more.then(|| {
        format!(
            "/search?q={}&community={}&type={}&tag={}&solved={}&cursor={}",
            urlencoding::encode(&p.q),
            urlencoding::encode(&p.community),
            urlencoding::encode(&p.thread_type),
            urlencoding::encode(&p.tag),
            urlencoding::encode(&p.solved),
            crate::cursor::encode_numbers((offset + PAGE_SIZE, 0))
        )
    });
    // Artifacts lead the first page when no thread-only filter is set.
    let thread_only = [&p.thread_type, &p.tag, &p.solved]
        .iter()
        .any(|f| !f.trim().is_empty());
    let artifacts = if searched && offset == 0 && !thread_only {
        crate::artifact_service::search_in(
            &state,
            &member.user,
            &p.q,
            query.community.as_deref(),
            ARTIFACTS_SHOWN,
        )
        .await?
    } else {
        Vec::new()
    };
    let artifacts = artifacts.into_iter().map(|h| Hit {
        what: "Artifact",
        url: format!("/artifacts/{}", h.artifact_id),
        in_reply: false,
        title: h.title,
        community: h.community_name,
        type_label: h.kind.label().to_owned(),
        solved: false,
        author: None,
        snippet: crate::markdown::snippet(&h.snippet),
        at: h.at,
    });
    let hits = artifacts
        .chain(hits.into_iter().map(|h| {
            Hit {
                what: "Thread",
                url: match h.reply_id {
                    Some(r) => format!("/threads/{}#reply-{r}", h.thread_id),
                    None => format!("/threads/{}", h.thread_id),
                },
                in_reply: h.reply_id.is_some(),
                title: h.title,
                community: h.community_name,
                type_label: h
                    .thread_type
                    .parse::<ThreadType>()
                    .map(|t| t.label().to_owned())
                    .unwrap_or(h.thread_type),
                solved: h.solved,
                author: h.author.map(|a| (a.id, a.name)),
                snippet: crate::markdown::snippet(&h.snippet),
                at: h.at,
            }
        }))
        .collect();
    let communities = state
        .store
        .visible_communities(Some(me))
        .await?
        .into_iter()
        .map(|c| (c.slug, c.name))
        .collect();
    render(&SearchPage {
        chrome: Chrome::new(&member.visitor, "Search", "search")
            .counted(&state)
            .await,
        communities,
        types: ThreadType::ALL
            .iter()
            .map(|t| (t.as_str(), t.label()))
            .collect(),
        searched,
        hits,
        next,
        q: p.q,
        community: p.community,
        thread_type: p.thread_type,
        tag: p.tag,
        solved: p.solved,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}
