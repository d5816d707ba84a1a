//! Charter revisions: every version of a charter is kept whole, numbered from
//! 1 (the charter the community was proposed with), with who made it, when
//! and an optional note. Diffs are computed from consecutive versions by
//! `domain::charter::changes`.

use chrono::{DateTime, Utc};
use domain::charter::{self, Charter};
use domain::community::HistoryKind;
use sqlx::Row;

use super::{Entry, charter_from_row, record, writable};
use crate::{Store, StoreError, Tx, from_millis, millis};

/// One version of a charter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// 1 for the first.
    pub revision: i64,
    /// Who made it.
    pub editor_id: Option<i64>,
    /// Their name.
    pub editor_name: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, in the editor's words.
    pub note: String,
    /// The charter as it was made.
    pub charter: Charter,
}

pub(crate) async fn insert_revision(
    tx: &mut Tx,
    community: i64,
    revision: i64,
    editor: Option<i64>,
    c: &Charter,
    note: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO charter_revisions (community_id, revision, editor_id, at, note, name, domain_question, \
         in_scope, out_of_scope, purpose, org_goal, community_type, orientation, visibility, sponsor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(community)
    .bind(revision)
    .bind(editor)
    .bind(millis(at))
    .bind(note)
    .bind(&c.name)
    .bind(&c.domain_question)
    .bind(&c.in_scope)
    .bind(&c.out_of_scope)
    .bind(&c.purpose)
    .bind(&c.org_goal)
    .bind(c.community_type.as_str())
    .bind(c.orientation.as_str())
    .bind(c.visibility.as_str())
    .bind(c.sponsor.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Replaces the charter of `community` with `new`, by `editor`, keeping
    /// the old version. Returns the new revision number, or `None` when
    /// nothing changed (and nothing was written).
    pub async fn revise_charter(
        &self,
        community: i64,
        editor: i64,
        new: &Charter,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let current = writable(&mut tx, community).await?;
        let changed = charter::changes(Some(&current.charter), new);
        if changed.is_empty() {
            return Ok(None);
        }
        sqlx::query(
            "UPDATE communities SET name = $1, domain_question = $2, in_scope = $3, out_of_scope = $4, \
             purpose = $5, org_goal = $6, community_type = $7, orientation = $8, visibility = $9, \
             sponsor = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(&new.name)
        .bind(&new.domain_question)
        .bind(&new.in_scope)
        .bind(&new.out_of_scope)
        .bind(&new.purpose)
        .bind(&new.org_goal)
        .bind(new.community_type.as_str())
        .bind(new.orientation.as_str())
        .bind(new.visibility.as_str())
        .bind(new.sponsor.as_deref())
        .bind(millis(at))
        .bind(community)
        .execute(&mut *tx)
        .await?;
        let next: i64 = sqlx::query(
            "SELECT CAST(COALESCE(MAX(revision), 0) + 1 AS BIGINT) AS n FROM charter_revisions WHERE community_id = $1",
        )
        .bind(community)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        insert_revision(&mut tx, community, next, Some(editor), new, note, at).await?;
        record(
            &mut tx,
            Entry {
                community,
                at,
                actor: Some(editor),
                kind: HistoryKind::CharterRevised,
                person: None,
                other: None,
                detail: &format!("revision {next}: {}", charter::summary(&changed)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(next))
    }

    /// Every revision of `community`'s charter, oldest first.
    pub async fn charter_revisions(&self, community: i64) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.revision, r.editor_id, p.display_name AS editor_name, r.at, r.note, r.name, \
               r.domain_question, r.in_scope, r.out_of_scope, r.purpose, r.org_goal, r.community_type, \
               r.orientation, r.visibility, r.sponsor \
             FROM charter_revisions r LEFT JOIN people p ON p.id = r.editor_id \
             WHERE r.community_id = $1 ORDER BY r.revision",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Revision {
                    revision: row.try_get("revision")?,
                    editor_id: row.try_get("editor_id")?,
                    editor_name: row.try_get("editor_name")?,
                    at: from_millis(row.try_get("at")?),
                    note: row.try_get("note")?,
                    charter: charter_from_row(row)?,
                })
            })
            .collect()
    }
}
