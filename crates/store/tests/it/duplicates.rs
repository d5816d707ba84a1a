//! Duplicate effort: the posts the finder reads (with community, author and
//! team, and never an anonymous asker), post summaries, and decisions on
//! pairs, with "link them" writing the practice's own link where it fits.

use domain::community::Visibility;
use domain::duplicates::{PostKey, Verdict};
use domain::practice::{ArtifactState, ContentDraft};
use domain::thread::ThreadType;
use store::StoreError;
use store::practice::{NewArtifact, Source};
use store::testing;

use crate::threads::{charter, on_team, thread};
use crate::{person, t0};

fn guide(community: i64, author: i64, title: &str, body: &str) -> NewArtifact {
    NewArtifact {
        community_id: community,
        author_id: author,
        owner_id: None,
        content: ContentDraft {
            kind: "guide".into(),
            title: title.into(),
            body: body.into(),
            tags: "logging, fluentd".into(),
            ..ContentDraft::default()
        }
        .check()
        .unwrap(),
        state: ArtifactState::Published,
        source: Source::default(),
        summary: "First version".into(),
    }
}

#[tokio::test]
async fn the_finder_reads_posts_with_their_teams_and_never_an_anonymous_asker() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        on_team(s, ada, "Ada", "Payments").await;
        on_team(s, bob, "Bob", "Search").await;
        let c = s
            .create_community(&charter("logs", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.set_anonymous_questions(c, true).await.unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let t1 = s
            .open_thread(
                &thread(
                    c,
                    ada,
                    ThreadType::Question,
                    "Fluentd drops **fields**",
                    "Under `load`.",
                ),
                t0(),
            )
            .await
            .unwrap();
        let mut anonymous = thread(
            c,
            bob,
            ThreadType::Question,
            "Who owns fluentd?",
            "Asking quietly.",
        );
        anonymous.anonymous = true;
        let t2 = s.open_thread(&anonymous, t0()).await.unwrap();
        let hidden = s
            .open_thread(
                &thread(c, bob, ThreadType::Discussion, "Hidden", "Gone."),
                t0(),
            )
            .await
            .unwrap();
        s.hide_post((hidden, None), true, t0()).await.unwrap();
        let art = s
            .create_artifact(&guide(c, bob, "Fluentd buffers", "Raise the buffer."), t0())
            .await
            .unwrap();

        let threads = s.duplicate_threads(0, 100).await.unwrap();
        let keys: Vec<PostKey> = threads.iter().map(|(o, _)| o.key).collect();
        assert_eq!(keys, [PostKey::Thread(t1), PostKey::Thread(t2)]);
        let (o1, text1) = &threads[0];
        assert_eq!((o1.community, o1.author), (c, Some(ada)));
        assert!(o1.team.is_some());
        // Markdown is read as plain text, tags as given.
        assert_eq!(text1.title, "Fluentd drops **fields**");
        assert_eq!(text1.body.trim(), "Under load.");
        assert_eq!(text1.tags, ["deploys", "rollback"]);
        // The anonymous question is compared by its words only.
        let (o2, _) = &threads[1];
        assert_eq!((o2.author, o2.team), (None, None));
        // Paging by id.
        assert_eq!(s.duplicate_threads(t1, 100).await.unwrap().len(), 1);
        assert_eq!(s.duplicate_threads(0, 1).await.unwrap().len(), 1);

        let artifacts = s.duplicate_artifacts(0, 100).await.unwrap();
        assert_eq!(artifacts.len(), 1);
        let (oa, ta) = &artifacts[0];
        assert_eq!((oa.key, oa.author), (PostKey::Artifact(art), Some(bob)));
        assert_ne!(oa.team, o1.team);
        assert!(ta.tags.contains(&"fluentd".to_owned()));
        assert_eq!(s.duplicate_watermark().await.unwrap(), (hidden, art));

        // Summaries name the author and team, never the anonymous asker, and
        // leave out hidden posts.
        let summaries = s
            .post_summaries(&[
                PostKey::Thread(t1),
                PostKey::Thread(t2),
                PostKey::Thread(hidden),
                PostKey::Artifact(art),
            ])
            .await
            .unwrap();
        assert_eq!(summaries.len(), 3);
        let of = |k| summaries.iter().find(|p| p.key == k).unwrap();
        assert_eq!(
            of(PostKey::Thread(t1)).author,
            Some((ada, "Ada".to_owned()))
        );
        assert_eq!(of(PostKey::Thread(t1)).team.as_deref(), Some("Payments"));
        assert_eq!(of(PostKey::Thread(t1)).community_slug, "logs");
        assert_eq!(of(PostKey::Thread(t2)).author, None);
        assert_eq!(of(PostKey::Thread(t2)).team, None);
        assert_eq!(of(PostKey::Artifact(art)).team.as_deref(), Some("Search"));
    }
}

