//! The shared space: threads and replies with revisions and their activity
//! events, accepted answers and the first response, anonymous questions,
//! reactions and kudos, notifications, the help-wanted view, merged
//! communities' threads, and full-text search with its privacy rules.

use chrono::Duration;
use domain::community::{CommunityType, Orientation, Visibility};
use domain::person::ProfileDraft;
use domain::thread::{Reaction, ThreadType};
use store::communities::NewCommunity;
use store::testing;
use store::threads::{NewReply, NewThread, SearchFilter, ThreadFilter};
use store::{Store, StoreError};

use crate::{person, t0};

pub(crate) fn charter(slug: &str, visibility: Visibility) -> NewCommunity {
    NewCommunity {
        slug: slug.into(),
        name: slug.replace('-', " "),
        domain_question: "How do we ship safely?".into(),
        purpose: String::new(),
        community_type: CommunityType::TechnicalPractice,
        orientation: Orientation::CollaborativeLearning,
        visibility,
    }
}

pub(crate) fn thread(
    community: i64,
    author: i64,
    kind: ThreadType,
    title: &str,
    body: &str,
) -> NewThread {
    NewThread {
        community_id: community,
        author_id: author,
        anonymous: false,
        thread_type: kind,
        title: title.into(),
        body: body.into(),
        tags: vec!["deploys".into(), "rollback".into()],
    }
}

fn reply(thread: i64, author: i64, body: &str) -> NewReply {
    NewReply {
        thread_id: thread,
        author_id: author,
        body: body.into(),
        quote_of: None,
    }
}

