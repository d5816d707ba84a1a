//! Experiments in the browser: a community's experiments (running ones past
//! their review date highlighted) with the form to propose one, and an
//! experiment's page with its plan, the form to edit it and the buttons
//! that move it through the loop (concluding asks for result and learnings).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::experiment_service::{self as service, ExperimentDraft, ExperimentView};
use crate::extract::{PageForm, PagePath};
use crate::markdown;

#[derive(Template)]
#[template(path = "experiments.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    name: String,
    can_propose: bool,
    experiments: Vec<ExperimentView>,
    overdue: usize,
    form: DraftForm,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "experiment.html")]
struct ShowPage {
    chrome: Chrome,
    slug: String,
    name: String,
    v: ExperimentView,
    hypothesis: String,
    result: String,
    learnings: String,
    members: Vec<(i64, String)>,
    error: Option<String>,
}

/// The propose and edit form's fields, kept to show them again after an error.
#[derive(Debug, Default, Deserialize)]
struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    hypothesis: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    review_on: String,
}

impl DraftForm {
    fn draft(&self) -> Result<ExperimentDraft, WebError> {
        let owner_id = match self.owner_id.trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| {
                domain::Invalid::new("owner_id", "choose the owner among the members")
            })?),
        };
        Ok(ExperimentDraft {
            title: self.title.clone(),
            hypothesis: self.hypothesis.clone(),
            owner_id,
            starts_on: self.starts_on.clone(),
            review_on: self.review_on.clone(),
        })
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    learnings: String,
}

/// A refusal worth showing on the page it came from (an invalid field
/// names itself).
pub(super) fn shown(e: &WebError) -> Option<String> {
    match e {
        WebError::Invalid(_) | WebError::Conflict { .. } | WebError::Forbidden(_) => {
            Some(e.public_message())
        }
        _ => None,
    }
}

async fn list_page(
    state: &AppState,
    seen: &Seen,
    form: DraftForm,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let c = &seen.community;
    let experiments = service::list(state, seen).await?;
    render(&ListPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Experiments of {}", c.charter.name),
            "communities",
        )
        .counted(state)
        .await,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        can_propose: seen.role.is_some() && c.is_writable(),
        overdue: experiments.iter().filter(|v| v.overdue).count(),
        experiments,
        form,
        error,
    })
    .map_err(|e| e.0)
}

async fn list(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    Ok(list_page(&state, &seen, DraftForm::default(), None).await?)
}

async fn propose(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<DraftForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = match form.draft() {
        Ok(draft) => service::propose(&state, &seen, &draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/experiments/{id}")).into_response()),
        Err(e) => match shown(&e) {
            Some(error) => Ok((
                e.status(),
                list_page(&state, &seen, form, Some(error)).await?,
            )
                .into_response()),
            None => Err(e.into()),
        },
    }
}

async fn show_page(
    state: &AppState,
    member: &PageMember,
    id: i64,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let (p, v) = service::seen_experiment(state, &member.user, id).await?;
    let members = if v.can_edit {
        state
            .store
            .members(p.community.id, None, None, 1000)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.display_name))
            .collect()
    } else {
        Vec::new()
    };
    let e = &v.experiment;
    render(&ShowPage {
        chrome: Chrome::new(&member.visitor, e.title.clone(), "communities")
            .counted(state)
            .await,
        slug: p.community.slug.clone(),
        name: p.community.charter.name.clone(),
        hypothesis: markdown::render(&e.hypothesis),
        result: markdown::render(&e.result),
        learnings: markdown::render(&e.learnings),
        members,
        v,
        error,
    })
    .map_err(|e| e.0)
}

/// Back to the experiment after a change, or its page with the refusal shown.
async fn after(
    state: &AppState,
    member: &PageMember,
    id: i64,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/experiments/{id}")).into_response()),
        Err(e) => match shown(&e) {
            Some(error) => {
                Ok((e.status(), show_page(state, member, id, Some(error)).await?).into_response())
            }
            None => Err(e.into()),
        },
    }
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(show_page(&state, &member, id, None).await?)
}

async fn edit(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DraftForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = match form.draft() {
        Ok(draft) => service::edit(&state, &member.user, id, &draft).await,
        Err(e) => Err(e),
    };
    after(&state, &member, id, result).await
}

async fn status(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = service::change_status(
        &state,
        &member.user,
        id,
        &form.status,
        &form.result,
        &form.learnings,
    )
    .await;
    after(&state, &member, id, result).await
}

async fn artifact(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    match service::make_artifact(&state, &member.user, id).await {
        Ok(artifact) => Ok(Redirect::to(&format!("/artifacts/{artifact}")).into_response()),
        Err(e) => after(&state, &member, id, Err(e)).await,
    }
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/experiments", get(list).post(propose))
        .route("/experiments/{id}", get(show))
        .route("/experiments/{id}/edit", post(edit))
        .route("/experiments/{id}/status", post(status))
        .route("/experiments/{id}/artifact", post(artifact))
}
