//! History imported from other systems, written as real threads, replies,
//! reactions and memberships at their original times, with their activity
//! events (`thread_opened`, `replied`, `answer_accepted`, `joined`) stamped
//! with those times, and the search index kept in step. Unlike the shared
//! space's own writes, nobody is notified.
//!
//! Every record is remembered in `import_keys` by its stable key in the
//! source, so importing the same export again adds nothing. An [`Import`]
//! writes in batches: each batch is one transaction, so an import that
//! fails midway keeps whole batches only and, run again, resumes where it
//! stopped. A dry run writes everything in one transaction and rolls it
//! back, so it reports exactly what a real run would create.
//!
//! Merging two identities and claiming an imported account are in
//! `identities`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::charter::Charter;
use domain::community::{CommunityType, MemberRole, Orientation, Visibility};
use domain::imported::{ImportedAcceptance, ImportedPerson, ImportedPost, ImportedReaction};
use domain::person::OrgRole;
use sqlx::Row;

use crate::activity::{self, NewEvent};
use crate::people::NewPerson;
use crate::threads::{self, Written};
use crate::{Store, StoreError, Tx, millis};

/// How many records a batch (one transaction) holds.
pub const BATCH: usize = 500;

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

/// An import in progress.
pub struct Import<'s> {
    store: &'s Store,
    tx: Option<Tx>,
    dry_run: bool,
    batch: usize,
    pending: usize,
    source: String,
    now: DateTime<Utc>,
    /// Person ids by source key.
    people: HashMap<String, i64>,
    /// (community, person) pairs known to be members.
    members: HashSet<(i64, i64)>,
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
            tx: Some(self.begin().await?),
            dry_run,
            batch: BATCH,
            pending: 0,
            source: source.to_owned(),
            now,
            people: HashMap::new(),
            members: HashSet::new(),
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
    fn tx(&mut self) -> &mut Tx {
        self.tx
            .as_mut()
            .expect("an import's transaction is open until it finishes")
    }

    /// Sets how many records a transaction holds (tests use small batches).
    pub fn set_batch(&mut self, batch: usize) {
        self.batch = batch.max(1);
    }

    /// Counts one record written; commits the batch when it is full (never
    /// in a dry run).
    async fn written(&mut self) -> Result<(), StoreError> {
        self.pending += 1;
        if !self.dry_run && self.pending >= self.batch {
            self.commit_batch().await?;
        }
        Ok(())
    }

    /// Commits what is written so far and starts the next batch (no-op in a dry run).
    pub async fn commit_batch(&mut self) -> Result<(), StoreError> {
        if self.dry_run {
            return Ok(());
        }
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.pending = 0;
        self.tx = Some(self.store.begin().await?);
        Ok(())
    }

    /// Commits the last batch, or rolls everything back in a dry run.
    pub async fn finish(mut self) -> Result<(), StoreError> {
        if let Some(tx) = self.tx.take() {
            if self.dry_run {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
        }
        Ok(())
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
        let tx = self.tx();
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
        let tx = self.tx();
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
                    Some(t) => Some(crate::people::team_id(tx, t, now).await?),
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
        let found = match key_of(self.tx(), key).await? {
            Some((_, Some(id), _, _)) => Some(id),
            _ => None,
        };
        if let Some(id) = found {
            self.people.insert(key.to_owned(), id);
        }
        Ok(found)
    }

    /// Makes `person` a member of `community` from `at`, unless they are one.
    async fn ensure_member(
        &mut self,
        community: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        if self.members.contains(&(community, person)) {
            return Ok(false);
        }
        let tx = self.tx();
        let member = sqlx::query(
            "SELECT 1 AS yes FROM memberships WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL",
        )
        .bind(community)
        .bind(person)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
        if !member {
            crate::communities::add_member(tx, community, person, MemberRole::Member, at).await?;
        }
        self.members.insert((community, person));
        Ok(!member)
    }

    /// `person` joined `community` at `at` (Slack's join messages).
    pub async fn joined(
        &mut self,
        community: i64,
        person: &str,
        at: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let Some(id) = self.person_id(person).await? else {
            return Ok(Outcome::UnknownPerson);
        };
        if self.ensure_member(community, id, at).await? {
            self.written().await?;
            Ok(Outcome::Added)
        } else {
            Ok(Outcome::Existing)
        }
    }

    /// Writes a post into `community`: a reply in the thread of its first
    /// known parent, else a new thread when it may open one.
    pub async fn post(&mut self, community: i64, p: &ImportedPost) -> Result<Outcome, StoreError> {
        if key_of(self.tx(), &p.key).await?.is_some() {
            return Ok(Outcome::Existing);
        }
        let author = match &p.author {
            Some(key) => match self.person_id(key).await? {
                Some(id) => Some(id),
                None => return Ok(Outcome::UnknownPerson),
            },
            None => None,
        };
        let mut parent = None;
        for key in &p.parents {
            if let Some((kind, _, Some(thread), reply)) = key_of(self.tx(), key).await? {
                parent = Some((thread, if kind == "reply" { reply } else { None }));
                break;
            }
        }
        let outcome = match (parent, &p.opens) {
            (Some((thread, quote_of)), _) => self.reply(thread, quote_of, author, p).await?,
            (None, Some(_)) => self.thread(community, author, p).await?,
            (None, None) => return Ok(Outcome::Dangling),
        };
        self.written().await?;
        Ok(outcome)
    }

    async fn thread(
        &mut self,
        community: i64,
        author: Option<i64>,
        p: &ImportedPost,
    ) -> Result<Outcome, StoreError> {
        let Some(opening) = &p.opens else {
            return Ok(Outcome::Dangling);
        };
        if let Some(a) = author {
            self.ensure_member(community, a, p.at).await?;
        }
        let tx = self.tx();
        let id: i64 = sqlx::query(
            "INSERT INTO threads (community_id, thread_type, title, body, author_id, anonymous, \
             created_at, last_activity_at, edited_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7) RETURNING id",
        )
        .bind(community)
        .bind(opening.thread_type.as_str())
        .bind(&opening.title)
        .bind(&p.body)
        .bind(author)
        .bind(millis(p.at))
        .bind(p.edited_at.map(millis))
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        threads::set_tags(tx, id, &opening.tags).await?;
        let written = Written {
            post: (id, None),
            title: Some(&opening.title),
            tags: &opening.tags,
            body: &p.body,
        };
        threads::record_revision(tx, &written, 1, author, p.at).await?;
        if author.is_some() {
            activity::append(
                tx,
                &NewEvent {
                    at: p.at,
                    community_id: community,
                    actor_id: author,
                    kind: "thread_opened",
                    subject: Some(threads::subject(id)),
                    thread_type: Some(opening.thread_type.as_str()),
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        threads::search::index(tx, &written).await?;
        remember(tx, &p.key, "thread", (None, Some(id), None), p.at).await?;
        for alias in &p.aliases {
            if key_of(tx, alias).await?.is_none() {
                remember(tx, alias, "alias", (None, Some(id), None), p.at).await?;
            }
        }
        Ok(Outcome::Thread(id))
    }

    async fn reply(
        &mut self,
        thread: i64,
        quote_of: Option<i64>,
        author: Option<i64>,
        p: &ImportedPost,
    ) -> Result<Outcome, StoreError> {
        let tx = self.tx();
        let row = sqlx::query("SELECT community_id, author_id FROM threads WHERE id = $1")
            .bind(thread)
            .fetch_one(&mut **tx)
            .await?;
        let community: i64 = row.try_get(0)?;
        let opener: Option<i64> = row.try_get(1)?;
        let quoted_author: Option<i64> = match quote_of {
            Some(r) => {
                sqlx::query_scalar("SELECT author_id FROM replies WHERE id = $1")
                    .bind(r)
                    .fetch_one(&mut **tx)
                    .await?
            }
            None => None,
        };
        if let Some(a) = author {
            self.ensure_member(community, a, p.at).await?;
        }
        let tx = self.tx();
        let id: i64 = sqlx::query(
            "INSERT INTO replies (thread_id, author_id, anonymous, body, quote_of, created_at, edited_at) \
             VALUES ($1, $2, 0, $3, $4, $5, $6) RETURNING id",
        )
        .bind(thread)
        .bind(author)
        .bind(&p.body)
        .bind(quote_of)
        .bind(millis(p.at))
        .bind(p.edited_at.map(millis))
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        // The first response (METRICS.md): the earliest named reply by
        // someone other than the opener; imports may arrive out of order.
        let responds = author.is_some() && author != opener;
        sqlx::query(
            "UPDATE threads SET reply_count = reply_count + 1, \
             last_activity_at = CASE WHEN last_activity_at < $1 THEN $1 ELSE last_activity_at END, \
             first_response_at = CASE WHEN $2 = 1 AND (first_response_at IS NULL OR first_response_at > $1) \
               THEN $1 ELSE first_response_at END, version = version + 1 WHERE id = $3",
        )
        .bind(millis(p.at))
        .bind(i64::from(responds))
        .bind(thread)
        .execute(&mut **tx)
        .await?;
        let written = Written {
            post: (thread, Some(id)),
            title: None,
            tags: &[],
            body: &p.body,
        };
        threads::record_revision(tx, &written, 1, author, p.at).await?;
        if author.is_some() {
            activity::append(
                tx,
                &NewEvent {
                    at: p.at,
                    community_id: community,
                    actor_id: author,
                    kind: "replied",
                    subject: Some(threads::subject(thread)),
                    reply_to: if quote_of.is_some() {
                        quoted_author
                    } else {
                        opener
                    },
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        threads::search::index(tx, &written).await?;
        remember(tx, &p.key, "reply", (None, Some(thread), Some(id)), p.at).await?;
        Ok(Outcome::Reply(id))
    }

    /// Accepts an imported answer to an imported question, appending
    /// `answer_accepted` with the answer's author as actor.
    pub async fn accept(&mut self, a: &ImportedAcceptance) -> Result<Outcome, StoreError> {
        let tx = self.tx();
        let (Some((_, _, Some(question), None)), Some((_, _, Some(thread), Some(reply)))) =
            (key_of(tx, &a.question).await?, key_of(tx, &a.answer).await?)
        else {
            return Ok(Outcome::Dangling);
        };
        if thread != question {
            return Ok(Outcome::Dangling);
        }
        let row = sqlx::query("SELECT community_id, accepted_reply_id FROM threads WHERE id = $1")
            .bind(question)
            .fetch_one(&mut **tx)
            .await?;
        let community: i64 = row.try_get(0)?;
        if row.try_get::<Option<i64>, _>(1)? == Some(reply) {
            return Ok(Outcome::Existing);
        }
        let author: Option<i64> = sqlx::query_scalar("SELECT author_id FROM replies WHERE id = $1")
            .bind(reply)
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE threads SET accepted_reply_id = $1, accepted_at = $2, version = version + 1 \
             WHERE id = $3",
        )
        .bind(reply)
        .bind(millis(a.at))
        .bind(question)
        .execute(&mut **tx)
        .await?;
        if author.is_some() {
            activity::append(
                tx,
                &NewEvent {
                    at: a.at,
                    community_id: community,
                    actor_id: author,
                    kind: "answer_accepted",
                    subject: Some(threads::subject(question)),
                    ..NewEvent::default()
                },
            )
            .await?;
        }
        self.written().await?;
        Ok(Outcome::Added)
    }

    /// Adds a reaction to an imported post (once per person and kind).
    pub async fn react(&mut self, r: &ImportedReaction) -> Result<Outcome, StoreError> {
        let Some(person) = self.person_id(&r.person).await? else {
            return Ok(Outcome::UnknownPerson);
        };
        let tx = self.tx();
        let Some((kind, _, Some(thread), reply)) = key_of(tx, &r.post).await? else {
            return Ok(Outcome::Dangling);
        };
        let reply = if kind == "reply" {
            reply.unwrap_or(0)
        } else {
            0
        };
        let done = sqlx::query(
            "INSERT INTO reactions (thread_id, reply_id, person_id, reaction, at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(thread)
        .bind(reply)
        .bind(person)
        .bind(r.reaction.as_str())
        .bind(millis(r.at))
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(Outcome::Existing);
        }
        threads::bump_version(tx, thread).await?;
        self.written().await?;
        Ok(Outcome::Added)
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