pub(crate) async fn on_team(s: &Store, id: i64, name: &str, team: &str) {
    let p = ProfileDraft {
        display_name: name.into(),
        team: team.into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.update_profile(id, &p, t0()).await.unwrap();
}

async fn log(s: &Store) -> Vec<store::activity::LoggedEvent> {
    s.activity_page(Default::default(), 0, 1000).await.unwrap()
}

#[tokio::test]
async fn a_question_is_answered_accepted_and_logged_with_teams() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        on_team(s, ada, "Ada", "Payments").await;
        on_team(s, bob, "Bob", "Search").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let q = s
            .open_thread(
                &thread(
                    c,
                    ada,
                    ThreadType::Question,
                    "How do we roll back?",
                    "Is there a **runbook**?",
                ),
                t0(),
            )
            .await
            .unwrap();
        // Ada's own follow-up is not a first response; Bob's answer is.
        s.reply(
            &reply(q, ada, "I tried `kubectl rollout undo`"),
            t0() + Duration::hours(1),
        )
        .await
        .unwrap();
        assert_eq!(s.thread(q).await.unwrap().first_response_at, None);
        let answer = s
            .reply(
                &reply(q, bob, "Use the rollback pipeline"),
                t0() + Duration::hours(2),
            )
            .await
            .unwrap();
        let t = s.thread(q).await.unwrap();
        assert_eq!(t.first_response_at, Some(t0() + Duration::hours(2)));
        assert_eq!(t.reply_count, 2);
        assert_eq!(t.tags, ["deploys", "rollback"]);
        assert!(!t.solved());
        // Only a reply in this thread can be accepted, and only on a question.
        let other = s
            .open_thread(
                &thread(
                    c,
                    bob,
                    ThreadType::Discussion,
                    "Friday deploys",
                    "Yes or no?",
                ),
                t0(),
            )
            .await
            .unwrap();
        let elsewhere = s.reply(&reply(other, ada, "No"), t0()).await.unwrap();
        assert!(matches!(
            s.accept_answer(q, elsewhere, t0()).await,
            Err(StoreError::Conflict {
                field: "reply_id",
                ..
            })
        ));
        assert!(matches!(
            s.accept_answer(other, elsewhere, t0()).await,
            Err(StoreError::Conflict {
                field: "thread",
                ..
            })
        ));
        s.accept_answer(q, answer, t0() + Duration::hours(3))
            .await
            .unwrap();
        assert!(s.thread(q).await.unwrap().solved());
        let events = log(s).await;
        let shared: Vec<_> = events
            .iter()
            .filter(|e| e.subject.as_deref() == Some(&*format!("thread-{q}")))
            .collect();
        let kinds: Vec<_> = shared.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["thread_opened", "replied", "replied", "answer_accepted"]
        );
        assert_eq!(shared[0].thread_type.as_deref(), Some("question"));
        assert_eq!(shared[0].team.as_deref(), Some("Payments"));
        // Bob replied to Ada, across teams; the accepted answer's actor is its author.
        assert_eq!(shared[2].actor, Some(bob));
        assert_eq!(shared[2].reply_to, Some(ada));
        assert_eq!(shared[2].team.as_deref(), Some("Search"));
        assert_eq!(shared[2].reply_to_team.as_deref(), Some("Payments"));
        assert_eq!(shared[3].actor, Some(bob));
        // Ada was told of Bob's reply; Bob of the acceptance.
        let kinds = |v: Vec<store::threads::Notification>| {
            v.into_iter().map(|n| n.kind).collect::<Vec<_>>()
        };
        assert_eq!(kinds(s.notifications(ada, 10).await.unwrap()), ["reply"]);
        assert_eq!(
            kinds(s.notifications(bob, 10).await.unwrap()),
            ["accepted", "reply"]
        );
        assert_eq!(s.unread_notifications(bob).await.unwrap(), 2);
        s.read_notifications(bob, t0()).await.unwrap();
        assert_eq!(s.unread_notifications(bob).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn edits_keep_revisions_and_the_index_follows() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let q = s
            .open_thread(
                &thread(
                    c,
                    ada,
                    ThreadType::Story,
                    "The canary that sang",
                    "We lost a *region*",
                ),
                t0(),
            )
            .await
            .unwrap();
        let hits = |q: &'static str| {
            let filter = SearchFilter {
                query: q.into(),
                ..Default::default()
            };
            async move { s.search(ada, &filter, 0, 10).await.unwrap() }
        };
        assert_eq!(hits("region").await.len(), 1);
        s.edit_thread(
            q,
            ada,
            "The canary that sang twice",
            "We lost a datacenter",
            &["outage".into()],
            t0() + Duration::days(1),
        )
        .await
        .unwrap();
        assert!(hits("region").await.is_empty());
        let found = hits("datacenter").await;
        assert_eq!(found[0].title, "The canary that sang twice");
        assert!(
            found[0].snippet.contains("\u{E000}datacenter\u{E001}"),
            "{}",
            found[0].snippet
        );
        let revisions = s.post_revisions(q, None).await.unwrap();
        assert_eq!(revisions.len(), 2);
        assert_eq!(revisions[0].revision, 2);
        assert_eq!(revisions[1].body, "We lost a *region*");
        assert_eq!(revisions[1].tags, "deploys, rollback");
        assert_eq!(revisions[0].editor.as_ref().unwrap().name, "Ada");
        let r = s.reply(&reply(q, ada, "first words"), t0()).await.unwrap();
        s.edit_reply(r, ada, "second words", t0()).await.unwrap();
        assert_eq!(s.post_revisions(q, Some(r)).await.unwrap().len(), 2);
        assert_eq!(s.reply_by_id(r).await.unwrap().body, "second words");
        assert_eq!(hits("second").await[0].reply_id, Some(r));
        assert!(hits("first").await.is_empty());
    }
}

