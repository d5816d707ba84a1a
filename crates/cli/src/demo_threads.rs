//! The demo's shared space: a few conversations in two open communities, so
//! the threads, help-wanted, search and notification pages have something
//! to show: a solved question with code, an anonymous question still
//! waiting, a war story, a show-and-tell with reactions and kudos. They are
//! written through the store like any member's posts, so their activity
//! events reach the health figures.

use chrono::{DateTime, Duration, Utc};
use domain::thread::{Reaction, ThreadType};
use store::Store;
use store::threads::{NewReply, NewThread, ThreadFilter};

/// A post in the demo: who (an index into the demo's people) and what.
struct Post {
    by: usize,
    body: &'static str,
}

struct DemoThread {
    community: &'static str,
    kind: ThreadType,
    anonymous: bool,
    title: &'static str,
    tags: &'static [&'static str],
    opening: Post,
    replies: &'static [Post],
    /// Index into `replies` of the accepted answer.
    accepted: Option<usize>,
    days_ago: i64,
}

const THREADS: &[DemoThread] = &[
    DemoThread {
        community: "observability-guild",
        kind: ThreadType::Question,
        anonymous: false,
        title: "How do we alert on error budgets instead of raw error rates?",
        tags: &["alerting", "slo"],
        opening: Post {
            by: 1,
            body: "Our pager goes off for every blip in the 5xx rate. Is there a way to alert on how fast we burn the error budget instead?",
        },
        replies: &[
            Post {
                by: 0,
                body: "Use two burn-rate windows, a fast one and a slow one, and page only when both agree:\n\n```yaml\n- alert: ErrorBudgetBurn\n  expr: |\n    slo:burn_rate:1h > 14.4 and slo:burn_rate:5m > 14.4\n  labels:\n    severity: page\n```\n\nThe slow window stops the blips; the fast one makes it reset quickly.",
            },
            Post {
                by: 7,
                body: "We did this in Payments last quarter: pages went from ~40 a week to 6. Happy to pair on it, @lukas.becker.",
            },
        ],
        accepted: Some(0),
        days_ago: 20,
    },
    DemoThread {
        community: "observability-guild",
        kind: ThreadType::Question,
        anonymous: true,
        title: "What is the difference between a trace and a span?",
        tags: &["tracing", "basics"],
        opening: Post {
            by: 13,
            body: "I keep nodding along in reviews but I am not sure I could explain it. Is a span just a small trace?",
        },
        replies: &[],
        accepted: None,
        days_ago: 9,
    },
    DemoThread {
        community: "observability-guild",
        kind: ThreadType::Story,
        anonymous: false,
        title: "The dashboard that was green during the outage",
        tags: &["dashboards", "incident"],
        opening: Post {
            by: 2,
            body: "Every panel was green for 40 minutes while checkout failed: the dashboard averaged over all regions, and only one region was down.\n\n**Lesson:** show the worst region, not the average.",
        },
        replies: &[Post {
            by: 9,
            body: "Same thing happened to us with p50 latency. We now show p99 per region by default.",
        }],
        accepted: None,
        days_ago: 14,
    },
    DemoThread {
        community: "front-end-craft",
        kind: ThreadType::ShowAndTell,
        anonymous: false,
        title: "A performance budget check in CI",
        tags: &["performance", "ci"],
        opening: Post {
            by: 4,
            body: "We now fail the build when the main bundle grows past 170 kB gzipped. The check is 30 lines; details in the thread.",
        },
        replies: &[Post {
            by: 6,
            body: "Lovely. Could it comment on the pull request with the size difference instead of only failing?",
        }],
        accepted: None,
        days_ago: 5,
    },
];

/// Writes the demo's conversations into communities that have none yet;
/// returns how many threads were added.
pub async fn load(store: &Store, people: &[i64], now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut added = 0;
    for t in THREADS {
        let Some(community) = store.community_id(t.community).await? else {
            continue;
        };
        let existing = store
            .threads(community, &ThreadFilter::default(), None, 50)
            .await?;
        if existing.iter().any(|e| e.title == t.title) {
            continue;
        }
        let at = now - Duration::days(t.days_ago);
        let id = store
            .open_thread(
                &NewThread {
                    community_id: community,
                    author_id: people[t.opening.by],
                    anonymous: t.anonymous,
                    thread_type: t.kind,
                    title: t.title.into(),
                    body: t.opening.body.into(),
                    tags: t.tags.iter().map(|s| (*s).to_owned()).collect(),
                },
                at,
            )
            .await?;
        let mut reply_ids = Vec::new();
        for (k, r) in t.replies.iter().enumerate() {
            let reply_at = at + Duration::hours(3 + 20 * k as i64);
            reply_ids.push(
                store
                    .reply(
                        &NewReply {
                            thread_id: id,
                            author_id: people[r.by],
                            body: r.body.into(),
                            quote_of: None,
                        },
                        reply_at,
                    )
                    .await?,
            );
        }
        if let Some(k) = t.accepted {
            store
                .accept_answer(id, reply_ids[k], at + Duration::days(1))
                .await?;
            let asker = people[t.opening.by];
            store
                .react(
                    id,
                    Some(reply_ids[k]),
                    asker,
                    Reaction::Helpful,
                    true,
                    at + Duration::days(1),
                )
                .await?;
            store
                .give_kudos(
                    id,
                    Some(reply_ids[k]),
                    asker,
                    "This cut our pages by half.",
                    at + Duration::days(2),
                )
                .await?;
        }
        if let Some(first) = t.replies.first() {
            store
                .react(
                    id,
                    None,
                    people[first.by],
                    Reaction::Thanks,
                    true,
                    at + Duration::hours(4),
                )
                .await?;
        }
        added += 1;
    }
    Ok(added)
}
