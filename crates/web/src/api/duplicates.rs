//! Duplicate effort over the API: candidates for a post or a draft, the
//! posts linked to one, a community's flagged pairs (its stewards), and
//! decisions on a pair. Posts are named `thread-ID` or `artifact-ID`. Only
//! posts of communities the caller may see are ever returned, and the
//! asker of an anonymous question is never named.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::duplicates::{PostKey, Text, Verdict};
use domain::invalid::bounded_text;
use domain::thread::{BODY_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::duplicate_service::{self as service, FlaggedPair, PostRef, Similar};
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::{ApiJson, ApiQuery};

/// A post as duplicates name it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatePostOut {
    /// `thread-ID` or `artifact-ID`.
    pub post: String,
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its community's address.
    pub community: String,
    /// Its community's name.
    pub community_name: String,
    /// The named author (an artifact's owner); absent when asked anonymously.
    pub author: Option<String>,
    /// The author's team, when named and on one.
    pub team: Option<String>,
}

impl From<PostRef> for DuplicatePostOut {
    fn from(p: PostRef) -> Self {
        DuplicatePostOut {
            post: p.key.to_string(),
            title: p.title,
            url: p.url,
            community: p.community_slug,
            community_name: p.community_name,
            author: p.author,
            team: p.team,
        }
    }
}

/// A post like another, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    /// The post.
    pub post: DuplicatePostOut,
    /// TF-IDF cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most, most telling first.
    pub shared_terms: Vec<String>,
}

impl From<Similar> for CandidateOut {
    fn from(s: Similar) -> Self {
        CandidateOut {
            post: s.post.into(),
            score: s.score,
            shared_terms: s.shared,
        }
    }
}

/// A flagged pair.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairOut {
    /// The first post.
    pub a: DuplicatePostOut,
    /// The second post.
    pub b: DuplicatePostOut,
    /// TF-IDF cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most, most telling first.
    pub shared_terms: Vec<String>,
}

impl From<FlaggedPair> for PairOut {
    fn from(p: FlaggedPair) -> Self {
        PairOut {
            a: p.a.into(),
            b: p.b.into(),
            score: p.score,
            shared_terms: p.shared,
        }
    }
}

/// Which post.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostQuery {
    /// `thread-ID` or `artifact-ID`.
    #[serde(default)]
    pub post: String,
    /// At most this many, 1 to 20 (default 5).
    pub limit: Option<i64>,
}

fn post_of(field: &str, value: &str) -> Result<PostKey, WebError> {
    value
        .parse()
        .map_err(|e: domain::Invalid| domain::Invalid::new(field, e.message).into())
}

fn limit_of(limit: Option<i64>) -> Result<usize, WebError> {
    match limit {
        None => Ok(service::CANDIDATES_SHOWN),
        Some(n @ 1..=20) => Ok(n as usize),
        Some(_) => Err(domain::Invalid::new("limit", "must be between 1 and 20").into()),
    }
}

/// Posts from other teams like this one, best first, with their shared
/// terms; pairs already decided are left out.
#[utoipa::path(get, path = "/api/v1/duplicates/candidates", tag = "duplicates",
    params(PostQuery),
    responses(
        (status = 200, body = [CandidateOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such post you can see", body = ErrorBody),
        (status = 422, description = "The post or limit is malformed", body = ErrorBody),
    ))]
async fn candidates(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(q): ApiQuery<PostQuery>,
) -> Result<Json<Vec<CandidateOut>>, ApiError> {
    let key = post_of("post", &q.post)?;
    let limit = limit_of(q.limit)?;
    let found = service::candidates_for_post(&state, &user, key, limit).await?;
    Ok(Json(found.into_iter().map(CandidateOut::from).collect()))
}

/// A post being written.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftIn {
    /// Title so far.
    #[serde(default)]
    pub title: String,
    /// Markdown body so far.
    #[serde(default)]
    pub body: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// At most this many, 1 to 20 (default 5).
    pub limit: Option<i64>,
}

/// Posts from other teams like a draft about to be posted in this community, best first.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/duplicates/candidates", tag = "duplicates",
    params(("slug" = String, Path, description = "Community address")),
    request_body = DraftIn,
    responses(
        (status = 200, body = [CandidateOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 422, description = "A field is too long or malformed", body = ErrorBody),
    ))]
