//! What becomes of a batch of queued records, decided in memory: [`Known`]
//! loads, in a few statements, what the database holds that the batch
//! refers to (its import keys, the threads and replies they name, the
//! people's bot flags and teams, their memberships); [`plan`] then goes
//! through the records in order, as the row-by-row writes would, and lays
//! out the rows to write. New threads and replies are numbered in the
//! batch ([`Ref::New`]) until `write` gives them ids.

use std::collections::{HashMap, HashSet};

use domain::imported::{ImportedPost, ImportedReaction, Opening};
use sqlx::Row;

use super::{By, Facts, Outcome, Queued, Record};
use crate::{StoreError, Tx, bulk, millis};

/// A thread or a reply: one already in the database, or the batch's n-th new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Ref {
    Old(i64),
    New(usize),
}

/// What an import key names.
#[derive(Debug, Clone, Copy)]
struct Target {
    /// Whether the key is a reply's.
    reply_kind: bool,
    thread: Option<Ref>,
    reply: Option<Ref>,
}

/// A thread as the batch sees it.
#[derive(Debug, Clone, Copy)]
struct ThreadState {
    community: i64,
    opener: Option<i64>,
    accepted: Option<Ref>,
}

/// What the database holds that a batch refers to.
pub(super) struct Known {
    keys: HashMap<String, Target>,
    threads: HashMap<i64, ThreadState>,
    /// Reply authors by reply id.
    replies: HashMap<i64, Option<i64>>,
}

impl Known {
    /// Loads it, and completes `facts` and `members` for the people involved.
    pub(super) async fn load(
        tx: &mut Tx,
        queue: &[Queued],
        facts: &mut HashMap<i64, Facts>,
        members: &mut HashSet<(i64, i64)>,
        members_loaded: &mut HashSet<i64>,
    ) -> Result<Known, StoreError> {
        let mut wanted: HashSet<&str> = HashSet::new();
        let mut people: HashSet<i64> = HashSet::new();
        let mut joining: HashSet<i64> = HashSet::new();
        for q in queue {
            match &q.record {
                Record::Post { post, .. } => {
                    wanted.insert(&post.key);
                    wanted.extend(post.parents.iter().map(String::as_str));
                    wanted.extend(post.aliases.iter().map(String::as_str));
                }
                Record::Accepted(a) => {
                    wanted.insert(&a.question);
                    wanted.insert(&a.answer);
                }
                Record::Reaction(r) => {
                    wanted.insert(&r.post);
                }
                Record::Joined { .. } => {}
            }
            if let By::Person(id) = q.by {
                people.insert(id);
                if !matches!(q.record, Record::Reaction(_)) {
                    joining.insert(id);
                }
            }
        }
        let wanted: Vec<&str> = wanted.into_iter().collect();
        let rows = bulk::fetch_in(
            tx,
            "SELECT source_key, kind, thread_id, reply_id FROM import_keys WHERE source_key IN ({in})",
            &wanted,
            |q, k| q.bind(*k),
        )
        .await?;
        let mut keys = HashMap::with_capacity(rows.len());
        let mut thread_ids = HashSet::new();
        let mut reply_ids = HashSet::new();
        for row in rows {
            let kind: String = row.try_get(1)?;
            let thread: Option<i64> = row.try_get(2)?;
            let reply: Option<i64> = row.try_get(3)?;
            thread_ids.extend(thread);
            reply_ids.extend(reply);
            keys.insert(
                row.try_get(0)?,
                Target {
                    reply_kind: kind == "reply",
                    thread: thread.map(Ref::Old),
                    reply: reply.map(Ref::Old),
                },
            );
        }
        let thread_ids: Vec<i64> = thread_ids.into_iter().collect();
        let mut threads = HashMap::with_capacity(thread_ids.len());
        for row in bulk::fetch_in(
            tx,
            "SELECT id, community_id, author_id, accepted_reply_id FROM threads WHERE id IN ({in})",
            &thread_ids,
            |q, id| q.bind(*id),
        )
        .await?
        {
            let opener: Option<i64> = row.try_get(2)?;
            people.extend(opener);
            threads.insert(
                row.try_get(0)?,
                ThreadState {
                    community: row.try_get(1)?,
                    opener,
                    accepted: row.try_get::<Option<i64>, _>(3)?.map(Ref::Old),
                },
            );
        }
        let reply_ids: Vec<i64> = reply_ids.into_iter().collect();
        let mut replies = HashMap::with_capacity(reply_ids.len());
        for row in bulk::fetch_in(
            tx,
            "SELECT id, author_id FROM replies WHERE id IN ({in})",
            &reply_ids,
            |q, id| q.bind(*id),
        )
        .await?
        {
            let author: Option<i64> = row.try_get(1)?;
            people.extend(author);
            replies.insert(row.try_get(0)?, author);
        }
        let unknown: Vec<i64> = people
            .into_iter()
            .filter(|id| !facts.contains_key(id))
            .collect();
        for row in bulk::fetch_in(
            tx,
            "SELECT p.id, p.is_bot, t.name FROM people p LEFT JOIN teams t ON t.id = p.team_id \
             WHERE p.id IN ({in})",
            &unknown,
            |q, id| q.bind(*id),
        )
        .await?
        {
            facts.insert(
                row.try_get(0)?,
                Facts {
                    bot: row.try_get::<i64, _>(1)? == 1,
                    team: row.try_get(2)?,
                },
            );
        }
        let unloaded: Vec<i64> = joining
            .into_iter()
            .filter(|id| !members_loaded.contains(id))
            .collect();
        for row in bulk::fetch_in(
            tx,
            "SELECT community_id, person_id FROM memberships WHERE left_at IS NULL AND person_id IN ({in})",
            &unloaded,
            |q, id| q.bind(*id),
        )
        .await?
        {
            members.insert((row.try_get(0)?, row.try_get(1)?));
        }
        members_loaded.extend(unloaded);
        Ok(Known {
            keys,
            threads,
            replies,
        })
    }
}

