//! Gatherings through the real listener: a weekly Berlin series across the
//! change to summer time, bad input refused with its field, RSVPs with a
//! capacity and a waitlist, a cancelled date, attendance and the next
//! facilitator, time-zone fairness for members in Los Angeles and Kolkata,
//! the pages, private series hidden, and iCalendar feeds by token (written
//! to `GUILDHALL_ICAL_DIR`, when set, for `scripts/check-ical.py`).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::{Browser, browser};
use crate::{App, apps, client};

fn utc(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
}

fn series_body() -> Value {
    json!({"title": "Weekly practice call", "format": "call", "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "time_zone": "Europe/Berlin", "start": "2026-03-17T09:00", "duration_minutes": 60,
        "location": "https://call.example/room, B", "agenda": "News; questions, demos",
        "capacity": 1, "rotate": true})
}

async fn call(
    b: &Browser,
    app: &App,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    b.api(app, method, path, body).await
}

async fn rsvp(b: &Browser, app: &App, occ: &str, r: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/occurrences/{occ}/rsvp");
    call(b, app, Method::POST, &path, Some(json!({"response": r}))).await
}

async fn zone(b: &Browser, app: &App, name: &str, tz: &str) {
    let (s, v) = call(
        b,
        app,
        Method::PUT,
        "/api/v1/me/profile",
        Some(json!({"display_name": name, "time_zone": tz, "work_start": "09:00", "work_end": "17:00"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// Writes a feed and the UTC starts it must expand to, for the independent check.
pub fn write_case(
    name: &str,
    ics: &str,
    expected: &[DateTime<Utc>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) {
    let Ok(dir) = std::env::var("GUILDHALL_ICAL_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/{name}.ics"), ics).unwrap();
    let starts: Vec<String> = expected
        .iter()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect();
    let case = json!({"from": from.to_rfc3339(), "to": to.to_rfc3339(), "starts": starts});
    std::fs::write(format!("{dir}/{name}.json"), case.to_string()).unwrap();
}

#[tokio::test]
async fn a_weekly_series_from_rsvp_to_attendance_fairness_and_feeds() {
    for (n, app) in apps().await.into_iter().enumerate() {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        let dan = browser(&app, "dan@example.org", "Dan").await;
        zone(&ada, &app, "Ada", "Europe/Berlin").await;
        zone(&bob, &app, "Bob", "America/Los_Angeles").await;
        zone(&cy, &app, "Cy", "Asia/Kolkata").await;
        let (s, _) = call(&ada, &app, Method::POST, "/api/v1/communities", Some(json!({
            "slug": "rhythm-guild", "name": "Rhythm Guild", "domain_question": "How do we keep a pulse?",
            "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"}))).await;
        assert_eq!(s, StatusCode::CREATED);
        for b in [&bob, &cy] {
            let (s, _) = call(
                b,
                &app,
                Method::POST,
                "/api/v1/communities/rhythm-guild/join",
                None,
            )
            .await;
            assert!(s.is_success(), "{s}");
        }

        // Bad input names its field.
        for (change, field) in [
            (json!({"rrule": "FREQ=SOMETIMES"}), "rrule"),
            (json!({"time_zone": "Mars/Olympus_Mons"}), "time_zone"),
            (json!({"duration_minutes": 0}), "duration_minutes"),
            (json!({"start": "2026-03-18T09:00"}), "start"),
            (json!({"start": "next tuesday"}), "start"),
            // A rule that ends before the series starts.
            (
                json!({"rrule": "FREQ=WEEKLY;UNTIL=20260301T000000Z"}),
                "rrule",
            ),
            (json!({"title": ""}), "title"),
        ] {
            let mut body = series_body();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (s, v) = call(
                &ada,
                &app,
                Method::POST,
                "/api/v1/communities/rhythm-guild/gatherings",
                Some(body),
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert_eq!(v["error"]["field"], field, "{v}");
        }
        let (s, v) = call(
            &bob,
            &app,
            Method::POST,
            "/api/v1/communities/rhythm-guild/gatherings",
            Some(series_body()),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "members do not create series: {v}"
        );
        let (s, v) = call(
            &ada,
            &app,
            Method::POST,
            "/api/v1/communities/rhythm-guild/gatherings",
            Some(series_body()),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();

        // 09:00 in Berlin on both sides of the change to summer time (29 March).
        let (s, v) = call(&ada, &app, Method::GET,
            &format!("/api/v1/gatherings/{id}/occurrences?from=2026-03-16T00:00:00Z&to=2026-04-08T00:00:00Z"), None).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let starts: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["start"].as_str().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "2026-03-17T08:00:00Z",
                "2026-03-24T08:00:00Z",
                "2026-03-31T07:00:00Z",
                "2026-04-07T07:00:00Z"
            ]
        );
        let ids: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect();

        // RSVPs with one seat: first come, first seated; a decline moves the waitlist up.

        assert_eq!(rsvp(&bob, &app, &ids[0], "yes").await.0, StatusCode::OK);
        let (_, v) = rsvp(&cy, &app, &ids[0], "yes").await;
        assert_eq!(v["going"][0]["display_name"], "Bob");
        assert_eq!(v["waitlist"][0]["display_name"], "Cy");
        let (_, v) = rsvp(&bob, &app, &ids[0], "no").await;
        assert_eq!(v["going"][0]["display_name"], "Cy", "{v}");
        assert!(v["waitlist"].as_array().unwrap().is_empty());
        let (s, v) = rsvp(&bob, &app, &ids[0], "perhaps").await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("response"))
        );
        let (s, _) = rsvp(&dan, &app, &ids[0], "yes").await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "outsiders of an open community join first"
        );
        let (s, _) = call(
            &bob,
            &app,
            Method::POST,
            &format!("/api/v1/gatherings/{id}/rsvp"),
            Some(json!({"response": "maybe"})),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);

        // A cancelled date takes no answers.
        let (s, _) = call(
            &bob,
            &app,
            Method::POST,
            &format!("/api/v1/occurrences/{}/cancel", ids[1]),
            Some(json!({})),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = call(
            &ada,
            &app,
            Method::POST,
            &format!("/api/v1/occurrences/{}/cancel", ids[1]),
            Some(json!({})),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, v) = rsvp(&cy, &app, &ids[1], "yes").await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::CONFLICT, Some("occurrence")),
            "{v}"
        );
        // The fourth date moves an hour later.
        let (s, v) = call(
            &ada,
            &app,
            Method::POST,
            &format!("/api/v1/occurrences/{}/move", ids[3]),
            Some(json!({"start": "2026-04-07T10:00"})),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");

        // Volunteers, attendance afterwards, and the next facilitator.
        for b in [&bob, &cy] {
            let (s, _) = call(
                b,
                &app,
                Method::POST,
                &format!("/api/v1/gatherings/{id}/volunteers"),
                None,
            )
            .await;
            assert_eq!(s, StatusCode::NO_CONTENT);
        }
        let path = format!("/api/v1/occurrences/{}/attendance", ids[0]);
        let (s, v) = call(
            &ada,
            &app,
            Method::POST,
            &path,
            Some(json!({"facilitator_id": bob.id, "attendees": [cy.id]})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not started yet: {v}");
        app.clock.set(utc(3, 17, 10));
        let (s, v) = call(
            &ada,
            &app,
            Method::POST,
            &path,
            Some(json!({"facilitator_id": bob.id, "attendees": [cy.id, dan.id]})),
        )
        .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("attendees"))
        );
        let (s, v) = call(
            &ada,
            &app,
            Method::POST,
            &path,
            Some(json!({"facilitator_id": bob.id, "attendees": [cy.id]})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["facilitator"]["display_name"], "Bob");
        assert_eq!(v["attended"][0]["display_name"], "Cy");
        let (s, _) = call(
            &bob,
            &app,
            Method::POST,
            &format!("/api/v1/occurrences/{}/check-in", ids[0]),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, v) = call(
            &bob,
            &app,
            Method::PUT,
            &format!("/api/v1/occurrences/{}/record", ids[0]),
            Some(json!({"notes": "We compared runbooks", "recording_url": "javascript:alert(1)"})),
        )
        .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("recording_url"))
        );
        let (s, _) = call(
            &bob,
            &app,
            Method::PUT,
            &format!("/api/v1/occurrences/{}/record", ids[0]),
            Some(
                json!({"notes": "We compared runbooks", "recording_url": "https://rec.example/1"}),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, v) = call(
            &ada,
            &app,
            Method::GET,
            &format!("/api/v1/gatherings/{id}/facilitation"),
            None,
        )
        .await;
        assert_eq!(
            v["suggestions"][0]["facilitator"]["display_name"], "Cy",
            "{v}"
        );
        assert_eq!(
            v["suggestions"][1]["facilitator"]["display_name"], "Bob",
            "{v}"
        );
        assert_eq!(v["history"][0]["facilitator"]["display_name"], "Bob");
        let log = app
            .db
            .store
            .activity_page(store::activity::LogFilter::default(), 0, 1000)
            .await
            .unwrap();
        let held: Vec<_> = log.iter().filter(|e| e.kind == "gathering_held").collect();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].actor, Some(bob.id));
        assert_eq!(log.iter().filter(|e| e.kind == "attended").count(), 2);
        assert!(
            log.iter()
                .any(|e| e.kind == "rsvp" && e.response.as_deref() == Some("maybe"))
        );

        // Fairness: 09:00 Berlin is 01:00 in Los Angeles and 13:30 in Kolkata.
        let (s, v) = call(
            &cy,
            &app,
            Method::GET,
            &format!("/api/v1/gatherings/{id}/fairness"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let member = |name: &str| {
            v["members"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["display_name"] == name)
                .unwrap()
                .clone()
        };
        assert_eq!(member("Bob")["time_zone"], "America/Los_Angeles");
        assert_eq!(member("Bob")["out_of_hours"], true);
        assert_eq!(member("Cy")["out_of_hours"], false);
        assert!(v["worst_after"].as_i64().unwrap() <= v["worst_before"].as_i64().unwrap());
        assert!(
            v["zones"]
                .as_array()
                .unwrap()
                .iter()
                .any(|z| z["time_zone"] == "Asia/Kolkata")
        );

        // Pages.
        for (path, needle) in [
            (
                "/communities/rhythm-guild/gatherings".to_owned(),
                "Weekly practice call",
            ),
            (format!("/gatherings/{id}"), "Suggested facilitators"),
            (format!("/gatherings/{id}/fairness"), "America/Los_Angeles"),
            (format!("/occurrences/{}", ids[0]), "We compared runbooks"),
            ("/communities/rhythm-guild".to_owned(), "Next gatherings"),
        ] {
            let (s, text) = ada.page(&app, &path).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            assert!(text.contains(needle), "{path} lacks {needle}");
        }
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{}/rsvp", ids[2]),
                &[("response", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = bob
            .post(
                &app,
                &format!("/occurrences/{}/rsvp", ids[1]),
                &[("response", "yes")],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::CONFLICT,
            "a cancelled date, shown on its page"
        );
        let r = ada
            .post(
                &app,
                "/communities/rhythm-guild/gatherings",
                &[
                    ("title", "Deep dive"),
                    ("rrule", "FREQ=WEEKLY;BYDAY=XX"),
                    ("time_zone", "Europe/Berlin"),
                    ("start", "2026-03-20T15:00"),
                    ("duration_minutes", "90"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = ada
            .web
            .post(app.url("/communities/rhythm-guild/gatherings"))
            .form(&[("title", "No token")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "forms need their CSRF token"
        );

        // Feeds by token: the community's, and Bob's own with his answers.
        let (s, v) = call(
            &bob,
            &app,
            Method::POST,
            "/api/v1/feeds",
            Some(json!({"community": "rhythm-guild"})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let community_feed = v["url"].as_str().unwrap().to_owned();
        let (_, v) = call(&bob, &app, Method::POST, "/api/v1/feeds", Some(json!({}))).await;
        let own_feed = v["url"].as_str().unwrap().to_owned();
        let own_id = v["id"].as_i64().unwrap();
        let get = |path: String| {
            let app = &app;
            async move {
                let r = client().get(app.url(&path)).send().await.unwrap();
                let ct = r
                    .headers()
                    .get("content-type")
                    .map(|h| h.to_str().unwrap().to_owned());
                (r.status(), ct, r.text().await.unwrap())
            }
        };
        let (s, ct, ics) = get(community_feed.clone()).await;
        assert_eq!(s, StatusCode::OK);
        assert!(ct.unwrap().starts_with("text/calendar"));
        for needle in [
            "BEGIN:VCALENDAR",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "DTSTART;TZID=Europe/Berlin:20260317T090000",
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE;TZID=Europe/Berlin:20260324T090000",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260407T090000",
            "DTSTART;TZID=Europe/Berlin:20260407T100000",
            "LOCATION:https://call.example/room\\, B",
        ] {
            assert!(ics.contains(needle), "feed lacks {needle}:\n{ics}");
        }
        let (_, _, own) = get(own_feed.clone()).await;
        assert!(own.contains("PARTSTAT=TENTATIVE"), "{own}");
        assert!(
            own.contains("PARTSTAT=DECLINED"),
            "Bob's own answer to the first date: {own}"
        );
        let (s, _, _) = get("/feeds/calendar.ics?token=ghf_guessed".into()).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = call(
            &bob,
            &app,
            Method::DELETE,
            &format!("/api/v1/feeds/{own_id}"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _, _) = get(own_feed).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "a revoked feed is gone");
        let (s, v) = call(
            &ada,
            &app,
            Method::GET,
            "/api/v1/communities/rhythm-guild/calendar.ics",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(v.as_str().unwrap().contains("BEGIN:VEVENT"));
        if n == 0 {
            let expected = [utc(3, 17, 8), utc(3, 31, 7), utc(4, 7, 8), utc(4, 14, 7)];
            write_case("community", &ics, &expected, utc(3, 16, 0), utc(4, 15, 0));
        }

        // A private community's series is the same 404 as one that does not exist, feeds included.
        let (s, _) = call(
            &ada,
            &app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({
            "slug": "quiet-room", "name": "Quiet Room", "domain_question": "What is unsaid?",
            "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "private"})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, v) = call(
            &ada,
            &app,
            Method::POST,
            "/api/v1/communities/quiet-room/gatherings",
            Some(series_body()),
        )
        .await;
        let hidden = v["id"].as_i64().unwrap();
        for path in [
            format!("/api/v1/gatherings/{hidden}"),
            format!("/api/v1/gatherings/{hidden}/fairness"),
            format!("/api/v1/occurrences/{hidden}-20260317T080000Z"),
        ] {
            let (s, a) = call(&dan, &app, Method::GET, &path, None).await;
            let (m, b) = call(
                &dan,
                &app,
                Method::GET,
                &path.replace(&hidden.to_string(), "999999"),
                None,
            )
            .await;
            assert_eq!((s, &a), (m, &b), "{path}");
            assert_eq!(s, StatusCode::NOT_FOUND);
        }
        let (s, _) = dan.page(&app, &format!("/gatherings/{hidden}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, v) = call(
            &dan,
            &app,
            Method::POST,
            "/api/v1/feeds",
            Some(json!({"community": "quiet-room"})),
        )
        .await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("community"))
        );
        let (_, _, personal) = {
            let (_, v) = call(&dan, &app, Method::POST, "/api/v1/feeds", Some(json!({}))).await;
            get(v["url"].as_str().unwrap().to_owned()).await
        };
        assert!(
            !personal.contains("Weekly practice call"),
            "Dan belongs to no community"
        );
        let _ = TimeDelta::zero();
    }
}
