//! Mentoring: capacity (default, set, zero), mentor rows for matching,
//! proposals answered by whoever did not propose, notices to the other
//! side, pairs ended by either side, capacity checked again at acceptance
//! (also under concurrent acceptances), the first steps a newcomer has
//! taken, and no activity events.

use domain::community::{CommunityType, Orientation, Visibility};
use domain::mentoring::{DEFAULT_CAPACITY, Proposer, Side, Status};
use domain::person::ProfileDraft;
use store::communities::NewCommunity;
use store::mentoring::NewMentorship;
use store::{Store, StoreError, testing};

use crate::{person, t0};

async fn profile(s: &Store, id: i64, name: &str, team: &str, teach: &[&str], learn: &[&str]) {
    let p = ProfileDraft {
        display_name: name.into(),
        team: team.into(),
        can_teach: teach.iter().map(|t| t.to_string()).collect(),
        wants_to_learn: learn.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.update_profile(id, &p, t0()).await.unwrap();
}

async fn community(s: &Store, slug: &str, steward: i64) -> i64 {
    s.create_community(
        &NewCommunity {
            slug: slug.into(),
            name: format!("Guild {slug}"),
            domain_question: "How do we learn?".into(),
            purpose: String::new(),
            community_type: CommunityType::CrossCutting,
            orientation: Orientation::KnowledgeWeaving,
            visibility: Visibility::Open,
        },
        steward,
        t0(),
    )
    .await
    .unwrap()
}

fn asks(mentee: i64, mentor: i64, community: Option<i64>) -> NewMentorship {
    NewMentorship {
        mentor_id: mentor,
        mentee_id: mentee,
        topic: "rust".into(),
        community_id: community,
        proposer: Proposer::Mentee,
        proposed_by: Some(mentee),
        note: "Could you help me?".into(),
    }
}

fn conflict(e: StoreError) -> String {
    match e {
        StoreError::Conflict { field, message } => format!("{field}: {message}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn capacity_defaults_and_mentor_rows_carry_what_matching_needs() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        profile(s, ada, "Ada", "Platform", &["Rust", "go"], &[]).await;
        profile(s, bob, "Bob", "Payments", &[], &["rust"]).await;
        profile(s, cy, "Cy", "", &["sql"], &[]).await;
        let c = community(s, "rustaceans", ada).await;
        assert_eq!(s.mentor_capacity(ada).await.unwrap(), DEFAULT_CAPACITY);
        s.set_mentor_capacity(cy, 0, t0()).await.unwrap();
        s.set_mentor_capacity(ada, 3, t0()).await.unwrap();
        s.set_mentor_capacity(ada, 2, t0()).await.unwrap();
        assert_eq!(s.mentor_capacity(ada).await.unwrap(), 2);
        let rows = s.mentor_rows(Some(c)).await.unwrap();
        // Bob teaches nothing: not a mentor.
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ada, cy]);
        assert_eq!(rows[0].can_teach, vec!["rust", "go"]);
        assert_eq!(rows[0].team.as_deref(), Some("Platform"));
        assert_eq!((rows[0].capacity, rows[0].active), (2, 0));
        assert!(rows[0].in_community);
        assert_eq!((rows[1].capacity, rows[1].in_community), (0, false));
        assert!(
            s.mentor_rows(None)
                .await
                .unwrap()
                .iter()
                .all(|r| !r.in_community)
        );
        // Bots are never suggested.
        s.set_bot(cy, true, t0()).await.unwrap();
        assert_eq!(s.mentor_rows(None).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_asked_side_accepts_and_both_are_told() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = community(s, "rustaceans", ada).await;
        let before = s.community_activity(c, 1000).await.unwrap().len();
        let m = s
            .propose_mentorship(&asks(bob, ada, Some(c)), t0())
            .await
            .unwrap();
        assert_eq!(m.answers.status, Status::Proposed);
        assert_eq!(
            (m.mentor.name.as_str(), m.mentee.name.as_str()),
            ("Ada", "Bob")
        );
        assert_eq!(
            m.community.as_ref().map(|c| c.1.as_str()),
            Some("rustaceans")
        );
        assert!(m.answers.awaits(Side::Mentor) && !m.answers.awaits(Side::Mentee));
        // Ada is told, Bob is not; the unread count includes it.
        let notices = s.mentoring_notices(ada, 10).await.unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].kind, "mentoring_proposed");
        assert_eq!(notices[0].actor.as_ref().map(|a| a.id), Some(bob));
        assert_eq!(s.unread_notifications(ada).await.unwrap(), 1);
        assert!(s.notifications(ada, 10).await.unwrap().is_empty());
        assert!(s.mentoring_notices(bob, 10).await.unwrap().is_empty());
        // The same two people cannot have two open mentorships.
        let e = s
            .propose_mentorship(&asks(bob, ada, None), t0())
            .await
            .unwrap_err();
        assert!(conflict(e).starts_with("mentor_id"));
        // Bob asked: he cannot accept for Ada.
        let e = s
            .answer_mentorship(m.id, bob, Side::Mentee, true, t0())
            .await
            .unwrap_err();
        assert!(conflict(e).contains("already accepted"));
        let later = t0() + chrono::Duration::hours(1);
        let pair = s
            .answer_mentorship(m.id, ada, Side::Mentor, true, later)
            .await
            .unwrap();
        assert_eq!(pair.answers.status, Status::Active);
        assert_eq!(pair.started_at, Some(later));
        let told = s.mentoring_notices(bob, 10).await.unwrap();
        assert_eq!(told[0].kind, "mentoring_active");
        assert_eq!(s.mentorships_of(bob).await.unwrap(), vec![pair.clone()]);
        assert_eq!(s.mentorships_of(ada).await.unwrap(), vec![pair.clone()]);
        // Either side ends it; the other is told; it cannot end twice.
        let ended = s.end_mentorship(m.id, bob, later).await.unwrap();
        assert_eq!(ended.answers.status, Status::Ended);
        assert_eq!(ended.ended_by, Some(bob));
        assert_eq!(ended.closed_at, Some(later));
        assert_eq!(
            s.mentoring_notices(ada, 10).await.unwrap()[0].kind,
            "mentoring_ended"
        );
        assert!(s.end_mentorship(m.id, ada, later).await.is_err());
        // Closed, they may start again.
        s.propose_mentorship(&asks(bob, ada, None), later)
            .await
            .unwrap();
        // No activity events: METRICS.md has no kind for mentoring.
        assert_eq!(s.community_activity(c, 1000).await.unwrap().len(), before);
        s.read_notifications(ada, later).await.unwrap();
        assert!(
            s.mentoring_notices(ada, 10)
                .await
                .unwrap()
                .iter()
                .all(|n| n.read)
        );
    }
}

