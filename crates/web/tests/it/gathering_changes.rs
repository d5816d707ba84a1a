//! Changing gatherings by forms: a steward moves one date and puts it back,
//! changes the series from a date on ("this and all following"), with bad
//! input shown on the page with a 4xx, answers carried to the new times
//! (their `rsvp` events with the member's team), the split series' feed
//! written for the independent check, and members and tokenless forms
//! refused. Notes promoted into a draft artifact, from the API and the page.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use chrono::{TimeZone, Utc};

use crate::apps;
use crate::browser::{Browser, browser};
use crate::gatherings::write_case;

async fn occurrences(b: &Browser, app: &crate::App, id: i64) -> Vec<Value> {
    let (s, v) = b
        .api(
            app,
            Method::GET,
            &format!(
                "/api/v1/gatherings/{id}/occurrences?from=2026-03-16T00:00:00Z&to=2026-04-15T00:00:00Z"
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

#[tokio::test]
async fn stewards_move_one_date_and_change_the_following_by_forms() {
    for (n, app) in apps().await.into_iter().enumerate() {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let (s, _) = ada.api(&app, Method::POST, "/api/v1/communities", Some(json!({
            "slug": "rhythm-guild", "name": "Rhythm Guild", "domain_question": "How do we keep a pulse?",
            "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"}))).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/rhythm-guild/join",
                None,
            )
            .await;
        assert!(s.is_success());
        let r = ada
            .post(
                &app,
                "/communities/rhythm-guild/gatherings",
                &[
                    ("title", "Weekly practice call"),
                    ("format", "call"),
                    ("rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
                    ("time_zone", "Europe/Berlin"),
                    ("start", "2026-03-17T09:00"),
                    ("duration_minutes", "60"),
                    ("capacity", "5"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let id: i64 = r.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/gatherings/")
            .parse()
            .unwrap();
        let first = format!("{id}-20260317T080000Z");
        let third = format!("{id}-20260331T070000Z");
        let fourth = format!("{id}-20260407T070000Z");

        // The steward sees the change forms; a member does not.
        let (_, page) = ada.page(&app, &format!("/occurrences/{third}")).await;
        for needle in [
            "Move only this date",
            "value=\"2026-03-31T09:00\"",
            "Change this and all following dates",
            "id=\"following-rrule\" name=\"rrule\" value=\"FREQ=WEEKLY;BYDAY=TU;COUNT=8\"",
        ] {
            assert!(page.contains(needle), "the steward's page lacks {needle}");
        }
        let (_, page) = bob.page(&app, &format!("/occurrences/{third}")).await;
        assert!(!page.contains("Move only this date"));

        // Move one date an hour later, shown with the page's error on bad input.
        for (fields, needle) in [
            (
                vec![("start", "2026-03-31 nine"), ("duration_minutes", "60")],
                "start",
            ),
            (
                vec![("start", "2026-03-31T10:00"), ("duration_minutes", "0")],
                "duration_minutes",
            ),
            (
                vec![
                    ("start", "2026-03-31T10:00"),
                    ("duration_minutes", "an hour"),
                ],
                "duration_minutes",
            ),
            (vec![("start", "")], "start"),
        ] {
            let r = ada
                .post(&app, &format!("/occurrences/{third}/move"), &fields)
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
            let text = r.text().await.unwrap();
            assert!(text.contains("role=\"alert\""), "{fields:?}");
            assert!(text.contains(needle), "{fields:?}: {needle}");
            if let Some((_, v)) = fields.iter().find(|(k, _)| *k == "duration_minutes") {
                assert!(
                    text.contains(&format!("id=\"move-minutes\" name=\"duration_minutes\" inputmode=\"numeric\" value=\"{v}\"")),
                    "what was typed stays in the form"
                );
            }
        }
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{third}/move"),
                &[("start", "2026-03-31T10:00")],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "members do not move dates"
        );
        let r = ada
            .web
            .post(app.url(&format!("/occurrences/{third}/move")))
            .form(&[("start", "2026-03-31T10:00")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "forms need their token");
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{third}/move"),
                &[("start", "2026-03-31T10:00"), ("duration_minutes", "90")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let list = occurrences(&ada, &app, id).await;
        let moved = list.iter().find(|o| o["id"] == third).unwrap();
        assert_eq!(moved["status"], "moved");
        assert_eq!(moved["start"], "2026-03-31T08:00:00Z");
        assert_eq!(moved["end"], "2026-03-31T09:30:00Z");
        let (_, page) = ada.page(&app, &format!("/occurrences/{third}")).await;
        assert!(page.contains("moved from its usual time"));
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{third}/move"),
                &[("restore", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let list = occurrences(&ada, &app, id).await;
        let back = list.iter().find(|o| o["id"] == third).unwrap();
        assert_eq!(
            (back["status"].as_str(), back["start"].as_str()),
            (Some("scheduled"), Some("2026-03-31T07:00:00Z"))
        );

        // Bob (of the SRE team) answers the fourth date; from the third on
        // the call is at 10:30 on Wednesdays.
        let (s, v) = bob
            .api(
                &app,
                Method::PUT,
                "/api/v1/me/profile",
                Some(json!({"display_name": "Bob", "time_zone": "Europe/Berlin", "team": "SRE"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{fourth}/rsvp"),
                &[("response", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let following = |start: &'static str, rrule: &'static str, tz: &'static str| {
            vec![
                ("title", "Weekly practice call (Wednesdays)"),
                ("format", "call"),
                ("rrule", rrule),
                ("time_zone", tz),
                ("start", start),
                ("duration_minutes", "60"),
                ("capacity", "5"),
            ]
        };
        for (fields, field) in [
            (
                following("2026-04-01T10:30", "FREQ=WEEKLY;BYDAY=XX", "Europe/Berlin"),
                "rrule",
            ),
            (
                following("2026-04-01T10:30", "FREQ=WEEKLY;BYDAY=WE", "Mars/Olympus"),
                "time_zone",
            ),
            (
                following("2026-03-20T10:30", "FREQ=WEEKLY;BYDAY=FR", "Europe/Berlin"),
                "start",
            ),
        ] {
            let r = ada
                .post(&app, &format!("/occurrences/{third}/following"), &fields)
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            let text = r.text().await.unwrap();
            assert!(text.contains("role=\"alert\""));
            assert!(
                text.contains("value=\"Weekly practice call (Wednesdays)\""),
                "the form keeps what was typed"
            );
        }
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{third}/following"),
                &following("2026-04-01T10:30", "FREQ=WEEKLY;BYDAY=WE", "Europe/Berlin"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{third}/following"),
                &following(
                    "2026-04-01T10:30",
                    "FREQ=WEEKLY;BYDAY=WE;COUNT=8",
                    "Europe/Berlin",
                ),
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let new: i64 = r.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/gatherings/")
            .parse()
            .unwrap();
        assert_ne!(new, id);
        let before: Vec<String> = occurrences(&ada, &app, id)
            .await
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(before, [first.clone(), format!("{id}-20260324T080000Z")]);
        let after = occurrences(&ada, &app, new).await;
        assert_eq!(after[0]["start"], "2026-04-01T08:30:00Z");
        assert_eq!(after[1]["start"], "2026-04-08T08:30:00Z");
        // Bob's answer to 7 April went with it to Wednesday 8 April.
        let (s, v) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/occurrences/{new}-20260408T083000Z"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["going"][0]["display_name"], "Bob", "{v}");
        let (_, page) = ada.page(&app, &format!("/gatherings/{new}")).await;
        assert!(page.contains("Weekly practice call (Wednesdays)"));
        let log = app
            .db
            .store
            .activity_page(store::activity::LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        let answered = log
            .iter()
            .find(|e| e.kind == "rsvp" && e.actor == Some(bob.id))
            .expect("Bob's rsvp event");
        assert_eq!(
            (answered.response.as_deref(), answered.team.as_deref()),
            (Some("yes"), Some("SRE"))
        );

        // Both parts in the community's feed, for the independent parser.
        let (s, ics) = ada
            .api(
                &app,
                Method::GET,
                "/api/v1/communities/rhythm-guild/calendar.ics",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let ics = ics.as_str().unwrap().to_owned();
        assert!(
            ics.contains("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260331T065959Z"),
            "{ics}"
        );
        assert!(
            ics.contains("DTSTART;TZID=Europe/Berlin:20260401T103000"),
            "{ics}"
        );
        if n == 0 {
            let at = |m: u32, d: u32, h: u32, min: u32| {
                Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
            };
            let expected = [
                at(3, 17, 8, 0),
                at(3, 24, 8, 0),
                at(4, 1, 8, 30),
                at(4, 8, 8, 30),
            ];
            write_case("split", &ics, &expected, at(3, 16, 0, 0), at(4, 10, 0, 0));
        }

        // At the first date, the form changes the whole series.
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{first}/following"),
                &[
                    ("title", "Tuesday call"),
                    ("rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=2"),
                    ("time_zone", "Europe/Berlin"),
                    ("start", "2026-03-17T09:00"),
                    ("duration_minutes", "45"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()["location"].to_str().unwrap(),
            format!("/gatherings/{id}")
        );
        let (_, v) = ada
            .api(&app, Method::GET, &format!("/api/v1/gatherings/{id}"), None)
            .await;
        assert_eq!(
            (v["title"].as_str(), v["duration_minutes"].as_i64()),
            (Some("Tuesday call"), Some(45))
        );
    }
}

#[tokio::test]
async fn notes_are_promoted_into_a_draft_artifact_linked_from_the_date() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let (s, _) = ada.api(&app, Method::POST, "/api/v1/communities", Some(json!({
            "slug": "rhythm-guild", "name": "Rhythm Guild", "domain_question": "How do we keep a pulse?",
            "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"}))).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = bob
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/rhythm-guild/join",
                None,
            )
            .await;
        assert!(s.is_success());
        let (s, v) = ada
            .api(
                &app,
                Method::POST,
                "/api/v1/communities/rhythm-guild/gatherings",
                Some(json!({"title": "Weekly practice call", "rrule": "FREQ=WEEKLY;BYDAY=TU",
                    "time_zone": "Europe/Berlin", "start": "2026-03-03T09:00", "duration_minutes": 60})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        let key = format!("{id}-20260303T080000Z");
        let promote = format!("/api/v1/occurrences/{key}/artifacts");
        let (s, v) = ada
            .api(&app, Method::POST, &promote, Some(json!({"kind": "story"})))
            .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("notes")),
            "nothing to promote yet: {v}"
        );
        let notes = "We compared runbooks: the shortest one won.";
        let (s, _) = ada
            .api(
                &app,
                Method::PUT,
                &format!("/api/v1/occurrences/{key}/record"),
                Some(json!({"notes": notes})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = bob
            .api(&app, Method::POST, &promote, Some(json!({"kind": "story"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "members who did not facilitate");
        for kind in ["decision_record", "poem"] {
            let (s, v) = ada
                .api(&app, Method::POST, &promote, Some(json!({"kind": kind})))
                .await;
            assert_eq!(
                (s, v["error"]["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
                "{kind}: {v}"
            );
        }
        let (s, v) = ada
            .api(&app, Method::POST, &promote, Some(json!({"kind": "story"})))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["state"], "draft");
        assert_eq!(v["title"], "Weekly practice call, 3 March 2026");
        let story = v["id"].as_i64().unwrap();
        let made = app.db.store.artifact(story).await.unwrap();
        assert!(
            made.content.body.starts_with(notes),
            "{}",
            made.content.body
        );
        assert!(made.content.body.contains(&format!("(/occurrences/{key})")));
        assert!(made.source.occurrence_id.is_some());
        let log = app
            .db
            .store
            .activity_page(store::activity::LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        assert!(log.iter().any(|e| e.kind == "artifact_created"
            && e.actor == Some(ada.id)
            && e.subject.as_deref() == Some(format!("artifact-{story}").as_str())));

        // Members check themselves in from 30 minutes before the start.
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 3, 3, 7, 20, 0).unwrap());
        let (_, page) = bob.page(&app, &format!("/occurrences/{key}")).await;
        assert!(!page.contains("Check in: I was there"));
        app.clock
            .set(Utc.with_ymd_and_hms(2026, 3, 3, 7, 40, 0).unwrap());
        let (_, page) = bob.page(&app, &format!("/occurrences/{key}")).await;
        assert!(page.contains("Check in: I was there"));
        let r = bob
            .post(&app, &format!("/occurrences/{key}/check-in"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = bob.page(&app, &format!("/occurrences/{key}")).await;
        assert!(page.contains("Attended: Bob."), "{page}");

        // By the page: a guide with its own title, then linked from the date.
        let (_, page) = bob.page(&app, &format!("/occurrences/{key}")).await;
        assert!(!page.contains("Promote these notes"));
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{key}/promote"),
                &[("kind", "guide")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = ada
            .web
            .post(app.url(&format!("/occurrences/{key}/promote")))
            .form(&[("kind", "guide")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "forms need their token");
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{key}/promote"),
                &[("kind", "tool"), ("title", "Two\nlines")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("role=\"alert\""));
        let (_, page) = ada.page(&app, &format!("/occurrences/{key}")).await;
        assert!(page.contains("Promote these notes to an artifact"));
        let r = ada
            .post(
                &app,
                &format!("/occurrences/{key}/promote"),
                &[("kind", "guide"), ("title", "Runbook habits")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // The links follow the date when the whole series moves an hour later.
        let (s, v) = ada
            .api(
                &app,
                Method::PUT,
                &format!("/api/v1/gatherings/{id}"),
                Some(json!({"title": "Weekly practice call", "rrule": "FREQ=WEEKLY;BYDAY=TU",
                    "time_zone": "Europe/Berlin", "start": "2026-03-03T10:00", "duration_minutes": 60})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let moved = format!("{id}-20260303T090000Z");
        let (s, page) = bob.page(&app, &format!("/occurrences/{moved}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(&format!("href=\"/artifacts/{story}\"")),
            "{page}"
        );
        assert!(page.contains("Runbook habits"));
        assert!(page.contains(notes));
        let (_, v) = bob
            .api(
                &app,
                Method::GET,
                &format!("/api/v1/occurrences/{moved}"),
                None,
            )
            .await;
        let titles: Vec<&str> = v["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            ["Weekly practice call, 3 March 2026", "Runbook habits"]
        );
    }
}
