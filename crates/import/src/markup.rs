//! Other systems' text as our Markdown. Plain text (mail) and Slack's
//! "mrkdwn" are escaped so that nothing in them is read as Markdown or HTML
//! by accident; Stack Exchange's HTML bodies are converted to Markdown with
//! no HTML left in it (tags we know become their Markdown, every other tag is
//! dropped and its text kept, scripts and styles dropped whole). So a stored
//! body never carries markup of its own, its words reach the search index,
//! and the web layer's sanitiser is a second line of defence, not the first.

use std::fmt::Write as _;

/// Characters escaped wherever they appear in text.
const ALWAYS: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '!', '&',
];

/// Escapes `text` (one line or many) so Markdown shows it as written.
/// Line breaks are kept as hard breaks.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            // A backslash before the newline is a hard line break; a blank
            // line stays a paragraph break.
            if out.ends_with('\n') || line.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str("\\\n");
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        escape_line(line.trim_end(), &mut out);
    }
    out
}

/// Escapes one line, including what would start a block at its beginning.
fn escape_line(line: &str, out: &mut String) {
    let body = line.trim_start();
    let indent = line.len() - body.len();
    // Leading spaces would make an indented code block: keep at most one.
    if indent > 0 {
        out.push(' ');
    }
    let mut chars = body.char_indices().peekable();
    // Block starters: list bullets, ordered lists, headings' underlines.
    if let Some(&(_, first)) = chars.peek()
        && matches!(first, '-' | '+' | '=')
    {
        out.push('\\');
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in chars {
        if ALWAYS.contains(&c) || (i == digits && digits > 0 && matches!(c, '.' | ')')) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Escapes `text` inside a line (no block starters to worry about).
fn escape_inline(text: &str, out: &mut String) {
    for c in text.chars() {
        if ALWAYS.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A code span for `code`, with a fence longer than any run of backticks in it.
fn code_span(code: &str) -> String {
    let code = code.replace('\n', " ");
    let fence = "`".repeat(longest_run(&code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// A fenced code block for `code`.
fn code_block(code: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
    let code = code.trim_matches('\n');
    format!("\n\n{fence}\n{code}\n{fence}\n\n")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// A link destination we keep: web and mail addresses and paths, with
/// nothing that could end the link early.
fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let allowed = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || (url.starts_with('/') && !url.starts_with("//"));
    if !allowed || url.is_empty() {
        return None;
    }
    Some(
        url.chars()
            .filter(|c| !c.is_control())
            .map(|c| match c {
                ' ' => "%20".to_owned(),
                '<' => "%3C".to_owned(),
                '>' => "%3E".to_owned(),
                '(' => "%28".to_owned(),
                ')' => "%29".to_owned(),
                other => other.to_string(),
            })
            .collect(),
    )
}

/// A Markdown link, or just the label when the address is not one we keep.
pub fn link(label: &str, url: &str) -> String {
    let mut text = String::new();
    escape_inline(label.trim(), &mut text);
    match safe_url(url) {
        Some(url) if text.is_empty() => format!("<{url}>"),
        Some(url) => format!("[{text}]({url})"),
        None => text,
    }
}

/// Decodes HTML character references (`&amp;`, `&#39;`, `&#x27;`, and the
/// common named ones); unknown ones are left as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(';')
            .map(|e| e + 1)
            .filter(|&e| e <= 10 && e > 1);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "rdquo" => Some('”'),
                "ldquo" => Some('“'),
                "copy" => Some('©'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| *c != '\0')
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

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

/// HTML (Stack Exchange's post bodies) as Markdown without any HTML.
pub fn from_html(html: &str) -> String {
    let mut w = HtmlWriter::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => match parse_tag(rest) {
                Some((tag, len)) => {
                    w.tag(&tag, &rest[len..]);
                    rest = &rest[len..];
                    if let Some(skip) = w.skip_until.take() {
                        let close = format!("</{skip}");
                        let at = find_ci(rest, &close).unwrap_or(rest.len());
                        if w.raw.is_some() {
                            w.raw_text(&rest[..at]);
                        }
                        rest = &rest[at..];
                    }
                }
                None => {
                    w.text("<");
                    rest = &rest[1..];
                }
            },
            Some(at) => {
                w.text(&rest[..at]);
                rest = &rest[at..];
            }
            None => {
                w.text(rest);
                rest = "";
            }
        }
    }
    w.finish()
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let hay_l = hay.to_ascii_lowercase();
    hay_l.find(&needle.to_ascii_lowercase())
}

/// A parsed tag: its lower-cased name, whether it closes, its attributes.
#[derive(Debug, Default)]
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the tag at the start of `s`, returning it and its length.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let bytes = s.as_bytes();
    if s.starts_with("<!--") {
        let end = s.find("-->").map(|e| e + 3).unwrap_or(s.len());
        return Some((Tag::default(), end));
    }
    let mut i = 1;
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric()) {
        i += 1;
    }
    if i == start {
        return (bytes.get(1) == Some(&b'!')).then(|| {
            let end = s.find('>').map(|e| e + 1).unwrap_or(s.len());
            (Tag::default(), end)
        });
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            return Some((
                Tag {
                    name,
                    closing,
                    attrs,
                },
                i + 1,
            ));
        }
        let a = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'/') {
            i += 1;
        }
        let attr = s[a..i].to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = s[i + 1..].find(q as char)? + i + 1;
                    value = decode_entities(&s[i + 1..end]);
                    i = end + 1;
                }
                _ => {
                    let v = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&s[v..i]);
                }
            }
        }
        attrs.push((attr, value));
    }
}

