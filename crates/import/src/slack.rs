//! A Slack workspace export, as a zip archive or its unpacked folder:
//! `users.json`, `channels.json` (and `groups.json` for private channels),
//! and one folder per channel with a JSON file per day (`2024-03-01.json`),
//! each an array of messages in time order.
//!
//! A message without `thread_ts` (or with `thread_ts` equal to its own `ts`)
//! opens a thread; one with another `thread_ts` replies in that thread.
//! Files shared become links, reactions with an equivalent become
//! reactions, `edited` is kept as the edit time. Bots' messages are kept,
//! written by a bot person (whose events never count). Join messages become
//! memberships; other system messages (leaves, topic and name changes,
//! pins, ...) are skipped, as are messages by users the export does not
//! list. A deleted message that still has replies (a "tombstone") opens its
//! thread with no author.
//!
//! Memory: the users' names and keys, the channel list and the names of
//! the day files, plus one message at a time (day files are read as a
//! stream of array elements).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use domain::imported::{
    ImportedPerson, ImportedPost, ImportedReaction, Opening, fit_name, fit_title,
};
use domain::thread::{Reaction, ThreadType};
use serde::Deserialize;

use crate::{Channel, Item, Position, ReadError, Reason, Sink, Skip, json_stream, markup};

/// Where an export's files come from.
enum Source {
    Folder(PathBuf),
    Zip {
        path: PathBuf,
        archive: Box<zip::ZipArchive<File>>,
        /// The folder inside the archive that holds `users.json` ("" or "name/").
        root: String,
    },
}

impl Source {
    fn open(path: &Path) -> Result<Source, ReadError> {
        if path.is_dir() {
            return Ok(Source::Folder(path.to_owned()));
        }
        let file = File::open(path).map_err(ReadError::io(path))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| ReadError::Archive {
            path: path.to_owned(),
            reason: format!("not a Slack export folder nor a zip archive ({e})"),
        })?;
        let root = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .filter(|n| n.ends_with("users.json") && n.matches('/').count() <= 1)
            .min_by_key(|n| n.len())
            .map(|n| n.trim_end_matches("users.json").to_owned())
            .unwrap_or_default();
        Ok(Source::Zip {
            path: path.to_owned(),
            archive: Box::new(archive),
            root,
        })
    }

    /// How a file inside the export is named in messages.
    fn label(&self, name: &str) -> String {
        match self {
            Source::Folder(dir) => dir.join(name).display().to_string(),
            Source::Zip { path, root, .. } => format!("{}!{root}{name}", path.display()),
        }
    }

    fn exists(&self, name: &str) -> bool {
        match self {
            Source::Folder(dir) => dir.join(name).is_file(),
            Source::Zip { archive, root, .. } => {
                archive.index_for_name(&format!("{root}{name}")).is_some()
            }
        }
    }

    /// Reads `name` with `read`.
    fn with<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<T, ReadError> {
        match self {
            Source::Folder(dir) => {
                let path = dir.join(name);
                let mut file = File::open(&path).map_err(ReadError::io(&path))?;
                Ok(read(&mut file))
            }
            Source::Zip {
                path,
                archive,
                root,
            } => {
                let mut entry =
                    archive
                        .by_name(&format!("{root}{name}"))
                        .map_err(|e| ReadError::Archive {
                            path: path.clone(),
                            reason: format!("{name}: {e}"),
                        })?;
                Ok(read(&mut entry))
            }
        }
    }

    /// The day files of channel `name`, in date order.
    fn days(&self, channel: &str) -> Result<Vec<String>, ReadError> {
        let mut days: Vec<String> = match self {
            Source::Folder(dir) => {
                let folder = dir.join(channel);
                if !folder.is_dir() {
                    return Ok(Vec::new());
                }
                std::fs::read_dir(&folder)
                    .map_err(ReadError::io(&folder))?
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".json"))
                    .map(|n| format!("{channel}/{n}"))
                    .collect()
            }
            Source::Zip { archive, root, .. } => {
                let prefix = format!("{root}{channel}/");
                archive
                    .file_names()
                    .filter_map(|n| n.ok())
                    .filter_map(|n| n.strip_prefix(prefix.as_str()).map(str::to_owned))
                    .filter(|n| n.ends_with(".json") && !n.contains('/'))
                    .map(|n| format!("{channel}/{n}"))
                    .collect()
            }
        };
        days.sort();
        Ok(days)
    }
}

/// Which channels to read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these channels (by name); every channel when empty.
    pub channels: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    is_bot: bool,
    #[serde(default)]
    is_app_user: bool,
    #[serde(default)]
    profile: Profile,
}

