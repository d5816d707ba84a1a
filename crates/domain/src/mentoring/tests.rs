//! The matching rules and a mentorship's moves, by example.

use super::*;

fn hours(a: &str, b: &str) -> WorkingHours {
    WorkingHours::parse(a, b).unwrap()
}

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap()
}

fn seeker(learn: &[&str]) -> Seeker {
    Seeker {
        id: 1,
        team: Some("Payments".into()),
        time_zone: chrono_tz::Europe::Berlin,
        hours: hours("09:00", "17:00"),
        wants_to_learn: learn.iter().map(|s| s.to_string()).collect(),
    }
}

fn mentor(id: i64, teach: &[&str]) -> Candidate {
    Candidate {
        id,
        team: Some("Platform".into()),
        time_zone: chrono_tz::Europe::Berlin,
        hours: hours("09:00", "17:00"),
        can_teach: teach.iter().map(|s| s.to_string()).collect(),
        capacity: 2,
        active: 0,
        in_community: false,
    }
}

#[test]
fn topics_match_across_case_spacing_and_plurals() {
    assert_eq!(topic_key(" Rust "), "rust");
    assert_eq!(fit("Unit Tests", "unit-test"), Some(Fit::Exact));
    assert_eq!(fit("kubernetes", "Kubernetes"), Some(Fit::Exact));
    assert_eq!(fit("C++", "c++"), Some(Fit::Exact));
    assert_eq!(fit("rust", "async rust"), Some(Fit::Partial));
    assert_eq!(fit("async rust", "rust"), Some(Fit::Partial));
    assert_eq!(fit("rust", "go"), None);
    assert_eq!(fit("c", "c#"), None);
    assert_eq!(fit("", "rust"), None);
}

#[test]
fn overlap_follows_time_zones_and_weekends() {
    let berlin = (chrono_tz::Europe::Berlin, hours("09:00", "17:00"));
    assert_eq!(overlap_minutes(berlin, berlin, monday()), 8 * 60);
    // New York 09:00-17:00 is 15:00-23:00 in Berlin in March before the
    // US switch (6 h apart): 2 h overlap; after 8 March, 5 h apart: 3 h.
    let ny = (chrono_tz::America::New_York, hours("09:00", "17:00"));
    let early = Utc.with_ymd_and_hms(2026, 2, 23, 7, 0, 0).unwrap();
    assert_eq!(overlap_minutes(berlin, ny, early), 2 * 60);
    let late = Utc.with_ymd_and_hms(2026, 3, 16, 7, 0, 0).unwrap();
    assert_eq!(overlap_minutes(berlin, ny, late), 3 * 60);
    // Tokyo and London: none. Tokyo and San Francisco: Tokyo's Tuesday
    // to Friday mornings meet San Francisco's Monday to Thursday
    // evenings for an hour, Monday meets Sunday: 4 h over 5 days.
    let tokyo = (chrono_tz::Asia::Tokyo, hours("09:00", "17:00"));
    let london9 = (chrono_tz::Europe::London, hours("09:00", "17:00"));
    assert_eq!(overlap_minutes(tokyo, london9, early), 0);
    let sf = (chrono_tz::America::Los_Angeles, hours("09:00", "17:00"));
    assert_eq!(overlap_minutes(tokyo, sf, early), 4 * 60 / 5);
    // Sydney's Monday morning is Sunday evening in London: a weekend
    // there, so it does not count.
    let sydney = (chrono_tz::Australia::Sydney, hours("06:00", "10:00"));
    let london = (chrono_tz::Europe::London, hours("08:00", "23:00"));
    let m = overlap_minutes(sydney, london, early);
    assert_eq!(
        m,
        4 * 4 * 60 / 5,
        "Monday's morning falls on London's Sunday"
    );
}

#[test]
fn hours_are_said_plainly() {
    assert_eq!(hours_text(180), "3 h");
    assert_eq!(hours_text(100), "1.5 h");
    assert_eq!(hours_text(45), "45 min");
}

#[test]
fn a_match_is_explained() {
    let m = suggest(
        &seeker(&["Rust"]),
        &[mentor(2, &["rust"])],
        &[],
        None,
        monday(),
        3,
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].topic, "Rust");
    assert_eq!(
        m[0].reasons,
        vec![
            "teaches rust, which you want to learn",
            "8 h of your working days overlap",
            "other team",
            "2 mentoring places free"
        ]
    );
    assert_eq!(
        m[0].score,
        EXACT_TOPIC + OVERLAP_HOURS_COUNTED * PER_OVERLAP_HOUR + OTHER_TEAM
    );
}

#[test]
fn other_teams_and_overlap_are_preferred() {
    let mut same_team = mentor(2, &["rust"]);
    same_team.team = Some("Payments".into());
    let far = Candidate {
        time_zone: chrono_tz::Pacific::Auckland,
        ..mentor(3, &["rust"])
    };
    let near = mentor(4, &["rust"]);
    let m = suggest(
        &seeker(&["rust"]),
        &[same_team, far, near],
        &[],
        None,
        monday(),
        3,
    );
    let order: Vec<i64> = m.iter().map(|m| m.mentor).collect();
    assert_eq!(order, vec![4, 2, 3]);
    assert!(m[1].reasons.contains(&"same team".to_owned()));
    assert!(
        m[2].reasons
            .contains(&"no working hours in common".to_owned())
    );
}

