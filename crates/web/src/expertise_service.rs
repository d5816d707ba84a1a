//! Who knows what and who could answer: the expertise directory, a person's expertise, suggested answerers, as pages and API both use them.
//!
//! Privacy: the directory and a person's expertise read evidence from open
//! communities and the private ones the viewer belongs to. Suggestions for
//! a question read evidence from open communities and the question's own
//! community only, so every viewer who can see the question sees the same
//! list, built from evidence they may all see. The asker is never
//! suggested. For an anonymous question the list is ranked with the asker
//! among the candidates, the asker is then dropped without anyone taking
//! their place, and the list is shown to the asker alone (everyone else is
//! told suggestions are private): so a missing name or a fourth person
//! moving up can never point at who asked. Notified people are told only
//! of themselves.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Duration;
use domain::expertise::{self, Candidate, Claim, SUGGESTIONS, Suggestion};
use domain::person::WorkingHours;
use domain::thread::ThreadType;
use store::expertise::{EvidenceQuery, ExpertiseSettings, Named, Scope};

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::shared_space::{self, SeenThread};

/// Most people the directory lists for one topic.
pub const DIRECTORY_LIMIT: usize = 50;
/// Most claims shown for one person.
pub const PERSON_CLAIMS: usize = 12;

/// A claim as shown: the topic, its score and its evidence in words.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimView {
    /// The topic.
    pub topic: String,
    /// The score, rounded to a tenth.
    pub score: f64,
    /// The level declared, if any (`beginner`, `practitioner`, `expert`).
    pub declared: Option<&'static str>,
    /// The evidence in words, the declared skill first.
    pub evidence: Vec<String>,
}

impl From<&Claim> for ClaimView {
    fn from(c: &Claim) -> Self {
        Self {
            topic: c.topic.clone(),
            score: (c.score * 10.0).round() / 10.0,
            declared: c.declared.map(|l| l.as_str()),
            evidence: c.lines(),
        }
    }
}

/// A person's expertise as the viewer may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonExpertise {
    /// Their claims, strongest first.
    pub claims: Vec<ClaimView>,
    /// The viewer's own settings, when it is their own page.
    pub own: Option<ExpertiseSettings>,
}

/// One row of the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryEntry {
    /// Who.
    pub person: Named,
    /// Their claim on the topic.
    pub claim: ClaimView,
}

/// The directory for a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    /// The topic, normalised (empty when none was asked for).
    pub topic: String,
    /// The people with a claim on it, strongest first.
    pub people: Vec<DirectoryEntry>,
    /// Topics in use containing what was asked (or the most used), with uses.
    pub topics: Vec<(String, i64)>,
}

/// A suggested answerer as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionView {
    /// Who.
    pub person: Named,
    /// The ranking score, rounded to a tenth.
    pub score: f64,
    /// In their working hours now.
    pub working_now: bool,
    /// Answers in the last [`expertise::LOAD_DAYS`] days.
    pub recent_answers: u32,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// Suggested answerers of a thread, or why there are none to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested {
    /// The people, best first.
    pub people: Vec<SuggestionView>,
    /// Why the list is empty or kept, when it is.
    pub note: Option<&'static str>,
}

/// How long one server reuses a named question's suggestions while the
/// thread stays the same version: its page is read far more often than
/// evidence, hours and load change.
pub const REUSE_MINUTES: i64 = 10;

/// Suggested answerers of named questions, per server, by (thread,
/// version, [`REUSE_MINUTES`] slot). The database stays the source of
/// truth; a cached list is at most that old.
#[derive(Clone)]
pub struct SuggestionCache(Arc<quick_cache::sync::Cache<SlotKey, Arc<Vec<SuggestionView>>>>);

/// (thread, version, slot).
type SlotKey = (i64, i64, i64);

impl Default for SuggestionCache {
    fn default() -> Self {
        Self(Arc::new(quick_cache::sync::Cache::new(10_000)))
    }
}

/// Why an anonymous question's suggestions are not shown.
pub const ANONYMOUS_NOTE: &str = "Suggestions for an anonymous question are shown only to its asker, so that they cannot hint at who asked.";

/// The end of "before now" for evidence read live: what happened at this
/// very instant counts.
fn until(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    now + Duration::milliseconds(1)
}

/// A question being ranked for: where, on what, by whom.
struct Asked<'a> {
    community: i64,
    tags: &'a [String],
    text: String,
    asker: i64,
    anonymous: bool,
}

/// Up to three people most likely to answer a question on `tags` and
/// `text` in `community`, as of the clock's now, with evidence from before
/// then: what a thread's suggestions are made of (see [`for_seen`]), for
/// replays of history such as `examples/expertise_replay.rs`.
pub async fn suggest(
    state: &AppState,
    community: i64,
    tags: &[String],
    text: &str,
    asker: i64,
    anonymous: bool,
) -> Result<Vec<Suggestion>, WebError> {
    rank(
        state,
        &Asked {
            community,
            tags,
            text: text.to_owned(),
            asker,
            anonymous,
        },
    )
    .await
}

