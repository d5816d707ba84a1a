//! The request and response bodies of the experiments and adoption API.

use chrono::{DateTime, NaiveDate, Utc};
use domain::influence::Influence;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::experiment_service::{AdoptionView, ExperimentView};

/// A person named in an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRef {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
}

fn person(p: Option<(i64, String)>) -> Option<PersonRef> {
    p.map(|(id, name)| PersonRef { id, name })
}

/// An experiment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExperimentOut {
    /// Id.
    pub id: i64,
    /// Short name.
    pub title: String,
    /// What is expected to happen (Markdown).
    pub hypothesis: String,
    /// Its owner.
    pub owner: Option<PersonRef>,
    /// `proposed`, `running`, `concluded` or `abandoned`.
    pub status: String,
    /// Planned start.
    pub starts_on: Option<NaiveDate>,
    /// When the community looks at it again.
    pub review_on: Option<NaiveDate>,
    /// Running with its review date passed.
    pub review_overdue: bool,
    /// What happened (Markdown).
    pub result: String,
    /// What was learnt (Markdown).
    pub learnings: String,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// When it became running.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was concluded or abandoned.
    pub concluded_at: Option<DateTime<Utc>>,
    /// The artifact it became.
    pub artifact_id: Option<i64>,
    /// The statuses you may move it to.
    pub next: Vec<String>,
}

impl From<ExperimentView> for ExperimentOut {
    fn from(v: ExperimentView) -> Self {
        let e = v.experiment;
        ExperimentOut {
            id: e.id,
            title: e.title,
            hypothesis: e.hypothesis,
            owner: person(e.owner),
            status: e.status.as_str().to_owned(),
            starts_on: e.starts_on,
            review_on: e.review_on,
            review_overdue: v.overdue,
            result: e.result,
            learnings: e.learnings,
            created_at: e.created_at,
            started_at: e.started_at,
            concluded_at: e.concluded_at,
            artifact_id: e.artifact_id,
            next: v.next.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

/// An experiment as proposed or rewritten.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExperimentIn {
    /// Short name.
    pub title: String,
    /// What is expected to happen, and how the community will tell (Markdown).
    pub hypothesis: String,
    /// The owner (a member); you when absent on proposal, unchanged on edit.
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// Planned start, `YYYY-MM-DD`.
    #[serde(default)]
    pub starts_on: Option<String>,
    /// When to look at it again, `YYYY-MM-DD`, not before the start.
    #[serde(default)]
    pub review_on: Option<String>,
}

/// A move through the loop.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    /// `running`, `concluded` or `abandoned`.
    pub status: String,
    /// What happened (required to conclude).
    #[serde(default)]
    pub result: String,
    /// What was learnt (required to conclude).
    #[serde(default)]
    pub learnings: String,
}

/// A team's adoption of an artifact.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionOut {
    /// Id.
    pub id: i64,
    /// The artifact.
    pub artifact_id: i64,
    /// The team.
    pub team: String,
    /// From when the team uses it.
    pub adopted_on: NaiveDate,
    /// Where or how.
    pub note: String,
    /// Who recorded it.
    pub recorded_by: Option<PersonRef>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Whether you may remove it.
    pub can_remove: bool,
}

impl From<AdoptionView> for AdoptionOut {
    fn from(v: AdoptionView) -> Self {
        let a = v.adoption;
        AdoptionOut {
            id: a.id,
            artifact_id: a.artifact_id,
            team: a.team,
            adopted_on: a.adopted_on,
            note: a.note,
            recorded_by: person(a.recorded_by),
            recorded_at: a.recorded_at,
            can_remove: v.can_remove,
        }
    }
}

/// A team's adoption of an artifact, as recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptionIn {
    /// The team's name; yours when empty.
    #[serde(default)]
    pub team: String,
    /// From when, `YYYY-MM-DD`, not in the future.
    pub adopted_on: String,
    /// Where or how, in a line.
    #[serde(default)]
    pub note: String,
}

/// One team's cumulative adoptions at the end of each month.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamRowOut {
    /// Team name.
    pub team: String,
    /// Adoptions by the end of each month, in the order of `months`.
    pub cumulative: Vec<i64>,
}

/// An artifact with the number of teams that adopted it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactReachOut {
    /// Artifact id.
    pub artifact_id: i64,
    /// Title.
    pub title: String,
    /// Teams that adopted it.
    pub teams: i64,
}

/// Adoption of a community's artifacts across the organisation's teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct InfluenceOut {
    /// The months shown (`YYYY-MM`), oldest first.
    pub months: Vec<String>,
    /// Every team, most adoptions first.
    pub teams: Vec<TeamRowOut>,
    /// Teams with at least one adoption by the end of each month.
    pub reached: Vec<i64>,
    /// Teams with at least one adoption.
    pub teams_reached: i64,
    /// Teams in the organisation.
    pub teams_total: i64,
    /// Adoption records counted.
    pub adoptions: i64,
    /// The artifacts adopted by the most teams.
    pub top_artifacts: Vec<ArtifactReachOut>,
}

impl From<Influence> for InfluenceOut {
    fn from(i: Influence) -> Self {
        InfluenceOut {
            months: i
                .months
                .iter()
                .map(|m| m.format("%Y-%m").to_string())
                .collect(),
            teams: i
                .rows
                .into_iter()
                .map(|r| TeamRowOut {
                    team: r.team,
                    cumulative: r.cumulative,
                })
                .collect(),
            reached: i.reached,
            teams_reached: i.teams_reached,
            teams_total: i.teams_total,
            adoptions: i.adoptions,
            top_artifacts: i
                .top
                .into_iter()
                .map(|a| ArtifactReachOut {
                    artifact_id: a.artifact_id,
                    title: a.title,
                    teams: a.teams,
                })
                .collect(),
        }
    }
}
