//! Communities: creation with a steward and a first charter revision,
//! joining and leaving with their activity events, roles and the last
//! steward, requests and invitations, charter revisions, the lifecycle
//! (archive, merge, split) and the directory's filters.

use chrono::Duration;
use domain::charter::CharterDraft;
use domain::community::{CommunityType, HistoryKind, MemberRole, Orientation, Stage, Visibility};
use domain::person::ProfileDraft;
use store::activity::{self, NewEvent};
use store::communities::{CommunityFilter, NewCommunity};
use store::testing;
use store::{Store, StoreError};

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

fn kinds(events: &[store::communities::LoggedEvent]) -> Vec<&str> {
    events.iter().rev().map(|e| e.kind.as_str()).collect()
}

#[tokio::test]
async fn private_communities_are_seen_only_by_members() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let open = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let private = s
            .create_community(&charter("incident-review", Visibility::Private), ada, t0())
            .await
            .unwrap();
        let slugs = |v: Vec<store::communities::CommunitySummary>| {
            v.into_iter().map(|c| c.slug).collect::<Vec<_>>()
        };
        assert_eq!(
            slugs(s.visible_communities(Some(ada)).await.unwrap()),
            ["incident-review", "observability"]
        );
        assert_eq!(
            slugs(s.visible_communities(Some(bob)).await.unwrap()),
            ["observability"]
        );
        assert_eq!(
            slugs(s.visible_communities(None).await.unwrap()),
            ["observability"]
        );
        assert!(s.can_see(private, Some(ada)).await.unwrap());
        assert!(!s.can_see(private, Some(bob)).await.unwrap());
        assert!(!s.can_see(private, None).await.unwrap());
        assert!(s.can_see(open, None).await.unwrap());
        s.join(open, bob, t0()).await.unwrap();
        assert!(matches!(
            s.join(open, bob, t0()).await,
            Err(StoreError::Conflict { .. })
        ));
        // Joining a private community without an invitation: it is not there.
        assert!(matches!(
            s.join(private, bob, t0()).await,
            Err(StoreError::NotFound)
        ));
        let listed = s.visible_communities(Some(bob)).await.unwrap();
        assert_eq!(listed[0].members, 2);
        assert_eq!(listed[0].stage, "potential");
        assert_eq!(listed[0].viewer_role.as_deref(), Some("member"));
        assert!(matches!(
            s.create_community(&charter("observability", Visibility::Open), bob, t0())
                .await,
            Err(StoreError::Conflict { field: "slug", .. })
        ));
        // Bob's page shows Ada only what Bob may show her, and hides the private one from Bob.
        let of_ada = s.communities_of(ada, Some(bob)).await.unwrap();
        assert_eq!(of_ada.len(), 1);
        assert_eq!(of_ada[0].role, MemberRole::Steward);
        assert_eq!(s.communities_of(ada, Some(ada)).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn join_leave_and_rejoin_keep_history_and_log_events_with_teams() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        on_team(s, bob, "Bob", "Payments").await;
        let c = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0() + Duration::days(1)).await.unwrap();
        on_team(s, bob, "Bob", "Platform").await;
        s.leave(c, bob, t0() + Duration::days(2)).await.unwrap();
        assert!(matches!(
            s.leave(c, bob, t0() + Duration::days(2)).await,
            Err(StoreError::Conflict { .. })
        ));
        s.join(c, bob, t0() + Duration::days(3)).await.unwrap();
        let spells = s.membership_history(c, 50).await.unwrap();
        let bobs: Vec<_> = spells.iter().filter(|m| m.person_id == bob).collect();
        assert_eq!(bobs.len(), 2, "past spells are kept");
        assert!(bobs[0].rejoined && bobs[0].left_at.is_none());
        assert!(!bobs[1].rejoined && bobs[1].left_at == Some(t0() + Duration::days(2)));
        let log = s.community_activity(c, 50).await.unwrap();
        assert_eq!(kinds(&log), ["joined", "joined", "left", "joined"]);
        // Paging back through the log, two at a time, meets every event once.
        let first = s.community_activity_before(c, None, 2).await.unwrap();
        let last = first.last().unwrap();
        let rest = s
            .community_activity_before(c, Some((store::millis(last.at), last.id)), 10)
            .await
            .unwrap();
        assert_eq!(first.len() + rest.len(), log.len());
        assert_eq!(rest, log[2..]);
        let spells_page = s
            .membership_history_before(c, Some((store::millis(bobs[0].joined_at), bobs[0].id)), 10)
            .await
            .unwrap();
        assert!(
            spells_page
                .iter()
                .all(|m| m.joined_at <= bobs[0].joined_at && m.id != bobs[0].id)
        );
        let teams: Vec<_> = log.iter().rev().map(|e| e.team.as_deref()).collect();
        // The team at the moment of each event, not today's.
        assert_eq!(
            teams,
            [None, Some("Payments"), Some("Platform"), Some("Platform")]
        );
    }
}

