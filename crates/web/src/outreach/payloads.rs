//! What a webhook receives: one JSON object per event, written when the
//! event is queued. Every payload has `id` (stable for the event, for
//! receivers to drop repeats), `event`, `occurred_at`, `community`, a
//! one-line `text` for chat tools and the object it is about. The asker of
//! an anonymous question is never named, nor the anonymous asker's answer's
//! author; hidden threads and draft artifacts are not sent (the delivery
//! log says why).

use domain::gathering::plan::OccurrenceRef;
use serde_json::{Value, json};
use store::outreach::deliveries::{GATHERING_SCHEDULED, HookEvent, Queued, Source};
use store::threads::Author;

use crate::AppState;
use crate::error::WebError;

/// Every event a webhook can receive, with how it reads.
pub const EVENTS: [(&str, &str); 5] = [
    ("thread_opened", "New threads"),
    ("answer_accepted", "Accepted answers"),
    ("artifact_created", "New artifacts"),
    (GATHERING_SCHEDULED, "New gatherings"),
    ("gathering_held", "Gatherings held"),
];

fn person(a: &Option<Author>) -> Value {
    match a {
        Some(a) => json!({"id": a.id, "name": a.name}),
        None => Value::Null,
    }
}

fn name_of(a: &Option<Author>, anonymous: &str) -> String {
    a.as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| anonymous.to_owned())
}

fn subject_id(e: &HookEvent, prefix: &str) -> Option<String> {
    e.subject
        .as_deref()
        .and_then(|s| s.strip_prefix(prefix))
        .map(str::to_owned)
}

/// The payload of `e`, or why nothing is sent.
pub async fn payload(state: &AppState, e: &HookEvent) -> Result<Queued, WebError> {
    match build(state, e).await {
        Err(WebError::NotFound) => Ok(Queued::Skip("it no longer exists".into())),
        other => other,
    }
}

async fn build(state: &AppState, e: &HookEvent) -> Result<Queued, WebError> {
    let store = &state.store;
    let link = |path: String| state.outreach.link(&path);
    let c = store.community(e.community_id).await?;
    let community = json!({
        "id": c.id, "slug": c.slug, "name": c.charter.name,
        "url": link(format!("/communities/{}", c.slug)),
    });
    let (id, text, key, object) = match (e.source, e.event.as_str()) {
        (Source::Activity(n), kind @ ("thread_opened" | "answer_accepted")) => {
            let id: i64 = subject_id(e, "thread-")
                .and_then(|s| s.parse().ok())
                .ok_or(WebError::NotFound)?;
            let t = store.thread(id).await?;
            if t.hidden_at.is_some() {
                return Ok(Queued::Skip("the thread is hidden".into()));
            }
            let url = link(format!("/threads/{}", t.id));
            let mut thread = json!({
                "id": t.id, "type": t.thread_type.as_str(), "title": t.title, "tags": t.tags,
                "url": url, "author": person(&t.author), "created_at": t.created_at.to_rfc3339(),
            });
            let text = if kind == "thread_opened" {
                let by = name_of(&t.author, "someone asking anonymously");
                format!(
                    "{} in {}: “{}” by {by} — {url}",
                    t.thread_type.label(),
                    c.charter.name,
                    t.title
                )
            } else {
                let Some(reply) = t.accepted_reply_id else {
                    return Ok(Queued::Skip("the answer is no longer accepted".into()));
                };
                let r = store.reply_by_id(reply).await?;
                let answerer = if r.anonymous { None } else { r.author };
                thread["accepted_answer"] = json!({
                    "id": r.id, "author": person(&answerer),
                    "url": format!("{url}#reply-{}", r.id),
                });
                format!(
                    "Answer accepted in {}: “{}”, answered by {} — {url}",
                    c.charter.name,
                    t.title,
                    name_of(&answerer, "the asker")
                )
            };
            (format!("activity-{n}"), text, "thread", thread)
        }
        (Source::Activity(n), "artifact_created") => {
            let id: i64 = subject_id(e, "artifact-")
                .and_then(|s| s.parse().ok())
                .ok_or(WebError::NotFound)?;
            let a = store.artifact(id).await?;
            if a.state != domain::practice::ArtifactState::Published {
                return Ok(Queued::Skip("the artifact is a draft".into()));
            }
            let url = link(format!("/artifacts/{}", a.id));
            let text = format!(
                "New {} in {}: “{}” by {} — {url}",
                a.content.kind.label().to_lowercase(),
                c.charter.name,
                a.content.title,
                name_of(&a.created_by, "someone")
            );
            let artifact = json!({
                "id": a.id, "kind": a.content.kind.as_str(), "title": a.content.title,
                "tags": a.content.tags, "url": url, "owner": person(&a.owner),
                "review_days": a.content.review_days, "created_at": a.created_at.to_rfc3339(),
            });
            (format!("activity-{n}"), text, "artifact", artifact)
        }
        (Source::Activity(n), "gathering_held") => {
            let r = subject_id(e, "gathering-")
                .and_then(|k| OccurrenceRef::parse(&k))
                .ok_or(WebError::NotFound)?;
            let s = store.series(r.series).await?;
            let o = s.occurrence(r.recurrence_id);
            let start = o
                .and_then(|o| o.moved.map(|(at, _)| at))
                .unwrap_or(r.recurrence_id);
            let facilitator = match e.actor_id {
                Some(p) => Some(Author {
                    id: p,
                    name: store.person(p).await?.display_name,
                }),
                None => None,
            };
            let url = link(format!("/occurrences/{}", r.key()));
            let text = format!(
                "Held in {}: “{}” of {}, facilitated by {} — {url}",
                c.charter.name,
                s.title,
                start.format("%Y-%m-%d"),
                name_of(&facilitator, "nobody named")
            );
            let gathering = json!({
                "series_id": s.id, "occurrence": r.key(), "title": s.title,
                "format": s.format.as_str(), "starts_at": start.to_rfc3339(),
                "facilitator": person(&facilitator), "url": url,
            });
            (format!("activity-{n}"), text, "gathering", gathering)
        }
        (Source::Series(n), _) => {
            let s = store.series(n).await?;
            let url = link(format!("/gatherings/{}", s.id));
            let text = format!(
                "New gathering in {}: “{}”, first on {} ({}) — {url}",
                c.charter.name,
                s.title,
                s.local_start.format("%Y-%m-%d %H:%M"),
                s.time_zone
            );
            let gathering = json!({
                "series_id": s.id, "title": s.title, "format": s.format.as_str(),
                "rrule": s.rrule, "time_zone": s.time_zone,
                "first_start": s.first_start.to_rfc3339(),
                "duration_minutes": s.duration_minutes, "url": url,
            });
            (format!("series-{n}"), text, "gathering", gathering)
        }
        (_, other) => return Ok(Queued::Skip(format!("{other} is not sent to webhooks"))),
    };
    let mut body = json!({
        "id": id,
        "event": e.event,
        "occurred_at": e.at.to_rfc3339(),
        "community": community,
        "text": text,
    });
    body[key] = object;
    Ok(Queued::Send(body.to_string()))
}
