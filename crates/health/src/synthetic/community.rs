//! One generated community, week by week: its members come and go, open
//! threads and answer them, hold gatherings, write and review artifacts,
//! answer pulses, each in the manner of its shape.

use super::line::SynthEvent;
use super::{Config, Shape};
use crate::event::{Kind, Response, ThreadType};
use crate::instant::{DAY, SECOND, WEEK};

const HOUR: i64 = 3_600 * SECOND;

/// SplitMix64: small, fast, and the same on every platform.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform instant offset in [0, span).
    fn within(&mut self, span: i64) -> i64 {
        self.below(span.max(1) as u64) as i64 / SECOND * SECOND
    }
}

#[derive(Clone, Copy)]
struct Member {
    id: u32,
    team: u32,
    until: i64,
}

fn attributed(community: u32, at: i64, kind: Kind, who: Member) -> SynthEvent {
    let mut e = SynthEvent::new(at, community, kind);
    e.actor = Some(who.id);
    e.team = Some(who.team);
    e
}

struct Artifact {
    number: u32,
    review_days: u32,
    touched: i64,
}

/// Shape-specific knobs.
struct Manner {
    replies: u64,
    first_reply_hours: f64,
    gatherings: bool,
    show_rate: f64,
    review_chance: f64,
    pulse_low: u8,
    lifetime_weeks: f64,
}

fn manner(shape: Shape) -> Manner {
    let base = Manner {
        replies: 4,
        first_reply_hours: 12.0,
        gatherings: true,
        show_rate: 0.85,
        review_chance: 0.6,
        pulse_low: 4,
        lifetime_weeks: 30.0,
    };
    match shape {
        Shape::GhostTown => Manner {
            replies: 2,
            first_reply_hours: 60.0,
            review_chance: 0.01,
            pulse_low: 2,
            ..base
        },
        Shape::Declining => Manner {
            review_chance: 0.2,
            pulse_low: 3,
            ..base
        },
        Shape::Potential => Manner {
            replies: 2,
            gatherings: false,
            ..base
        },
        _ => base,
    }
}

pub(crate) struct Simulation {
    rng: Rng,
    id: u32,
    shape: Shape,
    manner: Manner,
    start: i64,
    end: i64,
    weekly_events: f64,
    base_active: f64,
    member_pool: u32,
    team_count: u32,
    home_team: u32,
    active: Vec<Member>,
    core: Vec<Member>,
    artifacts: Vec<Artifact>,
    counters: [u32; 5],
    weeks_seen: u32,
    debt: f64,
}

/// How busy the community is at `weeks_left` weeks before the end.
fn intensity(shape: Shape, weeks_left: f64) -> f64 {
    match shape {
        Shape::GhostTown if weeks_left > 30.0 => 1.0,
        Shape::GhostTown if weeks_left > 12.0 => 0.5f64.powf((30.0 - weeks_left) / 2.0),
        Shape::GhostTown => 0.0,
        Shape::Growing => 1.3f64.powf((26.0 - weeks_left) / 4.0),
        Shape::Declining if weeks_left > 16.0 => 1.0,
        Shape::Declining => 0.6f64.powf((16.0 - weeks_left) / 4.0),
        _ => 1.0,
    }
}

impl Simulation {
    pub(crate) fn new(
        config: &Config,
        id: u32,
        shape: Shape,
        org_start: i64,
        budget: f64,
    ) -> Simulation {
        let mut rng =
            Rng::new(config.seed ^ (u64::from(id) + 1).wrapping_mul(0xA076_1D64_78BD_642F));
        let start = match shape {
            Shape::Growing => config.end - 26 * WEEK,
            Shape::Potential => config.end - 12 * DAY,
            _ => org_start + rng.within(8 * WEEK),
        }
        .max(org_start);
        let mut weight = 0.0;
        let mut week = crate::instant::week_start(start);
        while week < config.end {
            weight += intensity(shape, (config.end - week) as f64 / WEEK as f64);
            week += WEEK;
        }
        let per_community = f64::from(config.members) / f64::from(config.communities.max(1));
        let team_count = (config.members / 100).max(8);
        Simulation {
            id,
            shape,
            manner: manner(shape),
            start,
            end: config.end,
            weekly_events: if weight > 0.0 { budget / weight } else { 0.0 },
            base_active: (per_community * 0.35).clamp(12.0, 400.0),
            member_pool: config.members.max(team_count * 4),
            team_count,
            home_team: rng.below(u64::from(team_count)) as u32,
            rng,
            active: Vec::new(),
            core: Vec::new(),
            artifacts: Vec::new(),
            counters: [0; 5],
            weeks_seen: 0,
            debt: 0.0,
        }
    }

    fn next_subject(&mut self, slot: usize, letter: u8) -> (u8, u32) {
        self.counters[slot] += 1;
        (letter, self.counters[slot])
    }

