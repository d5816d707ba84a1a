//! A community's own pages: its home (charter, stewards, members with their
//! participation), joining and leaving, editing the charter, and its history
//! (changes, charter revisions with word diffs, membership, activity log).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::charter::{CharterDraft, FieldChange};
use domain::community::{HistoryKind, MemberRole, Visibility};
use serde::Deserialize;
use store::communities::{Community, LoggedEvent, MembershipSpell};

use super::communities::{CharterForm, FormPage, shown_in_form};
use super::{Chrome, CsrfForm, render};
use crate::AppState;
use crate::api::communities::{detail, link_if_visible};
use crate::api::communities_access::{Seen, require_writable};
use crate::api::communities_membership::member_page;
use crate::api::communities_schema::{
    CommunityLink, MemberOut, MembersParams, ParticipationOut, PersonRef,
};
use crate::api::communities_stewardship as stewardship;
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PageQuery};

#[derive(Template)]
#[template(path = "community.html")]
struct HomePage {
    chrome: Chrome,
    c: Community,
    private: bool,
    writable: bool,
    role: Option<MemberRole>,
    can_steward: bool,
    stewards: Vec<PersonRef>,
    participation: ParticipationOut,
    members: Vec<MemberOut>,
    next: Option<String>,
    split_from: Option<CommunityLink>,
    splits: Vec<CommunityLink>,
    next_gatherings: Vec<super::gatherings::OccurrenceLine>,
    error: Option<String>,
    threads: Vec<super::threads::ThreadLine>,
}

#[derive(Debug, Deserialize)]
struct HomeQuery {
    cursor: Option<String>,
}

async fn home_page(
    state: &AppState,
    seen: &Seen,
    cursor: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let c = &seen.community;
    let d = detail(state, c, seen.me(), seen.role).await?;
    let params = MembersParams {
        role: None,
        limit: Some(100),
        cursor,
    };
    let (members, next) = member_page(state, seen, &params).await?;
    render(&HomePage {
        chrome: Chrome::new(&seen.visitor, c.charter.name.clone(), "communities")
            .counted(state)
            .await,
        threads: super::threads::latest(state, c.id).await?,
        private: c.charter.visibility == Visibility::Private,
        writable: c.is_writable(),
        role: seen.role,
        can_steward: seen.can_steward(),
        stewards: d.stewards,
        participation: d.participation,
        members,
        next: next.map(|n| format!("/communities/{}?cursor={n}", c.slug)),
        split_from: d.split_from,
        splits: d.splits,
        next_gatherings: super::gatherings::next_for_home(state, seen).await?,
        error,
        c: c.clone(),
    })
    .map_err(|e| e.0)
}

async fn home(
    State(state): State<AppState>,
    seen: Seen,
    PageQuery(q): PageQuery<HomeQuery>,
) -> Result<Html<String>, PageError> {
    Ok(home_page(&state, &seen, q.cursor, None).await?)
}

/// The home page again with `e` shown, or an error page for faults.
async fn refused(state: &AppState, seen: &Seen, e: WebError) -> Result<Response, PageError> {
    if !shown_in_form(&e) {
        return Err(e.into());
    }
    let status = e.status();
    let page = home_page(state, seen, None, Some(e.public_message())).await?;
    Ok((status, page).into_response())
}

async fn join(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let c = &seen.community;
    match state.store.join(c.id, seen.me(), state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/communities/{}", c.slug)).into_response()),
        Err(e) => refused(&state, &seen, e.into()).await,
    }
}

async fn leave(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let c = &seen.community;
    match state.store.leave(c.id, seen.me(), state.clock.now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/communities/{}", c.slug)).into_response()),
        Err(e) => refused(&state, &seen, e.into()).await,
    }
}

fn edit_form(seen: &Seen) -> FormPage {
    let c = &seen.community;
    let mut page = FormPage::new(
        Chrome::new(
            &seen.visitor,
            format!("Edit the charter of {}", c.charter.name),
            "communities",
        ),
        format!("Edit the charter of {}", c.charter.name),
        format!("/communities/{}/edit", c.slug),
        "Save a new revision",
    );
    page.with_slug = false;
    page.with_note = true;
    page.f = CharterForm::of(&CharterDraft::from(&c.charter));
    page
}

