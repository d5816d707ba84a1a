//! Experiments and adoption: the loop's moves and the events they log
//! (exactly once, with kind, subject and team), a concluded experiment
//! becoming a draft artifact, one adoption per team and artifact, and
//! influence over time.

use chrono::{Duration, NaiveDate};
use domain::community::{CommunityType, Orientation, Visibility};
use domain::experiment::{self, ExperimentStatus};
use domain::person::ProfileDraft;
use domain::practice::{ArtifactState, ContentDraft};
use store::activity::LoggedEvent;
use store::communities::NewCommunity;
use store::practice::{NewArtifact, Source};
use store::{Store, StoreError, testing};

use crate::{person, t0};

async fn on_team(s: &Store, id: i64, name: &str, team: &str) {
    let p = ProfileDraft {
        display_name: name.into(),
        team: team.into(),
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

async fn experiment_events(s: &Store) -> Vec<LoggedEvent> {
    s.activity_page(Default::default(), 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("experiment_"))
        .collect()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn the_loop_moves_only_forward_and_logs_start_and_conclusion_once() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        on_team(s, ada, "Ada", "Payments").await;
        let c = community(s, "learners", ada).await;
        let plan = experiment::plan(
            "Pair reviews",
            "Pairing halves review time",
            "2026-03-02",
            "2026-03-30",
        )
        .unwrap();
        let id = s
            .propose_experiment(c, &plan, ada, ada, t0())
            .await
            .unwrap();
        let e = s.experiment(id).await.unwrap();
        assert_eq!(e.status, ExperimentStatus::Proposed);
        assert_eq!(e.owner, Some((ada, "Ada".into())));
        assert_eq!(e.review_on, Some(d("2026-03-30")));
        assert!(
            experiment_events(s).await.is_empty(),
            "proposing logs nothing"
        );

        let none = experiment::notes("", "").unwrap();
        let skip = s
            .move_experiment(id, ExperimentStatus::Concluded, &none, ada, t0())
            .await
            .unwrap_err();
        assert!(
            matches!(
                skip,
                StoreError::Conflict {
                    field: "status",
                    ..
                }
            ),
            "{skip:?}"
        );

        let start = t0() + Duration::days(1);
        s.move_experiment(id, ExperimentStatus::Running, &none, ada, start)
            .await
            .unwrap();
        let again = s
            .move_experiment(id, ExperimentStatus::Running, &none, ada, start)
            .await
            .unwrap_err();
        assert!(matches!(
            again,
            StoreError::Conflict {
                field: "status",
                ..
            }
        ));
        let bare = s
            .move_experiment(id, ExperimentStatus::Concluded, &none, ada, start)
            .await
            .unwrap_err();
        assert!(
            matches!(&bare, StoreError::Conflict { message, .. } if message.contains("result")),
            "concluding needs a result: {bare:?}"
        );
        let end = t0() + Duration::days(30);
        let done =
            experiment::conclusion("Reviews took 40% less time", "Pair on risky changes").unwrap();
        s.move_experiment(id, ExperimentStatus::Concluded, &done, ada, end)
            .await
            .unwrap();
        let e = s.experiment(id).await.unwrap();
        assert_eq!(e.status, ExperimentStatus::Concluded);
        assert_eq!(e.started_at, Some(start));
        assert_eq!(e.concluded_at, Some(end));
        assert_eq!(e.learnings, "Pair on risky changes");
        let closed = s
            .move_experiment(id, ExperimentStatus::Abandoned, &none, ada, end)
            .await
            .unwrap_err();
        assert!(matches!(
            closed,
            StoreError::Conflict {
                field: "status",
                ..
            }
        ));

        let events = experiment_events(s).await;
        let seen: Vec<_> = events
            .iter()
            .map(|e| {
                (
                    e.kind.as_str(),
                    e.subject.clone(),
                    e.team.clone(),
                    e.actor,
                    e.at,
                )
            })
            .collect();
        let subject = Some(format!("experiment-{id}"));
        let team = Some("Payments".to_owned());
        assert_eq!(
            seen,
            vec![
                (
                    "experiment_started",
                    subject.clone(),
                    team.clone(),
                    Some(ada),
                    start
                ),
                ("experiment_concluded", subject, team, Some(ada), end),
            ]
        );

        // Abandoning logs nothing; a proposal can be abandoned outright.
        let other = s
            .propose_experiment(c, &plan, ada, ada, t0())
            .await
            .unwrap();
        s.move_experiment(other, ExperimentStatus::Abandoned, &none, ada, end)
            .await
            .unwrap();
        assert_eq!(experiment_events(s).await.len(), 2);
        let list = s.experiments(c).await.unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.iter().all(|e| e.status.is_final()));
    }
}

#[tokio::test]
async fn a_concluded_experiment_becomes_one_draft_artifact() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = community(s, "learners", ada).await;
        let plan = experiment::plan("Demo days", "Demos spread practices", "", "").unwrap();
        let id = s
            .propose_experiment(c, &plan, ada, ada, t0())
            .await
            .unwrap();
        let content = ContentDraft {
            kind: "story".into(),
            title: "Demo days".into(),
            body: experiment::artifact_body("h", "r", "l"),
            ..Default::default()
        }
        .check()
        .unwrap();
        let early = s
            .experiment_to_artifact(id, &content, ada, ada, t0())
            .await
            .unwrap_err();
        assert!(matches!(
            early,
            StoreError::Conflict {
                field: "status",
                ..
            }
        ));
        let none = experiment::notes("", "").unwrap();
        s.move_experiment(id, ExperimentStatus::Running, &none, ada, t0())
            .await
            .unwrap();
        let done = experiment::conclusion("Two teams copied it", "Record the demos").unwrap();
        s.move_experiment(id, ExperimentStatus::Concluded, &done, ada, t0())
            .await
            .unwrap();
        let artifact = s
            .experiment_to_artifact(id, &content, ada, ada, t0())
            .await
            .unwrap();
        assert_eq!(s.experiment(id).await.unwrap().artifact_id, Some(artifact));
        let a = s.artifact(artifact).await.unwrap();
        assert_eq!(a.state, ArtifactState::Draft);
        assert_eq!(a.source.experiment_id, Some(id));
        assert_eq!(a.community_id, c);
        let twice = s
            .experiment_to_artifact(id, &content, ada, ada, t0())
            .await
            .unwrap_err();
        assert!(matches!(
            twice,
            StoreError::Conflict {
                field: "experiment",
                ..
            }
        ));
    }
}

