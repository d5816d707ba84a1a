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
mod tests;
