//! Adoption and influence in the browser: the page of an artifact's
//! adopting teams (record one, remove a mistaken one), and a community's
//! influence page — teams reached month by month as a server-drawn SVG
//! chart, the teams × months table of cumulative adoptions, and the
//! artifacts by the number of teams that adopted them.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::influence::Influence;
use serde::Deserialize;

use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::experiment_service::{self as service, AdoptionView};
use crate::extract::{PageForm, PagePath};

/// Chart geometry, in SVG user units.
const CHART_W: i64 = 640;
const CHART_H: i64 = 200;
const PLOT_TOP: i64 = 20;
const PLOT_BOTTOM: i64 = 170;
/// Widest a month's slot gets, so a few months do not make slabs.
const MAX_SLOT: i64 = 80;

/// One month's bar: teams reached by its end.
struct Bar {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    label_x: i64,
    month: String,
    reached: i64,
}

fn bars(i: &Influence) -> Vec<Bar> {
    let n = i.months.len() as i64;
    if n == 0 {
        return Vec::new();
    }
    let slot = (CHART_W / n).min(MAX_SLOT);
    let top = i.teams_total.max(1);
    i.months
        .iter()
        .zip(&i.reached)
        .enumerate()
        .map(|(k, (m, r))| {
            let height = (PLOT_BOTTOM - PLOT_TOP) * r / top;
            let x = k as i64 * slot + slot / 6;
            Bar {
                x,
                y: PLOT_BOTTOM - height,
                width: slot * 2 / 3,
                height,
                label_x: x + slot / 3,
                month: m.format("%Y-%m").to_string(),
                reached: *r,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "influence.html")]
struct InfluencePage {
    chrome: Chrome,
    slug: String,
    name: String,
    influence: Influence,
    months: Vec<String>,
    bars: Vec<Bar>,
    chart_w: i64,
    chart_h: i64,
    artifacts: Vec<(i64, String, i64)>,
}

async fn influence(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let influence = service::influence(&state, &seen).await?;
    render(&InfluencePage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Influence of {}", c.charter.name),
            "communities",
        ),
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        months: influence
            .months
            .iter()
            .map(|m| m.format("%Y-%m").to_string())
            .collect(),
        bars: bars(&influence),
        chart_w: CHART_W,
        chart_h: CHART_H,
        artifacts: state
            .store
            .artifacts_by_adoption(c.id)
            .await
            .map_err(WebError::from)?,
        influence,
    })
}

#[derive(Template)]
#[template(path = "adoption.html")]
struct AdoptionPage {
    chrome: Chrome,
    slug: String,
    community: String,
    artifact_id: i64,
    title: String,
    adoptions: Vec<AdoptionView>,
    can_record: bool,
    teams: Vec<String>,
    my_team: String,
    today: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct AdoptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    adopted_on: String,
    #[serde(default)]
    note: String,
}

async fn adoption_page(
    state: &AppState,
    member: &PageMember,
    id: i64,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let (p, a, adoptions) = service::adoptions(state, &member.user, id).await?;
    render(&AdoptionPage {
        chrome: Chrome::new(
            &member.visitor,
            format!("Adoption of {}", a.title),
            "communities",
        )
        .counted(state)
        .await,
        slug: p.community.slug.clone(),
        community: p.community.charter.name.clone(),
        artifact_id: a.id,
        can_record: p.can_write() && !a.archived,
        title: a.title,
        adoptions,
        teams: service::team_names(state).await?,
        my_team: member.user.person.team.clone().unwrap_or_default(),
        today: service::today(state).format("%Y-%m-%d").to_string(),
        error,
    })
    .map_err(|e| e.0)
}

/// Back to the artifact's adoption page, or that page with the refusal shown.
async fn after(
    state: &AppState,
    member: &PageMember,
    artifact: i64,
    result: Result<(), WebError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/artifacts/{artifact}/adoption")).into_response()),
        Err(e) => match super::experiments::shown(&e) {
            Some(error) => {
                let page = adoption_page(state, member, artifact, Some(error)).await?;
                Ok((e.status(), page).into_response())
            }
            None => Err(e.into()),
        },
    }
}

async fn adoption(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    Ok(adoption_page(&state, &member, id, None).await?)
}

async fn adopt(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<AdoptForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let result = service::record(
        &state,
        &member.user,
        id,
        &form.team,
        &form.adopted_on,
        &form.note,
    )
    .await
    .map(|_| ());
    after(&state, &member, id, result).await
}

async fn remove(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let adoption = state.store.adoption(id).await.map_err(WebError::from)?;
    let result = service::remove(&state, &member.user, id).await.map(|_| ());
    after(&state, &member, adoption.artifact_id, result).await
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/influence", get(influence))
        .route("/artifacts/{id}/adoption", get(adoption).post(adopt))
        .route("/adoptions/{id}/remove", post(remove))
}