#[tokio::test]
async fn the_last_steward_hands_over_before_leaving() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let err = s.leave(c, ada, t0()).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { field: "role", .. }),
            "{err:?}"
        );
        assert!(matches!(
            s.set_role(c, ada, ada, MemberRole::Member, t0()).await,
            Err(StoreError::Conflict { field: "role", .. })
        ));
        assert!(matches!(
            s.set_role(c, ada, 999_999, MemberRole::Core, t0()).await,
            Err(StoreError::NotFound)
        ));
        on_team(s, ada, "Ada", "Platform").await;
        s.set_role(c, ada, bob, MemberRole::Steward, t0())
            .await
            .unwrap();
        s.leave(c, ada, t0() + Duration::hours(1)).await.unwrap();
        assert_eq!(s.role_in(c, bob).await.unwrap(), Some(MemberRole::Steward));
        assert_eq!(s.role_in(c, ada).await.unwrap(), None);
        let history = s.history(c, 50).await.unwrap();
        let change = history
            .iter()
            .find(|h| h.kind == HistoryKind::RoleChanged)
            .unwrap();
        assert_eq!(change.person_name.as_deref(), Some("Bob"));
        assert_eq!(change.detail, "member → steward");
        assert_eq!(
            change.team.as_deref(),
            Some("Platform"),
            "the actor's team then"
        );
        let members = s.members(c, None, None, 50).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(
            s.members(c, Some(MemberRole::Core), None, 50)
                .await
                .unwrap()
                .len(),
            0
        );
    }
}

#[tokio::test]
async fn requests_and_invitations_let_people_into_private_communities() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let c = s
            .create_community(&charter("incident-review", Visibility::Private), ada, t0())
            .await
            .unwrap();
        s.request_to_join(c, bob, "I run the postmortems", t0())
            .await
            .unwrap();
        s.request_to_join(c, bob, "again", t0()).await.unwrap();
        let pending = s.pending_requests(c).await.unwrap();
        assert_eq!(pending.len(), 1, "asking twice is one request");
        assert_eq!(pending[0].message, "I run the postmortems");
        s.decide_request(c, pending[0].id, ada, true, t0())
            .await
            .unwrap();
        assert_eq!(s.role_in(c, bob).await.unwrap(), Some(MemberRole::Member));
        assert!(matches!(
            s.decide_request(c, pending[0].id, ada, true, t0()).await,
            Err(StoreError::NotFound)
        ));
        let inv = s.invite(c, ada, cy, "come along", t0()).await.unwrap();
        assert!(matches!(
            s.invite(c, ada, cy, "", t0()).await,
            Err(StoreError::Conflict {
                field: "person_id",
                ..
            })
        ));
        assert!(matches!(
            s.invite(c, ada, bob, "", t0()).await,
            Err(StoreError::Conflict {
                field: "person_id",
                ..
            })
        ));
        let mine = s.invitations_for(cy).await.unwrap();
        assert_eq!((mine[0].id, mine[0].invited_by.as_str()), (inv, "Ada"));
        // Someone else cannot answer Cy's invitation.
        assert!(matches!(
            s.answer_invitation(inv, bob, true, t0()).await,
            Err(StoreError::NotFound)
        ));
        s.join(c, cy, t0()).await.unwrap();
        assert!(s.invitations_for(cy).await.unwrap().is_empty());
        let open = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        assert!(matches!(
            s.request_to_join(open, bob, "", t0()).await,
            Err(StoreError::Conflict { .. })
        ));
        let log = s.community_activity(c, 50).await.unwrap();
        assert_eq!(kinds(&log), ["joined", "joined", "joined"]);
        let history: Vec<_> = s
            .history(c, 50)
            .await
            .unwrap()
            .into_iter()
            .rev()
            .map(|h| h.kind)
            .collect();
        assert_eq!(
            history,
            [
                HistoryKind::Created,
                HistoryKind::Requested,
                HistoryKind::RequestApproved,
                HistoryKind::Invited,
                HistoryKind::InvitationAccepted
            ]
        );
    }
}

