//! History imported from other systems, written as real threads, replies,
//! reactions and memberships at their original times, with their activity
//! events (`thread_opened`, `replied`, `answer_accepted`, `joined`) stamped
//! with those times, and the search index kept in step. Unlike the shared
//! space's own writes, nobody is notified.
//!
//! Every record is remembered in `import_keys` by its stable key in the
//! source, so importing the same export again adds nothing. An [`Import`]
//! writes in batches: records are queued, and a full queue is written at
//! once (`plan` decides in memory what becomes of each record, from what
//! the database holds for the batch's keys; `write` writes the rows in
//! multi-row statements) and committed, so an import that fails midway
//! keeps whole batches only and, run again, resumes where it stopped. A dry
//! run writes everything in one transaction and rolls it back, so it
//! reports exactly what a real run would create.
//!
//! Merging two identities and claiming an imported account are in
//! `identities`.

mod plan;
mod write;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::charter::Charter;
use domain::community::{CommunityType, Orientation, Visibility};
use domain::imported::{ImportedAcceptance, ImportedPerson, ImportedPost, ImportedReaction};
use domain::person::OrgRole;
use sqlx::Row;

use crate::people::NewPerson;
use crate::{Backend, Store, StoreError, Tx, millis};

/// How many records a batch (one transaction) holds.
pub const BATCH: usize = 1_000;

/// What became of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonOutcome {
    /// A new imported person (no password).
    Created(i64),
    /// Matched by e-mail to someone already here.
    Matched(i64),
    /// Imported before.
    Existing(i64),
}

impl PersonOutcome {
    /// The person's id.
    pub fn id(self) -> i64 {
        match self {
            PersonOutcome::Created(id)
            | PersonOutcome::Matched(id)
            | PersonOutcome::Existing(id) => id,
        }
    }
}

/// What became of a post, an acceptance, a reaction or a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A thread was opened.
    Thread(i64),
    /// A reply was added.
    Reply(i64),
    /// Something else was added (an acceptance, a reaction, a membership).
    Added,
    /// Imported before: nothing added.
    Existing,
    /// It refers to a post that is not here (and cannot open a thread).
    Dangling,
    /// Its writer (or reacting person) was never imported.
    UnknownPerson,
}

/// A record that waits in an import's queue for its batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A post into a community (a thread or a reply).
    Post {
        /// The community a new thread opens in.
        community: i64,
        /// The post.
        post: ImportedPost,
    },
    /// An accepted answer.
    Accepted(ImportedAcceptance),
    /// A reaction to a post.
    Reaction(ImportedReaction),
    /// A person joined a community.
    Joined {
        /// The community.
        community: i64,
        /// The person's key.
        person: String,
        /// When.
        at: DateTime<Utc>,
    },
}

/// A queued record once its batch is written, with what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Settled {
    /// The record.
    pub record: Record,
    /// What became of it.
    pub outcome: Outcome,
}

/// Who a queued record is by, as known when it was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// Nobody (an acceptance, an anonymous post).
    Nobody,
    /// This person.
    Person(i64),
    /// Someone never imported.
    Unknown,
}

/// A record in the queue.
#[derive(Debug)]
struct Queued {
    record: Record,
    by: By,
}

/// What events need of a person: whether they are a bot, and their team.
#[derive(Debug, Clone, Default)]
struct Facts {
    bot: bool,
    team: Option<String>,
}

/// An import in progress.
pub struct Import<'s> {
    store: &'s Store,
    tx: Option<Tx>,
    dry_run: bool,
    strict: bool,
    stopped: bool,
    batch: usize,
    /// People and communities written since the last commit.
    pending: usize,
    source: String,
    now: DateTime<Utc>,
    /// Records waiting for their batch.
    queue: Vec<Queued>,
    /// Person ids by source key.
    people: HashMap<String, i64>,
    /// Bot flags and teams by person id.
    facts: HashMap<i64, Facts>,
    /// Team ids by name.
    teams: HashMap<String, i64>,
    /// (community, person) pairs known to be members.
    members: HashSet<(i64, i64)>,
    /// People whose memberships are all in `members`.
    members_loaded: HashSet<i64>,
}

/// What an import says once it stopped (under `--strict`).
fn stopped() -> StoreError {
    StoreError::Conflict {
        field: "import",
        message: "the import stopped at a record it could not bring in".into(),
    }
}

/// A person's key as an e-mail address that can never receive mail, for
/// people whose source knows no address.
fn placeholder_email(key: &str) -> String {
    let mut local = String::new();
    for c in key.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            local.push(c);
        } else if !local.ends_with('.') {
            local.push('.');
        }
    }
    format!("{}@imported.invalid", local.trim_matches('.'))
}

