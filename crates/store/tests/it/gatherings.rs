//! Gatherings in the store: series and their edits, RSVPs with a capacity
//! and a waitlist, attendance with its `rsvp`, `attended` and
//! `gathering_held` events, facilitation history, "this and following"
//! splits and feed tokens.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::community::{CommunityType, Orientation, Visibility};
use domain::gathering::plan::{Draft, OccurrenceRef, Response, seat};
use store::activity::LogFilter;
use store::communities::NewCommunity;
use store::{Store, StoreError, testing};

use crate::{person, t0};

fn weekly() -> Draft {
    Draft {
        title: "Weekly call".into(),
        format: "call".into(),
        rrule: "FREQ=WEEKLY;BYDAY=TU".into(),
        time_zone: "Europe/Berlin".into(),
        start: "2026-03-17T09:00".into(),
        duration_minutes: 60,
        capacity: Some(2),
        rotate: true,
        ..Draft::default()
    }
}

fn utc(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
}

async fn community(s: &Store, steward: i64) -> i64 {
    s.create_community(
        &NewCommunity {
            slug: "rhythm-guild".into(),
            name: "Rhythm Guild".into(),
            domain_question: "How do we keep a pulse?".into(),
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

async fn kinds(s: &Store, kind: &str) -> Vec<(Option<i64>, Option<String>, Option<String>)> {
    s.activity_page(LogFilter::default(), 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.actor, e.subject, e.response))
        .collect()
}

#[tokio::test]
async fn series_rsvps_waitlist_attendance_and_their_events() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let c = community(s, steward).await;
        let ids = [
            person(s, "a@x.org", "Ana").await,
            person(s, "b@x.org", "Ben").await,
            person(s, "c@x.org", "Cy").await,
        ];
        let plan = weekly().check().unwrap();
        let id = s.create_series(c, &plan, steward, t0()).await.unwrap();
        let series = s.series(id).await.unwrap();
        assert_eq!(series.title, "Weekly call");
        assert_eq!(series.time_zone, "Europe/Berlin");
        assert_eq!(series.first_start, utc(3, 17, 8));
        assert_eq!(s.community_series(c).await.unwrap().len(), 1);
        // Across the change to summer time the call stays at 09:00 in Berlin.
        let schedule = series.schedule().unwrap();
        let next = schedule.expand(utc(3, 17, 0), utc(4, 1, 0)).unwrap();
        let starts: Vec<_> = next.occurrences.iter().map(|o| o.start).collect();
        assert_eq!(starts, [utc(3, 17, 8), utc(3, 24, 8), utc(3, 31, 7)]);

        let first = series.occurrence_ref(utc(3, 17, 8));
        for (i, p) in ids.iter().enumerate() {
            s.rsvp(
                &first,
                *p,
                Response::Yes,
                t0() + Duration::minutes(i as i64),
            )
            .await
            .unwrap();
        }
        // The same answer again changes nothing and logs nothing.
        s.rsvp(&first, ids[0], Response::Yes, t0() + Duration::hours(1))
            .await
            .unwrap();
        let answers = s.answers(&first).await.unwrap();
        let as_tuples: Vec<_> = answers
            .iter()
            .map(|a| (a.person_id, a.response, a.at))
            .collect();
        let seats = seat(&as_tuples, series.capacity);
        assert_eq!(seats.going, [ids[0], ids[1]]);
        assert_eq!(seats.waitlist, [ids[2]]);
        // Ana declines: Cy moves up.
        s.rsvp(&first, ids[0], Response::No, t0() + Duration::hours(2))
            .await
            .unwrap();
        let answers = s.answers(&first).await.unwrap();
        let as_tuples: Vec<_> = answers
            .iter()
            .map(|a| (a.person_id, a.response, a.at))
            .collect();
        assert_eq!(seat(&as_tuples, Some(2)).going, [ids[1], ids[2]]);
        let rsvps = kinds(s, "rsvp").await;
        assert_eq!(rsvps.len(), 4, "{rsvps:?}");
        assert_eq!(
            rsvps[3],
            (
                Some(ids[0]),
                Some(format!("gathering-{}", first.key())),
                Some("no".into())
            )
        );

        // A whole-series answer applies where there is none of one's own.
        let second = series.occurrence_ref(utc(3, 24, 8));
        s.rsvp_series(id, ids[0], Response::Maybe, &[second.recurrence_id], t0())
            .await
            .unwrap();
        let on_second = s.answers(&second).await.unwrap();
        assert_eq!(on_second.len(), 1);
        assert!(on_second[0].whole_series);
        assert_eq!(on_second[0].response, Response::Maybe);
        let on_first = s.answers(&first).await.unwrap();
        let ana = on_first.iter().find(|a| a.person_id == ids[0]).unwrap();
        assert_eq!((ana.response, ana.whole_series), (Response::No, false));
        assert_eq!(s.answers_of(ids[0], Some(id)).await.unwrap().len(), 2);
        assert_eq!(kinds(s, "rsvp").await.len(), 5);

        // Cancelled occurrences take no answers.
        s.set_cancelled(&second, true, t0()).await.unwrap();
        let refused = s
            .rsvp(&second, ids[1], Response::Yes, t0())
            .await
            .unwrap_err();
        assert!(
            matches!(
                refused,
                StoreError::Conflict {
                    field: "occurrence",
                    ..
                }
            ),
            "{refused:?}"
        );
        assert!(
            s.series(id)
                .await
                .unwrap()
                .schedule()
                .unwrap()
                .cancelled()
                .contains(&second.recurrence_id)
        );

        // Attendance: the first record marks it held, with its facilitator.
        s.volunteer(id, ids[1], t0()).await.unwrap();
        s.volunteer(id, ids[2], t0()).await.unwrap();
        assert_eq!(s.volunteers(id).await.unwrap().len(), 2);
        let later = utc(3, 17, 10);
        let added = s
            .record_attendance(&first, ids[1], &[ids[1], ids[2]], steward, later)
            .await
            .unwrap();
        assert_eq!(added, 2);
        assert!(!s.check_in(&first, ids[2], later).await.unwrap());
        assert!(s.check_in(&first, ids[0], later).await.unwrap());
        let again = s
            .record_attendance(&first, ids[1], &[ids[1]], steward, later)
            .await
            .unwrap();
        assert_eq!(again, 0);
        assert_eq!(s.attendance(&first).await.unwrap().len(), 3);
        let held = kinds(s, "gathering_held").await;
        assert_eq!(
            held,
            [(
                Some(ids[1]),
                Some(format!("gathering-{}", first.key())),
                None
            )]
        );
        assert_eq!(kinds(s, "attended").await.len(), 3);
        let history = s.facilitations(Some(id), None).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].person_id, ids[1]);
        assert_eq!(s.facilitations(None, Some(ids[1])).await.unwrap().len(), 1);
        s.decline_facilitation(&second, ids[2], true).await.unwrap();
        assert_eq!(
            s.facilitation_declines(id).await.unwrap(),
            [(ids[2], second.recurrence_id)]
        );

        // Notes and a recording.
        s.set_occurrence_record(&first, Some("Intro"), "We talked", "https://rec.example/1")
            .await
            .unwrap();
        let rec = s.series(id).await.unwrap();
        let o = rec.occurrence(first.recurrence_id).unwrap();
        assert_eq!(
            (o.notes.as_str(), o.recording_url.as_str()),
            ("We talked", "https://rec.example/1")
        );
        assert_eq!(o.facilitator_id, Some(ids[1]));
    }
}

