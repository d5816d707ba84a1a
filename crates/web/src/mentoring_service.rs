//! Mentor matching, proposals, pairs and the newcomer's "start here" page,
//! as pages and API both use them. Who may do what: anyone signed in asks a
//! mentor for themselves or offers to mentor someone; a community's
//! stewards match two of its members; only the two people of a mentorship
//! see it, answer it or end it (anyone else gets the same 404 as for one
//! that does not exist). A community is named in a suggestion or a
//! mentorship only to people who may see it.

use chrono::{DateTime, Duration, Utc};
use domain::community::Visibility;
use domain::mentoring::{self, Candidate, Match, Proposer, Seeker, Side, Status};
use domain::person::WorkingHours;
use store::communities::Community;
use store::gatherings::SeriesRecord;
use store::mentoring::{FirstSteps, Mentorship, NewMentorship};
use store::threads::Thread;

use crate::AppState;
use crate::api::communities_access::{Seen, may_see, require_writable, visible_by_slug};
use crate::auth::CurrentUser;
use crate::error::WebError;

/// How many suggestions a list shows.
pub const SUGGESTIONS: usize = 3;
/// Questions older than this are not offered to newcomers.
pub const QUESTION_DAYS: i64 = 60;
/// A member who joined less than this many days ago is a newcomer.
pub const NEWCOMER_DAYS: i64 = 28;

/// A suggested mentor.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The mentor's id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their team.
    pub team: Option<String>,
    /// Why, with the score.
    pub matched: Match,
}

fn zone(name: &str) -> chrono_tz::Tz {
    domain::person::time_zone(name).unwrap_or(chrono_tz::UTC)
}

/// Up to `limit` mentors for `user`, preferring members of `community`
/// (which the caller has checked the viewer may see), with the community
/// offered as a guide topic when nothing else matches.
pub async fn suggestions(
    state: &AppState,
    user: &CurrentUser,
    community: Option<&Community>,
    limit: usize,
) -> Result<Vec<Suggestion>, WebError> {
    let me = state.store.profile(user.person.id).await?;
    let seeker = Seeker {
        id: me.person.id,
        team: me.person.team.clone(),
        time_zone: zone(&me.person.time_zone),
        hours: WorkingHours::from_minutes(me.person.work_start, me.person.work_end),
        wants_to_learn: me.wants_to_learn.clone(),
    };
    let rows = state.store.mentor_rows(community.map(|c| c.id)).await?;
    let candidates: Vec<Candidate> = rows
        .iter()
        .map(|r| Candidate {
            id: r.id,
            team: r.team.clone(),
            time_zone: zone(&r.time_zone),
            hours: WorkingHours::from_minutes(r.work_start, r.work_end),
            can_teach: r.can_teach.clone(),
            capacity: r.capacity,
            active: r.active,
            in_community: r.in_community,
        })
        .collect();
    let excluded: Vec<i64> = state
        .store
        .mentorships_of(me.person.id)
        .await?
        .iter()
        .filter(|m| m.answers.status.is_open())
        .map(|m| m.other(me.person.id))
        .collect();
    let name = community.map(|c| c.charter.name.as_str());
    let matches = mentoring::suggest(
        &seeker,
        &candidates,
        &excluded,
        name,
        state.clock.now(),
        limit,
    );
    Ok(matches
        .into_iter()
        .filter_map(|m| {
            let r = rows.iter().find(|r| r.id == m.mentor)?;
            Some(Suggestion {
                id: r.id,
                name: r.name.clone(),
                team: r.team.clone(),
                matched: m,
            })
        })
        .collect())
}

/// A mentorship as `viewer` sees it, with what they may do.
#[derive(Debug, Clone)]
pub struct MentorshipView {
    /// The mentorship.
    pub m: Mentorship,
    /// The viewer's side.
    pub side: Side,
    /// The other person: (id, name).
    pub other: (i64, String),
    /// The community, if the viewer may see it: (slug, name).
    pub community: Option<(String, String)>,
    /// The viewer may accept.
    pub can_accept: bool,
    /// The viewer may decline.
    pub can_decline: bool,
    /// The viewer proposed it and may take it back.
    pub can_withdraw: bool,
    /// The viewer may end the pair.
    pub can_end: bool,
}

