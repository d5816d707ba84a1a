//! People and their profiles: who someone is, where and when they work, what
//! they know, what they can teach and what they want to learn. Also the rules
//! for sign-up fields (e-mail, password) and organisation roles.

use std::str::FromStr;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::invalid::{Invalid, bounded_text, required_text};

/// Longest display name accepted.
pub const MAX_NAME: usize = 100;
/// Longest team, location or list entry accepted.
pub const MAX_SHORT: usize = 100;
/// Longest biography accepted.
pub const MAX_BIO: usize = 4000;
/// Most entries in one list (skills, interests, ...).
pub const MAX_LIST: usize = 50;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (hashing cost grows with length).
pub const MAX_PASSWORD: usize = 256;

/// A person's standing in the organisation's Guildhall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    /// May administer the organisation: promote people, moderate.
    Admin,
    /// Everyone else.
    Member,
}

impl OrgRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::Admin => "admin",
            OrgRole::Member => "member",
        }
    }
}

impl FromStr for OrgRole {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        match s {
            "admin" => Ok(OrgRole::Admin),
            "member" => Ok(OrgRole::Member),
            _ => Err(Invalid::new("role", "must be admin or member")),
        }
    }
}

/// How well someone knows a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillLevel {
    /// Learning it.
    Beginner,
    /// Uses it at work.
    Practitioner,
    /// Others come to them with questions.
    Expert,
}

impl SkillLevel {
    /// All levels, from least to most.
    pub const ALL: [SkillLevel; 3] = [
        SkillLevel::Beginner,
        SkillLevel::Practitioner,
        SkillLevel::Expert,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SkillLevel::Beginner => "beginner",
            SkillLevel::Practitioner => "practitioner",
            SkillLevel::Expert => "expert",
        }
    }
}

impl FromStr for SkillLevel {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        match s.trim() {
            "beginner" => Ok(SkillLevel::Beginner),
            "practitioner" => Ok(SkillLevel::Practitioner),
            "expert" => Ok(SkillLevel::Expert),
            other => Err(Invalid::new(
                "skills",
                format!("level {other:?} is not one of beginner, practitioner, expert"),
            )),
        }
    }
}

/// A skill someone has declared, with its level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    /// The skill's name, e.g. "kubernetes".
    pub name: String,
    /// How well they know it.
    pub level: SkillLevel,
}

/// The daily span someone works in, in their own time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    /// Start of the working day, local time.
    pub start: NaiveTime,
    /// End of the working day, local time (after `start`).
    pub end: NaiveTime,
}

impl Default for WorkingHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
        }
    }
}

impl WorkingHours {
    /// Parses two `HH:MM` times, the start before the end.
    pub fn parse(start: &str, end: &str) -> Result<Self, Invalid> {
        let parse = |field: &str, s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
                Invalid::new(
                    field,
                    format!("{s:?} is not a time of day as HH:MM (e.g. 08:30)"),
                )
            })
        };
        let start = parse("work_start", start)?;
        let end = parse("work_end", end)?;
        if end <= start {
            return Err(Invalid::new(
                "work_end",
                "must be later than the start of the working day",
            ));
        }
        Ok(Self { start, end })
    }

    /// Minutes after local midnight of the start.
    pub fn start_minutes(&self) -> i64 {
        minutes(self.start)
    }

    /// Minutes after local midnight of the end.
    pub fn end_minutes(&self) -> i64 {
        minutes(self.end)
    }

    /// From minutes after midnight, as stored.
    pub fn from_minutes(start: i64, end: i64) -> Self {
        let at = |m: i64| {
            NaiveTime::from_hms_opt(
                (m / 60).clamp(0, 23) as u32,
                (m % 60).clamp(0, 59) as u32,
                0,
            )
            .unwrap_or_default()
        };
        Self {
            start: at(start),
            end: at(end),
        }
    }

    /// `HH:MM` of the start.
    pub fn start_text(&self) -> String {
        self.start.format("%H:%M").to_string()
    }

    /// `HH:MM` of the end.
    pub fn end_text(&self) -> String {
        self.end.format("%H:%M").to_string()
    }
}