async fn draft_candidates(
    State(state): State<AppState>,
    seen: Seen,
    ApiJson(draft): ApiJson<DraftIn>,
) -> Result<Json<Vec<CandidateOut>>, ApiError> {
    let limit = limit_of(draft.limit)?;
    if draft.tags.len() > TAGS_MAX {
        return Err(WebError::from(domain::Invalid::new(
            "tags",
            format!("at most {TAGS_MAX} tags"),
        ))
        .into());
    }
    let text = Text {
        title: bounded_text("title", &draft.title, TITLE_MAX).map_err(WebError::from)?,
        body: domain::thread::plain_text(
            &bounded_text("body", &draft.body, BODY_MAX).map_err(WebError::from)?,
        ),
        tags: draft
            .tags
            .iter()
            .map(|t| bounded_text("tags", t, TAG_MAX))
            .collect::<Result<_, _>>()
            .map_err(WebError::from)?,
    };
    let found = service::candidates_for_draft(&state, &seen, &text, limit).await?;
    Ok(Json(found.into_iter().map(CandidateOut::from).collect()))
}

/// The posts decided to be the same problem as this one.
#[utoipa::path(get, path = "/api/v1/duplicates/links", tag = "duplicates",
    params(PostQuery),
    responses(
        (status = 200, body = [DuplicatePostOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such post you can see", body = ErrorBody),
        (status = 422, description = "The post is malformed", body = ErrorBody),
    ))]
async fn links(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(q): ApiQuery<PostQuery>,
) -> Result<Json<Vec<DuplicatePostOut>>, ApiError> {
    let key = post_of("post", &q.post)?;
    let linked = service::linked_to(&state, &user, key).await?;
    Ok(Json(
        linked.into_iter().map(DuplicatePostOut::from).collect(),
    ))
}

/// The undecided pairs flagged as duplicate effort across teams that touch
/// this community, most similar first (its stewards; only pairs whose both
/// posts the caller may see).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/duplicates", tag = "duplicates",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = [PairOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a steward", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn flagged(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<Vec<PairOut>>, ApiError> {
    let pairs = service::flagged_in(&state, &seen).await?;
    Ok(Json(pairs.into_iter().map(PairOut::from).collect()))
}

/// A decision on a pair.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionIn {
    /// One post, `thread-ID` or `artifact-ID`.
    #[serde(default)]
    pub a: String,
    /// The other post.
    #[serde(default)]
    pub b: String,
    /// `link` (the same problem: both posts show each other) or
    /// `not_the_same` (never flagged again).
    #[serde(default)]
    pub decision: String,
}

/// A decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// The first post (canonical order).
    pub a: String,
    /// The second post.
    pub b: String,
    /// `link` or `not_the_same`.
    pub decision: String,
    /// The shared terms that explained the pair.
    pub shared_terms: Vec<String>,
    /// When.
    pub decided_at: DateTime<Utc>,
}

/// Decide on a pair: link them, or say they are not the same (the authors
/// of either post and the stewards of either community, who must see both).
#[utoipa::path(post, path = "/api/v1/duplicates/decisions", tag = "duplicates",
    request_body = DecisionIn,
    responses(
        (status = 200, body = DecisionOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Neither an author nor a steward", body = ErrorBody),
        (status = 404, description = "No such post you can see", body = ErrorBody),
        (status = 422, description = "A field is malformed", body = ErrorBody),
    ))]
async fn decide(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<DecisionIn>,
) -> Result<Json<DecisionOut>, ApiError> {
    let a = post_of("a", &body.a)?;
    let b = post_of("b", &body.b)?;
    let verdict: Verdict = body.decision.parse().map_err(WebError::from)?;
    let d = service::decide(&state, &user, a, b, verdict).await?;
    Ok(Json(DecisionOut {
        a: d.a.to_string(),
        b: d.b.to_string(),
        decision: d.verdict.as_str().to_owned(),
        shared_terms: d.shared,
        decided_at: d.decided_at,
    }))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(candidates))
        .routes(routes!(draft_candidates))
        .routes(routes!(links))
        .routes(routes!(flagged))
        .routes(routes!(decide))
}
