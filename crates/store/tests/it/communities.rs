//! Communities as the foundation needs them: creation with a steward,
//! joining, visibility, and the activity events they append.

use domain::community::{CommunityType, Orientation, Visibility};
use store::StoreError;
use store::communities::NewCommunity;
use store::testing;

use crate::{person, t0};

fn charter(slug: &str, visibility: Visibility) -> NewCommunity {
    NewCommunity {
        slug: slug.into(),
        name: slug.replace('-', " "),
        domain_question: "How do we see what our systems are doing?".into(),
        purpose: String::new(),
        community_type: CommunityType::TechnicalPractice,
        orientation: Orientation::KnowledgeWeaving,
        visibility,
    }
}

#[tokio::test]
async fn private_communities_are_seen_only_by_members() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let open = s.create_community(&charter("observability", Visibility::Open), ada, t0()).await.unwrap();
        s.create_community(&charter("incident-review", Visibility::Private), ada, t0()).await.unwrap();
        let slugs = |v: Vec<store::communities::CommunitySummary>| v.into_iter().map(|c| c.slug).collect::<Vec<_>>();
        assert_eq!(slugs(s.visible_communities(Some(ada)).await.unwrap()), ["incident-review", "observability"]);
        assert_eq!(slugs(s.visible_communities(Some(bob)).await.unwrap()), ["observability"]);
        assert_eq!(slugs(s.visible_communities(None).await.unwrap()), ["observability"]);
        s.join_community(open, bob, t0()).await.unwrap();
        assert!(matches!(s.join_community(open, bob, t0()).await, Err(StoreError::Conflict { .. })));
        let listed = s.visible_communities(Some(bob)).await.unwrap();
        assert_eq!(listed[0].members, 2);
        assert_eq!(listed[0].stage, "potential");
        assert!(matches!(
            s.create_community(&charter("observability", Visibility::Open), bob, t0()).await,
            Err(StoreError::Conflict { field: "slug", .. })
        ));
    }
}
