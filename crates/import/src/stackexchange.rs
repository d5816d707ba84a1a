//! A Stack Exchange data dump: the folder of one site's XML files
//! (`Posts.xml`, `Users.xml`, `Comments.xml`, `Tags.xml`), each a list of
//! `<row .../>` elements read as a stream with quick-xml.
//!
//! Questions open question threads (title, tags, HTML body converted to
//! Markdown by [`crate::markup::from_html`]); answers reply in their
//! question's thread; the accepted answer is accepted once it has been
//! read; comments reply in the thread of the post they are on (quoting the
//! answer when they are on one). Posts and comments are read side by side
//! and merged by creation time, so every thread's replies come in the order
//! they were written. Other post types (tag wikis, moderator nominations)
//! are system records and skipped. Posts of deleted users (a display name
//! but no user id) are written by a placeholder person per name; the
//! "Community" user (id -1) is a bot.
//!
//! Memory: the users' names (from `Users.xml`), the ids of people already
//! handed on, and the ids of accepted answers not yet read; plus one row
//! of each file at a time.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use domain::imported::{
    ImportedAcceptance, ImportedPerson, ImportedPost, Opening, fit_name, fit_tags, fit_title,
};
use domain::thread::ThreadType;
use quick_xml::events::Event;

use crate::{Item, Position, ReadError, Reason, Sink, Skip, markup};

/// A dump's creation date (`2010-07-19T19:12:12.510`, UTC) as an instant.
pub fn instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim_end_matches('Z');
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// A `BufRead` that counts the lines it has handed on, for positions.
struct Lines<R> {
    inner: R,
    newlines: u64,
}

impl<R: BufRead> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let buf = self.inner.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.newlines += buf[..amt.min(buf.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
        }
        self.inner.consume(amt);
    }
}

/// One `<row>`: its attributes, where it was.
#[derive(Debug)]
struct Row {
    attrs: HashMap<String, String>,
    at: Position,
}

impl Row {
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn id(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.parse().ok())
    }

    fn created(&self) -> &str {
        self.get("CreationDate").unwrap_or("")
    }
}

/// The rows of one XML file, one at a time.
struct Rows {
    reader: quick_xml::Reader<Lines<BufReader<File>>>,
    buf: Vec<u8>,
    label: String,
    record: u64,
    depth: i64,
    done: bool,
}

impl Rows {
    fn open(path: &Path) -> Result<Rows, ReadError> {
        let file = File::open(path).map_err(ReadError::io(path))?;
        let reader = quick_xml::Reader::from_reader(Lines {
            inner: BufReader::with_capacity(64 * 1024, file),
            newlines: 0,
        });
        Ok(Rows {
            reader,
            buf: Vec::with_capacity(4096),
            label: path.display().to_string(),
            record: 0,
            depth: 0,
            done: false,
        })
    }

    fn position(&self) -> Position {
        Position::record(&self.label, self.record).at_line(self.reader.get_ref().newlines + 1)
    }

    /// The next row, or the reason the file cannot be read further.
    fn next_row(&mut self) -> Option<Result<Row, Skip>> {
        if self.done {
            return None;
        }
        loop {
            self.buf.clear();
            let event = self.reader.read_event_into(&mut self.buf);
            let was_start = matches!(event, Ok(Event::Start(_)));
            match event {
                Ok(Event::Empty(e)) | Ok(Event::Start(e)) if e.name().as_ref() == "row" => {
                    self.record += 1;
                    let mut attrs = HashMap::new();
                    let mut bad = None;
                    for attr in e.attributes() {
                        match attr {
                            Ok(a) => {
                                let key = a.key.as_ref().to_owned();
                                match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                                    Ok(v) => {
                                        attrs.insert(key, v.into_owned());
                                    }
                                    Err(err) => bad = Some(format!("attribute {key}: {err}")),
                                }
                            }
                            Err(err) => bad = Some(err.to_string()),
                        }
                    }
                    if was_start {
                        self.depth += 1;
                    }
                    let at = self.position();
                    return Some(match bad {
                        Some(reason) => Err(Skip {
                            reason: Reason::Malformed,
                            at,
                            detail: format!("a row that cannot be read: {reason}"),
                        }),
                        None => Ok(Row { attrs, at }),
                    });
                }
                Ok(Event::Start(_)) => self.depth += 1,
                Ok(Event::End(_)) => self.depth -= 1,
                Ok(Event::Eof) => {
                    self.done = true;
                    if self.depth > 0 {
                        return Some(Err(Skip {
                            reason: Reason::Malformed,
                            at: self.position(),
                            detail:
                                "the file ends early (truncated?): its last element is not closed"
                                    .into(),
                        }));
                    }
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(Skip {
                        reason: Reason::Malformed,
                        at: self.position(),
                        detail: format!("the rest of the file cannot be read: {e}"),
                    }));
                }
            }
        }
    }
}