/// The people most likely to answer `q` as of now: a named asker is left
/// out before ranking; an anonymous asker is ranked and then dropped.
async fn rank(state: &AppState, q: &Asked<'_>) -> Result<Vec<Suggestion>, WebError> {
    let now = state.clock.now();
    let scope = Scope {
        viewer: None,
        community: Some(q.community),
    };
    let vocabulary: Vec<String> = state
        .store
        .topics_in_use(scope, "", 1000)
        .await?
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let topics = expertise::question_topics(q.tags, &q.text, &vocabulary);
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<String> = topics.iter().map(|(t, _)| t.clone()).collect();
    let contributions = state
        .store
        .contributions(&EvidenceQuery {
            scope,
            members_of: Some(q.community),
            topics: names.clone(),
            before: Some(until(now)),
            ..EvidenceQuery::default()
        })
        .await?;
    let skills = state
        .store
        .declared_skills(None, Some(q.community), &names)
        .await?;
    let mut claims = expertise::claims(&contributions, &skills, now);
    let members = state
        .store
        .answerers(
            q.community,
            scope,
            now - Duration::days(expertise::LOAD_DAYS),
            until(now),
        )
        .await?;
    let candidates: Vec<Candidate> = members
        .into_iter()
        .filter(|m| q.anonymous || m.id != q.asker)
        .filter_map(|m| {
            let claims = claims.remove(&m.id)?;
            let zone = domain::person::time_zone(&m.time_zone).unwrap_or(chrono_tz::UTC);
            let hours = WorkingHours::from_minutes(m.work_start, m.work_end);
            Some(Candidate {
                person: m.id,
                claims,
                working_now: expertise::working_now(hours, zone, now),
                recent_answers: u32::try_from(m.recent_answers).unwrap_or(u32::MAX),
            })
        })
        .collect();
    let mut ranked = expertise::suggest(&topics, &candidates, SUGGESTIONS);
    ranked.retain(|s| s.person != q.asker);
    Ok(ranked)
}

async fn views(state: &AppState, ranked: Vec<Suggestion>) -> Result<Vec<SuggestionView>, WebError> {
    let ids: Vec<i64> = ranked.iter().map(|s| s.person).collect();
    let mut names: BTreeMap<i64, Named> = state
        .store
        .named(&ids)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    Ok(ranked
        .into_iter()
        .filter_map(|s| {
            Some(SuggestionView {
                person: names.remove(&s.person)?,
                score: (s.score * 10.0).round() / 10.0,
                working_now: s.working_now,
                recent_answers: s.recent_answers,
                reasons: s.reasons(),
            })
        })
        .collect())
}

