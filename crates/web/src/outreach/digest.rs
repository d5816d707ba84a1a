//! The weekly digest of one member: new threads in their communities since
//! their last digest, unanswered questions they could answer (tags that meet
//! their declared skills, what they can teach and what they answered
//! before), stale artifacts they own and the next gatherings of their
//! communities. The same digest is the `/digest` page, the API's
//! `/api/v1/me/digest` and the e-mail (plain text and HTML) the worker sends
//! once a week to each member who has not turned it off.

use askama::Template;
use chrono::{DateTime, Duration, Utc};
use domain::gathering::OccurrenceStatus;
use store::outreach::{DIGEST_EVERY_DAYS, DigestThread, DueDigest};
use store::people::Person;

use crate::AppState;
use crate::error::WebError;
use crate::gathering_service;

/// Most new threads a digest lists.
pub const NEW_THREADS: i64 = 20;
/// Most questions a digest suggests.
pub const QUESTIONS: usize = 10;
/// Most stale artifacts a digest lists.
pub const STALE: i64 = 10;
/// Most gatherings a digest lists, and how far ahead it looks.
pub const GATHERINGS: usize = 10;
/// How far ahead a digest looks for gatherings, in days.
pub const GATHERINGS_AHEAD_DAYS: i64 = 14;
/// Members e-mailed per round of the worker.
const PER_ROUND: i64 = 50;

/// One entry of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestLine {
    /// The thread, artifact or series id.
    pub id: i64,
    /// What it is called.
    pub title: String,
    /// Its page, as a path (`/threads/12`).
    pub path: String,
    /// The community's address.
    pub community_slug: String,
    /// The community's name.
    pub community_name: String,
    /// What it is and why it is here, in words.
    pub detail: String,
    /// When it was opened, fell due, or starts.
    pub at: DateTime<Utc>,
}

/// A member's digest over `[since, until)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// Whose it is.
    pub name: String,
    /// From when.
    pub since: DateTime<Utc>,
    /// Until when.
    pub until: DateTime<Utc>,
    /// New threads in their communities.
    pub new_threads: Vec<DigestLine>,
    /// Unanswered questions they could answer.
    pub questions: Vec<DigestLine>,
    /// Stale artifacts they own.
    pub stale: Vec<DigestLine>,
    /// Next gatherings in their communities.
    pub gatherings: Vec<DigestLine>,
}

impl Digest {
    /// Whether there is nothing to tell.
    pub fn is_empty(&self) -> bool {
        self.new_threads.is_empty()
            && self.questions.is_empty()
            && self.stale.is_empty()
            && self.gatherings.is_empty()
    }
}

fn thread_line(t: DigestThread, detail: String) -> DigestLine {
    DigestLine {
        id: t.thread.id,
        path: format!("/threads/{}", t.thread.id),
        title: t.thread.title,
        community_slug: t.community_slug,
        community_name: t.community_name,
        detail,
        at: t.thread.created_at,
    }
}

fn by_whom(t: &DigestThread) -> String {
    match &t.thread.author {
        Some(a) => format!("{} by {}", t.thread.thread_type.label(), a.name),
        None => format!("{} asked anonymously", t.thread.thread_type.label()),
    }
}

