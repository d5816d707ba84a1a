//! The evidence of who knows what: contributions by topic, declared skills, hidden inferred expertise and answer-suggestion opt-ins.
//!
//! Evidence is read in one statement per shape, every value bound: answers
//! and accepted answers (by the question's tags), "helpful" reactions
//! received by someone else than the author (by the thread's tags),
//! published artifacts owned and their revisions (by the artifact's tags);
//! and, read with their titles and matched to topics by
//! [`domain::expertise::topics_in`], experiments owned (running or
//! concluded) and gatherings facilitated. Only named posts count: an
//! anonymous post has no author, so it is no one's evidence; hidden posts,
//! bots and the inferred evidence of people who hid it never count. Every
//! read is limited to a [`Scope`] (so nothing from a private community
//! reaches a non-member) and to what happened before an instant (so a
//! replay sees only the past). Contributions are grouped by person, kind,
//! topic and day.

use chrono::{DateTime, Utc};
use domain::expertise::{Contribution, Source};
use domain::person::SkillLevel;
use sqlx::Row;

use crate::{Store, StoreError, from_millis, millis};

/// Whose evidence may be read: every open community's, plus `community`'s
/// (the one a question is asked in), plus the private communities `viewer`
/// belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// The person looking, if signed in.
    pub viewer: Option<i64>,
    /// A community whose evidence counts whatever its visibility.
    pub community: Option<i64>,
}

/// Which evidence to read.
#[derive(Debug, Clone, Default)]
pub struct EvidenceQuery {
    /// Where the evidence may come from.
    pub scope: Scope,
    /// Only this person's.
    pub person: Option<i64>,
    /// Only the current members of this community.
    pub members_of: Option<i64>,
    /// Only these topics (all when empty; at most [`MAX_TOPICS`]).
    pub topics: Vec<String>,
    /// Only what happened before this instant.
    pub before: Option<DateTime<Utc>>,
    /// Read this person's inferred evidence even if they hid it (they are
    /// looking at their own).
    pub reveal: Option<i64>,
}

/// Most topics one query filters on.
pub const MAX_TOPICS: usize = 24;

/// A person's choices about their expertise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpertiseSettings {
    /// Their inferred expertise is shown to no one else (declared skills stay).
    pub hide_inferred: bool,
    /// They are told of new questions they are suggested for.
    pub notify_suggested: bool,
}

/// A member who could answer a question in a community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswererRecord {
    /// Who.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their team, if any.
    pub team: Option<String>,
    /// IANA zone.
    pub time_zone: String,
    /// Working day start, minutes after local midnight.
    pub work_start: i64,
    /// Working day end.
    pub work_end: i64,
    /// Answers they gave to questions in the load window (in scope).
    pub recent_answers: i64,
}

/// A person's name and team, for listing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Team, if any.
    pub team: Option<String>,
}

/// A question as a replay of history sees it, with who answered it (read
/// only to score suggestions afterwards, never to make them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastQuestion {
    /// Thread id.
    pub id: i64,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// The named asker; `None` when anonymous.
    pub asker: Option<i64>,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags in order.
    pub tags: Vec<String>,
    /// The author of the accepted answer, if named.
    pub accepted_author: Option<i64>,
    /// The named authors of its answers other than the asker, first answer first.
    pub answerers: Vec<i64>,
}

/// SQL true when community `c` is in scope: `$1` the viewer, `$2` the
/// community (each -1 for none).
const IN_SCOPE: &str = "(c.visibility = 'open' OR c.id = $2 OR EXISTS (SELECT 1 FROM memberships vm \
     WHERE vm.community_id = c.id AND vm.person_id = $1 AND vm.left_at IS NULL))";

