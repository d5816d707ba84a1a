//! The people directory, a person's page and editing one's own profile.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::person::{ProfileDraft, WorkingHours, parse_skills, split_list};
use serde::Deserialize;
use store::people::{PersonProfile, Team};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::directory;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    people: Vec<PersonProfile>,
    teams: Vec<Team>,
    q: String,
    team: String,
    skill: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    p: PersonProfile,
    own: bool,
    hours: String,
    lists: Vec<(&'static str, Vec<String>)>,
    communities: Vec<store::communities::PersonCommunity>,
    kudos: Vec<store::threads::Kudos>,
    expertise: crate::expertise_service::PersonExpertise,
    /// Mentor capacity and active pairs as mentor.
    mentoring: (i64, i64),
}

/// The profile form's fields, as text.
#[derive(Debug, Default, Deserialize)]
struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    work_start: String,
    #[serde(default)]
    work_end: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    interests: String,
    #[serde(default)]
    can_teach: String,
    #[serde(default)]
    wants_to_learn: String,
}

#[derive(Template)]
#[template(path = "profile_edit.html")]
struct EditPage {
    chrome: Chrome,
    f: ProfileForm,
    error: Option<String>,
    field: String,
    teams: Vec<Team>,
    zones: Vec<&'static str>,
}

#[derive(Deserialize)]
struct DirectoryParams {
    q: Option<String>,
    team: Option<String>,
    skill: Option<String>,
    cursor: Option<String>,
}

async fn people(
    State(state): State<AppState>,
    member: PageMember,
    PageQuery(params): PageQuery<DirectoryParams>,
) -> Result<Html<String>, PageError> {
    let (people, next) = directory::search(
        &state,
        params.q.as_deref(),
        params.team.as_deref(),
        params.skill.as_deref(),
        None,
        params.cursor.as_deref(),
    )
    .await?;
    let q = params.q.unwrap_or_default();
    let team = params.team.unwrap_or_default();
    let skill = params.skill.unwrap_or_default();
    let next = next.map(|c| {
        format!(
            "/people?q={}&team={}&skill={}&cursor={}",
            urlencoding::encode(&q),
            urlencoding::encode(&team),
            urlencoding::encode(&skill),
            c
        )
    });
    render(&PeoplePage {
        chrome: Chrome::new(&member.visitor, "People", "people"),
        people,
        teams: state.store.teams().await?,
        q,
        team,
        skill,
        next,
    })
}

async fn person(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let p = state.store.profile(id).await?;
    let own = p.person.id == member.user.person.id;
    let hours = WorkingHours::from_minutes(p.person.work_start, p.person.work_end);
    render(&PersonPage {
        chrome: Chrome::new(
            &member.visitor,
            p.person.display_name.clone(),
            if own { "profile" } else { "people" },
        )
        .counted(&state)
        .await,
        kudos: state
            .store
            .kudos_for(p.person.id, member.user.person.id)
            .await?,
        expertise: crate::expertise_service::of_person(&state, member.user.person.id, id).await?,
        mentoring: crate::mentoring_service::places(&state, id).await?,
        hours: format!("{}–{}", hours.start_text(), hours.end_text()),
        lists: vec![
            ("Interests", p.interests.clone()),
            ("Can teach", p.can_teach.clone()),
            ("Wants to learn", p.wants_to_learn.clone()),
        ],
        own,
        communities: state
            .store
            .communities_of(p.person.id, Some(member.user.person.id))
            .await?,
        p,
    })
}

fn form_of(p: &PersonProfile) -> ProfileForm {
    let hours = WorkingHours::from_minutes(p.person.work_start, p.person.work_end);
    ProfileForm {
        csrf: String::new(),
        display_name: p.person.display_name.clone(),
        team: p.person.team.clone().unwrap_or_default(),
        location: p.person.location.clone(),
        time_zone: p.person.time_zone.clone(),
        work_start: hours.start_text(),
        work_end: hours.end_text(),
        bio: p.person.bio.clone(),
        skills: p
            .skills
            .iter()
            .map(|s| format!("{}:{}", s.name, s.level.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
        interests: p.interests.join(", "),
        can_teach: p.can_teach.join(", "),
        wants_to_learn: p.wants_to_learn.join(", "),
    }
}

fn zones() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect()
}

async fn edit_page(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    let p = state.store.profile(member.user.person.id).await?;
    render(&EditPage {
        chrome: Chrome::new(&member.visitor, "Edit your profile", "profile"),
        f: form_of(&p),
        error: None,
        field: String::new(),
        teams: state.store.teams().await?,
        zones: zones(),
    })
}

fn draft(form: &ProfileForm) -> Result<ProfileDraft, WebError> {
    Ok(ProfileDraft {
        display_name: form.display_name.clone(),
        team: form.team.clone(),
        location: form.location.clone(),
        time_zone: form.time_zone.clone(),
        work_start: form.work_start.clone(),
        work_end: form.work_end.clone(),
        bio: form.bio.clone(),
        skills: parse_skills(&form.skills)?,
        interests: split_list(&form.interests),
        can_teach: split_list(&form.can_teach),
        wants_to_learn: split_list(&form.wants_to_learn),
    })
}

async fn save(
    State(state): State<AppState>,
    member: PageMember,
    PageForm(form): PageForm<ProfileForm>,
) -> Result<Response, PageError> {
    member.visitor.verify_csrf(&form.csrf)?;
    let checked = draft(&form).and_then(|d| d.validate().map_err(WebError::from));
    match checked {
        Ok(profile) => {
            let id = member.user.person.id;
            state
                .store
                .update_profile(id, &profile, state.clock.now())
                .await?;
            Ok(Redirect::to(&format!("/people/{id}")).into_response())
        }
        Err(e) => {
            let page = EditPage {
                chrome: Chrome::new(&member.visitor, "Edit your profile", "profile"),
                error: Some(e.public_message()),
                field: e.field().unwrap_or_default().to_owned(),
                f: form,
                teams: state.store.teams().await?,
                zones: zones(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(people))
        .route("/people/{id}", get(person))
        .route("/profile/edit", get(edit_page))
        .route("/profile", post(save))
}
