//! Who knows what over the API: the expertise directory, a person's expertise, suggested answerers.
//!
//! Also the signed-in person's expertise settings: hiding their inferred
//! expertise, and being notified of questions they are suggested for.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::expertise::{ExpertiseSettings, Named};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody};
use crate::expertise_service::{self, ClaimView, SuggestionView};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

/// A person as expertise names them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Team, if any.
    pub team: Option<String>,
}

impl From<Named> for ExpertRef {
    fn from(n: Named) -> Self {
        Self {
            id: n.id,
            name: n.name,
            team: n.team,
        }
    }
}

/// What someone knows about a topic, and why we think so.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimOut {
    /// The topic.
    pub topic: String,
    /// Decayed evidence plus the declared level's weight (see docs/expertise.md).
    pub score: f64,
    /// The level they declared: `beginner`, `practitioner` or `expert`.
    pub declared: Option<String>,
    /// The evidence in words, e.g. "4 accepted answers tagged kubernetes, last in May 2026".
    pub evidence: Vec<String>,
}

impl From<ClaimView> for ClaimOut {
    fn from(c: ClaimView) -> Self {
        Self {
            topic: c.topic,
            score: c.score,
            declared: c.declared.map(str::to_owned),
            evidence: c.evidence,
        }
    }
}

/// A person with their claim on the topic asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertOut {
    /// Who.
    pub person: ExpertRef,
    /// Their claim.
    pub claim: ClaimOut,
}

/// A topic in use and how often.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicOut {
    /// The topic.
    pub topic: String,
    /// Tags and declared skills using it.
    pub uses: i64,
}

/// The directory for a topic.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryOut {
    /// The topic, normalised; empty when none was given.
    pub topic: String,
    /// The people with a claim on it, strongest first (at most 50).
    pub people: Vec<ExpertOut>,
    /// Topics in use that contain the one asked for (the most used when none).
    pub topics: Vec<TopicOut>,
}

/// The topic to look up.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopicQuery {
    /// A tag or skill, e.g. `kubernetes`; empty lists the topics in use.
    #[serde(default)]
    pub topic: String,
}

/// Who knows about a topic: from accepted answers, answers, "helpful"
/// reactions, artifacts, experiments and facilitated gatherings in the
/// communities you can see, decayed with time, and from declared skills.
#[utoipa::path(get, path = "/api/v1/expertise", tag = "people",
    params(TopicQuery),
    responses(
        (status = 200, body = DirectoryOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "The topic is too long", body = ErrorBody),
    ))]
async fn directory(
    State(state): State<AppState>,
    Member(user): Member,
    ApiQuery(q): ApiQuery<TopicQuery>,
) -> Result<Json<DirectoryOut>, ApiError> {
    let d = expertise_service::directory(&state, user.person.id, &q.topic).await?;
    Ok(Json(DirectoryOut {
        topic: d.topic,
        people: d
            .people
            .into_iter()
            .map(|e| ExpertOut {
                person: e.person.into(),
                claim: e.claim.into(),
            })
            .collect(),
        topics: d
            .topics
            .into_iter()
            .map(|(topic, uses)| TopicOut { topic, uses })
            .collect(),
    }))
}

/// Someone's expertise settings.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ExpertiseSettingsIo {
    /// Show no one else your inferred expertise (declared skills stay).
    #[serde(default)]
    pub hide_inferred: bool,
    /// Be notified of new questions you are suggested for.
    #[serde(default)]
    pub notify_suggested: bool,
}

impl From<ExpertiseSettings> for ExpertiseSettingsIo {
    fn from(s: ExpertiseSettings) -> Self {
        Self {
            hide_inferred: s.hide_inferred,
            notify_suggested: s.notify_suggested,
        }
    }
}

/// A person's expertise.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonExpertiseOut {
    /// Their claims, strongest first (at most 12).
    pub claims: Vec<ClaimOut>,
    /// Your settings, when it is you.
    pub settings: Option<ExpertiseSettingsIo>,
}

/// A person's expertise as you may see it: inferred evidence from the
/// communities you can see (none if they hid it), and their declared skills.
#[utoipa::path(get, path = "/api/v1/people/{id}/expertise", tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, body = PersonExpertiseOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn person(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonExpertiseOut>, ApiError> {
    let e = expertise_service::of_person(&state, user.person.id, id).await?;
    Ok(Json(PersonExpertiseOut {
        claims: e.claims.into_iter().map(ClaimOut::from).collect(),
        settings: e.own.map(ExpertiseSettingsIo::from),
    }))
}

