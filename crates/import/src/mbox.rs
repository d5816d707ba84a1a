//! Mailing-list archives in mbox format: messages one after another, each
//! starting with a `From ` line after a blank line (lines of the body that
//! begin with `From ` are escaped as `>From `, which is undone). Each
//! message is parsed with mail-parser: MIME multipart (the first text part
//! is the body; attachments are listed by name), encoded headers (RFC 2047)
//! and transfer encodings decoded, HTML-only messages turned into text.
//!
//! Threads: a message replies to the first of its `In-Reply-To` and
//! `References` (newest first) that was imported; when none was and it
//! looks like a reply (it names a parent, or its subject starts with
//! `Re:`), to the thread that opened with the same normalised subject
//! (`Re:`, `Fwd:` and `[list]` prefixes dropped, case and spaces folded).
//! Otherwise it opens a thread titled with its subject. Quoted text is kept
//! as quotes, and the trailing quote of the message replied to (with its
//! "On ... wrote:" line, or after "-----Original Message-----") is folded
//! into a collapsed block. People are known by their address.
//!
//! Memory: one message at a time (a message over [`MAX_MESSAGE`] bytes is
//! skipped without being held), plus the addresses of people already
//! handed on.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use domain::imported::{ImportedPerson, ImportedPost, Opening, fit_name, fit_title};
use domain::thread::ThreadType;
use mail_parser::{MessageParser, MimeHeaders};

use crate::{Item, Position, ReadError, Reason, Sink, Skip, markup};

/// The largest message read; larger ones are skipped and reported.
pub const MAX_MESSAGE: usize = 32 * 1024 * 1024;

/// Options of an archive's reading.
#[derive(Debug, Clone)]
pub struct Options {
    /// What names the list in keys (the community's slug): keys are
    /// `mail:{list}:{message-id}`.
    pub list: String,
}

/// A subject without reply and forward prefixes or list tags, lower-cased,
/// spaces folded: how messages of one thread are recognised without
/// references.
pub fn normalise_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let before = s;
        if s.starts_with('[')
            && let Some(end) = s.find(']')
        {
            s = s[end + 1..].trim_start();
        }
        let lower = s.to_lowercase();
        for prefix in ["re:", "re :", "aw:", "sv:", "fwd:", "fw:", "tr:", "wg:"] {
            if lower.starts_with(prefix) {
                s = s[prefix.len()..].trim_start();
                break;
            }
        }
        // "Re[2]:" and "Re^2:"
        if (lower.starts_with("re[") || lower.starts_with("re^"))
            && let Some(colon) = s.find(':')
        {
            s = s[colon + 1..].trim_start();
        }
        if s == before {
            break;
        }
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a subject says it is a reply.
fn says_reply(subject: &str) -> bool {
    let s = subject.trim_start();
    let s = match s.strip_prefix('[') {
        Some(rest) => rest
            .split_once(']')
            .map(|(_, r)| r.trim_start())
            .unwrap_or(s),
        None => s,
    };
    let lower = s.to_lowercase();
    ["re:", "re :", "aw:", "sv:", "re[", "re^"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The subject as a title: list tags dropped, the rest kept as written.
fn title_of(subject: &str) -> String {
    let mut s = subject.trim();
    while s.starts_with('[') {
        match s.find(']') {
            Some(end) => s = s[end + 1..].trim_start(),
            None => break,
        }
    }
    s.to_owned()
}

/// A message's body as Markdown: its own words escaped, quotes as quotes,
/// the trailing quote of the message it answers folded away.
pub fn fold_quotes(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let quoted = |l: &str| l.trim_start().starts_with('>');
    // Where the trailing quote starts, if the message ends with one.
    let mut tail = lines.len();
    if let Some(marker) = lines.iter().position(|l| {
        let t = l.trim().to_lowercase();
        t.starts_with("-----original message-----") || t.starts_with("-------- original message")
    }) {
        tail = marker;
    } else {
        let mut i = lines.len();
        while i > 0 && lines[i - 1].trim().is_empty() {
            i -= 1;
        }
        if i > 0 && quoted(lines[i - 1]) {
            while i > 0 && (quoted(lines[i - 1]) || lines[i - 1].trim().is_empty()) {
                i -= 1;
            }
            let mut start = i;
            // The attribution line ("On Monday, Ada wrote:"), perhaps wrapped.
            for back in 1..=2 {
                if i >= back {
                    let l = lines[i - back].trim().to_lowercase();
                    if l.ends_with("wrote:")
                        || l.ends_with("schrieb:")
                        || l.ends_with("écrit :")
                        || l.ends_with("escribió:")
                    {
                        start = i - back;
                        break;
                    }
                }
            }
            tail = start;
        }
    }
    let mut out = render_lines(&lines[..tail]);
    let rest = &lines[tail..];
    if rest.iter().any(|l| !l.trim().is_empty()) {
        let folded = render_lines(rest);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str("<details><summary>Quoted text</summary>\n\n");
        out.push_str(&folded);
        out.push_str("\n\n</details>");
    }
    out
}

/// Lines as Markdown: quoted runs become block quotes (nested by depth),
/// the rest is escaped text.
fn render_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut plain: Vec<&str> = Vec::new();
    let flush = |plain: &mut Vec<&str>, out: &mut String| {
        if plain.iter().any(|l| !l.trim().is_empty()) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&markup::escape_text(plain.join("\n").trim_matches('\n')));
        }
        plain.clear();
    };
    let mut quote: Vec<(usize, String)> = Vec::new();
    let flush_quote = |quote: &mut Vec<(usize, String)>, out: &mut String| {
        if quote.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut prev = 0;
        for (i, (depth, line)) in quote.iter().enumerate() {
            if i > 0 {
                // Keep line breaks inside the quote; a depth change needs a blank quoted line.
                if *depth != prev {
                    out.push('\n');
                    out.push_str(&"> ".repeat(prev.min(*depth)));
                    out.push('\n');
                } else {
                    out.push_str("\\\n");
                }
            }
            out.push_str(&"> ".repeat(*depth));
            out.push_str(&markup::escape_text(line));
            prev = *depth;
        }
        quote.clear();
    };
    for line in lines {
        let t = line.trim_start();
        if t.starts_with('>') {
            flush(&mut plain, &mut out);
            let depth = t
                .chars()
                .take_while(|c| *c == '>' || *c == ' ')
                .filter(|c| *c == '>')
                .count();
            let content = t.trim_start_matches(['>', ' ']);
            quote.push((depth, content.to_owned()));
        } else {
            flush_quote(&mut quote, &mut out);
            plain.push(line);
        }
    }
    flush(&mut plain, &mut out);
    flush_quote(&mut quote, &mut out);
    out
}

