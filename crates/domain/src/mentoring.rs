//! Mentor matching: can-teach × wants-to-learn, across teams, in overlapping
//! working hours, within each mentor's capacity; and the rules of a
//! mentorship, from proposal (accepted or declined by whoever did not
//! propose) to an active pair and its end. Pure: "now" is a value. The
//! scores are documented in `docs/mentoring.md`.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::invalid::{Invalid, bounded_text};
use crate::person::WorkingHours;

/// Mentees someone takes at once when they list topics they can teach but
/// never set a capacity.
pub const DEFAULT_CAPACITY: i64 = 1;
/// The most mentees anyone may take at once.
pub const MAX_CAPACITY: i64 = 10;
/// Longest note on a proposal.
pub const MAX_NOTE: usize = 1000;

/// Points for a wish to learn met by a topic taught under the same name.
pub const EXACT_TOPIC: i64 = 10;
/// Points for a wish met by a broader or narrower topic ("rust" for "async rust").
pub const PARTIAL_TOPIC: i64 = 6;
/// Points for a mentor from another team (both teams known and different).
pub const OTHER_TEAM: i64 = 4;
/// Points per whole hour of daily working-time overlap ...
pub const PER_OVERLAP_HOUR: i64 = 2;
/// ... counted up to this many hours.
pub const OVERLAP_HOURS_COUNTED: i64 = 4;
/// Points for a mentor who belongs to the community the match is for.
pub const SAME_COMMUNITY: i64 = 3;
/// Points of a community guide: a member with a free place but no topic in
/// common, offered so that every newcomer has someone.
pub const GUIDE: i64 = 1;

/// The normalised form two topics are compared by: lower case, letters and
/// digits only (keeping `+` and `#` for "c++" and "c#"), words singular.
/// "Rust", "rust " and "RUST" match; so do "Unit Tests" and "unit-test".
pub fn topic_key(topic: &str) -> String {
    topic_words(topic).join(" ")
}

fn topic_words(topic: &str) -> Vec<String> {
    topic
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(singular)
        .collect()
}

fn singular(word: &str) -> String {
    let n = word.chars().count();
    if n > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// How a topic taught meets a topic wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// One contains every word of the other ("rust" and "async rust").
    Partial,
    /// The same topic.
    Exact,
}

/// How `teach` meets `learn`, if at all.
pub fn fit(teach: &str, learn: &str) -> Option<Fit> {
    let (t, l) = (topic_words(teach), topic_words(learn));
    if t.is_empty() || l.is_empty() {
        return None;
    }
    if t == l {
        return Some(Fit::Exact);
    }
    let contains = |a: &[String], b: &[String]| b.iter().all(|w| a.contains(w));
    (contains(&t, &l) || contains(&l, &t)).then_some(Fit::Partial)
}

/// Someone looking for a mentor.
#[derive(Debug, Clone)]
pub struct Seeker {
    /// Person id.
    pub id: i64,
    /// Their team, if any.
    pub team: Option<String>,
    /// Their time zone.
    pub time_zone: Tz,
    /// Their working hours (Monday to Friday, local time).
    pub hours: WorkingHours,
    /// What they want to learn.
    pub wants_to_learn: Vec<String>,
}

/// Someone who might mentor.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Person id.
    pub id: i64,
    /// Their team, if any.
    pub team: Option<String>,
    /// Their time zone.
    pub time_zone: Tz,
    /// Their working hours (Monday to Friday, local time).
    pub hours: WorkingHours,
    /// What they can teach.
    pub can_teach: Vec<String>,
    /// Mentees they take at once (0: not mentoring now).
    pub capacity: i64,
    /// Mentees they have now.
    pub active: i64,
    /// Whether they belong to the community the match is for.
    pub in_community: bool,
}

impl Candidate {
    /// Places still free.
    pub fn free(&self) -> i64 {
        (self.capacity - self.active).max(0)
    }
}