#[tokio::test]
async fn declines_withdrawals_and_matches_by_a_steward() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let offer = NewMentorship {
            proposer: Proposer::Mentor,
            proposed_by: Some(ada),
            ..asks(bob, ada, None)
        };
        let m = s.propose_mentorship(&offer, t0()).await.unwrap();
        assert_eq!(s.mentoring_notices(bob, 10).await.unwrap().len(), 1);
        let declined = s
            .answer_mentorship(m.id, bob, Side::Mentee, false, t0())
            .await
            .unwrap();
        assert_eq!(declined.answers.status, Status::Declined);
        assert_eq!(
            s.mentoring_notices(ada, 10).await.unwrap()[0].kind,
            "mentoring_declined"
        );
        let e = s
            .answer_mentorship(m.id, bob, Side::Mentee, true, t0())
            .await
            .unwrap_err();
        assert!(conflict(e).contains("already declined"));
        // Withdrawn by the proposer: the asked side hears of it.
        let m = s
            .propose_mentorship(&asks(cy, ada, None), t0())
            .await
            .unwrap();
        let w = s.withdraw_mentorship(m.id, cy, t0()).await.unwrap();
        assert_eq!(w.answers.status, Status::Withdrawn);
        assert_eq!(
            s.mentoring_notices(ada, 10).await.unwrap()[0].kind,
            "mentoring_withdrawn"
        );
        // A steward's match: both are told and both must accept.
        let matched = NewMentorship {
            proposer: Proposer::Steward,
            proposed_by: Some(cy),
            ..asks(bob, ada, None)
        };
        let m = s.propose_mentorship(&matched, t0()).await.unwrap();
        assert_eq!(
            s.mentoring_notices(ada, 10).await.unwrap()[0].kind,
            "mentoring_proposed"
        );
        assert_eq!(
            s.mentoring_notices(bob, 10).await.unwrap()[0].kind,
            "mentoring_proposed"
        );
        let half = s
            .answer_mentorship(m.id, bob, Side::Mentee, true, t0())
            .await
            .unwrap();
        assert_eq!(half.answers.status, Status::Proposed);
        assert_eq!(
            s.mentoring_notices(ada, 10).await.unwrap()[0].kind,
            "mentoring_accepted"
        );
        let pair = s
            .answer_mentorship(m.id, ada, Side::Mentor, true, t0())
            .await
            .unwrap();
        assert_eq!(pair.answers.status, Status::Active);
        assert!(matches!(
            s.mentorship(999_999).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn capacity_is_checked_again_at_acceptance_even_in_a_race() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        s.set_mentor_capacity(ada, 1, t0()).await.unwrap();
        let mut asked = Vec::new();
        for i in 0..4 {
            let who = person(s, &format!("m{i}@x.org"), &format!("M{i}")).await;
            asked.push(
                s.propose_mentorship(&asks(who, ada, None), t0())
                    .await
                    .unwrap()
                    .id,
            );
        }
        // Four acceptances at once: exactly one pair, the rest refused.
        let results = futures_join(s, &asked, ada).await;
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        for r in results.into_iter().filter_map(Result::err) {
            let text = conflict(r);
            assert!(
                text.contains("no free mentoring place") || text.contains("changed meanwhile"),
                "{text}"
            );
        }
        let active = s
            .mentorships_of(ada)
            .await
            .unwrap()
            .iter()
            .filter(|m| m.answers.status == Status::Active)
            .count();
        assert_eq!(active, 1);
        // More room: another can be accepted now.
        s.set_mentor_capacity(ada, 2, t0()).await.unwrap();
        let open = s
            .mentorships_of(ada)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.answers.status == Status::Proposed)
            .unwrap();
        s.answer_mentorship(open.id, ada, Side::Mentor, true, t0())
            .await
            .unwrap();
        let rows = s.mentor_rows(None).await.unwrap();
        assert!(rows.is_empty(), "Ada lists nothing to teach");
    }
}