/// The suggested answerers of thread `id` for `user` (a 404 when they may
/// not see it). Only unsolved, visible questions have suggestions.
pub async fn for_thread(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<Suggested, WebError> {
    let seen = shared_space::seen_thread(state, user, id).await?;
    for_seen(state, &seen).await
}

/// The suggested answerers of a thread its viewer may see (with its tags).
pub async fn for_seen(state: &AppState, seen: &SeenThread) -> Result<Suggested, WebError> {
    let t = &seen.thread;
    let none = |note| Suggested {
        people: Vec::new(),
        note: Some(note),
    };
    if t.thread_type != ThreadType::Question {
        return Ok(none("Only questions have suggested answerers."));
    }
    if t.hidden_at.is_some() {
        return Ok(none("This question was hidden."));
    }
    if t.solved() {
        return Ok(none("This question is solved."));
    }
    if t.anonymous && !seen.is_asker {
        return Ok(none(ANONYMOUS_NOTE));
    }
    let slot = state.clock.now().timestamp() / (REUSE_MINUTES * 60);
    let key = (t.id, t.version, slot);
    if !t.anonymous
        && let Some(people) = state.answerers.0.get(&key)
    {
        return Ok(listed(people.as_ref().clone()));
    }
    let asker = match &t.author {
        Some(a) => a.id,
        // The viewer is the anonymous asker.
        None => seen.user.person.id,
    };
    let ranked = rank(
        state,
        &Asked {
            community: t.community_id,
            tags: &t.tags,
            text: format!("{}\n{}", t.title, domain::thread::plain_text(&t.body)),
            asker,
            anonymous: t.anonymous,
        },
    )
    .await?;
    let people = views(state, ranked).await?;
    if !t.anonymous {
        state.answerers.0.insert(key, Arc::new(people.clone()));
    }
    Ok(listed(people))
}

fn listed(people: Vec<SuggestionView>) -> Suggested {
    Suggested {
        note: people
            .is_empty()
            .then_some("No member has evidence on this question's topics yet."),
        people,
    }
}

/// The people who could answer a question being written in `seen`'s
/// community by the viewer (never the viewer).
pub async fn for_draft(
    state: &AppState,
    seen: &Seen,
    title: &str,
    body: &str,
    tags: &str,
    anonymous: bool,
) -> Result<Vec<SuggestionView>, WebError> {
    if seen.role.is_none() {
        return Ok(Vec::new());
    }
    // Tags still being typed may be unfinished: take the ones that are valid.
    let tags: Vec<String> = tags
        .split([',', ' ', '\n', '\t', ';'])
        .filter_map(|t| domain::thread::tags(t).ok())
        .flatten()
        .take(domain::thread::TAGS_MAX)
        .collect();
    let text: String = format!("{title}\n{}", domain::thread::plain_text(body))
        .chars()
        .take(20_000)
        .collect();
    let ranked = rank(
        state,
        &Asked {
            community: seen.community.id,
            tags: &tags,
            text,
            asker: seen.me(),
            anonymous,
        },
    )
    .await?;
    views(state, ranked).await
}

/// Tells the opted-in suggested answerers of question `thread`, just asked
/// by `asker` in `community`. Failing to tell them never fails the post:
/// the error is logged.
pub async fn question_posted(
    state: &AppState,
    thread: i64,
    community: i64,
    asker: i64,
    anonymous: bool,
) {
    let told = async {
        let t = state.store.thread(thread).await?;
        let ranked = rank(
            state,
            &Asked {
                community,
                tags: &t.tags,
                text: format!("{}\n{}", t.title, domain::thread::plain_text(&t.body)),
                asker,
                anonymous,
            },
        )
        .await?;
        let people: Vec<i64> = ranked.iter().map(|s| s.person).collect();
        let named = (!anonymous).then_some(asker);
        Ok::<_, WebError>(
            state
                .store
                .notify_suggested(thread, &people, named, state.clock.now())
                .await?,
        )
    };
    if let Err(e) = told.await {
        tracing::warn!(thread, error = %e, "suggested answerers were not notified");
    }
}

/// Person `id`'s expertise as `viewer` may see it: evidence from open
/// communities and the viewer's private ones; inferred evidence only if
/// the person has not hidden it (or is the viewer). Declared skills always.
pub async fn of_person(
    state: &AppState,
    viewer: i64,
    id: i64,
) -> Result<PersonExpertise, WebError> {
    let now = state.clock.now();
    state.store.person(id).await?;
    let contributions = state
        .store
        .contributions(&EvidenceQuery {
            scope: Scope {
                viewer: Some(viewer),
                community: None,
            },
            person: Some(id),
            before: Some(until(now)),
            reveal: Some(viewer),
            ..EvidenceQuery::default()
        })
        .await?;
    let skills = state.store.declared_skills(Some(id), None, &[]).await?;
    let claims = expertise::claims(&contributions, &skills, now)
        .remove(&id)
        .unwrap_or_default();
    Ok(PersonExpertise {
        claims: claims
            .iter()
            .take(PERSON_CLAIMS)
            .map(ClaimView::from)
            .collect(),
        own: if viewer == id {
            Some(state.store.expertise_settings(id).await?)
        } else {
            None
        },
    })
}

/// The expertise directory on `topic` for `viewer`.
pub async fn directory(state: &AppState, viewer: i64, topic: &str) -> Result<Directory, WebError> {
    let scope = Scope {
        viewer: Some(viewer),
        community: None,
    };
    if topic.trim().is_empty() {
        return Ok(Directory {
            topic: String::new(),
            people: Vec::new(),
            topics: state.store.topics_in_use(scope, "", 30).await?,
        });
    }
    let topic = domain::person::topic("topic", topic)?;
    let now = state.clock.now();
    let contributions = state
        .store
        .contributions(&EvidenceQuery {
            scope,
            topics: vec![topic.clone()],
            before: Some(until(now)),
            reveal: Some(viewer),
            ..EvidenceQuery::default()
        })
        .await?;
    let skills = state
        .store
        .declared_skills(None, None, std::slice::from_ref(&topic))
        .await?;
    let mut ranked = expertise::directory(expertise::claims(&contributions, &skills, now), &topic);
    ranked.truncate(DIRECTORY_LIMIT);
    let ids: Vec<i64> = ranked.iter().map(|(p, _)| *p).collect();
    let mut names: BTreeMap<i64, Named> = state
        .store
        .named(&ids)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    Ok(Directory {
        people: ranked
            .iter()
            .filter_map(|(p, c)| {
                Some(DirectoryEntry {
                    person: names.remove(p)?,
                    claim: ClaimView::from(c),
                })
            })
            .collect(),
        topics: state.store.topics_in_use(scope, &topic, 12).await?,
        topic,
    })
}

/// Saves `user`'s expertise settings.
pub async fn save_settings(
    state: &AppState,
    user: &CurrentUser,
    settings: ExpertiseSettings,
) -> Result<(), WebError> {
    Ok(state
        .store
        .set_expertise_settings(user.person.id, settings, state.clock.now())
        .await?)
}
