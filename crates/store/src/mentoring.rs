//! Mentoring: what people can teach and want to learn (read from their
//! profiles), mentor capacity, proposals and pairs, the notices both sides
//! get, and the facts a newcomer's "start here" page ticks off.
//!
//! A mentorship moves by the rules of `domain::mentoring::Answers`; every
//! move is applied only from the state it was checked against, so two
//! racing answers cannot both succeed. Acceptance that makes a pair active
//! first locks the mentor's row (an `UPDATE` on `people`, a row lock on
//! PostgreSQL; SQLite has a single writer) and then counts their active
//! pairs, so two acceptances cannot both take a mentor's last place.
//! Mentoring writes no activity events: METRICS.md has no kind for it.

use chrono::{DateTime, Utc};
use domain::mentoring::{Answers, DEFAULT_CAPACITY, Proposer, Refusal, Side, Status};
use sqlx::Row;

use crate::threads::Author;
use crate::{Store, StoreError, Tx, from_millis, millis};

/// A mentorship: a proposal, or the pair it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentorship {
    /// Id.
    pub id: i64,
    /// The one who teaches.
    pub mentor: Author,
    /// The one who learns.
    pub mentee: Author,
    /// What it is about.
    pub topic: String,
    /// The community it is for, if any: (id, slug, name).
    pub community: Option<(i64, String, String)>,
    /// Who proposed, and the person who did (none for the system).
    pub proposer: Proposer,
    /// The person who proposed.
    pub proposed_by: Option<i64>,
    /// The proposer's note.
    pub note: String,
    /// Where it stands, and who has accepted.
    pub answers: Answers,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// When it became a pair.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was declined, withdrawn or ended.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who ended the pair.
    pub ended_by: Option<i64>,
}

impl Mentorship {
    /// Which side `person` is on, if either.
    pub fn side_of(&self, person: i64) -> Option<Side> {
        if self.mentor.id == person {
            Some(Side::Mentor)
        } else if self.mentee.id == person {
            Some(Side::Mentee)
        } else {
            None
        }
    }

    /// The other side's id.
    pub fn other(&self, person: i64) -> i64 {
        if self.mentor.id == person {
            self.mentee.id
        } else {
            self.mentor.id
        }
    }
}

/// A new proposal.
#[derive(Debug, Clone)]
pub struct NewMentorship {
    /// Mentor.
    pub mentor_id: i64,
    /// Mentee.
    pub mentee_id: i64,
    /// Normalised topic.
    pub topic: String,
    /// The community it is for.
    pub community_id: Option<i64>,
    /// Who proposes.
    pub proposer: Proposer,
    /// The person proposing (none for the system).
    pub proposed_by: Option<i64>,
    /// A note to the other side.
    pub note: String,
}

/// Someone who lists topics they can teach, as matching needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorRow {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Team.
    pub team: Option<String>,
    /// IANA zone name.
    pub time_zone: String,
    /// Working day start, minutes after local midnight.
    pub work_start: i64,
    /// Working day end.
    pub work_end: i64,
    /// Topics they can teach.
    pub can_teach: Vec<String>,
    /// Mentees they take at once.
    pub capacity: i64,
    /// Active pairs in which they mentor.
    pub active: i64,
    /// Whether they belong to the community asked about.
    pub in_community: bool,
}

/// A notification about a mentorship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentoringNotice {
    /// Id.
    pub id: i64,
    /// `mentoring_proposed`, `mentoring_accepted`, `mentoring_active`,
    /// `mentoring_declined`, `mentoring_withdrawn` or `mentoring_ended`.
    pub kind: String,
    /// The mentorship.
    pub mentorship_id: i64,
    /// Its topic.
    pub topic: String,
    /// Who did it; none for the system.
    pub actor: Option<Author>,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether it has been read.
    pub read: bool,
}

/// What a member has already done in a community, for the first steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FirstSteps {
    /// Opened a thread or replied there.
    pub posted: bool,
    /// Answered an RSVP for one of its gatherings.
    pub rsvped: bool,
    /// Reacted "helpful" to a post there.
    pub reacted_helpful: bool,
    /// Recorded a reuse of one of its artifacts.
    pub reused: bool,
    /// Has a proposed or active mentorship (as mentee) for it.
    pub mentored: bool,
}

