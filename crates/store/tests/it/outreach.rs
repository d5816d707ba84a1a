//! Outreach: the digest's new threads and the questions a member could
//! answer (their communities only, never their own, anonymous askers
//! unnamed), the digest e-mail's claim and opt-out, and the webhook queue:
//! each event once per webhook of its own community, after the webhook was
//! made, late commits caught by the look-back, claims and retries logged.

use chrono::Duration;
use domain::community::Visibility;
use domain::gathering::plan::Draft;
use domain::person::{ProfileDraft, Skill, SkillLevel};
use domain::thread::ThreadType;
use store::Store;
use store::outreach::deliveries::{Attempt, Cursors, GATHERING_SCHEDULED, Queued, Source};
use store::outreach::webhooks::{NewWebhook, WebhookChange};
use store::testing;
use store::threads::{NewReply, NewThread};

use crate::threads::charter;
use crate::{person, t0};

fn question(community: i64, author: i64, title: &str, tags: &[&str]) -> NewThread {
    NewThread {
        community_id: community,
        author_id: author,
        anonymous: false,
        thread_type: ThreadType::Question,
        title: title.into(),
        body: "How?".into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

async fn knows(s: &Store, id: i64, name: &str, skill: &str, teaches: &str) {
    let p = ProfileDraft {
        display_name: name.into(),
        skills: vec![Skill {
            name: skill.into(),
            level: SkillLevel::Expert,
        }],
        can_teach: vec![teaches.into()],
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.update_profile(id, &p, t0()).await.unwrap();
}

fn titles(list: &[store::outreach::DigestThread]) -> Vec<&str> {
    list.iter().map(|t| t.thread.title.as_str()).collect()
}

#[tokio::test]
async fn a_digest_lists_new_threads_and_questions_a_member_could_answer() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let open = s
            .create_community(&charter("platform", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let private = s
            .create_community(&charter("inner-circle", Visibility::Private), ada, t0())
            .await
            .unwrap();
        s.join_community(open, bob, t0()).await.unwrap();
        knows(s, bob, "Bob", "Kubernetes", "release process").await;

        let early = t0() + Duration::hours(1);
        s.open_thread(
            &question(open, ada, "Before the digest", &["kubernetes"]),
            early,
        )
        .await
        .unwrap();
        let since = t0() + Duration::days(1);
        let at = since + Duration::hours(1);
        s.open_thread(
            &question(open, ada, "Pods keep restarting", &["kubernetes"]),
            at,
        )
        .await
        .unwrap();
        s.open_thread(&question(open, ada, "Sourdough starter", &["baking"]), at)
            .await
            .unwrap();
        s.open_thread(
            &question(open, ada, "Cutting a release", &["release-process"]),
            at,
        )
        .await
        .unwrap();
        s.open_thread(
            &question(private, ada, "Secret kubernetes plans", &["kubernetes"]),
            at,
        )
        .await
        .unwrap();
        let hidden = s
            .open_thread(
                &question(open, ada, "Spam about kubernetes", &["kubernetes"]),
                at,
            )
            .await
            .unwrap();
        s.hide_post((hidden, None), true, at).await.unwrap();
        s.open_thread(
            &question(open, bob, "Bob's own kubernetes question", &["kubernetes"]),
            at,
        )
        .await
        .unwrap();
        let mut anonymous = question(open, bob, "Bob asks kubernetes quietly", &["kubernetes"]);
        anonymous.anonymous = true;
        s.open_thread(&anonymous, at).await.unwrap();
        let mut theirs = question(
            open,
            ada,
            "Someone asks kubernetes quietly",
            &["kubernetes"],
        );
        theirs.anonymous = true;
        s.open_thread(&theirs, at).await.unwrap();
        // Bob answered a question tagged "tracing" before: he knows it.
        let answered = s
            .open_thread(&question(open, ada, "Span names", &["tracing"]), early)
            .await
            .unwrap();
        s.reply(
            &NewReply {
                thread_id: answered,
                author_id: bob,
                body: "Use the route.".into(),
                quote_of: None,
            },
            early,
        )
        .await
        .unwrap();
        s.open_thread(&question(open, ada, "Sampling traces", &["tracing"]), at)
            .await
            .unwrap();

        let now = since + Duration::days(2);
        let new = s.digest_new_threads(bob, since, now, 50).await.unwrap();
        let mut got = titles(&new);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                "Cutting a release",
                "Pods keep restarting",
                "Sampling traces",
                "Someone asks kubernetes quietly",
                "Sourdough starter",
            ],
            "new threads of his communities since the last digest, not his own, not hidden, not private"
        );
        let quiet = new
            .iter()
            .find(|t| t.thread.title == "Someone asks kubernetes quietly")
            .unwrap();
        assert!(
            quiet.thread.author.is_none(),
            "the anonymous asker is never named"
        );
        assert_eq!(quiet.community_slug, "platform");

        let topics = s.digest_topics(bob).await.unwrap();
        assert!(topics.contains("kubernetes") && topics.contains("release-process"));
        assert!(
            topics.contains("tracing"),
            "tags of questions he answered: {topics:?}"
        );
        let questions = s.digest_questions(bob, &topics, 10).await.unwrap();
        assert_eq!(
            titles(&questions),
            [
                "Before the digest",
                "Pods keep restarting",
                "Cutting a release",
                "Someone asks kubernetes quietly",
                "Sampling traces",
            ],
            "unanswered, matching, oldest first; his own (anonymous too) and private ones left out"
        );
        assert_eq!(questions[2].matched, ["release-process"]);
        assert_eq!(
            s.digest_questions(bob, &topics, 2).await.unwrap().len(),
            2,
            "the limit holds"
        );
        assert!(
            s.digest_questions(bob, &Default::default(), 10)
                .await
                .unwrap()
                .is_empty()
        );
        // Ada, in both communities, sees the private question; it has no response yet.
        let ada_topics = ["kubernetes".to_owned()].into_iter().collect();
        let hers = s.digest_questions(ada, &ada_topics, 10).await.unwrap();
        assert_eq!(
            titles(&hers),
            [
                "Bob's own kubernetes question",
                "Bob asks kubernetes quietly"
            ],
            "her own questions and the hidden one are left out"
        );
    }
}

#[tokio::test]
async fn a_digest_email_goes_once_a_week_unless_turned_off() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let bot = person(s, "bot@x.org", "Bot").await;
        let loner = person(s, "loner@x.org", "Loner").await;
        let c = s
            .create_community(&charter("platform", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join_community(c, bob, t0()).await.unwrap();
        s.join_community(c, bot, t0()).await.unwrap();
        s.set_bot(bot, true, t0()).await.unwrap();
        let due = |now| async move {
            s.due_digests(now, 100)
                .await
                .unwrap()
                .iter()
                .map(|d| d.person_id)
                .collect::<Vec<_>>()
        };
        let now = t0();
        assert_eq!(
            due(now).await,
            [ada, bob],
            "members only, no bots, no loner {loner}"
        );
        let pref = s.digest_preference(bob).await.unwrap();
        assert!(pref.email && pref.last_sent_at.is_none());

        assert!(s.claim_digest(bob, None, now).await.unwrap());
        assert!(
            !s.claim_digest(bob, None, now).await.unwrap(),
            "a second server (or a restart) does not send it again"
        );
        assert_eq!(due(now).await, [ada]);
        assert_eq!(due(now + Duration::days(6)).await, [ada]);
        let week = now + Duration::days(7);
        assert_eq!(due(week).await, [ada, bob]);
        assert_eq!(
            s.due_digests(week, 100).await.unwrap()[1].last_sent_at,
            Some(now)
        );
        assert!(s.claim_digest(bob, Some(now), week).await.unwrap());
        // The mail could not go: the claim is given back and it is due again.
        s.release_digest(bob, Some(now), week).await.unwrap();
        assert_eq!(due(week).await, [ada, bob]);
        assert_eq!(
            s.digest_preference(bob).await.unwrap().last_sent_at,
            Some(now)
        );

        s.set_digest_email(ada, false).await.unwrap();
        assert!(!s.digest_preference(ada).await.unwrap().email);
        assert_eq!(due(week).await, [bob], "Ada turned the e-mail off");
        s.set_digest_email(ada, true).await.unwrap();
        assert_eq!(due(week).await, [ada, bob]);
    }
}

fn hook(community: i64, by: i64, url: &str, events: &[&str]) -> NewWebhook {
    NewWebhook {
        community_id: community,
        url: url.into(),
        secret: "s3cret".into(),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        description: "chat".into(),
        created_by: by,
    }
}

fn series() -> Draft {
    Draft {
        title: "Office hours".into(),
        format: "call".into(),
        rrule: "FREQ=WEEKLY;BYDAY=TU".into(),
        time_zone: "Europe/Berlin".into(),
        start: "2026-03-17T09:00".into(),
        duration_minutes: 60,
        ..Draft::default()
    }
}

const ALL: [&str; 5] = [
    "thread_opened",
    "answer_accepted",
    "artifact_created",
    "gathering_held",
    GATHERING_SCHEDULED,
];

#[tokio::test]
async fn webhooks_hear_only_their_own_community_after_they_were_made() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let a = s
            .create_community(&charter("platform", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let b = s
            .create_community(&charter("inner-circle", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let before = s
            .open_thread(&question(a, ada, "Before any webhook", &["x"]), t0())
            .await
            .unwrap();
        let all = s
            .create_webhook(&hook(a, ada, "http://127.0.0.1:1/all", &ALL), t0())
            .await
            .unwrap();
        let threads_only = s
            .create_webhook(
                &hook(a, ada, "http://127.0.0.1:1/threads", &["thread_opened"]),
                t0(),
            )
            .await
            .unwrap();
        let other = s
            .create_webhook(&hook(b, ada, "http://127.0.0.1:1/other", &ALL), t0())
            .await
            .unwrap();
        let listed = s.webhooks(a).await.unwrap();
        assert_eq!(
            listed.iter().map(|w| w.id).collect::<Vec<_>>(),
            [all, threads_only]
        );
        assert_eq!(listed[1].events, ["thread_opened"]);
        assert!(listed[0].active);

        let at = t0() + Duration::minutes(5);
        let q = s
            .open_thread(&question(a, ada, "After", &["x"]), at)
            .await
            .unwrap();
        let r = s
            .reply(
                &NewReply {
                    thread_id: q,
                    author_id: ada,
                    body: "Answer".into(),
                    quote_of: None,
                },
                at,
            )
            .await
            .unwrap();
        s.accept_answer(q, r, at).await.unwrap();
        let secret_thread = s
            .open_thread(&question(b, ada, "Inner", &["x"]), at)
            .await
            .unwrap();
        let plan = series().check().unwrap();
        let gathering = s.create_series(a, &plan, ada, at).await.unwrap();

        let pending = s
            .pending_hook_events(Cursors::default(), 100)
            .await
            .unwrap();
        let seen: Vec<(i64, &str, Option<&str>)> = pending
            .events
            .iter()
            .map(|e| (e.webhook_id, e.event.as_str(), e.subject.as_deref()))
            .collect();
        let thread_q = format!("thread-{q}");
        let thread_b = format!("thread-{secret_thread}");
        assert!(
            !seen
                .iter()
                .any(|e| e.2 == Some(&format!("thread-{before}")))
        );
        assert_eq!(
            seen,
            [
                (all, "thread_opened", Some(thread_q.as_str())),
                (threads_only, "thread_opened", Some(thread_q.as_str())),
                (all, "answer_accepted", Some(thread_q.as_str())),
                (other, "thread_opened", Some(thread_b.as_str())),
                (all, GATHERING_SCHEDULED, None),
            ],
            "each webhook hears its own community, what it asked for, after it was made"
        );
        assert_eq!(pending.events[4].source, Source::Series(gathering));
        assert_eq!(pending.events[4].community_id, a);
        assert_eq!(pending.next.series, gathering);

        let queued: Vec<_> = pending
            .events
            .iter()
            .map(|e| {
                let q = if e.webhook_id == other {
                    Queued::Skip("not wanted in this test".into())
                } else {
                    Queued::Send(format!("{{\"event\":\"{}\"}}", e.event))
                };
                (e.clone(), q)
            })
            .collect();
        s.queue_deliveries(&queued, pending.next, at).await.unwrap();
        // Queuing again changes nothing; reading again finds nothing new.
        s.queue_deliveries(&queued, pending.next, at).await.unwrap();
        let cursors = s.outreach_cursors().await.unwrap();
        assert_eq!(cursors, pending.next);
        assert!(
            s.pending_hook_events(cursors, 100)
                .await
                .unwrap()
                .events
                .is_empty()
        );
        let log = s.deliveries(all, None, 50).await.unwrap();
        assert_eq!(log.len(), 3);
        assert_eq!(log[0].event, GATHERING_SCHEDULED, "newest first");
        assert!(log.iter().all(|d| d.status == "pending" && d.attempts == 0));
        let skipped = s.deliveries(other, None, 50).await.unwrap();
        assert_eq!(skipped[0].status, "skipped");
        assert_eq!(
            skipped[0].last_error.as_deref(),
            Some("not wanted in this test")
        );
        assert_eq!(s.due_deliveries(at, 50).await.unwrap().len(), 4);

        // A paused webhook hears nothing; a removed one is gone; a change sticks.
        s.change_webhook(
            a,
            threads_only,
            &WebhookChange {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        s.remove_webhook(a, all, at).await.unwrap();
        assert!(matches!(
            s.webhook(a, all).await,
            Err(store::StoreError::NotFound)
        ));
        assert!(
            matches!(
                s.webhook(b, threads_only).await,
                Err(store::StoreError::NotFound)
            ),
            "a webhook is addressed within its own community"
        );
        s.open_thread(&question(a, ada, "Later", &["x"]), at)
            .await
            .unwrap();
        assert!(
            s.pending_hook_events(cursors, 100)
                .await
                .unwrap()
                .events
                .is_empty()
        );
        assert!(
            s.due_deliveries(at, 50).await.unwrap().is_empty(),
            "nothing sent for removed or paused webhooks"
        );
        s.change_webhook(
            a,
            threads_only,
            &WebhookChange {
                active: Some(true),
                url: Some("http://127.0.0.1:2/moved".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let moved = s.webhook(a, threads_only).await.unwrap();
        assert_eq!(moved.url, "http://127.0.0.1:2/moved");
        assert_eq!(moved.events, ["thread_opened"]);
        assert!(
            s.pending_hook_events(cursors, 100)
                .await
                .unwrap()
                .events
                .is_empty(),
            "resumed: what happened while paused is not sent"
        );
        s.open_thread(&question(a, ada, "Resumed", &["x"]), at)
            .await
            .unwrap();
        let again = s.pending_hook_events(cursors, 100).await.unwrap();
        assert_eq!(again.events.len(), 1);
        assert_eq!(again.events[0].webhook_id, threads_only);
    }
}

#[tokio::test]
async fn a_late_commit_behind_the_cursor_is_still_queued() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let a = s
            .create_community(&charter("platform", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let w = s
            .create_webhook(
                &hook(a, ada, "http://127.0.0.1:1/", &["thread_opened"]),
                t0(),
            )
            .await
            .unwrap();
        s.open_thread(&question(a, ada, "Late", &["x"]), t0())
            .await
            .unwrap();
        let top = s.activity_page(Default::default(), 0, 1000).await.unwrap();
        let id = top.last().unwrap().id;
        // As if the cursor had passed it while its transaction was open.
        let from = Cursors {
            activity: id + 10,
            series: 0,
        };
        let p = s.pending_hook_events(from, 100).await.unwrap();
        assert_eq!(p.events.len(), 1);
        assert_eq!(p.events[0].source, Source::Activity(id));
        assert_eq!(p.events[0].webhook_id, w);
        assert_eq!(p.next.activity, id + 10, "the cursor never goes back");
    }
}

#[tokio::test]
async fn deliveries_are_claimed_once_retried_and_logged() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let a = s
            .create_community(&charter("platform", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let w = s
            .create_webhook(
                &hook(a, ada, "http://127.0.0.1:1/", &["thread_opened"]),
                t0(),
            )
            .await
            .unwrap();
        for title in ["One", "Two"] {
            s.open_thread(&question(a, ada, title, &["x"]), t0())
                .await
                .unwrap();
        }
        let p = s
            .pending_hook_events(Cursors::default(), 100)
            .await
            .unwrap();
        let queued: Vec<_> = p
            .events
            .iter()
            .map(|e| (e.clone(), Queued::Send("{}".into())))
            .collect();
        s.queue_deliveries(&queued, p.next, t0()).await.unwrap();
        let due = s.due_deliveries(t0(), 10).await.unwrap();
        assert_eq!(due.len(), 2);
        assert_eq!(due[0].secret, "s3cret");
        assert_eq!(due[0].event, "thread_opened");
        let lease = t0() + Duration::minutes(1);
        assert!(s.claim_delivery(&due[0], lease).await.unwrap());
        assert!(
            !s.claim_delivery(&due[0], lease).await.unwrap(),
            "a second worker does not send it too"
        );
        assert_eq!(
            s.due_deliveries(t0(), 10).await.unwrap().len(),
            1,
            "claimed: not due"
        );

        let retry = t0() + Duration::seconds(30);
        s.record_attempt(
            due[0].id,
            &Attempt {
                at: t0(),
                response_code: Some(503),
                error: Some("the receiver answered 503".into()),
                retry_at: Some(retry),
            },
        )
        .await
        .unwrap();
        let again = s.due_deliveries(retry, 10).await.unwrap();
        assert_eq!(again.len(), 2);
        let first = again.iter().find(|d| d.id == due[0].id).unwrap();
        assert_eq!(first.attempts, 1);
        s.record_attempt(
            first.id,
            &Attempt {
                at: retry,
                response_code: Some(204),
                error: None,
                retry_at: None,
            },
        )
        .await
        .unwrap();
        s.record_attempt(
            due[1].id,
            &Attempt {
                at: retry,
                response_code: None,
                error: Some("connection refused".into()),
                retry_at: None,
            },
        )
        .await
        .unwrap();
        assert!(
            s.due_deliveries(retry + Duration::days(1), 10)
                .await
                .unwrap()
                .is_empty()
        );
        let log = s.deliveries(w, None, 10).await.unwrap();
        let delivered = log.iter().find(|d| d.id == due[0].id).unwrap();
        assert_eq!(delivered.status, "delivered");
        assert_eq!(delivered.attempts, 2);
        assert_eq!(delivered.response_code, Some(204));
        assert_eq!(delivered.delivered_at, Some(retry));
        assert_eq!(delivered.next_attempt_at, None);
        let failed = log.iter().find(|d| d.id == due[1].id).unwrap();
        assert_eq!(failed.status, "failed");
        assert_eq!(failed.last_error.as_deref(), Some("connection refused"));
        assert_eq!(failed.last_attempt_at, Some(retry));
        // Paging: one older than the newest.
        let page = s.deliveries(w, Some(log[0].id), 10).await.unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].id, log[1].id);
    }
}
