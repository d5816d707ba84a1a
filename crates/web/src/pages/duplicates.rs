//! Duplicate effort in the browser: flagged pairs with their shared terms,
//! "link them" and "not the same" — on a community's page for its stewards,
//! and as a panel on each thread and artifact page (the linked posts for
//! every viewer; the undecided candidates for the post's authors and its
//! community's stewards).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::duplicates::{PostKey, Verdict};
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::{CurrentUser, PageMember};
use crate::duplicate_service::{self as service, FlaggedPair, PostDuplicates};
use crate::error::{PageError, WebError};
use crate::extract::PageForm;

/// The panel a post's page includes.
#[derive(Template)]
#[template(path = "duplicates_panel.html")]
struct Panel<'a> {
    d: &'a PostDuplicates,
    csrf: &'a str,
    back: String,
}

/// The duplicates panel of post `key` for `user`, as HTML to include in its
/// page (empty when there is nothing to show).
pub(super) async fn panel(
    state: &AppState,
    user: &std::sync::Arc<CurrentUser>,
    key: PostKey,
    csrf: &str,
) -> Result<String, WebError> {
    let d = service::post_duplicates(state, user, key).await?;
    if d.linked.is_empty() && d.flagged.is_empty() {
        return Ok(String::new());
    }
    let back = match key {
        PostKey::Thread(id) => format!("/threads/{id}"),
        PostKey::Artifact(id) => format!("/artifacts/{id}"),
    };
    Ok(Panel { d: &d, csrf, back }.render()?)
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct CommunityPage {
    chrome: Chrome,
    slug: String,
    community: String,
    pairs: Vec<FlaggedPair>,
    back: String,
}

async fn community(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    let pairs = service::flagged_in(&state, &seen).await?;
    render(&CommunityPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Duplicate effort in {}", seen.community.charter.name),
            "communities",
        ),
        back: format!("/communities/{}/duplicates", seen.community.slug),
        slug: seen.community.slug.clone(),
        community: seen.community.charter.name.clone(),
        pairs,
    })
}

#[derive(Debug, Default, Deserialize)]
struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    back: String,
}

/// Where to go after deciding: a page of ours, else the home page.
fn back_to(back: &str) -> String {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && back.chars().all(|c| c.is_ascii_graphic());
    if local {
        back.to_owned()
    } else {
        "/".to_owned()
    }
}

async fn decide(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(f): PageForm<DecideForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let a: PostKey = f.a.parse().map_err(WebError::from)?;
    let b: PostKey =
        f.b.parse()
            .map_err(|e: domain::Invalid| WebError::from(domain::Invalid::new("b", e.message)))?;
    let verdict: Verdict = f.decision.parse().map_err(WebError::from)?;
    service::decide(&state, &member.user, a, b, verdict).await?;
    let back = back_to(&f.back);
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}decided={}", verdict.as_str())).into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/duplicates", get(community))
        .route("/duplicates/decide", post(decide))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decisions_only_go_back_to_our_own_pages() {
        assert_eq!(super::back_to("/threads/3"), "/threads/3");
        assert_eq!(super::back_to("//evil.example/x"), "/");
        assert_eq!(super::back_to("https://evil.example"), "/");
        assert_eq!(super::back_to("/\\evil"), "/");
        assert_eq!(super::back_to(""), "/");
    }
}
