//! The shared space: threads of a type (discussion, question, announcement,
//! story, show-and-tell), their tags, the rules for titles and bodies, the
//! reactions members leave, and the `@mentions` written in a post.

use std::collections::BTreeSet;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::community::vocabulary;
use crate::invalid::{Invalid, bounded_text, required_text};

vocabulary!(
    /// What a thread is for.
    ThreadType, "type" {
        /// An open conversation.
        Discussion = "discussion",
        /// A question that wants an answer; one reply can be accepted.
        Question = "question",
        /// News from the stewards.
        Announcement = "announcement",
        /// A lesson learned or a war story.
        Story = "story",
        /// Something made, shown to the community.
        ShowAndTell = "show_and_tell",
    }
);

impl ThreadType {
    /// How the type reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            ThreadType::Discussion => "Discussion",
            ThreadType::Question => "Question",
            ThreadType::Announcement => "Announcement",
            ThreadType::Story => "Story",
            ThreadType::ShowAndTell => "Show and tell",
        }
    }

    /// Whether only stewards may open a thread of this type.
    pub fn stewards_only(self) -> bool {
        self == ThreadType::Announcement
    }
}

vocabulary!(
    /// A member's reaction to a post.
    Reaction, "reaction" {
        /// The post helped.
        Helpful = "helpful",
        /// Gratitude.
        Thanks = "thanks",
    }
);

/// Longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest body, in characters.
pub const BODY_MAX: usize = 60_000;
/// Most tags on one thread.
pub const TAGS_MAX: usize = 8;
/// Longest tag, in characters.
pub const TAG_MAX: usize = 40;
/// Longest kudos note, in characters.
pub const NOTE_MAX: usize = 500;

/// A thread's title: required, one line, at most [`TITLE_MAX`] characters.
pub fn title(value: &str) -> Result<String, Invalid> {
    let value = required_text("title", value, TITLE_MAX)?;
    if value.contains(['\n', '\r']) {
        return Err(Invalid::new("title", "must be a single line"));
    }
    Ok(value)
}

/// A post's Markdown body: required, at most [`BODY_MAX`] characters.
pub fn body(value: &str) -> Result<String, Invalid> {
    required_text("body", value, BODY_MAX)
}

/// A kudos note: optional, at most [`NOTE_MAX`] characters.
pub fn kudos_note(value: &str) -> Result<String, Invalid> {
    bounded_text("note", value, NOTE_MAX)
}

/// Tags from free text separated by commas or spaces: lower-cased, `#`
/// dropped, duplicates removed, in the order first given. A tag is letters,
/// digits and `-`, `.`, `+`, `#`, `_` inside it.
pub fn tags(raw: &str) -> Result<Vec<String>, Invalid> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for piece in raw.split([',', ' ', '\n', '\t', ';']) {
        let tag = piece.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > TAG_MAX {
            return Err(Invalid::new(
                "tags",
                format!("{tag:?} is longer than {TAG_MAX} characters"),
            ));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#' | '_'))
        {
            return Err(Invalid::new(
                "tags",
                format!("{tag:?} may hold only letters, digits and - . + # _"),
            ));
        }
        if seen.insert(tag.clone()) {
            out.push(tag);
        }
    }
    if out.len() > TAGS_MAX {
        return Err(Invalid::new(
            "tags",
            format!("{} tags given; at most {TAGS_MAX} are allowed", out.len()),
        ));
    }
    Ok(out)
}

/// The handles mentioned in `body` as `@handle` (a handle is the part of a
/// person's e-mail address before the `@`), lower-cased, each once. Text in
/// code spans and fenced code is not searched, nor are e-mail addresses.
pub fn mentions(body: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut in_code = false;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '`' {
                in_code = !in_code;
            } else if c == '@' && !in_code && (i == 0 || !is_handle_char(chars[i - 1])) {
                let handle: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| is_handle_char(**c))
                    .collect();
                let handle = handle.trim_end_matches(['.', '-', '_']).to_lowercase();
                if !handle.is_empty() {
                    i += handle.chars().count();
                    found.insert(handle);
                }
            }
            i += 1;
        }
    }
    found.into_iter().collect()
}

