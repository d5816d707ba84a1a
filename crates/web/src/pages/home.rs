//! The start page: an introduction for visitors, the communities and the
//! size of the organisation for members.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use store::communities::CommunitySummary;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::Visitor;
use crate::error::PageError;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    communities: Vec<CommunitySummary>,
    people: i64,
    teams: usize,
}

async fn home(State(state): State<AppState>, visitor: Visitor) -> Result<Html<String>, PageError> {
    let (communities, people, teams) = match &visitor.user {
        Some(user) => (
            state
                .store
                .visible_communities(Some(user.person.id))
                .await?,
            state.store.count_people().await?,
            state.store.teams().await?.len(),
        ),
        None => (Vec::new(), 0, 0),
    };
    render(&Home {
        chrome: Chrome::new(&visitor, "Home", "home").counted(&state).await,
        communities,
        people,
        teams,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}