/// A new thread to write.
pub(super) struct NewThread<'q> {
    pub community: i64,
    pub post: &'q ImportedPost,
    pub opening: &'q Opening,
    pub author: Option<i64>,
    pub replies: i64,
    pub last_activity: i64,
    pub first_response: Option<i64>,
    pub accepted: Option<(Ref, i64)>,
}

/// A new reply to write.
pub(super) struct NewReply<'q> {
    pub thread: Ref,
    pub post: &'q ImportedPost,
    pub author: Option<i64>,
    pub quote_of: Option<Ref>,
}

/// An event to append, its subject thread still to be numbered.
pub(super) struct Event {
    pub at: chrono::DateTime<chrono::Utc>,
    pub community: i64,
    pub actor: i64,
    pub kind: &'static str,
    pub thread: Option<Ref>,
    pub reply_to: Option<i64>,
    pub thread_type: Option<&'static str>,
}

/// An import key to remember.
pub(super) struct NewKey<'q> {
    pub key: &'q str,
    pub kind: &'static str,
    pub thread: Ref,
    pub reply: Option<Ref>,
    pub at: i64,
}

/// What changes in a thread written before this batch.
#[derive(Debug, Default)]
pub(super) struct Change {
    pub replies: i64,
    pub last_activity: Option<i64>,
    pub first_response: Option<i64>,
    pub accepted: Option<(Ref, i64)>,
}

/// A reaction to add (once per person and kind).
pub(super) struct NewReaction<'q> {
    pub thread: Ref,
    pub reply: Option<Ref>,
    pub person: i64,
    pub reaction: &'q ImportedReaction,
}

/// What becomes of a record once the batch's ids are known.
pub(super) enum Planned {
    Done(Outcome),
    Thread(usize),
    Reply(usize),
    Reaction(usize),
}

/// The rows a batch writes, in the order the row-by-row writes would.
#[derive(Default)]
pub(super) struct Plan<'q> {
    pub outcomes: Vec<Planned>,
    pub memberships: Vec<(i64, i64, i64)>,
    pub threads: Vec<NewThread<'q>>,
    pub replies: Vec<NewReply<'q>>,
    pub events: Vec<Event>,
    pub keys: Vec<NewKey<'q>>,
    pub changes: Vec<(i64, Change)>,
    pub reactions: Vec<NewReaction<'q>>,
}

/// The batch being laid out.
struct Planner<'q, 'k> {
    known: &'k Known,
    members: &'k mut HashSet<(i64, i64)>,
    fresh: HashMap<&'q str, Target>,
    threads: HashMap<Ref, ThreadState>,
    changes: HashMap<i64, Change>,
    plan: Plan<'q>,
}

