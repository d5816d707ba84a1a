//! Full-text search over threads and replies: ranking (titles weigh most),
//! filters, stemming and any-word matching, input that looks like query
//! syntax, privacy, merged and archived communities, and ranking within the
//! newest matches.

use chrono::Duration;
use domain::community::Visibility;
use domain::thread::ThreadType;
use store::StoreError;
use store::testing;
use store::threads::SearchFilter;

use crate::threads::{charter, thread};
use crate::{person, t0};

#[tokio::test]
async fn search_ranks_filters_and_keeps_private_posts_private() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let open = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let private = s
            .create_community(&charter("secrets", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let in_title = s
            .open_thread(
                &thread(
                    open,
                    ada,
                    ThreadType::Question,
                    "Kubernetes rollback",
                    "How?",
                ),
                t0(),
            )
            .await
            .unwrap();
        let in_body = s
            .open_thread(
                &thread(
                    open,
                    ada,
                    ThreadType::Discussion,
                    "Deploy notes",
                    "a note on kubernetes",
                ),
                t0(),
            )
            .await
            .unwrap();
        s.open_thread(
            &thread(
                private,
                ada,
                ThreadType::Discussion,
                "Kubernetes secrets",
                "private kubernetes",
            ),
            t0(),
        )
        .await
        .unwrap();
        let find = |viewer: i64, f: SearchFilter| async move {
            s.search(viewer, &f, 0, 10).await.unwrap()
        };
        let q = || SearchFilter {
            query: "kubernetes".into(),
            ..Default::default()
        };
        // The title weighs more than the body; the outsider never sees the private thread.
        let bob_hits = find(bob, q()).await;
        assert_eq!(
            bob_hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
            [in_title, in_body]
        );
        assert_eq!(find(ada, q()).await.len(), 3);
        assert_eq!(
            find(
                ada,
                SearchFilter {
                    community: Some(open),
                    ..q()
                }
            )
            .await
            .len(),
            2
        );
        assert_eq!(
            find(
                ada,
                SearchFilter {
                    thread_type: Some(ThreadType::Question),
                    ..q()
                }
            )
            .await
            .len(),
            1
        );
        assert_eq!(
            find(
                ada,
                SearchFilter {
                    solved: Some(false),
                    ..q()
                }
            )
            .await
            .len(),
            1
        );
        assert!(
            find(
                ada,
                SearchFilter {
                    solved: Some(true),
                    ..q()
                }
            )
            .await
            .is_empty()
        );
        assert!(
            find(
                ada,
                SearchFilter {
                    tag: Some("nope".into()),
                    ..q()
                }
            )
            .await
            .is_empty()
        );
        // Stemming, any-word matching, and operator-looking input read as words.
        let notes = find(
            bob,
            SearchFilter {
                query: "noting".into(),
                ..Default::default()
            },
        )
        .await;
        assert_eq!(
            notes.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
            [in_body]
        );
        let zebra = |any_word| SearchFilter {
            query: "kubernetes zebra".into(),
            any_word,
            ..Default::default()
        };
        assert!(find(bob, zebra(false)).await.is_empty());
        assert_eq!(find(bob, zebra(true)).await.len(), 2);
        assert!(
            find(
                bob,
                SearchFilter {
                    query: "\"NEAR( OR * -".into(),
                    ..Default::default()
                }
            )
            .await
            .is_empty()
        );
        // Merged and archived communities' posts stay searchable.
        let other = s
            .create_community(&charter("shipping", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.merge(open, other, ada, t0()).await.unwrap();
        let hits = find(bob, q()).await;
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].community_slug, "shipping");
        assert_eq!(s.thread(in_title).await.unwrap().community_id, other);
        s.archive(other, ada, t0()).await.unwrap();
        assert_eq!(find(bob, q()).await.len(), 2);
        assert!(matches!(
            s.open_thread(
                &thread(other, ada, ThreadType::Discussion, "Late", "x"),
                t0()
            )
            .await,
            Err(StoreError::Conflict { .. })
        ));
    }
}

#[tokio::test]
async fn relevance_is_ranked_within_the_newest_matches() {
    use store::threads::{RANKED_WINDOW, SeedThread};
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("deploys", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let seed = |title: &str, i: i64| SeedThread {
            community_id: c,
            author_id: ada,
            thread_type: ThreadType::Discussion,
            title: title.into(),
            body: "a common word".into(),
            tags: Vec::new(),
            at: t0() + Duration::minutes(i),
            replies: Vec::new(),
            accepted: None,
        };
        // The oldest post says "common" most, but is older than the window.
        let mut threads = vec![seed("common common common", 0)];
        threads.extend((1..=RANKED_WINDOW).map(|i| seed("plain", i)));
        let ids = s.seed_threads(&threads).await.unwrap();
        let filter = SearchFilter {
            query: "common".into(),
            ..Default::default()
        };
        let first = s.search(ada, &filter, 0, 5).await.unwrap();
        assert_eq!(first.len(), 5);
        assert!(first.iter().all(|h| h.thread_id != ids[0]));
        assert!(
            s.search(ada, &filter, RANKED_WINDOW, 5)
                .await
                .unwrap()
                .is_empty()
        );
        let last = s.search(ada, &filter, RANKED_WINDOW - 2, 5).await.unwrap();
        assert_eq!(last.len(), 2);
    }
}
