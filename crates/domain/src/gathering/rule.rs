//! The recurrence rule of a series: the value of an RFC 5545 `RRULE`
//! (`FREQ=WEEKLY;BYDAY=TU`), checked before it is stored. A series repeats at
//! most daily and takes its time of day from its start, so rules that would
//! fire many times a day (`FREQ=HOURLY`, `BYHOUR`, ...) are refused, as are
//! huge intervals and counts: together with the cap in [`super::series`] no
//! rule can make expansion run for long.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rrule::{Frequency, RRule, Unvalidated};

use crate::invalid::Invalid;

/// Longest rule text accepted.
pub const MAX_RULE_LEN: usize = 300;
/// Largest `INTERVAL` accepted.
pub const MAX_INTERVAL: u16 = 400;
/// Largest `COUNT` accepted.
pub const MAX_COUNT: u32 = 5000;

const FIELD: &str = "rrule";

/// A checked `RRULE` value, upper-cased, without the `RRULE:` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    text: String,
}

impl Rule {
    /// Checks rule text such as `FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2` (an
    /// `RRULE:` prefix is allowed). Whether the rule suits a particular start
    /// is checked when a series is made.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let trimmed = text.trim();
        let body = match trimmed.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("RRULE:") => &trimmed[6..],
            _ => trimmed,
        };
        if body.is_empty() {
            return Err(Invalid::new(
                FIELD,
                "is required, e.g. FREQ=WEEKLY;BYDAY=TU",
            ));
        }
        if body.chars().count() > MAX_RULE_LEN {
            return Err(Invalid::new(
                FIELD,
                format!("is longer than {MAX_RULE_LEN} characters"),
            ));
        }
        if body
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            return Err(Invalid::new(
                FIELD,
                "must be one line of NAME=VALUE parts joined by ';', without spaces",
            ));
        }
        let text = body.to_ascii_uppercase();
        let names: Vec<&str> = text
            .split(';')
            .map(|part| part.split_once('=').map_or(part, |(name, _)| name))
            .collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(Invalid::new(FIELD, format!("gives {name} twice")));
            }
        }
        if names.contains(&"COUNT") && names.contains(&"UNTIL") {
            return Err(Invalid::new(
                FIELD,
                "may give COUNT or UNTIL, not both (RFC 5545)",
            ));
        }
        let rule = Self { text };
        let parsed = rule.unvalidated()?;
        check_limits(&rule, &parsed)?;
        Ok(rule)
    }

    /// The rule as stored and as written into iCalendar feeds.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The rule's `COUNT`, if it has one.
    pub fn count(&self) -> Option<u32> {
        self.part("COUNT").and_then(|v| v.parse().ok())
    }

    /// The rule's `UNTIL`, if it has one.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        self.part("UNTIL").and_then(parse_until)
    }

    /// The same rule ending at `last` (inclusive): any `COUNT` or `UNTIL` is
    /// replaced by `UNTIL=last`.
    pub fn ending_at(&self, last: DateTime<Utc>) -> Self {
        let mut parts = self.parts_without(&["COUNT", "UNTIL"]);
        parts.push(format!("UNTIL={}", last.format("%Y%m%dT%H%M%SZ")));
        Self {
            text: parts.join(";"),
        }
    }

    /// The same rule with its `COUNT` replaced by `count`.
    pub fn with_count(&self, count: u32) -> Self {
        let mut parts = self.parts_without(&["COUNT", "UNTIL"]);
        parts.push(format!("COUNT={count}"));
        Self {
            text: parts.join(";"),
        }
    }

    /// The rule as the recurrence library reads it.
    pub(crate) fn unvalidated(&self) -> Result<RRule<Unvalidated>, Invalid> {
        RRule::from_str(&self.text)
            .map_err(|e| Invalid::new(FIELD, format!("is not a valid RRULE: {e}")))
    }

    fn part(&self, name: &str) -> Option<&str> {
        self.text
            .split(';')
            .find_map(|part| part.split_once('=').filter(|(n, _)| *n == name))
            .map(|(_, value)| value)
    }

    fn parts_without(&self, names: &[&str]) -> Vec<String> {
        self.text
            .split(';')
            .filter(|part| {
                let name = part.split_once('=').map_or(*part, |(n, _)| n);
                !names.contains(&name)
            })
            .map(str::to_owned)
            .collect()
    }
}

