//! Thread versions: every change to what a thread's page shows raises its
//! version in the same transaction, so a server may keep a rendered thread
//! for exactly as long as the version it was read at.

use crate::{StoreError, Tx};

/// Raises thread `id`'s version: what its page shows has changed.
pub(crate) async fn bump_version(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE threads SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Raises the version of every thread `person` wrote in, when their name
/// is about to read differently there: `shown_as` is the name they will
/// have (`None`: another person's, as in a merge, so always).
pub(crate) async fn bump_versions_by(
    tx: &mut Tx,
    person: i64,
    shown_as: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE threads SET version = version + 1 \
         WHERE (author_id = $1 OR id IN (SELECT thread_id FROM replies WHERE author_id = $1)) \
           AND ($2 = 0 OR EXISTS (SELECT 1 FROM people WHERE id = $1 AND display_name <> $3))",
    )
    .bind(person)
    .bind(i64::from(shown_as.is_some()))
    .bind(shown_as.unwrap_or(""))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
