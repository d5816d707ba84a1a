//! The activity log in memory: interned, compact records in time order.
//!
//! Every string of the log (community, actor, team, subject) becomes a `u32`
//! so that the figures are computed over plain integers. Subjects are
//! interned per community: a subject id names one (community, subject) pair,
//! which is how the organisation report tells threads, artifacts and
//! gatherings of different communities apart.

use rustc_hash::FxHashMap;

use crate::event::{Event, Kind, Response, ThreadType};
use crate::instant::{self, InstantError};

/// The id used where a field is absent.
pub const NONE: u32 = u32::MAX;

/// One event with its strings interned and its instant in UTC nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub at: i64,
    pub community: u32,
    pub actor: u32,
    /// Local to the community; see [`ActivityLog::subject_offsets`].
    pub subject: u32,
    pub reply_to: u32,
    pub team: u32,
    pub reply_to_team: u32,
    /// [`NONE`] when absent.
    pub review_days: u32,
    pub kind: Kind,
    pub thread_type: Option<ThreadType>,
    pub response: Option<Response>,
    /// 0 when absent, else 1 to 5.
    pub value: u8,
}

impl Record {
    /// Whether the event has an actor.
    pub fn attributed(&self) -> bool {
        self.actor != NONE
    }
}

/// A string interner: each distinct string gets the next `u32`. Names of
/// up to 7 or 15 bytes (most ids) are keyed by their bytes packed in a
/// `u64` or `u128`, which hash and compare without a call to `memcmp` and
/// keep the tables small in cache.
/// The names themselves are kept end to end in one string (no allocation
/// per name).
#[derive(Debug, Default, Clone)]
pub struct Names {
    tiny: TinyTable,
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    /// Every name, end to end, in id order.
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<usize>,
}

/// A name of up to seven bytes packed in a `u64`: its bytes, then its
/// length with the top bit set in the last byte, so that no key is 0.
fn packed_tiny(name: &str) -> Option<u64> {
    let bytes = name.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    key[7] = 0x80 | bytes.len() as u8;
    Some(u64::from_le_bytes(key))
}

/// A hash table from packed short names to ids: open addressing with
/// linear probing over one array of (key, id) slots, at most half full, so
/// that a lookup usually touches one cache line (a general-purpose table
/// keeps its control bytes and its entries apart: two).
#[derive(Debug, Default, Clone)]
struct TinyTable {
    /// `(0, _)` is an empty slot; a power of two long, or empty.
    slots: Vec<(u64, u32)>,
    len: usize,
    /// 64 − log2(slots), for Fibonacci hashing.
    shift: u32,
}

impl TinyTable {
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The id of `key`, inserting it with `next` if absent.
    fn id_or_insert(&mut self, key: u64, next: u32) -> u32 {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return id;
            }
            if k == 0 {
                self.slots[i] = (key, next);
                self.len += 1;
                return next;
            }
            i = (i + 1) & mask;
        }
    }

    fn get(&self, key: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Reads the slot where `key` would be found first, so that it is in
    /// cache for a lookup soon after; returns what it read.
    fn touch(&self, key: u64) -> u64 {
        self.slots.get(self.slot(key)).map_or(0, |&(k, _)| k)
    }

    fn grow(&mut self) {
        let capacity = (2 * self.slots.len()).max(16);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        let mask = capacity - 1;
        for (key, id) in old.into_iter().filter(|&(key, _)| key != 0) {
            let mut i = self.slot(key);
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (key, id);
        }
    }
}

fn packed(name: &str) -> Option<u128> {
    let bytes = name.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
}

impl Names {
    /// The id of `name`, interning it on first sight.
    pub fn intern(&mut self, name: &str) -> u32 {
        let next = u32::try_from(self.ends.len()).expect("fewer than 2^32 names");
        let id = if let Some(key) = packed_tiny(name) {
            self.tiny.id_or_insert(key, next)
        } else if let Some(key) = packed(name) {
            *self.short.entry(key).or_insert(next)
        } else {
            match self.long.get(name) {
                Some(&id) => id,
                None => {
                    self.long.insert(name.into(), next);
                    next
                }
            }
        };
        if id == next {
            self.text.push_str(name);
            self.ends.push(self.text.len());
        }
        id
    }

