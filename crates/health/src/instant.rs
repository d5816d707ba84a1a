//! Instants of the activity log: RFC 3339 text to UTC nanoseconds and back.
//!
//! The engine keeps every instant as nanoseconds since the Unix epoch in UTC
//! (an `i64`, good for the years 1678 to 2262), so that window arithmetic is
//! integer arithmetic. Parsing is hand-written because it runs once per line
//! of a log that may hold tens of millions of lines.

use chrono::{DateTime, SecondsFormat, Utc};

/// Nanoseconds in one second.
pub const SECOND: i64 = 1_000_000_000;
/// Nanoseconds in one day.
pub const DAY: i64 = 86_400 * SECOND;
/// Nanoseconds in one week.
pub const WEEK: i64 = 7 * DAY;

/// Why a piece of text is not an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    #[error("not an RFC 3339 instant: {0:?}")]
    Syntax(String),
    #[error("instant out of the supported range (1678 to 2262): {0:?}")]
    Range(String),
}

fn digits(bytes: &[u8], from: usize, count: usize) -> Option<i64> {
    let part = bytes.get(from..from + count)?;
    let mut value = 0i64;
    for &b in part {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(b - b'0');
    }
    Some(value)
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an RFC 3339 instant (`Z` or any offset, fractional seconds allowed;
/// `t`, `z` and a space separator accepted) into UTC nanoseconds. Digits of
/// the fraction beyond nanoseconds are dropped. A leap second (`:60`) is
/// read as the first instant of the next minute.
pub fn parse(text: &str) -> Result<i64, InstantError> {
    if let Some(nanos) = parse_plain_utc(text.as_bytes()) {
        return Ok(nanos);
    }
    parse_any(text)
}

/// The common form, `YYYY-MM-DDTHH:MM:SSZ`, read with few branches; `None`
/// for anything else (including an invalid date), which [`parse_any`]
/// then reads or rejects.
fn parse_plain_utc(b: &[u8]) -> Option<i64> {
    let b: &[u8; 20] = b.try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if b[19] != b'Z' {
        return None;
    }
    let mut bad = 0u8;
    let mut d = |i: usize| {
        let v = b[i].wrapping_sub(b'0');
        bad |= u8::from(v > 9);
        i64::from(v)
    };
    let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    let month = d(5) * 10 + d(6);
    let day = d(8) * 10 + d(9);
    let hour = d(11) * 10 + d(12);
    let minute = d(14) * 10 + d(15);
    let second = d(17) * 10 + d(18);
    if bad != 0
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    // Outside the range, `parse_any` gives the error.
    if (-9_200_000_000..=9_200_000_000).contains(&seconds) {
        Some(seconds * SECOND)
    } else {
        None
    }
}

/// Any RFC 3339 form; see [`parse`].
fn parse_any(text: &str) -> Result<i64, InstantError> {
    let syntax = || InstantError::Syntax(text.to_owned());
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return Err(syntax());
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return Err(syntax());
    }
    let year = digits(b, 0, 4).ok_or_else(syntax)?;
    let month = digits(b, 5, 2).ok_or_else(syntax)?;
    let day = digits(b, 8, 2).ok_or_else(syntax)?;
    let hour = digits(b, 11, 2).ok_or_else(syntax)?;
    let minute = digits(b, 14, 2).ok_or_else(syntax)?;
    let second = digits(b, 17, 2).ok_or_else(syntax)?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(syntax());
    }
    let mut i = 19;
    let mut nanos = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        let mut scale = 100_000_000i64;
        while i < b.len() && b[i].is_ascii_digit() {
            nanos += i64::from(b[i] - b'0') * scale;
            scale /= 10;
            i += 1;
        }
        if i == start {
            return Err(syntax());
        }
    }
    let offset_minutes = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = digits(b, i + 1, 2).ok_or_else(syntax)?;
            let om = digits(b, i + 4, 2).ok_or_else(syntax)?;
            if oh > 23 || om > 59 {
                return Err(syntax());
            }
            let total = oh * 60 + om;
            if sign == b'-' { -total } else { total }
        }
        _ => return Err(syntax()),
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    // i64 nanoseconds cover about ±292 years around 1970.
    if !(-9_200_000_000..=9_200_000_000).contains(&seconds) {
        return Err(InstantError::Range(text.to_owned()));
    }
    Ok(seconds * SECOND + nanos)
}

/// The chrono value of an engine instant.
pub fn to_datetime(nanos: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(nanos)
}

/// The engine instant of a chrono value (saturating outside 1678–2262).
pub fn from_datetime(at: DateTime<Utc>) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// RFC 3339 in UTC with `Z`, with as many fractional digits as needed.
pub fn format(nanos: i64) -> String {
    to_datetime(nanos).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The Monday 00:00 UTC that starts the week holding `nanos`.
pub fn week_start(nanos: i64) -> i64 {
    let days = nanos.div_euclid(DAY);
    // 1970-01-01 was a Thursday, three days after a Monday.
    (days - (days + 3).rem_euclid(7)) * DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zulu_offsets_and_fractions() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse("1970-01-01T01:00:00+01:00"), Ok(0));
        assert_eq!(parse("1969-12-31T19:30:00-04:30"), Ok(0));
        assert_eq!(parse("1970-01-01t00:00:01.5z"), Ok(1_500_000_000));
        assert_eq!(parse("1970-01-01 00:00:00.123456789123Z"), Ok(123_456_789));
        assert_eq!(
            parse("2024-02-29T12:00:00Z").map(format),
            Ok("2024-02-29T12:00:00Z".to_owned())
        );
        assert_eq!(parse("2016-12-31T23:59:60Z"), parse("2017-01-01T00:00:00Z"));
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for bad in [
            "",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+0100",
            "2024-01-01X00:00:00Z",
            "2024-01-01T00:00:00Zjunk",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            parse("2500-01-01T00:00:00Z"),
            Err(InstantError::Range(_))
        ));
    }

    #[test]
    fn the_common_form_reads_as_any_form_does() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2023-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T24:00:00Z",
            "2024-00-01T00:00:00Z",
            "1600-01-01T00:00:00Z",
            "2500-01-01T00:00:00Z",
            "2024-01-01T0a:00:00Z",
            "2024-01-01t00:00:00Z",
        ] {
            assert_eq!(parse(text), parse_any(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_common_form_agrees_with_any_form(seconds in -9_300_000_000i64..9_300_000_000) {
            let text = to_datetime(seconds.clamp(-9_200_000_000, 9_200_000_000) * SECOND)
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            proptest::prop_assert_eq!(parse(&text), parse_any(&text));
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        let monday = parse("2024-06-03T00:00:00Z").unwrap();
        assert_eq!(week_start(parse("2024-06-09T23:59:59Z").unwrap()), monday);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK);
        assert_eq!(
            week_start(parse("1969-12-31T00:00:00Z").unwrap()),
            parse("1969-12-29T00:00:00Z").unwrap()
        );
    }
}
