//! A thread read the way its page needs it: with its community and the
//! viewer's role there in one query, or without its tags for a reader that
//! holds the tags of the thread's current version already.

use std::sync::OnceLock;

use domain::community::MemberRole;
use sqlx::Row;

use super::{THREAD_COLUMNS, THREAD_FROM, Thread, thread_from_prefixed};
use crate::communities::{COMMUNITY_COLUMNS, Community, community_from_row, role_of_text};
use crate::{Store, StoreError};

/// The prefix of the thread's columns where they sit beside a community's.
const PREFIX: &str = "th_";

/// [`THREAD_COLUMNS`], each renamed with [`PREFIX`].
fn prefixed_columns() -> &'static str {
    static COLUMNS: OnceLock<String> = OnceLock::new();
    COLUMNS.get_or_init(|| {
        THREAD_COLUMNS
            .split(',')
            .map(|column| {
                let column = column.trim();
                match column.split_once(" AS ") {
                    Some((expr, name)) => format!("{expr} AS {PREFIX}{name}"),
                    None => {
                        let name = column.rsplit('.').next().unwrap_or(column);
                        format!("{column} AS {PREFIX}{name}")
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

impl Store {
    /// Thread `id` (without its tags), its community, and `viewer`'s role
    /// in that community.
    pub async fn thread_in_context(
        &self,
        id: i64,
        viewer: i64,
    ) -> Result<(Thread, Community, Option<MemberRole>), StoreError> {
        let sql = format!(
            "SELECT {COMMUNITY_COLUMNS}, {thread}, \
               (SELECT m.role FROM memberships m WHERE m.community_id = c.id \
                  AND m.person_id = $2 AND m.left_at IS NULL) AS viewer_role \
             FROM {THREAD_FROM} JOIN communities c ON c.id = t.community_id WHERE t.id = $1",
            thread = prefixed_columns()
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(viewer)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let role = row
            .try_get::<Option<String>, _>("viewer_role")?
            .map(|r| role_of_text(&r))
            .transpose()?;
        Ok((
            thread_from_prefixed(&row, PREFIX)?,
            community_from_row(&row)?,
            role,
        ))
    }

    /// Thread `id`'s tags in order.
    pub async fn thread_tags(&self, thread: i64) -> Result<Vec<String>, StoreError> {
        let rows =
            sqlx::query("SELECT tag FROM thread_tags WHERE thread_id = $1 ORDER BY position")
                .bind(thread)
                .fetch_all(self.reader())
                .await?;
        rows.iter()
            .map(|r| r.try_get("tag").map_err(StoreError::from))
            .collect()
    }
}
