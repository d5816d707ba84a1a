//! Imports come out the same whatever their batches: a history written a
//! record at a time (every reference looked up in the database), three at
//! a time (references across batches) and all at once (decided in memory
//! and written in multi-row statements) gives the same threads, replies,
//! acceptances, reactions, memberships, search entries and activity events;
//! importing it again, in other batches, adds nothing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use domain::community::Visibility;
use domain::imported::{
    ImportedAcceptance, ImportedPerson, ImportedPost, ImportedReaction, Opening,
};
use domain::thread::{Reaction, ThreadType};
use store::activity::LogFilter;
use store::imports::{Outcome, Record};
use store::threads::SearchFilter;
use store::{Store, testing};

use crate::{person, t0};

fn at(hours: i64) -> DateTime<Utc> {
    t0() - Duration::days(300) + Duration::hours(hours)
}

fn who(site: &str, key: &str, email: Option<&str>, bot: bool) -> ImportedPerson {
    ImportedPerson {
        key: format!("{site}:{key}"),
        email: email.map(str::to_owned),
        name: format!("Person {key}"),
        bot,
        team: (key == "u3").then(|| "Platform".to_owned()),
    }
}

fn post(
    site: &str,
    key: &str,
    by: &str,
    hour: i64,
    parents: &[&str],
    title: Option<&str>,
) -> Record {
    let keyed = |k: &str| format!("{site}:{k}");
    Record::Post {
        community: 0,
        post: ImportedPost {
            key: keyed(key),
            author: Some(keyed(by)),
            at: at(hour),
            edited_at: (hour % 5 == 0).then(|| at(hour + 1)),
            body: format!("Post {key} about borrowing **lifetimes**"),
            parents: parents.iter().map(|p| keyed(p)).collect(),
            opens: title.map(|t| Opening {
                title: t.into(),
                thread_type: ThreadType::Question,
                tags: vec!["rust".into(), format!("tag-{key}")],
            }),
            aliases: title
                .map(|t| keyed(&format!("alias:{t}")))
                .into_iter()
                .collect(),
        },
    }
}

/// A history that touches every path: replies to threads of earlier
/// batches, quotes, late answers, acceptances across batches, bots, dangling and
/// unknown references, keys seen twice, aliases, reactions and joins.
fn records(site: &str, community: i64) -> Vec<Record> {
    let keyed = |k: &str| format!("{site}:{k}");
    let mut out = vec![
        post(site, "q1", "u1", 1, &[], Some("Lifetimes in structs")),
        post(site, "a1", "u2", 2, &["q1"], None),
        post(site, "c1", "u3", 3, &["a1", "q1"], None),
        post(site, "q2", "u2", 4, &[], Some("Pinning futures")),
        post(site, "a2", "u1", 5, &["q2"], None),
        post(site, "b1", "bot", 6, &["q2"], None),
        post(site, "x1", "u2", 7, &["missing"], None),
        post(site, "n1", "nobody", 8, &["q1"], None),
        post(site, "a1", "u2", 9, &["q1"], None),
        post(
            site,
            "m1",
            "u3",
            10,
            &["missing", "alias:Pinning futures"],
            None,
        ),
        post(site, "a3", "u3", 11, &["q1"], None),
        post(site, "q3", "u3", 12, &[], Some("Trait objects")),
        post(site, "s1", "u1", 13, &["q3"], None),
    ];
    let accept = |q: &str, a: &str, hour: i64| {
        Record::Accepted(ImportedAcceptance {
            question: keyed(q),
            answer: keyed(a),
            at: at(hour),
        })
    };
    let react = |p: &str, by: &str, hour: i64| {
        Record::Reaction(ImportedReaction {
            post: keyed(p),
            person: keyed(by),
            reaction: Reaction::Helpful,
            at: at(hour),
        })
    };
    out.insert(3, accept("q1", "a1", 3));
    out.insert(7, react("a1", "u1", 6));
    out.extend([
        accept("q2", "a2", 14),
        accept("q3", "s1", 15),
        accept("q2", "a2", 16),
        accept("q3", "a1", 17),
        react("a1", "u1", 18),
        react("q2", "u3", 18),
        react("gone", "u3", 18),
        Record::Joined {
            community,
            person: keyed("u4"),
            at: at(19),
        },
        Record::Joined {
            community,
            person: keyed("u3"),
            at: at(19),
        },
        post(site, "s2", "u2", 20, &["s1"], None),
    ]);
    for r in &mut out {
        if let Record::Post { community: c, .. } = r {
            *c = community;
        }
    }
    out
}

/// Imports the history into community `site` in batches of `batch`;
/// returns the community and the outcomes, threads and replies by kind.
async fn import(s: &Store, steward: i64, site: &str, batch: usize) -> (i64, Vec<String>) {
    let mut imp = s.begin_import("stackexchange", false, t0()).await.unwrap();
    imp.set_batch(batch);
    let (community, _) = imp
        .community(site, site, "", Visibility::Open, steward)
        .await
        .unwrap();
    for p in [
        who(site, "u1", Some("ada@x.org"), false),
        who(site, "u2", None, false),
        who(site, "u3", None, false),
        who(site, "u4", None, false),
        who(site, "bot", None, true),
    ] {
        imp.person(&p).await.unwrap();
    }
    let mut settled = Vec::new();
    for record in records(site, community) {
        settled.extend(imp.add(record).await.unwrap());
    }
    settled.extend(imp.finish().await.unwrap());
    let outcomes = settled
        .iter()
        .map(|s| match s.outcome {
            Outcome::Thread(_) => "thread".to_owned(),
            Outcome::Reply(_) => "reply".to_owned(),
            other => format!("{other:?}"),
        })
        .collect();
    (community, outcomes)
}

