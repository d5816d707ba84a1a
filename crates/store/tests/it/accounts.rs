//! Sessions, personal access tokens and the log-in failure counter.

use chrono::Duration;
use store::StoreError;
use store::testing;

use crate::{person, t0};

#[tokio::test]
async fn sessions_expire_and_end() {
    for db in testing::all().await {
        let s = &db.store;
        let id = person(s, "ada@x.org", "Ada").await;
        s.create_session("h1", id, "csrf1", t0(), t0() + Duration::days(1))
            .await
            .unwrap();
        let got = s.session("h1", t0()).await.unwrap().unwrap();
        assert_eq!((got.person_id, got.csrf_token.as_str()), (id, "csrf1"));
        assert!(
            s.session("h1", t0() + Duration::days(1))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert!(s.session("other", t0()).await.unwrap().is_none());
        s.delete_session("h1").await.unwrap();
        assert!(s.session("h1", t0()).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn tokens_are_listed_used_and_revoked() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let tok = s
            .create_token(ada, "laptop", "hash-a", "gh_abcd", t0())
            .await
            .unwrap();
        assert_eq!(s.token_owner("hash-a", t0()).await.unwrap(), Some(ada));
        let listed = s.tokens(ada).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].last_used_at, Some(t0()));
        assert!(s.tokens(bob).await.unwrap().is_empty());
        // Bob cannot revoke Ada's token.
        assert!(matches!(
            s.revoke_token(bob, tok.id, t0()).await,
            Err(StoreError::NotFound)
        ));
        s.revoke_token(ada, tok.id, t0()).await.unwrap();
        assert_eq!(s.token_owner("hash-a", t0()).await.unwrap(), None);
        assert!(s.tokens(ada).await.unwrap()[0].revoked_at.is_some());
    }
}

#[tokio::test]
async fn login_failures_count_within_a_window_and_clear() {
    for db in testing::all().await {
        let s = &db.store;
        for m in 0..3 {
            s.record_login_failure(
                &["email:ada@x.org", "ip:127.0.0.1"],
                t0() + Duration::minutes(m),
            )
            .await
            .unwrap();
        }
        assert_eq!(
            s.login_failures_since("email:ada@x.org", t0())
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            s.login_failures_since("email:ada@x.org", t0() + Duration::minutes(2))
                .await
                .unwrap(),
            1
        );
        s.clear_login_failures("email:ada@x.org").await.unwrap();
        assert_eq!(
            s.login_failures_since("email:ada@x.org", t0())
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            s.login_failures_since("ip:127.0.0.1", t0()).await.unwrap(),
            3
        );
    }
}

#[tokio::test]
async fn a_second_handle_on_the_same_database_sees_the_same_sessions() {
    for db in testing::all().await {
        let id = person(&db.store, "ada@x.org", "Ada").await;
        db.store
            .create_session("shared", id, "c", t0(), t0() + Duration::hours(1))
            .await
            .unwrap();
        let other = store::Store::open_in_schema(&db.url, db.schema.clone())
            .await
            .unwrap();
        assert_eq!(
            other
                .session("shared", t0())
                .await
                .unwrap()
                .unwrap()
                .person_id,
            id
        );
    }
}
