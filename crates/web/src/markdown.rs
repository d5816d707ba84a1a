//! Post bodies: Markdown (CommonMark with tables, task lists and
//! strikethrough) rendered to HTML, fenced code highlighted into CSS
//! classes, and the result sanitised with an allow-list. Nothing a member
//! writes reaches a page unsanitised: no scripts, no event handlers, no
//! `javascript:` or `data:` links, and images from other sites become
//! links to them rather than being fetched by every reader's browser.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of highlighting classes (`hl-keyword`, ...), styled in the sheet.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static CLEAN: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input", "span", "del"])
            .add_tag_attributes("span", ["class"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("pre", ["class"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer nofollow ugc"))
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                // Only the alignment tables carry, only the read-only task-list box.
                ("td" | "th", "style") => ALIGNMENTS.contains(&value).then(|| value.into()),
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                ("img", "src") => (!is_foreign(value)).then(|| value.into()),
                _ => Some(value.into()),
            });
        b
    })
}

const ALIGNMENTS: [&str; 3] = [
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// Whether `url` points at another site (or is not a plain path).
fn is_foreign(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//") || url.contains(':')
}

/// How much rendered Markdown (source and HTML) the cache holds, in bytes.
const CACHE_BYTES: u64 = 64 << 20;

/// Weighs a cache entry by the bytes it holds.
#[derive(Clone)]
struct Bytes;

impl quick_cache::Weighter<String, Arc<str>> for Bytes {
    fn weight(&self, source: &String, html: &Arc<str>) -> u64 {
        (source.len() + html.len() + 64) as u64
    }
}

/// Rendered bodies by their Markdown source (the whole source is the key,
/// so two bodies can never share an entry): rendering is pure, so a page
/// of a hundred replies need not parse, highlight and sanitise a hundred
/// bodies on every view.
fn rendered() -> &'static quick_cache::sync::Cache<String, Arc<str>, Bytes> {
    static CACHE: OnceLock<quick_cache::sync::Cache<String, Arc<str>, Bytes>> = OnceLock::new();
    CACHE.get_or_init(|| quick_cache::sync::Cache::with_weighter(100_000, CACHE_BYTES, Bytes))
}

/// Renders `markdown` to sanitised HTML (from the cache when it was
/// rendered before).
pub fn render(markdown: &str) -> String {
    render_shared(markdown).to_string()
}

/// [`render`], sharing the cached HTML instead of copying it.
pub fn render_shared(markdown: &str) -> Arc<str> {
    if let Some(html) = rendered().get(markdown) {
        return html;
    }
    let html: Arc<str> = Arc::from(render_uncached(markdown));
    rendered().insert(markdown.to_owned(), html.clone());
    html
}

fn render_uncached(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buffer)) = code.as_mut() {
                    buffer.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(CowStr::from(highlight(&lang, &text))));
                }
            }
            // An image from elsewhere becomes a link to it, its description the text.
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                ..
            }) if is_foreign(&dest_url) => events.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id,
            })),
            Event::End(TagEnd::Image) if last_open_is_link(&events) => {
                events.push(Event::End(TagEnd::Link))
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitiser().clean(&html).to_string()
}

/// Whether the innermost open link or image in `events` is a link (an
/// image turned into one).
fn last_open_is_link(events: &[Event<'_>]) -> bool {
    let mut depth = 0i32;
    for e in events.iter().rev() {
        match e {
            Event::End(TagEnd::Link | TagEnd::Image) => depth += 1,
            Event::Start(Tag::Link { .. }) if depth == 0 => return true,
            Event::Start(Tag::Image { .. }) if depth == 0 => return false,
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Highlights `code` as `lang` (by name or extension), or escapes it when
/// the language is unknown.
fn highlight(lang: &str, code: &str) -> String {
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| {
            set.find_syntax_by_token(lang)
                .or_else(|| set.find_syntax_by_extension(lang))
        })
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
            let mut ok = true;
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    ok = false;
                    break;
                }
            }
            if ok {
                generator.finalize()
            } else {
                escape(code)
            }
        }
        None => escape(code),
    };
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    format!("<pre><code{class}>{body}</code></pre>\n")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A search snippet as HTML: the text escaped, its matches in `<mark>`.
pub fn snippet(text: &str) -> String {
    escape(text)
        .replace(domain::thread::MATCH_START, "<mark>")
        .replace(domain::thread::MATCH_END, "</mark>")
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn common_markdown_renders() {
        let html = render(
            "# Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ **bold**",
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("style=\"text-align: right\""), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
    }

    #[test]
    fn code_is_highlighted_and_escaped() {
        let html = render("```rust\nfn main() { let x = \"<b>\"; }\n```");
        assert!(html.contains("class=\"language-rust\""), "{html}");
        assert!(
            html.contains("hl-keyword") || html.contains("hl-storage"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let plain = render("```nosuchlang\n<script>alert(1)</script>\n```");
        assert!(plain.contains("&lt;script&gt;"), "{plain}");
    }

    #[test]
    fn dangerous_markup_is_removed() {
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[data](data:text/html;base64,PHNjcmlwdD4=)",
            "<div onclick=\"alert(1)\">x</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style>",
            "<td style=\"background:url(x)\">",
        ] {
            let html = render(evil);
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "data:",
                "onclick",
                "<iframe",
                "<style",
                "url(",
            ] {
                assert!(!html.contains(bad), "{evil:?} gave {html}");
            }
        }
    }

    #[test]
    fn foreign_images_become_links() {
        let html =
            render("![diagram](https://tracker.example/pixel.png) and ![local](/static/a.png)");
        assert!(
            !html.contains("<img src=\"https://tracker.example"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://tracker.example/pixel.png\""),
            "{html}"
        );
        assert!(html.contains(">diagram</a>"), "{html}");
        assert!(html.contains("<img src=\"/static/a.png\""), "{html}");
        let links = render("[see](https://example.org)");
        assert!(
            links.contains("rel=\"noopener noreferrer nofollow ugc\""),
            "{links}"
        );
    }

    #[test]
    fn the_cache_answers_as_rendering_does() {
        let body = "**cached** <script>x</script>";
        let first = render(body);
        assert_eq!(render(body), first);
        assert_eq!(super::render_uncached(body), first);
        assert_ne!(render("**other**"), first);
    }

    #[test]
    fn snippets_escape_text_and_mark_matches() {
        assert_eq!(
            super::snippet("a <b> \u{E000}match\u{E001}"),
            "a &lt;b&gt; <mark>match</mark>"
        );
    }
}
