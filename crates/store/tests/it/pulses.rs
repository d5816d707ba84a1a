//! Pulse surveys: one anonymous answer per person, results only from five
//! answers up, unattributed `pulse_answered` events.

use chrono::Duration;
use domain::community::{CommunityType, Orientation, Visibility};
use store::StoreError;
use store::activity::LogFilter;
use store::communities::NewCommunity;
use store::testing;

use crate::{person, t0};

#[tokio::test]
async fn pulses_collect_anonymous_answers_and_show_results_from_five() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let community = s
            .create_community(
                &NewCommunity {
                    slug: "pulse-guild".into(),
                    name: "Pulse Guild".into(),
                    domain_question: "Are we useful?".into(),
                    purpose: String::new(),
                    community_type: CommunityType::CrossCutting,
                    orientation: Orientation::KnowledgeWeaving,
                    visibility: Visibility::Open,
                },
                steward,
                t0(),
            )
            .await
            .unwrap();
        let pulse = s
            .open_pulse(community, domain::pulse::DEFAULT_QUESTION, steward, t0())
            .await
            .unwrap();
        let mut people = Vec::new();
        for i in 0..5 {
            people.push(person(s, &format!("m{i}@x.org"), &format!("Member {i}")).await);
        }
        for (i, p) in people.iter().take(4).enumerate() {
            let comment = (i == 0).then_some("the demos help");
            s.answer_pulse(pulse, *p, i as i64 + 2, comment, t0() + Duration::hours(1))
                .await
                .unwrap();
        }
        assert!(
            s.pulse_results(pulse).await.unwrap().is_none(),
            "four answers show nothing"
        );
        assert_eq!(s.pulse(pulse).await.unwrap().answers, 4);
        assert!(s.has_answered(pulse, people[0]).await.unwrap());
        assert!(!s.has_answered(pulse, people[4]).await.unwrap());
        let again = s
            .answer_pulse(pulse, people[0], 5, None, t0())
            .await
            .unwrap_err();
        assert!(
            matches!(again, StoreError::Conflict { field: "pulse", .. }),
            "{again:?}"
        );
        s.answer_pulse(pulse, people[4], 5, None, t0() + Duration::hours(2))
            .await
            .unwrap();
        let results = s.pulse_results(pulse).await.unwrap().unwrap();
        assert_eq!(results.answers, 5);
        assert_eq!(results.distribution, [0, 1, 1, 1, 2]);
        assert!((results.mean - 3.8).abs() < 1e-9);
        assert_eq!(results.comments, ["the demos help"]);
        // The log counts the answers but names no one.
        let log = s.activity_page(LogFilter::default(), 0, 100).await.unwrap();
        let answered: Vec<_> = log.iter().filter(|e| e.kind == "pulse_answered").collect();
        assert_eq!(answered.len(), 5);
        assert!(
            answered
                .iter()
                .all(|e| e.actor.is_none() && e.team.is_none() && e.value.is_some())
        );
        s.close_pulse(pulse, t0() + Duration::days(1))
            .await
            .unwrap();
        let late = person(s, "late@x.org", "Late").await;
        assert!(matches!(
            s.answer_pulse(pulse, late, 3, None, t0()).await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(s.pulses(community).await.unwrap().len(), 1);
        assert!(matches!(
            s.answer_pulse(9_999, late, 3, None, t0()).await,
            Err(StoreError::NotFound)
        ));
    }
}