async fn futures_join(s: &Store, ids: &[i64], mentor: i64) -> Vec<Result<i64, StoreError>> {
    let mut handles = Vec::new();
    for &id in ids {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            s.answer_mentorship(id, mentor, Side::Mentor, true, t0())
                .await
                .map(|m| m.id)
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn first_steps_come_from_what_a_member_did() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = community(s, "rustaceans", ada).await;
        s.join(c, bob, t0()).await.unwrap();
        assert_eq!(
            s.first_steps(c, bob).await.unwrap(),
            store::mentoring::FirstSteps::default()
        );
        let thread = s
            .open_thread(
                &store::threads::NewThread {
                    community_id: c,
                    author_id: bob,
                    anonymous: false,
                    thread_type: domain::thread::ThreadType::Discussion,
                    title: "Hello, I am Bob".into(),
                    body: "New here.".into(),
                    tags: vec![],
                },
                t0(),
            )
            .await
            .unwrap();
        s.react(
            thread,
            None,
            ada,
            domain::thread::Reaction::Helpful,
            true,
            t0(),
        )
        .await
        .unwrap();
        s.propose_mentorship(&asks(bob, ada, Some(c)), t0())
            .await
            .unwrap();
        let steps = s.first_steps(c, bob).await.unwrap();
        assert!(steps.posted && steps.mentored);
        assert!(!steps.reacted_helpful && !steps.rsvped && !steps.reused);
        assert!(s.first_steps(c, ada).await.unwrap().reacted_helpful);
        assert!(s.most_reused_artifacts(c, 3).await.unwrap().is_empty());
    }
}
