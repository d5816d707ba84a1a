//! The communities directory with its filters, proposing a community,
//! asking to join a private one by its address, and answering invitations.
//! A community's own pages are in `communities_home` and `communities_manage`.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::charter::CharterDraft;
use domain::community::{CommunityType, Orientation, Stage};
use serde::Deserialize;
use store::communities::{CommunitySummary, Invitation};

use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_schema::DirectoryParams;
use crate::api::communities_stewardship as stewardship;
use crate::auth::PageMember;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};

#[derive(Template)]
#[template(path = "communities.html")]
struct DirectoryPage {
    chrome: Chrome,
    communities: Vec<CommunitySummary>,
    invitations: Vec<Invitation>,
    types: &'static [CommunityType],
    orientations: &'static [Orientation],
    stages: &'static [Stage],
    f_type: String,
    f_orientation: String,
    f_stage: String,
    mine: bool,
    next: Option<String>,
}

/// The directory's query string as the filter form sends it.
#[derive(Debug, Deserialize)]
struct DirectoryQuery {
    #[serde(rename = "type")]
    community_type: Option<String>,
    orientation: Option<String>,
    stage: Option<String>,
    mine: Option<String>,
    cursor: Option<String>,
}

/// The charter form's fields, as text, shared by proposing, editing and splitting.
#[derive(Debug, Default, Deserialize)]
pub(super) struct CharterForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub domain_question: String,
    #[serde(default)]
    pub in_scope: String,
    #[serde(default)]
    pub out_of_scope: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub org_goal: String,
    #[serde(default)]
    pub community_type: String,
    #[serde(default)]
    pub orientation: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub sponsor: String,
    #[serde(default)]
    pub note: String,
    /// Checkboxes `invite-<id>` when splitting.
    #[serde(flatten)]
    pub rest: HashMap<String, String>,
}

impl CharterForm {
    pub fn draft(&self) -> CharterDraft {
        CharterDraft {
            name: self.name.clone(),
            domain_question: self.domain_question.clone(),
            in_scope: self.in_scope.clone(),
            out_of_scope: self.out_of_scope.clone(),
            purpose: self.purpose.clone(),
            org_goal: self.org_goal.clone(),
            community_type: self.community_type.clone(),
            orientation: self.orientation.clone(),
            visibility: self.visibility.clone(),
            sponsor: self.sponsor.clone(),
        }
    }

    pub fn of(d: &CharterDraft) -> Self {
        CharterForm {
            name: d.name.clone(),
            domain_question: d.domain_question.clone(),
            in_scope: d.in_scope.clone(),
            out_of_scope: d.out_of_scope.clone(),
            purpose: d.purpose.clone(),
            org_goal: d.org_goal.clone(),
            community_type: d.community_type.clone(),
            orientation: d.orientation.clone(),
            visibility: d.visibility.clone(),
            sponsor: d.sponsor.clone(),
            ..CharterForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "community_form.html")]
pub(super) struct FormPage {
    pub chrome: Chrome,
    pub heading: String,
    pub action: String,
    pub submit: &'static str,
    pub with_slug: bool,
    pub with_note: bool,
    pub invitable: Vec<(i64, String)>,
    pub f: CharterForm,
    pub error: Option<String>,
    pub field: String,
    pub types: &'static [CommunityType],
    pub orientations: &'static [Orientation],
}

impl FormPage {
    /// A blank form of this kind.
    pub fn new(chrome: Chrome, heading: String, action: String, submit: &'static str) -> Self {
        FormPage {
            chrome,
            heading,
            action,
            submit,
            with_slug: true,
            with_note: false,
            invitable: Vec::new(),
            f: CharterForm::default(),
            error: None,
            field: String::new(),
            types: CommunityType::ALL,
            orientations: Orientation::ALL,
        }
    }