/// A suggested mentor, with the reasons in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The mentor's id.
    pub mentor: i64,
    /// The topic the mentorship would be about (as the seeker wrote it, or
    /// the community's name for a guide).
    pub topic: String,
    /// Every (taught, wanted) pair of topics that meet, best first.
    pub topics: Vec<(String, String)>,
    /// Mean daily overlap of working time over the coming working week, in minutes.
    pub overlap_minutes: i64,
    /// Both teams known and different.
    pub other_team: bool,
    /// The mentor belongs to the community the match is for.
    pub in_community: bool,
    /// A community guide rather than a topic match.
    pub guide: bool,
    /// Places the mentor still has.
    pub free: i64,
    /// The sum of the points (see the constants).
    pub score: i64,
    /// Why, in words: "teaches rust, which you want to learn", ...
    pub reasons: Vec<String>,
}

/// Hours as people say them: "3 h", "1.5 h", "45 min".
pub fn hours_text(minutes: i64) -> String {
    if minutes < 60 {
        return format!("{minutes} min");
    }
    let halves = (minutes + 15) / 30;
    if halves % 2 == 0 {
        format!("{} h", halves / 2)
    } else {
        format!("{}.5 h", halves / 2)
    }
}

/// The UTC span of a working day on local date `day` in `tz`.
fn span(tz: Tz, hours: WorkingHours, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |t| {
        let local = NaiveDateTime::new(day, t);
        match tz.from_local_datetime(&local).earliest() {
            Some(dt) => dt.with_timezone(&Utc),
            // In a spring-forward gap: the same wall time an hour later exists.
            None => tz
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
                .map(|dt| dt.with_timezone(&Utc))
                .unwrap_or_else(|| local.and_utc()),
        }
    };
    (at(hours.start), at(hours.end))
}

fn working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Mean daily overlap, in minutes, between `a`'s and `b`'s working hours
/// (each Monday to Friday in their own zone) over `a`'s next five working
/// days from `now`, DST included.
pub fn overlap_minutes(
    (a_tz, a_hours): (Tz, WorkingHours),
    (b_tz, b_hours): (Tz, WorkingHours),
    now: DateTime<Utc>,
) -> i64 {
    let start = now.with_timezone(&a_tz).date_naive();
    let days: Vec<NaiveDate> = start
        .iter_days()
        .filter(|d| working_day(*d))
        .take(5)
        .collect();
    let mut total = 0;
    for day in &days {
        let (a0, a1) = span(a_tz, a_hours, *day);
        for offset in -1..=1 {
            let other = *day + Duration::days(offset);
            if !working_day(other) {
                continue;
            }
            let (b0, b1) = span(b_tz, b_hours, other);
            let overlap = (a1.min(b1) - a0.max(b0)).num_minutes();
            total += overlap.max(0);
        }
    }
    total / days.len().max(1) as i64
}

/// Up to `limit` mentors for `seeker` among `candidates`, best first:
/// topic fit, then other teams, overlapping hours and the community; ties
/// go to the mentor with more free places, then the lower id. People
/// without a free place, the seeker and anyone in `excluded` (already
/// proposed to or paired with the seeker) are left out. When `guide` names
/// the community and a member of it has a free place but no topic in
/// common, they are offered as its guide, below every topic match.
pub fn suggest(
    seeker: &Seeker,
    candidates: &[Candidate],
    excluded: &[i64],
    guide: Option<&str>,
    now: DateTime<Utc>,
    limit: usize,
) -> Vec<Match> {
    let mut out: Vec<Match> = candidates
        .iter()
        .filter(|c| c.id != seeker.id && c.free() > 0 && !excluded.contains(&c.id))
        .filter_map(|c| score(seeker, c, guide, now))
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.free.cmp(&a.free))
            .then(a.mentor.cmp(&b.mentor))
    });
    out.truncate(limit);
    out
}