    fn recruit(&mut self, now: i64, out: &mut Vec<SynthEvent>) -> Member {
        let id = if self.shape == Shape::Insular {
            let k = self
                .rng
                .below(u64::from(self.member_pool / self.team_count)) as u32;
            k * self.team_count + self.home_team
        } else {
            self.rng.below(u64::from(self.member_pool)) as u32
        };
        let lifetime = self.manner.lifetime_weeks * (0.3 + 1.4 * self.rng.unit());
        let member = Member {
            id,
            team: id % self.team_count,
            until: now + (lifetime * WEEK as f64) as i64,
        };
        let mut joined = SynthEvent::new(now + self.rng.within(6 * HOUR), self.id, Kind::Joined);
        joined.actor = Some(id);
        joined.team = Some(member.team);
        out.push(joined);
        member
    }

    fn pick(&mut self) -> Member {
        if !self.core.is_empty()
            && (self.shape == Shape::FewVoices && self.rng.chance(0.8) || self.active.is_empty())
        {
            let i = self.rng.below(self.core.len() as u64) as usize;
            return self.core[i];
        }
        let i = self.rng.below(self.active.len() as u64) as usize;
        self.active[i]
    }

    /// Generates one week's events (some may fall in the next week).
    pub(crate) fn week(&mut self, week_start: i64, out: &mut Vec<SynthEvent>) {
        let from = week_start.max(self.start);
        let until = (week_start + WEEK).min(self.end);
        if from >= until {
            return;
        }
        let weeks_left = (self.end - week_start) as f64 / WEEK as f64;
        let level = intensity(self.shape, weeks_left);
        let before = out.len();
        self.weeks_seen += 1;
        self.staff(from, level, out);
        if self.shape == Shape::Potential {
            for _ in 0..2 {
                let at = from + self.rng.within(until - from);
                self.thread(at, out);
            }
            return;
        }
        if self.shape == Shape::GhostTown && level == 0.0 {
            // One lone voice keeps posting into the silence.
            if self.rng.chance(0.5) {
                let who = self.core[0];
                let at = from + self.rng.within(until - from);
                let mut e = attributed(self.id, at, Kind::ThreadOpened, who);
                e.subject = Some(self.next_subject(0, b't'));
                e.thread_type = Some(ThreadType::Question);
                out.push(e);
            }
            return;
        }
        if self.manner.gatherings && level > 0.2 && self.rng.chance(level) {
            self.gathering(from, until, out);
        }
        self.reviews(from, until, level.min(1.0), out);
        if self.weeks_seen.is_multiple_of(4) && self.active.len() >= 5 {
            self.pulse(from, until, out);
        }
        self.debt += self.weekly_events * level;
        let spent = (out.len() - before) as f64;
        self.debt -= spent;
        while self.debt > 0.0 {
            let n = out.len();
            let at = from + self.rng.within(until - from);
            let r = self.rng.unit();
            if r < 0.62 {
                self.thread(at, out);
            } else if r < 0.70 {
                self.create_artifact(at, out);
            } else if r < 0.84 && !self.artifacts.is_empty() {
                let i = self.rng.below(self.artifacts.len() as u64) as usize;
                let subject = (b'a', self.artifacts[i].number);
                let mut e = attributed(self.id, at, Kind::ArtifactReused, self.pick());
                e.subject = Some(subject);
                out.push(e);
            } else if r < 0.92 {
                let e = attributed(self.id, at, Kind::Kudos, self.pick());
                out.push(e);
            } else {
                let subject = self.next_subject(4, b'e');
                let mut e = attributed(self.id, at, Kind::ExperimentStarted, self.pick());
                e.subject = Some(subject);
                out.push(e);
                let mut e = attributed(
                    self.id,
                    at + 3 * DAY,
                    Kind::ExperimentConcluded,
                    self.pick(),
                );
                e.subject = Some(subject);
                out.push(e);
            }
            self.debt -= (out.len() - n) as f64;
        }
    }

    /// Members leave when their time is up; newcomers join to keep the
    /// community at the size its shape and activity call for.
    fn staff(&mut self, from: i64, level: f64, out: &mut Vec<SynthEvent>) {
        self.active.retain(|m| m.until > from);
        if self.core.is_empty() {
            for _ in 0..3 {
                let mut m = self.recruit(from, out);
                m.until = i64::MAX;
                self.core.push(m);
                self.active.push(m);
            }
            if self.shape == Shape::Potential {
                let m = self.recruit(from, out);
                self.active.push(m);
                return;
            }
        }
        if self.shape == Shape::Potential {
            return;
        }
        let target = match self.shape {
            Shape::Growing | Shape::Declining | Shape::GhostTown => {
                self.base_active * level.powf(0.7)
            }
            _ => self.base_active,
        };
        let missing = (target - self.active.len() as f64).max(0.0);
        let joins = missing.min(self.base_active / 6.0).round() as usize;
        for _ in 0..joins {
            let m = self.recruit(from, out);
            self.active.push(m);
        }
    }

