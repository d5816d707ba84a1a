//! Guildhall's persistence. One [`Store`] over either SQLite (the embedded
//! default) or PostgreSQL (scale-out), chosen from the URL at start-up, with
//! each backend's migrations applied on open. All SQL in Guildhall lives in
//! this crate. Queries are written once with `$n` parameters, which both
//! backends accept; where the dialects differ the two versions sit side by
//! side, keyed by [`Backend`].
//!
//! Every change that the health engine must see appends its activity event in
//! the same transaction as the change itself.

pub mod activity;
pub mod adoptions;
mod bulk;
pub mod communities;
pub mod duplicates;
mod error;
pub mod experiments;
pub mod expertise;
pub mod gatherings;
pub mod holders;
mod identities;
pub mod imports;
pub mod login_limit;
pub mod mentoring;
pub mod outreach;
pub mod people;
pub mod practice;
pub mod pulses;
pub mod sessions;
pub mod testing;
pub mod threads;
mod time;
pub mod tokens;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use error::StoreError;
pub use time::{from_millis, millis};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    /// Connections for reads (and for all work on PostgreSQL).
    read: AnyPool,
    /// Connections for writes: one on SQLite, which has a single writer.
    write: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// A write transaction.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// How long a writer waits for a lock held by another process.
const BUSY_TIMEOUT_MS: u32 = 5_000;

impl Store {
    /// Opens (creating if needed) the SQLite file `guildhall.db` in `dir`.
    pub async fn open_dir(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            url: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let path = dir.join("guildhall.db");
        Self::open(&format!("sqlite://{}?mode=rwc", path.display())).await
    }

    /// Opens the database at `url` (`sqlite://...` or `postgres://...`) and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_in_schema(url, None).await
    }

    /// Like [`Store::open`], with PostgreSQL tables in `schema` (used by tests).
    pub async fn open_in_schema(url: &str, schema: Option<String>) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Open {
                url: redact(url),
                reason: "the database URL must start with sqlite:// or postgres://".into(),
            });
        };
        let options = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Open {
                url: redact(url),
                reason: e.to_string(),
            })?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = |max: u32| {
            let schema = schema.clone();
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _meta| {
                    let schema = schema.clone();
                    Box::pin(async move {
                        match backend {
                            Backend::Sqlite => {
                                conn.execute("PRAGMA journal_mode = WAL").await?;
                                conn.execute("PRAGMA foreign_keys = ON").await?;
                                conn.execute("PRAGMA synchronous = NORMAL").await?;
                                conn.execute(
                                    format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").as_str(),
                                )
                                .await?;
                            }
                            Backend::Postgres => {
                                if let Some(schema) = schema {
                                    conn.execute(
                                        format!("SET search_path TO \"{schema}\"").as_str(),
                                    )
                                    .await?;
                                }
                            }
                        }
                        Ok(())
                    })
                })
                .connect_lazy_with(options.clone())
        };
        let (read, write) = match backend {
            Backend::Sqlite => (pool(8), pool(1)),
            Backend::Postgres => {
                let shared = pool(16);
                (shared.clone(), shared)
            }
        };
        let store = Store {
            read,
            write,
            backend,
        };
        store.migrate().await.map_err(|e| match e {
            StoreError::Database(e) => StoreError::Open {
                url: redact(url),
                reason: e.to_string(),
            },
            other => other,
        })?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATE_SQLITE,
            Backend::Postgres => &MIGRATE_POSTGRES,
        };
        let mut conn = self.write.acquire().await?;
        migrator.run(&mut *conn).await?;
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.write.begin().await?)
    }

    /// Checks the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Closes every connection, waiting for work in flight.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.read
    }
}

/// A URL with any password replaced, safe to log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            super::redact("postgres://gh:s3cret@localhost/gh"),
            "postgres://gh:***@localhost/gh"
        );
        assert_eq!(super::redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
