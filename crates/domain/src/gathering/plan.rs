//! What people ask of gatherings, checked: a series plan as a form or an API
//! body gives it (title, format, rule, zone, local start, length, place,
//! agenda template, capacity, rotation), an RSVP answer, the name of one
//! occurrence (`{series}-{recurrence id}`), a recording link, and who gets a
//! seat when a capacity is set (first come, first seated; the rest wait in
//! the order they answered and move up when someone declines).

use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{Format, Rule, Series};
use crate::invalid::{Invalid, bounded_text, required_text};

/// Longest title.
pub const MAX_TITLE: usize = 200;
/// Longest location or call link.
pub const MAX_LOCATION: usize = 500;
/// Longest agenda or notes.
pub const MAX_TEXT: usize = 20_000;
/// Largest capacity.
pub const MAX_CAPACITY: i64 = 10_000;
/// Longest recording link.
pub const MAX_URL: usize = 2_000;

/// A series as asked for, unchecked.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Title.
    pub title: String,
    /// Format's stored name (`call`, `deep_dive`, ...).
    pub format: String,
    /// RRULE value; empty for a one-off gathering.
    pub rrule: String,
    /// IANA zone of the series.
    pub time_zone: String,
    /// Local start of the first occurrence, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Place or call link.
    pub location: String,
    /// Agenda template.
    pub agenda: String,
    /// Most people with a seat; `None` for no limit.
    pub capacity: Option<i64>,
    /// Whether facilitation rotates among volunteers.
    pub rotate: bool,
}

/// A checked series plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Title.
    pub title: String,
    /// Format.
    pub format: Format,
    /// The schedule (rule, zone, start, length).
    pub series: Series,
    /// Place or call link.
    pub location: String,
    /// Agenda template.
    pub agenda: String,
    /// Most people with a seat.
    pub capacity: Option<i64>,
    /// Whether facilitation rotates.
    pub rotate: bool,
}

impl Plan {
    /// The local start as stored (`YYYY-MM-DDTHH:MM:SS`).
    pub fn local_start_text(&self) -> String {
        local_text(self.series.start())
    }
}

/// A local date and time as stored.
pub fn local_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Parses a local date and time: `YYYY-MM-DDTHH:MM` (seconds optional, a
/// space instead of the `T` allowed).
pub fn parse_local(field: &str, value: &str) -> Result<NaiveDateTime, Invalid> {
    let v = value.trim().replace(' ', "T");
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&v, f).ok())
        .ok_or_else(|| {
            Invalid::new(
                field,
                format!("{value:?} is not a local date and time as YYYY-MM-DDTHH:MM"),
            )
        })
}

impl Draft {
    /// Checks every field and builds the schedule.
    pub fn check(&self) -> Result<Plan, Invalid> {
        let title = required_text("title", &self.title, MAX_TITLE)?;
        let format = if self.format.trim().is_empty() {
            Format::Call
        } else {
            self.format.parse()?
        };
        let zone = Tz::from_str(self.time_zone.trim()).map_err(|_| {
            Invalid::new(
                "time_zone",
                format!(
                    "{:?} is not an IANA time zone name (e.g. Europe/Berlin)",
                    self.time_zone
                ),
            )
        })?;
        let start = parse_local("start", &self.start)?;
        if self.duration_minutes <= 0 {
            return Err(Invalid::new("duration_minutes", "must be at least 1"));
        }
        let duration = TimeDelta::minutes(self.duration_minutes.min(i64::from(i32::MAX)));
        let series = if self.rrule.trim().is_empty() {
            Series::one_off(zone, start, duration)
        } else {
            Series::new(Rule::parse(&self.rrule)?, zone, start, duration)
        }
        .map_err(|mut e| {
            if e.field == "duration" {
                e.field = "duration_minutes".into();
            }
            e
        })?;
        if let Some(c) = self.capacity
            && !(1..=MAX_CAPACITY).contains(&c)
        {
            return Err(Invalid::new(
                "capacity",
                format!("must be from 1 to {MAX_CAPACITY}, or empty for no limit"),
            ));
        }
        Ok(Plan {
            title,
            format,
            series,
            location: bounded_text("location", &self.location, MAX_LOCATION)?,
            agenda: bounded_text("agenda", &self.agenda, MAX_TEXT)?,
            capacity: self.capacity,
            rotate: self.rotate,
        })
    }
}