/// Where the digest of `person` starts: their last digest, or a week ago.
pub async fn since_last(
    state: &AppState,
    person: i64,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, WebError> {
    let pref = state.store.digest_preference(person).await?;
    Ok(pref
        .last_sent_at
        .filter(|at| *at < now)
        .unwrap_or(now - Duration::days(DIGEST_EVERY_DAYS)))
}

/// The digest of `person` over `[since, until)`.
pub async fn compose(
    state: &AppState,
    person: &Person,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Digest, WebError> {
    let store = &state.store;
    let zone = domain::person::time_zone(&person.time_zone).unwrap_or(chrono_tz::UTC);
    let new_threads = store
        .digest_new_threads(person.id, since, until, NEW_THREADS)
        .await?
        .into_iter()
        .map(|t| {
            let detail = by_whom(&t);
            thread_line(t, detail)
        })
        .collect();
    let topics = store.digest_topics(person.id).await?;
    let questions = store
        .digest_questions(person.id, &topics, QUESTIONS)
        .await?
        .into_iter()
        .map(|t| {
            let detail = format!(
                "{}, unanswered — tagged {}, which you know",
                by_whom(&t),
                t.matched.join(", ")
            );
            thread_line(t, detail)
        })
        .collect();
    let mut stale = Vec::new();
    for a in store
        .stale_artifacts(None, Some(person.id), until, STALE)
        .await?
    {
        let c = store.community(a.community_id).await?;
        stale.push(DigestLine {
            id: a.id,
            path: format!("/artifacts/{}", a.id),
            detail: format!(
                "{} you own; its review was due {}",
                a.content.kind.label(),
                a.due_at().with_timezone(&zone).format("%-d %b %Y")
            ),
            at: a.due_at(),
            title: a.content.title,
            community_slug: c.slug,
            community_name: c.charter.name,
        });
    }
    let mut gatherings = Vec::new();
    let horizon = until + Duration::days(GATHERINGS_AHEAD_DAYS);
    for pc in store.communities_of(person.id, Some(person.id)).await? {
        let Some(c) = store.community_by_slug(&pc.slug).await? else {
            continue;
        };
        for (series, o) in gathering_service::upcoming(state, &c, GATHERINGS).await? {
            if o.start >= horizon || o.status == OccurrenceStatus::Cancelled {
                continue;
            }
            gatherings.push(DigestLine {
                id: series.id,
                path: format!("/gatherings/{}", series.id),
                detail: format!(
                    "{} {}",
                    series.format.label(),
                    o.start
                        .with_timezone(&zone)
                        .format("%a %-d %b %Y, %H:%M %Z")
                ),
                at: o.start,
                title: series.title,
                community_slug: c.slug.clone(),
                community_name: c.charter.name.clone(),
            });
        }
    }
    gatherings.sort_by_key(|g| (g.at, g.id));
    gatherings.truncate(GATHERINGS);
    Ok(Digest {
        name: person.display_name.clone(),
        since,
        until,
        new_threads,
        questions,
        stale,
        gatherings,
    })
}

#[derive(Template)]
#[template(path = "digest_email.txt")]
struct DigestText<'a> {
    d: &'a Digest,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "digest_email.html")]
struct DigestHtml<'a> {
    d: &'a Digest,
    base: &'a str,
    sections: Vec<(&'static str, &'a [DigestLine])>,
}

/// The subject, plain text and HTML of `digest` as an e-mail.
pub fn email(state: &AppState, digest: &Digest) -> Result<(String, String, String), WebError> {
    let base = state.outreach.link("");
    let subject = format!(
        "Your Guildhall digest: {} new threads, {} questions you could answer",
        digest.new_threads.len(),
        digest.questions.len()
    );
    let text = DigestText {
        d: digest,
        base: &base,
    }
    .render()
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let html = DigestHtml {
        d: digest,
        base: &base,
        sections: vec![
            ("New threads", &digest.new_threads),
            ("Questions you could answer", &digest.questions),
            ("Your artifacts due for review", &digest.stale),
            ("Next gatherings", &digest.gatherings),
        ],
    }
    .render()
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((subject, text, html))
}

/// E-mails the digest of `person` covering `[since, now)`.
async fn mail(state: &AppState, person: &Person, digest: &Digest) -> Result<(), WebError> {
    let mailer = state.outreach.mailer().ok_or_else(|| WebError::Conflict {
        field: "email".into(),
        message: "this server sends no e-mail: no mail relay is configured".into(),
    })?;
    let (subject, text, html) = email(state, digest)?;
    mailer
        .send((&person.email, &person.display_name), &subject, text, html)
        .await
        .map_err(|e| WebError::Unavailable(format!("the digest could not be e-mailed: {e}")))
}

/// Sends the digest of one member whose digest is due, if no other server
/// did: claims it, e-mails it (an empty digest is not sent, but counts),
/// and gives the claim back if the mail could not go. True when e-mailed.
pub async fn send_one(state: &AppState, due: &DueDigest) -> Result<bool, WebError> {
    let now = state.clock.now();
    if !state
        .store
        .claim_digest(due.person_id, due.last_sent_at, now)
        .await?
    {
        return Ok(false);
    }
    let person = state.store.person(due.person_id).await?;
    let since = due
        .last_sent_at
        .unwrap_or(now - Duration::days(DIGEST_EVERY_DAYS));
    let digest = compose(state, &person, since, now).await?;
    if digest.is_empty() {
        return Ok(false);
    }
    if let Err(e) = mail(state, &person, &digest).await {
        state
            .store
            .release_digest(due.person_id, due.last_sent_at, now)
            .await?;
        return Err(e);
    }
    Ok(true)
}

/// One round of the digest worker: every member whose digest is due.
/// Returns how many were e-mailed; a member whose mail fails is logged and
/// tried again next round.
pub async fn send_due(state: &AppState) -> Result<usize, WebError> {
    let due = state
        .store
        .due_digests(state.clock.now(), PER_ROUND)
        .await?;
    let mut sent = 0;
    for d in &due {
        match send_one(state, d).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(person = d.person_id, error = %e, "a digest e-mail failed"),
        }
    }
    Ok(sent)
}

/// E-mails `person` their digest now, at their request: it covers what
/// happened since their last one, and the next weekly one a week from now.
pub async fn send_now(state: &AppState, person: &Person) -> Result<(), WebError> {
    let now = state.clock.now();
    let pref = state.store.digest_preference(person.id).await?;
    let since = since_last(state, person.id, now).await?;
    let digest = compose(state, person, since, now).await?;
    mail(state, person, &digest).await?;
    state
        .store
        .claim_digest(person.id, pref.last_sent_at, now)
        .await?;
    Ok(())
}