#[tokio::test]
async fn an_anonymous_asker_is_recognised_but_never_named() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        on_team(s, bob, "Bob", "Search").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let mut new = thread(
            c,
            bob,
            ThreadType::Question,
            "Is it silly to ask what a pod is?",
            "Asking for a friend",
        );
        new.anonymous = true;
        let q = s.open_thread(&new, t0()).await.unwrap();
        let t = s.thread(q).await.unwrap();
        assert!(t.anonymous);
        assert_eq!(t.author, None);
        assert!(s.is_anonymous_asker(q, bob).await.unwrap());
        assert!(!s.is_anonymous_asker(q, ada).await.unwrap());
        assert_eq!(s.anonymous_questions_of(bob).await.unwrap()[0].id, q);
        assert!(s.anonymous_questions_of(ada).await.unwrap().is_empty());
        // Ada's answer is a first response; the asker's follow-up stays anonymous.
        let answer = s
            .reply(
                &reply(q, ada, "Not silly at all"),
                t0() + Duration::hours(1),
            )
            .await
            .unwrap();
        let follow_up = s
            .reply(
                &reply(q, bob, "Thanks! And a node?"),
                t0() + Duration::hours(2),
            )
            .await
            .unwrap();
        let replies = s.replies(q).await.unwrap();
        assert_eq!(replies[1].id, follow_up);
        assert!(replies[1].anonymous);
        assert_eq!(replies[1].author, None);
        s.edit_reply(follow_up, bob, "And a node?", t0())
            .await
            .unwrap();
        assert!(
            s.post_revisions(q, Some(follow_up))
                .await
                .unwrap()
                .iter()
                .all(|r| r.editor.is_none())
        );
        s.accept_answer(q, answer, t0() + Duration::hours(3))
            .await
            .unwrap();
        // Nothing in the log, the search or the revisions names Bob.
        for e in log(s)
            .await
            .iter()
            .filter(|e| e.subject.as_deref() == Some(&*format!("thread-{q}")))
        {
            assert_ne!(e.actor, Some(bob), "{e:?}");
            assert_ne!(e.reply_to, Some(bob), "{e:?}");
            assert_ne!(e.team.as_deref(), Some("Search"), "{e:?}");
        }
        let filter = SearchFilter {
            query: "silly pod".into(),
            ..Default::default()
        };
        let hits = s.search(ada, &filter, 0, 10).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].author, None);
        assert!(s.post_revisions(q, None).await.unwrap()[0].editor.is_none());
        // No kudos to no one; stewards can switch anonymous questions off.
        assert!(matches!(
            s.give_kudos(q, None, ada, "", t0()).await,
            Err(StoreError::Conflict { .. })
        ));
        s.set_anonymous_questions(c, false).await.unwrap();
        assert!(matches!(
            s.open_thread(&new, t0()).await,
            Err(StoreError::Conflict {
                field: "anonymous",
                ..
            })
        ));
        // Hidden by an admin: out of search, and no more replies.
        s.hide_post((q, None), true, t0()).await.unwrap();
        assert!(s.search(ada, &filter, 0, 10).await.unwrap().is_empty());
        assert!(matches!(
            s.reply(&reply(q, ada, "more"), t0()).await,
            Err(StoreError::Conflict { .. })
        ));
    }
}