/// Contributions with a tag: person_id, community_id, kind, topic, at.
const TAGGED: &str = "\
    SELECT r.author_id AS person_id, t.community_id, 'answer' AS kind, g.tag AS topic, r.created_at AS at \
    FROM replies r JOIN threads t ON t.id = r.thread_id JOIN thread_tags g ON g.thread_id = t.id \
    WHERE t.thread_type = 'question' AND r.author_id IS NOT NULL AND r.anonymous = 0 \
      AND r.hidden_at IS NULL AND t.hidden_at IS NULL AND (t.author_id IS NULL OR t.author_id <> r.author_id) \
    UNION ALL \
    SELECT r.author_id, t.community_id, 'accepted_answer', g.tag, t.accepted_at \
    FROM threads t JOIN replies r ON r.id = t.accepted_reply_id JOIN thread_tags g ON g.thread_id = t.id \
    WHERE r.author_id IS NOT NULL AND r.anonymous = 0 AND r.hidden_at IS NULL AND t.hidden_at IS NULL \
      AND t.accepted_at IS NOT NULL AND (t.author_id IS NULL OR t.author_id <> r.author_id) \
    UNION ALL \
    SELECT r.author_id, t.community_id, 'helpful', g.tag, x.at \
    FROM reactions x JOIN replies r ON r.id = x.reply_id JOIN threads t ON t.id = x.thread_id \
      JOIN thread_tags g ON g.thread_id = t.id \
    WHERE x.reaction = 'helpful' AND x.reply_id <> 0 AND r.author_id IS NOT NULL AND r.anonymous = 0 \
      AND r.hidden_at IS NULL AND t.hidden_at IS NULL AND x.person_id <> r.author_id \
    UNION ALL \
    SELECT t.author_id, t.community_id, 'helpful', g.tag, x.at \
    FROM reactions x JOIN threads t ON t.id = x.thread_id JOIN thread_tags g ON g.thread_id = t.id \
    WHERE x.reaction = 'helpful' AND x.reply_id = 0 AND t.author_id IS NOT NULL AND t.anonymous = 0 \
      AND t.hidden_at IS NULL AND x.person_id <> t.author_id \
    UNION ALL \
    SELECT a.owner_id, a.community_id, 'artifact_owned', g.tag, a.last_confirmed_at \
    FROM artifacts a JOIN artifact_tags g ON g.artifact_id = a.id \
    WHERE a.owner_id IS NOT NULL AND a.state = 'published' AND a.archived_at IS NULL \
    UNION ALL \
    SELECT v.author_id, a.community_id, 'artifact_revised', g.tag, v.at \
    FROM artifact_revisions v JOIN artifacts a ON a.id = v.artifact_id JOIN artifact_tags g ON g.artifact_id = a.id \
    WHERE v.author_id IS NOT NULL AND a.state = 'published' AND a.archived_at IS NULL";

/// Contributions named by their words: person_id, community_id, kind, words, at.
const WORDED: &str = "\
    SELECT x.owner_id AS person_id, x.community_id, 'experiment' AS kind, x.title AS words, \
      COALESCE(x.concluded_at, x.started_at) AS at \
    FROM experiments x WHERE x.owner_id IS NOT NULL AND x.status IN ('running', 'concluded') \
      AND COALESCE(x.concluded_at, x.started_at) IS NOT NULL \
    UNION ALL \
    SELECT o.facilitator_id, s.community_id, 'facilitation', s.title, o.held_at \
    FROM gathering_occurrences o JOIN gathering_series s ON s.id = o.series_id \
    WHERE o.facilitator_id IS NOT NULL AND o.held_at IS NOT NULL AND o.cancelled = 0";

/// The conditions every evidence read shares, after [`IN_SCOPE`]'s `$1`
/// and `$2`: `$3` before, `$4`/`$5` one person, `$6`/`$7` members of a
/// community, `$8` the person whose hidden evidence may be read.
const WHO: &str = "e.at < $3 AND p.is_bot = 0 AND ($4 = 0 OR e.person_id = $5) \
     AND ($6 = 0 OR EXISTS (SELECT 1 FROM memberships mm WHERE mm.community_id = $7 \
       AND mm.person_id = e.person_id AND mm.left_at IS NULL)) \
     AND (e.person_id = $8 OR NOT EXISTS (SELECT 1 FROM expertise_settings hs \
       WHERE hs.person_id = e.person_id AND hs.hide_inferred = 1))";

fn source(name: &str) -> Result<Source, StoreError> {
    Source::parse(name).ok_or_else(|| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown evidence kind {name:?}").into(),
        ))
    })
}

/// `$first, $first+1, ...` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds `$1`..`$8` of [`IN_SCOPE`] and [`WHO`].
fn bind_who<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    query: &EvidenceQuery,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(query.scope.viewer.unwrap_or(-1))
        .bind(query.scope.community.unwrap_or(-1))
        .bind(query.before.map_or(i64::MAX, millis))
        .bind(i64::from(query.person.is_some()))
        .bind(query.person.unwrap_or(-1))
        .bind(i64::from(query.members_of.is_some()))
        .bind(query.members_of.unwrap_or(-1))
        .bind(query.reveal.unwrap_or(-1))
}

