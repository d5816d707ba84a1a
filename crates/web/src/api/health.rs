//! Community health over the API: a community's report exactly as the JSON
//! report of METRICS.md gives it, and the portfolio of communities the
//! caller may see.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::health_view;

/// A community's health report.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthOut {
    /// When the figures were computed (the window ends here).
    pub computed_at: DateTime<Utc>,
    /// The report: `community`, `window`, `metrics`, `series`, `vitality`,
    /// `stage`, `diagnoses`, as in the JSON report format; null when the
    /// community has no activity yet.
    #[schema(value_type = Object)]
    pub report: Option<serde_json::Value>,
}

/// One community in the portfolio.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioEntry {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Private to its members.
    pub private: bool,
    /// Stage name, null without activity.
    pub stage: Option<String>,
    /// Vitality 0 to 5, null without activity.
    pub vitality: Option<f64>,
    /// Active members in each of the last 12 weeks.
    pub weekly_active_members: Vec<u64>,
    /// Names of the diagnoses that hold.
    pub flags: Vec<String>,
    /// Communities you can see whose domain overlaps this one's: merge candidates.
    pub overlaps: Vec<OverlapOut>,
}

/// A community whose domain overlaps another's.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverlapOut {
    /// Its address.
    pub slug: String,
    /// The words both domains use, most telling first.
    pub shared: Vec<String>,
}

/// The portfolio.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioOut {
    /// When the figures were computed.
    pub computed_at: DateTime<Utc>,
    /// The communities the caller may see.
    pub communities: Vec<PortfolioEntry>,
}

/// A community's health report.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/health", tag = "health",
    params(("slug" = String, Path, description = "Community address")),
    responses(
        (status = 200, body = HealthOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community you can see", body = ErrorBody),
        (status = 503, description = "Figures still being computed", body = ErrorBody),
    ))]
async fn community_health(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Json<HealthOut>, ApiError> {
    let snap = health_view::snapshot(&state)?;
    let report = health_view::community_report(&snap, &seen.community.slug)
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(HealthOut {
        computed_at: snap.computed_at,
        report,
    }))
}

/// The portfolio: every community you can see with its stage, vitality and flags.
#[utoipa::path(get, path = "/api/v1/portfolio", tag = "health",
    responses(
        (status = 200, body = PortfolioOut),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 503, description = "Figures still being computed", body = ErrorBody),
    ))]
async fn portfolio(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<PortfolioOut>, ApiError> {
    let snap = health_view::snapshot(&state)?;
    let rows = health_view::portfolio_rows(&state, &snap, user.person.id).await?;
    Ok(Json(PortfolioOut {
        computed_at: snap.computed_at,
        communities: rows
            .into_iter()
            .map(|row| PortfolioEntry {
                stage: row.report.as_ref().map(|r| r.stage.name.to_owned()),
                vitality: row.report.as_ref().map(|r| r.vitality.score),
                weekly_active_members: row
                    .report
                    .as_ref()
                    .map(|r| {
                        r.series
                            .iter()
                            .rev()
                            .take(12)
                            .rev()
                            .map(|w| w.active_members)
                            .collect()
                    })
                    .unwrap_or_default(),
                flags: row
                    .report
                    .as_ref()
                    .map(|r| r.diagnoses.iter().map(|d| d.name.to_owned()).collect())
                    .unwrap_or_default(),
                overlaps: row
                    .overlaps
                    .into_iter()
                    .map(|(slug, _, shared)| OverlapOut { slug, shared })
                    .collect(),
                slug: row.slug,
                name: row.name,
                private: row.private,
            })
            .collect(),
    }))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(community_health))
        .routes(routes!(portfolio))
}