fn is_handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+')
}

/// The handle by which `email` can be mentioned.
pub fn handle_of(email: &str) -> String {
    email.split('@').next().unwrap_or_default().to_lowercase()
}

/// The words of a Markdown `body` without its markup, for the search index
/// and for snippets: code is kept as text, links keep their words, images
/// their description. The two characters the index uses to mark matches
/// (U+E000 and U+E001, private use) are removed.
pub fn plain_text(body: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.retain(|c| c != MATCH_START && c != MATCH_END);
    out.trim().to_owned()
}

/// Words a search drops: too common to tell posts apart.
const SEARCH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "how",
    "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "so", "that", "the",
    "their", "then", "there", "these", "they", "this", "to", "was", "we", "what", "when", "where",
    "which", "who", "why", "will", "with", "you", "your",
];

/// The words of a search query: letters and digits, lower-cased, common
/// words dropped, each once, at most twelve. Only these reach the database's
/// query syntax, so no input can be misread as an operator.
pub fn search_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in query.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if word.is_empty() || SEARCH_STOP_WORDS.contains(&word.as_str()) || out.contains(&word) {
            continue;
        }
        out.push(word);
        if out.len() == 12 {
            break;
        }
    }
    out
}

/// Where a search snippet's match begins (private use; never in posts).
pub const MATCH_START: char = '\u{E000}';
/// Where a search snippet's match ends.
pub const MATCH_END: char = '\u{E001}';

/// How many days a question may wait for its first response before the
/// "help wanted" view counts it as having had none in time (METRICS.md's
/// `answered_share` uses the same seven days).
pub const RESPONSE_DAYS: i64 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_checked() {
        assert_eq!(
            tags("Rust, #kubernetes  rust;CI").unwrap(),
            vec!["rust", "kubernetes", "ci"]
        );
        assert_eq!(tags("").unwrap(), Vec::<String>::new());
        assert_eq!(tags("c++ c# .net").unwrap(), vec!["c++", "c#", ".net"]);
        assert_eq!(tags("no<script>").unwrap_err().field, "tags");
        let many = (0..=TAGS_MAX).map(|i| format!("t{i}")).collect::<Vec<_>>();
        assert!(tags(&many.join(",")).is_err());
        assert!(tags(&many[..TAGS_MAX].join(",")).is_ok());
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(
            title("  How do we roll back? ").unwrap(),
            "How do we roll back?"
        );
        assert_eq!(title("").unwrap_err().field, "title");
        assert!(title("two\nlines").is_err());
        assert!(title(&"x".repeat(TITLE_MAX + 1)).is_err());
    }

    #[test]
    fn mentions_skip_code_and_addresses() {
        let body = "Thanks @Ada.Lovelace and @bob.\nMail ada@example.org\n`@not` here\n```\n@fenced\n```\n(@cy)";
        assert_eq!(mentions(body), vec!["ada.lovelace", "bob", "cy"]);
        assert_eq!(handle_of("Ada.Lovelace@Example.org"), "ada.lovelace");
    }

    #[test]
    fn search_terms_are_plain_words() {
        assert_eq!(
            search_terms("How do I roll back a \"deploy\" OR NEAR(x)*?"),
            vec!["roll", "back", "deploy", "near", "x"]
        );
        assert!(search_terms("the of and").is_empty());
    }

    #[test]
    fn plain_text_drops_markup() {
        let text = plain_text(
            "# Roll back\n\nUse `kubectl rollout undo` and [the guide](https://x).\n\n<script>x</script>\u{E000}",
        );
        assert_eq!(text, "Roll back\nUse kubectl rollout undo and the guide.");
    }

    #[test]
    fn types_parse_and_announcements_are_for_stewards() {
        assert_eq!(
            "show_and_tell".parse::<ThreadType>().unwrap(),
            ThreadType::ShowAndTell
        );
        assert_eq!("gossip".parse::<ThreadType>().unwrap_err().field, "type");
        assert!(ThreadType::Announcement.stewards_only());
        assert!(!ThreadType::Question.stewards_only());
        assert_eq!("helpful".parse::<Reaction>().unwrap(), Reaction::Helpful);
    }
}
