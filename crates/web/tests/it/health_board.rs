//! The health board: the portfolio computed from the store's activity log,
//! refreshed by tailing new events.

use chrono::Duration;
use domain::community::{CommunityType, Orientation, Visibility};
use store::communities::NewCommunity;
use store::people::NewPerson;
use web::vitality::HealthBoard;

fn charter(slug: &str) -> NewCommunity {
    NewCommunity {
        slug: slug.into(),
        name: slug.into(),
        domain_question: "What is worth learning together?".into(),
        purpose: String::new(),
        community_type: CommunityType::TechnicalPractice,
        orientation: Orientation::KnowledgeWeaving,
        visibility: Visibility::Open,
    }
}

#[tokio::test]
async fn the_board_reads_the_log_and_picks_up_new_events() {
    for db in store::testing::all().await {
        let s = &db.store;
        let t0 = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .unwrap()
            .to_utc();
        let ada = s
            .create_person(
                &NewPerson {
                    email: "ada@example.org".into(),
                    display_name: "Ada".into(),
                    password_hash: None,
                    org_role: domain::person::OrgRole::Member,
                },
                t0,
            )
            .await
            .unwrap();
        s.create_community(&charter("first-guild"), ada, t0)
            .await
            .unwrap();
        let board = HealthBoard::default();
        assert!(
            board.snapshot().is_none(),
            "nothing before the first computation"
        );
        board
            .refresh(s, t0 + Duration::days(1), true)
            .await
            .unwrap();
        let snap = board.snapshot().unwrap();
        let slugs: Vec<_> = snap
            .portfolio
            .communities
            .iter()
            .filter_map(|c| c.community.clone())
            .collect();
        assert_eq!(slugs, ["first-guild"]);
        assert_eq!(snap.computed_at, t0 + Duration::days(1));
        // A community started later appears after the next tail, without a reload.
        s.create_community(&charter("second-guild"), ada, t0 + Duration::days(2))
            .await
            .unwrap();
        board
            .refresh(s, t0 + Duration::days(3), false)
            .await
            .unwrap();
        let slugs: Vec<_> = board
            .snapshot()
            .unwrap()
            .portfolio
            .communities
            .iter()
            .filter_map(|c| c.community.clone())
            .collect();
        assert_eq!(slugs, ["first-guild", "second-guild"]);
        // Reloading from scratch gives the same portfolio.
        let tailed = board.snapshot().unwrap().portfolio;
        board
            .refresh(s, t0 + Duration::days(3), true)
            .await
            .unwrap();
        assert_eq!(*board.snapshot().unwrap().portfolio, *tailed);
    }
}
