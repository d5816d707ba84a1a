//! Imports: history written at its original times, idempotent by source
//! keys, resumable after a failure, nothing left by a dry run; merging
//! people; claim links.

use chrono::{DateTime, Duration, Utc};
use domain::community::Visibility;
use domain::imported::{
    ImportedAcceptance, ImportedPerson, ImportedPost, ImportedReaction, Opening,
};
use domain::thread::{Reaction, ThreadType};
use store::activity::LogFilter;
use store::imports::{Outcome, PersonOutcome, Record};
use store::threads::SearchFilter;
use store::{Store, testing};

use crate::{person, t0};

fn at(days: i64) -> DateTime<Utc> {
    t0() - Duration::days(400) + Duration::days(days)
}

fn who(key: &str, email: Option<&str>, bot: bool) -> ImportedPerson {
    ImportedPerson {
        key: key.into(),
        email: email.map(str::to_owned),
        name: format!("Person {key}"),
        bot,
        team: Some("Platform".into()),
    }
}

fn question(key: &str, author: &str, day: i64, title: &str) -> ImportedPost {
    ImportedPost {
        key: key.into(),
        author: Some(author.into()),
        at: at(day),
        edited_at: None,
        body: format!("Body of {title} about borrowing"),
        parents: Vec::new(),
        opens: Some(Opening {
            title: title.into(),
            thread_type: ThreadType::Question,
            tags: vec!["rust".into()],
        }),
        aliases: vec![format!("alias:{title}")],
    }
}

fn answer(key: &str, author: &str, day: i64, parents: &[&str]) -> ImportedPost {
    ImportedPost {
        key: key.into(),
        author: Some(author.into()),
        at: at(day),
        edited_at: None,
        body: format!("Answer {key}"),
        parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        opens: None,
        aliases: Vec::new(),
    }
}

/// Writes the small history every test starts from; returns the community.
async fn history(s: &Store, steward: i64, dry_run: bool) -> (i64, Vec<Outcome>) {
    let mut imp = s
        .begin_import("stackexchange", dry_run, t0())
        .await
        .unwrap();
    let (community, _) = imp
        .community("rust-qa", "Rust Q&A", "", Visibility::Private, steward)
        .await
        .unwrap();
    for p in [
        who("se:u1", Some("ada@x.org"), false),
        who("se:u2", None, false),
        who("se:bot", None, true),
    ] {
        imp.person(&p).await.unwrap();
    }
    let mut records: Vec<Record> = [
        question("se:q1", "se:u1", 1, "Lifetimes in structs"),
        answer("se:a1", "se:u2", 2, &["se:q1"]),
        answer("se:c1", "se:u1", 3, &["se:a1"]),
        answer("se:b1", "se:bot", 4, &["se:q1"]),
        answer("se:x", "se:u2", 5, &["se:missing"]),
        answer(
            "se:m1",
            "se:u2",
            6,
            &["se:missing", "alias:Lifetimes in structs"],
        ),
        answer("se:u", "se:nobody", 7, &["se:q1"]),
    ]
    .into_iter()
    .map(|post| Record::Post { community, post })
    .collect();
    records.push(Record::Accepted(ImportedAcceptance {
        question: "se:q1".into(),
        answer: "se:a1".into(),
        at: at(8),
    }));
    records.push(Record::Reaction(ImportedReaction {
        post: "se:a1".into(),
        person: "se:u1".into(),
        reaction: Reaction::Helpful,
        at: at(2),
    }));
    let mut out = Vec::new();
    for record in records {
        out.extend(imp.add(record).await.unwrap());
    }
    out.extend(imp.finish().await.unwrap());
    (community, out.into_iter().map(|s| s.outcome).collect())
}

async fn counts(s: &Store) -> (usize, i64, usize) {
    let log = s
        .activity_page(LogFilter::default(), 0, 1000)
        .await
        .unwrap();
    (log.len(), s.count_people().await.unwrap(), 0)
}