/// Builds Markdown from HTML events.
#[derive(Default)]
struct HtmlWriter {
    out: String,
    /// Prefixes of the open blocks (quotes, list items).
    prefix: Vec<&'static str>,
    /// Open lists: ordered, with their next number.
    lists: Vec<Option<u64>>,
    /// Raw text being collected for `pre` or `code`.
    raw: Option<String>,
    /// Element whose content is taken raw (or dropped) up to its end.
    skip_until: Option<&'static str>,
    /// Open link: its address.
    links: Vec<Option<String>>,
    /// Text of the open link.
    link_text: Option<String>,
}

impl HtmlWriter {
    fn prefix(&self) -> String {
        self.prefix.concat()
    }

    fn newline(&mut self) {
        let p = self.prefix();
        self.out.push('\n');
        self.out.push_str(&p);
    }

    fn blank_line(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '>']).len();
        if self.out.is_empty() || self.out[..trimmed].ends_with("\n\n") {
            return;
        }
        let p = self.prefix();
        self.out.truncate(self.out.trim_end_matches(' ').len());
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str(p.trim_end());
        self.out.push('\n');
        self.out.push_str(&p);
    }

    fn at_line_start(&self) -> bool {
        let p = self.prefix();
        self.out.is_empty() || self.out.ends_with('\n') || (!p.is_empty() && self.out.ends_with(&p))
    }

    fn push_md(&mut self, md: &str) {
        match &mut self.link_text {
            Some(t) => t.push_str(md),
            None => self.out.push_str(md),
        }
    }

    fn text(&mut self, text: &str) {
        let text = decode_entities(text);
        let collapsed: String = {
            let mut s = String::with_capacity(text.len());
            let mut space = false;
            for c in text.chars() {
                if c.is_whitespace() {
                    space = true;
                } else {
                    if space {
                        s.push(' ');
                    }
                    space = false;
                    s.push(c);
                }
            }
            if space {
                s.push(' ');
            }
            s
        };
        let mut piece = collapsed.as_str();
        if self.link_text.is_none() && self.at_line_start() {
            piece = piece.trim_start();
        }
        if piece.is_empty() {
            return;
        }
        let mut md = String::new();
        if self.link_text.is_none() && self.at_line_start() {
            escape_line(piece.trim_end(), &mut md);
            if piece.ends_with(' ') {
                md.push(' ');
            }
        } else {
            escape_inline(piece, &mut md);
        }
        self.push_md(&md);
    }

    fn raw_text(&mut self, text: &str) {
        if let Some(raw) = &mut self.raw {
            raw.push_str(&decode_entities(&strip_tags(text)));
        }
    }

    fn tag(&mut self, tag: &Tag, _rest: &str) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("script" | "style" | "iframe" | "object" | "svg" | "math", false) => {
                self.skip_until = Some(match name {
                    "script" => "script",
                    "style" => "style",
                    "iframe" => "iframe",
                    "object" => "object",
                    "svg" => "svg",
                    _ => "math",
                });
            }
            ("pre", false) => {
                self.raw = Some(String::new());
                self.skip_until = Some("pre");
            }
            ("pre", true) => {
                let code = self.raw.take().unwrap_or_default();
                self.blank_line();
                let p = self.prefix();
                let block = code_block(&code).trim().replace('\n', &format!("\n{p}"));
                self.out.push_str(&block);
                self.blank_line();
            }
            ("code", false) => {
                self.raw = Some(String::new());
                self.skip_until = Some("code");
            }
            ("code", true) => {
                let code = self.raw.take().unwrap_or_default();
                if !code.is_empty() {
                    self.push_md(&code_span(&code));
                }
            }
            ("p" | "div" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dl", true) => {
                self.blank_line()
            }
            ("p" | "div" | "table" | "dl", false) => self.blank_line(),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.blank_line();
                let level = name[1..].parse::<usize>().unwrap_or(3);
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
            }
            ("br", _) => {
                if !self.at_line_start() {
                    self.out.push('\\');
                }
                self.newline();
            }
            ("hr", _) => {
                self.blank_line();
                self.out.push_str("---");
                self.blank_line();
            }
            ("em" | "i", _) => self.push_md("*"),
            ("strong" | "b", _) => self.push_md("**"),
            ("del" | "s" | "strike", _) => self.push_md("~~"),
            ("kbd", _) => {}
            ("blockquote", false) => {
                self.blank_line();
                self.prefix.push("> ");
                self.out.push_str("> ");
            }
            ("blockquote", true) => {
                self.prefix.pop();
                self.blank_line();
            }
            ("ul", false) | ("ol", false) => {
                if self.lists.is_empty() {
                    self.blank_line();
                }
                let start = tag.attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                self.lists.push((name == "ol").then_some(start));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank_line();
                }
            }
            ("li", false) => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                if !self.at_line_start() || !self.out.is_empty() {
                    self.newline();
                }
                self.out.push_str(&marker);
                self.prefix
                    .push(if marker.len() > 2 { "   " } else { "  " });
            }
            ("li", true) => {
                self.prefix.pop();
            }
            ("tr", true) => self.newline(),
            ("td" | "th", true) => self.push_md(" \\| "),
            ("a", false) => {
                self.links.push(tag.attr("href").and_then(safe_url));
                self.link_text = Some(String::new());
            }
            ("a", true) => {
                let text = self.link_text.take().unwrap_or_default();
                let url = self.links.pop().flatten();
                let md = match url {
                    Some(url) if text.trim().is_empty() => format!("<{url}>"),
                    Some(url) => format!("[{}]({url})", text.trim()),
                    None => text,
                };
                self.out.push_str(&md);
            }
            ("img", _) => {
                let alt = tag.attr("alt").unwrap_or("image");
                let mut label = String::new();
                escape_inline(alt, &mut label);
                if let Some(src) = tag.attr("src").and_then(safe_url) {
                    self.push_md(&format!("![{label}]({src})"));
                } else {
                    self.push_md(&label);
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        if let Some(text) = self.link_text.take() {
            self.out.push_str(&text);
        }
        let mut out = String::with_capacity(self.out.len());
        for line in self.out.lines() {
            let _ = writeln!(out, "{}", line.trim_end());
        }
        while out.contains("\n\n\n") {
            out = out.replace("\n\n\n", "\n\n");
        }
        out.trim().to_owned()
    }
}

