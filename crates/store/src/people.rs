//! People, their profiles and teams: creation, look-up, profile edits and the
//! people directory.

use chrono::{DateTime, Utc};
use domain::person::{OrgRole, Profile, Skill, SkillLevel};
use sqlx::Row;

use crate::{Store, StoreError, Tx, from_millis, millis};

/// A person as stored, without their lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Stable id.
    pub id: i64,
    /// Lower-cased e-mail, unique.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Team name, if any.
    pub team: Option<String>,
    /// Free-text location.
    pub location: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Minutes after local midnight when the working day starts.
    pub work_start: i64,
    /// Minutes after local midnight when it ends.
    pub work_end: i64,
    /// Biography.
    pub bio: String,
    /// Organisation role.
    pub org_role: OrgRole,
    /// When they joined Guildhall.
    pub created_at: DateTime<Utc>,
}

/// A person with every list of their profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonProfile {
    /// The person.
    pub person: Person,
    /// Declared skills, in the order given.
    pub skills: Vec<Skill>,
    /// Topics of interest.
    pub interests: Vec<String>,
    /// Topics they can teach.
    pub can_teach: Vec<String>,
    /// Topics they want to learn.
    pub wants_to_learn: Vec<String>,
}

/// What is needed to add a person.
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Normalised e-mail.
    pub email: String,
    /// Checked display name.
    pub display_name: String,
    /// Argon2id PHC string; `None` for people who cannot log in yet.
    pub password_hash: Option<String>,
    /// Organisation role.
    pub org_role: OrgRole,
}

/// A directory search.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Part of a display name (case-insensitive).
    pub name: Option<String>,
    /// Exact team name.
    pub team: Option<String>,
    /// Exact (normalised) skill name.
    pub skill: Option<String>,
    /// Continue after this (display name, id).
    pub after: Option<(String, i64)>,
    /// At most this many.
    pub limit: i64,
}

/// A team with its head count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Team name.
    pub name: String,
    /// People in it.
    pub members: i64,
}

pub(crate) const PERSON_COLUMNS: &str = "p.id, p.email, p.display_name, t.name AS team, p.location, p.time_zone, \
     p.work_start, p.work_end, p.bio, p.org_role, p.created_at";

pub(crate) fn person_from_row(row: &sqlx::any::AnyRow) -> Result<Person, sqlx::Error> {
    Ok(Person {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        team: row.try_get("team")?,
        location: row.try_get("location")?,
        time_zone: row.try_get("time_zone")?,
        work_start: row.try_get("work_start")?,
        work_end: row.try_get("work_end")?,
        bio: row.try_get("bio")?,
        org_role: row
            .try_get::<String, _>("org_role")?
            .parse()
            .unwrap_or(OrgRole::Member),
        created_at: from_millis(row.try_get("created_at")?),
    })
}

/// Finds or creates the team called `name` inside `tx`, returning its id.
pub async fn team_id(tx: &mut Tx, name: &str, at: DateTime<Utc>) -> Result<i64, StoreError> {
    if let Some(row) = sqlx::query("SELECT id FROM teams WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(row.try_get("id")?);
    }
    let row = sqlx::query("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(millis(at))
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get("id")?)
}