/// Where to find a dump's files: `Posts.xml` or `posts.xml`.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    [name.to_owned(), name.to_lowercase()]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Options of a dump's reading.
#[derive(Debug, Clone)]
pub struct Options {
    /// What names the site in keys (the community's slug): keys are
    /// `se:{site}:post:{id}`, so the same dump imported twice into the same
    /// place is recognised.
    pub site: String,
}

/// Reads the dump in folder `dir` into `sink`.
pub fn read(dir: &Path, options: &Options, sink: &mut dyn Sink) -> Result<(), ReadError> {
    if !dir.is_dir() {
        return Err(ReadError::Missing(format!(
            "{} (a folder holding Posts.xml)",
            dir.display()
        )));
    }
    let posts_path = find(dir, "Posts.xml")
        .ok_or_else(|| ReadError::Missing(dir.join("Posts.xml").display().to_string()))?;
    let mut reader = Reader {
        site: options.site.clone(),
        users: HashMap::new(),
        emitted: HashSet::new(),
        accepted: HashMap::new(),
    };
    if let Some(users) = find(dir, "Users.xml") {
        let mut rows = Rows::open(&users)?;
        while let Some(row) = rows.next_row() {
            match row {
                Ok(row) => match row.id("Id") {
                    Some(id) => {
                        let name = row.get("DisplayName").unwrap_or("").to_owned();
                        reader.users.insert(id, name.into_boxed_str());
                    }
                    None => {
                        if skip(sink, Reason::Malformed, row.at, "a user without an Id").is_break()
                        {
                            return Ok(());
                        }
                    }
                },
                Err(s) => {
                    if sink.item(Item::Skipped(s)).is_break() {
                        return Ok(());
                    }
                }
            }
        }
    }
    if let Some(tags) = find(dir, "Tags.xml") {
        // Tags come with the posts; the list is only checked for readability.
        let mut rows = Rows::open(&tags)?;
        while let Some(row) = rows.next_row() {
            if let Err(s) = row
                && sink.item(Item::Skipped(s)).is_break()
            {
                return Ok(());
            }
        }
    }
    let mut posts = Rows::open(&posts_path)?;
    let mut comments = match find(dir, "Comments.xml") {
        Some(path) => Some(Rows::open(&path)?),
        None => None,
    };
    let mut next_post = posts.next_row();
    let mut next_comment = comments.as_mut().and_then(Rows::next_row);
    loop {
        // Errors first; then the earlier of the two rows (a post before a
        // comment made at the same instant).
        let take_post = match (&next_post, &next_comment) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(Err(_)), _) => true,
            (_, Some(Err(_))) => false,
            (Some(Ok(p)), Some(Ok(c))) => p.created() <= c.created(),
        };
        let flow = if take_post {
            let row = next_post.take();
            next_post = posts.next_row();
            match row {
                Some(Ok(row)) => reader.post(row, sink),
                Some(Err(s)) => sink.item(Item::Skipped(s)),
                None => ControlFlow::Continue(()),
            }
        } else {
            let row = next_comment.take();
            next_comment = comments.as_mut().and_then(Rows::next_row);
            match row {
                Some(Ok(row)) => reader.comment(row, sink),
                Some(Err(s)) => sink.item(Item::Skipped(s)),
                None => ControlFlow::Continue(()),
            }
        };
        if flow.is_break() {
            return Ok(());
        }
    }
    for (answer, question) in std::mem::take(&mut reader.accepted) {
        let detail =
            format!("question {question} accepts answer {answer}, which the dump does not hold");
        if skip(
            sink,
            Reason::Dangling,
            Position::file(posts_path.display().to_string()),
            &detail,
        )
        .is_break()
        {
            break;
        }
    }
    Ok(())
}

fn skip(sink: &mut dyn Sink, reason: Reason, at: Position, detail: &str) -> ControlFlow<()> {
    sink.item(Item::Skipped(Skip {
        reason,
        at,
        detail: detail.to_owned(),
    }))
}

struct Reader {
    site: String,
    /// Display names by user id.
    users: HashMap<i64, Box<str>>,
    /// Person keys already handed on.
    emitted: HashSet<String>,
    /// Accepted answer id -> question id, until the answer is read.
    accepted: HashMap<i64, i64>,
}

impl Reader {
    fn post_key(&self, id: i64) -> String {
        format!("se:{}:post:{id}", self.site)
    }