    /// Brings the table slot for `name` into cache (for names of up to
    /// seven bytes), without waiting for it: call it for many names, then
    /// intern them. Returns a value to pass to [`std::hint::black_box`].
    pub fn touch(&self, name: &str) -> u64 {
        packed_tiny(name).map_or(0, |key| self.tiny.touch(key))
    }

    /// The id of `name` if it was interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        if let Some(key) = packed_tiny(name) {
            self.tiny.get(key)
        } else if let Some(key) = packed(name) {
            self.short.get(&key).copied()
        } else {
            self.long.get(name).copied()
        }
    }

    /// The string of an id.
    pub fn name(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.text[start..self.ends[id]]
    }

    /// Every name, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|id| self.name(id as u32))
    }

    /// How many distinct names there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no name was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// The fields of one event, borrowed, as read from a line.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub at: i64,
    pub community: &'a str,
    pub actor: Option<&'a str>,
    pub kind: Kind,
    pub subject: Option<&'a str>,
    pub reply_to: Option<&'a str>,
    pub team: Option<&'a str>,
    pub reply_to_team: Option<&'a str>,
    pub thread_type: Option<ThreadType>,
    pub response: Option<Response>,
    pub value: Option<u8>,
    pub review_days: Option<u32>,
}

/// The whole activity log, interned.
#[derive(Debug, Default, Clone)]
pub struct ActivityLog {
    records: Vec<Record>,
    communities: Names,
    actors: Names,
    teams: Names,
    subjects: Vec<Names>,
    sorted: bool,
}

impl ActivityLog {
    /// An empty log.
    pub fn new() -> ActivityLog {
        ActivityLog {
            sorted: true,
            ..ActivityLog::default()
        }
    }

    /// Adds one event given by its borrowed fields.
    pub fn push_fields(&mut self, fields: &Fields<'_>) {
        let community = self.communities.intern(fields.community);
        if community as usize == self.subjects.len() {
            self.subjects.push(Names::default());
        }
        let actors = &mut self.actors;
        let teams = &mut self.teams;
        let subjects = &mut self.subjects[community as usize];
        let record = Record {
            at: fields.at,
            community,
            actor: fields.actor.map_or(NONE, |a| actors.intern(a)),
            subject: fields.subject.map_or(NONE, |s| subjects.intern(s)),
            reply_to: fields.reply_to.map_or(NONE, |a| actors.intern(a)),
            team: fields.team.map_or(NONE, |t| teams.intern(t)),
            reply_to_team: fields.reply_to_team.map_or(NONE, |t| teams.intern(t)),
            review_days: fields.review_days.unwrap_or(NONE),
            kind: fields.kind,
            thread_type: fields.thread_type,
            response: fields.response,
            value: fields.value.unwrap_or(0),
        };
        if self.records.last().is_some_and(|last| last.at > record.at) {
            self.sorted = false;
        }
        self.records.push(record);
    }