async fn artifact(s: &Store, c: i64, author: i64, title: &str) -> i64 {
    let content = ContentDraft {
        kind: "checklist".into(),
        title: title.into(),
        body: "- [ ] check".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    s.create_artifact(
        &NewArtifact {
            community_id: c,
            author_id: author,
            owner_id: None,
            content,
            state: ArtifactState::Published,
            source: Source::default(),
            summary: String::new(),
        },
        t0(),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn one_adoption_per_team_and_influence_accumulates_over_months() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bo = person(s, "bo@x.org", "Bo").await;
        on_team(s, ada, "Ada", "Payments").await;
        on_team(s, bo, "Bo", "Search").await;
        let c = community(s, "learners", ada).await;
        let elsewhere = community(s, "elsewhere", ada).await;
        let release = artifact(s, c, ada, "Release checklist").await;
        let review = artifact(s, c, ada, "Review checklist").await;
        let foreign = artifact(s, elsewhere, ada, "Foreign checklist").await;
        let payments = s.team_named("Payments").await.unwrap().unwrap();
        let search = s.team_named("Search").await.unwrap().unwrap();
        assert_eq!(s.team_named("Nobody").await.unwrap(), None);

        let first = s
            .record_adoption(
                release,
                payments,
                d("2026-01-10"),
                "all services",
                ada,
                t0(),
            )
            .await
            .unwrap();
        let twice = s
            .record_adoption(release, payments, d("2026-02-10"), "", bo, t0())
            .await
            .unwrap_err();
        assert!(
            matches!(twice, StoreError::Conflict { field: "team", .. }),
            "{twice:?}"
        );
        s.record_adoption(release, search, d("2026-02-20"), "", bo, t0())
            .await
            .unwrap();
        s.record_adoption(review, search, d("2026-03-01"), "", bo, t0())
            .await
            .unwrap();
        s.record_adoption(foreign, payments, d("2026-01-01"), "", ada, t0())
            .await
            .unwrap();

        let list = s.adoptions(release).await.unwrap();
        assert_eq!(
            list.iter().map(|a| a.team.as_str()).collect::<Vec<_>>(),
            ["Payments", "Search"]
        );
        assert_eq!(list[0].recorded_by, Some((ada, "Ada".into())));
        assert_eq!(list[0].note, "all services");
        assert_eq!(s.adopted_artifact(release).await.unwrap().community_id, c);

        let facts = s.community_adoptions(c).await.unwrap();
        assert_eq!(facts.len(), 3, "only this community's artifacts count");
        let teams: Vec<String> = s
            .teams()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        let inf = domain::influence::influence(&facts, &teams, d("2026-03-02"));
        assert_eq!(inf.months.len(), 3);
        assert_eq!(inf.reached, vec![1, 2, 2]);
        assert_eq!(inf.rows[0].team, "Search");
        assert_eq!(inf.rows[0].cumulative, vec![0, 1, 2]);
        assert_eq!(inf.top[0].title, "Release checklist");
        assert_eq!(inf.top[0].teams, 2);
        let by = s.artifacts_by_adoption(c).await.unwrap();
        assert_eq!(by[0], (release, "Release checklist".into(), 2));
        assert_eq!(by[1], (review, "Review checklist".into(), 1));

        // A mistaken record is removed; the team can then be recorded again.
        s.remove_adoption(first).await.unwrap();
        assert!(matches!(
            s.remove_adoption(first).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.adoptions(release).await.unwrap().len(), 1);
        s.record_adoption(release, payments, d("2026-02-01"), "", ada, t0())
            .await
            .unwrap();
        // Adoption writes nothing to the activity log.
        let log = s.activity_page(Default::default(), 0, 1000).await.unwrap();
        assert!(log.iter().all(|e| !e.kind.contains("adopt")));
    }
}

#[tokio::test]
async fn merging_people_moves_experiments_and_adoptions() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let old = person(s, "old@x.org", "Old Ada").await;
        on_team(s, ada, "Ada", "Payments").await;
        let c = community(s, "learners", ada).await;
        s.join_community(c, old, t0()).await.unwrap();
        let plan = experiment::plan("Mob Fridays", "Mobbing spreads knowledge", "", "").unwrap();
        let id = s
            .propose_experiment(c, &plan, old, old, t0())
            .await
            .unwrap();
        let a = artifact(s, c, ada, "Mob guide").await;
        let payments = s.team_named("Payments").await.unwrap().unwrap();
        s.record_adoption(a, payments, d("2026-03-01"), "", old, t0())
            .await
            .unwrap();
        s.merge_people(old, ada).await.unwrap();
        let e = s.experiment(id).await.unwrap();
        assert_eq!(e.owner.map(|o| o.0), Some(ada));
        assert_eq!(e.created_by, Some(ada));
        assert_eq!(
            s.adoptions(a).await.unwrap()[0]
                .recorded_by
                .as_ref()
                .map(|r| r.0),
            Some(ada)
        );
    }
}
