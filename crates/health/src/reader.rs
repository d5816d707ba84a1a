//! Reading the JSON Lines activity log into an [`ActivityLog`].
//!
//! Lines are scanned with borrowed strings (no allocation for a string that
//! has no escapes, see [`crate::scan`]) and interned at once. Each bad line yields a
//! [`LineError`] with its 1-based line number; the caller chooses whether to
//! skip it or to stop.

use std::io::BufRead;

use crate::event::{Kind, Response, ThreadType};
use crate::instant::{self, InstantError};
use crate::log::{ActivityLog, Fields};
use crate::scan::scan_line;

/// What to do with a bad line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Report it and go on with the next line.
    Skip,
    /// Stop at the first bad line.
    Strict,
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    #[error("malformed JSON: {0}")]
    Malformed(String),
    #[error("unknown kind {0:?}")]
    UnknownKind(String),
    #[error("bad instant: {0}")]
    BadInstant(#[from] InstantError),
    #[error("missing required field `{0}`")]
    Missing(&'static str),
    #[error("bad value for `{field}`: {value}")]
    BadValue { field: &'static str, value: String },
}

/// A bad line and where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LineError {
    /// 1-based line number.
    pub line: u64,
    pub problem: LineProblem,
}

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("reading the log: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Line(#[from] LineError),
}

/// What was read.
#[derive(Debug, Default)]
pub struct ReadSummary {
    /// Lines that held an event.
    pub events: u64,
    /// Bad lines that were skipped.
    pub skipped: u64,
}

fn bad(field: &'static str, value: impl ToString) -> LineProblem {
    LineProblem::BadValue {
        field,
        value: value.to_string(),
    }
}

/// Parses one line into the log. Blank lines are not events (`Ok(false)`).
fn parse_line(text: &[u8], log: &mut ActivityLog) -> Result<bool, LineProblem> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(false);
    }
    let raw = scan_line(text).map_err(LineProblem::Malformed)?;
    let kind_name = raw.kind.ok_or(LineProblem::Missing("kind"))?;
    let kind = Kind::from_name(&kind_name)
        .ok_or_else(|| LineProblem::UnknownKind(kind_name.to_string()))?;
    let at = instant::parse(&raw.at.ok_or(LineProblem::Missing("at"))?)?;
    let community = raw.community.ok_or(LineProblem::Missing("community"))?;
    if kind.needs_subject() && raw.subject.is_none() {
        return Err(LineProblem::Missing("subject"));
    }
    let thread_type = match raw.thread_type.as_deref() {
        None => None,
        Some(name) => Some(ThreadType::from_name(name).ok_or_else(|| bad("thread_type", name))?),
    };
    let response = match raw.response.as_deref() {
        None => None,
        Some(name) => Some(Response::from_name(name).ok_or_else(|| bad("response", name))?),
    };
    if kind == Kind::Rsvp && response.is_none() {
        return Err(LineProblem::Missing("response"));
    }
    let value = match raw.value {
        None => None,
        Some(v @ 1..=5) => Some(v as u8),
        Some(v) => return Err(bad("value", v)),
    };
    if kind == Kind::PulseAnswered && value.is_none() {
        return Err(LineProblem::Missing("value"));
    }
    let review_days = match raw.review_days {
        None => None,
        Some(d) => Some(
            u32::try_from(d)
                .ok()
                .filter(|&d| d != u32::MAX)
                .ok_or_else(|| bad("review_days", d))?,
        ),
    };
    log.push_fields(&Fields {
        at,
        community: &community,
        actor: raw.actor.as_deref(),
        kind,
        subject: raw.subject.as_deref(),
        reply_to: raw.reply_to.as_deref(),
        team: raw.team.as_deref(),
        reply_to_team: raw.reply_to_team.as_deref(),
        thread_type,
        response,
        value,
        review_days,
    });
    Ok(true)
}