fn minutes(t: NaiveTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// Checks an IANA time zone name such as `Europe/Berlin`.
pub fn time_zone(value: &str) -> Result<chrono_tz::Tz, Invalid> {
    chrono_tz::Tz::from_str(value.trim()).map_err(|_| {
        Invalid::new(
            "time_zone",
            format!("{value:?} is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)"),
        )
    })
}

/// Normalises and checks an e-mail address (lower-cased, one `@`, a dot in the domain).
pub fn email(value: &str) -> Result<String, Invalid> {
    let value = required_text("email", value, 254)?.to_lowercase();
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(value)
    } else {
        Err(Invalid::new(
            "email",
            "is not an e-mail address like name@example.org",
        ))
    }
}

/// Checks a display name.
pub fn display_name(value: &str) -> Result<String, Invalid> {
    required_text("display_name", value, MAX_NAME)
}

/// Checks a new password's length.
pub fn password(value: &str) -> Result<(), Invalid> {
    let len = value.chars().count();
    if len < MIN_PASSWORD {
        return Err(Invalid::new(
            "password",
            format!("is too short: use at least {MIN_PASSWORD} characters"),
        ));
    }
    if len > MAX_PASSWORD {
        return Err(Invalid::new(
            "password",
            format!("is too long: use at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// A person's editable profile, as submitted (before validation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDraft {
    /// Name shown to others.
    pub display_name: String,
    /// Team name, empty for none.
    pub team: String,
    /// Free-text location ("Lisbon", "remote, Ghana").
    pub location: String,
    /// IANA zone name.
    pub time_zone: String,
    /// `HH:MM` local start of the working day.
    pub work_start: String,
    /// `HH:MM` local end of the working day.
    pub work_end: String,
    /// Markdown-free biography.
    pub bio: String,
    /// Declared skills.
    pub skills: Vec<Skill>,
    /// Topics of interest.
    pub interests: Vec<String>,
    /// Topics they can teach.
    pub can_teach: Vec<String>,
    /// Topics they want to learn.
    pub wants_to_learn: Vec<String>,
}

/// A validated profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Name shown to others.
    pub display_name: String,
    /// Team, if any.
    pub team: Option<String>,
    /// Location, may be empty.
    pub location: String,
    /// IANA zone.
    pub time_zone: chrono_tz::Tz,
    /// Local working hours.
    pub working_hours: WorkingHours,
    /// Biography.
    pub bio: String,
    /// Declared skills, unique by name.
    pub skills: Vec<Skill>,
    /// Topics of interest.
    pub interests: Vec<String>,
    /// Topics they can teach.
    pub can_teach: Vec<String>,
    /// Topics they want to learn.
    pub wants_to_learn: Vec<String>,
}

impl ProfileDraft {
    /// Checks every field, naming the first that is wrong.
    pub fn validate(&self) -> Result<Profile, Invalid> {
        let team = bounded_text("team", &self.team, MAX_SHORT)?;
        let mut skills: Vec<Skill> = Vec::new();
        for skill in &self.skills {
            let name = topic("skills", &skill.name)?;
            if skills.iter().any(|s| s.name == name) {
                return Err(Invalid::new("skills", format!("{name:?} is listed twice")));
            }
            skills.push(Skill {
                name,
                level: skill.level,
            });
        }
        if skills.len() > MAX_LIST {
            return Err(Invalid::new(
                "skills",
                format!("at most {MAX_LIST} entries"),
            ));
        }
        Ok(Profile {
            display_name: display_name(&self.display_name)?,
            team: (!team.is_empty()).then_some(team),
            location: bounded_text("location", &self.location, MAX_SHORT)?,
            time_zone: time_zone(if self.time_zone.trim().is_empty() {
                "UTC"
            } else {
                &self.time_zone
            })?,
            working_hours: if self.work_start.trim().is_empty() && self.work_end.trim().is_empty() {
                WorkingHours::default()
            } else {
                WorkingHours::parse(&self.work_start, &self.work_end)?
            },
            bio: bounded_text("bio", &self.bio, MAX_BIO)?,
            skills,
            interests: topics("interests", &self.interests)?,
            can_teach: topics("can_teach", &self.can_teach)?,
            wants_to_learn: topics("wants_to_learn", &self.wants_to_learn)?,
        })
    }
}

/// Normalises one topic or skill name: trimmed, lower-cased, inner spaces single.
pub fn topic(field: &str, value: &str) -> Result<String, Invalid> {
    let joined = value.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(required_text(field, &joined, MAX_SHORT)?.to_lowercase())
}

/// Normalises a list of topics: each checked, duplicates dropped, order kept.
pub fn topics(field: &str, values: &[String]) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if value.trim().is_empty() {
            continue;
        }
        let t = topic(field, value)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_LIST {
        return Err(Invalid::new(field, format!("at most {MAX_LIST} entries")));
    }
    Ok(out)
}

/// Splits a comma-separated form field into list entries.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses `name:level` entries separated by commas, level defaulting to practitioner.
pub fn parse_skills(value: &str) -> Result<Vec<Skill>, Invalid> {
    split_list(value)
        .into_iter()
        .map(|entry| match entry.rsplit_once(':') {
            Some((name, level)) => Ok(Skill {
                name: name.trim().to_owned(),
                level: level.parse()?,
            }),
            None => Ok(Skill {
                name: entry,
                level: SkillLevel::Practitioner,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProfileDraft {
        ProfileDraft {
            display_name: " Ada Lovelace ".into(),
            time_zone: "Europe/London".into(),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_fill_time_zone_and_hours() {
        let p = ProfileDraft {
            display_name: "Ada".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(p.time_zone, chrono_tz::UTC);
        assert_eq!(p.working_hours.start_text(), "08:00");
        assert_eq!(p.working_hours.end_text(), "18:00");
        assert_eq!(p.team, None);
    }

    #[test]
    fn unknown_time_zone_names_the_field() {
        let err = ProfileDraft {
            time_zone: "Mars/Olympus".into(),
            ..draft()
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.field, "time_zone");
    }

    #[test]
    fn working_hours_must_run_forward() {
        assert_eq!(
            WorkingHours::parse("18:00", "08:00").unwrap_err().field,
            "work_end"
        );
        assert_eq!(
            WorkingHours::parse("8am", "18:00").unwrap_err().field,
            "work_start"
        );
        let h = WorkingHours::parse("07:30", "16:15").unwrap();
        assert_eq!(
            WorkingHours::from_minutes(h.start_minutes(), h.end_minutes()),
            h
        );
    }

    #[test]
    fn topics_are_normalised_and_deduplicated() {
        let t = topics(
            "interests",
            &["  Rust ".into(), "rust".into(), "Site  Reliability".into()],
        )
        .unwrap();
        assert_eq!(t, vec!["rust", "site reliability"]);
    }

    #[test]
    fn skills_parse_levels_and_reject_duplicates() {
        let skills = parse_skills("Rust:expert, go").unwrap();
        assert_eq!(skills[0].level, SkillLevel::Expert);
        assert_eq!(skills[1].level, SkillLevel::Practitioner);
        assert_eq!(parse_skills("rust:guru").unwrap_err().field, "skills");
        let dup = ProfileDraft {
            skills: parse_skills("rust, Rust:expert").unwrap(),
            ..draft()
        };
        assert_eq!(dup.validate().unwrap_err().field, "skills");
    }

    #[test]
    fn emails_are_checked_and_lowercased() {
        assert_eq!(email(" Ada@Example.ORG ").unwrap(), "ada@example.org");
        for bad in ["", "ada", "ada@", "@x.org", "a@b", "a b@x.org", "a@x@y.org"] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn long_fields_are_refused_with_their_length() {
        let err = display_name(&"x".repeat(MAX_NAME + 1)).unwrap_err();
        assert!(err.message.contains("101 characters"));
        assert!(password("short").is_err());
        assert!(password("long enough!").is_ok());
    }
}
