//! People, profiles, teams and the directory.

use domain::person::{OrgRole, ProfileDraft, parse_skills};
use store::StoreError;
use store::people::{DirectoryQuery, NewPerson};
use store::testing;

use crate::{person, t0};

#[tokio::test]
async fn duplicate_email_is_a_conflict_on_email() {
    for db in testing::all().await {
        let s = &db.store;
        person(s, "ada@example.org", "Ada").await;
        let err = s
            .create_person(
                &NewPerson {
                    email: "ada@example.org".into(),
                    display_name: "Other Ada".into(),
                    password_hash: None,
                    org_role: OrgRole::Member,
                },
                t0(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { field: "email", .. }),
            "{err:?}"
        );
        assert_eq!(s.count_people().await.unwrap(), 1);
    }
}

#[tokio::test]
async fn profile_round_trips_with_lists_and_team() {
    for db in testing::all().await {
        let s = &db.store;
        let id = person(s, "grace@example.org", "Grace").await;
        let profile = ProfileDraft {
            display_name: "Grace Hopper".into(),
            team: "Compilers".into(),
            location: "Arlington".into(),
            time_zone: "America/New_York".into(),
            work_start: "09:30".into(),
            work_end: "17:00".into(),
            bio: "Wrote the first compiler.".into(),
            skills: parse_skills("cobol:expert, rust:beginner").unwrap(),
            interests: vec!["languages".into()],
            can_teach: vec!["debugging".into()],
            wants_to_learn: vec!["rust".into()],
        }
        .validate()
        .unwrap();
        s.update_profile(id, &profile, t0()).await.unwrap();
        let got = s.profile(id).await.unwrap();
        assert_eq!(got.person.display_name, "Grace Hopper");
        assert_eq!(got.person.team.as_deref(), Some("Compilers"));
        assert_eq!(got.person.time_zone, "America/New_York");
        assert_eq!((got.person.work_start, got.person.work_end), (570, 1020));
        assert_eq!(got.skills, profile.skills);
        assert_eq!(got.interests, vec!["languages"]);
        assert_eq!(got.can_teach, vec!["debugging"]);
        assert_eq!(got.wants_to_learn, vec!["rust"]);
        // Editing again replaces the lists rather than adding to them.
        s.update_profile(id, &profile, t0()).await.unwrap();
        assert_eq!(s.profile(id).await.unwrap().skills.len(), 2);
        let teams = s.teams().await.unwrap();
        assert_eq!(teams.len(), 1);
        assert_eq!(teams[0].members, 1);
    }
}

#[tokio::test]
async fn directory_searches_by_name_team_and_skill_and_pages() {
    for db in testing::all().await {
        let s = &db.store;
        for (email, name, team, skills) in [
            ("a@x.org", "Alan Turing", "Research", "cryptography:expert"),
            (
                "b@x.org",
                "Barbara Liskov",
                "Research",
                "distributed systems",
            ),
            (
                "c@x.org",
                "Carol Shaw",
                "Games",
                "assembly:expert, cryptography",
            ),
        ] {
            let id = person(s, email, name).await;
            let p = ProfileDraft {
                display_name: name.into(),
                team: team.into(),
                skills: parse_skills(skills).unwrap(),
                ..Default::default()
            }
            .validate()
            .unwrap();
            s.update_profile(id, &p, t0()).await.unwrap();
        }
        let names = |v: Vec<store::people::PersonProfile>| {
            v.into_iter()
                .map(|p| p.person.display_name)
                .collect::<Vec<_>>()
        };
        let q = |f: fn(&mut DirectoryQuery)| {
            let mut q = DirectoryQuery {
                limit: 50,
                ..Default::default()
            };
            f(&mut q);
            q
        };
        assert_eq!(
            names(
                s.directory(&q(|q| q.name = Some("LISK".into())))
                    .await
                    .unwrap()
            ),
            ["Barbara Liskov"]
        );
        assert_eq!(
            names(
                s.directory(&q(|q| q.team = Some("Research".into())))
                    .await
                    .unwrap()
            ),
            ["Alan Turing", "Barbara Liskov"]
        );
        let crypto = s
            .directory(&q(|q| q.skill = Some("cryptography".into())))
            .await
            .unwrap();
        assert_eq!(names(crypto.clone()), ["Alan Turing", "Carol Shaw"]);
        assert_eq!(crypto[1].skills.len(), 2, "lists come with each person");
        // A wildcard typed by a user is not a wildcard.
        assert!(
            s.directory(&q(|q| q.name = Some("%".into())))
                .await
                .unwrap()
                .len()
                == 3
        );
        // Paging: two, then the rest after the last one seen.
        let first = s.directory(&q(|q| q.limit = 2)).await.unwrap();
        assert_eq!(first.len(), 2);
        let last = first.last().unwrap();
        let mut rest = q(|_| {});
        rest.after = Some((last.person.display_name.clone(), last.person.id));
        assert_eq!(names(s.directory(&rest).await.unwrap()), ["Carol Shaw"]);
    }
}

#[tokio::test]
async fn roles_can_be_changed_by_email() {
    for db in testing::all().await {
        let s = &db.store;
        let id = person(s, "root@x.org", "Root").await;
        s.set_org_role("root@x.org", OrgRole::Admin, t0())
            .await
            .unwrap();
        assert_eq!(s.person(id).await.unwrap().org_role, OrgRole::Admin);
        assert!(matches!(
            s.set_org_role("nobody@x.org", OrgRole::Admin, t0()).await,
            Err(StoreError::NotFound)
        ));
    }
}
