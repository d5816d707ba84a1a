//! iCalendar (RFC 5545) for gatherings: one `VEVENT` per series with its
//! `RRULE` and `DTSTART;TZID=...` in the series' zone, an `EXDATE` for each
//! cancelled occurrence, and a `RECURRENCE-ID` override for each moved
//! occurrence (or one the reader answered on its own), with a `VTIMEZONE`
//! for every zone used. In a person's feed each event carries their RSVP as
//! the `PARTSTAT` of an `ATTENDEE`.
//!
//! The lines are written here rather than with the `icalendar` crate: its
//! 0.17 builder cannot make a `VTIMEZONE` (its free-form component type has
//! no public constructor, and its date-time type leaves the `TZID` form
//! unimplemented), and a feed with `TZID`s but no `VTIMEZONE` is not valid
//! RFC 5545. Folding (75 octets) and text escaping follow RFC 5545 3.1 and
//! 3.3.11.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use domain::gathering::plan::Response;
use store::gatherings::SeriesRecord;

/// One series in a feed, with the reader's answers.
#[derive(Debug, Clone)]
pub struct FeedSeries {
    /// The series.
    pub record: SeriesRecord,
    /// The community's name, for the description.
    pub community: String,
    /// The reader's answer to the whole series.
    pub answer: Option<Response>,
    /// The reader's answers to single occurrences, by recurrence id.
    pub answers: BTreeMap<DateTime<Utc>, Response>,
}

/// The reader of a personal feed, named in `ATTENDEE`.
#[derive(Debug, Clone)]
pub struct Reader {
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
}

/// A whole calendar named `name`, stamped at `now`, for `reader` if it is
/// personal. Base address `base` makes each event's `URL`.
pub fn calendar(
    name: &str,
    series: &[FeedSeries],
    reader: Option<&Reader>,
    now: DateTime<Utc>,
) -> String {
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Guildhall//Gatherings//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.line(&format!("X-WR-CALNAME:{}", text(name)));
    let mut zones: BTreeMap<&str, (Tz, i32)> = BTreeMap::new();
    let mut events = Lines::default();
    for s in series {
        let Ok(schedule) = s.record.schedule() else {
            continue;
        };
        let zone = schedule.zone();
        let year = s.record.local_start.year();
        zones
            .entry(zone.name())
            .and_modify(|(_, y)| *y = (*y).min(year))
            .or_insert((zone, year));
        let uid = format!("gathering-{}@guildhall", s.record.id);
        let one_off = schedule.rule().count() == Some(1);
        events.line("BEGIN:VEVENT");
        events.line(&format!("UID:{uid}"));
        events.line(&format!("DTSTAMP:{}", utc(now)));
        events.line(&format!("DTSTART;{}", local(zone, s.record.first_start)));
        events.line(&format!("DURATION:PT{}M", s.record.duration_minutes));
        if !one_off {
            events.line(&format!("RRULE:{}", schedule.rule().as_str()));
        }
        for &c in schedule.cancelled() {
            events.line(&format!("EXDATE;{}", local(zone, c)));
        }
        describe(&mut events, s);
        if let (Some(r), Some(answer)) = (reader, s.answer) {
            attendee(&mut events, r, answer);
        }
        events.line("END:VEVENT");
        // Overrides: moved occurrences, and those answered on their own.
        let mut overridden: BTreeSet<DateTime<Utc>> = schedule.moved().keys().copied().collect();
        if reader.is_some() {
            overridden.extend(s.answers.keys().filter(|rid| {
                schedule.is_occurrence(**rid) && !schedule.cancelled().contains(*rid)
            }));
        }
        for rid in overridden {
            let (start, length) = match schedule.moved().get(&rid) {
                Some(m) => (m.start, m.duration),
                None => (rid, schedule.duration()),
            };
            events.line("BEGIN:VEVENT");
            events.line(&format!("UID:{uid}"));
            events.line(&format!("DTSTAMP:{}", utc(now)));
            events.line(&format!("RECURRENCE-ID;{}", local(zone, rid)));
            events.line(&format!("DTSTART;{}", local(zone, start)));
            events.line(&format!("DURATION:PT{}M", length.num_minutes()));
            describe(&mut events, s);
            if let Some(r) = reader
                && let Some(answer) = s.answers.get(&rid).copied().or(s.answer)
            {
                attendee(&mut events, r, answer);
            }
            events.line("END:VEVENT");
        }
    }
    for (zone, year) in zones.values() {
        vtimezone(&mut out, *zone, *year);
    }
    out.0.push_str(&events.0);
    out.line("END:VCALENDAR");
    out.0
}

fn describe(out: &mut Lines, s: &FeedSeries) {
    out.line(&format!("SUMMARY:{}", text(&s.record.title)));
    if !s.record.location.is_empty() {
        out.line(&format!("LOCATION:{}", text(&s.record.location)));
    }
    let mut description = format!("{} · {}", s.community, s.record.format.label());
    if !s.record.agenda.is_empty() {
        description.push_str("\n\n");
        description.push_str(&s.record.agenda);
    }
    out.line(&format!("DESCRIPTION:{}", text(&description)));
}