#[derive(Debug, Default, Deserialize)]
struct Profile {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ChannelEntry {
    id: String,
    name: String,
    #[serde(default)]
    purpose: Option<Text>,
    #[serde(default)]
    topic: Option<Text>,
}

#[derive(Debug, Deserialize)]
struct Text {
    #[serde(default)]
    value: String,
}

#[derive(Debug, Deserialize)]
struct Message {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    text: String,
    ts: String,
    #[serde(default)]
    thread_ts: Option<String>,
    #[serde(default)]
    edited: Option<Edited>,
    #[serde(default)]
    files: Vec<FileRef>,
    #[serde(default)]
    reactions: Vec<ReactionRef>,
}

#[derive(Debug, Deserialize)]
struct Edited {
    ts: String,
}

#[derive(Debug, Deserialize)]
struct FileRef {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    url_private: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ReactionRef {
    name: String,
    #[serde(default)]
    users: Vec<String>,
}

/// A person as messages refer to them.
#[derive(Debug, Clone)]
struct Known {
    key: String,
    handle: String,
    emitted: bool,
}

/// A Slack timestamp (`"1614843600.000200"`) as an instant.
pub fn instant(ts: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, "0"));
    let secs: i64 = secs.parse().ok()?;
    let micros: u32 = format!("{frac:0<6}").get(..6)?.parse().ok()?;
    DateTime::from_timestamp(secs, micros * 1000)
}

/// Our reaction for a Slack emoji name, if we have one.
pub fn reaction_for(emoji: &str) -> Option<Reaction> {
    let base = emoji.split("::").next().unwrap_or(emoji);
    match base {
        "+1" | "thumbsup" | "white_check_mark" | "heavy_check_mark" | "bulb" | "100" | "star"
        | "point_up" | "dart" => Some(Reaction::Helpful),
        "pray" | "heart" | "raised_hands" | "clap" | "tada" | "bow" | "thankyou" | "thank_you"
        | "thanks" | "hugging_face" => Some(Reaction::Thanks),
        _ => None,
    }
}

