//! Who may see and do what with experiments and adoptions, and the views of
//! them that pages and API share. Members propose and edit experiments; their
//! owner or a steward moves them through the loop. Members record which team
//! adopted an artifact; a steward or whoever recorded it removes a mistaken
//! record. Experiments and artifacts are addressed by id: one in a community
//! the viewer may not see is the same 404 as one that does not exist.

use std::sync::Arc;

use chrono::NaiveDate;
use domain::community::MemberRole;
use domain::experiment::{self, ExperimentStatus};
use domain::influence::{self, Influence};
use store::adoptions::{AdoptedArtifact, Adoption};
use store::communities::Community;
use store::experiments::Experiment;

use crate::AppState;
use crate::api::communities_access::{Seen, may_see, require_writable};
use crate::auth::CurrentUser;
use crate::error::WebError;

/// A community resolved by id for `user`, with their role in it.
#[derive(Debug, Clone)]
pub struct Place {
    /// The community.
    pub community: Community,
    /// The viewer's role, if a member.
    pub role: Option<MemberRole>,
    /// The viewer.
    pub user: Arc<CurrentUser>,
}

impl Place {
    /// The viewer's id.
    pub fn me(&self) -> i64 {
        self.user.person.id
    }

    /// Whether the viewer may steward the community.
    pub fn can_steward(&self) -> bool {
        self.role == Some(MemberRole::Steward) || self.user.is_admin()
    }

    /// Whether the viewer may write here: a member of a writable community.
    pub fn can_write(&self) -> bool {
        self.role.is_some() && self.community.is_writable()
    }

    fn require_member(&self, what: &str) -> Result<(), WebError> {
        require_writable(&self.community)?;
        if self.role.is_none() {
            return Err(WebError::Forbidden(format!(
                "only members of this community can {what}"
            )));
        }
        Ok(())
    }
}

async fn place(
    state: &AppState,
    user: &Arc<CurrentUser>,
    community: i64,
) -> Result<Place, WebError> {
    let community = state.store.community(community).await?;
    let me = user.person.id;
    if !may_see(state, &community, me).await? {
        return Err(WebError::NotFound);
    }
    Ok(Place {
        role: state.store.role_in(community.id, me).await?,
        community,
        user: user.clone(),
    })
}

/// Today, by the injected clock (UTC).
pub fn today(state: &AppState) -> NaiveDate {
    state.clock.now().date_naive()
}

/// An experiment as the viewer may see it.
#[derive(Debug, Clone)]
pub struct ExperimentView {
    /// The experiment.
    pub experiment: Experiment,
    /// Running with its review date passed.
    pub overdue: bool,
    /// Whether the viewer may edit its plan.
    pub can_edit: bool,
    /// Whether the viewer may move it through the loop.
    pub can_move: bool,
    /// The statuses it may move to (for the viewer, if they may move it).
    pub next: Vec<ExperimentStatus>,
    /// Whether the viewer may turn it (concluded) into a draft artifact.
    pub can_make_artifact: bool,
}

/// Whether the viewer may move `e` through the loop: its owner (still a
/// member) or a steward.
fn may_move(p: &Place, e: &Experiment) -> bool {
    let owns = e.owner.as_ref().map(|o| o.0) == Some(p.me());
    (owns && p.role.is_some()) || p.can_steward()
}

fn view(p: &Place, e: Experiment, today: NaiveDate) -> ExperimentView {
    let may = may_move(p, &e) && p.community.is_writable();
    let can_move = may && !e.status.is_final();
    ExperimentView {
        can_make_artifact: may
            && e.status == ExperimentStatus::Concluded
            && e.artifact_id.is_none(),
        overdue: experiment::review_overdue(e.status, e.review_on, today),
        can_edit: p.can_write() && !e.status.is_final(),
        next: if can_move {
            e.status.next().to_vec()
        } else {
            Vec::new()
        },
        can_move,
        experiment: e,
    }
}

