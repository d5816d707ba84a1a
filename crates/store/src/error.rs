//! The store's error type.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database {url}: {reason}")]
    Open {
        /// The URL, password redacted.
        url: String,
        /// Why.
        reason: String,
    },
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is already taken.
    #[error("{field}: {message}")]
    Conflict {
        /// The field whose value clashes.
        field: &'static str,
        /// What clashes, in words.
        message: String,
    },
    /// A database fault.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// `Ok` when a statement changed at least one row, else [`StoreError::NotFound`].
pub(crate) fn found(done: sqlx::any::AnyQueryResult) -> Result<(), StoreError> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

impl StoreError {
    /// Turns a unique violation into a [`StoreError::Conflict`] on `field`.
    pub(crate) fn unique(
        field: &'static str,
        message: impl Into<String>,
    ) -> impl FnOnce(sqlx::Error) -> StoreError {
        let message = message.into();
        move |e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict { field, message }
            }
            _ => StoreError::Database(e),
        }
    }
}
