//! The practice in the browser: a community's artifacts (with its stale and
//! orphaned ones), writing and editing an artifact, and an artifact's page
//! with its owner, contributors, freshness, uses by team, links and
//! backlinks. The forms an artifact page carries (review, reuse, links,
//! owner, restore, promotion) and the history with its diff live in
//! `artifact_actions`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::practice::{ArtifactKind, Content, ContentDraft, DecisionStatus};
use serde::Deserialize;
use store::practice::{Artifact, ArtifactFilter};

use super::threads::shown;
use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::artifact_service::{self, ArtifactView};
use crate::auth::{PageMember, Visitor};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};

/// Artifacts on a community's list.
const LIST_SIZE: i64 = 200;

/// An artifact in a list.
pub(super) struct ArtifactLine {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) draft: bool,
    pub(super) owner: String,
    pub(super) tags: Vec<String>,
    pub(super) reuse_count: i64,
    pub(super) stale: bool,
    pub(super) orphaned: bool,
    pub(super) due: String,
    pub(super) community: String,
}

impl ArtifactLine {
    pub(super) fn new(a: &Artifact, now: chrono::DateTime<chrono::Utc>) -> Self {
        ArtifactLine {
            id: a.id,
            title: a.content.title.clone(),
            kind: a.content.kind.label(),
            draft: a.state == domain::practice::ArtifactState::Draft,
            owner: a
                .owner
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "no one".into()),
            tags: a.content.tags.clone(),
            reuse_count: a.reuse_count,
            stale: a.is_stale(now),
            orphaned: a.is_orphaned(),
            due: a.due_at().format("%Y-%m-%d").to_string(),
            community: String::new(),
        }
    }
}

fn kinds() -> Vec<(&'static str, &'static str, i64)> {
    ArtifactKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label(), k.default_review_days()))
        .collect()
}

fn statuses() -> Vec<&'static str> {
    DecisionStatus::ALL.iter().map(|s| s.as_str()).collect()
}

#[derive(Template)]
#[template(path = "artifacts.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    name: String,
    may_write: bool,
    is_steward: bool,
    artifacts: Vec<ArtifactLine>,
    stale: Vec<ArtifactLine>,
    orphaned: Vec<ArtifactLine>,
    kinds: Vec<(&'static str, &'static str, i64)>,
    kind: String,
    tag: String,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    tag: String,
}

async fn list(
    State(state): State<AppState>,
    seen: Seen,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let now = state.clock.now();
    let filter = ArtifactFilter {
        kind: match q.kind.as_str() {
            "" => None,
            k => Some(k.parse::<ArtifactKind>().map_err(WebError::from)?),
        },
        tag: Some(q.tag.trim().trim_start_matches('#').to_lowercase()).filter(|t| !t.is_empty()),
        owner: None,
    };
    let lines = |v: Vec<Artifact>| v.iter().map(|a| ArtifactLine::new(a, now)).collect();
    let artifacts = lines(state.store.artifacts(c.id, &filter, LIST_SIZE).await?);
    let stale = lines(
        state
            .store
            .stale_artifacts(Some(c.id), None, now, 100)
            .await?,
    );
    let orphaned = lines(state.store.orphaned_artifacts(c.id).await?);
    render(&ListPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Practice of {}", c.charter.name),
            "communities",
        )
        .counted(&state)
        .await,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        may_write: seen.role.is_some() && c.is_writable(),
        is_steward: seen.can_steward(),
        artifacts,
        stale,
        orphaned,
        kinds: kinds(),
        kind: q.kind,
        tag: q.tag,
    })
}

/// The artifact form's fields, as text.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ArtifactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    consequences: String,
    #[serde(default)]
    decision_status: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    review_days: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    publish: String,
}

impl ArtifactForm {
    fn draft(&self) -> Result<ContentDraft, WebError> {
        let review_days = match self.review_days.trim() {
            "" => None,
            n => Some(n.parse::<i64>().map_err(|_| {
                domain::Invalid::new("review_days", "must be a whole number of days")
            })?),
        };
        Ok(ContentDraft {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            context: self.context.clone(),
            decision: self.decision.clone(),
            consequences: self.consequences.clone(),
            decision_status: self.decision_status.clone(),
            tags: self.tags.clone(),
            review_days,
        })
    }

