//! Gatherings in the store: series (a checked [`Plan`] of a community),
//! whole-series edits and "this and following" splits, and the occurrences
//! something is known about. RSVPs and the waitlist, attendance and notes,
//! facilitation volunteers and calendar feed tokens have their own modules.
//! Every change that has an activity event (`rsvp`, `attended`,
//! `gathering_held`) appends it in the same transaction.

mod attendance;
mod carry;
mod feeds;
mod notes;
mod rsvps;
mod volunteers;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use domain::Invalid;
use domain::gathering::plan::{OccurrenceRef, Plan, parse_local};
use domain::gathering::{Format, Rule, Series};
use sqlx::Row;
use sqlx::any::AnyRow;

pub use feeds::FeedToken;
pub use rsvps::{Answer, SeriesAnswer};
pub use volunteers::Facilitation;

use crate::{Store, StoreError, Tx, from_millis, millis};

/// A stored series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRecord {
    /// Id.
    pub id: i64,
    /// Community id.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// Format.
    pub format: Format,
    /// RRULE value.
    pub rrule: String,
    /// IANA zone name.
    pub time_zone: String,
    /// Local start of the first occurrence.
    pub local_start: NaiveDateTime,
    /// Its instant.
    pub first_start: DateTime<Utc>,
    /// Length in minutes.
    pub duration_minutes: i64,
    /// Place or call link.
    pub location: String,
    /// Agenda template.
    pub agenda: String,
    /// Most seats.
    pub capacity: Option<i64>,
    /// Whether facilitation rotates.
    pub rotate: bool,
    /// The series this one continues ("this and following").
    pub split_from: Option<i64>,
    /// Who made it.
    pub created_by: i64,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The occurrences something is known about, by recurrence id.
    pub occurrences: Vec<OccurrenceRecord>,
}

/// What is known about one occurrence beyond the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccurrenceRecord {
    /// When the rule scheduled it.
    pub recurrence_id: DateTime<Utc>,
    /// Called off.
    pub cancelled: bool,
    /// Moved to this start and length (minutes).
    pub moved: Option<(DateTime<Utc>, i64)>,
    /// Its own agenda, if it differs from the template.
    pub agenda: Option<String>,
    /// Notes taken.
    pub notes: String,
    /// Link to a recording.
    pub recording_url: String,
    /// Who facilitated it.
    pub facilitator_id: Option<i64>,
    /// When it was recorded as held.
    pub held_at: Option<DateTime<Utc>>,
}

impl SeriesRecord {
    /// The schedule with its cancellations and moves applied.
    pub fn schedule(&self) -> Result<Series, Invalid> {
        let zone = domain::person::time_zone(&self.time_zone)?;
        let mut s = Series::new(
            Rule::parse(&self.rrule)?,
            zone,
            self.local_start,
            TimeDelta::minutes(self.duration_minutes),
        )?;
        for o in &self.occurrences {
            if !s.is_occurrence(o.recurrence_id) {
                continue;
            }
            if o.cancelled {
                s.cancel(o.recurrence_id)?;
            } else if let Some((start, minutes)) = o.moved {
                s.move_occurrence(o.recurrence_id, start, TimeDelta::minutes(minutes))?;
            }
        }
        Ok(s)
    }

    /// What is known about the occurrence at `recurrence_id`.
    pub fn occurrence(&self, recurrence_id: DateTime<Utc>) -> Option<&OccurrenceRecord> {
        self.occurrences
            .iter()
            .find(|o| o.recurrence_id == recurrence_id)
    }

    /// The name of its occurrence at `recurrence_id`.
    pub fn occurrence_ref(&self, recurrence_id: DateTime<Utc>) -> OccurrenceRef {
        OccurrenceRef {
            series: self.id,
            recurrence_id,
        }
    }
}

/// The activity-log subject of an occurrence.
pub fn subject(r: &OccurrenceRef) -> String {
    format!("gathering-{}", r.key())
}

const SERIES_COLUMNS: &str = "id, community_id, title, format, rrule, time_zone, local_start, first_start, \
     duration_minutes, location, agenda, capacity, rotate, split_from, created_by, created_at, updated_at";

