//! Writes a planned batch: reserves the ids of its new threads and replies
//! (above the highest on SQLite, whose write lock the import holds; from
//! the sequences on PostgreSQL, where other writers may be at work), then
//! writes each table's rows in multi-row statements — memberships, threads
//! and their tags, replies, first revisions, activity events, search index
//! rows, import keys, and the changes to threads written before (raising
//! their versions) — and the reactions one by one (each may be there
//! already).

use std::collections::HashMap;

use domain::community::MemberRole;
use sqlx::Row;

use super::plan::{Plan, Planned, Ref};
use super::{Facts, Outcome};
use crate::activity::{NewEvent, Recorded, append_recorded_all};
use crate::threads::{self, Written};
use crate::{Backend, StoreError, Tx, bulk, millis};

/// `n` unused ids of `table`.
async fn reserve(
    tx: &mut Tx,
    backend: Backend,
    table: &'static str,
    n: usize,
) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    match backend {
        Backend::Sqlite => {
            let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
            let max: i64 = sqlx::query_scalar(&sql).fetch_one(&mut **tx).await?;
            Ok((max + 1..=max + n as i64).collect())
        }
        Backend::Postgres => {
            let sql = format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
            );
            let rows = sqlx::query(&sql)
                .bind(n as i64)
                .fetch_all(&mut **tx)
                .await?;
            rows.iter()
                .map(|r| r.try_get(0).map_err(StoreError::from))
                .collect()
        }
    }
}