/// An answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Response {
    /// Coming.
    Yes,
    /// Not coming.
    No,
    /// Perhaps.
    Maybe,
}

impl Response {
    /// Every answer.
    pub const ALL: [Response; 3] = [Response::Yes, Response::Maybe, Response::No];

    /// The stored (and METRICS.md) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Yes => "yes",
            Response::No => "no",
            Response::Maybe => "maybe",
        }
    }

    /// The iCalendar `PARTSTAT` for it.
    pub fn partstat(self) -> &'static str {
        match self {
            Response::Yes => "ACCEPTED",
            Response::No => "DECLINED",
            Response::Maybe => "TENTATIVE",
        }
    }
}

impl FromStr for Response {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        match s.trim() {
            "yes" => Ok(Response::Yes),
            "no" => Ok(Response::No),
            "maybe" => Ok(Response::Maybe),
            other => Err(Invalid::new(
                "response",
                format!("{other:?} is not one of yes, no, maybe"),
            )),
        }
    }
}

/// One occurrence named from outside: its series and recurrence id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccurrenceRef {
    /// The series id.
    pub series: i64,
    /// When the rule scheduled it.
    pub recurrence_id: DateTime<Utc>,
}

impl OccurrenceRef {
    /// The name used in addresses and the activity log: `12-20260303T080000Z`.
    pub fn key(&self) -> String {
        format!(
            "{}-{}",
            self.series,
            self.recurrence_id.format("%Y%m%dT%H%M%SZ")
        )
    }

    /// Reads a name made by [`OccurrenceRef::key`]; `None` for anything else.
    pub fn parse(key: &str) -> Option<Self> {
        let (series, at) = key.trim().split_once('-')?;
        let series: i64 = series.parse().ok().filter(|s| *s > 0)?;
        let at = NaiveDateTime::parse_from_str(at, "%Y%m%dT%H%M%SZ").ok()?;
        Some(Self {
            series,
            recurrence_id: at.and_utc(),
        })
    }
}

/// A recording link: empty, or an `http(s)://` address.
pub fn recording_url(value: &str) -> Result<String, Invalid> {
    let v = bounded_text("recording_url", value, MAX_URL)?;
    if v.is_empty() || v.starts_with("https://") || v.starts_with("http://") {
        Ok(v)
    } else {
        Err(Invalid::new(
            "recording_url",
            "must be a link starting with https:// or http://",
        ))
    }
}

/// Notes of an occurrence.
pub fn notes(value: &str) -> Result<String, Invalid> {
    bounded_text("notes", value, MAX_TEXT)
}

/// Who has a seat, who waits, and who else answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seating<P> {
    /// Said yes and have a seat, first come first.
    pub going: Vec<P>,
    /// Said yes after the seats ran out, in the order they answered.
    pub waitlist: Vec<P>,
    /// Said maybe.
    pub maybe: Vec<P>,
    /// Said no.
    pub declined: Vec<P>,
}

/// One answer: who, what, when.
pub type Seated<P> = (P, Response, DateTime<Utc>);