#[tokio::test]
async fn decisions_are_remembered_and_linking_an_artifact_links_it_in_the_practice() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("logs", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let other = s
            .create_community(&charter("ops", Visibility::Open), bob, t0())
            .await
            .unwrap();
        let t1 = s
            .open_thread(
                &thread(
                    c,
                    ada,
                    ThreadType::Question,
                    "Fluentd drops fields",
                    "Load.",
                ),
                t0(),
            )
            .await
            .unwrap();
        let t2 = s
            .open_thread(
                &thread(other, bob, ThreadType::Question, "Fields vanish", "Busy."),
                t0(),
            )
            .await
            .unwrap();
        let art = s
            .create_artifact(&guide(c, ada, "Fluentd buffers", "Raise the buffer."), t0())
            .await
            .unwrap();
        let terms = vec!["fluentd".to_owned(), "field".to_owned()];

        // Given in either order, stored once in canonical order.
        s.decide_duplicate(
            PostKey::Thread(t2),
            PostKey::Thread(t1),
            Verdict::Link,
            &terms,
            bob,
            t0(),
        )
        .await
        .unwrap();
        s.decide_duplicate(
            PostKey::Thread(t1),
            PostKey::Thread(t2),
            Verdict::NotTheSame,
            &terms,
            ada,
            t0(),
        )
        .await
        .unwrap();
        let all = s.duplicate_decisions().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].a, all[0].b),
            (PostKey::Thread(t1), PostKey::Thread(t2))
        );
        assert_eq!(all[0].verdict, Verdict::NotTheSame);
        assert_eq!(all[0].shared, terms);
        assert_eq!(all[0].decided_by, Some(ada));
        assert_eq!(all[0].decided_at, t0());
        assert_eq!(all[0].other(PostKey::Thread(t2)), PostKey::Thread(t1));

        // An artifact linked with a thread of its community: a practice link too.
        s.decide_duplicate(
            PostKey::Artifact(art),
            PostKey::Thread(t1),
            Verdict::Link,
            &terms,
            ada,
            t0(),
        )
        .await
        .unwrap();
        let links = s.artifact_links(art).await.unwrap();
        assert_eq!(links.threads.iter().map(|t| t.id).collect::<Vec<_>>(), [t1]);
        // Twice is the same as once.
        s.decide_duplicate(
            PostKey::Thread(t1),
            PostKey::Artifact(art),
            Verdict::Link,
            &terms,
            ada,
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(s.artifact_links(art).await.unwrap().threads.len(), 1);
        // Across communities only the decision links them.
        s.decide_duplicate(
            PostKey::Artifact(art),
            PostKey::Thread(t2),
            Verdict::Link,
            &terms,
            ada,
            t0(),
        )
        .await
        .unwrap();
        assert_eq!(s.artifact_links(art).await.unwrap().threads.len(), 1);

        let of_t1 = s.duplicate_decisions_of(PostKey::Thread(t1)).await.unwrap();
        assert_eq!(of_t1.len(), 2);
        let of_art = s
            .duplicate_decisions_of(PostKey::Artifact(art))
            .await
            .unwrap();
        assert_eq!(
            of_art
                .iter()
                .map(|d| d.other(PostKey::Artifact(art)))
                .collect::<Vec<_>>(),
            [PostKey::Thread(t1), PostKey::Thread(t2)]
        );

        // A post is not its own duplicate; a missing post is not found.
        let same = s
            .decide_duplicate(
                PostKey::Thread(t1),
                PostKey::Thread(t1),
                Verdict::Link,
                &[],
                ada,
                t0(),
            )
            .await;
        assert!(matches!(same, Err(StoreError::Conflict { .. })), "{same:?}");
        let missing = s
            .decide_duplicate(
                PostKey::Thread(t1),
                PostKey::Artifact(999),
                Verdict::Link,
                &[],
                ada,
                t0(),
            )
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        assert_eq!(s.duplicate_decisions().await.unwrap().len(), 3);

        // Merging people moves their decisions.
        s.merge_people(ada, bob).await.unwrap();
        assert!(
            s.duplicate_decisions()
                .await
                .unwrap()
                .iter()
                .all(|d| d.decided_by == Some(bob))
        );
    }
}
