//! Tests of series expansion and edits, beside [`super`].

use super::*;
use chrono::{NaiveDate, Timelike};
use proptest::prelude::*;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local(y, m, d, h, min).and_utc()
}

fn series(rule: &str, zone: Tz, start: NaiveDateTime) -> Series {
    Series::new(Rule::parse(rule).unwrap(), zone, start, TimeDelta::hours(1)).unwrap()
}

fn starts(expansion: &Expansion) -> Vec<DateTime<Utc>> {
    expansion.held().map(|o| o.start).collect()
}

/// Weekly on Mondays at 09:00 Berlin from 2026-03-16, across the March change.
fn berlin_weekly() -> Series {
    series(
        "FREQ=WEEKLY;BYDAY=MO",
        chrono_tz::Europe::Berlin,
        local(2026, 3, 16, 9, 0),
    )
}

#[test]
fn nine_in_berlin_stays_nine_across_the_march_change() {
    let s = berlin_weekly();
    let got = s
        .expand(utc(2026, 3, 1, 0, 0), utc(2026, 4, 7, 0, 0))
        .unwrap();
    assert!(!got.truncated);
    assert_eq!(
        starts(&got),
        vec![
            utc(2026, 3, 16, 8, 0),
            utc(2026, 3, 23, 8, 0),
            utc(2026, 3, 30, 7, 0),
            utc(2026, 4, 6, 7, 0),
        ]
    );
    for o in &got.occurrences {
        assert_eq!(o.start.with_timezone(&s.zone()).hour(), 9);
        assert_eq!(o.end - o.start, TimeDelta::hours(1));
    }
}

#[test]
fn monthly_second_tuesday_in_new_york_across_november() {
    let s = series(
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;COUNT=3",
        chrono_tz::America::New_York,
        local(2026, 10, 13, 10, 30),
    );
    let got = s
        .expand(utc(2026, 1, 1, 0, 0), utc(2030, 1, 1, 0, 0))
        .unwrap();
    assert_eq!(
        starts(&got),
        vec![
            utc(2026, 10, 13, 14, 30),
            utc(2026, 11, 10, 15, 30),
            utc(2026, 12, 8, 15, 30),
        ]
    );
}

#[test]
fn range_is_half_open() {
    let s = berlin_weekly();
    let first = utc(2026, 3, 16, 8, 0);
    let got = s.expand(first, utc(2026, 3, 23, 8, 0)).unwrap();
    assert_eq!(starts(&got), vec![first]);
    assert_eq!(
        s.expand(first, first).unwrap_err().field,
        "to",
        "an empty range is refused"
    );
}

#[test]
fn cancelled_occurrences_are_marked_and_not_held() {
    let mut s = berlin_weekly();
    let second = utc(2026, 3, 23, 8, 0);
    s.cancel(second).unwrap();
    let got = s
        .expand(utc(2026, 3, 1, 0, 0), utc(2026, 3, 31, 0, 0))
        .unwrap();
    assert_eq!(got.occurrences.len(), 3);
    assert_eq!(got.occurrences[1].status, OccurrenceStatus::Cancelled);
    assert_eq!(starts(&got).len(), 2);
    assert!(!starts(&got).contains(&second));
    s.restore(second);
    let got = s
        .expand(utc(2026, 3, 1, 0, 0), utc(2026, 3, 31, 0, 0))
        .unwrap();
    assert_eq!(starts(&got).len(), 3);
}

#[test]
fn only_real_occurrences_can_be_edited() {
    let mut s = berlin_weekly();
    let tuesday = utc(2026, 3, 17, 8, 0);
    assert_eq!(s.cancel(tuesday).unwrap_err().field, "occurrence");
    let err = s
        .move_occurrence(tuesday, tuesday, TimeDelta::hours(1))
        .unwrap_err();
    assert_eq!(err.field, "occurrence");
    assert!(s.split_at(tuesday).is_err());
}

#[test]
fn moved_occurrences_follow_their_new_time_into_and_out_of_ranges() {
    let mut s = berlin_weekly();
    let id = utc(2026, 3, 23, 8, 0);
    let later = utc(2026, 4, 15, 12, 0);
    s.move_occurrence(id, later, TimeDelta::minutes(90))
        .unwrap();
    let march = s
        .expand(utc(2026, 3, 1, 0, 0), utc(2026, 4, 1, 0, 0))
        .unwrap();
    assert!(!march.occurrences.iter().any(|o| o.recurrence_id == id));
    let april = s
        .expand(utc(2026, 4, 10, 0, 0), utc(2026, 4, 20, 0, 0))
        .unwrap();
    let moved: Vec<_> = april
        .occurrences
        .iter()
        .filter(|o| o.status == OccurrenceStatus::Moved)
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].recurrence_id, id);
    assert_eq!(moved[0].end, later + TimeDelta::minutes(90));
    // The list stays in start order: the moved one sits between the Mondays.
    let order: Vec<_> = april.occurrences.iter().map(|o| o.start).collect();
    assert_eq!(order, vec![utc(2026, 4, 13, 7, 0), later]);
    s.move_occurrence(id, id, s.duration()).unwrap();
    assert!(s.moved().is_empty());
    s.cancel(id).unwrap();
    assert_eq!(
        s.move_occurrence(id, later, TimeDelta::hours(1))
            .unwrap_err()
            .field,
        "occurrence"
    );
}