/// Seats people by when they answered: `answers` are (who, answer, when).
/// With a capacity, the first `capacity` yeses are going and the rest wait;
/// when one of them changes to no, the first waiting moves up.
pub fn seat<P: Clone>(
    answers: &[(P, Response, DateTime<Utc>)],
    capacity: Option<i64>,
) -> Seating<P> {
    let mut ordered: Vec<(usize, &Seated<P>)> = answers.iter().enumerate().collect();
    ordered.sort_by_key(|(i, (_, _, at))| (*at, *i));
    let mut s = Seating {
        going: Vec::new(),
        waitlist: Vec::new(),
        maybe: Vec::new(),
        declined: Vec::new(),
    };
    for (_, (p, r, _)) in ordered {
        match r {
            Response::Yes => {
                let full = capacity.is_some_and(|c| s.going.len() as i64 >= c);
                if full {
                    s.waitlist.push(p.clone());
                } else {
                    s.going.push(p.clone());
                }
            }
            Response::Maybe => s.maybe.push(p.clone()),
            Response::No => s.declined.push(p.clone()),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> Draft {
        Draft {
            title: "Weekly call".into(),
            format: "call".into(),
            rrule: "FREQ=WEEKLY;BYDAY=TU".into(),
            time_zone: "Europe/Berlin".into(),
            start: "2026-03-17T09:00".into(),
            duration_minutes: 60,
            ..Draft::default()
        }
    }

    #[test]
    fn a_good_draft_checks_and_bad_fields_are_named() {
        let plan = draft().check().unwrap();
        assert_eq!(plan.local_start_text(), "2026-03-17T09:00:00");
        assert_eq!(plan.format, Format::Call);
        let one_off = Draft {
            rrule: String::new(),
            start: "2026-03-18 10:30".into(),
            ..draft()
        };
        assert_eq!(one_off.check().unwrap().series.rule().count(), Some(1));
        for (d, field) in [
            (
                Draft {
                    title: " ".into(),
                    ..draft()
                },
                "title",
            ),
            (
                Draft {
                    rrule: "FREQ=NEVER".into(),
                    ..draft()
                },
                "rrule",
            ),
            (
                Draft {
                    time_zone: "Mars/Olympus".into(),
                    ..draft()
                },
                "time_zone",
            ),
            (
                Draft {
                    start: "tomorrow".into(),
                    ..draft()
                },
                "start",
            ),
            (
                Draft {
                    start: "2026-03-18T09:00".into(),
                    ..draft()
                },
                "start",
            ),
            (
                Draft {
                    duration_minutes: 0,
                    ..draft()
                },
                "duration_minutes",
            ),
            (
                Draft {
                    duration_minutes: 60 * 24 * 30,
                    ..draft()
                },
                "duration_minutes",
            ),
            (
                Draft {
                    capacity: Some(0),
                    ..draft()
                },
                "capacity",
            ),
            (
                Draft {
                    format: "standup".into(),
                    ..draft()
                },
                "format",
            ),
        ] {
            assert_eq!(d.check().unwrap_err().field, field);
        }
    }

    #[test]
    fn occurrence_names_round_trip() {
        let r = OccurrenceRef {
            series: 12,
            recurrence_id: Utc.with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap(),
        };
        assert_eq!(r.key(), "12-20260303T080000Z");
        assert_eq!(OccurrenceRef::parse(&r.key()), Some(r));
        for bad in [
            "",
            "12",
            "x-20260303T080000Z",
            "-1-20260303T080000Z",
            "12-2026",
        ] {
            assert_eq!(OccurrenceRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn seats_go_first_come_and_the_waitlist_moves_up() {
        let t = |m| Utc.with_ymd_and_hms(2026, 3, 1, 9, m, 0).unwrap();
        let mut answers = vec![
            ("b", Response::Yes, t(2)),
            ("a", Response::Yes, t(1)),
            ("c", Response::Yes, t(3)),
            ("d", Response::Maybe, t(4)),
        ];
        let s = seat(&answers, Some(2));
        assert_eq!(s.going, ["a", "b"]);
        assert_eq!(s.waitlist, ["c"]);
        assert_eq!(s.maybe, ["d"]);
        answers[1].1 = Response::No;
        let s = seat(&answers, Some(2));
        assert_eq!(s.going, ["b", "c"]);
        assert!(s.waitlist.is_empty());
        assert_eq!(s.declined, ["a"]);
        assert_eq!(seat(&answers, None).going.len(), 2);
        assert_eq!("maybe".parse::<Response>().unwrap().partstat(), "TENTATIVE");
        assert_eq!("si".parse::<Response>().unwrap_err().field, "response");
        assert_eq!(recording_url("ftp://x").unwrap_err().field, "recording_url");
        assert_eq!(
            recording_url(" https://v.example/1 ").unwrap(),
            "https://v.example/1"
        );
    }
}