/// Experiment `id` and its community, if `user` may see it.
pub async fn seen_experiment(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<(Place, ExperimentView), WebError> {
    let e = state.store.experiment(id).await?;
    let p = place(state, user, e.community_id).await?;
    let v = view(&p, e, today(state));
    Ok((p, v))
}

/// The experiments of `seen`'s community: running, proposed, then closed.
pub async fn list(state: &AppState, seen: &Seen) -> Result<Vec<ExperimentView>, WebError> {
    let p = Place {
        community: seen.community.clone(),
        role: seen.role,
        user: seen.user.clone(),
    };
    let today = today(state);
    Ok(state
        .store
        .experiments(seen.community.id)
        .await?
        .into_iter()
        .map(|e| view(&p, e, today))
        .collect())
}

/// An experiment as written in a form or a request body.
#[derive(Debug, Clone, Default)]
pub struct ExperimentDraft {
    /// Short name.
    pub title: String,
    /// What is expected, and how the community will tell.
    pub hypothesis: String,
    /// The owner's person id; the writer when absent.
    pub owner_id: Option<i64>,
    /// `YYYY-MM-DD` or empty.
    pub starts_on: String,
    /// `YYYY-MM-DD` or empty.
    pub review_on: String,
}

async fn checked_owner(
    state: &AppState,
    community: i64,
    owner: Option<i64>,
    default: i64,
) -> Result<i64, WebError> {
    let owner = owner.unwrap_or(default);
    if state.store.role_in(community, owner).await?.is_none() {
        return Err(domain::Invalid::new(
            "owner_id",
            "the owner must be a member of this community",
        )
        .into());
    }
    Ok(owner)
}

/// Proposes an experiment in `seen`'s community (members).
pub async fn propose(
    state: &AppState,
    seen: &Seen,
    draft: &ExperimentDraft,
) -> Result<i64, WebError> {
    require_writable(&seen.community)?;
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "only members of this community can propose experiments".into(),
        ));
    }
    let plan = experiment::plan(
        &draft.title,
        &draft.hypothesis,
        &draft.starts_on,
        &draft.review_on,
    )?;
    let owner = checked_owner(state, seen.community.id, draft.owner_id, seen.me()).await?;
    Ok(state
        .store
        .propose_experiment(
            seen.community.id,
            &plan,
            owner,
            seen.me(),
            state.clock.now(),
        )
        .await?)
}

/// Rewrites experiment `id`'s plan (members, while it is not closed).
pub async fn edit(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    draft: &ExperimentDraft,
) -> Result<(), WebError> {
    let (p, v) = seen_experiment(state, user, id).await?;
    p.require_member("edit its experiments")?;
    let e = &v.experiment;
    if e.status.is_final() {
        return Err(WebError::Conflict {
            field: "status".into(),
            message: format!("a {} experiment is closed and cannot be edited", e.status),
        });
    }
    let plan = experiment::plan(
        &draft.title,
        &draft.hypothesis,
        &draft.starts_on,
        &draft.review_on,
    )?;
    let current = e.owner.as_ref().map(|o| o.0).unwrap_or(p.me());
    let owner = checked_owner(state, p.community.id, draft.owner_id, current).await?;
    Ok(state
        .store
        .edit_experiment(id, &plan, owner, state.clock.now())
        .await?)
}

/// Moves experiment `id` to the status named `to` (its owner or a steward);
/// concluding needs a result and learnings.
pub async fn change_status(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    to: &str,
    result: &str,
    learnings: &str,
) -> Result<(), WebError> {
    let (p, v) = seen_experiment(state, user, id).await?;
    require_writable(&p.community)?;
    let e = &v.experiment;
    if !may_move(&p, e) {
        return Err(WebError::Forbidden(
            "only the experiment's owner or a steward can change its status".into(),
        ));
    }
    let to: ExperimentStatus = to.parse()?;
    experiment::transition(e.status, to).map_err(|i| WebError::Conflict {
        field: i.field,
        message: i.message,
    })?;
    let notes = if to == ExperimentStatus::Concluded {
        experiment::conclusion(result, learnings)?
    } else {
        experiment::notes(result, learnings)?
    };
    Ok(state
        .store
        .move_experiment(id, to, &notes, p.me(), state.clock.now())
        .await?)
}

