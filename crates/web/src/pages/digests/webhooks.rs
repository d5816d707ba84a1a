//! A community's outgoing webhooks in the browser, for its stewards: the
//! list with a form to add one (its secret shown once, on the page that
//! answers the form), and each webhook's page with its settings, pause and
//! remove, and the delivery log (status, response code, attempts, next try).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use store::outreach::deliveries::Delivery;
use store::outreach::webhooks::Webhook;

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath};
use crate::outreach::payloads::EVENTS;
use crate::outreach::webhooks::{self, WebhookDraft, WebhookEdit};
use crate::pages::{Chrome, render};

/// Deliveries shown on a webhook's page.
const LOG_SHOWN: i64 = 50;

/// An event as a checkbox.
struct EventChoice {
    name: &'static str,
    label: &'static str,
    checked: bool,
}

fn choices(chosen: &[String]) -> Vec<EventChoice> {
    EVENTS
        .iter()
        .map(|(name, label)| EventChoice {
            name,
            label,
            checked: chosen.iter().any(|c| c == name),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    slug: String,
    community: String,
    hooks: Vec<Webhook>,
    events: Vec<EventChoice>,
    url: String,
    description: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct WebhookPage {
    chrome: Chrome,
    slug: String,
    community: String,
    hook: Webhook,
    events: Vec<EventChoice>,
    secret: Option<String>,
    log: Vec<Delivery>,
    error: Option<String>,
}

/// The fields of the add and edit forms: `csrf`, `url`, `description`,
/// `active` and one `event.<name>` checkbox per event.
type Fields = HashMap<String, String>;

fn field(form: &Fields, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn chosen(form: &Fields) -> Vec<String> {
    EVENTS
        .iter()
        .filter(|(name, _)| form.contains_key(&format!("event.{name}")))
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

async fn list_page(
    state: &AppState,
    seen: &Seen,
    draft: Option<(&Fields, String)>,
) -> Result<Html<String>, PageError> {
    let hooks = webhooks::list(state, seen).await?;
    let (events, url, description, error) = match draft {
        Some((form, error)) => (
            choices(&chosen(form)),
            field(form, "url"),
            field(form, "description"),
            Some(error),
        ),
        None => {
            let all: Vec<String> = EVENTS.iter().map(|(n, _)| (*n).to_owned()).collect();
            (choices(&all), String::new(), String::new(), None)
        }
    };
    let name = seen.community.charter.name.clone();
    render(&WebhooksPage {
        chrome: Chrome::new(&seen.visitor, format!("Webhooks of {name}"), "communities")
            .counted(state)
            .await,
        slug: seen.community.slug.clone(),
        community: name,
        hooks,
        events,
        url,
        description,
        error,
    })
}

async fn hook_page(
    state: &AppState,
    seen: &Seen,
    hook: Webhook,
    secret: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, PageError> {
    let log = state.store.deliveries(hook.id, None, LOG_SHOWN).await?;
    let name = seen.community.charter.name.clone();
    render(&WebhookPage {
        chrome: Chrome::new(&seen.visitor, format!("Webhook of {name}"), "communities")
            .counted(state)
            .await,
        slug: seen.community.slug.clone(),
        community: name,
        events: choices(&hook.events),
        hook,
        secret,
        log,
        error,
    })
}

async fn list(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    list_page(&state, &seen, None).await
}

async fn create(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<Fields>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&field(&form, "csrf"))?;
    let draft = WebhookDraft {
        url: field(&form, "url"),
        events: chosen(&form),
        description: field(&form, "description"),
    };
    match webhooks::create(&state, &seen, &draft).await {
        Ok(hook) => {
            let secret = Some(hook.secret.clone());
            Ok((
                StatusCode::CREATED,
                hook_page(&state, &seen, hook, secret, None).await?,
            )
                .into_response())
        }
        Err(e @ (WebError::Invalid(_) | WebError::Conflict { .. })) => Ok((
            e.status(),
            list_page(&state, &seen, Some((&form, e.public_message()))).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn show(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((_slug, id)): PagePath<(String, i64)>,
) -> Result<Html<String>, PageError> {
    let hook = webhooks::get(&state, &seen, id).await?;
    hook_page(&state, &seen, hook, None, None).await
}

async fn update(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((slug, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<Fields>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&field(&form, "csrf"))?;
    let edit = WebhookEdit {
        url: Some(field(&form, "url")),
        events: Some(chosen(&form)),
        description: Some(field(&form, "description")),
        active: Some(form.contains_key("active")),
    };
    match webhooks::change(&state, &seen, id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/communities/{slug}/webhooks/{id}")).into_response()),
        Err(e @ WebError::Invalid(_)) => {
            let hook = webhooks::get(&state, &seen, id).await?;
            Ok((
                e.status(),
                hook_page(&state, &seen, hook, None, Some(e.public_message())).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    seen: Seen,
    PagePath((slug, id)): PagePath<(String, i64)>,
    PageForm(form): PageForm<Fields>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&field(&form, "csrf"))?;
    webhooks::remove(&state, &seen, id).await?;
    Ok(Redirect::to(&format!("/communities/{slug}/webhooks")).into_response())
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/webhooks", get(list).post(create))
        .route("/communities/{slug}/webhooks/{id}", get(show).post(update))
        .route("/communities/{slug}/webhooks/{id}/remove", post(remove))
}