const COLUMNS: &str = "m.id, m.mentor_id, pm.display_name AS mentor_name, m.mentee_id, pe.display_name AS mentee_name, \
     m.topic, m.community_id, c.slug AS community_slug, c.name AS community_name, m.proposer, m.proposed_by, \
     m.note, m.status, m.mentor_accepted_at, m.mentee_accepted_at, m.created_at, m.started_at, m.decided_at, \
     m.ended_at, m.ended_by \
     FROM mentorships m JOIN people pm ON pm.id = m.mentor_id JOIN people pe ON pe.id = m.mentee_id \
     LEFT JOIN communities c ON c.id = m.community_id";

fn decode(what: &str, value: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unknown {what} {value:?}").into(),
    ))
}

fn mentorship_from(row: &sqlx::any::AnyRow) -> Result<Mentorship, StoreError> {
    let status: String = row.try_get("status")?;
    let proposer: String = row.try_get("proposer")?;
    let proposer: Proposer = proposer
        .parse()
        .map_err(|_| decode("proposer", &proposer))?;
    let community = match (
        row.try_get::<Option<i64>, _>("community_id")?,
        row.try_get::<Option<String>, _>("community_slug")?,
        row.try_get::<Option<String>, _>("community_name")?,
    ) {
        (Some(id), Some(slug), Some(name)) => Some((id, slug, name)),
        _ => None,
    };
    let ended: Option<i64> = row.try_get("ended_at")?;
    let decided: Option<i64> = row.try_get("decided_at")?;
    Ok(Mentorship {
        id: row.try_get("id")?,
        mentor: Author {
            id: row.try_get("mentor_id")?,
            name: row.try_get("mentor_name")?,
        },
        mentee: Author {
            id: row.try_get("mentee_id")?,
            name: row.try_get("mentee_name")?,
        },
        topic: row.try_get("topic")?,
        community,
        proposer,
        proposed_by: row.try_get("proposed_by")?,
        note: row.try_get("note")?,
        answers: Answers {
            proposer,
            status: status.parse().map_err(|_| decode("status", &status))?,
            mentor_accepted: row
                .try_get::<Option<i64>, _>("mentor_accepted_at")?
                .is_some(),
            mentee_accepted: row
                .try_get::<Option<i64>, _>("mentee_accepted_at")?
                .is_some(),
        },
        created_at: from_millis(row.try_get("created_at")?),
        started_at: row
            .try_get::<Option<i64>, _>("started_at")?
            .map(from_millis),
        closed_at: ended.or(decided).map(from_millis),
        ended_by: row.try_get("ended_by")?,
    })
}

async fn load(tx: &mut Tx, id: i64) -> Result<Mentorship, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    mentorship_from(&row)
}