    /// The person key of a row's writer, handing the person on first.
    fn author(
        &mut self,
        row: &Row,
        id_attr: &str,
        name_attr: &str,
        sink: &mut dyn Sink,
    ) -> ControlFlow<(), Option<String>> {
        let (key, name, bot) = match (row.id(id_attr), row.get(name_attr)) {
            (Some(id), shown) => {
                let name = match self.users.get(&id) {
                    Some(n) => n.to_string(),
                    // Not in Users.xml: a user removed since.
                    None => shown
                        .map(str::to_owned)
                        .unwrap_or_else(|| format!("user{id}")),
                };
                (format!("se:{}:user:{id}", self.site), name, id == -1)
            }
            (None, Some(name)) => {
                let slug: String = name
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_alphanumeric() { c } else { '-' })
                    .collect();
                (
                    format!("se:{}:deleted:{slug}", self.site),
                    name.to_owned(),
                    false,
                )
            }
            (None, None) => return ControlFlow::Continue(None),
        };
        if !self.emitted.contains(&key) {
            self.emitted.insert(key.clone());
            let fallback = key.rsplit(':').next().unwrap_or("someone").to_owned();
            sink.item(Item::Person(ImportedPerson {
                key: key.clone(),
                email: None,
                name: fit_name(&name, &fallback),
                bot,
                team: None,
            }))?;
        }
        ControlFlow::Continue(Some(key))
    }

    fn post(&mut self, row: Row, sink: &mut dyn Sink) -> ControlFlow<()> {
        let (Some(id), Some(kind)) = (row.id("Id"), row.id("PostTypeId")) else {
            return skip(
                sink,
                Reason::Malformed,
                row.at,
                "a post without Id or PostTypeId",
            );
        };
        let Some(at) = instant(row.created()) else {
            return skip(
                sink,
                Reason::Malformed,
                row.at,
                &format!("post {id} has no readable CreationDate"),
            );
        };
        if kind != 1 && kind != 2 {
            let what = match kind {
                3..=5 => "a tag wiki",
                6 => "a moderator nomination",
                7 => "a wiki placeholder",
                8 => "a privilege wiki",
                _ => "a post of an unknown type",
            };
            return skip(
                sink,
                Reason::SystemMessage,
                row.at,
                &format!("post {id} is {what}"),
            );
        }
        let parent = if kind == 2 {
            match row.id("ParentId") {
                Some(p) => Some(p),
                None => {
                    return skip(
                        sink,
                        Reason::Malformed,
                        row.at,
                        &format!("answer {id} has no ParentId"),
                    );
                }
            }
        } else {
            None
        };
        let author = self.author(&row, "OwnerUserId", "OwnerDisplayName", sink)?;
        let body = markup::from_html(row.get("Body").unwrap_or(""));
        let opens = (kind == 1).then(|| {
            let raw_tags = row.get("Tags").unwrap_or("");
            let tags = fit_tags(raw_tags.split(['<', '>', '|']).filter(|t| !t.is_empty()));
            Opening {
                title: fit_title(row.get("Title").unwrap_or(""), &format!("Question {id}")),
                thread_type: ThreadType::Question,
                tags,
            }
        });
        if kind == 1
            && let Some(answer) = row.id("AcceptedAnswerId")
        {
            self.accepted.insert(answer, id);
        }
        let key = self.post_key(id);
        sink.item(Item::Post(ImportedPost {
            key: key.clone(),
            author,
            at,
            edited_at: row.get("LastEditDate").and_then(instant),
            body,
            parents: parent.map(|p| self.post_key(p)).into_iter().collect(),
            opens,
            aliases: Vec::new(),
        }))?;
        if let Some(question) = self.accepted.remove(&id) {
            if parent != Some(question) {
                return skip(
                    sink,
                    Reason::Dangling,
                    row.at,
                    &format!(
                        "question {question} accepts post {id}, which answers another question"
                    ),
                );
            }
            sink.item(Item::Accepted(ImportedAcceptance {
                question: self.post_key(question),
                answer: key,
                at,
            }))?;
        }
        ControlFlow::Continue(())
    }

    fn comment(&mut self, row: Row, sink: &mut dyn Sink) -> ControlFlow<()> {
        let (Some(id), Some(post)) = (row.id("Id"), row.id("PostId")) else {
            return skip(
                sink,
                Reason::Malformed,
                row.at,
                "a comment without Id or PostId",
            );
        };
        let Some(at) = instant(row.created()) else {
            return skip(
                sink,
                Reason::Malformed,
                row.at,
                &format!("comment {id} has no readable CreationDate"),
            );
        };
        let author = self.author(&row, "UserId", "UserDisplayName", sink)?;
        // Comments are written in (a subset of) Markdown already; the web
        // layer sanitises whatever HTML they might hold.
        let text = row.get("Text").unwrap_or("");
        sink.item(Item::Post(ImportedPost {
            key: format!("se:{}:comment:{id}", self.site),
            author,
            at,
            edited_at: None,
            body: text.to_owned(),
            parents: vec![self.post_key(post)],
            opens: None,
            aliases: Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dump_dates() {
        let t = super::instant("2010-07-19T19:12:12.510").unwrap();
        assert_eq!(t.to_rfc3339(), "2010-07-19T19:12:12.510+00:00");
        assert!(super::instant("yesterday").is_none());
    }
}
