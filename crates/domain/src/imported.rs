//! History brought in from other systems (Slack, Stack Exchange, mailing
//! lists): the records every importer produces and the store writes. Each
//! record carries a stable key from its source (a Slack channel and
//! timestamp, a Stack Exchange post id, a Message-ID), so importing the same
//! export twice adds nothing the second time. Also the rules that fit
//! outside text to ours: titles on one line and not too long, bodies within
//! the limit, tags in our alphabet, names never empty.

use chrono::{DateTime, Utc};

use crate::thread::{BODY_MAX, Reaction, TAG_MAX, TAGS_MAX, TITLE_MAX, ThreadType};

/// A person as another system knew them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPerson {
    /// Stable key in the source, e.g. `slack:T024:U0123`.
    pub key: String,
    /// Lower-cased e-mail, when the source has one: it matches the same
    /// person across importers and accounts.
    pub email: Option<String>,
    /// Name shown to others.
    pub name: String,
    /// A bot or system account: their content is kept, their events never count.
    pub bot: bool,
    /// Their team, when the source knows it.
    pub team: Option<String>,
}

/// How a post that opens a thread opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// One-line title.
    pub title: String,
    /// What the thread is for.
    pub thread_type: ThreadType,
    /// Tags in our alphabet.
    pub tags: Vec<String>,
}

/// A post: the opening post of a thread or a reply in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPost {
    /// Stable key in the source.
    pub key: String,
    /// The writer's person key; `None` when the source names no one (a
    /// deleted message).
    pub author: Option<String>,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// When it was last edited, if the source says.
    pub edited_at: Option<DateTime<Utc>>,
    /// Markdown body.
    pub body: String,
    /// Keys of the posts this one answers, best first: the first one already
    /// imported makes this a reply in that post's thread (quoting it when it
    /// is itself a reply).
    pub parents: Vec<String>,
    /// When none of the parents is known: open a thread like this. Without
    /// an opening such a post is a dangling reply and is dropped.
    pub opens: Option<Opening>,
    /// Further keys by which later posts may name this one when it opens a
    /// thread (a mailing list's normalised subject); the first thread to
    /// claim an alias keeps it.
    pub aliases: Vec<String>,
}

/// An accepted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAcceptance {
    /// The question's key.
    pub question: String,
    /// The answer's key.
    pub answer: String,
    /// When (the source's best guess).
    pub at: DateTime<Utc>,
}

/// A reaction to a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReaction {
    /// The post's key.
    pub post: String,
    /// Who reacted (person key).
    pub person: String,
    /// Which of ours it is.
    pub reaction: Reaction,
    /// When (the post's time when the source does not say).
    pub at: DateTime<Utc>,
}

/// A title fitted to ours: the first non-empty line, whitespace collapsed,
/// cut at a word boundary to at most [`TITLE_MAX`] characters; `fallback`
/// when there is no text at all.
pub fn fit_title(text: &str, fallback: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > TITLE_MAX - 1 {
            if out.is_empty() {
                out = word.chars().take(TITLE_MAX - 1).collect();
            }
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

/// A body fitted to ours: at most [`BODY_MAX`] characters (a longer one is
/// cut and says so), never empty. Returns the body and whether it was cut.
pub fn fit_body(text: &str) -> (String, bool) {
    const NOTE: &str = "\n\n*(cut on import: the original was longer)*";
    let text = text.trim();
    if text.is_empty() {
        return ("*(no text)*".to_owned(), false);
    }
    if text.chars().count() <= BODY_MAX {
        return (text.to_owned(), false);
    }
    let keep = BODY_MAX - NOTE.chars().count();
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(NOTE);
    (out, true)
}

/// Tags fitted to ours: lower-cased, characters outside letters, digits and
/// `- . + # _` dropped, at most [`TAG_MAX`] characters each, each once, at
/// most [`TAGS_MAX`].
pub fn fit_tags<'a>(raw: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in raw {
        let tag: String = piece
            .trim()
            .trim_start_matches('#')
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '+' | '#' | '_'))
            .take(TAG_MAX)
            .collect();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
        if out.len() == TAGS_MAX {
            break;
        }
    }
    out
}

/// A display name fitted to ours: one line, at most
/// [`crate::person::MAX_NAME`] characters, `fallback` when empty.
pub fn fit_name(name: &str, fallback: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = name.chars().take(crate::person::MAX_NAME).collect();
    if name.is_empty() {
        fallback.chars().take(crate::person::MAX_NAME).collect()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_line_and_short() {
        assert_eq!(fit_title("\n  Hello   world \nmore", "x"), "Hello world");
        assert_eq!(fit_title("   ", "(untitled)"), "(untitled)");
        let long = "word ".repeat(100);
        let t = fit_title(&long, "x");
        assert!(t.chars().count() <= TITLE_MAX && t.ends_with('…'));
        let one = "a".repeat(500);
        assert_eq!(fit_title(&one, "x").chars().count(), TITLE_MAX);
    }

    #[test]
    fn bodies_are_cut_and_say_so() {
        let (b, cut) = fit_body(&"é".repeat(BODY_MAX + 10));
        assert!(cut && b.chars().count() <= BODY_MAX && b.ends_with("longer)*"));
        assert_eq!(fit_body(" hi ").0, "hi");
        assert_eq!(fit_body("").0, "*(no text)*");
    }

    #[test]
    fn tags_fit_our_alphabet() {
        assert_eq!(
            fit_tags(["C#", "node.js", "big data!", "c#", ""]),
            ["c#", "node.js", "bigdata"]
        );
        assert_eq!(fit_tags((0..20).map(|_| "x")).len(), 1);
    }

    #[test]
    fn names_are_never_empty() {
        assert_eq!(fit_name("  Ada \n Lovelace ", "?"), "Ada Lovelace");
        assert_eq!(fit_name("", "user42"), "user42");
    }
}
