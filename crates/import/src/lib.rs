//! Readers for other systems' exports: a Slack workspace export
//! ([`slack`]), a Stack Exchange data dump ([`stackexchange`]) and
//! mailing-list archives ([`mbox`]). Each streams its input — one record,
//! one day file or one message at a time — and hands [`Item`]s to a sink:
//! people, posts (opening posts and replies, with stable source keys),
//! accepted answers, reactions, joins, and the records it had to skip with
//! their file and line or record number. No database here: the store writes
//! what the readers produce, so an import is idempotent by the keys.

pub mod markup;
pub mod mbox;
pub mod slack;
pub mod stackexchange;

mod json_stream;

use std::fmt;
use std::ops::ControlFlow;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
pub use domain::imported::{
    ImportedAcceptance, ImportedPerson, ImportedPost, ImportedReaction, Opening,
};

/// A Slack channel (or private group) whose items follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Its name, without `#`.
    pub name: String,
    /// Private (a group) rather than public.
    pub private: bool,
    /// Its purpose or topic, if set.
    pub purpose: String,
}

/// One thing a reader found.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A person, before their first post.
    Person(ImportedPerson),
    /// The items that follow belong to this channel (Slack).
    Channel(Channel),
    /// A person joined (Slack's join messages).
    Joined {
        /// Person key.
        person: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// A post.
    Post(ImportedPost),
    /// An accepted answer, after both posts.
    Accepted(ImportedAcceptance),
    /// A reaction, after its post.
    Reaction(ImportedReaction),
    /// A record left out, and why.
    Skipped(Skip),
    /// Something the source has and we have no place for (a reaction with no
    /// equivalent): counted in the summary, never an error.
    Unmapped {
        /// What kind of thing, for the summary.
        what: &'static str,
        /// Which one.
        detail: String,
    },
}

/// Where in the input something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file (inside an archive: `archive!path`).
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<u64>,
    /// The 1-based record (array element, XML row, message), when known.
    pub record: Option<u64>,
}

impl Position {
    /// A whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Position {
            file: file.into(),
            line: None,
            record: None,
        }
    }

    /// Record `n` of `file`.
    pub fn record(file: impl Into<String>, n: u64) -> Self {
        Position {
            file: file.into(),
            line: None,
            record: Some(n),
        }
    }

    /// With a line number.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = self.record {
            write!(f, " (record {record})")?;
        }
        Ok(())
    }
}

/// Why a record was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// It could not be read: bad syntax, a missing field, a truncated file.
    Malformed,
    /// A system message (joins of others, topic changes, wiki posts, ...).
    SystemMessage,
    /// Written by someone the export does not list.
    UnknownUser,
    /// It refers to a post or person that is not there.
    Dangling,
    /// A kind of record we do not bring in (reactions we have no word for, ...).
    Unsupported,
}

impl Reason {
    /// How it reads in the summary.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Malformed => "malformed records",
            Reason::SystemMessage => "system messages",
            Reason::UnknownUser => "unknown users",
            Reason::Dangling => "dangling references",
            Reason::Unsupported => "unsupported records",
        }
    }
}

/// A record left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// Why.
    pub reason: Reason,
    /// Where.
    pub at: Position,
    /// What, in words.
    pub detail: String,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.detail)
    }
}

/// What stops a reader altogether (a bad record only skips that record).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// Which.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The export lacks a file every export has.
    #[error("{0}: not found; is this the right folder or archive?")]
    Missing(String),
    /// A zip archive could not be read.
    #[error("{path}: {reason}")]
    Archive {
        /// Which.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file every later record depends on is malformed.
    #[error("{at}: {reason}")]
    Malformed {
        /// Where.
        at: Position,
        /// Why.
        reason: String,
    },
}

impl ReadError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ReadError {
        let path = path.into();
        move |source| ReadError::Io { path, source }
    }
}

/// Where items go; [`ControlFlow::Break`] stops the reader (the consumer has
/// had enough, e.g. `--strict` after a skip).
pub trait Sink {
    /// Takes one item.
    fn item(&mut self, item: Item) -> ControlFlow<()>;
}

impl<F: FnMut(Item) -> ControlFlow<()>> Sink for F {
    fn item(&mut self, item: Item) -> ControlFlow<()> {
        self(item)
    }
}

/// A stable key from text of any length (a Message-ID, a whole message).
pub(crate) fn digest(text: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(text)[..16])
}

/// Whether an e-mail address looks real enough to match people by.
pub(crate) fn usable_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    (!local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>'))
    .then_some(email)
}