    /// The form again with `e` shown and its field marked, as a 422.
    pub fn failed(mut self, f: CharterForm, e: &WebError) -> Result<Response, PageError> {
        self.f = f;
        self.error = Some(e.public_message());
        self.field = e.field().unwrap_or_default().to_owned();
        Ok((e.status(), render(&self)?).into_response())
    }
}

/// Errors a form can show in place; others become an error page.
pub(super) fn shown_in_form(e: &WebError) -> bool {
    matches!(e, WebError::Invalid(_) | WebError::Conflict { .. })
}

async fn directory(
    State(state): State<AppState>,
    member: PageMember,
    PageQuery(q): PageQuery<DirectoryQuery>,
) -> Result<Html<String>, PageError> {
    let mine = q.mine.as_deref() == Some("true");
    let params = DirectoryParams {
        community_type: q.community_type.clone(),
        orientation: q.orientation.clone(),
        stage: q.stage.clone(),
        mine: Some(mine),
        limit: None,
        cursor: q.cursor.clone(),
    };
    let me = member.user.person.id;
    let (communities, next) = crate::api::communities::directory(&state, me, &params).await?;
    let f_type = q.community_type.unwrap_or_default();
    let f_orientation = q.orientation.unwrap_or_default();
    let f_stage = q.stage.unwrap_or_default();
    let next = next.map(|c| {
        format!(
            "/communities?type={}&orientation={}&stage={}{}&cursor={c}",
            urlencoding::encode(&f_type),
            urlencoding::encode(&f_orientation),
            urlencoding::encode(&f_stage),
            if mine { "&mine=true" } else { "" },
        )
    });
    render(&DirectoryPage {
        chrome: Chrome::new(&member.visitor, "Communities", "communities"),
        communities,
        invitations: state.store.invitations_for(me).await?,
        types: CommunityType::ALL,
        orientations: Orientation::ALL,
        stages: Stage::ALL,
        f_type,
        f_orientation,
        f_stage,
        mine,
        next,
    })
}

fn propose_form(member: &PageMember) -> FormPage {
    FormPage::new(
        Chrome::new(&member.visitor, "Propose a community", "communities"),
        "Propose a community".into(),
        "/communities".into(),
        "Propose",
    )
}

async fn new_page(member: PageMember) -> Result<Html<String>, PageError> {
    render(&propose_form(&member))
}

async fn create(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<CharterForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let slug = Some(form.slug.as_str());
    match stewardship::propose(&state, member.user.person.id, slug, &form.draft()).await {
        Ok(slug) => Ok(Redirect::to(&format!("/communities/{slug}")).into_response()),
        Err(e) if shown_in_form(&e) => propose_form(&member).failed(form, &e),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "communities_ask.html")]
struct AskPage {
    chrome: Chrome,
    sent: bool,
    answer: &'static str,
    error: Option<String>,
    field: String,
    slug: String,
    message: String,
}

#[derive(Debug, Default, Deserialize)]
struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    message: String,
}

fn ask_page(member: &PageMember) -> AskPage {
    AskPage {
        chrome: Chrome::new(&member.visitor, "Ask to join", "communities"),
        sent: false,
        answer: crate::api::communities_membership::REQUESTED,
        error: None,
        field: String::new(),
        slug: String::new(),
        message: String::new(),
    }
}

async fn ask_form(member: PageMember) -> Result<Html<String>, PageError> {
    render(&ask_page(&member))
}

async fn ask(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<AskForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let mut page = ask_page(&member);
    match stewardship::ask_to_join(&state, member.user.person.id, &form.slug, &form.message).await {
        Ok(()) => {
            page.sent = true;
            Ok(render(&page)?.into_response())
        }
        Err(e) if shown_in_form(&e) => {
            page.error = Some(e.public_message());
            page.field = e.field().unwrap_or_default().to_owned();
            page.slug = form.slug;
            page.message = form.message;
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
}

async fn answer_invitation(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let accept = match form.decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(domain::Invalid::new("decision", "choose accept or decline").into());
        }
    };
    let me = member.user.person.id;
    let invitation = state
        .store
        .invitations_for(me)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(WebError::NotFound)?;
    state
        .store
        .answer_invitation(id, me, accept, state.clock.now())
        .await?;
    let to = if accept {
        format!("/communities/{}", invitation.slug)
    } else {
        "/communities".to_owned()
    };
    Ok(Redirect::to(&to).into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities", get(directory).post(create))
        .route("/communities/new", get(new_page))
        .route("/communities/ask", get(ask_form).post(ask))
        .route("/invitations/{id}", post(answer_invitation))
}
