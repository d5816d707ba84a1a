//! Experiments in the store: proposing, editing and moving them through the
//! loop proposed → running → concluded or abandoned. The move to running
//! appends `experiment_started` and the move to concluded
//! `experiment_concluded` (subject `experiment-<id>`, the actor's team
//! stamped) in the same transaction as the change; a move is applied only
//! from the status it was checked against, so two racing moves cannot both
//! succeed or log twice. A concluded experiment can become a draft
//! artifact whose source is the experiment.

use chrono::{DateTime, NaiveDate, Utc};
use domain::experiment::{self, ExperimentPlan, ExperimentStatus};
use domain::practice::{ArtifactState, Content};
use sqlx::Row;

use crate::activity::{self, NewEvent};
use crate::practice::{NewArtifact, Source};
use crate::{Store, StoreError, Tx, from_millis, millis};

/// An experiment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Experiment {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// Short name.
    pub title: String,
    /// What is expected to happen (Markdown).
    pub hypothesis: String,
    /// The owner's id and name, if any.
    pub owner: Option<(i64, String)>,
    /// Where it is in the loop.
    pub status: ExperimentStatus,
    /// Planned start.
    pub starts_on: Option<NaiveDate>,
    /// When to look at it again.
    pub review_on: Option<NaiveDate>,
    /// What happened (Markdown).
    pub result: String,
    /// What was learnt (Markdown).
    pub learnings: String,
    /// Who proposed it.
    pub created_by: Option<i64>,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it became running.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was concluded or abandoned.
    pub concluded_at: Option<DateTime<Utc>>,
    /// The artifact it became, if any.
    pub artifact_id: Option<i64>,
}

/// The activity subject naming experiment `id`.
pub fn subject(id: i64) -> String {
    format!("experiment-{id}")
}

const COLUMNS: &str = "e.id, e.community_id, e.title, e.hypothesis, e.owner_id, o.display_name AS owner_name, \
     e.status, e.starts_on, e.review_on, e.result, e.learnings, e.created_by, e.created_at, e.updated_at, \
     e.started_at, e.concluded_at, e.artifact_id \
     FROM experiments e LEFT JOIN people o ON o.id = e.owner_id";

fn date_from(value: Option<String>) -> Option<NaiveDate> {
    value.and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
}

fn date_text(value: Option<NaiveDate>) -> Option<String> {
    value.map(|d| d.format("%Y-%m-%d").to_string())
}

fn experiment_from(row: &sqlx::any::AnyRow) -> Result<Experiment, StoreError> {
    let owner = match (
        row.try_get::<Option<i64>, _>("owner_id")?,
        row.try_get::<Option<String>, _>("owner_name")?,
    ) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => None,
    };
    let status: String = row.try_get("status")?;
    Ok(Experiment {
        id: row.try_get("id")?,
        community_id: row.try_get("community_id")?,
        title: row.try_get("title")?,
        hypothesis: row.try_get("hypothesis")?,
        owner,
        status: status.parse().map_err(|_| {
            StoreError::Database(sqlx::Error::Decode(
                format!("unknown experiment status {status:?}").into(),
            ))
        })?,
        starts_on: date_from(row.try_get("starts_on")?),
        review_on: date_from(row.try_get("review_on")?),
        result: row.try_get("result")?,
        learnings: row.try_get("learnings")?,
        created_by: row.try_get("created_by")?,
        created_at: from_millis(row.try_get("created_at")?),
        updated_at: from_millis(row.try_get("updated_at")?),
        started_at: row
            .try_get::<Option<i64>, _>("started_at")?
            .map(from_millis),
        concluded_at: row
            .try_get::<Option<i64>, _>("concluded_at")?
            .map(from_millis),
        artifact_id: row.try_get("artifact_id")?,
    })
}

/// Experiment `id` read inside `tx`.
async fn experiment_in(tx: &mut Tx, id: i64) -> Result<Experiment, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    experiment_from(&row)
}