impl Store {
    /// Adds a person; a taken e-mail is a conflict on `email`.
    pub async fn create_person(
        &self,
        new: &NewPerson,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_person(&mut tx, new, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The person with `id`.
    pub async fn person(&self, id: i64) -> Result<Person, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN teams t ON t.id = p.team_id WHERE p.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(person_from_row(&row)?)
    }

    /// The person with this (normalised) e-mail, if any.
    pub async fn person_by_email(&self, email: &str) -> Result<Option<Person>, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN teams t ON t.id = p.team_id WHERE p.email = $1"
        );
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.as_ref().map(person_from_row).transpose()?)
    }

    /// The person's id and password hash, for logging in.
    pub async fn credentials(
        &self,
        email: &str,
    ) -> Result<Option<(i64, Option<String>)>, StoreError> {
        let row = sqlx::query("SELECT id, password_hash FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(row) => Some((row.try_get("id")?, row.try_get("password_hash")?)),
            None => None,
        })
    }

    /// Sets a person's password hash.
    pub async fn set_password_hash(
        &self,
        id: i64,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE people SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(hash)
                .bind(millis(at))
                .bind(id)
                .execute(&self.write)
                .await?;
        crate::error::found(done)
    }

    /// Flags person `id` as a bot or system account (or clears the flag): their
    /// later events stay out of the activity log.
    pub async fn set_bot(&self, id: i64, bot: bool, at: DateTime<Utc>) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE people SET is_bot = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(bot))
            .bind(millis(at))
            .bind(id)
            .execute(&self.write)
            .await?;
        crate::error::found(done)
    }

    /// Whether person `id` is flagged as a bot or system account.
    pub async fn is_bot(&self, id: i64) -> Result<bool, StoreError> {
        let flag: Option<i64> = sqlx::query_scalar("SELECT is_bot FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        flag.map(|f| f == 1).ok_or(StoreError::NotFound)
    }

    /// Sets the organisation role of the person with `email`.
    pub async fn set_org_role(
        &self,
        email: &str,
        role: OrgRole,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE people SET org_role = $1, updated_at = $2 WHERE email = $3")
            .bind(role.as_str())
            .bind(millis(at))
            .bind(email)
            .execute(&self.write)
            .await?;
        crate::error::found(done)
    }

    /// The person with `id` and every list of their profile.
    pub async fn profile(&self, id: i64) -> Result<PersonProfile, StoreError> {
        let person = self.person(id).await?;
        let skills = sqlx::query(
            "SELECT name, level FROM person_skills WHERE person_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|row| {
            Ok(Skill {
                name: row.try_get("name")?,
                level: row
                    .try_get::<String, _>("level")?
                    .parse()
                    .unwrap_or(SkillLevel::Practitioner),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let rows = sqlx::query(
            "SELECT list, topic FROM person_topics WHERE person_id = $1 ORDER BY list, position",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        let mut profile = PersonProfile {
            person,
            skills,
            interests: Vec::new(),
            can_teach: Vec::new(),
            wants_to_learn: Vec::new(),
        };
        for row in rows {
            let topic: String = row.try_get("topic")?;
            match row.try_get::<String, _>("list")?.as_str() {
                "interests" => profile.interests.push(topic),
                "can_teach" => profile.can_teach.push(topic),
                "wants_to_learn" => profile.wants_to_learn.push(topic),
                _ => {}
            }
        }
        Ok(profile)
    }

    /// Replaces the editable profile of person `id`.
    pub async fn update_profile(
        &self,
        id: i64,
        profile: &Profile,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        write_profile(&mut tx, id, profile, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Searches the people directory, ordered by display name.
    pub async fn directory(
        &self,
        query: &DirectoryQuery,
    ) -> Result<Vec<PersonProfile>, StoreError> {
        let (after_name, after_id) = query.after.clone().unwrap_or_default();
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people p LEFT JOIN teams t ON t.id = p.team_id \
             WHERE ($1 = '' OR LOWER(p.display_name) LIKE $2) \
               AND ($3 = '' OR t.name = $3) \
               AND ($4 = '' OR EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND s.name = $4)) \
               AND ($5 = 0 OR p.display_name > $6 OR (p.display_name = $6 AND p.id > $7)) \
             ORDER BY p.display_name, p.id LIMIT $8"
        );
        let name = query.name.clone().unwrap_or_default().to_lowercase();
        let pattern = format!("%{}%", name.replace(['\\', '%', '_'], ""));
        let rows = sqlx::query(&sql)
            .bind(name)
            .bind(pattern)
            .bind(query.team.clone().unwrap_or_default())
            .bind(query.skill.clone().unwrap_or_default())
            .bind(i64::from(query.after.is_some()))
            .bind(after_name)
            .bind(after_id)
            .bind(query.limit.clamp(1, 200))
            .fetch_all(self.reader())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(person_from_row(row)?);
        }
        self.with_lists(out).await
    }

    async fn with_lists(&self, people: Vec<Person>) -> Result<Vec<PersonProfile>, StoreError> {
        // One query per list kind for the whole page, not one per person.
        let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
        let mut profiles: Vec<PersonProfile> = people
            .into_iter()
            .map(|person| PersonProfile {
                person,
                skills: Vec::new(),
                interests: Vec::new(),
                can_teach: Vec::new(),
                wants_to_learn: Vec::new(),
            })
            .collect();
        if ids.is_empty() {
            return Ok(profiles);
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        // `list` holds only integers formatted by us: no user text reaches the SQL.
        let skills = sqlx::query(&format!(
            "SELECT person_id, name, level FROM person_skills WHERE person_id IN ({list}) ORDER BY person_id, position"
        ))
        .fetch_all(self.reader())
        .await?;
        for row in skills {
            let pid: i64 = row.try_get("person_id")?;
            if let Some(p) = profiles.iter_mut().find(|p| p.person.id == pid) {
                p.skills.push(Skill {
                    name: row.try_get("name")?,
                    level: row
                        .try_get::<String, _>("level")?
                        .parse()
                        .unwrap_or(SkillLevel::Practitioner),
                });
            }
        }
        let topics = sqlx::query(&format!(
            "SELECT person_id, list, topic FROM person_topics WHERE person_id IN ({list}) ORDER BY person_id, list, position"
        ))
        .fetch_all(self.reader())
        .await?;
        for row in topics {
            let pid: i64 = row.try_get("person_id")?;
            let topic: String = row.try_get("topic")?;
            if let Some(p) = profiles.iter_mut().find(|p| p.person.id == pid) {
                match row.try_get::<String, _>("list")?.as_str() {
                    "interests" => p.interests.push(topic),
                    "can_teach" => p.can_teach.push(topic),
                    "wants_to_learn" => p.wants_to_learn.push(topic),
                    _ => {}
                }
            }
        }
        Ok(profiles)
    }

    /// Every team with its head count, by name.
    pub async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.name, COUNT(p.id) AS members FROM teams t LEFT JOIN people p ON p.team_id = t.id \
             GROUP BY t.id, t.name ORDER BY t.name",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Team {
                    name: row.try_get("name")?,
                    members: row.try_get("members")?,
                })
            })
            .collect()
    }

    /// How many people there are.
    pub async fn count_people(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM people")
            .fetch_one(self.reader())
            .await?
            .try_get("n")?)
    }
}

