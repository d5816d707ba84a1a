//! Thread versions: every change to what a thread's page shows raises the
//! thread's version (so a rendered thread is never served past a change),
//! and nothing else does; a thread read with its community and the viewer's
//! role in one query.

use chrono::Duration;
use domain::community::{MemberRole, Visibility};
use domain::person::ProfileDraft;
use domain::thread::{Reaction, ThreadType};
use store::Store;
use store::testing;
use store::threads::NewReply;

use crate::threads::{charter, thread};
use crate::{person, t0};

async fn version(s: &Store, id: i64) -> i64 {
    s.thread(id).await.unwrap().version
}

fn named(name: &str) -> domain::person::Profile {
    ProfileDraft {
        display_name: name.into(),
        team: "Payments".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

#[tokio::test]
async fn every_visible_change_raises_the_version_and_nothing_else_does() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let q = s
            .open_thread(
                &thread(c, ada, ThreadType::Question, "Rollbacks?", "How?"),
                t0(),
            )
            .await
            .unwrap();
        let seen = std::cell::Cell::new(version(s, q).await);
        let raised = |now: i64, what: &str| {
            let before = seen.replace(now);
            assert!(
                now > before,
                "{what} did not raise the version ({now} after {before})"
            );
        };
        let at = t0() + Duration::hours(1);
        let answer = s
            .reply(
                &NewReply {
                    thread_id: q,
                    author_id: bob,
                    body: "Use the pipeline".into(),
                    quote_of: None,
                },
                at,
            )
            .await
            .unwrap();
        raised(version(s, q).await, "a reply");
        s.edit_reply(answer, bob, "Use the rollback pipeline", at)
            .await
            .unwrap();
        raised(version(s, q).await, "editing a reply");
        s.react(q, Some(answer), ada, Reaction::Helpful, true, at)
            .await
            .unwrap();
        raised(version(s, q).await, "a reaction");
        s.react(q, Some(answer), ada, Reaction::Helpful, false, at)
            .await
            .unwrap();
        raised(version(s, q).await, "taking a reaction back");
        s.accept_answer(q, answer, at).await.unwrap();
        raised(version(s, q).await, "accepting an answer");
        s.edit_thread(q, ada, "Rollbacks, how?", "How?", &[], at)
            .await
            .unwrap();
        raised(version(s, q).await, "editing the opening post");
        s.hide_post((q, Some(answer)), true, at).await.unwrap();
        raised(version(s, q).await, "hiding a reply");
        s.update_profile(bob, &named("Robert"), at).await.unwrap();
        raised(version(s, q).await, "a replier's new name");
        // A profile change that keeps the name shows nothing new.
        s.update_profile(bob, &named("Robert"), at).await.unwrap();
        assert_eq!(
            version(s, q).await,
            seen.get(),
            "an unchanged name raised the version"
        );
        let other = person(s, "robert@y.org", "Robert Y").await;
        s.merge_people(ada, other).await.unwrap();
        raised(
            version(s, q).await,
            "merging the opener into another person",
        );
        // Kudos are not shown on the thread.
        s.hide_post((q, Some(answer)), false, at).await.unwrap();
        let before = version(s, q).await;
        s.give_kudos(q, Some(answer), other, "thanks", at)
            .await
            .unwrap();
        assert_eq!(version(s, q).await, before);
    }
}

#[tokio::test]
async fn a_thread_in_context_names_its_community_and_the_viewers_role() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("incidents", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let q = s
            .open_thread(
                &thread(c, ada, ThreadType::Discussion, "Pager noise", "Too much"),
                t0(),
            )
            .await
            .unwrap();
        let (t, community, role) = s.thread_in_context(q, ada).await.unwrap();
        assert_eq!((t.id, t.title.as_str()), (q, "Pager noise"));
        assert_eq!(t.author.map(|a| a.name), Some("Ada".to_owned()));
        assert!(t.tags.is_empty(), "tags are read apart");
        assert_eq!(t.version, s.thread(q).await.unwrap().version);
        assert_eq!((community.id, community.slug.as_str()), (c, "incidents"));
        assert_eq!(community.created_at, t0());
        assert_eq!(role, Some(MemberRole::Steward));
        let (_, _, outsider) = s.thread_in_context(q, bob).await.unwrap();
        assert_eq!(outsider, None);
        assert!(matches!(
            s.thread_in_context(q + 1000, ada).await,
            Err(store::StoreError::NotFound)
        ));
    }
}