#[tokio::test]
async fn this_and_following_splits_and_moves_what_is_known() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let ana = person(s, "a@x.org", "Ana").await;
        let c = community(s, steward).await;
        let plan = weekly().check().unwrap();
        let id = s.create_series(c, &plan, steward, t0()).await.unwrap();
        let series = s.series(id).await.unwrap();
        let third = series.occurrence_ref(utc(3, 31, 7));
        s.rsvp(&third, ana, Response::Yes, t0()).await.unwrap();
        s.rsvp_series(id, ana, Response::Maybe, &[], t0())
            .await
            .unwrap();
        s.volunteer(id, ana, t0()).await.unwrap();
        let (before, _) = series
            .schedule()
            .unwrap()
            .split_at(third.recurrence_id)
            .unwrap();
        let mut after = weekly();
        after.title = "Weekly call (later)".into();
        after.start = "2026-03-31T10:00".into();
        let after = after.check().unwrap();
        let new = s
            .split_series(id, third.recurrence_id, &before, &after, steward, t0())
            .await
            .unwrap();
        let old = s.series(id).await.unwrap();
        assert!(old.rrule.contains("UNTIL="), "{}", old.rrule);
        let held = old
            .schedule()
            .unwrap()
            .expand(utc(3, 1, 0), utc(6, 1, 0))
            .unwrap();
        assert_eq!(held.occurrences.len(), 2);
        let moved = s.series(new).await.unwrap();
        assert_eq!(moved.split_from, Some(id));
        assert_eq!(moved.title, "Weekly call (later)");
        // Ana's answer follows the date to its new time, 10:00 Berlin.
        let kept = OccurrenceRef {
            series: new,
            recurrence_id: utc(3, 31, 8),
        };
        assert_eq!(s.answers(&kept).await.unwrap()[0].response, Response::Yes);
        let stale = OccurrenceRef {
            series: new,
            recurrence_id: third.recurrence_id,
        };
        assert!(
            s.answers(&stale)
                .await
                .unwrap()
                .iter()
                .all(|a| a.person_id != ana || a.response != Response::Yes)
        );
        assert_eq!(s.volunteers(new).await.unwrap().len(), 1);
        assert_eq!(s.answers_of(ana, Some(new)).await.unwrap().len(), 2);
        // Whole-series edits keep the series; an hour later, what is known
        // about each date moves with it, and a date the rule drops keeps
        // its rows out of reach.
        let second = series.occurrence_ref(utc(3, 24, 8));
        s.rsvp(&second, ana, Response::No, t0()).await.unwrap();
        s.set_cancelled(&series.occurrence_ref(utc(3, 17, 8)), true, t0())
            .await
            .unwrap();
        let mut edit = weekly();
        edit.title = "Renamed".into();
        edit.start = "2026-03-17T10:00".into();
        s.update_series(id, &edit.check().unwrap(), t0())
            .await
            .unwrap();
        let renamed = s.series(id).await.unwrap();
        assert_eq!(renamed.title, "Renamed");
        assert!(renamed.occurrence(utc(3, 17, 9)).unwrap().cancelled);
        let later = renamed.occurrence_ref(utc(3, 24, 9));
        assert_eq!(s.answers(&later).await.unwrap()[0].response, Response::No);
        assert!(
            s.answers(&second)
                .await
                .unwrap()
                .iter()
                .all(|a| a.person_id != ana || a.response != Response::No)
        );
        let mut fortnightly = weekly();
        fortnightly.title = "Renamed".into();
        fortnightly.rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU".into();
        s.update_series(id, &fortnightly.check().unwrap(), t0())
            .await
            .unwrap();
        let back = s.series(id).await.unwrap();
        assert!(back.occurrence(utc(3, 17, 8)).unwrap().cancelled);
        let dropped = back.occurrence_ref(utc(3, 24, 8));
        assert!(
            s.answers(&dropped)
                .await
                .unwrap()
                .iter()
                .all(|a| a.person_id != ana || a.response != Response::No)
        );
        assert!(matches!(
            s.update_series(999_999, &edit.check().unwrap(), t0()).await,
            Err(StoreError::NotFound)
        ));
        // Members see their communities' series.
        assert_eq!(s.member_series(steward).await.unwrap().len(), 2);
        assert!(s.member_series(ana).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn archived_communities_take_no_gatherings_and_feed_tokens_revoke() {
    for db in testing::all().await {
        let s = &db.store;
        let steward = person(s, "steward@x.org", "Steward").await;
        let c = community(s, steward).await;
        let token = s
            .create_feed_token(steward, Some(c), "digest-1", "ghf_abc", t0())
            .await
            .unwrap();
        let found = s.feed_token("digest-1").await.unwrap().unwrap();
        assert_eq!(found.community_slug.as_deref(), Some("rhythm-guild"));
        assert_eq!(found.person_id, steward);
        s.create_feed_token(steward, None, "digest-2", "ghf_def", t0())
            .await
            .unwrap();
        assert_eq!(s.feed_tokens(steward).await.unwrap().len(), 2);
        s.revoke_feed_token(steward, token, t0()).await.unwrap();
        assert!(s.feed_token("digest-1").await.unwrap().is_none());
        assert!(s.feed_token("digest-2").await.unwrap().is_some());
        let other = person(s, "o@x.org", "Other").await;
        assert!(matches!(
            s.revoke_feed_token(other, token, t0()).await,
            Err(StoreError::NotFound)
        ));
        let id = s
            .create_series(c, &weekly().check().unwrap(), steward, t0())
            .await
            .unwrap();
        s.archive(c, steward, t0()).await.unwrap();
        let err = s
            .create_series(c, &weekly().check().unwrap(), steward, t0())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    field: "community",
                    ..
                }
            ),
            "{err:?}"
        );
        let r = OccurrenceRef {
            series: id,
            recurrence_id: utc(3, 17, 8),
        };
        assert!(s.rsvp(&r, steward, Response::Yes, t0()).await.is_err());
    }
}