/// Everything the import wrote into `community`, ids replaced by what
/// they name.
async fn view(s: &Store, steward: i64, community: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut threads: HashMap<String, String> = HashMap::new();
    let mut listed = s
        .threads(community, &Default::default(), None, 100)
        .await
        .unwrap();
    listed.sort_by_key(|t| t.created_at);
    for t in listed {
        let t = s.thread(t.id).await.unwrap();
        threads.insert(store::threads::subject(t.id), t.title.clone());
        let replies = s.replies(t.id).await.unwrap();
        let body_of = |id: Option<i64>| {
            id.and_then(|id| replies.iter().find(|r| r.id == id))
                .map(|r| r.body.clone())
        };
        out.push(format!(
            "thread {} by {:?} at {} edited {:?} tags {:?}: {} replies, first response {:?}, \
             last activity {}, accepted {:?}, revision {}",
            t.title,
            t.author.as_ref().map(|a| &a.name),
            t.created_at,
            t.edited_at,
            t.tags,
            t.reply_count,
            t.first_response_at,
            t.last_activity_at,
            body_of(t.accepted_reply_id),
            t.revision,
        ));
        for r in &replies {
            out.push(format!(
                "  reply {} by {:?} at {} edited {:?} quoting {:?}",
                r.body,
                r.author.as_ref().map(|a| &a.name),
                r.created_at,
                r.edited_at,
                body_of(r.quote_of),
            ));
            if let Some(a) = &r.author {
                names.insert(a.id, a.name.clone());
            }
        }
        if let Some(a) = &t.author {
            names.insert(a.id, a.name.clone());
        }
        let reactions = s.reactions(t.id, steward).await.unwrap();
        let mut counts: Vec<String> = reactions
            .iter()
            .map(|(reply, r)| {
                format!(
                    "{}: {}",
                    body_of(Some(*reply)).unwrap_or_default(),
                    r.helpful
                )
            })
            .collect();
        counts.sort();
        out.push(format!("  reactions {counts:?}"));
    }
    let listing = s.members(community, None, None, 100).await.unwrap();
    for m in &listing {
        names.insert(m.person_id, m.display_name.clone());
    }
    let mut members: Vec<String> = listing
        .iter()
        .map(|m| format!("member {} since {}", m.display_name, m.joined_at))
        .collect();
    members.sort();
    out.extend(members);
    let name = |id: Option<i64>| id.map(|id| names.get(&id).cloned().unwrap_or(id.to_string()));
    let filter = LogFilter {
        community: Some(community),
        since: None,
    };
    for e in s.activity_page(filter, 0, 1000).await.unwrap() {
        if e.at >= t0() - Duration::days(1) {
            continue; // the community's own creation, at the import's time
        }
        out.push(format!(
            "event {} at {} by {:?} ({:?}) to {:?} ({:?}) on {:?} {:?}",
            e.kind,
            e.at,
            name(e.actor),
            e.team,
            name(e.reply_to),
            e.reply_to_team,
            e.subject
                .as_ref()
                .map(|s| threads.get(s).cloned().unwrap_or(s.clone())),
            e.thread_type,
        ));
    }
    let hits = s
        .search(
            steward,
            &SearchFilter {
                query: "borrowing lifetimes".into(),
                community: Some(community),
                ..SearchFilter::default()
            },
            0,
            100,
        )
        .await
        .unwrap();
    out.push(format!("search hits {}", hits.len()));
    out
}

#[tokio::test]
async fn batches_of_any_size_write_the_same_history_once() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        person(s, "ada@x.org", "Ada").await;
        let (one, by_one) = import(s, steward, "one", 1).await;
        let (three, by_three) = import(s, steward, "three", 3).await;
        let (all, at_once) = import(s, steward, "all", 1_000).await;
        assert_eq!(by_one, by_three);
        assert_eq!(by_one, at_once);
        assert_eq!(
            by_one.iter().filter(|o| *o == "thread").count(),
            3,
            "{by_one:?}"
        );
        for problem in ["Dangling", "UnknownPerson", "Existing", "Added"] {
            assert!(by_one.iter().any(|o| o == problem), "{problem}: {by_one:?}");
        }
        let expected = view(s, steward, one).await;
        assert!(
            expected
                .iter()
                .any(|l| l.starts_with("event answer_accepted"))
        );
        assert!(expected.iter().any(|l| l.contains("(Some(\"Platform\"))")));
        assert_eq!(view(s, steward, three).await, expected);
        assert_eq!(view(s, steward, all).await, expected);

        // Again, in other batches: nothing is added.
        let log = s
            .activity_page(LogFilter::default(), 0, 10_000)
            .await
            .unwrap()
            .len();
        let (_, again) = import(s, steward, "one", 1_000).await;
        assert!(
            again
                .iter()
                .all(|o| o != "thread" && o != "reply" && o != "Added"),
            "{again:?}"
        );
        let (_, again) = import(s, steward, "all", 2).await;
        assert!(
            again
                .iter()
                .all(|o| o != "thread" && o != "reply" && o != "Added"),
            "{again:?}"
        );
        assert_eq!(view(s, steward, all).await, expected);
        assert_eq!(
            s.activity_page(LogFilter::default(), 0, 10_000)
                .await
                .unwrap()
                .len(),
            log
        );
    }
}