impl Store {
    /// The contributions `query` asks for, grouped by person, kind, topic
    /// and day (each with the group's latest instant and size).
    pub async fn contributions(
        &self,
        query: &EvidenceQuery,
    ) -> Result<Vec<Contribution>, StoreError> {
        let topics: Vec<&String> = query.topics.iter().take(MAX_TOPICS).collect();
        let topic_filter = if topics.is_empty() {
            String::new()
        } else {
            format!(" AND e.topic IN ({})", placeholders(9, topics.len()))
        };
        let sql = format!(
            "SELECT e.person_id, e.kind, e.topic, MAX(e.at) AS last, COUNT(*) AS n FROM ({TAGGED}) e \
             JOIN communities c ON c.id = e.community_id JOIN people p ON p.id = e.person_id \
             WHERE {IN_SCOPE} AND {WHO}{topic_filter} \
             GROUP BY e.person_id, e.kind, e.topic, e.at / 86400000"
        );
        let mut q = bind_who(sqlx::query(&sql), query);
        for t in &topics {
            q = q.bind(t.as_str());
        }
        let mut out = Vec::new();
        for row in q.fetch_all(self.reader()).await? {
            out.push(Contribution {
                person: row.try_get("person_id")?,
                source: source(&row.try_get::<String, _>("kind")?)?,
                topic: row.try_get("topic")?,
                at: from_millis(row.try_get("last")?),
                count: u32::try_from(row.try_get::<i64, _>("n")?).unwrap_or(u32::MAX),
            });
        }
        let vocabulary = if topics.is_empty() {
            self.topics_in_use(query.scope, "", 1000)
                .await?
                .into_iter()
                .map(|(t, _)| t)
                .collect()
        } else {
            topics.into_iter().cloned().collect::<Vec<_>>()
        };
        let sql = format!(
            "SELECT e.person_id, e.kind, e.words, e.at FROM ({WORDED}) e \
             JOIN communities c ON c.id = e.community_id JOIN people p ON p.id = e.person_id \
             WHERE {IN_SCOPE} AND {WHO}"
        );
        for row in bind_who(sqlx::query(&sql), query)
            .fetch_all(self.reader())
            .await?
        {
            let words: String = row.try_get("words")?;
            for topic in domain::expertise::topics_in(&words, &vocabulary) {
                out.push(Contribution {
                    person: row.try_get("person_id")?,
                    source: source(&row.try_get::<String, _>("kind")?)?,
                    topic,
                    at: from_millis(row.try_get("at")?),
                    count: 1,
                });
            }
        }
        Ok(out)
    }