#[tokio::test]
async fn reactions_kudos_and_mentions() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada.lovelace@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let open = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let private = s
            .create_community(&charter("secrets", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let t = s
            .open_thread(
                &thread(
                    open,
                    ada,
                    ThreadType::ShowAndTell,
                    "A deploy dashboard",
                    "cc @bob and @nobody",
                ),
                t0(),
            )
            .await
            .unwrap();
        let r = s
            .reply(&reply(t, bob, "Lovely, @Ada.Lovelace!"), t0())
            .await
            .unwrap();
        // A mention in a private community reaches only its members.
        s.open_thread(
            &thread(private, ada, ThreadType::Discussion, "Hush", "@cy look"),
            t0(),
        )
        .await
        .unwrap();
        assert!(s.notifications(cy, 10).await.unwrap().is_empty());
        let bob_told = s.notifications(bob, 10).await.unwrap();
        assert_eq!(bob_told.len(), 1);
        assert_eq!(
            (
                bob_told[0].kind.as_str(),
                bob_told[0].actor.as_ref().map(|a| a.id)
            ),
            ("mention", Some(ada))
        );
        // Ada was mentioned and replied to by the same reply: told once.
        assert_eq!(s.notifications(ada, 10).await.unwrap().len(), 1);
        s.react(t, Some(r), ada, Reaction::Helpful, true, t0())
            .await
            .unwrap();
        s.react(t, Some(r), ada, Reaction::Helpful, true, t0())
            .await
            .unwrap();
        s.react(t, Some(r), cy, Reaction::Thanks, true, t0())
            .await
            .unwrap();
        s.react(t, None, cy, Reaction::Thanks, true, t0())
            .await
            .unwrap();
        s.react(t, None, cy, Reaction::Thanks, false, t0())
            .await
            .unwrap();
        let counts = s.reactions(t, ada).await.unwrap();
        assert_eq!(
            (
                counts[&r].helpful,
                counts[&r].thanks,
                counts[&r].mine_helpful
            ),
            (1, 1, true)
        );
        assert_eq!(counts.get(&0).map(|c| c.thanks).unwrap_or(0), 0);
        assert!(matches!(
            s.react(t, Some(999_999), ada, Reaction::Helpful, true, t0())
                .await,
            Err(StoreError::NotFound)
        ));
        s.give_kudos(t, Some(r), ada, "Saved my afternoon", t0())
            .await
            .unwrap();
        assert!(matches!(
            s.give_kudos(t, Some(r), bob, "me!", t0()).await,
            Err(StoreError::Conflict { .. })
        ));
        let kudos = s.kudos_for(bob, cy).await.unwrap();
        assert_eq!(
            (kudos[0].from.id, kudos[0].note.as_str()),
            (ada, "Saved my afternoon")
        );
        assert!(
            log(s)
                .await
                .iter()
                .any(|e| e.kind == "kudos" && e.actor == Some(ada))
        );
    }
}

#[tokio::test]
async fn help_wanted_lists_waiting_questions_oldest_first() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let ask = |title: &'static str, days: i64| {
            let new = thread(c, ada, ThreadType::Question, title, "?");
            async move {
                s.open_thread(&new, t0() + Duration::days(days))
                    .await
                    .unwrap()
            }
        };
        let old = ask("Old and ignored", 0).await;
        let older_answered = ask("Answered, unsolved", 1).await;
        let fresh = ask("Fresh", 9).await;
        let solved = ask("Solved", 2).await;
        s.reply(
            &reply(older_answered, bob, "try this"),
            t0() + Duration::days(3),
        )
        .await
        .unwrap();
        let a = s
            .reply(&reply(solved, bob, "this"), t0() + Duration::days(3))
            .await
            .unwrap();
        s.accept_answer(solved, a, t0() + Duration::days(3))
            .await
            .unwrap();
        s.open_thread(
            &thread(c, ada, ThreadType::Discussion, "Not a question", "."),
            t0(),
        )
        .await
        .unwrap();
        let hw = s
            .help_wanted(c, t0() + Duration::days(10), 50)
            .await
            .unwrap();
        let ids = |v: &[store::threads::Thread]| v.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(&hw.overdue), [old]);
        assert_eq!(ids(&hw.unanswered), [fresh]);
        assert_eq!(ids(&hw.unsolved), [older_answered]);
        let solved_only = ThreadFilter {
            solved: Some(true),
            ..Default::default()
        };
        assert_eq!(
            ids(&s.threads(c, &solved_only, None, 10).await.unwrap()),
            [solved]
        );
        let questions = ThreadFilter {
            thread_type: Some(ThreadType::Question),
            ..Default::default()
        };
        let page = s.threads(c, &questions, None, 2).await.unwrap();
        assert_eq!(page.len(), 2);
        let last = page.last().unwrap();
        let rest = s
            .threads(
                c,
                &questions,
                Some((last.last_activity_at.timestamp_millis(), last.id)),
                10,
            )
            .await
            .unwrap();
        assert_eq!(rest.len(), 2);
        let tagged = ThreadFilter {
            tag: Some("rollback".into()),
            ..Default::default()
        };
        assert_eq!(s.threads(c, &tagged, None, 10).await.unwrap().len(), 5);
    }
}