#[tokio::test]
async fn charter_revisions_are_kept_and_archived_communities_do_not_change() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let c = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let current = s.community(c).await.unwrap().charter;
        let mut draft = CharterDraft::from(&current);
        draft.in_scope = "Metrics, logs and traces".into();
        draft.sponsor = "VP Engineering".into();
        let second = draft.validate().unwrap();
        assert_eq!(
            s.revise_charter(c, ada, &second, "scope it", t0())
                .await
                .unwrap(),
            Some(2)
        );
        assert_eq!(
            s.revise_charter(c, ada, &second, "", t0()).await.unwrap(),
            None
        );
        let revisions = s.charter_revisions(c).await.unwrap();
        assert_eq!(revisions.len(), 2);
        assert_eq!(revisions[0].charter, current);
        assert_eq!(
            revisions[1].charter.sponsor.as_deref(),
            Some("VP Engineering")
        );
        assert_eq!(revisions[1].note, "scope it");
        assert_eq!(revisions[1].editor_name.as_deref(), Some("Ada"));
        assert_eq!(s.community(c).await.unwrap().charter, second);
        s.set_stage(c, ada, Stage::Coalescing, t0()).await.unwrap();
        s.archive(c, ada, t0()).await.unwrap();
        let archived = s.community(c).await.unwrap();
        assert!(archived.archived_at.is_some() && !archived.is_writable());
        assert_eq!(archived.stage, Stage::Coalescing);
        for result in [
            s.revise_charter(c, ada, &current, "", t0())
                .await
                .map(|_| ()),
            s.join(c, bob, t0()).await,
            s.leave(c, ada, t0()).await,
            s.archive(c, ada, t0()).await,
        ] {
            assert!(
                matches!(&result, Err(StoreError::Conflict { field: "community", message }) if message.contains("archived")),
                "{result:?}"
            );
        }
        // Archived communities stay in the directory, marked.
        assert!(
            s.visible_communities(Some(bob)).await.unwrap()[0]
                .archived_at
                .is_some()
        );
    }
}

