//! Tests of time-zone fairness, beside [`super`].

use super::*;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use proptest::prelude::*;

fn hours(start: u32, end: u32) -> WorkingHours {
    WorkingHours {
        start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
    }
}

fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, d, h, m, 0).unwrap()
}

fn member(person: &'static str, zone: Tz) -> Member<&'static str> {
    Member {
        person,
        zone,
        hours: hours(9, 17),
    }
}

#[test]
fn minutes_outside_counts_only_the_part_outside_working_hours() {
    let berlin = chrono_tz::Europe::Berlin;
    let h = hours(9, 17);
    let hour = TimeDelta::hours(1);
    // 11:00 Berlin in January (UTC+1).
    assert_eq!(minutes_outside(berlin, h, at(13, 10, 0), hour), 0);
    // 16:30 to 17:30: half outside.
    assert_eq!(minutes_outside(berlin, h, at(13, 15, 30), hour), 30);
    // 23:30 to 00:30: all outside, across midnight.
    assert_eq!(minutes_outside(berlin, h, at(13, 22, 30), hour), 60);
    // 08:30 to 09:30: half outside, before the day starts.
    assert_eq!(minutes_outside(berlin, h, at(13, 7, 30), hour), 30);
    // 23:00 to 10:00 next day: only the 09:00 to 10:00 part is inside.
    assert_eq!(
        minutes_outside(berlin, h, at(13, 22, 0), TimeDelta::hours(11)),
        600
    );
}

/// A slot that suits Los Angeles and one that suits Kolkata.
fn two_slots() -> Vec<DateTime<Utc>> {
    // 17:00 UTC: 09:00 in Los Angeles, 22:30 in Kolkata, 18:00 in Berlin.
    // 04:00 UTC next day: 20:00 in Los Angeles, 09:30 in Kolkata.
    vec![at(13, 17, 0), at(14, 4, 0)]
}

fn team() -> Vec<Member<&'static str>> {
    vec![
        member("lupe", chrono_tz::America::Los_Angeles),
        member("kavya", chrono_tz::Asia::Kolkata),
        member("kai", chrono_tz::America::Los_Angeles),
    ]
}

#[test]
fn a_fixed_time_puts_all_the_burden_on_one_zone() {
    let fixed = assess(&team(), &two_slots(), TimeDelta::hours(1), &[0]).unwrap();
    let kavya = &fixed.members[1];
    assert_eq!(
        kavya.slots[0].local_start.format("%H:%M").to_string(),
        "22:30"
    );
    assert!(kavya.slots[0].out_of_hours());
    assert!(!fixed.members[0].slots[0].out_of_hours());
    assert_eq!(kavya.burden, 60 * CYCLE);
    assert_eq!((fixed.worst, fixed.total), (60 * CYCLE, 60 * CYCLE));
    let names: Vec<_> = fixed.zones.iter().map(|z| z.zone.name()).collect();
    assert_eq!(names, vec!["America/Los_Angeles", "Asia/Kolkata"]);
    assert_eq!(fixed.zones[0].members, 2);
    assert_eq!(fixed.zones[0].total, 0);
    assert_eq!(fixed.zones[1].worst, 60 * CYCLE);
}

#[test]
fn alternating_slots_halves_the_worst_burden() {
    let best = suggest_rotation(&team(), &two_slots(), TimeDelta::hours(1)).unwrap();
    assert_eq!(best.rotation, vec![0, 1]);
    assert_eq!(best.worst, 30 * CYCLE);
    for m in &best.members {
        assert_eq!(m.burden, 30 * CYCLE, "{}", m.person);
        assert_eq!(m.slots.len(), 2);
    }
    assert_eq!(best.zones[0].total, 60 * CYCLE);
}

#[test]
fn comparison_shows_before_and_after() {
    let c = compare(&team(), &two_slots(), TimeDelta::hours(1), 0).unwrap();
    assert_eq!(c.fixed.rotation, vec![0]);
    assert_eq!(c.fixed.worst, 60 * CYCLE);
    assert_eq!(c.suggested.worst, 30 * CYCLE);
    assert_eq!(c.fixed.zones.len(), c.suggested.zones.len());
    let err = compare(&team(), &two_slots(), TimeDelta::hours(1), 2).unwrap_err();
    assert_eq!(err.field, "rotation");
}