impl Store {
    /// Proposes an experiment in `community`, owned by `owner`.
    pub async fn propose_experiment(
        &self,
        community: i64,
        plan: &ExperimentPlan,
        owner: i64,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO experiments (community_id, title, hypothesis, owner_id, status, starts_on, review_on, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(community)
        .bind(&plan.title)
        .bind(&plan.hypothesis)
        .bind(owner)
        .bind(date_text(plan.starts_on))
        .bind(date_text(plan.review_on))
        .bind(by)
        .bind(millis(at))
        .fetch_one(&self.write)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Experiment `id`.
    pub async fn experiment(&self, id: i64) -> Result<Experiment, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        experiment_from(&row)
    }

    /// The experiments of `community`: running first, then proposed, then
    /// closed ones; most recently changed first within each.
    pub async fn experiments(&self, community: i64) -> Result<Vec<Experiment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} WHERE e.community_id = $1 ORDER BY \
             CASE e.status WHEN 'running' THEN 0 WHEN 'proposed' THEN 1 ELSE 2 END, e.updated_at DESC, e.id DESC"
        ))
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(experiment_from).collect()
    }

    /// Rewrites experiment `id`'s plan and owner.
    pub async fn edit_experiment(
        &self,
        id: i64,
        plan: &ExperimentPlan,
        owner: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE experiments SET title = $1, hypothesis = $2, owner_id = $3, starts_on = $4, review_on = $5, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(&plan.title)
        .bind(&plan.hypothesis)
        .bind(owner)
        .bind(date_text(plan.starts_on))
        .bind(date_text(plan.review_on))
        .bind(millis(at))
        .bind(id)
        .execute(&self.write)
        .await?;
        crate::error::found(done)
    }

    /// Moves experiment `id` to `to` on behalf of `actor`, with its result and
    /// learnings (required to conclude; kept as given otherwise). Becoming
    /// running logs `experiment_started`, becoming concluded logs
    /// `experiment_concluded`, in the same transaction. A move the loop does
    /// not allow is [`StoreError::Conflict`] on `status`.
    pub async fn move_experiment(
        &self,
        id: i64,
        to: ExperimentStatus,
        notes: &experiment::Conclusion,
        actor: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let current = experiment_in(&mut tx, id).await?;
        let conflict = |message: String| StoreError::Conflict {
            field: "status",
            message,
        };
        experiment::transition(current.status, to).map_err(|e| conflict(e.message))?;
        if to == ExperimentStatus::Concluded {
            experiment::conclusion(&notes.result, &notes.learnings)
                .map_err(|e| conflict(format!("{}: {}", e.field, e.message)))?;
        }
        let (result, learnings) = if notes.result.is_empty() && notes.learnings.is_empty() {
            (current.result.clone(), current.learnings.clone())
        } else {
            (notes.result.clone(), notes.learnings.clone())
        };
        let now = millis(at);
        let started = (to == ExperimentStatus::Running).then_some(now);
        let closed = to.is_final().then_some(now);
        let done = sqlx::query(
            "UPDATE experiments SET status = $1, result = $2, learnings = $3, updated_at = $4, \
             started_at = COALESCE($5, started_at), concluded_at = COALESCE($6, concluded_at) \
             WHERE id = $7 AND status = $8",
        )
        .bind(to.as_str())
        .bind(result)
        .bind(learnings)
        .bind(now)
        .bind(started)
        .bind(closed)
        .bind(id)
        .bind(current.status.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(conflict(
                "the experiment changed status meanwhile; reload and try again".into(),
            ));
        }
        let kind = match to {
            ExperimentStatus::Running => Some("experiment_started"),
            ExperimentStatus::Concluded => Some("experiment_concluded"),
            _ => None,
        };
        if let Some(kind) = kind {
            activity::append(
                &mut tx,
                &NewEvent {
                    at,
                    community_id: current.community_id,
                    actor_id: Some(actor),
                    kind,
                    subject: Some(subject(id)),
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Turns concluded experiment `id` into a draft artifact holding
    /// `content`, written by `author` and owned by `owner`, whose source is the
    /// experiment; the experiment then names it. An experiment becomes at
    /// most one artifact: a second attempt is a conflict on `experiment`.
    pub async fn experiment_to_artifact(
        &self,
        id: i64,
        content: &Content,
        author: i64,
        owner: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let e = self.experiment(id).await?;
        let taken = || StoreError::Conflict {
            field: "experiment",
            message: "this experiment has already become an artifact".into(),
        };
        if e.status != ExperimentStatus::Concluded {
            return Err(StoreError::Conflict {
                field: "status",
                message: "only a concluded experiment can become an artifact".into(),
            });
        }
        if e.artifact_id.is_some() {
            return Err(taken());
        }
        let artifact = self
            .create_artifact(
                &NewArtifact {
                    community_id: e.community_id,
                    author_id: author,
                    owner_id: Some(owner),
                    content: content.clone(),
                    state: ArtifactState::Draft,
                    source: Source {
                        experiment_id: Some(id),
                        ..Source::default()
                    },
                    summary: "From a concluded experiment".into(),
                },
                at,
            )
            .await?;
        let done = sqlx::query(
            "UPDATE experiments SET artifact_id = $1, updated_at = $2 WHERE id = $3 AND artifact_id IS NULL",
        )
        .bind(artifact)
        .bind(millis(at))
        .bind(id)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(taken());
        }
        Ok(artifact)
    }
}