#[test]
fn edit_all_following_splits_without_losing_or_adding_occurrences() {
    let mut s = berlin_weekly();
    let cancelled = utc(2026, 3, 23, 8, 0);
    let split = utc(2026, 4, 6, 7, 0);
    let moved = utc(2026, 4, 13, 7, 0);
    s.cancel(cancelled).unwrap();
    s.move_occurrence(moved, utc(2026, 4, 14, 7, 0), TimeDelta::hours(1))
        .unwrap();
    let (before, after) = s.split_at(split).unwrap();
    assert_eq!(before.rule().until(), Some(split - TimeDelta::seconds(1)));
    assert_eq!(after.first_start(), split);
    assert_eq!(after.start(), local(2026, 4, 6, 9, 0));
    assert!(before.cancelled().contains(&cancelled));
    assert!(after.moved().contains_key(&moved));
    let (from, to) = (utc(2026, 1, 1, 0, 0), utc(2026, 12, 31, 0, 0));
    let mut joined = before.expand(from, to).unwrap().occurrences;
    joined.extend(after.expand(from, to).unwrap().occurrences);
    assert_eq!(joined, s.expand(from, to).unwrap().occurrences);
    assert_eq!(s.split_at(s.first_start()).unwrap_err().field, "occurrence");
}

#[test]
fn following_dates_carry_to_the_new_time_across_the_change() {
    let s = berlin_weekly();
    let berlin = chrono_tz::Europe::Berlin;
    // From Monday 23 March (winter time) on, Tuesdays at 10:30 Berlin.
    let from = utc(2026, 3, 23, 8, 0);
    assert!(s.is_occurrence(from) && s.is_occurrence(utc(2026, 4, 6, 7, 0)));
    let next = series("FREQ=WEEKLY;BYDAY=TU", berlin, local(2026, 3, 24, 10, 30));
    assert_eq!(
        next.carried(berlin, from, from),
        Some(utc(2026, 3, 24, 9, 30))
    );
    // After the change to summer time: 09:00 Monday is 07:00 UTC, 10:30 Tuesday 08:30 UTC.
    assert_eq!(
        next.carried(berlin, from, utc(2026, 4, 6, 7, 0)),
        Some(utc(2026, 4, 7, 8, 30))
    );
    // Every other week: the skipped weeks have nowhere to go.
    let fortnightly = series(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        berlin,
        local(2026, 3, 23, 9, 0),
    );
    assert_eq!(
        fortnightly.carried(berlin, from, utc(2026, 3, 30, 7, 0)),
        None
    );
    assert_eq!(
        fortnightly.carried(berlin, from, utc(2026, 4, 6, 7, 0)),
        Some(utc(2026, 4, 6, 7, 0))
    );
}

#[test]
fn splitting_a_counted_series_keeps_the_count() {
    let s = series(
        "FREQ=DAILY;INTERVAL=2;COUNT=10",
        chrono_tz::Asia::Kolkata,
        local(2026, 1, 1, 18, 0),
    );
    let all = s
        .expand(utc(2025, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0))
        .unwrap();
    assert_eq!(all.occurrences.len(), 10);
    let (before, after) = s.split_at(all.occurrences[4].recurrence_id).unwrap();
    assert_eq!(after.rule().count(), Some(6));
    let count = |x: &Series| {
        x.expand(utc(2025, 1, 1, 0, 0), utc(2027, 1, 1, 0, 0))
            .unwrap()
            .occurrences
            .len()
    };
    assert_eq!((count(&before), count(&after)), (4, 6));
}

#[test]
fn bad_starts_and_durations_name_their_fields() {
    let rule = || Rule::parse("FREQ=WEEKLY;BYDAY=MO").unwrap();
    let berlin = chrono_tz::Europe::Berlin;
    let tuesday = local(2026, 3, 17, 9, 0);
    let monday = local(2026, 3, 16, 9, 0);
    let gap = local(2026, 3, 29, 2, 30);
    let hour = TimeDelta::hours(1);
    let field = |r: Result<Series, Invalid>| r.unwrap_err().field;
    assert_eq!(field(Series::new(rule(), berlin, tuesday, hour)), "start");
    assert_eq!(field(Series::one_off(berlin, gap, hour)), "start");
    assert_eq!(
        field(Series::new(rule(), berlin, local(1900, 1, 1, 9, 0), hour)),
        "start"
    );
    assert_eq!(
        field(Series::new(rule(), berlin, monday, TimeDelta::zero())),
        "duration"
    );
    assert_eq!(
        field(Series::new(rule(), berlin, monday, TimeDelta::days(30))),
        "duration"
    );
    let until_before = Rule::parse("FREQ=WEEKLY;UNTIL=20200101T000000Z").unwrap();
    assert_eq!(
        field(Series::new(until_before, berlin, monday, hour)),
        "rrule"
    );
}

