//! Cross-check of series expansion against an independent implementation.
//!
//! The cases below cover daylight-saving changes (Europe/Berlin in March and
//! October, America/New_York, Australia/Sydney), monthly BYDAY/BYSETPOS
//! rules, INTERVAL, COUNT, UNTIL, cancelled occurrences (EXDATE) and both
//! halves of a split series. Run without settings, the test checks every case
//! expands to a non-empty, uncapped list. With `GUILDHALL_CROSSCHECK_DIR`
//! set, it also writes the cases and Guildhall's expansions to
//! `recurrence-cases.json` in that directory, for
//! `scripts/crosscheck-recurrence.py` to expand again with python-dateutil.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use domain::gathering::{Rule, Series};
use serde_json::{Value, json};

struct Case {
    name: &'static str,
    rule: &'static str,
    zone: &'static str,
    start: &'static str,
    from: &'static str,
    to: &'static str,
    /// Positions, in the uncancelled expansion, of occurrences to cancel.
    cancel: &'static [usize],
}

const CASES: &[Case] = &[
    Case {
        name: "berlin-weekly-across-march",
        rule: "FREQ=WEEKLY;BYDAY=MO",
        zone: "Europe/Berlin",
        start: "2026-03-02T09:00:00",
        from: "2026-03-01T00:00:00Z",
        to: "2026-05-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-weekly-across-october-count",
        rule: "FREQ=WEEKLY;BYDAY=TH;COUNT=8",
        zone: "Europe/Berlin",
        start: "2026-10-01T09:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2027-06-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-cancelled-either-side-of-march",
        rule: "FREQ=WEEKLY;BYDAY=WE",
        zone: "Europe/Berlin",
        start: "2026-03-04T14:00:00",
        from: "2026-03-01T00:00:00Z",
        to: "2026-05-01T00:00:00Z",
        cancel: &[2, 4],
    },
    Case {
        name: "berlin-daily-0230-through-the-march-gap",
        rule: "FREQ=DAILY;COUNT=5",
        zone: "Europe/Berlin",
        start: "2026-03-27T02:30:00",
        from: "2026-03-01T00:00:00Z",
        to: "2026-04-30T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-daily-0230-through-the-october-overlap",
        rule: "FREQ=DAILY;COUNT=5",
        zone: "Europe/Berlin",
        start: "2026-10-23T02:30:00",
        from: "2026-10-01T00:00:00Z",
        to: "2026-11-30T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "new-york-fortnightly-tue-thu-across-march",
        rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        zone: "America/New_York",
        start: "2026-02-24T17:30:00",
        from: "2026-02-01T00:00:00Z",
        to: "2026-05-01T00:00:00Z",
        cancel: &[3],
    },
    Case {
        name: "new-york-every-third-day-until-december",
        rule: "FREQ=DAILY;INTERVAL=3;UNTIL=20261201T000000Z",
        zone: "America/New_York",
        start: "2026-10-20T08:00:00",
        from: "2026-10-01T00:00:00Z",
        to: "2027-01-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "new-york-daily-0230-through-the-march-gap",
        rule: "FREQ=DAILY;COUNT=5",
        zone: "America/New_York",
        start: "2026-03-06T02:30:00",
        from: "2026-03-01T00:00:00Z",
        to: "2026-04-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "new-york-last-weekday-of-the-month",
        rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        zone: "America/New_York",
        start: "2026-01-30T12:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2027-07-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-second-tuesday-monthly",
        rule: "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        zone: "Europe/Berlin",
        start: "2026-01-13T16:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2028-01-01T00:00:00Z",
        cancel: &[5],
    },
    Case {
        name: "kolkata-first-monday-count",
        rule: "FREQ=MONTHLY;BYDAY=1MO;COUNT=12",
        zone: "Asia/Kolkata",
        start: "2026-01-05T19:00:00",
        from: "2025-01-01T00:00:00Z",
        to: "2028-01-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "sydney-quarterly-retreat",
        rule: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
        zone: "Australia/Sydney",
        start: "2026-01-15T10:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2029-01-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-monthly-on-the-31st",
        rule: "FREQ=MONTHLY;BYMONTHDAY=31",
        zone: "Europe/Berlin",
        start: "2026-01-31T09:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2027-12-31T23:00:00Z",
        cancel: &[],
    },
    Case {
        name: "sydney-last-day-of-the-month-across-april-and-october",
        rule: "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=14",
        zone: "Australia/Sydney",
        start: "2026-01-31T18:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2028-01-01T00:00:00Z",
        cancel: &[9],
    },
    Case {
        name: "london-last-sunday-of-march-yearly",
        rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        zone: "Europe/London",
        start: "2026-03-29T10:00:00",
        from: "2026-01-01T00:00:00Z",
        to: "2036-01-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "berlin-fortnightly-week-starting-sunday",
        rule: "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,MO",
        zone: "Europe/Berlin",
        start: "2026-03-01T11:00:00",
        from: "2026-03-01T00:00:00Z",
        to: "2026-06-01T00:00:00Z",
        cancel: &[],
    },
    Case {
        name: "los-angeles-window-in-the-middle",
        rule: "FREQ=WEEKLY;BYDAY=FR",
        zone: "America/Los_Angeles",
        start: "2025-01-03T08:00:00",
        from: "2026-10-15T00:00:00Z",
        to: "2026-12-01T00:00:00Z",
        cancel: &[],
    },
];

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").expect(text)
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect(text)
        .with_timezone(&Utc)
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn series(rule: &str, zone: &str, start: NaiveDateTime) -> Series {
    let rule = Rule::parse(rule).expect(rule);
    let zone = domain::person::time_zone(zone).expect(zone);
    Series::new(rule, zone, start, TimeDelta::hours(1)).expect("series")
}