#[tokio::test]
async fn imported_history_is_written_once_at_its_times() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let ada = person(s, "ada@x.org", "Ada").await;
        let (community, out) = history(s, steward, false).await;
        assert!(matches!(out[0], Outcome::Thread(_)));
        let Outcome::Thread(thread) = out[0] else {
            unreachable!()
        };
        assert!(matches!(out[1], Outcome::Reply(_)));
        assert!(
            matches!(out[2], Outcome::Reply(_)),
            "a reply to a reply quotes it"
        );
        assert!(
            matches!(out[3], Outcome::Reply(_)),
            "a bot's content is kept"
        );
        assert_eq!(out[4], Outcome::Dangling);
        assert!(
            matches!(out[5], Outcome::Reply(_)),
            "an alias finds the thread"
        );
        assert_eq!(out[6], Outcome::UnknownPerson);
        assert_eq!(out[7], Outcome::Added);
        assert_eq!(out[8], Outcome::Added);

        let t = s.thread(thread).await.unwrap();
        assert_eq!(t.created_at, at(1));
        assert_eq!(t.reply_count, 4);
        assert_eq!(t.first_response_at, Some(at(2)));
        assert_eq!(t.last_activity_at, at(6));
        assert_eq!(
            t.author.as_ref().map(|a| a.id),
            Some(ada),
            "matched by e-mail"
        );
        assert!(t.solved());
        assert_eq!(t.tags, ["rust"]);
        let replies = s.replies(thread).await.unwrap();
        assert_eq!(replies[1].quote_of, Some(replies[0].id));
        assert_eq!(replies[0].created_at, at(2));
        let reactions = s.reactions(thread, ada).await.unwrap();
        assert_eq!(reactions[&replies[0].id].helpful, 1);

        let log = s
            .activity_page(LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        let kinds: Vec<(&str, DateTime<Utc>)> = log
            .iter()
            .filter(|e| e.at < t0())
            .map(|e| (e.kind.as_str(), e.at))
            .collect();
        assert!(kinds.contains(&("thread_opened", at(1))));
        assert!(kinds.contains(&("replied", at(2))));
        assert!(kinds.contains(&("answer_accepted", at(8))));
        assert!(
            kinds.contains(&("joined", at(2))),
            "a writer joins when they first write"
        );
        assert!(
            !log.iter().any(|e| e.at == at(4)),
            "the bot's reply is kept but never logged"
        );
        let replied = log
            .iter()
            .find(|e| e.kind == "replied" && e.at == at(3))
            .unwrap();
        assert_eq!(
            replied.reply_to,
            log.iter()
                .find(|e| e.kind == "replied" && e.at == at(2))
                .unwrap()
                .actor,
            "a reply to a reply answers its writer"
        );
        assert_eq!(
            replied.team.as_deref(),
            None,
            "Ada's own profile has no team"
        );

        // Searchable with the community's privacy.
        let filter = SearchFilter {
            query: "lifetimes structs".into(),
            ..SearchFilter::default()
        };
        assert_eq!(s.search(steward, &filter, 0, 10).await.unwrap().len(), 1);
        let outsider = person(s, "out@x.org", "Outsider").await;
        assert!(s.search(outsider, &filter, 0, 10).await.unwrap().is_empty());
        assert!(
            s.can_see(community, Some(ada)).await.unwrap(),
            "writers are members"
        );

        // Again: nothing new.
        let before = counts(s).await;
        let (_, again) = history(s, steward, false).await;
        assert!(
            again[..4].iter().all(|o| *o == Outcome::Existing),
            "{again:?}"
        );
        assert_eq!(again[7], Outcome::Existing);
        assert_eq!(again[8], Outcome::Existing);
        assert_eq!(counts(s).await, before);
        assert_eq!(s.replies(thread).await.unwrap().len(), 4);
    }
}

#[tokio::test]
async fn a_dry_run_changes_nothing() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let before = counts(s).await;
        let (_, out) = history(s, steward, true).await;
        assert!(
            matches!(out[0], Outcome::Thread(_)),
            "a dry run reports what it would do"
        );
        assert_eq!(counts(s).await, before);
        assert_eq!(s.community_id("rust-qa").await.unwrap(), None);
    }
}

#[tokio::test]
async fn an_import_that_fails_midway_keeps_whole_batches_and_resumes() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        {
            let mut imp = s.begin_import("mbox", false, t0()).await.unwrap();
            imp.set_batch(3);
            let (community, _) = imp
                .community("lists", "Lists", "", Visibility::Open, steward)
                .await
                .unwrap();
            imp.person(&who("m:a", Some("a@x.org"), false))
                .await
                .unwrap();
            // The batch of three commits here.
            imp.add(Record::Post {
                community,
                post: question("m:1", "m:a", 1, "One"),
            })
            .await
            .unwrap();
            imp.add(Record::Post {
                community,
                post: question("m:2", "m:a", 2, "Two"),
            })
            .await
            .unwrap();
            // Dropped without finishing: as if the process died.
        }
        let community = s.community_id("lists").await.unwrap().unwrap();
        let listed = s
            .threads(community, &Default::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "only the committed batch is there");
        let mut imp = s.begin_import("mbox", false, t0()).await.unwrap();
        let (again, created) = imp
            .community("lists", "Lists", "", Visibility::Open, steward)
            .await
            .unwrap();
        assert_eq!((again, created), (community, false));
        assert!(matches!(
            imp.person(&who("m:a", Some("a@x.org"), false))
                .await
                .unwrap(),
            PersonOutcome::Existing(_)
        ));
        for post in [
            question("m:1", "m:a", 1, "One"),
            question("m:2", "m:a", 2, "Two"),
        ] {
            assert!(
                imp.add(Record::Post { community, post })
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        let settled = imp.finish().await.unwrap();
        assert_eq!(settled[0].outcome, Outcome::Existing);
        assert!(matches!(settled[1].outcome, Outcome::Thread(_)));
        let listed = s
            .threads(community, &Default::default(), None, 10)
            .await
            .unwrap();
        assert_eq!(listed.len(), 2);
    }
}