fn series_from(row: &AnyRow) -> Result<SeriesRecord, StoreError> {
    let decode = |what: &str| {
        StoreError::Database(sqlx::Error::Decode(
            format!("bad {what} in gathering_series").into(),
        ))
    };
    let format: String = row.try_get("format")?;
    let local: String = row.try_get("local_start")?;
    Ok(SeriesRecord {
        id: row.try_get("id")?,
        community_id: row.try_get("community_id")?,
        title: row.try_get("title")?,
        format: format.parse().map_err(|_| decode("format"))?,
        rrule: row.try_get("rrule")?,
        time_zone: row.try_get("time_zone")?,
        local_start: parse_local("local_start", &local).map_err(|_| decode("local_start"))?,
        first_start: from_millis(row.try_get("first_start")?),
        duration_minutes: row.try_get("duration_minutes")?,
        location: row.try_get("location")?,
        agenda: row.try_get("agenda")?,
        capacity: row.try_get("capacity")?,
        rotate: row.try_get::<i64, _>("rotate")? != 0,
        split_from: row.try_get("split_from")?,
        created_by: row.try_get("created_by")?,
        created_at: from_millis(row.try_get("created_at")?),
        updated_at: from_millis(row.try_get("updated_at")?),
        occurrences: Vec::new(),
    })
}

fn occurrence_from(row: &AnyRow) -> Result<(i64, OccurrenceRecord), StoreError> {
    let moved_start: Option<i64> = row.try_get("moved_start")?;
    let moved_minutes: Option<i64> = row.try_get("moved_minutes")?;
    Ok((
        row.try_get("series_id")?,
        OccurrenceRecord {
            recurrence_id: from_millis(row.try_get("recurrence_id")?),
            cancelled: row.try_get::<i64, _>("cancelled")? != 0,
            moved: moved_start
                .zip(moved_minutes)
                .map(|(s, m)| (from_millis(s), m)),
            agenda: row.try_get("agenda")?,
            notes: row.try_get("notes")?,
            recording_url: row.try_get("recording_url")?,
            facilitator_id: row.try_get("facilitator_id")?,
            held_at: row.try_get::<Option<i64>, _>("held_at")?.map(from_millis),
        },
    ))
}

const OCCURRENCE_COLUMNS: &str = "series_id, recurrence_id, cancelled, moved_start, moved_minutes, agenda, \
     notes, recording_url, facilitator_id, held_at";

/// Makes sure the occurrence row exists inside `tx`.
pub(crate) async fn ensure_occurrence(tx: &mut Tx, r: &OccurrenceRef) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO gathering_occurrences (series_id, recurrence_id) VALUES ($1, $2) \
         ON CONFLICT (series_id, recurrence_id) DO NOTHING",
    )
    .bind(r.series)
    .bind(millis(r.recurrence_id))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The community of series `id` inside `tx`, refusing changes when the