    /// Adds events given by their borrowed fields, as [`Self::push_fields`]
    /// one by one would, interning one field of every event after another.
    pub fn push_batch(&mut self, batch: &[Fields<'_>]) {
        let start = self.records.len();
        let mut sorted = self.sorted;
        let mut previous = self.records.last().map_or(i64::MIN, |r| r.at);
        for fields in batch {
            let community = self.communities.intern(fields.community);
            if community as usize == self.subjects.len() {
                self.subjects.push(Names::default());
            }
            sorted &= previous <= fields.at;
            previous = fields.at;
            self.records.push(Record {
                at: fields.at,
                community,
                actor: NONE,
                subject: NONE,
                reply_to: NONE,
                team: NONE,
                reply_to_team: NONE,
                review_days: fields.review_days.unwrap_or(NONE),
                kind: fields.kind,
                thread_type: fields.thread_type,
                response: fields.response,
                value: fields.value.unwrap_or(0),
            });
        }
        self.sorted = sorted;
        let records = &mut self.records[start..];
        let actors = &mut self.actors;
        // The tables are larger than the caches: first touch every slot the
        // batch will look at (independent loads, which the processor
        // overlaps), then look them up.
        let mut touched = 0u64;
        for fields in batch {
            if let Some(actor) = fields.actor {
                touched ^= actors.touch(actor);
            }
        }
        for (r, fields) in records.iter().zip(batch) {
            if let Some(subject) = fields.subject {
                touched ^= self.subjects[r.community as usize].touch(subject);
            }
        }
        std::hint::black_box(touched);
        // Each table sees its names in the same order as one event at a
        // time would show them, so every id is the same.
        for (r, fields) in records.iter_mut().zip(batch) {
            if let Some(actor) = fields.actor {
                r.actor = actors.intern(actor);
            }
            if let Some(actor) = fields.reply_to {
                r.reply_to = actors.intern(actor);
            }
        }
        for (r, fields) in records.iter_mut().zip(batch) {
            if let Some(subject) = fields.subject {
                r.subject = self.subjects[r.community as usize].intern(subject);
            }
        }
        let teams = &mut self.teams;
        for (r, fields) in records.iter_mut().zip(batch) {
            if let Some(team) = fields.team {
                r.team = teams.intern(team);
            }
            if let Some(team) = fields.reply_to_team {
                r.reply_to_team = teams.intern(team);
            }
        }
    }

    /// Adds one owned event; fails only on a bad instant.
    pub fn push(&mut self, event: &Event) -> Result<(), InstantError> {
        let at = instant::parse(&event.at)?;
        self.push_fields(&Fields {
            at,
            community: &event.community,
            actor: event.actor.as_deref(),
            kind: event.kind,
            subject: event.subject.as_deref(),
            reply_to: event.reply_to.as_deref(),
            team: event.team.as_deref(),
            reply_to_team: event.reply_to_team.as_deref(),
            thread_type: event.thread_type,
            response: event.response,
            value: event.value,
            review_days: event.review_days,
        });
        Ok(())
    }

    /// Makes room for `additional` more events.
    pub fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
    }

    /// The records in time order (the order of lines between equal instants).
    pub fn records(&mut self) -> &[Record] {
        if !self.sorted {
            self.records.sort_by_key(|r| r.at);
            self.sorted = true;
        }
        &self.records
    }

    /// Puts the records in time order; see [`ActivityLog::records`].
    pub fn sort(&mut self) {
        let _ = self.records();
    }

    /// The records, in time order if [`ActivityLog::sort`] was called since
    /// the last push.
    pub fn sorted_records(&self) -> &[Record] {
        assert!(self.sorted, "call ActivityLog::sort before reading records");
        &self.records
    }

    /// How many events the log holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the log holds no event.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn communities(&self) -> &Names {
        &self.communities
    }

    pub fn actors(&self) -> &Names {
        &self.actors
    }

    pub fn teams(&self) -> &Names {
        &self.teams
    }

    /// The subjects of one community.
    pub fn subjects(&self, community: u32) -> &Names {
        &self.subjects[community as usize]
    }

    /// For the organisation scope: the offset added to a record's local
    /// subject to get an id unique across communities.
    pub fn subject_offsets(&self) -> Vec<u32> {
        let mut offsets = Vec::with_capacity(self.subjects.len());
        let mut total = 0u32;
        for names in &self.subjects {
            offsets.push(total);
            total += u32::try_from(names.len()).expect("fewer than 2^32 subjects");
        }
        offsets
    }

    /// Total subjects over all communities.
    pub fn subject_count(&self) -> usize {
        self.subjects.iter().map(Names::len).sum()
    }

    /// The records of each community, in time order, indexed by community id.
    pub fn by_community(&self) -> Vec<Vec<Record>> {
        let mut counts = vec![0usize; self.communities.len()];
        for r in self.sorted_records() {
            counts[r.community as usize] += 1;
        }
        let mut split: Vec<Vec<Record>> = counts.into_iter().map(Vec::with_capacity).collect();
        for r in self.sorted_records() {
            split[r.community as usize].push(*r);
        }
        split
    }
}