#[test]
fn capacity_the_seeker_and_exclusions_are_respected() {
    let full = Candidate {
        active: 2,
        ..mentor(2, &["rust"])
    };
    let off = Candidate {
        capacity: 0,
        ..mentor(3, &["rust"])
    };
    let me = mentor(1, &["rust"]);
    let asked = mentor(4, &["rust"]);
    let free = mentor(5, &["rust"]);
    let m = suggest(
        &seeker(&["rust"]),
        &[full, off, me, asked, free],
        &[4],
        None,
        monday(),
        10,
    );
    assert_eq!(m.iter().map(|m| m.mentor).collect::<Vec<_>>(), vec![5]);
}

#[test]
fn exact_topics_beat_partial_and_more_topics_beat_fewer() {
    let partial = mentor(2, &["async rust"]);
    let exact = mentor(3, &["rust"]);
    let both = mentor(4, &["rust", "go"]);
    let m = suggest(
        &seeker(&["rust", "go"]),
        &[partial, exact, both],
        &[],
        None,
        monday(),
        3,
    );
    assert_eq!(
        m.iter().map(|m| m.mentor).collect::<Vec<_>>(),
        vec![4, 3, 2]
    );
    assert_eq!(
        m[2].reasons[0],
        "teaches async rust, close to rust, which you want to learn"
    );
}

#[test]
fn a_community_member_is_preferred_and_a_guide_is_offered_last() {
    let member = Candidate {
        in_community: true,
        ..mentor(2, &["rust"])
    };
    let outsider = mentor(3, &["rust"]);
    let guide = Candidate {
        in_community: true,
        ..mentor(4, &["cooking"])
    };
    let stranger = mentor(5, &["cooking"]);
    let m = suggest(
        &seeker(&["rust"]),
        &[outsider, member, guide, stranger],
        &[],
        Some("Rustaceans"),
        monday(),
        5,
    );
    assert_eq!(
        m.iter().map(|m| m.mentor).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert!(m[0].reasons.contains(&"a member of Rustaceans".to_owned()));
    assert!(m[2].guide);
    assert_eq!(m[2].topic, "Rustaceans");
    // Without a community, no guide.
    let none = suggest(
        &seeker(&[]),
        &[mentor(4, &["cooking"])],
        &[],
        None,
        monday(),
        5,
    );
    assert!(none.is_empty());
}

#[test]
fn ties_go_to_more_free_places_then_lower_id() {
    let busy = Candidate {
        active: 1,
        ..mentor(2, &["rust"])
    };
    let idle = mentor(3, &["rust"]);
    let idle2 = mentor(4, &["rust"]);
    let m = suggest(
        &seeker(&["rust"]),
        &[busy, idle2, idle],
        &[],
        None,
        monday(),
        3,
    );
    assert_eq!(
        m.iter().map(|m| m.mentor).collect::<Vec<_>>(),
        vec![3, 4, 2]
    );
}

#[test]
fn the_other_side_accepts_or_declines() {
    let asked = Answers::proposed(Proposer::Mentee);
    assert!(asked.awaits(Side::Mentor));
    assert!(!asked.awaits(Side::Mentee));
    assert_eq!(
        asked.answer(Side::Mentee, true),
        Err(Refusal::AlreadyAnswered)
    );
    let active = asked.answer(Side::Mentor, true).unwrap();
    assert_eq!(active.status, Status::Active);
    assert_eq!(
        active.answer(Side::Mentor, false),
        Err(Refusal::NotOpen(Status::Active))
    );
    assert_eq!(active.end().unwrap().status, Status::Ended);
    assert_eq!(asked.end(), Err(Refusal::NotActive(Status::Proposed)));
    let declined = Answers::proposed(Proposer::Mentor)
        .answer(Side::Mentee, false)
        .unwrap();
    assert_eq!(declined.status, Status::Declined);
    assert_eq!(asked.withdraw().unwrap().status, Status::Withdrawn);
}

#[test]
fn a_matched_pair_needs_both_sides() {
    for proposer in [Proposer::Steward, Proposer::System] {
        let p = Answers::proposed(proposer);
        assert!(p.awaits(Side::Mentor) && p.awaits(Side::Mentee));
        let half = p.answer(Side::Mentee, true).unwrap();
        assert_eq!(half.status, Status::Proposed);
        assert_eq!(
            half.answer(Side::Mentor, true).unwrap().status,
            Status::Active
        );
    }
}

#[test]
fn capacity_and_texts_are_checked() {
    assert_eq!(capacity(0), Ok(0));
    assert_eq!(capacity(11).unwrap_err().field, "capacity");
    assert_eq!(capacity(-1).unwrap_err().field, "capacity");
    assert_eq!(proposal_text(" Rust ", "").unwrap().0, "rust");
    assert_eq!(proposal_text("", "").unwrap_err().field, "topic");
    assert_eq!(
        proposal_text("rust", &"x".repeat(MAX_NOTE + 1))
            .unwrap_err()
            .field,
        "note"
    );
    for s in ["proposed", "declined", "withdrawn", "active", "ended"] {
        assert_eq!(s.parse::<Status>().unwrap().as_str(), s);
    }
    for s in ["mentee", "mentor", "steward", "system"] {
        assert_eq!(s.parse::<Proposer>().unwrap().as_str(), s);
    }
}
