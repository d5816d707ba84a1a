//! The JSON API under `/api/v1`. Each handler is registered together with its
//! OpenAPI description, so the document at `/api/v1/openapi.json` is
//! generated from the code and lists every operation.

mod accounts;
mod artifacts;
pub(crate) mod artifacts_schema;
pub(crate) mod communities;
pub(crate) mod communities_access;
pub(crate) mod communities_membership;
pub(crate) mod communities_schema;
pub(crate) mod communities_stewardship;
mod duplicates;
mod experiments;
mod experiments_schema;
mod expertise;
mod gatherings;
pub(crate) mod gatherings_schema;
mod health;
mod mentoring;
mod mentoring_schema;
mod outreach;
mod people;
mod pulses;
pub mod schema;
mod threads;
pub(crate) mod threads_schema;
mod tokens;

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Guildhall API", description = "Communities of practice: people, communities, practice and health. \
        Authenticate with `Authorization: Bearer <token>` (a personal access token, or the session token from log-in). \
        Errors are `{\"error\": {\"message\": \"...\", \"field\": \"...\"}}`."),
    modifiers(&Bearer),
    security(("bearer" = [])),
    tags(
        (name = "accounts", description = "Signing up, logging in and out, and your own profile"),
        (name = "people", description = "The people directory and teams"),
        (name = "tokens", description = "Personal access tokens"),
        (name = "communities", description = "Communities of practice"),
        (name = "shared space", description = "Threads, questions and answers, anonymous questions, reactions, kudos, notifications and search"),
        (name = "gatherings", description = "Gatherings: recurring series, RSVPs, attendance, facilitation, time-zone fairness, calendar feeds"),
        (name = "practice", description = "The practice: artifacts with revisions and diffs, reviews and staleness, reuse by team, links and backlinks, promotion from threads; experiments; and the adoption of artifacts by the organisation's teams"),
        (name = "duplicates", description = "Duplicate effort across teams: threads and artifacts from different teams that look like the same problem, with the terms they share; link them or say they are not the same"),
        (name = "health", description = "Community health: figures, vitality, stage, diagnoses, the portfolio"),
        (name = "mentoring", description = "Mentor matching, proposals and pairs, mentor capacity, and a community's start-here page for newcomers"),
    )
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Every API operation with its documentation.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(accounts::router())
        .merge(health::router())
        .merge(pulses::router())
        .merge(people::router())
        .merge(tokens::router())
        .merge(communities::router())
        .merge(communities_membership::router())
        .merge(gatherings::router())
        .merge(threads::router())
        .merge(artifacts::router())
        .merge(experiments::router())
        .merge(expertise::router())
        .merge(mentoring::router())
        .merge(duplicates::router())
        .merge(outreach::router())
}