/// Turns concluded experiment `id` into a draft story artifact holding its
/// hypothesis, result and learnings (its owner or a steward); returns the
/// artifact's id.
pub async fn make_artifact(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<i64, WebError> {
    let (p, v) = seen_experiment(state, user, id).await?;
    require_writable(&p.community)?;
    let e = &v.experiment;
    if !may_move(&p, e) {
        return Err(WebError::Forbidden(
            "only the experiment's owner or a steward can turn it into an artifact".into(),
        ));
    }
    let content = domain::practice::ContentDraft {
        kind: domain::practice::ArtifactKind::Story.as_str().into(),
        title: e.title.clone(),
        body: experiment::artifact_body(&e.hypothesis, &e.result, &e.learnings),
        tags: "experiment".into(),
        ..Default::default()
    }
    .check()?;
    let owner = match &e.owner {
        Some((o, _)) if state.store.role_in(p.community.id, *o).await?.is_some() => *o,
        _ => p.me(),
    };
    Ok(state
        .store
        .experiment_to_artifact(id, &content, p.me(), owner, state.clock.now())
        .await?)
}

/// Artifact `id` as adoption sees it, and its community, if `user` may see it.
pub async fn seen_artifact(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<(Place, AdoptedArtifact), WebError> {
    let a = state.store.adopted_artifact(id).await?;
    let p = place(state, user, a.community_id).await?;
    Ok((p, a))
}

/// An adoption with what the viewer may do to it.
#[derive(Debug, Clone)]
pub struct AdoptionView {
    /// The record.
    pub adoption: Adoption,
    /// Whether the viewer may remove it.
    pub can_remove: bool,
}

/// The teams that adopted artifact `id`, earliest first.
pub async fn adoptions(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<(Place, AdoptedArtifact, Vec<AdoptionView>), WebError> {
    let (p, a) = seen_artifact(state, user, id).await?;
    let list = state
        .store
        .adoptions(id)
        .await?
        .into_iter()
        .map(|adoption| AdoptionView {
            can_remove: may_remove(&p, &adoption),
            adoption,
        })
        .collect();
    Ok((p, a, list))
}

fn may_remove(p: &Place, a: &Adoption) -> bool {
    p.community.is_writable()
        && (p.can_steward() || a.recorded_by.as_ref().map(|r| r.0) == Some(p.me()))
}

/// Records that `team` (the recorder's own team when empty) adopted artifact
/// `id` on `adopted_on` (members of the artifact's community).
pub async fn record(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    team: &str,
    adopted_on: &str,
    note: &str,
) -> Result<i64, WebError> {
    let (p, a) = seen_artifact(state, user, id).await?;
    p.require_member("record adoptions of its artifacts")?;
    if a.archived {
        return Err(WebError::Conflict {
            field: "artifact".into(),
            message: "this artifact is archived".into(),
        });
    }
    let team = match team.trim() {
        "" => user.person.team.clone().ok_or_else(|| {
            domain::Invalid::new("team", "name the team that adopted it (you have none)")
        })?,
        t => t.to_owned(),
    };
    let team_id = state.store.team_named(&team).await?.ok_or_else(|| {
        domain::Invalid::new(
            "team",
            format!("there is no team called {team:?} in the organisation"),
        )
    })?;
    let on = influence::adopted_on(adopted_on, today(state))?;
    let note = influence::note(note)?;
    Ok(state
        .store
        .record_adoption(id, team_id, on, &note, p.me(), state.clock.now())
        .await?)
}

/// Removes adoption record `id` (a steward of the artifact's community, or
/// whoever recorded it); returns the artifact's id.
pub async fn remove(state: &AppState, user: &Arc<CurrentUser>, id: i64) -> Result<i64, WebError> {
    let adoption = state.store.adoption(id).await?;
    let (p, _) = seen_artifact(state, user, adoption.artifact_id).await?;
    require_writable(&p.community)?;
    if !may_remove(&p, &adoption) {
        return Err(WebError::Forbidden(
            "only a steward or whoever recorded it can remove an adoption".into(),
        ));
    }
    state.store.remove_adoption(id).await?;
    Ok(adoption.artifact_id)
}

/// Adoption of `seen`'s community's artifacts across the organisation's teams.
pub async fn influence(state: &AppState, seen: &Seen) -> Result<Influence, WebError> {
    let facts = state.store.community_adoptions(seen.community.id).await?;
    let teams: Vec<String> = state
        .store
        .teams()
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    Ok(influence::influence(&facts, &teams, today(state)))
}

/// The organisation's team names, for the adoption form.
pub async fn team_names(state: &AppState) -> Result<Vec<String>, WebError> {
    Ok(state
        .store
        .teams()
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect())
}