/// community is archived or merged.
pub(crate) async fn writable_series(tx: &mut Tx, id: i64) -> Result<i64, StoreError> {
    let community: i64 = sqlx::query("SELECT community_id FROM gathering_series WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("community_id")?;
    crate::communities::writable(tx, community).await?;
    Ok(community)
}

/// Refuses a change to a cancelled occurrence.
pub(crate) async fn not_cancelled(tx: &mut Tx, r: &OccurrenceRef) -> Result<(), StoreError> {
    let cancelled: Option<i64> = sqlx::query_scalar(
        "SELECT cancelled FROM gathering_occurrences WHERE series_id = $1 AND recurrence_id = $2",
    )
    .bind(r.series)
    .bind(millis(r.recurrence_id))
    .fetch_optional(&mut **tx)
    .await?;
    if cancelled == Some(1) {
        return Err(StoreError::Conflict {
            field: "occurrence",
            message: "this gathering is cancelled".into(),
        });
    }
    Ok(())
}

impl Store {
    /// Creates a series in `community` from a checked plan.
    pub async fn create_series(
        &self,
        community: i64,
        plan: &Plan,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        crate::communities::writable(&mut tx, community).await?;
        let id = insert_series(&mut tx, community, plan, None, by, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Series `id` with its known occurrences.
    pub async fn series(&self, id: i64) -> Result<SeriesRecord, StoreError> {
        let sql = format!("SELECT {SERIES_COLUMNS} FROM gathering_series WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut s = series_from(&row)?;
        self.attach_occurrences(std::slice::from_mut(&mut s))
            .await?;
        Ok(s)
    }

    /// The series of `community`, by first start.
    pub async fn community_series(&self, community: i64) -> Result<Vec<SeriesRecord>, StoreError> {
        let sql = format!(
            "SELECT {SERIES_COLUMNS} FROM gathering_series WHERE community_id = $1 ORDER BY first_start, id"
        );
        let rows = sqlx::query(&sql)
            .bind(community)
            .fetch_all(self.reader())
            .await?;
        let mut out = rows
            .iter()
            .map(series_from)
            .collect::<Result<Vec<_>, _>>()?;
        self.attach_occurrences(&mut out).await?;
        Ok(out)
    }

    /// The series of every community `person` currently belongs to.
    pub async fn member_series(&self, person: i64) -> Result<Vec<SeriesRecord>, StoreError> {
        let sql = format!(
            "SELECT {SERIES_COLUMNS} FROM gathering_series WHERE community_id IN \
             (SELECT community_id FROM memberships WHERE person_id = $1 AND left_at IS NULL) \
             ORDER BY first_start, id"
        );
        let rows = sqlx::query(&sql)
            .bind(person)
            .fetch_all(self.reader())
            .await?;
        let mut out = rows
            .iter()
            .map(series_from)
            .collect::<Result<Vec<_>, _>>()?;
        self.attach_occurrences(&mut out).await?;
        Ok(out)
    }

    async fn attach_occurrences(&self, series: &mut [SeriesRecord]) -> Result<(), StoreError> {
        for s in series.iter_mut() {
            let sql = format!(
                "SELECT {OCCURRENCE_COLUMNS} FROM gathering_occurrences WHERE series_id = $1 ORDER BY recurrence_id"
            );
            let rows = sqlx::query(&sql)
                .bind(s.id)
                .fetch_all(self.reader())
                .await?;
            s.occurrences = rows
                .iter()
                .map(|r| occurrence_from(r).map(|(_, o)| o))
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }

    /// Replaces the whole series `id` with `plan` (title, schedule, ...).
    /// What is known about its occurrences follows each date to where the
    /// new schedule puts it (the first date to the new first start).
    pub async fn update_series(
        &self,
        id: i64,
        plan: &Plan,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, id).await?;
        let sql = format!("SELECT {SERIES_COLUMNS} FROM gathering_series WHERE id = $1");
        let old = series_from(&sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?)?;
        let zone = domain::person::time_zone(&old.time_zone)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.to_string().into())))?;
        write_plan(&mut tx, id, plan, at).await?;
        carry::carry(&mut tx, id, zone, old.first_start, id, &plan.series).await?;
        tx.commit().await?;
        Ok(())
    }

    /// "This and following": series `id` ends with `before` (its rule now
    /// ends before `from`), and a new series made from `after` continues from
    /// the occurrence `from`, taking the RSVPs, attendance, notes and
    /// declines of `from` and later (each date carried to where `after` puts
    /// it) and copies of the whole-series RSVPs and the volunteers. Returns
    /// the new series' id.
    pub async fn split_series(
        &self,
        id: i64,
        from: DateTime<Utc>,
        before: &Series,
        after: &Plan,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let community = writable_series(&mut tx, id).await?;
        sqlx::query("UPDATE gathering_series SET rrule = $1, updated_at = $2 WHERE id = $3")
            .bind(before.rule().as_str())
            .bind(millis(at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let new = insert_series(&mut tx, community, after, Some(id), by, at).await?;
        carry::carry(&mut tx, id, before.zone(), from, new, &after.series).await?;
        for table in ["gathering_series_rsvps", "gathering_volunteers"] {
            let (cols, select) = if table == "gathering_volunteers" {
                ("series_id, person_id, since", "$1, person_id, since")
            } else {
                (
                    "series_id, person_id, response, responded_at",
                    "$1, person_id, response, responded_at",
                )
            };
            sqlx::query(&format!(
                "INSERT INTO {table} ({cols}) SELECT {select} FROM {table} WHERE series_id = $2"
            ))
            .bind(new)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Cancels the occurrence `r` (or restores it when `cancelled` is false).
    pub async fn set_cancelled(
        &self,
        r: &OccurrenceRef,
        cancelled: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, r.series).await?;
        ensure_occurrence(&mut tx, r).await?;
        sqlx::query(
            "UPDATE gathering_occurrences SET cancelled = $1, moved_start = NULL, moved_minutes = NULL \
             WHERE series_id = $2 AND recurrence_id = $3",
        )
        .bind(i64::from(cancelled))
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .execute(&mut *tx)
        .await?;
        touch(&mut tx, r.series, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves the occurrence `r` to `start`, lasting `minutes`; `None` puts it
    /// back where the rule has it.
    pub async fn move_occurrence(
        &self,
        r: &OccurrenceRef,
        moved: Option<(DateTime<Utc>, i64)>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, r.series).await?;
        not_cancelled(&mut tx, r).await?;
        ensure_occurrence(&mut tx, r).await?;
        sqlx::query(
            "UPDATE gathering_occurrences SET moved_start = $1, moved_minutes = $2 \
             WHERE series_id = $3 AND recurrence_id = $4",
        )
        .bind(moved.map(|(s, _)| millis(s)))
        .bind(moved.map(|(_, m)| m))
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .execute(&mut *tx)
        .await?;
        touch(&mut tx, r.series, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the occurrence's own agenda (`None`: the template), notes and
    /// recording link.
    pub async fn set_occurrence_record(
        &self,
        r: &OccurrenceRef,
        agenda: Option<&str>,
        notes: &str,
        recording_url: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable_series(&mut tx, r.series).await?;
        ensure_occurrence(&mut tx, r).await?;
        sqlx::query(
            "UPDATE gathering_occurrences SET agenda = $1, notes = $2, recording_url = $3 \
             WHERE series_id = $4 AND recurrence_id = $5",
        )
        .bind(agenda)
        .bind(notes)
        .bind(recording_url)
        .bind(r.series)
        .bind(millis(r.recurrence_id))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn touch(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("UPDATE gathering_series SET updated_at = $1 WHERE id = $2")
        .bind(millis(at))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_series(
    tx: &mut Tx,
    community: i64,
    plan: &Plan,
    split_from: Option<i64>,
    by: i64,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO gathering_series (community_id, title, format, rrule, time_zone, local_start, first_start, \
         duration_minutes, location, agenda, capacity, rotate, split_from, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
    )
    .bind(community)
    .bind(&plan.title)
    .bind(plan.format.as_str())
    .bind(plan.series.rule().as_str())
    .bind(plan.series.zone().name())
    .bind(plan.local_start_text())
    .bind(millis(plan.series.first_start()))
    .bind(plan.series.duration().num_minutes())
    .bind(&plan.location)
    .bind(&plan.agenda)
    .bind(plan.capacity)
    .bind(i64::from(plan.rotate))
    .bind(split_from)
    .bind(by)
    .bind(millis(at))
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

async fn write_plan(
    tx: &mut Tx,
    id: i64,
    plan: &Plan,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE gathering_series SET title = $1, format = $2, rrule = $3, time_zone = $4, local_start = $5, \
         first_start = $6, duration_minutes = $7, location = $8, agenda = $9, capacity = $10, rotate = $11, \
         updated_at = $12 WHERE id = $13",
    )
    .bind(&plan.title)
    .bind(plan.format.as_str())
    .bind(plan.series.rule().as_str())
    .bind(plan.series.zone().name())
    .bind(plan.local_start_text())
    .bind(millis(plan.series.first_start()))
    .bind(plan.series.duration().num_minutes())
    .bind(&plan.location)
    .bind(&plan.agenda)
    .bind(plan.capacity)
    .bind(i64::from(plan.rotate))
    .bind(millis(at))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(crate::error::found)??;
    Ok(())
}