/// Reads a JSON Lines log into `log`. Every bad line is passed to
/// `on_error`; with [`Strictness::Strict`] the first one also stops the read.
/// The log is left sorted by time.
pub fn read_into(
    mut input: impl BufRead,
    log: &mut ActivityLog,
    strictness: Strictness,
    mut on_error: impl FnMut(&LineError),
) -> Result<ReadSummary, ReadError> {
    let mut summary = ReadSummary::default();
    let mut buffer = Vec::with_capacity(512);
    let mut line = 0u64;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        line += 1;
        match parse_line(&buffer, log) {
            Ok(true) => summary.events += 1,
            Ok(false) => {}
            Err(problem) => {
                let error = LineError { line, problem };
                on_error(&error);
                if strictness == Strictness::Strict {
                    return Err(error.into());
                }
                summary.skipped += 1;
            }
        }
    }
    log.sort();
    Ok(summary)
}

/// Reads a whole JSON Lines log; see [`read_into`].
pub fn read_log(
    input: impl BufRead,
    strictness: Strictness,
    on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    let mut log = ActivityLog::new();
    let summary = read_into(input, &mut log, strictness, on_error)?;
    Ok((log, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<LineError> {
        let mut seen = Vec::new();
        let (log, summary) = read_log(text.as_bytes(), Strictness::Skip, |e| seen.push(e.clone()))
            .expect("skip mode never stops on a line");
        assert_eq!(summary.events as usize, log.len());
        assert_eq!(summary.skipped as usize, seen.len());
        seen
    }

    #[test]
    fn reads_good_lines_and_blank_lines() {
        let text = concat!(
            r#"{"at":"2024-01-01T10:00:00+02:00","community":"rust","actor":"ann","kind":"thread_opened","subject":"t1","thread_type":"question","team":"core"}"#,
            "\n\n",
            r#"{"at":"2024-01-01T09:00:00Z","community":"rust","actor":null,"kind":"replied","subject":"t\u0031","extra":1}"#,
            "\r\n"
        );
        assert!(problems(text).is_empty());
        let (mut log, _) = read_log(text.as_bytes(), Strictness::Strict, |_| {}).unwrap();
        let records = log.records().to_vec();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].at, records[1].at - 3_600 * instant::SECOND);
        assert_eq!(
            records[0].subject, records[1].subject,
            "escaped subject is the same"
        );
        assert!(!records[1].attributed());
    }

    #[test]
    fn each_problem_carries_its_line_number() {
        let text = [
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"joined","actor":"a"}"#,
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"joined""#,
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"liked"}"#,
            r#"{"at":"2024-01-01","community":"c","kind":"joined"}"#,
            r#"{"at":"2024-01-01T00:00:00Z","kind":"joined"}"#,
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"pulse_answered","subject":"p","value":7}"#,
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"replied"}"#,
            r#"{"at":"2024-01-01T00:00:00Z","community":"c","kind":"rsvp","subject":"g"}"#,
        ]
        .join("\n");
        let found = problems(&text);
        let lines: Vec<u64> = found.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8]);
        assert!(matches!(found[0].problem, LineProblem::Malformed(_)));
        assert_eq!(found[1].problem, LineProblem::UnknownKind("liked".into()));
        assert!(matches!(found[2].problem, LineProblem::BadInstant(_)));
        assert_eq!(found[3].problem, LineProblem::Missing("community"));
        assert!(matches!(
            found[4].problem,
            LineProblem::BadValue { field: "value", .. }
        ));
        assert_eq!(found[5].problem, LineProblem::Missing("subject"));
        assert_eq!(found[6].problem, LineProblem::Missing("response"));
        assert!(found[0].to_string().starts_with("line 2: malformed JSON"));
    }

    #[test]
    fn strict_stops_at_the_first_bad_line() {
        let text = "{\"at\":\"x\"}\n{}\n";
        let mut seen = 0;
        let result = read_log(text.as_bytes(), Strictness::Strict, |_| seen += 1);
        match result {
            Err(ReadError::Line(e)) => assert_eq!(e.line, 1),
            other => panic!("expected a line error, got {other:?}"),
        }
        assert_eq!(seen, 1);
    }
}