async fn key_of(
    tx: &mut Tx,
    key: &str,
) -> Result<Option<(String, Option<i64>, Option<i64>, Option<i64>)>, StoreError> {
    let row = sqlx::query(
        "SELECT kind, person_id, thread_id, reply_id FROM import_keys WHERE source_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)),
        None => None,
    })
}

async fn remember(
    tx: &mut Tx,
    key: &str,
    kind: &str,
    (person, thread, reply): (Option<i64>, Option<i64>, Option<i64>),
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO import_keys (source_key, kind, person_id, thread_id, reply_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key)
    .bind(kind)
    .bind(person)
    .bind(thread)
    .bind(reply)
    .bind(millis(at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Starts an import from `source` ("slack", "stackexchange", "mbox").
    /// A dry run is rolled back at [`Import::finish`].
    pub async fn begin_import(
        &self,
        source: &str,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<Import<'_>, StoreError> {
        Ok(Import {
            store: self,
            tx: Some(self.begin_writing().await?),
            dry_run,
            strict: false,
            stopped: false,
            batch: BATCH,
            pending: 0,
            source: source.to_owned(),
            now,
            queue: Vec::new(),
            people: HashMap::new(),
            facts: HashMap::new(),
            teams: HashMap::new(),
            members: HashSet::new(),
            members_loaded: HashSet::new(),
        })
    }

    /// A write transaction that holds SQLite's write lock from its start,
    /// so the ids an import reserves stay its own (PostgreSQL reserves
    /// them from the sequences).
    async fn begin_writing(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        })
    }

    /// The first organisation admin, if any (imports' default steward).
    pub async fn first_admin(&self) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM people WHERE org_role = $1 ORDER BY id LIMIT 1")
            .bind(OrgRole::Admin.as_str())
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }

    /// Where person `id` was imported from, if they were.
    pub async fn imported_from(&self, id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT imported_from FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get(0)?)
    }
}