/// Writes `plan`; returns what became of each record, in order.
pub(super) async fn write(
    tx: &mut Tx,
    backend: Backend,
    plan: &Plan<'_>,
    facts: &HashMap<i64, Facts>,
) -> Result<Vec<Outcome>, StoreError> {
    let thread_ids = reserve(tx, backend, "threads", plan.threads.len()).await?;
    let reply_ids = reserve(tx, backend, "replies", plan.replies.len()).await?;
    let thread = |r: Ref| match r {
        Ref::Old(id) => id,
        Ref::New(n) => thread_ids[n],
    };
    let reply = |r: Ref| match r {
        Ref::Old(id) => id,
        Ref::New(n) => reply_ids[n],
    };

    bulk::values(
        tx,
        "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES",
        4,
        "",
        &plan.memberships,
        |q, (community, person, at)| {
            q.bind(*community)
                .bind(*person)
                .bind(MemberRole::Member.as_str())
                .bind(*at)
        },
    )
    .await?;

    let threads: Vec<(i64, &super::plan::NewThread<'_>)> = thread_ids
        .iter()
        .copied()
        .zip(plan.threads.iter())
        .collect();
    bulk::values(
        tx,
        "INSERT INTO threads (id, community_id, thread_type, title, body, author_id, anonymous, \
         created_at, last_activity_at, edited_at, reply_count, first_response_at, \
         accepted_reply_id, accepted_at) VALUES",
        14,
        "",
        &threads,
        |q, (id, t)| {
            q.bind(*id)
                .bind(t.community)
                .bind(t.opening.thread_type.as_str())
                .bind(t.opening.title.as_str())
                .bind(t.post.body.as_str())
                .bind(t.author)
                .bind(0_i64)
                .bind(millis(t.post.at))
                .bind(t.last_activity)
                .bind(t.post.edited_at.map(millis))
                .bind(t.replies)
                .bind(t.first_response)
                .bind(t.accepted.map(|(r, _)| reply(r)))
                .bind(t.accepted.map(|(_, at)| at))
        },
    )
    .await?;
    let tags: Vec<(i64, i64, &str)> = threads
        .iter()
        .flat_map(|(id, t)| {
            t.opening
                .tags
                .iter()
                .enumerate()
                .map(move |(n, tag)| (*id, n as i64, tag.as_str()))
        })
        .collect();
    bulk::values(
        tx,
        "INSERT INTO thread_tags (thread_id, tag, position) VALUES",
        3,
        "",
        &tags,
        |q, (id, position, tag)| q.bind(*id).bind(*tag).bind(*position),
    )
    .await?;

    let replies: Vec<(i64, i64, Option<i64>, &super::plan::NewReply<'_>)> = reply_ids
        .iter()
        .zip(plan.replies.iter())
        .map(|(id, r)| (*id, thread(r.thread), r.quote_of.map(reply), r))
        .collect();
    bulk::values(
        tx,
        "INSERT INTO replies (id, thread_id, author_id, anonymous, body, quote_of, created_at, edited_at) VALUES",
        8,
        "",
        &replies,
        |q, (id, thread, quote_of, r)| {
            q.bind(*id)
                .bind(*thread)
                .bind(r.author)
                .bind(0_i64)
                .bind(r.post.body.as_str())
                .bind(*quote_of)
                .bind(millis(r.post.at))
                .bind(r.post.edited_at.map(millis))
        },
    )
    .await?;

    let posts: Vec<(Written<'_>, Option<i64>, chrono::DateTime<chrono::Utc>)> = threads
        .iter()
        .map(|(id, t)| {
            (
                Written {
                    post: (*id, None),
                    title: Some(t.opening.title.as_str()),
                    tags: &t.opening.tags,
                    body: &t.post.body,
                },
                t.author,
                t.post.at,
            )
        })
        .chain(replies.iter().map(|(id, thread, _, r)| {
            (
                Written {
                    post: (*thread, Some(*id)),
                    title: None,
                    tags: &[],
                    body: &r.post.body,
                },
                r.author,
                r.post.at,
            )
        }))
        .collect();
    threads::record_first_revisions(tx, &posts).await?;

    let nobody = Facts::default();
    let facts_of = |id: i64| facts.get(&id).unwrap_or(&nobody);
    let events: Vec<Recorded<'_>> = plan
        .events
        .iter()
        .filter(|e| !facts_of(e.actor).bot)
        .map(|e| Recorded {
            event: NewEvent {
                at: e.at,
                community_id: e.community,
                actor_id: Some(e.actor),
                kind: e.kind,
                subject: e.thread.map(|t| threads::subject(thread(t))),
                reply_to: e.reply_to,
                thread_type: e.thread_type,
                ..NewEvent::default()
            },
            team: facts_of(e.actor).team.as_deref(),
            reply_to_team: e.reply_to.and_then(|p| facts_of(p).team.as_deref()),
        })
        .collect();
    append_recorded_all(tx, &events).await?;

    let written: Vec<Written<'_>> = posts.iter().map(|(w, _, _)| *w).collect();
    threads::search::index_new(tx, &written).await?;

    let keys: Vec<(&str, &str, i64, Option<i64>, i64)> = plan
        .keys
        .iter()
        .map(|k| (k.key, k.kind, thread(k.thread), k.reply.map(reply), k.at))
        .collect();
    bulk::values(
        tx,
        "INSERT INTO import_keys (source_key, kind, person_id, thread_id, reply_id, at) VALUES",
        6,
        "",
        &keys,
        |q, (key, kind, thread, reply, at)| {
            q.bind(*key)
                .bind(*kind)
                .bind(None::<i64>)
                .bind(*thread)
                .bind(*reply)
                .bind(*at)
        },
    )
    .await?;

    let replied: Vec<(i64, i64, i64, Option<i64>)> = plan
        .changes
        .iter()
        .filter_map(|(id, c)| Some((*id, c.replies, c.last_activity?, c.first_response)))
        .collect();
    bulk::values(
        tx,
        "UPDATE threads SET reply_count = threads.reply_count + v.column2, \
         last_activity_at = CASE WHEN threads.last_activity_at < v.column3 THEN v.column3 \
           ELSE threads.last_activity_at END, \
         first_response_at = CASE WHEN v.column4 IS NOT NULL AND (threads.first_response_at IS NULL \
           OR threads.first_response_at > v.column4) THEN v.column4 ELSE threads.first_response_at END, \
         version = threads.version + 1 FROM (VALUES",
        4,
        ") AS v WHERE threads.id = v.column1",
        &replied,
        |q, (id, n, last, first)| q.bind(*id).bind(*n).bind(*last).bind(*first),
    )
    .await?;
    let accepted: Vec<(i64, i64, i64)> = plan
        .changes
        .iter()
        .filter_map(|(id, c)| c.accepted.map(|(r, at)| (*id, reply(r), at)))
        .collect();
    bulk::values(
        tx,
        "UPDATE threads SET accepted_reply_id = v.column2, accepted_at = v.column3, \
         version = threads.version + 1 FROM (VALUES",
        3,
        ") AS v WHERE threads.id = v.column1",
        &accepted,
        |q, (id, r, at)| q.bind(*id).bind(*r).bind(*at),
    )
    .await?;

    let mut reacted = Vec::with_capacity(plan.reactions.len());
    for r in &plan.reactions {
        let done = sqlx::query(
            "INSERT INTO reactions (thread_id, reply_id, person_id, reaction, at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(thread(r.thread))
        .bind(r.reply.map(reply).unwrap_or(0))
        .bind(r.person)
        .bind(r.reaction.reaction.as_str())
        .bind(millis(r.reaction.at))
        .execute(&mut **tx)
        .await?;
        reacted.push(if done.rows_affected() == 0 {
            Outcome::Existing
        } else {
            threads::bump_version(tx, thread(r.thread)).await?;
            Outcome::Added
        });
    }

    Ok(plan
        .outcomes
        .iter()
        .map(|o| match o {
            Planned::Done(outcome) => *outcome,
            Planned::Thread(n) => Outcome::Thread(thread_ids[*n]),
            Planned::Reply(n) => Outcome::Reply(reply_ids[*n]),
            Planned::Reaction(n) => reacted[*n],
        })
        .collect())
}