fn attendee(out: &mut Lines, r: &Reader, answer: Response) {
    let name: String = r
        .name
        .chars()
        .filter(|c| !matches!(c, '"' | '\r' | '\n'))
        .collect();
    out.line(&format!(
        "ATTENDEE;CN=\"{name}\";PARTSTAT={}:mailto:{}",
        answer.partstat(),
        r.email
    ));
}

/// `TZID=Zone:YYYYMMDDTHHMMSS` for the instant `at` in `zone`.
fn local(zone: Tz, at: DateTime<Utc>) -> String {
    format!(
        "TZID={}:{}",
        zone.name(),
        at.with_timezone(&zone)
            .naive_local()
            .format("%Y%m%dT%H%M%S")
    )
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT value escaping (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines, folded at 75 octets, ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += n;
        }
        self.0.push_str("\r\n");
    }
}

fn offset_at(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The UTC instants in `year` where `zone`'s offset changes.
fn transitions(zone: Tz, year: i32) -> Vec<DateTime<Utc>> {
    let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut day = start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end = day + TimeDelta::days(366);
    while day < end && day.year() == year {
        let next = day + TimeDelta::days(1);
        if offset_at(zone, day) != offset_at(zone, next) {
            // Bisect on whole seconds: the change is the first second with the new offset.
            let (mut lo, mut hi) = (day.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let at = DateTime::from_timestamp(mid, 0).unwrap_or(day);
                if offset_at(zone, at) == offset_at(zone, day) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(DateTime::from_timestamp(hi, 0).unwrap_or(next));
        }
        day = next;
    }
    out
}

/// `BYDAY` for a date: its weekday with its ordinal in the month (`-1` for
/// the last).
fn by_day(date: NaiveDate) -> String {
    let weekday =
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][date.weekday().num_days_from_monday() as usize];
    let days_in_month = NaiveDate::from_ymd_opt(date.year(), date.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day());
    if date.day() + 7 > days_in_month {
        format!("-1{weekday}")
    } else {
        format!("{}{weekday}", (date.day() - 1) / 7 + 1)
    }
}

/// A `VTIMEZONE` for `zone` from `year` on: its yearly transitions as
/// `STANDARD` and `DAYLIGHT` rules, or one `STANDARD` for a zone without
/// daylight saving.
fn vtimezone(out: &mut Lines, zone: Tz, year: i32) {
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{}", zone.name()));
    let changes = transitions(zone, year);
    if changes.is_empty() {
        let at = NaiveDate::from_ymd_opt(year, 7, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
            .and_utc();
        let offset = offset_text(offset_at(zone, at));
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{offset}"));
        out.line(&format!("TZOFFSETTO:{offset}"));
        out.line("END:STANDARD");
    } else {
        let offsets: Vec<i32> = changes.iter().map(|&t| offset_at(zone, t)).collect();
        let lowest = offsets.iter().copied().min().unwrap_or_default();
        for (&t, &to) in changes.iter().zip(&offsets) {
            let from = offset_at(zone, t - TimeDelta::minutes(1));
            let kind = if to > lowest || (to > from && offsets.len() == 1) {
                "DAYLIGHT"
            } else {
                "STANDARD"
            };
            let local: NaiveDateTime = t.naive_utc() + TimeDelta::seconds(i64::from(from));
            out.line(&format!("BEGIN:{kind}"));
            out.line(&format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
            out.line(&format!(
                "RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={}",
                local.month(),
                by_day(local.date())
            ));
            out.line(&format!("TZOFFSETFROM:{}", offset_text(from)));
            out.line(&format!("TZOFFSETTO:{}", offset_text(to)));
            out.line(&format!("END:{kind}"));
        }
    }
    out.line("END:VTIMEZONE");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_changes_on_the_last_sundays_of_march_and_october() {
        let t = transitions(chrono_tz::Europe::Berlin, 2026);
        assert_eq!(
            t,
            [
                Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap()
            ]
        );
        let mut lines = Lines::default();
        vtimezone(&mut lines, chrono_tz::Europe::Berlin, 2026);
        let text = lines.0;
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"), "{text}");
        let mut lines = Lines::default();
        vtimezone(&mut lines, chrono_tz::Asia::Kolkata, 2026);
        assert!(lines.0.contains("TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530"));
        assert_eq!(by_day(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()), "2SU");
        assert_eq!(by_day(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()), "1SU");
    }

    #[test]
    fn text_is_escaped_and_long_lines_fold() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut lines = Lines::default();
        lines.line(&format!("SUMMARY:{}", "é".repeat(60)));
        for l in lines.0.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(lines.0.contains("\r\n é"));
    }
}
