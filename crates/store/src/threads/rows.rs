//! How a thread reads from a row: the columns every thread query selects
//! and the conversion back, also for rows where the thread's columns carry
//! a prefix beside another table's.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Author, Thread};
use crate::{StoreError, from_millis};

pub(crate) const THREAD_COLUMNS: &str = "t.id, t.community_id, t.thread_type, t.title, t.body, \
    t.author_id, p.display_name AS author_name, t.anonymous, t.created_at, t.edited_at, t.revision, \
    t.last_activity_at, t.reply_count, t.first_response_at, t.accepted_reply_id, t.hidden_at, \
    t.version";

pub(crate) const THREAD_FROM: &str = "threads t LEFT JOIN people p ON p.id = t.author_id";

pub(crate) fn author_from(
    row: &AnyRow,
    id: &str,
    name: &str,
) -> Result<Option<Author>, sqlx::Error> {
    let id: Option<i64> = row.try_get(id)?;
    Ok(match id {
        Some(id) => Some(Author {
            id,
            name: row.try_get(name)?,
        }),
        None => None,
    })
}

pub(crate) fn thread_from(row: &AnyRow) -> Result<Thread, StoreError> {
    thread_from_prefixed(row, "")
}

/// A thread from a row whose thread columns are named with `prefix`.
pub(crate) fn thread_from_prefixed(row: &AnyRow, prefix: &str) -> Result<Thread, StoreError> {
    let col = |name: &str| format!("{prefix}{name}");
    let thread_type: String = row.try_get(col("thread_type").as_str())?;
    Ok(Thread {
        id: row.try_get(col("id").as_str())?,
        community_id: row.try_get(col("community_id").as_str())?,
        thread_type: thread_type.parse().map_err(|_| {
            StoreError::Database(sqlx::Error::Decode(
                format!("unknown thread type {thread_type:?} in the database").into(),
            ))
        })?,
        title: row.try_get(col("title").as_str())?,
        body: row.try_get(col("body").as_str())?,
        author: author_from(row, &col("author_id"), &col("author_name"))?,
        anonymous: row.try_get::<i64, _>(col("anonymous").as_str())? != 0,
        created_at: from_millis(row.try_get(col("created_at").as_str())?),
        edited_at: row
            .try_get::<Option<i64>, _>(col("edited_at").as_str())?
            .map(from_millis),
        revision: row.try_get(col("revision").as_str())?,
        last_activity_at: from_millis(row.try_get(col("last_activity_at").as_str())?),
        reply_count: row.try_get(col("reply_count").as_str())?,
        first_response_at: row
            .try_get::<Option<i64>, _>(col("first_response_at").as_str())?
            .map(from_millis),
        accepted_reply_id: row.try_get(col("accepted_reply_id").as_str())?,
        hidden_at: row
            .try_get::<Option<i64>, _>(col("hidden_at").as_str())?
            .map(from_millis),
        tags: Vec::new(),
        version: row.try_get(col("version").as_str())?,
    })
}