    fn thread(&mut self, at: i64, out: &mut Vec<SynthEvent>) {
        let opener = self.pick();
        let subject = self.next_subject(0, b't');
        let roll = self.rng.below(20);
        let thread_type = match roll {
            0..=7 => ThreadType::Question,
            8..=14 => ThreadType::Discussion,
            15..=16 => ThreadType::Story,
            17..=18 => ThreadType::ShowAndTell,
            _ => ThreadType::Announcement,
        };
        let mut e = attributed(self.id, at, Kind::ThreadOpened, opener);
        e.subject = Some(subject);
        e.thread_type = Some(thread_type);
        out.push(e);
        let replies = self.rng.below(self.manner.replies + 1);
        let mut previous = opener;
        let mut when = at;
        let mut first_answer = None;
        for i in 0..replies {
            let mut who = self.pick();
            if who.id == opener.id {
                who = self.pick();
            }
            let hours = if i == 0 {
                self.manner.first_reply_hours
            } else {
                8.0
            };
            when += ((0.1 + 1.9 * self.rng.unit()) * hours * HOUR as f64) as i64 / SECOND * SECOND;
            let to = if self.rng.chance(0.6) {
                opener
            } else {
                previous
            };
            let mut r = attributed(self.id, when, Kind::Replied, who);
            r.subject = Some(subject);
            r.reply_to = Some(to.id);
            r.reply_to_team = Some(to.team);
            out.push(r);
            if who.id != opener.id && first_answer.is_none() {
                first_answer = Some(who);
            }
            previous = who;
        }
        if let (ThreadType::Question, Some(answerer)) = (thread_type, first_answer)
            && self.rng.chance(0.5)
        {
            let mut a = attributed(self.id, when + HOUR, Kind::AnswerAccepted, answerer);
            a.subject = Some(subject);
            out.push(a);
        }
    }

    fn create_artifact(&mut self, at: i64, out: &mut Vec<SynthEvent>) {
        let subject = self.next_subject(2, b'a');
        let review_days = [30, 60, 90, 180][self.rng.below(4) as usize];
        let mut e = attributed(self.id, at, Kind::ArtifactCreated, self.pick());
        e.subject = Some(subject);
        e.review_days = Some(review_days);
        out.push(e);
        self.artifacts.push(Artifact {
            number: subject.1,
            review_days,
            touched: at,
        });
    }

    fn reviews(&mut self, from: i64, until: i64, level: f64, out: &mut Vec<SynthEvent>) {
        for i in 0..self.artifacts.len() {
            let due = i64::from(self.artifacts[i].review_days) * DAY * 6 / 10;
            if from - self.artifacts[i].touched < due
                || !self.rng.chance(self.manner.review_chance * level)
            {
                continue;
            }
            let at = from + self.rng.within(until - from);
            let kind = if self.rng.chance(0.3) {
                Kind::ArtifactRevised
            } else {
                Kind::ArtifactReviewed
            };
            let mut e = attributed(self.id, at, kind, self.pick());
            e.subject = Some((b'a', self.artifacts[i].number));
            out.push(e);
            self.artifacts[i].touched = at;
        }
    }

    fn gathering(&mut self, from: i64, until: i64, out: &mut Vec<SynthEvent>) {
        let at = from + (until - from) / 2 / HOUR * HOUR;
        let subject = self.next_subject(1, b'g');
        let facilitator = if self.shape == Shape::FewVoices {
            self.core[0]
        } else {
            let i = self.rng.below(self.core.len() as u64) as usize;
            if self.rng.chance(0.5) {
                self.core[i]
            } else {
                self.pick()
            }
        };
        let mut held = SynthEvent::new(at, self.id, Kind::GatheringHeld);
        held.actor = Some(facilitator.id);
        held.subject = Some(subject);
        out.push(held);
        let invited = self.active.len().min(14);
        for _ in 0..invited {
            let who = self.pick();
            let roll = self.rng.unit();
            let response = if roll < 0.7 {
                Response::Yes
            } else if roll < 0.85 {
                Response::Maybe
            } else {
                Response::No
            };
            let mut r = SynthEvent::new(at - DAY, self.id, Kind::Rsvp);
            r.actor = Some(who.id);
            r.subject = Some(subject);
            r.response = Some(response);
            out.push(r);
            if response == Response::Yes && self.rng.chance(self.manner.show_rate) {
                let mut a = attributed(self.id, at + 5 * 60 * SECOND, Kind::Attended, who);
                a.subject = Some(subject);
                out.push(a);
            }
        }
    }

    fn pulse(&mut self, from: i64, until: i64, out: &mut Vec<SynthEvent>) {
        let subject = self.next_subject(3, b'p');
        let answers = self.active.len().min(9);
        for _ in 0..answers {
            let mut e = SynthEvent::new(
                from + self.rng.within(until - from),
                self.id,
                Kind::PulseAnswered,
            );
            e.subject = Some(subject);
            e.value = Some(self.manner.pulse_low + self.rng.below(2) as u8);
            out.push(e);
        }
    }
}