fn check_limits(rule: &Rule, parsed: &RRule<Unvalidated>) -> Result<(), Invalid> {
    if !matches!(
        parsed.get_freq(),
        Frequency::Daily | Frequency::Weekly | Frequency::Monthly | Frequency::Yearly
    ) {
        return Err(Invalid::new(
            FIELD,
            "repeats too often: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY",
        ));
    }
    if !parsed.get_by_hour().is_empty()
        || !parsed.get_by_minute().is_empty()
        || !parsed.get_by_second().is_empty()
    {
        return Err(Invalid::new(
            FIELD,
            "may not use BYHOUR, BYMINUTE or BYSECOND: the series' start time sets the time of day",
        ));
    }
    let interval = parsed.get_interval();
    if interval == 0 || interval > MAX_INTERVAL {
        return Err(Invalid::new(
            FIELD,
            format!("INTERVAL must be from 1 to {MAX_INTERVAL}"),
        ));
    }
    if let Some(count) = parsed.get_count()
        && (count == 0 || count > MAX_COUNT)
    {
        return Err(Invalid::new(
            FIELD,
            format!("COUNT must be from 1 to {MAX_COUNT}"),
        ));
    }
    if rule.part("UNTIL").is_some() && rule.until().is_none() {
        return Err(Invalid::new(
            FIELD,
            "UNTIL must be a UTC date and time such as 20270101T000000Z",
        ));
    }
    Ok(())
}

fn parse_until(value: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn accepts_common_rules_and_normalises_them() {
        for text in [
            "FREQ=WEEKLY;BYDAY=TU",
            "RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
            "freq=daily;interval=2;count=10",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR;UNTIL=20300101T000000Z",
        ] {
            let rule = Rule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(rule.as_str().starts_with("FREQ="), "{}", rule.as_str());
        }
        assert_eq!(
            Rule::parse("rrule:freq=daily;count=3").unwrap().as_str(),
            "FREQ=DAILY;COUNT=3"
        );
    }

    #[test]
    fn refuses_bad_rules_naming_the_field() {
        for text in [
            "",
            "FREQ=FORTNIGHTLY",
            "FREQ=WEEKLY;BYDAY=XX",
            "BYDAY=MO",
            "FREQ=HOURLY",
            "FREQ=SECONDLY",
            "FREQ=DAILY;BYHOUR=9,10",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;INTERVAL=100000",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=4000000000",
            "FREQ=DAILY;COUNT=3;UNTIL=20300101T000000Z",
            "FREQ=DAILY;UNTIL=20300101",
            "FREQ=DAILY;FREQ=WEEKLY",
            "FREQ=DAILY\nRRULE:FREQ=DAILY",
            "FREQ=DAILY; COUNT=3",
        ] {
            let err = Rule::parse(text).expect_err(text);
            assert_eq!(err.field, "rrule", "{text}");
            assert!(!err.message.is_empty());
        }
        let long = format!("FREQ=WEEKLY;BYDAY={}", vec!["MO"; 200].join(","));
        assert!(Rule::parse(&long).unwrap_err().message.contains("longer"));
    }

    #[test]
    fn ending_replaces_count_and_until() {
        let last = Utc.with_ymd_and_hms(2026, 5, 4, 7, 0, 0).unwrap();
        let rule = Rule::parse("FREQ=WEEKLY;COUNT=10;BYDAY=MO").unwrap();
        assert_eq!(rule.count(), Some(10));
        let ended = rule.ending_at(last);
        assert_eq!(
            ended.as_str(),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260504T070000Z"
        );
        assert_eq!(ended.until(), Some(last));
        assert_eq!(ended.count(), None);
        assert_eq!(ended.with_count(4).as_str(), "FREQ=WEEKLY;BYDAY=MO;COUNT=4");
        assert!(Rule::parse(ended.as_str()).is_ok());
    }
}
