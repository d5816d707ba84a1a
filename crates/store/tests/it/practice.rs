//! The practice: artifacts with revisions and restore, reviews and the
//! stale boundary, orphaned artifacts, reuse by team, links and backlinks,
//! promotion from a thread and an accepted answer, the events each writes,
//! search with its privacy rules, and merging people.

use chrono::Duration;
use domain::community::Visibility;
use domain::practice::{ArtifactState, Content, ContentDraft};
use domain::thread::ThreadType;
use store::practice::{ArtifactFilter, LinkTarget, NewArtifact, Source};
use store::testing;
use store::{Store, StoreError};

use crate::threads::{charter, thread};
use crate::{person, t0};

fn checklist(title: &str, body: &str) -> Content {
    ContentDraft {
        kind: "checklist".into(),
        title: title.into(),
        body: body.into(),
        tags: "release".into(),
        ..ContentDraft::default()
    }
    .check()
    .unwrap()
}

fn new(community: i64, author: i64, content: Content) -> NewArtifact {
    NewArtifact {
        community_id: community,
        author_id: author,
        owner_id: None,
        content,
        state: ArtifactState::Published,
        source: Source::default(),
        summary: "First version".into(),
    }
}

async fn on_team(s: &Store, id: i64, name: &str, team: &str) {
    let p = domain::person::ProfileDraft {
        display_name: name.into(),
        team: team.into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.update_profile(id, &p, t0()).await.unwrap();
}

async fn events(s: &Store, subject: &str) -> Vec<store::activity::LoggedEvent> {
    s.activity_page(Default::default(), 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.subject.as_deref() == Some(subject))
        .collect()
}

#[tokio::test]
async fn revisions_are_kept_restored_and_logged() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        on_team(s, ada, "Ada", "Payments").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join_community(c, bob, t0()).await.unwrap();
        let id = s
            .create_artifact(&new(c, ada, checklist("Release", "- tag\n- notes")), t0())
            .await
            .unwrap();
        let mut second = checklist("Release", "- tag\n- notes\n- announce");
        s.revise_artifact(
            id,
            bob,
            &second,
            "announce too",
            false,
            t0() + Duration::days(1),
        )
        .await
        .unwrap();
        second.review_days = 30;
        let r3 = s
            .revise_artifact(id, ada, &second, "monthly", false, t0() + Duration::days(2))
            .await
            .unwrap();
        assert_eq!(r3, 3);
        let restored = s
            .restore_artifact(id, 1, bob, t0() + Duration::days(3))
            .await
            .unwrap();
        assert_eq!(restored, 4);
        let a = s.artifact(id).await.unwrap();
        assert_eq!(a.content.body, "- tag\n- notes");
        assert_eq!(a.content.review_days, 90);
        assert_eq!(a.revision, 4);
        assert_eq!(a.last_confirmed_at, t0() + Duration::days(3));
        let revs = s.artifact_revisions(id).await.unwrap();
        assert_eq!(
            revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
            [4, 3, 2, 1]
        );
        assert_eq!(revs[0].restored_from, Some(1));
        assert_eq!(revs[0].summary, "Restored revision 1");
        assert_eq!(revs[2].summary, "announce too");
        assert_eq!(revs[2].content.tags, ["release"]);
        let who: Vec<String> = s
            .artifact_contributors(id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(who, ["Ada", "Bob"]);
        let log = events(s, &format!("artifact-{id}")).await;
        let kinds: Vec<(&str, Option<i64>)> = log
            .iter()
            .map(|e| (e.kind.as_str(), e.review_days))
            .collect();
        assert_eq!(
            kinds,
            [
                ("artifact_created", Some(90)),
                ("artifact_revised", None),
                ("artifact_revised", Some(30)),
                ("artifact_revised", Some(90)),
            ],
            "{}",
            db.url
        );
        assert_eq!(log[0].team.as_deref(), Some("Payments"));
        assert!(matches!(
            s.restore_artifact(id, 9, ada, t0()).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn stale_on_the_boundary_review_restarts_the_interval() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let id = s
            .create_artifact(&new(c, ada, checklist("Release", "- tag")), t0())
            .await
            .unwrap();
        let due = t0() + Duration::days(90);
        let stale = |at| async move {
            s.stale_artifacts(Some(c), None, at, 10)
                .await
                .unwrap()
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
        };
        assert!(stale(due - Duration::milliseconds(1)).await.is_empty());
        assert_eq!(stale(due).await, [id]);
        let a = s.artifact(id).await.unwrap();
        assert!(!a.is_stale(due - Duration::milliseconds(1)));
        assert!(a.is_stale(due));
        // Per owner, across communities.
        let mine = s.stale_artifacts(None, Some(ada), due, 10).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert!(
            s.stale_artifacts(None, Some(ada + 100), due, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // Reviewed at day 100: fresh until day 190.
        let reviewed = t0() + Duration::days(100);
        s.review_artifact(id, ada, "still true", reviewed)
            .await
            .unwrap();
        assert!(
            stale(reviewed + Duration::days(90) - Duration::milliseconds(1))
                .await
                .is_empty()
        );
        assert_eq!(stale(reviewed + Duration::days(90)).await, [id]);
        let a = s.artifact(id).await.unwrap();
        assert_eq!(a.last_reviewed_at, Some(reviewed));
        assert_eq!(a.last_reviewed_by.map(|p| p.name).as_deref(), Some("Ada"));
        let log = events(s, &format!("artifact-{id}")).await;
        assert_eq!(log.last().unwrap().kind, "artifact_reviewed", "{}", db.url);
        // Drafts are not listed as stale.
        let mut draft = new(c, ada, checklist("Draft", "- x"));
        draft.state = ArtifactState::Draft;
        s.create_artifact(&draft, t0()).await.unwrap();
        assert_eq!(stale(t0() + Duration::days(400)).await, [id]);
    }
}

#[tokio::test]
async fn an_owner_who_leaves_orphans_until_rehomed() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let eve = person(s, "eve@x.org", "Eve").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join_community(c, bob, t0()).await.unwrap();
        let mut n = new(c, ada, checklist("Release", "- tag"));
        n.owner_id = Some(bob);
        let id = s.create_artifact(&n, t0()).await.unwrap();
        assert!(s.orphaned_artifacts(c).await.unwrap().is_empty());
        assert!(!s.artifact(id).await.unwrap().is_orphaned());
        s.leave(c, bob, t0() + Duration::days(1)).await.unwrap();
        let orphans = s.orphaned_artifacts(c).await.unwrap();
        assert_eq!(orphans.iter().map(|a| a.id).collect::<Vec<_>>(), [id]);
        assert!(s.artifact(id).await.unwrap().is_orphaned());
        // A non-member cannot take it over; a member can.
        assert!(matches!(
            s.set_artifact_owner(id, eve).await,
            Err(StoreError::Conflict { field: "owner", .. })
        ));
        s.set_artifact_owner(id, ada).await.unwrap();
        assert!(s.orphaned_artifacts(c).await.unwrap().is_empty());
        assert_eq!(
            s.artifact(id).await.unwrap().owner.unwrap().id,
            ada,
            "{}",
            db.url
        );
    }
}

#[tokio::test]
async fn reuse_is_counted_by_team() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        on_team(s, bob, "Bob", "Search").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let id = s
            .create_artifact(&new(c, ada, checklist("Release", "- tag")), t0())
            .await
            .unwrap();
        s.record_reuse(id, bob, None, "for 2.0", t0())
            .await
            .unwrap();
        s.record_reuse(id, bob, None, "", t0() + Duration::hours(1))
            .await
            .unwrap();
        s.record_reuse(id, cy, Some("Payments"), "", t0())
            .await
            .unwrap();
        s.record_reuse(id, cy, None, "", t0()).await.unwrap();
        assert_eq!(s.artifact(id).await.unwrap().reuse_count, 4);
        let by_team: Vec<(Option<String>, i64)> = s
            .artifact_uses_by_team(id)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.team, t.uses))
            .collect();
        let expected_none_first = by_team[0] == (Some("Search".into()), 2);
        assert!(expected_none_first, "{by_team:?}");
        assert!(by_team.contains(&(Some("Payments".into()), 1)));
        assert!(by_team.contains(&(None, 1)));
        let uses = s.artifact_reuses(id, 10).await.unwrap();
        assert_eq!(uses[0].note, "", "newest first");
        assert_eq!(uses.len(), 4);
        let log = events(s, &format!("artifact-{id}")).await;
        let reused: Vec<_> = log.iter().filter(|e| e.kind == "artifact_reused").collect();
        assert_eq!(reused.len(), 4, "{}", db.url);
        assert_eq!(reused[0].team.as_deref(), Some("Search"));
    }
}