/// How far a log had got: its events and the names of each table, so that
/// the events (and names) added between two marks can be appended to another
/// log in order ([`ActivityLog::append_segment`]).
#[derive(Debug, Clone, Default)]
pub struct Marks {
    records: usize,
    communities: usize,
    actors: usize,
    teams: usize,
    /// Names of each community's subjects, by community id.
    subjects: Vec<usize>,
}

/// From one log's ids to another's, as far as they have been appended.
#[derive(Debug, Clone, Default)]
pub struct Remap {
    communities: Vec<u32>,
    actors: Vec<u32>,
    teams: Vec<u32>,
    subjects: Vec<Vec<u32>>,
}

impl ActivityLog {
    /// How far this log has got.
    pub fn marks(&self) -> Marks {
        Marks {
            records: self.records.len(),
            communities: self.communities.len(),
            actors: self.actors.len(),
            teams: self.teams.len(),
            subjects: self.subjects.iter().map(Names::len).collect(),
        }
    }

    /// Appends another log's events after this one's (as if its lines came
    /// next), re-interning its names into this log's ids.
    pub fn append(&mut self, other: ActivityLog) {
        let to = other.marks();
        self.append_segment(&other, &Marks::default(), &to, &mut Remap::default());
        self.sorted &= other.sorted;
    }

    /// Appends the events `other` got between the marks `from` and `to` (as
    /// if their lines came next), interning the names `other` first saw
    /// between them in the order it saw them; `remap` carries `other`'s ids
    /// from one call to the next and must start empty with `from` empty.
    /// Appending every segment of several logs in line order gives the same
    /// ids as reading the lines into one log.
    pub fn append_segment(
        &mut self,
        other: &ActivityLog,
        from: &Marks,
        to: &Marks,
        remap: &mut Remap,
    ) {
        for name in (from.communities..to.communities).map(|id| other.communities.name(id as u32)) {
            remap.communities.push(self.communities.intern(name));
        }
        while self.subjects.len() < self.communities.len() {
            self.subjects.push(Names::default());
        }
        for id in from.actors..to.actors {
            remap
                .actors
                .push(self.actors.intern(other.actors.name(id as u32)));
        }
        for id in from.teams..to.teams {
            remap
                .teams
                .push(self.teams.intern(other.teams.name(id as u32)));
        }
        remap.subjects.resize_with(to.communities, Vec::new);
        for (c, &end) in to.subjects.iter().enumerate() {
            let start = from.subjects.get(c).copied().unwrap_or(0);
            let target = &mut self.subjects[remap.communities[c] as usize];
            for id in start..end {
                remap.subjects[c].push(target.intern(other.subjects[c].name(id as u32)));
            }
        }
        let map = |table: &[u32], id: u32| if id == NONE { NONE } else { table[id as usize] };
        let records = &other.records[from.records..to.records];
        self.records.reserve(records.len());
        let mut previous = self.records.last().map(|r| r.at);
        for r in records {
            if previous.is_some_and(|p| p > r.at) {
                self.sorted = false;
            }
            previous = Some(r.at);
            self.records.push(Record {
                community: remap.communities[r.community as usize],
                actor: map(&remap.actors, r.actor),
                subject: map(&remap.subjects[r.community as usize], r.subject),
                reply_to: map(&remap.actors, r.reply_to),
                team: map(&remap.teams, r.team),
                reply_to_team: map(&remap.teams, r.reply_to_team),
                ..*r
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_names_intern_once() {
        let mut names = Names::default();
        let long = "a-name-longer-than-fifteen-bytes";
        let ids = [
            names.intern("m1"),
            names.intern(long),
            names.intern("m1"),
            names.intern(long),
            names.intern(""),
            names.intern("twelve-bytes"),
            names.intern("twelve-bytes"),
        ];
        assert_eq!(ids, [0, 1, 0, 1, 2, 3, 3]);
        assert_eq!(names.get("m1"), Some(0));
        assert_eq!(names.get("m1\0"), None, "length is part of the key");
        assert_eq!(names.name(1), long);
        assert_eq!(names.get("twelve-bytes"), Some(3));
        assert_eq!(names.len(), 4);
    }
}