/// Reads the export at `path` (zip or folder) into `sink`.
pub fn read(path: &Path, options: &Options, sink: &mut dyn Sink) -> Result<(), ReadError> {
    let mut source = Source::open(path)?;
    for required in ["users.json", "channels.json"] {
        if !source.exists(required) {
            return Err(ReadError::Missing(source.label(required)));
        }
    }
    let mut reader = Reader {
        people: HashMap::new(),
        team: String::new(),
    };
    if reader.users(&mut source, sink)?.is_break() {
        return Ok(());
    }
    let mut channels = reader.channels(&mut source, "channels.json", false)?;
    if source.exists("groups.json") {
        channels.extend(reader.channels(&mut source, "groups.json", true)?);
    }
    for wanted in &options.channels {
        if !channels.iter().any(|(c, _)| &c.name == wanted) {
            return Err(ReadError::Missing(format!(
                "channel #{wanted} in {}",
                source.label("channels.json")
            )));
        }
    }
    for (channel, id) in channels {
        if !options.channels.is_empty() && !options.channels.contains(&channel.name) {
            continue;
        }
        let name = channel.name.clone();
        if sink.item(Item::Channel(channel)).is_break() {
            return Ok(());
        }
        for day in source.days(&name)? {
            if reader.day(&mut source, &id, &day, sink)?.is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

struct Reader {
    /// Users and bots by Slack id.
    people: HashMap<String, Known>,
    /// The workspace's id, from the users.
    team: String,
}

impl Reader {
    fn users(
        &mut self,
        source: &mut Source,
        sink: &mut dyn Sink,
    ) -> Result<ControlFlow<()>, ReadError> {
        let label = source.label("users.json");
        let mut flow = ControlFlow::Continue(());
        let people = &mut self.people;
        let team = &mut self.team;
        let result = source.with("users.json", |r| {
            json_stream::for_each(r, |n, value| {
                let user: User = match serde_json::from_value(value) {
                    Ok(u) => u,
                    Err(e) => {
                        flow = sink.item(Item::Skipped(Skip {
                            reason: Reason::Malformed,
                            at: Position::record(&label, n),
                            detail: format!("a user that cannot be read: {e}"),
                        }));
                        return flow;
                    }
                };
                if team.is_empty()
                    && let Some(t) = &user.team_id
                {
                    *team = t.clone();
                }
                let key = format!(
                    "slack:{}:{}",
                    user.team_id.as_deref().unwrap_or("-"),
                    user.id
                );
                let name = [
                    user.profile.real_name.as_deref(),
                    user.real_name.as_deref(),
                    user.profile.display_name.as_deref(),
                    Some(user.name.as_str()),
                ]
                .into_iter()
                .flatten()
                .find(|n| !n.trim().is_empty())
                .unwrap_or(&user.id)
                .to_owned();
                let email = user.profile.email.as_deref().and_then(crate::usable_email);
                let handle = email
                    .as_deref()
                    .map(domain::thread::handle_of)
                    .unwrap_or_else(|| name.clone());
                people.insert(
                    user.id.clone(),
                    Known {
                        key: key.clone(),
                        handle,
                        emitted: true,
                    },
                );
                flow = sink.item(Item::Person(ImportedPerson {
                    key,
                    email,
                    name: fit_name(&name, &user.id),
                    bot: user.is_bot || user.is_app_user || user.id == "USLACKBOT",
                    team: None,
                }));
                flow
            })
        })?;
        result.map_err(|e| ReadError::Malformed {
            at: Position::file(&label).at_line(e.line() as u64),
            reason: e.to_string(),
        })?;
        Ok(flow)
    }

    fn channels(
        &mut self,
        source: &mut Source,
        file: &str,
        private: bool,
    ) -> Result<Vec<(Channel, String)>, ReadError> {
        let label = source.label(file);
        let mut out = Vec::new();
        let mut bad = None;
        let result = source.with(file, |r| {
            json_stream::for_each(r, |n, value| {
                match serde_json::from_value::<ChannelEntry>(value) {
                    Ok(c) => out.push((
                        Channel {
                            name: c.name,
                            private,
                            purpose: c
                                .purpose
                                .map(|p| p.value)
                                .filter(|p| !p.is_empty())
                                .or(c.topic.map(|t| t.value))
                                .unwrap_or_default(),
                        },
                        c.id,
                    )),
                    Err(e) => {
                        bad = Some((n, e.to_string()));
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            })
        })?;
        result.map_err(|e| ReadError::Malformed {
            at: Position::file(&label).at_line(e.line() as u64),
            reason: e.to_string(),
        })?;
        if let Some((n, reason)) = bad {
            return Err(ReadError::Malformed {
                at: Position::record(&label, n),
                reason: format!("a channel that cannot be read: {reason}"),
            });
        }
        Ok(out)
    }

    fn day(
        &mut self,
        source: &mut Source,
        channel_id: &str,
        day: &str,
        sink: &mut dyn Sink,
    ) -> Result<ControlFlow<()>, ReadError> {
        let label = source.label(day);
        let mut flow = ControlFlow::Continue(());
        let result = source.with(day, |r| {
            json_stream::for_each(r, |n, value| {
                let at = Position::record(&label, n);
                flow = match serde_json::from_value::<Message>(value) {
                    Ok(m) => self.message(channel_id, m, at, sink),
                    Err(e) => sink.item(Item::Skipped(Skip {
                        reason: Reason::Malformed,
                        at,
                        detail: format!("a message that cannot be read: {e}"),
                    })),
                };
                flow
            })
        })?;
        if let Err(e) = result {
            // A broken day file: what was read stays, the rest is reported.
            flow = sink.item(Item::Skipped(Skip {
                reason: Reason::Malformed,
                at: Position::file(&label).at_line(e.line() as u64),
                detail: format!("the rest of this day file cannot be read: {e}"),
            }));
        }
        Ok(flow)
    }

    fn skip(sink: &mut dyn Sink, reason: Reason, at: Position, detail: String) -> ControlFlow<()> {
        sink.item(Item::Skipped(Skip { reason, at, detail }))
    }

    fn message(
        &mut self,
        channel_id: &str,
        m: Message,
        at: Position,
        sink: &mut dyn Sink,
    ) -> ControlFlow<()> {
        if m.kind.as_deref().is_some_and(|k| k != "message") {
            return Self::skip(
                sink,
                Reason::Unsupported,
                at,
                format!("a {:?} record", m.kind.unwrap_or_default()),
            );
        }
        let Some(when) = instant(&m.ts) else {
            return Self::skip(
                sink,
                Reason::Malformed,
                at,
                format!("the timestamp {:?} cannot be read", m.ts),
            );
        };
        let subtype = m.subtype.as_deref().unwrap_or("");
        let author: Option<String> = match subtype {
            "" | "thread_broadcast" | "file_share" | "me_message" | "file_comment" => {
                match m.user.as_deref().and_then(|u| self.people.get(u)) {
                    Some(k) => Some(k.key.clone()),
                    None => {
                        let who = m.user.as_deref().unwrap_or("no one");
                        return Self::skip(
                            sink,
                            Reason::UnknownUser,
                            at,
                            format!("a message by {who}, who is not in users.json"),
                        );
                    }
                }
            }
            "bot_message" => {
                let id = m
                    .bot_id
                    .clone()
                    .or(m.user.clone())
                    .unwrap_or_else(|| "unknown-bot".into());
                if let Some(k) = m.user.as_deref().and_then(|u| self.people.get(u)) {
                    Some(k.key.clone())
                } else {
                    let key = format!(
                        "slack:{}:bot:{id}",
                        if self.team.is_empty() {
                            "-"
                        } else {
                            &self.team
                        }
                    );
                    let known = self
                        .people
                        .entry(format!("bot:{id}"))
                        .or_insert_with(|| Known {
                            key: key.clone(),
                            handle: m.username.clone().unwrap_or_else(|| id.clone()),
                            emitted: false,
                        });
                    if !known.emitted {
                        known.emitted = true;
                        let name =
                            fit_name(m.username.as_deref().unwrap_or(""), &format!("Bot {id}"));
                        if sink
                            .item(Item::Person(ImportedPerson {
                                key: key.clone(),
                                email: None,
                                name,
                                bot: true,
                                team: None,
                            }))
                            .is_break()
                        {
                            return ControlFlow::Break(());
                        }
                    }
                    Some(key)
                }
            }
            "channel_join" | "group_join" => {
                return match m.user.as_deref().and_then(|u| self.people.get(u)) {
                    Some(k) => sink.item(Item::Joined {
                        person: k.key.clone(),
                        at: when,
                    }),
                    None => Self::skip(
                        sink,
                        Reason::UnknownUser,
                        at,
                        "a join by someone not in users.json".into(),
                    ),
                };
            }
            "tombstone" => None,
            other => {
                return Self::skip(
                    sink,
                    Reason::SystemMessage,
                    at,
                    format!("a {other} message"),
                );
            }
        };
        let people = &self.people;
        let lookup = |id: &str| people.get(id).map(|k| k.handle.clone());
        let mut body = if subtype == "tombstone" {
            "*(This message was deleted in Slack.)*".to_owned()
        } else {
            markup::from_slack(&m.text, &lookup)
        };
        for file in &m.files {
            if matches!(file.mode.as_deref(), Some("tombstone" | "hidden_by_limit")) {
                continue;
            }
            let label = file
                .title
                .as_deref()
                .or(file.name.as_deref())
                .unwrap_or("a file");
            let url = file
                .permalink
                .as_deref()
                .or(file.url_private.as_deref())
                .unwrap_or("");
            body.push_str(&format!("\n\n📎 {}", markup::link(label, url)));
        }
        let key = format!("slack:{channel_id}:{}", m.ts);
        let is_reply = m.thread_ts.as_deref().is_some_and(|t| t != m.ts);
        let post = ImportedPost {
            key: key.clone(),
            author,
            at: when,
            edited_at: m.edited.as_ref().and_then(|e| instant(&e.ts)),
            parents: if is_reply {
                vec![format!(
                    "slack:{channel_id}:{}",
                    m.thread_ts.as_deref().unwrap_or_default()
                )]
            } else {
                Vec::new()
            },
            opens: (!is_reply).then(|| Opening {
                title: fit_title(
                    &domain::thread::plain_text(&body),
                    "(a message without text)",
                ),
                thread_type: ThreadType::Discussion,
                tags: Vec::new(),
            }),
            aliases: Vec::new(),
            body,
        };
        if sink.item(Item::Post(post)).is_break() {
            return ControlFlow::Break(());
        }
        for r in &m.reactions {
            let Some(reaction) = reaction_for(&r.name) else {
                if sink
                    .item(Item::Unmapped {
                        what: "reactions with no equivalent",
                        detail: format!(":{}:", r.name),
                    })
                    .is_break()
                {
                    return ControlFlow::Break(());
                }
                continue;
            };
            for user in &r.users {
                if let Some(k) = self.people.get(user)
                    && sink
                        .item(Item::Reaction(ImportedReaction {
                            post: key.clone(),
                            person: k.key.clone(),
                            reaction,
                            at: when,
                        }))
                        .is_break()
                {
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_reactions() {
        let t = instant("1614843600.000200").unwrap();
        assert_eq!(t.timestamp(), 1_614_843_600);
        assert_eq!(t.timestamp_subsec_micros(), 200);
        assert!(instant("nope").is_none());
        assert_eq!(reaction_for("+1::skin-tone-2"), Some(Reaction::Helpful));
        assert_eq!(reaction_for("pray"), Some(Reaction::Thanks));
        assert_eq!(reaction_for("rocket"), None);
    }
}