/// The date of a `From ` line (`From ada@x.org Mon Mar  4 10:00:00 2024`).
fn from_line_date(line: &str) -> Option<DateTime<Utc>> {
    let rest = line.strip_prefix("From ")?.trim();
    let (_, date) = rest.split_once(char::is_whitespace)?;
    let date = date.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&date, "%a %b %d %H:%M:%S %Y")
        .ok()
        .map(|t| t.and_utc())
}

/// Whether an address belongs to a system account rather than a person.
fn system_address(email: &str) -> bool {
    let local = email.split('@').next().unwrap_or_default();
    matches!(
        local,
        "mailer-daemon"
            | "postmaster"
            | "noreply"
            | "no-reply"
            | "do-not-reply"
            | "donotreply"
            | "bounces"
    ) || local.ends_with("-bounces")
        || local.ends_with("-owner")
}

/// Reads each archive in `files` into `sink`, in the order given.
pub fn read(files: &[&Path], options: &Options, sink: &mut dyn Sink) -> Result<(), ReadError> {
    let mut reader = Reader {
        list: options.list.clone(),
        emitted: HashSet::new(),
        parser: MessageParser::default(),
    };
    for path in files {
        let file = File::open(path).map_err(ReadError::io(*path))?;
        if reader
            .file(
                BufReader::with_capacity(64 * 1024, file),
                &path.display().to_string(),
                sink,
            )?
            .is_break()
        {
            break;
        }
    }
    Ok(())
}

struct Reader {
    list: String,
    emitted: HashSet<String>,
    parser: MessageParser,
}

/// One message as cut from the archive.
struct Raw {
    from_line: String,
    bytes: Vec<u8>,
    too_big: bool,
    at: Position,
}