/// Lays out the rows `queue` writes, given what the database holds.
pub(super) fn plan<'q>(
    queue: &'q [Queued],
    known: &Known,
    members: &mut HashSet<(i64, i64)>,
) -> Plan<'q> {
    let mut p = Planner {
        known,
        members,
        fresh: HashMap::new(),
        threads: known
            .threads
            .iter()
            .map(|(id, t)| (Ref::Old(*id), *t))
            .collect(),
        changes: HashMap::new(),
        plan: Plan::default(),
    };
    for q in queue {
        let outcome = match &q.record {
            Record::Post { community, post } => p.post(*community, post, q.by),
            Record::Accepted(a) => p.accept(&a.question, &a.answer, millis(a.at), a.at),
            Record::Reaction(r) => p.react(r, q.by),
            Record::Joined { community, at, .. } => match q.by {
                By::Person(id) => {
                    if p.ensure_member(*community, id, *at) {
                        Planned::Done(Outcome::Added)
                    } else {
                        Planned::Done(Outcome::Existing)
                    }
                }
                _ => Planned::Done(Outcome::UnknownPerson),
            },
        };
        p.plan.outcomes.push(outcome);
    }
    let mut changes: Vec<(i64, Change)> = p.changes.into_iter().collect();
    changes.sort_by_key(|(id, _)| *id);
    p.plan.changes = changes;
    p.plan
}

