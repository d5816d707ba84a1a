//! One generated event with numeric ids, and how it is written as a JSON
//! line (by hand, for speed; ids never need escaping).

use std::io::Write;

use crate::event::{Kind, Response, ThreadType};
use crate::log::{ActivityLog, Fields};

/// A generated event. Subjects are a letter and a number (`t12`, `g3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthEvent {
    pub at: i64,
    pub community: u32,
    pub actor: Option<u32>,
    pub kind: Kind,
    pub subject: Option<(u8, u32)>,
    pub reply_to: Option<u32>,
    pub team: Option<u32>,
    pub reply_to_team: Option<u32>,
    pub thread_type: Option<ThreadType>,
    pub response: Option<Response>,
    pub value: Option<u8>,
    pub review_days: Option<u32>,
}

impl SynthEvent {
    pub(crate) fn new(at: i64, community: u32, kind: Kind) -> SynthEvent {
        SynthEvent {
            at,
            community,
            actor: None,
            kind,
            subject: None,
            reply_to: None,
            team: None,
            reply_to_team: None,
            thread_type: None,
            response: None,
            value: None,
            review_days: None,
        }
    }
}

fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Writes whole-second UTC instants as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn write_instant(out: &mut Vec<u8>, nanos: i64) {
    let seconds = nanos.div_euclid(crate::instant::SECOND);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, mo, d) = civil(days);
    let _ = write!(
        out,
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    );
}

fn thread_type_name(t: ThreadType) -> &'static str {
    match t {
        ThreadType::Discussion => "discussion",
        ThreadType::Question => "question",
        ThreadType::Announcement => "announcement",
        ThreadType::Story => "story",
        ThreadType::ShowAndTell => "show_and_tell",
    }
}

fn response_name(r: Response) -> &'static str {
    match r {
        Response::Yes => "yes",
        Response::No => "no",
        Response::Maybe => "maybe",
    }
}

/// Member, team and community names.
pub(crate) fn member(id: u32) -> String {
    format!("m{id:06}")
}

pub(crate) fn team(id: u32) -> String {
    format!("team-{id:03}")
}

impl SynthEvent {
    /// Appends the event as one JSON line (with its newline).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"at\":\"");
        write_instant(out, self.at);
        let _ = write!(out, "\",\"community\":\"cop-{:03}\"", self.community);
        if let Some(a) = self.actor {
            let _ = write!(out, ",\"actor\":\"m{a:06}\"");
        }
        let _ = write!(out, ",\"kind\":\"{}\"", self.kind.name());
        if let Some((letter, n)) = self.subject {
            let _ = write!(out, ",\"subject\":\"{}{n}\"", letter as char);
        }
        if let Some(a) = self.reply_to {
            let _ = write!(out, ",\"reply_to\":\"m{a:06}\"");
        }
        if let Some(t) = self.team {
            let _ = write!(out, ",\"team\":\"team-{t:03}\"");
        }
        if let Some(t) = self.reply_to_team {
            let _ = write!(out, ",\"reply_to_team\":\"team-{t:03}\"");
        }
        if let Some(t) = self.thread_type {
            let _ = write!(out, ",\"thread_type\":\"{}\"", thread_type_name(t));
        }
        if let Some(r) = self.response {
            let _ = write!(out, ",\"response\":\"{}\"", response_name(r));
        }
        if let Some(v) = self.value {
            let _ = write!(out, ",\"value\":{v}");
        }
        if let Some(d) = self.review_days {
            let _ = write!(out, ",\"review_days\":{d}");
        }
        out.extend_from_slice(b"}\n");
    }

    /// Adds the event to an in-memory log.
    pub fn push_into(&self, log: &mut ActivityLog) {
        let community = super::Config::community_name(self.community);
        let actor = self.actor.map(member);
        let subject = self.subject.map(|(l, n)| format!("{}{n}", l as char));
        let reply_to = self.reply_to.map(member);
        let team_name = self.team.map(team);
        let reply_to_team = self.reply_to_team.map(team);
        log.push_fields(&Fields {
            at: self.at,
            community: &community,
            actor: actor.as_deref(),
            kind: self.kind,
            subject: subject.as_deref(),
            reply_to: reply_to.as_deref(),
            team: team_name.as_deref(),
            reply_to_team: reply_to_team.as_deref(),
            thread_type: self.thread_type,
            response: self.response,
            value: self.value,
            review_days: self.review_days,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_as_rfc_3339() {
        for text in [
            "2024-02-29T23:59:59Z",
            "1999-12-31T00:00:00Z",
            "2026-01-05T12:30:07Z",
        ] {
            let mut out = Vec::new();
            write_instant(&mut out, crate::instant::parse(text).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), text);
        }
    }

    #[test]
    fn lines_are_json_events() {
        let mut e = SynthEvent::new(0, 7, Kind::Replied);
        e.actor = Some(12);
        e.subject = Some((b't', 3));
        e.reply_to = Some(5);
        e.team = Some(1);
        e.reply_to_team = Some(2);
        let mut out = Vec::new();
        e.write_json(&mut out);
        let parsed: crate::Event = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed.community, "cop-007");
        assert_eq!(parsed.actor.as_deref(), Some("m000012"));
        assert_eq!(parsed.subject.as_deref(), Some("t3"));
        assert_eq!(parsed.reply_to_team.as_deref(), Some("team-002"));
        assert!(out.ends_with(b"}\n"));
    }
}