#[tokio::test]
async fn merging_moves_members_content_and_history() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let from = s
            .create_community(&charter("tracing", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let into = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(from, bob, t0()).await.unwrap();
        s.join(from, cy, t0()).await.unwrap();
        s.leave(from, cy, t0()).await.unwrap();
        let mut tx = s.begin().await.unwrap();
        activity::append(
            &mut tx,
            &NewEvent {
                at: t0(),
                community_id: from,
                actor_id: Some(bob),
                kind: "thread_opened",
                subject: Some("t1".into()),
                thread_type: Some("question"),
                ..NewEvent::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(
            s.merge(from, from, ada, t0()).await,
            Err(StoreError::Conflict { field: "into", .. })
        ));
        s.merge(from, into, ada, t0() + Duration::days(1))
            .await
            .unwrap();
        let members = s.members(into, None, None, 50).await.unwrap();
        let names: Vec<_> = members.iter().map(|m| m.display_name.as_str()).collect();
        assert_eq!(names, ["Ada", "Bob"], "Ada once, not twice");
        assert_eq!(
            members[1].last_contribution,
            Some(t0()),
            "Bob's contribution moved with him"
        );
        let spells = s.membership_history(into, 50).await.unwrap();
        assert!(
            spells
                .iter()
                .any(|m| m.person_id == cy && m.left_at.is_some())
        );
        assert!(s.community_activity(from, 50).await.unwrap().is_empty());
        let log = s.community_activity(into, 50).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.kind == "thread_opened").count(), 1);
        // Ada's membership of both: her spell in the old one ends with a `left` event.
        let joined = log.iter().filter(|e| e.kind == "joined").count() as i64;
        let left = log.iter().filter(|e| e.kind == "left").count() as i64;
        assert_eq!(joined - left, 2);
        let old = s.community(from).await.unwrap();
        assert_eq!(old.merged_into, Some(into));
        assert_eq!(old.members, 0);
        assert_eq!(s.merged_home("tracing").await.unwrap(), Some(into));
        assert_eq!(s.merged_home("observability").await.unwrap(), None);
        assert_eq!(
            s.visible_communities(Some(ada)).await.unwrap().len(),
            1,
            "merged communities leave the directory"
        );
        let history = s.history(into, 50).await.unwrap();
        assert_eq!(history[0].kind, HistoryKind::MergedFrom);
        assert_eq!(history[0].other_community, Some(from));
        assert!(matches!(
            s.join(from, cy, t0()).await,
            Err(StoreError::Conflict { .. })
        ));
    }
}

#[tokio::test]
async fn splitting_links_both_ways_and_invites_members() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        let cy = person(s, "cy@x.org", "Cy").await;
        let c = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        s.join(c, bob, t0()).await.unwrap();
        let new = charter("tracing", Visibility::Private).charter();
        assert!(matches!(
            s.split(c, ada, "tracing", &new, &[cy], t0()).await,
            Err(StoreError::Conflict {
                field: "invite",
                ..
            })
        ));
        assert_eq!(
            s.community_id("tracing").await.unwrap(),
            None,
            "nothing half-made"
        );
        let id = s
            .split(c, ada, "tracing", &new, &[bob, ada], t0())
            .await
            .unwrap();
        let split = s.community(id).await.unwrap();
        assert_eq!(split.split_from, Some(c));
        assert_eq!(split.stage, Stage::Potential);
        assert_eq!(s.role_in(id, ada).await.unwrap(), Some(MemberRole::Steward));
        assert_eq!(s.invitations_for(bob).await.unwrap()[0].slug, "tracing");
        assert_eq!(s.splits_of(c).await.unwrap()[0].0, id);
        assert_eq!(
            s.history(c, 10).await.unwrap()[0].kind,
            HistoryKind::SplitInto
        );
        assert!(
            s.history(id, 10)
                .await
                .unwrap()
                .iter()
                .any(|h| h.kind == HistoryKind::SplitFrom && h.other_community == Some(c))
        );
    }
}