fn score(seeker: &Seeker, c: &Candidate, guide: Option<&str>, now: DateTime<Utc>) -> Option<Match> {
    let mut topics: Vec<(Fit, String, String)> = Vec::new();
    let mut points = 0;
    for learn in &seeker.wants_to_learn {
        let best = c
            .can_teach
            .iter()
            .filter_map(|teach| fit(teach, learn).map(|f| (f, teach)))
            .max_by_key(|(f, _)| *f);
        if let Some((f, teach)) = best {
            points += match f {
                Fit::Exact => EXACT_TOPIC,
                Fit::Partial => PARTIAL_TOPIC,
            };
            topics.push((f, teach.clone(), learn.clone()));
        }
    }
    topics.sort_by_key(|t| std::cmp::Reverse(t.0));
    let is_guide = topics.is_empty();
    let mut reasons = Vec::new();
    let topic = if is_guide {
        let name = guide.filter(|_| c.in_community)?;
        points += GUIDE;
        reasons.push(format!(
            "a member of {name} with a free mentoring place; add what you want to learn to your profile for a closer match"
        ));
        name.to_owned()
    } else {
        for (f, teach, learn) in &topics {
            reasons.push(match f {
                Fit::Exact => format!("teaches {teach}, which you want to learn"),
                Fit::Partial => {
                    format!("teaches {teach}, close to {learn}, which you want to learn")
                }
            });
        }
        topics[0].2.clone()
    };
    let overlap = overlap_minutes(
        (seeker.time_zone, seeker.hours),
        (c.time_zone, c.hours),
        now,
    );
    let overlap_hours = (overlap / 60).min(OVERLAP_HOURS_COUNTED);
    points += overlap_hours * PER_OVERLAP_HOUR;
    reasons.push(if overlap > 0 {
        format!("{} of your working days overlap", hours_text(overlap))
    } else {
        "no working hours in common".to_owned()
    });
    let other_team = matches!((&seeker.team, &c.team), (Some(a), Some(b)) if a != b);
    if other_team {
        points += OTHER_TEAM;
        reasons.push("other team".to_owned());
    } else if seeker.team.is_some() && seeker.team == c.team {
        reasons.push("same team".to_owned());
    }
    if c.in_community && !is_guide {
        points += SAME_COMMUNITY;
        if let Some(name) = guide {
            reasons.push(format!("a member of {name}"));
        }
    }
    reasons.push(match c.free() {
        1 => "1 mentoring place free".to_owned(),
        n => format!("{n} mentoring places free"),
    });
    Some(Match {
        mentor: c.id,
        topic,
        topics: topics.into_iter().map(|(_, t, l)| (t, l)).collect(),
        overlap_minutes: overlap,
        other_team,
        in_community: c.in_community,
        guide: is_guide,
        free: c.free(),
        score: points,
        reasons,
    })
}

/// Checks a mentor capacity: 0 (not mentoring now) to [`MAX_CAPACITY`].
pub fn capacity(value: i64) -> Result<i64, Invalid> {
    if (0..=MAX_CAPACITY).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::new(
            "capacity",
            format!("must be between 0 (not mentoring now) and {MAX_CAPACITY}"),
        ))
    }
}

/// Checks a proposal's topic and note.
pub fn proposal_text(topic: &str, note: &str) -> Result<(String, String), Invalid> {
    let topic = crate::person::topic("topic", topic)?;
    Ok((topic, bounded_text("note", note, MAX_NOTE)?))
}

/// Where a mentorship stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for whoever did not propose.
    Proposed,
    /// One side said no.
    Declined,
    /// The proposer took it back before it was answered.
    Withdrawn,
    /// Both sides accepted: a mentoring pair.
    Active,
    /// Ended by either side.
    Ended,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Declined => "declined",
            Status::Withdrawn => "withdrawn",
            Status::Active => "active",
            Status::Ended => "ended",
        }
    }

    /// Still open: proposed or active.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Proposed | Status::Active)
    }
}

impl FromStr for Status {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        Ok(match s {
            "proposed" => Status::Proposed,
            "declined" => Status::Declined,
            "withdrawn" => Status::Withdrawn,
            "active" => Status::Active,
            "ended" => Status::Ended,
            _ => return Err(Invalid::new("status", "unknown mentorship status")),
        })
    }
}