/// Tells `person` about mentorship `id`.
async fn notify(
    tx: &mut Tx,
    person: i64,
    kind: &str,
    id: i64,
    actor: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (person_id, kind, mentorship_id, actor_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(person)
    .bind(kind)
    .bind(id)
    .bind(actor)
    .bind(millis(at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Conflict {
        field: "status",
        message: r.to_string(),
    }
}

/// `person`'s capacity read inside `tx` (the default when never set).
async fn capacity_in(tx: &mut Tx, person: i64) -> Result<i64, StoreError> {
    let cap: Option<i64> =
        sqlx::query_scalar("SELECT capacity FROM mentor_settings WHERE person_id = $1")
            .bind(person)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(cap.unwrap_or(DEFAULT_CAPACITY))
}

impl Store {
    /// How many mentees `person` takes at once (the default when never set).
    pub async fn mentor_capacity(&self, person: i64) -> Result<i64, StoreError> {
        let cap: Option<i64> =
            sqlx::query_scalar("SELECT capacity FROM mentor_settings WHERE person_id = $1")
                .bind(person)
                .fetch_optional(self.reader())
                .await?;
        Ok(cap.unwrap_or(DEFAULT_CAPACITY))
    }

    /// Sets how many mentees `person` takes at once (checked by the caller).
    /// Lowering it below their active pairs ends none: it only stops new ones.
    pub async fn set_mentor_capacity(
        &self,
        person: i64,
        capacity: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mentor_settings (person_id, capacity, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (person_id) DO UPDATE SET capacity = $2, updated_at = $3",
        )
        .bind(person)
        .bind(capacity)
        .bind(millis(at))
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Everyone (bots aside) who lists a topic they can teach, with their
    /// capacity, active pairs as mentor, and whether they are a current
    /// member of `community`.
    pub async fn mentor_rows(&self, community: Option<i64>) -> Result<Vec<MentorRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT p.id, p.display_name, t.name AS team, p.time_zone, p.work_start, p.work_end, \
               COALESCE(s.capacity, {DEFAULT_CAPACITY}) AS capacity, \
               (SELECT COUNT(*) FROM mentorships m WHERE m.mentor_id = p.id AND m.status = 'active') AS active, \
               (SELECT COUNT(*) FROM memberships ms WHERE ms.person_id = p.id AND ms.community_id = $1 \
                  AND ms.left_at IS NULL) AS in_community \
             FROM people p LEFT JOIN teams t ON t.id = p.team_id \
             LEFT JOIN mentor_settings s ON s.person_id = p.id \
             WHERE p.is_bot = 0 AND EXISTS (SELECT 1 FROM person_topics pt WHERE pt.person_id = p.id \
               AND pt.list = 'can_teach') \
             ORDER BY p.id"
        ))
        .bind(community.unwrap_or(-1))
        .fetch_all(self.reader())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(MentorRow {
                id: row.try_get("id")?,
                name: row.try_get("display_name")?,
                team: row.try_get("team")?,
                time_zone: row.try_get("time_zone")?,
                work_start: row.try_get("work_start")?,
                work_end: row.try_get("work_end")?,
                can_teach: Vec::new(),
                capacity: row.try_get("capacity")?,
                active: row.try_get("active")?,
                in_community: row.try_get::<i64, _>("in_community")? > 0,
            });
        }
        let topics = sqlx::query(
            "SELECT person_id, topic FROM person_topics WHERE list = 'can_teach' ORDER BY person_id, position",
        )
        .fetch_all(self.reader())
        .await?;
        for row in &topics {
            let id: i64 = row.try_get("person_id")?;
            if let Ok(i) = out.binary_search_by_key(&id, |m| m.id) {
                out[i].can_teach.push(row.try_get("topic")?);
            }
        }
        Ok(out)
    }

    /// Proposes a mentorship; the proposer's side accepts by proposing, and
    /// whoever must answer is told. An open mentorship between the same two
    /// people is a conflict.
    pub async fn propose_mentorship(
        &self,
        new: &NewMentorship,
        at: DateTime<Utc>,
    ) -> Result<Mentorship, StoreError> {
        let answers = Answers::proposed(new.proposer);
        let stamp = |yes: bool| yes.then_some(millis(at));
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO mentorships (mentor_id, mentee_id, topic, community_id, proposer, proposed_by, note, \
             status, mentor_accepted_at, mentee_accepted_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8, $9, $10) RETURNING id",
        )
        .bind(new.mentor_id)
        .bind(new.mentee_id)
        .bind(&new.topic)
        .bind(new.community_id)
        .bind(new.proposer.as_str())
        .bind(new.proposed_by)
        .bind(&new.note)
        .bind(stamp(answers.mentor_accepted))
        .bind(stamp(answers.mentee_accepted))
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::unique(
            "mentor_id",
            "there is already an open proposal or pair between these two people",
        ))?;
        let id: i64 = row.try_get("id")?;
        for (side, person) in [(Side::Mentor, new.mentor_id), (Side::Mentee, new.mentee_id)] {
            if answers.awaits(side) {
                notify(
                    &mut tx,
                    person,
                    "mentoring_proposed",
                    id,
                    new.proposed_by,
                    at,
                )
                .await?;
            }
        }
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Mentorship `id`.
    pub async fn mentorship(&self, id: i64) -> Result<Mentorship, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        mentorship_from(&row)
    }

    /// Every mentorship `person` is on either side of, open ones first,
    /// then newest first.
    pub async fn mentorships_of(&self, person: i64) -> Result<Vec<Mentorship>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} WHERE m.mentor_id = $1 OR m.mentee_id = $1 \
             ORDER BY CASE m.status WHEN 'proposed' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, m.id DESC"
        ))
        .bind(person)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(mentorship_from).collect()
    }

    /// `person` (on `side`) accepts or declines mentorship `id`. When both
    /// sides have accepted it becomes an active pair, if the mentor still
    /// has a free place (a conflict otherwise). The other side is told.
    pub async fn answer_mentorship(
        &self,
        id: i64,
        person: i64,
        side: Side,
        accept: bool,
        at: DateTime<Utc>,
    ) -> Result<Mentorship, StoreError> {
        let mut tx = self.begin().await?;
        let m = load(&mut tx, id).await?;
        let next = m.answers.answer(side, accept).map_err(refused)?;
        if next.status == Status::Active {
            // Serialise acceptances for this mentor, then count afresh.
            sqlx::query("UPDATE people SET updated_at = updated_at WHERE id = $1")
                .bind(m.mentor.id)
                .execute(&mut *tx)
                .await?;
            let active: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM mentorships WHERE mentor_id = $1 AND status = 'active'",
            )
            .bind(m.mentor.id)
            .fetch_one(&mut *tx)
            .await?;
            if active >= capacity_in(&mut tx, m.mentor.id).await? {
                return Err(refused(Refusal::Full));
            }
        }
        let now = millis(at);
        let done = sqlx::query(
            "UPDATE mentorships SET status = $1, \
               mentor_accepted_at = CASE WHEN $2 = 1 THEN $3 ELSE mentor_accepted_at END, \
               mentee_accepted_at = CASE WHEN $4 = 1 THEN $3 ELSE mentee_accepted_at END, \
               started_at = CASE WHEN $1 = 'active' THEN $3 ELSE started_at END, \
               decided_at = CASE WHEN $1 = 'proposed' THEN decided_at ELSE $3 END \
             WHERE id = $5 AND status = 'proposed' \
               AND CASE WHEN mentor_accepted_at IS NULL THEN 1 ELSE 0 END = $6 \
               AND CASE WHEN mentee_accepted_at IS NULL THEN 1 ELSE 0 END = $7",
        )
        .bind(next.status.as_str())
        .bind(i64::from(accept && side == Side::Mentor))
        .bind(now)
        .bind(i64::from(accept && side == Side::Mentee))
        .bind(id)
        .bind(i64::from(!m.answers.mentor_accepted))
        .bind(i64::from(!m.answers.mentee_accepted))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                field: "status",
                message: "this proposal changed meanwhile; reload and try again".into(),
            });
        }
        let kind = match next.status {
            Status::Active => "mentoring_active",
            Status::Declined => "mentoring_declined",
            _ => "mentoring_accepted",
        };
        let other = m.other(person);
        notify(&mut tx, other, kind, id, Some(person), at).await?;
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The proposer takes back mentorship `id` while it is a proposal; the
    /// sides who were asked are told.
    pub async fn withdraw_mentorship(
        &self,
        id: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<Mentorship, StoreError> {
        let mut tx = self.begin().await?;
        let m = load(&mut tx, id).await?;
        m.answers.withdraw().map_err(refused)?;
        let done = sqlx::query(
            "UPDATE mentorships SET status = 'withdrawn', decided_at = $1 WHERE id = $2 AND status = 'proposed'",
        )
        .bind(millis(at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        crate::error::found(done)?;
        for p in [m.mentor.id, m.mentee.id] {
            if p != person {
                notify(&mut tx, p, "mentoring_withdrawn", id, Some(person), at).await?;
            }
        }
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Either side ends active pair `id`; the other side is told.
    pub async fn end_mentorship(
        &self,
        id: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<Mentorship, StoreError> {
        let mut tx = self.begin().await?;
        let m = load(&mut tx, id).await?;
        m.answers.end().map_err(refused)?;
        let done = sqlx::query(
            "UPDATE mentorships SET status = 'ended', ended_at = $1, ended_by = $2 WHERE id = $3 AND status = 'active'",
        )
        .bind(millis(at))
        .bind(person)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(refused(Refusal::NotActive(Status::Ended)));
        }
        notify(
            &mut tx,
            m.other(person),
            "mentoring_ended",
            id,
            Some(person),
            at,
        )
        .await?;
        let m = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// `person`'s notifications about mentorships, newest first.
    pub async fn mentoring_notices(
        &self,
        person: i64,
        limit: i64,
    ) -> Result<Vec<MentoringNotice>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.mentorship_id, m.topic, n.actor_id, p.display_name, n.at, n.read_at \
             FROM notifications n JOIN mentorships m ON m.id = n.mentorship_id \
             LEFT JOIN people p ON p.id = n.actor_id \
             WHERE n.person_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(person)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                let actor = match (
                    row.try_get::<Option<i64>, _>("actor_id")?,
                    row.try_get::<Option<String>, _>("display_name")?,
                ) {
                    (Some(id), Some(name)) => Some(Author { id, name }),
                    _ => None,
                };
                Ok(MentoringNotice {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    mentorship_id: row.try_get("mentorship_id")?,
                    topic: row.try_get("topic")?,
                    actor,
                    at: from_millis(row.try_get("at")?),
                    read: row.try_get::<Option<i64>, _>("read_at")?.is_some(),
                })
            })
            .collect()
    }

    /// What `person` has already done in `community`, for its first steps.
    pub async fn first_steps(&self, community: i64, person: i64) -> Result<FirstSteps, StoreError> {
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM activity a WHERE a.community_id = $1 AND a.actor_id = $2 \
                  AND a.kind IN ('thread_opened', 'replied')) AS posted, \
               (SELECT COUNT(*) FROM activity a WHERE a.community_id = $1 AND a.actor_id = $2 \
                  AND a.kind = 'rsvp') AS rsvped, \
               (SELECT COUNT(*) FROM reactions r JOIN threads t ON t.id = r.thread_id \
                  WHERE t.community_id = $1 AND r.person_id = $2 AND r.reaction = 'helpful') AS reacted, \
               (SELECT COUNT(*) FROM activity a WHERE a.community_id = $1 AND a.actor_id = $2 \
                  AND a.kind = 'artifact_reused') AS reused, \
               (SELECT COUNT(*) FROM mentorships m WHERE m.community_id = $1 AND m.mentee_id = $2 \
                  AND m.status IN ('proposed', 'active')) AS mentored",
        )
        .bind(community)
        .bind(person)
        .fetch_one(self.reader())
        .await?;
        let yes = |name: &str| -> Result<bool, StoreError> { Ok(row.try_get::<i64, _>(name)? > 0) };
        Ok(FirstSteps {
            posted: yes("posted")?,
            rsvped: yes("rsvped")?,
            reacted_helpful: yes("reacted")?,
            reused: yes("reused")?,
            mentored: yes("mentored")?,
        })
    }

    /// When `person` last joined `community`, if they are a member now.
    pub async fn member_since(
        &self,
        community: i64,
        person: i64,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(joined_at) FROM memberships WHERE community_id = $1 AND person_id = $2 \
             AND left_at IS NULL",
        )
        .bind(community)
        .bind(person)
        .fetch_one(self.reader())
        .await?;
        Ok(at.map(from_millis))
    }

    /// The ids of `community`'s artifacts reused most (published, not
    /// archived), most first, at most `limit`.
    pub async fn most_reused_artifacts(
        &self,
        community: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title, reuse_count FROM artifacts WHERE community_id = $1 AND archived_at IS NULL \
             AND state = 'published' ORDER BY reuse_count DESC, updated_at DESC, id DESC LIMIT $2",
        )
        .bind(community)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("id")?,
                    row.try_get("title")?,
                    row.try_get("reuse_count")?,
                ))
            })
            .collect()
    }
}