#[tokio::test]
async fn the_directory_filters_and_pages() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        for (slug, t, o) in [
            (
                "accessibility",
                CommunityType::CrossCutting,
                Orientation::SystemOfInfluence,
            ),
            (
                "engineering-managers",
                CommunityType::RoleBased,
                Orientation::KnowledgeWeaving,
            ),
            (
                "observability",
                CommunityType::TechnicalPractice,
                Orientation::KnowledgeWeaving,
            ),
        ] {
            let mut n = charter(slug, Visibility::Open);
            n.community_type = t;
            n.orientation = o;
            s.create_community(&n, ada, t0()).await.unwrap();
        }
        let obs = s.community_id("observability").await.unwrap().unwrap();
        s.join(obs, bob, t0()).await.unwrap();
        s.set_stage(obs, ada, Stage::Maturing, t0()).await.unwrap();
        let list = |f: CommunityFilter| async move {
            s.directory_of_communities(Some(bob), &CommunityFilter { limit: 50, ..f })
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.slug)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            list(CommunityFilter {
                orientation: Some(Orientation::KnowledgeWeaving),
                ..Default::default()
            })
            .await,
            ["engineering-managers", "observability"]
        );
        assert_eq!(
            list(CommunityFilter {
                community_type: Some(CommunityType::CrossCutting),
                ..Default::default()
            })
            .await,
            ["accessibility"]
        );
        assert_eq!(
            list(CommunityFilter {
                stage: Some(Stage::Maturing),
                ..Default::default()
            })
            .await,
            ["observability"]
        );
        assert_eq!(
            list(CommunityFilter {
                mine: true,
                ..Default::default()
            })
            .await,
            ["observability"]
        );
        let first = s
            .directory_of_communities(
                Some(bob),
                &CommunityFilter {
                    limit: 2,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let last = first.last().unwrap();
        assert_eq!(
            list(CommunityFilter {
                after: Some((last.name.clone(), last.id)),
                ..Default::default()
            })
            .await,
            ["observability"]
        );
    }
}

#[tokio::test]
async fn participation_counts_agree_with_the_domain_rule() {
    use domain::community::Participation;
    use domain::membership::participation;
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let c = s
            .create_community(&charter("observability", Visibility::Open), ada, t0())
            .await
            .unwrap();
        let now = t0() + Duration::days(200);
        // Days before `now` of each member's only contribution (None: never).
        let plan = [Some(1), Some(28), Some(89), Some(90), None];
        let mut ids = Vec::new();
        for (i, days) in plan.iter().enumerate() {
            let id = person(s, &format!("p{i}@x.org"), &format!("P{i}")).await;
            s.join(c, id, t0()).await.unwrap();
            ids.push((id, *days));
        }
        let mut tx = s.begin().await.unwrap();
        for (id, days) in &ids {
            let Some(days) = days else { continue };
            activity::append(
                &mut tx,
                &NewEvent {
                    at: now - Duration::days(*days),
                    community_id: c,
                    actor_id: Some(*id),
                    kind: "replied",
                    subject: Some("t".into()),
                    ..NewEvent::default()
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let counts = s.participation_counts(c, now).await.unwrap();
        // Ada (never), 90 days and never: peripheral; 28 and 89: occasional; 1: active.
        assert_eq!(
            (counts.active, counts.occasional, counts.peripheral),
            (1, 2, 3)
        );
        let listed = s.members(c, None, None, 50).await.unwrap();
        let by_rule = |level| {
            listed
                .iter()
                .filter(|m| participation(m.last_contribution, now) == level)
                .count() as i64
        };
        assert_eq!(by_rule(Participation::Active), counts.active);
        assert_eq!(by_rule(Participation::Occasional), counts.occasional);
        assert_eq!(by_rule(Participation::Peripheral), counts.peripheral);
    }
}

#[tokio::test]
async fn two_stewards_leaving_at_once_leave_one_behind() {
    for db in testing::all().await {
        let s = &db.store;
        let ada = person(s, "ada@x.org", "Ada").await;
        let bob = person(s, "bob@x.org", "Bob").await;
        for round in 0..5 {
            let c = s
                .create_community(
                    &charter(&format!("guild-{round}"), Visibility::Open),
                    ada,
                    t0(),
                )
                .await
                .unwrap();
            s.join(c, bob, t0()).await.unwrap();
            s.set_role(c, ada, bob, MemberRole::Steward, t0())
                .await
                .unwrap();
            let (a, b) = tokio::join!(s.leave(c, ada, t0()), s.leave(c, bob, t0()));
            assert_eq!(
                [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
                1,
                "round {round}: {a:?} {b:?}"
            );
            assert_eq!(
                s.members(c, Some(MemberRole::Steward), None, 10)
                    .await
                    .unwrap()
                    .len(),
                1
            );
        }
    }
}