    /// Declared skills (person, skill, level) of one person or of a
    /// community's current members, on `topics` (all when empty). A
    /// profile is public, so no scope applies; bots are left out.
    pub async fn declared_skills(
        &self,
        person: Option<i64>,
        members_of: Option<i64>,
        topics: &[String],
    ) -> Result<Vec<(i64, String, SkillLevel)>, StoreError> {
        let topics: Vec<&String> = topics.iter().take(MAX_TOPICS).collect();
        let topic_filter = if topics.is_empty() {
            String::new()
        } else {
            format!(" AND k.name IN ({})", placeholders(5, topics.len()))
        };
        let sql = format!(
            "SELECT k.person_id, k.name, k.level FROM person_skills k JOIN people p ON p.id = k.person_id \
             WHERE p.is_bot = 0 AND ($1 = 0 OR k.person_id = $2) AND ($3 = 0 OR EXISTS (SELECT 1 FROM memberships mm \
               WHERE mm.community_id = $4 AND mm.person_id = k.person_id AND mm.left_at IS NULL)){topic_filter} \
             ORDER BY k.person_id, k.position"
        );
        let mut q = sqlx::query(&sql)
            .bind(i64::from(person.is_some()))
            .bind(person.unwrap_or(-1))
            .bind(i64::from(members_of.is_some()))
            .bind(members_of.unwrap_or(-1));
        for t in &topics {
            q = q.bind(t.as_str());
        }
        q.fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("person_id")?,
                    row.try_get("name")?,
                    row.try_get::<String, _>("level")?
                        .parse()
                        .unwrap_or(SkillLevel::Practitioner),
                ))
            })
            .collect()
    }

    /// The topics in use in `scope` (tags of visible threads and published
    /// artifacts, and declared skills) containing `part`, with how often
    /// each is used, most used first, at most `limit`.
    pub async fn topics_in_use(
        &self,
        scope: Scope,
        part: &str,
        limit: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let pattern = format!(
            "%{}%",
            part.trim()
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = format!(
            "SELECT e.topic, COUNT(*) AS n FROM ( \
               SELECT g.tag AS topic, t.community_id FROM thread_tags g JOIN threads t ON t.id = g.thread_id \
               WHERE t.hidden_at IS NULL \
               UNION ALL \
               SELECT g.tag, a.community_id FROM artifact_tags g JOIN artifacts a ON a.id = g.artifact_id \
               WHERE a.state = 'published' AND a.archived_at IS NULL) e \
             JOIN communities c ON c.id = e.community_id \
             WHERE {IN_SCOPE} AND e.topic LIKE $3 ESCAPE '\\' GROUP BY e.topic \
             UNION ALL SELECT k.name, COUNT(*) FROM person_skills k WHERE k.name LIKE $3 ESCAPE '\\' GROUP BY k.name"
        );
        let rows = sqlx::query(&sql)
            .bind(scope.viewer.unwrap_or(-1))
            .bind(scope.community.unwrap_or(-1))
            .bind(pattern)
            .fetch_all(self.reader())
            .await?;
        let mut counts: std::collections::BTreeMap<String, i64> = Default::default();
        for row in rows {
            *counts.entry(row.try_get("topic")?).or_default() += row.try_get::<i64, _>("n")?;
        }
        let mut out: Vec<(String, i64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(out)
    }

    /// The current members of `community` who could be suggested as
    /// answerers (bots left out), with the answers each gave to questions
    /// in `scope` from `since` to before `before`.
    pub async fn answerers(
        &self,
        community: i64,
        scope: Scope,
        since: DateTime<Utc>,
        before: DateTime<Utc>,
    ) -> Result<Vec<AnswererRecord>, StoreError> {
        let sql = format!(
            "SELECT p.id, p.display_name, tm.name AS team, p.time_zone, p.work_start, p.work_end, \
               (SELECT COUNT(*) FROM replies r JOIN threads t ON t.id = r.thread_id \
                  JOIN communities c ON c.id = t.community_id \
                WHERE r.author_id = p.id AND r.anonymous = 0 AND t.thread_type = 'question' \
                  AND r.created_at >= $4 AND r.created_at < $5 AND {IN_SCOPE}) AS recent \
             FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN teams tm ON tm.id = p.team_id \
             WHERE m.community_id = $3 AND m.left_at IS NULL AND p.is_bot = 0 ORDER BY p.id"
        );
        sqlx::query(&sql)
            .bind(scope.viewer.unwrap_or(-1))
            .bind(scope.community.unwrap_or(-1))
            .bind(community)
            .bind(millis(since))
            .bind(millis(before))
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| {
                Ok(AnswererRecord {
                    id: row.try_get("id")?,
                    name: row.try_get("display_name")?,
                    team: row.try_get("team")?,
                    time_zone: row.try_get("time_zone")?,
                    work_start: row.try_get("work_start")?,
                    work_end: row.try_get("work_end")?,
                    recent_answers: row.try_get("recent")?,
                })
            })
            .collect()
    }

    /// The names and teams of `ids` (people who exist), in id order.
    pub async fn named(&self, ids: &[i64]) -> Result<Vec<Named>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT p.id, p.display_name, t.name AS team FROM people p LEFT JOIN teams t ON t.id = p.team_id \
             WHERE p.id IN ({}) ORDER BY p.id",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| {
                Ok(Named {
                    id: row.try_get("id")?,
                    name: row.try_get("display_name")?,
                    team: row.try_get("team")?,
                })
            })
            .collect()
    }

    /// Person `id`'s expertise settings (both off when never set).
    pub async fn expertise_settings(&self, id: i64) -> Result<ExpertiseSettings, StoreError> {
        let row = sqlx::query(
            "SELECT hide_inferred, notify_suggested FROM expertise_settings WHERE person_id = $1",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        Ok(match row {
            Some(row) => ExpertiseSettings {
                hide_inferred: row.try_get::<i64, _>("hide_inferred")? != 0,
                notify_suggested: row.try_get::<i64, _>("notify_suggested")? != 0,
            },
            None => ExpertiseSettings::default(),
        })
    }

    /// Replaces person `id`'s expertise settings.
    pub async fn set_expertise_settings(
        &self,
        id: i64,
        settings: ExpertiseSettings,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM expertise_settings WHERE person_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO expertise_settings (person_id, hide_inferred, notify_suggested, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i64::from(settings.hide_inferred))
        .bind(i64::from(settings.notify_suggested))
        .bind(millis(at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::unique("person", "settings changed at the same time"))?;
        tx.commit().await?;
        Ok(())
    }

    /// Tells each of `people` who opted in that they are suggested as an
    /// answerer of question `thread` (kind `suggested`; `asker` is the
    /// named asker, `None` for an anonymous question), once per thread.
    /// Returns who was told.
    pub async fn notify_suggested(
        &self,
        thread: i64,
        people: &[i64],
        asker: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let mut told = Vec::new();
        for person in people {
            let done = sqlx::query(
                "INSERT INTO notifications (person_id, kind, thread_id, actor_id, at) \
                 SELECT s.person_id, 'suggested', $1, $2, $3 FROM expertise_settings s \
                 WHERE s.person_id = $4 AND s.notify_suggested = 1 AND NOT EXISTS ( \
                   SELECT 1 FROM notifications n WHERE n.person_id = s.person_id \
                     AND n.thread_id = $1 AND n.kind = 'suggested')",
            )
            .bind(thread)
            .bind(asker)
            .bind(millis(at))
            .bind(*person)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                told.push(*person);
            }
        }
        tx.commit().await?;
        Ok(told)
    }

    /// Every visible question of `community` in the order asked, with its
    /// answerers, and every named answer to a question there as (author,
    /// instant) in time order: the history a replay walks through.
    pub async fn past_questions(
        &self,
        community: i64,
    ) -> Result<(Vec<PastQuestion>, Vec<(i64, DateTime<Utc>)>), StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, t.created_at, t.author_id, t.title, t.body, r.author_id AS accepted_author \
             FROM threads t LEFT JOIN replies r ON r.id = t.accepted_reply_id \
             WHERE t.community_id = $1 AND t.thread_type = 'question' AND t.hidden_at IS NULL \
             ORDER BY t.created_at, t.id",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        let mut questions = Vec::with_capacity(rows.len());
        let mut at: std::collections::HashMap<i64, usize> = Default::default();
        for row in rows {
            let id: i64 = row.try_get("id")?;
            at.insert(id, questions.len());
            questions.push(PastQuestion {
                id,
                asked_at: from_millis(row.try_get("created_at")?),
                asker: row.try_get("author_id")?,
                title: row.try_get("title")?,
                body: row.try_get("body")?,
                tags: Vec::new(),
                accepted_author: row.try_get("accepted_author")?,
                answerers: Vec::new(),
            });
        }
        for row in sqlx::query(
            "SELECT g.thread_id, g.tag FROM thread_tags g JOIN threads t ON t.id = g.thread_id \
             WHERE t.community_id = $1 AND t.thread_type = 'question' ORDER BY g.thread_id, g.position",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?
        {
            if let Some(&i) = at.get(&row.try_get::<i64, _>("thread_id")?) {
                questions[i].tags.push(row.try_get("tag")?);
            }
        }
        let mut answers = Vec::new();
        for row in sqlx::query(
            "SELECT r.thread_id, r.author_id, r.created_at FROM replies r JOIN threads t ON t.id = r.thread_id \
             WHERE t.community_id = $1 AND t.thread_type = 'question' AND r.author_id IS NOT NULL \
               AND r.anonymous = 0 AND r.hidden_at IS NULL AND (t.author_id IS NULL OR t.author_id <> r.author_id) \
             ORDER BY r.created_at, r.id",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?
        {
            let author: i64 = row.try_get("author_id")?;
            answers.push((author, from_millis(row.try_get("created_at")?)));
            if let Some(&i) = at.get(&row.try_get::<i64, _>("thread_id")?)
                && !questions[i].answerers.contains(&author)
            {
                questions[i].answerers.push(author);
            }
        }
        Ok((questions, answers))
    }
}
