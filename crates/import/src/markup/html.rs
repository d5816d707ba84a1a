//! Stack Exchange's HTML bodies as Markdown with no HTML left in it: known
//! tags become their Markdown, other tags are dropped with their text kept,
//! scripts and styles dropped whole.

use super::*;

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
