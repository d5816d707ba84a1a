//! Expertise: the evidence read from answers, acceptances, "helpful"
//! reactions, artifacts and experiments; anonymous posts counting for no
//! one; private communities only in scope for their members; the "before"
//! cut-off a replay relies on; hidden inferred expertise; the answerers of
//! a community with their recent load; and notifications only for those
//! who opted in, once per thread.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use domain::community::Visibility;
use domain::expertise::{Contribution, Source};
use domain::practice::ContentDraft;
use domain::thread::{Reaction, ThreadType};
use store::expertise::{EvidenceQuery, ExpertiseSettings, Scope};
use store::practice::{NewArtifact, Source as ArtifactSource};
use store::threads::{NewReply, NewThread};
use store::{Store, testing};

use crate::threads::charter;
use crate::{person, t0};

fn question(community: i64, author: i64, tags: &[&str], anonymous: bool) -> NewThread {
    NewThread {
        community_id: community,
        author_id: author,
        anonymous,
        thread_type: ThreadType::Question,
        title: "How do I roll back a deploy?".into(),
        body: "It broke.".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

async fn answer(s: &Store, thread: i64, author: i64, at: DateTime<Utc>) -> i64 {
    s.reply(
        &NewReply {
            thread_id: thread,
            author_id: author,
            body: "Try this.".into(),
            quote_of: None,
        },
        at,
    )
    .await
    .unwrap()
}

/// Counts by (person, kind, topic).
fn counted(list: &[Contribution]) -> BTreeMap<(i64, &'static str, String), u32> {
    let mut out = BTreeMap::new();
    for c in list {
        *out.entry((c.person, c.source.as_str(), c.topic.clone()))
            .or_default() += c.count;
    }
    out
}

#[tokio::test]
async fn evidence_comes_from_named_contributions_in_scope_before_the_cut_off() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bo = person(s, "bo@x.org", "Bo").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let open = s
            .create_community(&charter("ops", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let hidden = s
            .create_community(&charter("secret", Visibility::Private), ada, t0())
            .await
            .unwrap();
        for c in [open, hidden] {
            s.join_community(c, bo, t0()).await.ok();
        }
        s.join_community(open, cy, t0()).await.unwrap();

        // Ada asks; Bo answers and is accepted, Cy answers too.
        let q = s
            .open_thread(&question(open, ada, &["kubernetes", "helm"], false), t0())
            .await
            .unwrap();
        let r = answer(s, q, bo, t0() + Duration::hours(1)).await;
        answer(s, q, cy, t0() + Duration::hours(2)).await;
        s.accept_answer(q, r, t0() + Duration::days(3))
            .await
            .unwrap();
        // Cy finds Bo's answer helpful; Bo reacting to his own counts nothing.
        s.react(
            q,
            Some(r),
            cy,
            Reaction::Helpful,
            true,
            t0() + Duration::days(4),
        )
        .await
        .unwrap();
        // An anonymous question by Cy, answered by Ada: Ada's answer counts,
        // the anonymous asker's own reply and a reaction to it count for no one.
        let anon = s
            .open_thread(&question(open, cy, &["kubernetes"], true), t0())
            .await
            .unwrap();
        answer(s, anon, ada, t0() + Duration::hours(5)).await;
        let own = answer(s, anon, cy, t0() + Duration::hours(6)).await;
        s.react(
            anon,
            Some(own),
            bo,
            Reaction::Helpful,
            true,
            t0() + Duration::hours(7),
        )
        .await
        .unwrap();
        s.react(
            anon,
            None,
            bo,
            Reaction::Helpful,
            true,
            t0() + Duration::hours(7),
        )
        .await
        .unwrap();
        // Bo answers in the private community.
        let p = s
            .open_thread(&question(hidden, ada, &["vault"], false), t0())
            .await
            .unwrap();
        answer(s, p, bo, t0() + Duration::hours(1)).await;
        // Ada owns an artifact tagged kubernetes.
        let content = ContentDraft {
            kind: "guide".into(),
            title: "Rolling back".into(),
            body: "Steps.".into(),
            tags: "kubernetes".into(),
            ..ContentDraft::default()
        }
        .check()
        .unwrap();
        s.create_artifact(
            &NewArtifact {
                community_id: open,
                author_id: ada,
                owner_id: Some(ada),
                content,
                state: domain::practice::ArtifactState::Published,
                source: ArtifactSource::default(),
                summary: "First".into(),
            },
            t0() + Duration::days(1),
        )
        .await
        .unwrap();
        // Cy runs an experiment whose title names a topic in use.
        let plan =
            domain::experiment::plan("Canary releases on Kubernetes", "Fewer rollbacks", "", "")
                .unwrap();
        let e = s
            .propose_experiment(open, &plan, cy, cy, t0())
            .await
            .unwrap();
        s.move_experiment(
            e,
            domain::experiment::ExperimentStatus::Running,
            &domain::experiment::Conclusion {
                result: String::new(),
                learnings: String::new(),
            },
            cy,
            t0() + Duration::days(2),
        )
        .await
        .unwrap();

        // What a replay walks through: questions in order with their answerers.
        let (past, answers) = s.past_questions(open).await.unwrap();
        assert_eq!(past.iter().map(|q| q.id).collect::<Vec<_>>(), vec![q, anon]);
        assert_eq!(past[0].accepted_author, Some(bo));
        assert_eq!(past[0].answerers, vec![bo, cy]);
        assert_eq!(past[0].tags, vec!["kubernetes", "helm"]);
        assert_eq!(
            (past[1].asker, past[1].answerers.clone()),
            (None, vec![ada])
        );
        assert_eq!(
            answers.len(),
            3,
            "the anonymous asker's own reply is no answer"
        );

        let outsider = EvidenceQuery {
            scope: Scope::default(),
            ..Default::default()
        };
        let all = counted(&s.contributions(&outsider).await.unwrap());
        let k = |p: i64, kind: &'static str, t: &str| (p, kind, t.to_owned());
        assert_eq!(all.get(&k(bo, "accepted_answer", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(bo, "answer", "helm")), Some(&1));
        assert_eq!(all.get(&k(bo, "helpful", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(cy, "answer", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(ada, "answer", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(ada, "artifact_owned", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(ada, "artifact_revised", "kubernetes")), Some(&1));
        assert_eq!(all.get(&k(cy, "experiment", "kubernetes")), Some(&1));
        // The anonymous asker: no answer, no helpful reaction, for anyone.
        assert_eq!(all.get(&k(cy, "helpful", "kubernetes")), None);
        assert_eq!(all.get(&k(cy, "answer", "kubernetes")), Some(&1));
        assert!(
            !all.keys().any(|(_, _, t)| t == "vault"),
            "private evidence leaked"
        );
        assert_eq!(all.len(), 12, "{all:?}");

        // A member of the private community sees its evidence; so does
        // anyone reading for a question asked in it.
        for scope in [
            Scope {
                viewer: Some(bo),
                community: None,
            },
            Scope {
                viewer: None,
                community: Some(hidden),
            },
        ] {
            let got = counted(
                &s.contributions(&EvidenceQuery {
                    scope,
                    topics: vec!["vault".into()],
                    ..Default::default()
                })
                .await
                .unwrap(),
            );
            assert_eq!(
                got.into_keys().collect::<Vec<_>>(),
                vec![k(bo, "answer", "vault")]
            );
        }

        // Before the acceptance, Bo's answer is only an answer.
        let early = counted(
            &s.contributions(&EvidenceQuery {
                person: Some(bo),
                topics: vec!["kubernetes".into()],
                before: Some(t0() + Duration::days(2)),
                ..Default::default()
            })
            .await
            .unwrap(),
        );
        assert_eq!(
            early.into_keys().collect::<Vec<_>>(),
            vec![k(bo, "answer", "kubernetes")]
        );

        // Members only: Ada stewards, Bo and Cy joined.
        let members = counted(
            &s.contributions(&EvidenceQuery {
                members_of: Some(hidden),
                ..Default::default()
            })
            .await
            .unwrap(),
        );
        assert!(members.keys().all(|(p, _, _)| [ada, bo].contains(p)));
        assert!(members.contains_key(&k(ada, "artifact_owned", "kubernetes")));

        // Hiding: Bo's inferred evidence goes, except when he reads his own.
        s.set_expertise_settings(
            bo,
            ExpertiseSettings {
                hide_inferred: true,
                notify_suggested: false,
            },
            t0(),
        )
        .await
        .unwrap();
        let after = counted(&s.contributions(&outsider).await.unwrap());
        assert!(after.keys().all(|(p, _, _)| *p != bo));
        let own = s
            .contributions(&EvidenceQuery {
                person: Some(bo),
                reveal: Some(bo),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            own.iter()
                .filter(|c| c.source == Source::AcceptedAnswer)
                .count(),
            2
        );
    }
}

#[tokio::test]
async fn topics_skills_answerers_and_settings() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bo = person(s, "bo@x.org", "Bo").await;
        let outsider = person(s, "zed@x.org", "Zed").await;
        let c = s
            .create_community(&charter("ops", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let hidden = s
            .create_community(&charter("secret", Visibility::Private), ada, t0())
            .await
            .unwrap();
        s.join_community(c, bo, t0()).await.unwrap();
        let profile = domain::person::ProfileDraft {
            display_name: "Bo".into(),
            time_zone: "Europe/Berlin".into(),
            work_start: "09:00".into(),
            work_end: "17:00".into(),
            skills: domain::person::parse_skills("terraform:expert, Site Reliability").unwrap(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        s.update_profile(bo, &profile, t0()).await.unwrap();
        s.open_thread(&question(c, ada, &["terraform"], false), t0())
            .await
            .unwrap();
        s.open_thread(&question(hidden, ada, &["vault"], false), t0())
            .await
            .unwrap();
        let q = s
            .open_thread(&question(c, ada, &["terraform", "aws"], false), t0())
            .await
            .unwrap();
        answer(s, q, bo, t0() + Duration::hours(1)).await;

        let topics = s.topics_in_use(Scope::default(), "", 10).await.unwrap();
        assert_eq!(topics[0], ("terraform".to_owned(), 3));
        assert!(topics.iter().any(|(t, _)| t == "site reliability"));
        assert!(!topics.iter().any(|(t, _)| t == "vault"));
        let member = Scope {
            viewer: Some(ada),
            community: None,
        };
        assert!(
            s.topics_in_use(member, "VAU", 10)
                .await
                .unwrap()
                .iter()
                .any(|(t, _)| t == "vault")
        );
        assert!(
            s.topics_in_use(Scope::default(), "%", 10)
                .await
                .unwrap()
                .is_empty()
        );

        let skills = s
            .declared_skills(None, Some(c), &["terraform".into()])
            .await
            .unwrap();
        assert_eq!(
            skills,
            vec![(bo, "terraform".into(), domain::person::SkillLevel::Expert)]
        );
        assert_eq!(
            s.declared_skills(Some(bo), None, &[]).await.unwrap().len(),
            2
        );

        let people = s
            .answerers(c, Scope::default(), t0(), t0() + Duration::days(1))
            .await
            .unwrap();
        assert_eq!(
            people.iter().map(|p| p.id).collect::<Vec<_>>(),
            vec![ada, bo]
        );
        let b = &people[1];
        assert_eq!(
            (b.time_zone.as_str(), b.work_start, b.work_end),
            ("Europe/Berlin", 540, 1020)
        );
        assert_eq!(b.recent_answers, 1);
        let later = s
            .answerers(
                c,
                Scope::default(),
                t0() + Duration::days(1),
                t0() + Duration::days(8),
            )
            .await
            .unwrap();
        assert_eq!(later[1].recent_answers, 0);
        assert!(!people.iter().any(|p| p.id == outsider));

        assert_eq!(
            s.expertise_settings(bo).await.unwrap(),
            ExpertiseSettings::default()
        );
        let on = ExpertiseSettings {
            hide_inferred: false,
            notify_suggested: true,
        };
        s.set_expertise_settings(bo, on, t0()).await.unwrap();
        s.set_expertise_settings(bo, on, t0()).await.unwrap();
        assert_eq!(s.expertise_settings(bo).await.unwrap(), on);

        // Only Bo opted in; telling him twice tells him once.
        let told = s
            .notify_suggested(q, &[ada, bo], Some(ada), t0())
            .await
            .unwrap();
        assert_eq!(told, vec![bo]);
        assert!(
            s.notify_suggested(q, &[bo], Some(ada), t0())
                .await
                .unwrap()
                .is_empty()
        );
        let n = s.notifications(bo, 10).await.unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!((n[0].kind.as_str(), n[0].thread_id), ("suggested", q));
        assert!(
            !s.notifications(ada, 10)
                .await
                .unwrap()
                .iter()
                .any(|n| n.kind == "suggested")
        );

        let named = s.named(&[bo, ada]).await.unwrap();
        assert_eq!(
            named.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            vec!["Ada", "Bo"]
        );
    }
}