/// Who proposed a mentorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proposer {
    /// The mentee asked the mentor.
    Mentee,
    /// The mentor offered.
    Mentor,
    /// A steward of the community matched them: both sides accept.
    Steward,
    /// Guildhall matched them (a newcomer's match): both sides accept.
    System,
}

impl Proposer {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Proposer::Mentee => "mentee",
            Proposer::Mentor => "mentor",
            Proposer::Steward => "steward",
            Proposer::System => "system",
        }
    }
}

impl FromStr for Proposer {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        Ok(match s {
            "mentee" => Proposer::Mentee,
            "mentor" => Proposer::Mentor,
            "steward" => Proposer::Steward,
            "system" => Proposer::System,
            _ => return Err(Invalid::new("proposer", "unknown proposer")),
        })
    }
}

/// One side of a mentorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The one who teaches.
    Mentor,
    /// The one who learns.
    Mentee,
}

/// A mentorship's answers so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    /// Who proposed.
    pub proposer: Proposer,
    /// The status.
    pub status: Status,
    /// Whether the mentor has accepted.
    pub mentor_accepted: bool,
    /// Whether the mentee has accepted.
    pub mentee_accepted: bool,
}

impl Answers {
    /// A new proposal: the proposing side has accepted by proposing.
    pub fn proposed(proposer: Proposer) -> Self {
        Answers {
            proposer,
            status: Status::Proposed,
            mentor_accepted: proposer == Proposer::Mentor,
            mentee_accepted: proposer == Proposer::Mentee,
        }
    }

    /// Whether `side` still has to answer.
    pub fn awaits(&self, side: Side) -> bool {
        self.status == Status::Proposed
            && match side {
                Side::Mentor => !self.mentor_accepted,
                Side::Mentee => !self.mentee_accepted,
            }
    }

    /// The answers after `side` accepts (`true`) or declines; a refusal
    /// names why. Accepting when the other side has accepted makes the
    /// pair active; the caller checks the mentor's capacity then.
    pub fn answer(self, side: Side, accept: bool) -> Result<Answers, Refusal> {
        if self.status != Status::Proposed {
            return Err(Refusal::NotOpen(self.status));
        }
        if !self.awaits(side) {
            return Err(Refusal::AlreadyAnswered);
        }
        if !accept {
            return Ok(Answers {
                status: Status::Declined,
                ..self
            });
        }
        let mut next = self;
        match side {
            Side::Mentor => next.mentor_accepted = true,
            Side::Mentee => next.mentee_accepted = true,
        }
        if next.mentor_accepted && next.mentee_accepted {
            next.status = Status::Active;
        }
        Ok(next)
    }

    /// The answers after the proposer takes the proposal back.
    pub fn withdraw(self) -> Result<Answers, Refusal> {
        if self.status != Status::Proposed {
            return Err(Refusal::NotOpen(self.status));
        }
        Ok(Answers {
            status: Status::Withdrawn,
            ..self
        })
    }

    /// The answers after either side ends an active pair.
    pub fn end(self) -> Result<Answers, Refusal> {
        if self.status != Status::Active {
            return Err(Refusal::NotActive(self.status));
        }
        Ok(Answers {
            status: Status::Ended,
            ..self
        })
    }
}

/// Why a move on a mentorship is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// It is no longer a proposal.
    #[error("this proposal is already {}", .0.as_str())]
    NotOpen(Status),
    /// This side has answered (or proposed) already.
    #[error("you have already accepted this proposal; the other side has to answer")]
    AlreadyAnswered,
    /// Only an active pair can end.
    #[error("only an active mentoring pair can end; this one is {}", .0.as_str())]
    NotActive(Status),
    /// The mentor has no free place.
    #[error("the mentor has no free mentoring place now")]
    Full,
}

#[cfg(test)]
mod tests {
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
}