/// Text with any tags removed (inside `pre` and `code`).
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        match parse_tag(&rest[at..]) {
            Some((_, len)) => rest = &rest[at + len..],
            None => {
                out.push('<');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_shown_as_written() {
        assert_eq!(
            escape_text("# not a heading\n- not a list\n1. nor this\n*stars* <b>x</b>"),
            "\\# not a heading\\\n\\- not a list\\\n1\\. nor this\\\n\\*stars\\* \\<b\\>x\\</b\\>"
        );
        assert_eq!(escape_text("one\n\ntwo"), "one\n\ntwo");
    }

    #[test]
    fn html_becomes_markdown_without_html() {
        let md = from_html(
            "<p>Use <code>a &lt; b</code> and <strong>bold</strong> <a href=\"https://x.org/a b\">here</a>.</p>\n\n\
             <pre><code>fn main() {\n    &lt;tag&gt;\n}\n</code></pre>\n<ul><li>one</li><li>two <em>it</em></li></ul>\
             <script>alert(1)</script><p onclick=\"x\">after<br>line</p><a href=\"javascript:alert(1)\">bad</a>\
             <blockquote><p>quoted</p></blockquote><img src=\"https://i.sstatic.net/x.png\" alt=\"shot\">",
        );
        assert!(
            md.contains("Use `a < b` and **bold** [here](https://x.org/a%20b)."),
            "{md}"
        );
        assert!(md.contains("```\nfn main() {\n    <tag>\n}\n```"), "{md}");
        assert!(md.contains("- one\n- two *it*"), "{md}");
        assert!(
            !md.contains("alert(1)") && !md.contains("javascript"),
            "{md}"
        );
        assert!(md.contains("after\\\nline"), "{md}");
        assert!(md.contains("bad") && md.contains("> quoted"), "{md}");
        assert!(md.contains("![shot](https://i.sstatic.net/x.png)"), "{md}");
        assert!(!md.contains('<') || md.contains("a < b"), "{md}");
    }

    #[test]
    fn ordered_lists_and_nested_quotes() {
        let md = from_html("<ol><li>first</li><li>second</li></ol><p>1. not a list</p>");
        assert!(md.starts_with("1. first\n2. second"), "{md}");
        assert!(md.ends_with("1\\. not a list"), "{md}");
    }

    #[test]
    fn slack_mrkdwn_becomes_markdown() {
        let people = |id: &str| (id == "U1").then(|| "ada".to_owned());
        let md = from_slack(
            "*bold* _it_ ~gone~ <@U1> <@U9> <https://x.org|site> <#C1|general> <!here> 2*3*4 a &lt;b&gt; &amp;\n```let x = 1;```",
            &people,
        );
        assert!(
            md.starts_with("**bold** *it* ~~gone~~ @ada @U9 [site](https://x.org)"),
            "{md}"
        );
        assert!(md.contains("\\#general @here"), "{md}");
        assert!(md.contains("2\\*3\\*4 a \\<b\\> \\&"), "{md}");
        assert!(md.contains("```\nlet x = 1;\n```"), "{md}");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b &#39;q&#x27; &bogus; &"),
            "a&b 'q' &bogus; &"
        );
    }
}