impl MentorshipView {
    /// "mentor" or "mentee": the viewer's side in words.
    pub fn role(&self) -> &'static str {
        match self.side {
            Side::Mentor => "mentor",
            Side::Mentee => "mentee",
        }
    }
}

async fn view(state: &AppState, viewer: i64, m: Mentorship) -> Result<MentorshipView, WebError> {
    let side = m.side_of(viewer).ok_or(WebError::NotFound)?;
    let other = match side {
        Side::Mentor => (m.mentee.id, m.mentee.name.clone()),
        Side::Mentee => (m.mentor.id, m.mentor.name.clone()),
    };
    let community = match &m.community {
        Some((id, slug, name)) => {
            let c = state.store.community(*id).await?;
            may_see(state, &c, viewer)
                .await?
                .then(|| (slug.clone(), name.clone()))
        }
        None => None,
    };
    let proposed =
        m.proposed_by == Some(viewer) && matches!(m.proposer, Proposer::Mentee | Proposer::Mentor);
    Ok(MentorshipView {
        can_accept: m.answers.awaits(side),
        can_decline: m.answers.awaits(side),
        can_withdraw: proposed && m.answers.status == Status::Proposed,
        can_end: m.answers.status == Status::Active,
        side,
        other,
        community,
        m,
    })
}

/// Every mentorship of `user`: open proposals, pairs, and closed ones.
pub async fn mine(state: &AppState, user: &CurrentUser) -> Result<Vec<MentorshipView>, WebError> {
    let me = user.person.id;
    let mut out = Vec::new();
    for m in state.store.mentorships_of(me).await? {
        out.push(view(state, me, m).await?);
    }
    Ok(out)
}