    fn from_content(c: &Content) -> Self {
        ArtifactForm {
            kind: c.kind.as_str().into(),
            title: c.title.clone(),
            body: c.body.clone(),
            context: c.context.clone(),
            decision: c.decision.clone(),
            consequences: c.consequences.clone(),
            decision_status: c
                .decision_status
                .map(|s| s.as_str().into())
                .unwrap_or_default(),
            tags: c.tags.join(", "),
            review_days: c.review_days.to_string(),
            ..ArtifactForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "artifact_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    back: String,
    action: String,
    editing: bool,
    draft: bool,
    kinds: Vec<(&'static str, &'static str, i64)>,
    statuses: Vec<&'static str>,
    f: ArtifactForm,
    error: Option<String>,
    field: String,
}

impl FormPage {
    async fn new(state: &AppState, visitor: &Visitor, heading: String, f: ArtifactForm) -> Self {
        FormPage {
            chrome: Chrome::new(visitor, heading.clone(), "communities")
                .counted(state)
                .await,
            heading,
            back: String::new(),
            action: String::new(),
            editing: false,
            draft: false,
            kinds: kinds(),
            statuses: statuses(),
            f,
            error: None,
            field: String::new(),
        }
    }

    fn failed(mut self, e: &WebError) -> Result<Response, PageError> {
        self.error = Some(e.public_message());
        self.field = e.field().unwrap_or_default().to_owned();
        Ok((e.status(), render(&self)?).into_response())
    }
}

async fn new_form(
    State(state): State<AppState>,
    seen: Seen,
    PageQuery(mut f): PageQuery<ArtifactForm>,
) -> Result<Response, PageError> {
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "join this community to contribute to its practice".into(),
        )
        .into());
    }
    crate::api::communities_access::require_writable(&seen.community)?;
    if f.kind.is_empty() {
        f.kind = ArtifactKind::Guide.as_str().into();
    }
    f.csrf.clear();
    let mut page = FormPage::new(&state, &seen.visitor, "Write an artifact".into(), f).await;
    page.back = format!("/communities/{}/artifacts", seen.community.slug);
    page.action = page.back.clone();
    Ok(render(&page)?.into_response())
}