#[tokio::test]
async fn merged_people_take_their_history_along() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        history(s, steward, false).await;
        let imported = s
            .person_by_email("se.u2@imported.invalid")
            .await
            .unwrap()
            .expect("an imported person with a placeholder address");
        assert_eq!(
            s.imported_from(imported.id).await.unwrap().as_deref(),
            Some("stackexchange")
        );
        let bea = person(s, "bea@x.org", "Bea").await;
        let community = s.community_id("rust-qa").await.unwrap().unwrap();
        s.join_community(community, bea, t0()).await.unwrap();
        s.merge_people(imported.id, bea).await.unwrap();
        assert!(
            s.person_by_email("se.u2@imported.invalid")
                .await
                .unwrap()
                .is_none()
        );
        let log = s
            .activity_page(LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        assert!(log.iter().all(|e| e.actor != Some(imported.id)));
        assert!(
            log.iter()
                .any(|e| e.actor == Some(bea) && e.kind == "answer_accepted")
        );
        let hits = s
            .search(
                bea,
                &SearchFilter {
                    query: "answer".into(),
                    ..SearchFilter::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert!(
            hits.iter()
                .any(|h| h.author.as_ref().map(|a| a.id) == Some(bea))
        );
        let members = s.members(community, None, None, 100).await.unwrap();
        assert_eq!(
            members.iter().filter(|m| m.person_id == bea).count(),
            1,
            "one membership, not two"
        );
        assert!(matches!(
            s.merge_people(bea, bea).await,
            Err(store::StoreError::Conflict { .. })
        ));
        assert!(matches!(
            s.merge_people(99_999, bea).await,
            Err(store::StoreError::NotFound)
        ));
        // A later import of the same dump finds the merged identity.
        let mut imp = s.begin_import("stackexchange", false, t0()).await.unwrap();
        assert_eq!(
            imp.person(&who("se:u2", None, false)).await.unwrap(),
            PersonOutcome::Existing(bea)
        );
        imp.finish().await.unwrap();
    }
}

#[tokio::test]
async fn claim_links_work_once_and_only_for_people_without_a_password() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        history(s, steward, false).await;
        let imported = s
            .person_by_email("se.u2@imported.invalid")
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            s.create_claim_link(steward, "d0", t0() + Duration::days(7), t0())
                .await,
            Err(store::StoreError::Conflict { .. })
        ));
        s.create_claim_link(imported.id, "d1", t0() + Duration::days(7), t0())
            .await
            .unwrap();
        s.create_claim_link(imported.id, "d2", t0() + Duration::days(7), t0())
            .await
            .unwrap();
        assert!(
            matches!(
                s.claim_account("d1", "$argon2id$x", t0() + Duration::days(8))
                    .await,
                Err(store::StoreError::NotFound)
            ),
            "expired"
        );
        assert_eq!(
            s.claim_account("d1", "$argon2id$x", t0()).await.unwrap(),
            imported.id
        );
        assert!(
            matches!(
                s.claim_account("d1", "$argon2id$y", t0()).await,
                Err(store::StoreError::NotFound)
            ),
            "used"
        );
        assert!(
            matches!(
                s.claim_account("d2", "$argon2id$y", t0()).await,
                Err(store::StoreError::NotFound)
            ),
            "every link of a claimed account is used up"
        );
        let (_, hash) = s
            .credentials("se.u2@imported.invalid")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(hash.as_deref(), Some("$argon2id$x"));
    }
}

#[tokio::test]
async fn a_changed_acceptance_is_logged_once() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        person(s, "ada@x.org", "Ada").await;
        history(s, steward, false).await;
        let accepted = |log: &[store::activity::LoggedEvent]| {
            log.iter().filter(|e| e.kind == "answer_accepted").count()
        };
        let before = s
            .activity_page(LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        assert_eq!(accepted(&before), 1);

        let mut imp = s.begin_import("stackexchange", false, t0()).await.unwrap();
        let mut out = imp
            .add(Record::Accepted(ImportedAcceptance {
                question: "se:q1".into(),
                answer: "se:c1".into(),
                at: at(9),
            }))
            .await
            .unwrap();
        out.extend(imp.finish().await.unwrap());
        assert!(
            out.iter().any(|s| matches!(s.outcome, Outcome::Added)),
            "{out:?}"
        );
        let after = s
            .activity_page(LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        assert_eq!(
            accepted(&after),
            2,
            "one more acceptance, by its answer's author"
        );
    }
}