async fn edit_page(seen: Seen) -> Result<Html<String>, PageError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    render(&edit_form(&seen))
}

async fn edit(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(form): PageForm<CharterForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&form.csrf)?;
    let result = match form.draft().validate() {
        Ok(charter) => stewardship::revise(&state, &seen, Some(charter), None, &form.note).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/communities/{}/history", seen.community.slug)).into_response(),
        ),
        Err(e) if shown_in_form(&e) => edit_form(&seen).failed(form, &e),
        Err(e) => Err(e.into()),
    }
}

/// A history entry in words.
struct Line {
    at: chrono::DateTime<chrono::Utc>,
    text: String,
}

/// A revision with what it changed.
struct RevisionView {
    revision: i64,
    editor: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
    note: String,
    changes: Vec<FieldChange>,
}

#[derive(Template)]
#[template(path = "community_history.html")]
struct HistoryPage {
    chrome: Chrome,
    name: String,
    slug: String,
    history: Vec<Line>,
    revisions: Vec<RevisionView>,
    spells: Vec<MembershipSpell>,
    events: Vec<LoggedEvent>,
}

fn words(kind: HistoryKind, person: &str, other: &str, detail: &str) -> String {
    match kind {
        HistoryKind::Created => format!("proposed as “{detail}”"),
        HistoryKind::CharterRevised => format!("charter {detail}"),
        HistoryKind::RoleChanged => format!("{person}'s role changed: {detail}"),
        HistoryKind::StageChanged => format!("stage changed: {detail}"),
        HistoryKind::Requested => format!("{person} asked to join"),
        HistoryKind::RequestApproved => format!("{person}'s request was approved"),
        HistoryKind::RequestDeclined => format!("{person}'s request was declined"),
        HistoryKind::Invited => format!("{person} was invited"),
        HistoryKind::InvitationAccepted => format!("{person} accepted an invitation"),
        HistoryKind::InvitationDeclined => format!("{person} declined an invitation"),
        HistoryKind::Archived => "archived".into(),
        HistoryKind::MergedInto => format!("merged into {other}"),
        HistoryKind::MergedFrom => format!("{other} was merged into this community"),
        HistoryKind::SplitInto => format!("{other} was split from this community"),
        HistoryKind::SplitFrom => format!("split from {other}"),
    }
}

async fn history(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let mut lines = Vec::new();
    for h in state.store.history(c.id, 500).await? {
        let other = match h.other_community {
            Some(id) => match link_if_visible(&state, id, seen.me()).await? {
                Some(l) => l.name,
                None => "a private community".to_owned(),
            },
            None => String::new(),
        };
        let by = match (&h.actor_name, &h.team) {
            (Some(a), Some(t)) => format!(" (by {a}, {t})"),
            (Some(a), None) => format!(" (by {a})"),
            _ => String::new(),
        };
        let person = h.person_name.clone().unwrap_or_else(|| "someone".into());
        lines.push(Line {
            at: h.at,
            text: format!("{}{by}", words(h.kind, &person, &other, &h.detail)),
        });
    }
    let revisions = state.store.charter_revisions(c.id).await?;
    let views = revisions
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| RevisionView {
            revision: r.revision,
            editor: r.editor_name.clone(),
            at: r.at,
            note: r.note.clone(),
            changes: domain::charter::changes(
                i.checked_sub(1).map(|j| &revisions[j].charter),
                &r.charter,
            ),
        })
        .collect();
    render(&HistoryPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("History of {}", c.charter.name),
            "communities",
        ),
        name: c.charter.name.clone(),
        slug: c.slug.clone(),
        history: lines,
        revisions: views,
        spells: state.store.membership_history(c.id, 500).await?,
        events: state.store.community_activity(c.id, 200).await?,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}", get(home))
        .route("/communities/{slug}/join", post(join))
        .route("/communities/{slug}/leave", post(leave))
        .route("/communities/{slug}/edit", get(edit_page).post(edit))
        .route("/communities/{slug}/history", get(history))
}