async fn create(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(f): PageForm<ArtifactForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&f.csrf)?;
    let done = match f.draft() {
        Ok(d) => artifact_service::create(&state, &seen, &d).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(id) => Ok(Redirect::to(&format!("/artifacts/{id}")).into_response()),
        Err(e) if shown(&e) => {
            let mut page =
                FormPage::new(&state, &seen.visitor, "Write an artifact".into(), f).await;
            page.back = format!("/communities/{}/artifacts", seen.community.slug);
            page.action = page.back.clone();
            page.failed(&e)
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let seen = artifact_service::seen_artifact(&state, &member.user, id).await?;
    if !seen.can_write() {
        return Err(WebError::Forbidden(
            "join this community to contribute to its practice".into(),
        )
        .into());
    }
    let f = ArtifactForm::from_content(&seen.artifact.content);
    let heading = format!("Edit “{}”", seen.artifact.content.title);
    let mut page = FormPage::new(&state, &member.visitor, heading, f).await;
    page.back = format!("/artifacts/{id}");
    page.action = format!("/artifacts/{id}/edit");
    page.editing = true;
    page.draft = seen.artifact.state == domain::practice::ArtifactState::Draft;
    Ok(render(&page)?.into_response())
}

async fn edit(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ArtifactForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&f.csrf)?;
    let done = match f.draft() {
        Ok(d) => {
            let publish = !f.publish.is_empty();
            artifact_service::revise(&state, &member.user, id, &d, &f.summary, publish).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/artifacts/{id}")).into_response()),
        Err(e) if shown(&e) => {
            let seen = artifact_service::seen_artifact(&state, &member.user, id).await?;
            let heading = format!("Edit “{}”", seen.artifact.content.title);
            let mut page = FormPage::new(&state, &member.visitor, heading, f).await;
            page.back = format!("/artifacts/{id}");
            page.action = format!("/artifacts/{id}/edit");
            page.editing = true;
            page.draft = seen.artifact.state == domain::practice::ArtifactState::Draft;
            page.failed(&e)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "artifact.html")]
struct ShowPage {
    chrome: Chrome,
    v: ArtifactView,
    kind: &'static str,
    body_html: String,
    sections: Vec<(&'static str, String)>,
    status: Option<&'static str>,
    draft: bool,
    stale: bool,
    orphaned: bool,
    due: String,
    members: Vec<(i64, String)>,
    owner_id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
    /// The duplicate-effort panel (`pages::duplicates`), as HTML.
    duplicates: String,
}

/// The artifact page for `member`, with an optional notice or error.
pub(super) async fn show_page(
    state: &AppState,
    member: &PageMember,
    id: i64,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let v = artifact_service::view(state, &member.user, id).await?;
    let a = &v.seen.artifact;
    let c = &a.content;
    let sections = if c.kind == ArtifactKind::DecisionRecord {
        [
            ("Context", &c.context),
            ("Decision", &c.decision),
            ("Consequences", &c.consequences),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(label, text)| (label, crate::markdown::render(text)))
        .collect()
    } else {
        Vec::new()
    };
    let members = if v.seen.can_review() {
        state
            .store
            .members(v.seen.community.id, None, None, 500)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.display_name))
            .collect()
    } else {
        Vec::new()
    };
    let duplicates = super::duplicates::panel(
        state,
        &member.user,
        domain::duplicates::PostKey::Artifact(id),
        &member.visitor.csrf,
    )
    .await?;
    render(&ShowPage {
        duplicates,
        chrome: Chrome::new(&member.visitor, c.title.clone(), "communities")
            .counted(state)
            .await,
        kind: c.kind.label(),
        body_html: crate::markdown::render(&c.body),
        sections,
        status: c.decision_status.map(|s| s.as_str()),
        draft: a.state == domain::practice::ArtifactState::Draft,
        stale: v.stale,
        orphaned: a.is_orphaned(),
        due: a.due_at().format("%Y-%m-%d").to_string(),
        members,
        owner_id: a.owner.as_ref().map(|o| o.id).unwrap_or_default(),
        notice,
        error,
        v,
    })
    .map_err(|e| e.0)
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ShowQuery>,
) -> Result<Html<String>, PageError> {
    let notice = match q.notice.as_deref() {
        Some("reviewed") => Some("Marked reviewed: still true."),
        Some("reused") => Some("Your use was recorded. Thank you!"),
        Some("linked") => Some("The links were updated."),
        Some("owner") => Some("The artifact has a new owner."),
        Some("restored") => Some("The old revision was restored as a new one."),
        _ => None,
    };
    Ok(show_page(&state, &member, id, notice, None).await?)
}

#[derive(Template)]
#[template(path = "artifacts_mine.html")]
struct MinePage {
    chrome: Chrome,
    stale: Vec<ArtifactLine>,
}

/// The viewer's own artifacts that are due for review, across communities.
async fn mine(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    let now = state.clock.now();
    let me = member.user.person.id;
    let stale = artifact_service::stale_owned_by(&state, me, me)
        .await?
        .into_iter()
        .map(|(a, c)| {
            let mut line = ArtifactLine::new(&a, now);
            line.community = c.charter.name;
            line
        })
        .collect();
    render(&MinePage {
        chrome: Chrome::new(
            &member.visitor,
            "Your artifacts due for review",
            "communities",
        )
        .counted(&state)
        .await,
        stale,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/artifacts", get(list).post(create))
        .route("/communities/{slug}/artifacts/new", get(new_form))
        .route("/artifacts/mine", get(mine))
        .route("/artifacts/{id}", get(show))
        .route("/artifacts/{id}/edit", get(edit_form).post(edit))
        .merge(super::artifact_actions::router())
}