#[test]
fn slots_are_made_from_local_times_in_the_series_zone() {
    let berlin = chrono_tz::Europe::Berlin;
    let t = |h| NaiveTime::from_hms_opt(h, 30, 0).unwrap();
    let summer = NaiveDate::from_ymd_opt(2026, 7, 7).unwrap();
    let got = slots_on(berlin, summer, &[t(9), t(17)]).unwrap();
    assert_eq!(
        got,
        vec![
            Utc.with_ymd_and_hms(2026, 7, 7, 7, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 7, 7, 15, 30, 0).unwrap(),
        ]
    );
    let change = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
    assert_eq!(
        slots_on(berlin, change, &[t(2)]).unwrap_err().field,
        "slots"
    );
}

#[test]
fn a_slot_that_suits_everyone_is_kept_alone() {
    let berlin_and_london = vec![
        member("ada", chrono_tz::Europe::London),
        member("bo", chrono_tz::Europe::Berlin),
    ];
    // 22:00 UTC suits nobody; 10:00 UTC suits both.
    let slots = vec![at(13, 22, 0), at(14, 10, 0), at(15, 10, 0)];
    let best = suggest_rotation(&berlin_and_london, &slots, TimeDelta::hours(1)).unwrap();
    assert_eq!(best.rotation, vec![1]);
    assert_eq!((best.worst, best.total), (0, 0));
}

#[test]
fn bad_requests_name_their_fields() {
    let slots = two_slots();
    let hour = TimeDelta::hours(1);
    let field = |r: Result<Assessment<&str>, Invalid>| r.unwrap_err().field;
    assert_eq!(field(assess(&team(), &slots, hour, &[])), "rotation");
    assert_eq!(field(assess(&team(), &slots, hour, &[2])), "rotation");
    assert_eq!(
        field(assess(&team(), &slots, hour, &[0, 1, 0, 1, 0])),
        "rotation"
    );
    assert_eq!(field(suggest_rotation(&team(), &[], hour)), "slots");
    let many: Vec<_> = (0..=MAX_SLOTS as i64)
        .map(|i| at(1, 0, 0) + TimeDelta::hours(i))
        .collect();
    assert_eq!(field(suggest_rotation(&team(), &many, hour)), "slots");
    assert_eq!(
        field(suggest_rotation(&team(), &slots, TimeDelta::zero())),
        "duration"
    );
}

#[test]
fn rotations_cover_every_small_set_once() {
    let all = rotations(5);
    assert_eq!(all.len(), 5 + 10 + 10 + 5);
    assert_eq!(all[0], vec![0]);
    assert!(all.iter().all(|r| r.windows(2).all(|w| w[0] < w[1])));
    assert_eq!(rotations(2), vec![vec![0], vec![1], vec![0, 1]]);
}

const ZONES: [Tz; 7] = [
    chrono_tz::America::Los_Angeles,
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Tokyo,
    chrono_tz::Australia::Sydney,
    chrono_tz::UTC,
];

fn members_strategy() -> impl Strategy<Value = Vec<Member<usize>>> {
    proptest::collection::vec((0..ZONES.len(), 5u32..12, 4u32..11), 1..8).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(person, (zone, start, length))| Member {
                person,
                zone: ZONES[zone],
                hours: hours(start, (start + length).min(23)),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn suggested_rotation_is_never_worse_for_the_worst_off_than_any_fixed_time(
        members in members_strategy(),
        slots in proptest::collection::vec(0i64..(7 * 24 * 4), 1..7),
        minutes in 15i64..180,
    ) {
        let base = Utc.with_ymd_and_hms(2026, 3, 23, 0, 0, 0).unwrap();
        let slots: Vec<_> = slots.iter().map(|q| base + TimeDelta::minutes(15 * q)).collect();
        let duration = TimeDelta::minutes(minutes);
        let best = suggest_rotation(&members, &slots, duration).unwrap();
        // The series' current time is the first candidate.
        let current = compare(&members, &slots, duration, 0).unwrap();
        prop_assert!(current.suggested.worst <= current.fixed.worst);
        prop_assert_eq!(&current.suggested, &best);
        for i in 0..slots.len() {
            let fixed = assess(&members, &slots, duration, &[i]).unwrap();
            prop_assert!(best.worst <= fixed.worst);
            prop_assert!(best.worst < fixed.worst || best.total <= fixed.total);
        }
        let again = assess(&members, &slots, duration, &best.rotation).unwrap();
        prop_assert_eq!(&again, &best);
        let worst = best.members.iter().map(|m| m.burden).max().unwrap();
        prop_assert_eq!(best.worst, worst);
        let by_zone: i64 = best.zones.iter().map(|z| z.total).sum();
        prop_assert_eq!(best.total, by_zone);
        prop_assert!(best.worst <= CYCLE * minutes);
    }
}