/// Inserts a person inside `tx`.
pub async fn insert_person(
    tx: &mut Tx,
    new: &NewPerson,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO people (email, display_name, password_hash, org_role, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.display_name)
    .bind(new.password_hash.as_deref())
    .bind(new.org_role.as_str())
    .bind(millis(at))
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::unique(
        "email",
        "an account with this e-mail already exists",
    ))?;
    Ok(row.try_get("id")?)
}

/// Replaces person `id`'s profile inside `tx`.
pub async fn write_profile(
    tx: &mut Tx,
    id: i64,
    profile: &Profile,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let team = match &profile.team {
        Some(name) => Some(team_id(tx, name, at).await?),
        None => None,
    };
    crate::threads::bump_versions_by(tx, id, Some(&profile.display_name)).await?;
    let done = sqlx::query(
        "UPDATE people SET display_name = $1, team_id = $2, location = $3, time_zone = $4, \
         work_start = $5, work_end = $6, bio = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&profile.display_name)
    .bind(team)
    .bind(&profile.location)
    .bind(profile.time_zone.name())
    .bind(profile.working_hours.start_minutes())
    .bind(profile.working_hours.end_minutes())
    .bind(&profile.bio)
    .bind(millis(at))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    crate::error::found(done)?;
    sqlx::query("DELETE FROM person_skills WHERE person_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, skill) in profile.skills.iter().enumerate() {
        sqlx::query(
            "INSERT INTO person_skills (person_id, name, level, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&skill.name)
        .bind(skill.level.as_str())
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM person_topics WHERE person_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (list, topics) in [
        ("interests", &profile.interests),
        ("can_teach", &profile.can_teach),
        ("wants_to_learn", &profile.wants_to_learn),
    ] {
        for (i, topic) in topics.iter().enumerate() {
            sqlx::query("INSERT INTO person_topics (person_id, list, topic, position) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(list)
                .bind(topic)
                .bind(i as i64)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
