//! Other systems' text as our Markdown. Plain text (mail) and Slack's
//! "mrkdwn" are escaped so that nothing in them is read as Markdown or HTML
//! by accident; Stack Exchange's HTML bodies are converted to Markdown with
//! no HTML left in it (tags we know become their Markdown, every other tag is
//! dropped and its text kept, scripts and styles dropped whole). So a stored
//! body never carries markup of its own, its words reach the search index,
//! and the web layer's sanitiser is a second line of defence, not the first.

use std::fmt::Write as _;

mod html;
mod slack;

pub use html::from_html;
pub use slack::from_slack;

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
