//! Slack's "mrkdwn" as our Markdown: its bold, italic, strike and code,
//! links and mentions translated, everything else escaped.

use super::*;

/// Slack's message format ("mrkdwn") as Markdown: `*bold*`, `_italic_`,
/// `~strike~`, code spans and blocks, `<url|label>` links, and mentions of
/// people (`<@U123>`, named by `person`), channels and groups. Everything
/// else is escaped.
pub fn from_slack(text: &str, person: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("```")
            && let Some(end) = after.find("```")
        {
            out.push_str(&code_block(&decode_entities(&after[..end])));
            rest = &after[end + 3..];
            continue;
        }
        let next = rest.find("```").unwrap_or(rest.len());
        let next = if next == 0 { 3 } else { next };
        let (segment, tail) = rest.split_at(next.min(rest.len()));
        slack_segment(segment, person, &mut out);
        rest = tail;
    }
    out.trim().to_owned()
}

fn slack_segment(text: &str, person: &dyn Fn(&str) -> Option<String>, out: &mut String) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            if line.trim().is_empty() || out.ends_with('\n') {
                out.push('\n');
            } else {
                out.push_str("\\\n");
            }
        }
        let mut line_out = String::new();
        slack_line(line, person, &mut line_out);
        // Block starters at the beginning of a line are escaped.
        if line_out.starts_with(['-', '+', '=']) {
            out.push('\\');
        }
        out.push_str(&line_out);
    }
}

/// Whether a formatting marker at byte `i` of `line` may open (`open`) or
/// close emphasis, by Slack's rule of word boundaries.
fn boundary(line: &str, i: usize, open: bool) -> bool {
    let before = line[..i].chars().next_back();
    let after = line[i + 1..].chars().next();
    let edge = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    if open {
        edge(before) && after.is_some_and(|c| !c.is_whitespace())
    } else {
        before.is_some_and(|c| !c.is_whitespace()) && edge(after)
    }
}

fn slack_line(line: &str, person: &dyn Fn(&str) -> Option<String>, out: &mut String) {
    let mut i = 0;
    while i < line.len() {
        let c = line[i..].chars().next().unwrap_or(' ');
        match c {
            '`' => {
                if let Some(end) = line[i + 1..].find('`') {
                    out.push_str(&code_span(&decode_entities(&line[i + 1..i + 1 + end])));
                    i += end + 2;
                    continue;
                }
            }
            '<' => {
                if let Some(end) = line[i + 1..].find('>') {
                    out.push_str(&slack_token(&line[i + 1..i + 1 + end], person));
                    i += end + 2;
                    continue;
                }
            }
            '*' | '_' | '~' if boundary(line, i, true) => {
                let close = line[i + 1..]
                    .match_indices(c)
                    .map(|(j, _)| i + 1 + j)
                    .find(|&j| boundary(line, j, false));
                if let Some(j) = close {
                    let marker = match c {
                        '*' => "**",
                        '_' => "*",
                        _ => "~~",
                    };
                    out.push_str(marker);
                    slack_line(&line[i + 1..j], person, out);
                    out.push_str(marker);
                    i = j + 1;
                    continue;
                }
            }
            '&' => {
                // Slack escapes only &, < and >.
                for (entity, plain) in [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')] {
                    if line[i..].starts_with(entity) {
                        out.push('\\');
                        out.push(plain);
                        i += entity.len();
                        break;
                    }
                }
                if !out.ends_with(['&', '<', '>']) {
                    out.push_str("\\&");
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if ALWAYS.contains(&c) {
            out.push('\\');
        }
        out.push(c);
        i += c.len_utf8();
    }
}

/// One `<...>` token of Slack's format.
fn slack_token(token: &str, person: &dyn Fn(&str) -> Option<String>) -> String {
    let (target, label) = match token.split_once('|') {
        Some((t, l)) => (t, Some(decode_entities(l))),
        None => (token, None),
    };
    let mut out = String::new();
    if let Some(id) = target.strip_prefix('@') {
        let name = person(id).or(label).unwrap_or_else(|| id.to_owned());
        out.push('@');
        escape_inline(&name, &mut out);
    } else if let Some(id) = target.strip_prefix('#') {
        out.push('#');
        escape_inline(label.as_deref().unwrap_or(id), &mut out);
        out.insert(0, '\\');
    } else if let Some(special) = target.strip_prefix('!') {
        let word = label.unwrap_or_else(|| {
            special
                .split('^')
                .next()
                .unwrap_or(special)
                .replace("subteam", "group")
        });
        out.push('@');
        escape_inline(word.trim_start_matches('@'), &mut out);
    } else {
        let url = decode_entities(target);
        out = link(label.as_deref().unwrap_or(&url), &url);
    }
    out
}
