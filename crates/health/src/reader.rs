//! Reading the JSON Lines activity log into an [`ActivityLog`].
//!
//! Lines are scanned with borrowed strings (no allocation for a string that
//! has no escapes, see [`crate::scan`]) and interned at once. Each bad line yields a
//! [`LineError`] with its 1-based line number; the caller chooses whether to
//! skip it or to stop.

use std::borrow::Cow;
use std::io::BufRead;

use crate::event::{Kind, Response, ThreadType};
use crate::instant::{self, InstantError};
use crate::log::{ActivityLog, Fields};
use crate::scan::{scan_common, scan_line};

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

/// The string of a field if it was borrowed from the line (no escapes).
fn borrowed<'a>(field: &Option<Cow<'a, str>>) -> Result<Option<&'a str>, ()> {
    match field {
        None => Ok(None),
        Some(Cow::Borrowed(text)) => Ok(Some(text)),
        Some(Cow::Owned(_)) => Err(()),
    }
}

/// Parses one line into the log. Blank lines are not events (`Ok(false)`).
fn parse_line(text: &[u8], log: &mut ActivityLog) -> Result<bool, LineProblem> {
    parse_line_batched(text, log, None)
}

/// Parses one line. With a batch, an event whose strings all borrow from
/// `text` joins the batch (interned later, with the batch, by
/// [`ActivityLog::push_batch`]); any other event first flushes the batch
/// and then goes to the log, so events keep their line order.
fn parse_line_batched<'a>(
    text: &'a [u8],
    log: &mut ActivityLog,
    batch: Option<&mut Vec<Fields<'a>>>,
) -> Result<bool, LineProblem> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Ok(false);
    }
    let raw = match scan_common(text) {
        Some(raw) => raw,
        None => scan_line(text).map_err(LineProblem::Malformed)?,
    };
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
    if let Some(batch) = batch {
        let fields = (|| {
            Ok::<_, ()>(Fields {
                at,
                community: borrowed(&Some(community.clone()))?.ok_or(())?,
                actor: borrowed(&raw.actor)?,
                kind,
                subject: borrowed(&raw.subject)?,
                reply_to: borrowed(&raw.reply_to)?,
                team: borrowed(&raw.team)?,
                reply_to_team: borrowed(&raw.reply_to_team)?,
                thread_type,
                response,
                value,
                review_days,
            })
        })();
        if let Ok(fields) = fields {
            batch.push(fields);
            return Ok(true);
        }
        log.push_batch(batch);
        batch.clear();
    }
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

/// Events parsed before their strings are interned together: interning
/// one field of many events in a row lets the processor look up several
/// table slots at once instead of waiting on each cache miss in turn.
const BATCH: usize = 256;

/// One past the `\n` that ends the line starting at `from`, or the end of
/// `bytes`; eight bytes at a time.
fn line_end(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ (ONES * 0x0a);
        let found = w.wrapping_sub(ONES) & !w & HIGH;
        if found != 0 {
            // The lowest flagged byte is exact (borrows only run upwards).
            return at + (found.trailing_zeros() / 8) as usize + 1;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1)
}

/// Reads JSON Lines held in memory into `log`, with the same result, line
/// numbers and errors as [`read_into`] but without copying each line. Also
/// returns how many lines there were (a last line without `\n` counts).
pub fn read_slice(
    bytes: &[u8],
    log: &mut ActivityLog,
    strictness: Strictness,
    on_error: impl FnMut(&LineError),
) -> Result<(ReadSummary, u64), LineError> {
    let read = read_lines(bytes, log, strictness, on_error)?;
    log.sort();
    Ok(read)
}

/// [`read_slice`] without the final sort.
pub(crate) fn read_lines(
    bytes: &[u8],
    log: &mut ActivityLog,
    strictness: Strictness,
    mut on_error: impl FnMut(&LineError),
) -> Result<(ReadSummary, u64), LineError> {
    let mut summary = ReadSummary::default();
    // About 150 bytes a line in practice: a guess on the high side saves
    // regrowing (pages never written are never touched).
    log.reserve(bytes.len() / 120);
    let mut batch = Vec::with_capacity(BATCH);
    let mut line = 0u64;
    let mut from = 0;
    while from < bytes.len() {
        let to = line_end(bytes, from);
        line += 1;
        if batch.len() == BATCH {
            log.push_batch(&batch);
            batch.clear();
        }
        match parse_line_batched(&bytes[from..to], log, Some(&mut batch)) {
            Ok(true) => summary.events += 1,
            Ok(false) => {}
            Err(problem) => {
                let error = LineError { line, problem };
                on_error(&error);
                if strictness == Strictness::Strict {
                    return Err(error);
                }
                summary.skipped += 1;
            }
        }
        from = to;
    }
    log.push_batch(&batch);
    Ok((summary, line))
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
    fn reading_from_memory_is_reading_line_by_line() {
        let config = crate::synthetic::Config::scaled(3, 5_000);
        let mut bytes = Vec::new();
        crate::synthetic::write_jsonl(&config, &mut bytes).unwrap();
        // Escaped strings, offsets, blank and bad lines, a last line without `\n`.
        bytes.extend_from_slice(
            concat!(
                r#"{"at":"2020-01-01T00:00:00+01:00","community":"cop-000","actor":"m\u0031","kind":"joined"}"#,
                "\n\n{broken\n",
                r#"{"at":"2020-01-01T00:00:00Z","community":"cop-000","actor":"m1","kind":"joined"}"#
            )
            .as_bytes(),
        );
        let mut serial_errors = Vec::new();
        let (mut serial, serial_summary) = read_log(&bytes[..], Strictness::Skip, |e| {
            serial_errors.push(e.clone())
        })
        .unwrap();
        let mut log = ActivityLog::new();
        let mut errors = Vec::new();
        let (summary, lines) = read_slice(&bytes, &mut log, Strictness::Skip, |e| {
            errors.push(e.clone())
        })
        .unwrap();
        assert_eq!(errors, serial_errors);
        assert_eq!(
            lines,
            bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1
        );
        assert_eq!(summary.events, serial_summary.events);
        assert_eq!(log.records(), serial.records());
        assert_eq!(log.actors().len(), serial.actors().len());
        for id in 0..log.actors().len() as u32 {
            assert_eq!(log.actors().name(id), serial.actors().name(id));
        }
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