impl Reader {
    fn file(
        &mut self,
        mut input: impl BufRead,
        label: &str,
        sink: &mut dyn Sink,
    ) -> Result<ControlFlow<()>, ReadError> {
        let mut line = Vec::new();
        let mut number: u64 = 0;
        let mut record: u64 = 0;
        let mut current: Option<Raw> = None;
        let mut previous_blank = true;
        let mut leading_junk = false;
        loop {
            line.clear();
            let n = input
                .read_until(b'\n', &mut line)
                .map_err(ReadError::io(label))?;
            if n == 0 {
                break;
            }
            number += 1;
            if line.starts_with(b"From ") && previous_blank {
                if let Some(raw) = current.take()
                    && self.message(raw, sink)?.is_break()
                {
                    return Ok(ControlFlow::Break(()));
                }
                record += 1;
                current = Some(Raw {
                    from_line: String::from_utf8_lossy(&line).trim_end().to_owned(),
                    bytes: Vec::new(),
                    too_big: false,
                    at: Position::record(label, record).at_line(number),
                });
                previous_blank = false;
                continue;
            }
            previous_blank = line.iter().all(|b| b.is_ascii_whitespace());
            match &mut current {
                Some(raw) => {
                    if raw.too_big {
                        continue;
                    }
                    // Undo the ">From " escaping (mboxrd: one level).
                    let body = if line.starts_with(b">")
                        && line
                            .iter()
                            .skip_while(|b| **b == b'>')
                            .take(5)
                            .eq(b"From ".iter())
                    {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    if raw.bytes.len() + body.len() > MAX_MESSAGE {
                        raw.too_big = true;
                        raw.bytes = Vec::new();
                    } else {
                        raw.bytes.extend_from_slice(body);
                    }
                }
                None => {
                    if !previous_blank && !leading_junk {
                        leading_junk = true;
                        let flow = sink.item(Item::Skipped(Skip {
                            reason: Reason::Malformed,
                            at: Position::file(label).at_line(number),
                            detail: "text before the first \"From \" line (is this an mbox file?)"
                                .into(),
                        }));
                        if flow.is_break() {
                            return Ok(flow);
                        }
                    }
                }
            }
        }
        if let Some(raw) = current.take() {
            return self.message(raw, sink);
        }
        Ok(ControlFlow::Continue(()))
    }

    fn skip(
        sink: &mut dyn Sink,
        reason: Reason,
        at: Position,
        detail: impl Into<String>,
    ) -> Result<ControlFlow<()>, ReadError> {
        Ok(sink.item(Item::Skipped(Skip {
            reason,
            at,
            detail: detail.into(),
        })))
    }

    fn key(&self, id: &str) -> String {
        format!(
            "mail:{}:{}",
            self.list,
            id.trim().trim_start_matches('<').trim_end_matches('>')
        )
    }

    fn message(&mut self, raw: Raw, sink: &mut dyn Sink) -> Result<ControlFlow<()>, ReadError> {
        if raw.too_big {
            return Self::skip(
                sink,
                Reason::Malformed,
                raw.at,
                format!("a message over {} MiB", MAX_MESSAGE / (1024 * 1024)),
            );
        }
        if raw.bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Self::skip(sink, Reason::Malformed, raw.at, "an empty message");
        }
        let Some(message) = self.parser.parse(&raw.bytes) else {
            return Self::skip(
                sink,
                Reason::Malformed,
                raw.at,
                "a message that cannot be parsed",
            );
        };
        if message.headers().is_empty()
            || (message.from().is_none()
                && message.subject().is_none()
                && message.message_id().is_none())
        {
            return Self::skip(sink, Reason::Malformed, raw.at, "a message without headers");
        }
        let sender = message.from().and_then(|a| a.first());
        // Archives often write "ada at example.org (Ada)", which is no address
        // to a parser: read it from the raw header.
        let address = sender
            .and_then(|a| a.address())
            .map(str::to_owned)
            .filter(|a| a.contains('@'))
            .or_else(|| {
                let raw = message.header_raw("From")?;
                let without_comment = raw.split('(').next().unwrap_or(raw);
                Some(without_comment.trim().replacen(" at ", "@", 1))
            });
        let Some(email) = address.as_deref().and_then(crate::usable_email) else {
            return Self::skip(
                sink,
                Reason::UnknownUser,
                raw.at,
                format!(
                    "a message without a usable sender address ({:?})",
                    address.unwrap_or_default()
                ),
            );
        };
        let Some(at) = message
            .date()
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
            .or_else(|| from_line_date(&raw.from_line))
        else {
            return Self::skip(
                sink,
                Reason::Malformed,
                raw.at,
                "a message without a readable date",
            );
        };
        let person = format!("mail:{email}");
        if !self.emitted.contains(&email) {
            self.emitted.insert(email.clone());
            let raw_name = message.header_raw("From").and_then(|r| {
                r.split_once('(')
                    .map(|(_, n)| n.trim_end().trim_end_matches(')').to_owned())
            });
            let name = sender
                .and_then(|s| s.name())
                .filter(|n| !n.contains(" at "))
                .map(str::to_owned)
                .or(raw_name)
                .unwrap_or_default();
            let local = email.split('@').next().unwrap_or("someone").to_owned();
            let flow = sink.item(Item::Person(ImportedPerson {
                key: person.clone(),
                bot: system_address(&email),
                email: Some(email.clone()),
                name: fit_name(name.trim().trim_matches('"'), &local),
                team: None,
            }));
            if flow.is_break() {
                return Ok(flow);
            }
        }
        let id = match message.message_id() {
            Some(id) if !id.trim().is_empty() => id.to_owned(),
            _ => format!("sha256:{}", crate::digest(&raw.bytes)),
        };
        let subject = message.subject().unwrap_or("").to_owned();
        let mut parents: Vec<String> = Vec::new();
        let mut names_parent = false;
        for header in [message.in_reply_to(), message.references()] {
            if let Some(list) = header.as_text_list() {
                for r in list.iter().rev() {
                    names_parent = true;
                    let key = self.key(r);
                    if !parents.contains(&key) {
                        parents.push(key);
                    }
                }
            }
        }
        let normalised = normalise_subject(&subject);
        let alias =
            (!normalised.is_empty()).then(|| format!("mail:{}:subject:{normalised}", self.list));
        if (names_parent || says_reply(&subject))
            && let Some(a) = &alias
        {
            parents.push(a.clone());
        }
        let mut text = message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default();
        if text.trim().is_empty()
            && let Some(html) = message.body_html(0)
        {
            text = markup::from_html(&html);
        }
        let mut body = fold_quotes(&text.replace("\r\n", "\n"));
        let attachments: Vec<String> = message
            .attachments()
            .map(|a| {
                let name = a.attachment_name().unwrap_or("unnamed");
                format!(
                    "📎 {} ({} bytes, not imported)",
                    markup::escape_text(name),
                    a.len()
                )
            })
            .collect();
        if !attachments.is_empty() {
            body.push_str("\n\n");
            body.push_str(&attachments.join("\\\n"));
        }
        let post = ImportedPost {
            key: self.key(&id),
            author: Some(person),
            at,
            edited_at: None,
            body,
            parents,
            opens: Some(Opening {
                title: fit_title(&title_of(&subject), "(no subject)"),
                thread_type: ThreadType::Discussion,
                tags: Vec::new(),
            }),
            aliases: alias.into_iter().collect(),
        };
        Ok(sink.item(Item::Post(post)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_normalise() {
        assert_eq!(
            normalise_subject("Re: [rust-users] RE:  Fwd: Hello   World"),
            "hello world"
        );
        assert_eq!(normalise_subject("AW: Re[2]: Test"), "test");
        assert!(says_reply("[list] Re: x"));
        assert!(!says_reply("Regarding x"));
        assert_eq!(title_of("[rust-users] Borrowing"), "Borrowing");
    }

    #[test]
    fn trailing_quotes_fold() {
        let md =
            fold_quotes("I agree.\n> inline\nMore.\n\nOn Mon, Ada wrote:\n> old text\n>> older\n");
        assert!(md.starts_with("I agree.\n\n> inline\n\nMore."), "{md}");
        assert!(
            md.contains("<details><summary>Quoted text</summary>"),
            "{md}"
        );
        assert!(md.contains("> old text"), "{md}");
        let outlook = fold_quotes("Yes.\n-----Original Message-----\nFrom: x\nold");
        assert!(outlook.starts_with("Yes.\n\n<details>"), "{outlook}");
        assert_eq!(fold_quotes("plain *text*"), "plain \\*text\\*");
    }

    #[test]
    fn from_lines_have_dates() {
        let t = from_line_date("From ada@x.org  Mon Mar  4 10:00:00 2024").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-04T10:00:00+00:00");
        assert!(system_address("mailer-daemon@x.org") && !system_address("ada@x.org"));
    }
}