#[test]
fn one_off_has_one_occurrence() {
    let s = Series::one_off(
        chrono_tz::America::Los_Angeles,
        local(2026, 7, 1, 8, 0),
        TimeDelta::hours(2),
    )
    .unwrap();
    let got = s
        .expand(utc(2000, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0))
        .unwrap();
    assert_eq!(starts(&got), vec![utc(2026, 7, 1, 15, 0)]);
}

#[test]
fn expansion_is_capped() {
    let s = series("FREQ=DAILY", chrono_tz::UTC, local(2026, 1, 1, 9, 0));
    let got = s
        .expand(utc(2026, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0))
        .unwrap();
    assert!(got.truncated);
    assert_eq!(got.occurrences.len(), MAX_OCCURRENCES);
    let few = s
        .expand(utc(2026, 1, 1, 0, 0), utc(2026, 1, 11, 0, 0))
        .unwrap();
    assert!(!few.truncated);
    assert_eq!(few.occurrences.len(), 10);
}

#[test]
fn a_rule_that_never_fires_is_refused_quickly() {
    let started = std::time::Instant::now();
    let never = Rule::parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").unwrap();
    let err = Series::new(
        never,
        chrono_tz::UTC,
        local(2026, 2, 28, 9, 0),
        TimeDelta::hours(1),
    )
    .unwrap_err();
    assert_eq!(err.field, "start");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_rare_rule_over_an_endless_range_stays_quick() {
    let started = std::time::Instant::now();
    let s = series(
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
        chrono_tz::UTC,
        local(2028, 2, 29, 9, 0),
    );
    let end = DateTime::<Utc>::MAX_UTC;
    let got = s.expand(utc(2100, 1, 1, 0, 0), end).unwrap();
    assert!(got.occurrences.len() < 60, "{}", got.occurrences.len());
    // Each 29 February from 2104 to 2296 (2200 is no leap year), no further.
    assert_eq!(got.occurrences.len(), 48);
    assert!(got.occurrences.iter().all(|o| o.start < horizon()));
    assert!(!got.truncated);
    let beyond = s.expand(horizon(), end).unwrap();
    assert!(beyond.occurrences.is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

const ZONES: [Tz; 6] = [
    chrono_tz::Europe::Berlin,
    chrono_tz::America::New_York,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Australia::Sydney,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Europe::London,
];

proptest! {
    #[test]
    fn weekly_occurrences_keep_their_local_time(
        zone in 0..ZONES.len(),
        day in 0i64..365,
        hour in 7u32..22,
        minute in 0u32..60,
    ) {
        let zone = ZONES[zone];
        let start = local(2026, 1, 1, hour, minute) + TimeDelta::days(day);
        let s = Series::new(
            Rule::parse("FREQ=WEEKLY").unwrap(),
            zone,
            start,
            TimeDelta::hours(1),
        )
        .unwrap();
        let from = s.first_start();
        // A day short of 60 weeks, so a daylight-saving hour cannot add a 61st.
        let got = s.expand(from, from + TimeDelta::days(7 * 60 - 1)).unwrap();
        prop_assert_eq!(got.occurrences.len(), 60);
        for (i, o) in got.occurrences.iter().enumerate() {
            let at = o.start.with_timezone(&zone).naive_local();
            prop_assert_eq!(at, start + TimeDelta::days(7 * i as i64));
        }
    }

    #[test]
    fn splitting_anywhere_keeps_exactly_the_same_occurrences(
        rule in 0..SPLIT_RULES.len(),
        zone in 0..ZONES.len(),
        at in 1usize..20,
        cancel in 0usize..20,
    ) {
        let (text, y, m, d) = SPLIT_RULES[rule];
        let mut s = series(text, ZONES[zone], local(y, m, d, 9, 30));
        let (from, to) = (utc(2025, 1, 1, 0, 0), utc(2029, 1, 1, 0, 0));
        let all = s.expand(from, to).unwrap().occurrences;
        prop_assume!(all.len() > at && all.len() > cancel);
        s.cancel(all[cancel].recurrence_id).unwrap();
        let (before, after) = s.split_at(all[at].recurrence_id).unwrap();
        let mut joined = before.expand(from, to).unwrap().occurrences;
        prop_assert_eq!(joined.len(), at);
        joined.extend(after.expand(from, to).unwrap().occurrences);
        prop_assert_eq!(joined, s.expand(from, to).unwrap().occurrences);
    }
}

/// Rules and a first date each starts on, for the split property.
const SPLIT_RULES: [(&str, i32, u32, u32); 5] = [
    ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=30", 2026, 1, 5),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", 2026, 1, 6),
    ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", 2026, 1, 13),
    ("FREQ=DAILY;INTERVAL=5;UNTIL=20270101T000000Z", 2026, 3, 1),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", 2026, 1, 31),
];
