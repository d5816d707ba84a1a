//! Bots and system accounts: kept in the store, absent from the activity log.

use domain::community::{CommunityType, Orientation, Visibility};
use store::activity::LogFilter;
use store::communities::NewCommunity;
use store::testing;

use crate::{person, t0};

#[tokio::test]
async fn a_bots_actions_are_kept_but_never_logged() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bot = person(s, "deploy-bot@x.org", "Deploy Bot").await;
        assert!(!s.is_bot(bot).await.unwrap());
        s.set_bot(bot, true, t0()).await.unwrap();
        assert!(s.is_bot(bot).await.unwrap());
        let charter = NewCommunity {
            slug: "release-craft".into(),
            name: "Release Craft".into(),
            domain_question: "How do we ship without fear?".into(),
            purpose: String::new(),
            community_type: CommunityType::ProcessOriented,
            orientation: Orientation::CollaborativeLearning,
            visibility: Visibility::Open,
        };
        let id = s.create_community(&charter, ada, t0()).await.unwrap();
        s.join_community(id, bot, t0()).await.unwrap();
        let listed = s.visible_communities(Some(ada)).await.unwrap();
        assert_eq!(listed[0].members, 2, "the bot's membership is kept");
        let log = s.activity_page(LogFilter::default(), 0, 100).await.unwrap();
        assert_eq!(log.len(), 1, "only Ada's join is logged");
        assert_eq!(log[0].actor, Some(ada));
        assert!(matches!(
            s.set_bot(99_999, true, t0()).await,
            Err(store::StoreError::NotFound)
        ));
    }
}