impl Import<'_> {
    fn tx(&mut self) -> Result<&mut Tx, StoreError> {
        self.tx.as_mut().ok_or_else(stopped)
    }

    /// Sets how many records a transaction holds (tests use small batches).
    pub fn set_batch(&mut self, batch: usize) {
        self.batch = batch.max(1);
    }

    /// Stops at the first record that cannot be brought in (a dangling
    /// reference, an unknown person): its batch is rolled back, and the
    /// import writes nothing more.
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Counts one person or community written; commits when a batch is
    /// full (never in a dry run).
    async fn written(&mut self) -> Result<(), StoreError> {
        self.pending += 1;
        if self.pending + self.queue.len() >= self.batch {
            // Queued records wait for the next `add`, which writes them.
            if self.queue.is_empty() {
                self.commit_batch().await?;
            }
        }
        Ok(())
    }

    /// Commits what is written so far and starts the next batch (no-op in a dry run).
    async fn commit_batch(&mut self) -> Result<(), StoreError> {
        if self.dry_run {
            self.pending = 0;
            return Ok(());
        }
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.pending = 0;
        self.tx = Some(self.store.begin_writing().await?);
        Ok(())
    }

    /// Queues a record. When the batch is full it is written and committed
    /// (never in a dry run), and what became of each of its records comes
    /// back, in order; otherwise nothing does yet.
    pub async fn add(&mut self, record: Record) -> Result<Vec<Settled>, StoreError> {
        self.tx()?;
        let by = match &record {
            Record::Post { post, .. } => match &post.author {
                Some(key) => self.by(key).await?,
                None => By::Nobody,
            },
            Record::Reaction(r) => self.by(&r.person).await?,
            Record::Joined { person, .. } => self.by(person).await?,
            Record::Accepted(_) => By::Nobody,
        };
        self.queue.push(Queued { record, by });
        if self.pending + self.queue.len() >= self.batch {
            self.flush().await
        } else {
            Ok(Vec::new())
        }
    }

    async fn by(&mut self, key: &str) -> Result<By, StoreError> {
        Ok(match self.person_id(key).await? {
            Some(id) => By::Person(id),
            None => By::Unknown,
        })
    }

    /// Writes the queued records now and commits them (never in a dry
    /// run); returns what became of each, in order. With
    /// [`Import::set_strict`], a batch holding a record that cannot be
    /// brought in is rolled back instead, and what came back ends at that
    /// record.
    pub async fn flush(&mut self) -> Result<Vec<Settled>, StoreError> {
        let queue = std::mem::take(&mut self.queue);
        if queue.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.store.backend;
        let tx = self.tx.as_mut().ok_or_else(stopped)?;
        let known = plan::Known::load(
            tx,
            &queue,
            &mut self.facts,
            &mut self.members,
            &mut self.members_loaded,
        )
        .await?;
        let plan = plan::plan(&queue, &known, &mut self.members);
        let outcomes = write::write(tx, backend, &plan, &self.facts).await?;
        drop(plan);
        let mut settled: Vec<Settled> = queue
            .into_iter()
            .zip(outcomes)
            .map(|(q, outcome)| Settled {
                record: q.record,
                outcome,
            })
            .collect();
        let problem = settled
            .iter()
            .position(|s| matches!(s.outcome, Outcome::Dangling | Outcome::UnknownPerson));
        if let (true, Some(at)) = (self.strict, problem) {
            if let Some(tx) = self.tx.take() {
                tx.rollback().await?;
            }
            self.stopped = true;
            settled.truncate(at + 1);
            return Ok(settled);
        }
        self.commit_batch().await?;
        Ok(settled)
    }

    /// Writes what is queued and commits the last batch, or rolls
    /// everything back in a dry run; returns what became of the records
    /// still queued.
    pub async fn finish(mut self) -> Result<Vec<Settled>, StoreError> {
        let settled = self.flush().await?;
        if let Some(tx) = self.tx.take() {
            if self.dry_run {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
        }
        Ok(settled)
    }

    /// The community at `slug`, created if missing (in the potential stage,
    /// with `steward` as its first steward). Returns its id and whether it
    /// was created.
    pub async fn community(
        &mut self,
        slug: &str,
        name: &str,
        purpose: &str,
        visibility: Visibility,
        steward: i64,
    ) -> Result<(i64, bool), StoreError> {
        let now = self.now;
        let tx = self.tx()?;
        if let Some(row) = sqlx::query("SELECT id FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut **tx)
            .await?
        {
            return Ok((row.try_get(0)?, false));
        }
        let charter = Charter {
            name: name.to_owned(),
            domain_question: format!("What have we learned together in {name}?"),
            in_scope: String::new(),
            out_of_scope: String::new(),
            purpose: purpose.to_owned(),
            org_goal: String::new(),
            community_type: CommunityType::TechnicalPractice,
            orientation: Orientation::CollaborativeLearning,
            visibility,
            sponsor: None,
        };
        let id =
            crate::communities::insert_community(tx, slug, &charter, steward, None, now).await?;
        self.members.insert((id, steward));
        self.written().await?;
        Ok((id, true))
    }

    /// Brings in a person: the one imported before under the same key, else
    /// the one with the same e-mail, else a new imported person without a
    /// password (flagged as a bot when the source says so).
    pub async fn person(&mut self, p: &ImportedPerson) -> Result<PersonOutcome, StoreError> {
        if let Some(id) = self.people.get(&p.key) {
            return Ok(PersonOutcome::Existing(*id));
        }
        let now = self.now;
        let source = self.source.clone();
        let tx = self.tx.as_mut().ok_or_else(stopped)?;
        if let Some((_, Some(id), _, _)) = key_of(tx, &p.key).await? {
            self.people.insert(p.key.clone(), id);
            return Ok(PersonOutcome::Existing(id));
        }
        let email = p.email.clone().unwrap_or_else(|| placeholder_email(&p.key));
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut **tx)
            .await?;
        let outcome = match existing {
            Some(id) => PersonOutcome::Matched(id),
            None => {
                let id = crate::people::insert_person(
                    tx,
                    &NewPerson {
                        email,
                        display_name: p.name.clone(),
                        password_hash: None,
                        org_role: OrgRole::Member,
                    },
                    now,
                )
                .await?;
                let team = match &p.team {
                    Some(t) => match self.teams.get(t) {
                        Some(id) => Some(*id),
                        None => {
                            let id = crate::people::team_id(tx, t, now).await?;
                            self.teams.insert(t.clone(), id);
                            Some(id)
                        }
                    },
                    None => None,
                };
                sqlx::query(
                    "UPDATE people SET is_bot = $1, imported_from = $2, team_id = $3 WHERE id = $4",
                )
                .bind(i64::from(p.bot))
                .bind(&source)
                .bind(team)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                self.facts.insert(
                    id,
                    Facts {
                        bot: p.bot,
                        team: p.team.clone(),
                    },
                );
                PersonOutcome::Created(id)
            }
        };
        remember(tx, &p.key, "person", (Some(outcome.id()), None, None), now).await?;
        self.people.insert(p.key.clone(), outcome.id());
        self.written().await?;
        Ok(outcome)
    }

    /// The id of the person imported under `key`.
    async fn person_id(&mut self, key: &str) -> Result<Option<i64>, StoreError> {
        if let Some(id) = self.people.get(key) {
            return Ok(Some(*id));
        }
        let found = match key_of(self.tx()?, key).await? {
            Some((_, Some(id), _, _)) => Some(id),
            _ => None,
        };
        if let Some(id) = found {
            self.people.insert(key.to_owned(), id);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholder_addresses_never_receive_mail() {
        assert_eq!(
            super::placeholder_email("se:Rust:user:42"),
            "se.rust.user.42@imported.invalid"
        );
    }
}