/// Someone who could answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOut {
    /// Who.
    pub person: ExpertRef,
    /// The ranking score (see docs/expertise.md).
    pub score: f64,
    /// In their working hours now.
    pub working_now: bool,
    /// Answers they gave in the last 7 days.
    pub recent_answers: u32,
    /// Why, in words: their evidence on the question's topics, hours and load.
    pub reasons: Vec<String>,
}

impl From<SuggestionView> for SuggestionOut {
    fn from(s: SuggestionView) -> Self {
        Self {
            person: s.person.into(),
            score: s.score,
            working_now: s.working_now,
            recent_answers: s.recent_answers,
            reasons: s.reasons,
        }
    }
}

/// Suggested answerers, or why there are none.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedOut {
    /// At most three, best first.
    pub people: Vec<SuggestionOut>,
    /// Why the list is empty, when it is.
    pub note: Option<String>,
}

/// Up to three members of the question's community likely to answer it
/// (never the asker); unsolved questions only. For an anonymous question,
/// only its asker sees them.
#[utoipa::path(get, path = "/api/v1/threads/{id}/suggested-answerers", tag = "shared space",
    params(("id" = i64, Path, description = "Thread id")),
    responses(
        (status = 200, body = SuggestedOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such thread you can see", body = ErrorBody),
    ))]
async fn for_thread(
    State(state): State<AppState>,
    Member(user): Member,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SuggestedOut>, ApiError> {
    let s = expertise_service::for_thread(&state, &user, id).await?;
    Ok(Json(SuggestedOut {
        people: s.people.into_iter().map(SuggestionOut::from).collect(),
        note: s.note.map(str::to_owned),
    }))
}

/// A question being written.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// The title so far.
    #[serde(default)]
    pub title: String,
    /// The body so far (Markdown).
    #[serde(default)]
    pub body: String,
    /// The tags so far, separated by commas or spaces.
    #[serde(default)]
    pub tags: String,
    /// Whether it will be asked anonymously.
    #[serde(default)]
    pub anonymous: bool,
}

/// Up to three members likely to answer the question you are writing in
/// this community (never you).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/suggested-answerers", tag = "shared space",
    params(("slug" = String, Path, description = "Community address"), DraftQuery),
    responses(
        (status = 200, body = [SuggestionOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
    ))]
async fn for_draft(
    State(state): State<AppState>,
    seen: Seen,
    ApiQuery(q): ApiQuery<DraftQuery>,
) -> Result<Json<Vec<SuggestionOut>>, ApiError> {
    let people =
        expertise_service::for_draft(&state, &seen, &q.title, &q.body, &q.tags, q.anonymous)
            .await?;
    Ok(Json(people.into_iter().map(SuggestionOut::from).collect()))
}

/// Your expertise settings.
#[utoipa::path(get, path = "/api/v1/me/expertise-settings", tag = "accounts",
    responses(
        (status = 200, body = ExpertiseSettingsIo),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn settings(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<ExpertiseSettingsIo>, ApiError> {
    Ok(Json(
        state
            .store
            .expertise_settings(user.person.id)
            .await
            .map_err(crate::WebError::from)?
            .into(),
    ))
}

/// Replace your expertise settings (a missing field is off).
#[utoipa::path(put, path = "/api/v1/me/expertise-settings", tag = "accounts",
    request_body = ExpertiseSettingsIo,
    responses(
        (status = 200, description = "The saved settings", body = ExpertiseSettingsIo),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn save_settings(
    State(state): State<AppState>,
    Member(user): Member,
    ApiJson(body): ApiJson<ExpertiseSettingsIo>,
) -> Result<Json<ExpertiseSettingsIo>, ApiError> {
    let settings = ExpertiseSettings {
        hide_inferred: body.hide_inferred,
        notify_suggested: body.notify_suggested,
    };
    expertise_service::save_settings(&state, &user, settings).await?;
    Ok(Json(settings.into()))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(directory))
        .routes(routes!(person))
        .routes(routes!(for_thread))
        .routes(routes!(for_draft))
        .routes(routes!(settings, save_settings))
}
