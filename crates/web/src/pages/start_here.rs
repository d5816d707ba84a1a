//! A community's "start here" page for newcomers (legitimate peripheral
//! participation): its charter, the most reused artifacts, open questions
//! suited to newcomers, the next gathering, a suggested mentor with a
//! one-click "ask to be mentored", and small first steps ticked off from
//! what the member has done. Stewards can match two members from here.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use store::communities::Community;

use super::threads::ThreadLine;
use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::error::PageError;
use crate::mentoring_service::{self as service, MentorshipView, Step, Suggestion};

#[derive(Template)]
#[template(path = "start_here.html")]
struct StartHerePage {
    chrome: Chrome,
    c: Community,
    member: bool,
    newcomer: bool,
    writable: bool,
    artifacts: Vec<(i64, String, i64)>,
    questions: Vec<ThreadLine>,
    gathering: Option<super::gatherings::OccurrenceLine>,
    mentor: Option<Suggestion>,
    mentorships: Vec<MentorshipView>,
    steps: Vec<Step>,
    done: usize,
    /// Members a steward may match: (id, name).
    members: Vec<(i64, String)>,
    /// The community an ask from this page is for.
    ask_community: String,
}

async fn show(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let s = service::start_here(&state, &seen).await?;
    let viewer = super::gatherings::viewer_zone(&seen.user);
    let members = if seen.can_steward() && c.is_writable() {
        state
            .store
            .members(c.id, None, None, 1000)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.display_name))
            .collect()
    } else {
        Vec::new()
    };
    render(&StartHerePage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Start here: {}", c.charter.name),
            "communities",
        ),
        member: s.member,
        newcomer: s.newcomer,
        writable: c.is_writable(),
        artifacts: s.artifacts,
        questions: s.questions.iter().map(ThreadLine::from).collect(),
        gathering: s
            .gathering
            .as_ref()
            .map(|(r, o)| super::gatherings::line(r, o, viewer)),
        mentor: s.mentor,
        mentorships: s.mentorships,
        done: s.steps.iter().filter(|s| s.done).count(),
        steps: s.steps,
        members,
        ask_community: c.slug.clone(),
        c: c.clone(),
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/communities/{slug}/start-here", get(show))
}