#[tokio::test]
async fn links_show_on_both_sides_and_stay_in_the_community() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let other = s
            .create_community(&charter("other", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let a = s
            .create_artifact(&new(c, ada, checklist("Release", "- tag")), t0())
            .await
            .unwrap();
        let b = s
            .create_artifact(&new(c, ada, checklist("Rollback", "- revert")), t0())
            .await
            .unwrap();
        let elsewhere = s
            .create_artifact(&new(other, ada, checklist("Else", "- x")), t0())
            .await
            .unwrap();
        let t = s
            .open_thread(
                &thread(c, ada, ThreadType::Discussion, "Deploys", "how?"),
                t0(),
            )
            .await
            .unwrap();
        s.link_artifact(a, LinkTarget::Artifact(b), ada, t0())
            .await
            .unwrap();
        s.link_artifact(a, LinkTarget::Artifact(b), ada, t0())
            .await
            .unwrap();
        s.link_artifact(a, LinkTarget::Thread(t), ada, t0())
            .await
            .unwrap();
        for bad in [
            LinkTarget::Artifact(elsewhere),
            LinkTarget::Artifact(a),
            LinkTarget::Thread(9999),
        ] {
            assert!(matches!(
                s.link_artifact(a, bad, ada, t0()).await,
                Err(StoreError::Conflict {
                    field: "target",
                    ..
                })
            ));
        }
        let links = s.artifact_links(a).await.unwrap();
        assert_eq!(
            links.artifacts.iter().map(|l| l.id).collect::<Vec<_>>(),
            [b]
        );
        assert_eq!(links.threads.iter().map(|l| l.id).collect::<Vec<_>>(), [t]);
        let back = s.artifact_links(b).await.unwrap();
        assert_eq!(back.backlinks.iter().map(|l| l.id).collect::<Vec<_>>(), [a]);
        let on_thread = s.artifacts_linking_thread(t).await.unwrap();
        assert_eq!(on_thread.iter().map(|l| l.id).collect::<Vec<_>>(), [a]);
        s.unlink_artifact(a, LinkTarget::Thread(t)).await.unwrap();
        assert!(
            s.artifacts_linking_thread(t).await.unwrap().is_empty(),
            "{}",
            db.url
        );
    }
}