/// A case as JSON, with Guildhall's expansion of it.
fn expanded(name: &str, s: &Series, from: DateTime<Utc>, to: DateTime<Utc>, zone: &str) -> Value {
    let expansion = s.expand(from, to).expect("expansion");
    assert!(!expansion.truncated, "{name}: capped");
    let held: Vec<String> = expansion.held().map(|o| stamp(o.start)).collect();
    assert!(!held.is_empty(), "{name}: no occurrences");
    json!({
        "name": name,
        "rrule": s.rule().as_str(),
        "zone": zone,
        "start": s.start().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "from": stamp(from),
        "to": stamp(to),
        "exdates": s.cancelled().iter().map(|&c| stamp(c)).collect::<Vec<_>>(),
        "occurrences": held,
    })
}

fn all_cases() -> Vec<Value> {
    let mut out = Vec::new();
    for case in CASES {
        let mut s = series(case.rule, case.zone, local(case.start));
        let (from, to) = (instant(case.from), instant(case.to));
        let plain = s.expand(from, to).expect("expansion").occurrences;
        for &i in case.cancel {
            s.cancel(plain[i].recurrence_id).expect("cancel");
        }
        out.push(expanded(case.name, &s, from, to, case.zone));
    }
    // "Edit all following": both halves of a split across the March change.
    let mut whole = series(
        "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20",
        "Europe/Berlin",
        local("2026-03-02T09:00:00"),
    );
    let (from, to) = (
        instant("2026-01-01T00:00:00Z"),
        instant("2027-01-01T00:00:00Z"),
    );
    let plain = whole.expand(from, to).expect("expansion").occurrences;
    whole.cancel(plain[2].recurrence_id).expect("cancel");
    whole.cancel(plain[12].recurrence_id).expect("cancel");
    let (before, after) = whole.split_at(plain[7].recurrence_id).expect("split");
    out.push(expanded("split-before", &before, from, to, "Europe/Berlin"));
    out.push(expanded("split-after", &after, from, to, "Europe/Berlin"));
    out
}

#[test]
fn recurrence_cases_expand_and_are_written_for_the_crosscheck() {
    let cases = all_cases();
    let mut names: Vec<&str> = cases.iter().filter_map(|c| c["name"].as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
    let count = |name: &str| {
        cases
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["occurrences"].as_array())
            .map_or(0, Vec::len)
    };
    assert_eq!(count("split-before") + count("split-after"), 18);
    assert_eq!(count("kolkata-first-monday-count"), 12);
    if let Some(dir) = std::env::var_os("GUILDHALL_CROSSCHECK_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("create the cross-check directory");
        let text = serde_json::to_string_pretty(&json!({ "cases": cases })).expect("json");
        std::fs::write(dir.join("recurrence-cases.json"), text).expect("write the cases");
    }
}