/// Mentorship `id` if `user` is on either side of it.
pub async fn seen_mentorship(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<MentorshipView, WebError> {
    let m = state.store.mentorship(id).await?;
    view(state, user.person.id, m).await
}

/// A proposal as asked for.
#[derive(Debug, Clone, Default)]
pub struct ProposalDraft {
    /// The mentor.
    pub mentor_id: i64,
    /// The mentee; none for the viewer.
    pub mentee_id: Option<i64>,
    /// What it is about.
    pub topic: String,
    /// The community's slug, if it is for one.
    pub community: Option<String>,
    /// A note to the other side.
    pub note: String,
}

async fn person_exists(state: &AppState, id: i64, field: &str) -> Result<(), WebError> {
    match state.store.person(id).await {
        Ok(_) => Ok(()),
        Err(store::StoreError::NotFound) => {
            Err(domain::Invalid::new(field, "there is no such person").into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Proposes a mentorship: the viewer asks for themselves (mentee), offers to
/// mentor someone (mentor), or, as a steward of the community named, matches
/// two of its members. A mentor without a free place is refused.
pub async fn propose(
    state: &AppState,
    user: &CurrentUser,
    draft: &ProposalDraft,
) -> Result<MentorshipView, WebError> {
    let me = user.person.id;
    let mentee = draft.mentee_id.unwrap_or(me);
    let (topic, note) = mentoring::proposal_text(&draft.topic, &draft.note)?;
    if draft.mentor_id == mentee {
        return Err(domain::Invalid::new("mentor_id", "nobody mentors themselves").into());
    }
    person_exists(state, draft.mentor_id, "mentor_id").await?;
    person_exists(state, mentee, "mentee_id").await?;
    let community = match draft.community.as_deref().map(str::trim) {
        Some(slug) if !slug.is_empty() => {
            let c = visible_by_slug(state, slug, me, "community").await?;
            require_writable(&c)?;
            Some(c)
        }
        _ => None,
    };
    let proposer = if mentee == me {
        Proposer::Mentee
    } else if draft.mentor_id == me {
        Proposer::Mentor
    } else {
        let Some(c) = &community else {
            return Err(domain::Invalid::new(
                "community",
                "to match two other people, name the community you steward",
            )
            .into());
        };
        let role = state.store.role_in(c.id, me).await?;
        if role != Some(domain::community::MemberRole::Steward) && !user.is_admin() {
            return Err(WebError::Forbidden(
                "only this community's stewards can match two of its members".into(),
            ));
        }
        Proposer::Steward
    };
    if let Some(c) = &community {
        let members = [(draft.mentor_id, "mentor_id"), (mentee, "mentee_id")];
        for (id, field) in members {
            let member = state.store.role_in(c.id, id).await?.is_some();
            let needed =
                proposer == Proposer::Steward || c.charter.visibility == Visibility::Private;
            if needed && !member {
                return Err(domain::Invalid::new(
                    field,
                    "must be a member of the community the mentorship is for",
                )
                .into());
            }
        }
    }
    let (capacity, active) = places(state, draft.mentor_id).await?;
    if capacity - active <= 0 {
        return Err(WebError::Conflict {
            field: "mentor_id".into(),
            message: "this mentor has no free mentoring place now".into(),
        });
    }
    let m = state
        .store
        .propose_mentorship(
            &NewMentorship {
                mentor_id: draft.mentor_id,
                mentee_id: mentee,
                topic,
                community_id: community.as_ref().map(|c| c.id),
                proposer,
                proposed_by: Some(me),
                note,
            },
            state.clock.now(),
        )
        .await?;
    // A steward who is neither side sees the result but not the pair later.
    match view(state, me, m.clone()).await {
        Ok(v) => Ok(v),
        Err(WebError::NotFound) => Ok(MentorshipView {
            side: Side::Mentor,
            other: (m.mentee.id, m.mentee.name.clone()),
            community: community.map(|c| (c.slug, c.charter.name)),
            can_accept: false,
            can_decline: false,
            can_withdraw: false,
            can_end: false,
            m,
        }),
        Err(e) => Err(e),
    }
}

/// The viewer accepts (`true`) or declines mentorship `id`; declining one's
/// own proposal takes it back.
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    accept: bool,
) -> Result<MentorshipView, WebError> {
    let v = seen_mentorship(state, user, id).await?;
    let me = user.person.id;
    let now = state.clock.now();
    let m = if !accept && v.can_withdraw {
        state.store.withdraw_mentorship(id, me, now).await?
    } else {
        state
            .store
            .answer_mentorship(id, me, v.side, accept, now)
            .await?
    };
    view(state, me, m).await
}

/// Either side ends active pair `id`.
pub async fn end(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<MentorshipView, WebError> {
    seen_mentorship(state, user, id).await?;
    let m = state
        .store
        .end_mentorship(id, user.person.id, state.clock.now())
        .await?;
    view(state, user.person.id, m).await
}

/// The viewer's capacity: (mentees at once, active pairs as mentor).
pub async fn capacity(state: &AppState, user: &CurrentUser) -> Result<(i64, i64), WebError> {
    places(state, user.person.id).await
}

/// Anyone's capacity: (mentees at once, active pairs as mentor).
pub async fn places(state: &AppState, me: i64) -> Result<(i64, i64), WebError> {
    let cap = state.store.mentor_capacity(me).await?;
    let active = state
        .store
        .mentorships_of(me)
        .await?
        .iter()
        .filter(|m| m.mentor.id == me && m.answers.status == Status::Active)
        .count() as i64;
    Ok((cap, active))
}

/// Sets the viewer's capacity (0 to stop taking mentees).
pub async fn set_capacity(
    state: &AppState,
    user: &CurrentUser,
    value: i64,
) -> Result<(), WebError> {
    let value = mentoring::capacity(value)?;
    state
        .store
        .set_mentor_capacity(user.person.id, value, state.clock.now())
        .await?;
    Ok(())
}

/// One small first step, ticked when done.
#[derive(Debug, Clone)]
pub struct Step {
    /// What to do.
    pub text: String,
    /// Where to do it.
    pub href: String,
    /// Done already (from what the member did).
    pub done: bool,
}

/// What a newcomer sees first in a community.
#[derive(Debug, Clone)]
pub struct StartHere {
    /// The viewer is a member.
    pub member: bool,
    /// The viewer joined less than [`NEWCOMER_DAYS`] ago.
    pub newcomer: bool,
    /// The most reused artifacts: (id, title, reuses).
    pub artifacts: Vec<(i64, String, i64)>,
    /// Open questions suited to newcomers: unsolved, not hidden, recent.
    pub questions: Vec<Thread>,
    /// The next gathering.
    pub gathering: Option<(SeriesRecord, domain::gathering::Occurrence)>,
    /// A suggested mentor (members of the community preferred).
    pub mentor: Option<Suggestion>,
    /// The viewer's open or active mentorships for this community.
    pub mentorships: Vec<MentorshipView>,
    /// Small first steps.
    pub steps: Vec<Step>,
}

/// The start-here page's contents for the viewer of `seen`.
pub async fn start_here(state: &AppState, seen: &Seen) -> Result<StartHere, WebError> {
    let c = &seen.community;
    let now = state.clock.now();
    let artifacts = state.store.most_reused_artifacts(c.id, 3).await?;
    let questions = newcomer_questions(state, c.id, now).await?;
    let gathering = crate::gathering_service::upcoming(state, c, 1)
        .await?
        .into_iter()
        .next();
    let member = seen.role.is_some();
    let mentorships: Vec<MentorshipView> = mine(state, &seen.user)
        .await?
        .into_iter()
        .filter(|v| {
            v.m.answers.status.is_open() && v.m.community.as_ref().map(|x| x.0) == Some(c.id)
        })
        .collect();
    let mentor = if member && mentorships.iter().all(|v| v.side != Side::Mentee) {
        suggestions(state, &seen.user, Some(c), 1)
            .await?
            .into_iter()
            .next()
    } else {
        None
    };
    let joined = state.store.member_since(c.id, seen.me()).await?;
    let newcomer = joined.is_some_and(|at| now - at < Duration::days(NEWCOMER_DAYS));
    let done = if member {
        state.store.first_steps(c.id, seen.me()).await?
    } else {
        FirstSteps::default()
    };
    let slug = &c.slug;
    let mut steps = vec![
        Step {
            text: "Introduce yourself: open a thread saying who you are and what you hope to learn"
                .into(),
            href: format!("/communities/{slug}/threads/new"),
            done: done.posted,
        },
        Step {
            text: "Ask to be mentored".into(),
            href: "#mentor-h".into(),
            done: done.mentored,
        },
        Step {
            text: "Mark a post that helped you “helpful”".into(),
            href: format!("/communities/{slug}/threads"),
            done: done.reacted_helpful,
        },
    ];
    if let Some((r, _)) = &gathering {
        steps.push(Step {
            text: format!("Answer the RSVP for {}", r.title),
            href: format!("/gatherings/{}", r.id),
            done: done.rsvped,
        });
    }
    if let Some((id, title, _)) = artifacts.first() {
        steps.push(Step {
            text: format!("Read “{title}”, and record that you used it when it helps"),
            href: format!("/artifacts/{id}"),
            done: done.reused,
        });
    }
    Ok(StartHere {
        member,
        newcomer,
        artifacts,
        questions,
        gathering,
        mentor,
        mentorships,
        steps,
    })
}

/// Unsolved questions of the last [`QUESTION_DAYS`], the ones nobody
/// answered first, at most five.
async fn newcomer_questions(
    state: &AppState,
    community: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Thread>, WebError> {
    let wanted = state.store.help_wanted(community, now, 10).await?;
    let since = now - Duration::days(QUESTION_DAYS);
    Ok(wanted
        .unanswered
        .into_iter()
        .chain(wanted.overdue)
        .chain(wanted.unsolved)
        .filter(|t| t.created_at >= since)
        .take(5)
        .collect())
}