#[tokio::test]
async fn a_promoted_answer_keeps_its_source_and_starts_as_a_draft() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let other = s
            .create_community(&charter("other", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let t = s
            .open_thread(
                &thread(c, ada, ThreadType::Question, "Deploy?", "how?"),
                t0(),
            )
            .await
            .unwrap();
        let r = s
            .reply(
                &store::threads::NewReply {
                    thread_id: t,
                    author_id: ada,
                    body: "Like this".into(),
                    quote_of: None,
                },
                t0(),
            )
            .await
            .unwrap();
        let mut n = new(c, ada, checklist("Deploying", "Like this"));
        n.state = ArtifactState::Draft;
        n.source = Source {
            thread_id: Some(t),
            reply_id: Some(r),
            ..Source::default()
        };
        let id = s.create_artifact(&n, t0()).await.unwrap();
        let a = s.artifact(id).await.unwrap();
        assert_eq!(a.state, ArtifactState::Draft);
        assert_eq!(a.source.thread_id, Some(t));
        assert_eq!(a.source.reply_id, Some(r));
        let promoted = s.artifacts_promoted_from(t).await.unwrap();
        assert_eq!(promoted.iter().map(|p| p.id).collect::<Vec<_>>(), [id]);
        // Not searchable until published.
        assert!(
            s.search_artifacts(ada, "deploying", None, 0, 10)
                .await
                .unwrap()
                .is_empty()
        );
        s.revise_artifact(id, ada, &a.content, "published", true, t0())
            .await
            .unwrap();
        assert_eq!(
            s.artifact(id).await.unwrap().state,
            ArtifactState::Published
        );
        assert_eq!(
            s.search_artifacts(ada, "deploying", None, 0, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        // A source from another community is refused.
        n.community_id = other;
        assert!(matches!(
            s.create_artifact(&n, t0()).await,
            Err(StoreError::Conflict {
                field: "source",
                ..
            })
        ));
        n.community_id = c;
        n.source.reply_id = Some(r + 100);
        assert!(
            matches!(
                s.create_artifact(&n, t0()).await,
                Err(StoreError::Conflict {
                    field: "source",
                    ..
                })
            ),
            "{}",
            db.url
        );
    }
}

#[tokio::test]
async fn search_finds_artifacts_only_where_the_searcher_may_look() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let eve = person(s, "eve@x.org", "Eve").await;
        let open = s
            .create_community(&charter("open", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let private = s
            .create_community(&charter("secret", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let public = s
            .create_artifact(
                &new(open, ada, checklist("Canary rollout", "watch the canary")),
                t0(),
            )
            .await
            .unwrap();
        let hidden = s
            .create_artifact(
                &new(private, ada, checklist("Canary secrets", "canary keys")),
                t0(),
            )
            .await
            .unwrap();
        let ids = |hits: Vec<store::practice::ArtifactHit>| {
            let mut ids: Vec<i64> = hits.into_iter().map(|h| h.artifact_id).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(s
                .search_artifacts(ada, "canary", None, 0, 10)
                .await
                .unwrap()),
            [public, hidden]
        );
        assert_eq!(
            ids(s
                .search_artifacts(eve, "canary", None, 0, 10)
                .await
                .unwrap()),
            [public]
        );
        assert!(
            s.search_artifacts(eve, "secrets", None, 0, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            ids(s
                .search_artifacts(ada, "canary", Some(private), 0, 10)
                .await
                .unwrap()),
            [hidden]
        );
        // Revising rewrites the index.
        let content = checklist("Blue green", "switch over");
        s.revise_artifact(public, ada, &content, "", false, t0())
            .await
            .unwrap();
        assert_eq!(
            ids(s
                .search_artifacts(eve, "canary", None, 0, 10)
                .await
                .unwrap()),
            Vec::<i64>::new()
        );
        let hit = s
            .search_artifacts(eve, "switch", None, 0, 10)
            .await
            .unwrap();
        assert_eq!(hit[0].title, "Blue green");
        assert!(
            hit[0].snippet.contains("switch"),
            "{}: {}",
            db.url,
            hit[0].snippet
        );
        let listed = s
            .artifacts(
                open,
                &ArtifactFilter {
                    tag: Some("release".into()),
                    ..Default::default()
                },
                10,
            )
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
    }
}

#[tokio::test]
async fn merging_people_moves_their_artifacts() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let old = person(s, "ada@old.org", "Ada (old)").await;
        let c = s
            .create_community(&charter("release", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join_community(c, old, t0()).await.unwrap();
        let id = s
            .create_artifact(&new(c, old, checklist("Release", "- tag")), t0())
            .await
            .unwrap();
        s.review_artifact(id, old, "", t0()).await.unwrap();
        s.record_reuse(id, old, None, "", t0()).await.unwrap();
        s.merge_people(old, ada).await.unwrap();
        let a = s.artifact(id).await.unwrap();
        assert_eq!(a.owner.unwrap().id, ada);
        assert_eq!(a.created_by.unwrap().id, ada);
        assert_eq!(a.last_reviewed_by.unwrap().id, ada);
        let reuses = s.artifact_reuses(id, 10).await.unwrap();
        assert_eq!(reuses[0].person.as_ref().unwrap().id, ada);
        let revs = s.artifact_revisions(id).await.unwrap();
        assert_eq!(revs[0].author.as_ref().unwrap().id, ada, "{}", db.url);
    }
}
