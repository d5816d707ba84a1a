//! What the health pages and the health API share: finding a community's
//! report on the board, the portfolio rows a viewer may see, and where in the
//! product each diagnosis can be acted on.

use chrono::{DateTime, Utc};
use domain::overlap;
use health::report::ScopeReport;

use crate::AppState;
use crate::error::WebError;
use crate::vitality::Snapshot;

/// The board's snapshot, or a clear "not yet" while the first computation runs.
pub fn snapshot(state: &AppState) -> Result<Snapshot, WebError> {
    state.health.snapshot().ok_or_else(|| {
        WebError::Unavailable(
            "health figures are still being computed from the activity log; try again in a minute"
                .into(),
        )
    })
}

/// The report of the community with `slug` in `snap`, if it has any activity.
pub fn community_report<'a>(snap: &'a Snapshot, slug: &str) -> Option<&'a ScopeReport> {
    snap.portfolio
        .communities
        .iter()
        .find(|r| r.community.as_deref() == Some(slug))
}

/// One row of the portfolio as a viewer sees it.
#[derive(Debug, Clone)]
pub struct PortfolioRow {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Private to its members.
    pub private: bool,
    /// The report, if the community has any activity yet.
    pub report: Option<ScopeReport>,
    /// Communities (of those the viewer sees) whose domain overlaps this one's:
    /// (slug, name, the words they share).
    pub overlaps: Vec<(String, String, Vec<String>)>,
}

/// The portfolio rows `viewer` may see: open communities and their own private ones.
pub async fn portfolio_rows(
    state: &AppState,
    snap: &Snapshot,
    viewer: i64,
) -> Result<Vec<PortfolioRow>, WebError> {
    let visible = state.store.visible_communities(Some(viewer)).await?;
    let documents: Vec<String> = visible
        .iter()
        .map(|c| format!("{}: {}", c.name, c.domain_question))
        .collect();
    let mut rows: Vec<PortfolioRow> = visible
        .into_iter()
        .map(|c| PortfolioRow {
            report: community_report(snap, &c.slug).cloned(),
            private: c.visibility == "private",
            slug: c.slug,
            name: c.name,
            overlaps: Vec::new(),
        })
        .collect();
    // Merge candidates, only among communities this viewer may see.
    for o in overlap::overlaps(&documents, overlap::OVERLAP_THRESHOLD) {
        let shared: Vec<String> = o.shared.into_iter().take(5).collect();
        let (a, b) = (&rows[o.a], &rows[o.b]);
        let (to_b, to_a) = (
            (b.slug.clone(), b.name.clone(), shared.clone()),
            (a.slug.clone(), a.name.clone(), shared),
        );
        rows[o.a].overlaps.push(to_b);
        rows[o.b].overlaps.push(to_a);
    }
    Ok(rows)
}

/// Where in Guildhall a diagnosis can be acted on, for the community `slug`.
pub fn act_on(diagnosis: &str, slug: &str) -> (String, &'static str) {
    match diagnosis {
        "dormant_consider_dissolving" => (
            format!("/communities/{slug}/manage"),
            "Archive, merge or re-charter the community",
        ),
        "low_participation" | "newcomers_not_retained" => (
            format!("/communities/{slug}/manage"),
            "Invite people and welcome newcomers",
        ),
        "dominance_by_few_voices" | "single_point_of_leadership" => (
            format!("/communities/{slug}/manage"),
            "Share roles: name more stewards and core members",
        ),
        "insularity" => (
            "/people".to_owned(),
            "Find people from other teams with this interest",
        ),
        "stagnation" | "value_not_felt" => (
            format!("/communities/{slug}/edit"),
            "Revisit the charter's domain and purpose",
        ),
        _ => (format!("/communities/{slug}"), "Open the community"),
    }
}

/// "as of" text for a computation time.
pub fn as_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