impl<'q> Planner<'q, '_> {
    fn target(&self, key: &str) -> Option<Target> {
        self.fresh
            .get(key)
            .or_else(|| self.known.keys.get(key))
            .copied()
    }

    fn ensure_member(
        &mut self,
        community: i64,
        person: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        if !self.members.insert((community, person)) {
            return false;
        }
        self.plan.memberships.push((community, person, millis(at)));
        self.plan.events.push(Event {
            at,
            community,
            actor: person,
            kind: "joined",
            thread: None,
            reply_to: None,
            thread_type: None,
        });
        true
    }

    fn post(&mut self, community: i64, post: &'q ImportedPost, by: By) -> Planned {
        if self.target(&post.key).is_some() {
            return Planned::Done(Outcome::Existing);
        }
        let author = match by {
            By::Person(id) => Some(id),
            By::Nobody => None,
            By::Unknown => return Planned::Done(Outcome::UnknownPerson),
        };
        let parent = post.parents.iter().find_map(|key| {
            let t = self.target(key)?;
            Some((t.thread?, if t.reply_kind { t.reply } else { None }))
        });
        match (parent, &post.opens) {
            (Some((thread, quote_of)), _) => self.reply(thread, quote_of, author, post),
            (None, Some(opening)) => self.thread(community, author, post, opening),
            (None, None) => Planned::Done(Outcome::Dangling),
        }
    }

    fn thread(
        &mut self,
        community: i64,
        author: Option<i64>,
        post: &'q ImportedPost,
        opening: &'q Opening,
    ) -> Planned {
        if let Some(a) = author {
            self.ensure_member(community, a, post.at);
        }
        let n = self.plan.threads.len();
        let id = Ref::New(n);
        let at = millis(post.at);
        self.plan.threads.push(NewThread {
            community,
            post,
            opening,
            author,
            replies: 0,
            last_activity: at,
            first_response: None,
            accepted: None,
        });
        self.threads.insert(
            id,
            ThreadState {
                community,
                opener: author,
                accepted: None,
            },
        );
        if let Some(actor) = author {
            self.plan.events.push(Event {
                at: post.at,
                community,
                actor,
                kind: "thread_opened",
                thread: Some(id),
                reply_to: None,
                thread_type: Some(opening.thread_type.as_str()),
            });
        }
        let target = Target {
            reply_kind: false,
            thread: Some(id),
            reply: None,
        };
        self.fresh.insert(&post.key, target);
        self.remember(&post.key, "thread", id, None, at);
        for alias in &post.aliases {
            if self.target(alias).is_none() {
                self.fresh.insert(alias, target);
                self.remember(alias, "alias", id, None, at);
            }
        }
        Planned::Thread(n)
    }

    fn remember(
        &mut self,
        key: &'q str,
        kind: &'static str,
        thread: Ref,
        reply: Option<Ref>,
        at: i64,
    ) {
        self.plan.keys.push(NewKey {
            key,
            kind,
            thread,
            reply,
            at,
        });
    }

    fn reply_author(&self, reply: Ref) -> Option<i64> {
        match reply {
            Ref::Old(id) => self.known.replies.get(&id).copied().flatten(),
            Ref::New(n) => self.plan.replies[n].author,
        }
    }

    fn reply(
        &mut self,
        thread: Ref,
        quote_of: Option<Ref>,
        author: Option<i64>,
        post: &'q ImportedPost,
    ) -> Planned {
        let Some(state) = self.threads.get(&thread).copied() else {
            // An import key names a thread that is gone.
            return Planned::Done(Outcome::Dangling);
        };
        let quoted_author = quote_of.and_then(|r| self.reply_author(r));
        if let Some(a) = author {
            self.ensure_member(state.community, a, post.at);
        }
        let n = self.plan.replies.len();
        let id = Ref::New(n);
        let at = millis(post.at);
        self.plan.replies.push(NewReply {
            thread,
            post,
            author,
            quote_of,
        });
        // The first response (METRICS.md): the earliest named reply by
        // someone other than the opener; imports may arrive out of order.
        let responds = author.is_some() && author != state.opener;
        let earlier = |now: Option<i64>| match now {
            Some(t) if t <= at => Some(t),
            _ => Some(at),
        };
        match thread {
            Ref::New(t) => {
                let row = &mut self.plan.threads[t];
                row.replies += 1;
                row.last_activity = row.last_activity.max(at);
                if responds {
                    row.first_response = earlier(row.first_response);
                }
            }
            Ref::Old(t) => {
                let change = self.changes.entry(t).or_default();
                change.replies += 1;
                change.last_activity = Some(change.last_activity.map_or(at, |l| l.max(at)));
                if responds {
                    change.first_response = earlier(change.first_response);
                }
            }
        }
        if let Some(actor) = author {
            self.plan.events.push(Event {
                at: post.at,
                community: state.community,
                actor,
                kind: "replied",
                thread: Some(thread),
                reply_to: if quote_of.is_some() {
                    quoted_author
                } else {
                    state.opener
                },
                thread_type: None,
            });
        }
        self.fresh.insert(
            &post.key,
            Target {
                reply_kind: true,
                thread: Some(thread),
                reply: Some(id),
            },
        );
        self.remember(&post.key, "reply", thread, Some(id), at);
        Planned::Reply(n)
    }

    fn accept(
        &mut self,
        question: &str,
        answer: &str,
        at: i64,
        when: chrono::DateTime<chrono::Utc>,
    ) -> Planned {
        let (Some(q), Some(a)) = (self.target(question), self.target(answer)) else {
            return Planned::Done(Outcome::Dangling);
        };
        let (Some(q_thread), None, Some(a_thread), Some(reply)) =
            (q.thread, q.reply, a.thread, a.reply)
        else {
            return Planned::Done(Outcome::Dangling);
        };
        if q_thread != a_thread {
            return Planned::Done(Outcome::Dangling);
        }
        let Some(state) = self.threads.get_mut(&q_thread) else {
            return Planned::Done(Outcome::Dangling);
        };
        if state.accepted == Some(reply) {
            return Planned::Done(Outcome::Existing);
        }
        state.accepted = Some(reply);
        let community = state.community;
        match q_thread {
            Ref::New(t) => self.plan.threads[t].accepted = Some((reply, at)),
            Ref::Old(t) => self.changes.entry(t).or_default().accepted = Some((reply, at)),
        }
        if let Some(actor) = self.reply_author(reply) {
            self.plan.events.push(Event {
                at: when,
                community,
                actor,
                kind: "answer_accepted",
                thread: Some(q_thread),
                reply_to: None,
                thread_type: None,
            });
        }
        Planned::Done(Outcome::Added)
    }

    fn react(&mut self, r: &'q ImportedReaction, by: By) -> Planned {
        let By::Person(person) = by else {
            return Planned::Done(Outcome::UnknownPerson);
        };
        let Some(Target {
            reply_kind,
            thread: Some(thread),
            reply,
        }) = self.target(&r.post)
        else {
            return Planned::Done(Outcome::Dangling);
        };
        let n = self.plan.reactions.len();
        self.plan.reactions.push(NewReaction {
            thread,
            reply: if reply_kind { reply } else { None },
            person,
            reaction: r,
        });
        Planned::Reaction(n)
    }
}
