//! Fresh, isolated stores for tests: a temporary SQLite file always, and a
//! new PostgreSQL schema when `GUILDHALL_TEST_DATABASE_URL` is set. Every
//! test gets its own database, so tests run in parallel without interfering.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::{Backend, Store, StoreError};

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_URL_VAR: &str = "GUILDHALL_TEST_DATABASE_URL";

/// A store for one test, with whatever keeps it alive.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// The URL a second process can open to share it.
    pub url: String,
    /// The PostgreSQL schema, if any.
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("t{}_{}_{}", std::process::id(), nanos, n)
}

/// A fresh SQLite store in a temporary directory.
pub async fn sqlite() -> Result<TestStore, StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::Open {
        url: "temporary directory".into(),
        reason: e.to_string(),
    })?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("guildhall.db").display()
    );
    let store = Store::open(&url).await?;
    Ok(TestStore {
        store,
        url,
        schema: None,
        _dir: Some(dir),
    })
}

/// A fresh PostgreSQL store in a new schema, if the test server is configured.
pub async fn postgres() -> Result<Option<TestStore>, StoreError> {
    let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
        return Ok(None);
    };
    let schema = unique_name();
    let admin = Store::open_unmigrated(&url).await?;
    if !SWEPT.swap(true, Ordering::Relaxed) {
        sweep_leftovers(&admin).await;
    }
    sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
        .execute(admin.reader())
        .await?;
    admin.close().await;
    let store = Store::open_in_schema(&url, Some(schema.clone())).await?;
    Ok(Some(TestStore {
        store,
        url,
        schema: Some(schema),
        _dir: None,
    }))
}

/// How many leftover schemas (and databases) one process drops.
const SWEEP_AT_ONCE: usize = 40;

/// Whether this process has swept the test server yet.
static SWEPT: AtomicBool = AtomicBool::new(false);

/// Drops the schemas and databases earlier test processes left on the test
/// server (a test that fails or is killed never drops its own). Their names
/// start with the creating process's id; only those of processes no longer
/// running go, so concurrent test runs are left alone. Where process ids
/// cannot be checked (no `/proc`), nothing is dropped. At most
/// [`SWEEP_AT_ONCE`] of each go per process, so a server holding thousands
/// is cleared over several runs without slowing any one. Failures are
/// ignored: this is housekeeping.
async fn sweep_leftovers(admin: &Store) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let schemas = leftovers(
        admin,
        "SELECT nspname::text FROM pg_namespace WHERE nspname ~ '^t[0-9]+_'",
    );
    for schema in schemas.await {
        let _ = sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .execute(admin.reader())
            .await;
    }
    let databases = leftovers(
        admin,
        "SELECT datname::text FROM pg_database WHERE datname ~ '^(t|e2e_)[0-9]+_'",
    );
    for db in databases.await {
        let _ = sqlx::query(&format!("DROP DATABASE \"{db}\""))
            .execute(admin.reader())
            .await;
    }
}

/// Up to [`SWEEP_AT_ONCE`] of the names `sql` lists whose creating process
/// (the digits after the prefix) is no longer running.
async fn leftovers(admin: &Store, sql: &'static str) -> Vec<String> {
    let gone = |name: &String| {
        let digits: String = name
            .trim_start_matches("e2e_")
            .trim_start_matches('t')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        !digits.is_empty() && !std::path::Path::new(&format!("/proc/{digits}")).exists()
    };
    let mut names = sqlx::query_scalar::<_, String>(sql)
        .fetch_all(admin.reader())
        .await
        .unwrap_or_default();
    names.retain(gone);
    names.truncate(SWEEP_AT_ONCE);
    names
}

/// Every store the tests should run against: SQLite, and PostgreSQL when configured.
pub async fn all() -> Vec<TestStore> {
    let mut out = vec![sqlite().await.expect("a temporary SQLite store")];
    if let Some(pg) = postgres().await.expect("the PostgreSQL test server") {
        out.push(pg);
    }
    out
}

/// The URL of a new, empty PostgreSQL database on the test server, for tests
/// that start whole server processes (which take a URL, not a schema).
pub async fn postgres_database() -> Result<Option<String>, StoreError> {
    let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
        return Ok(None);
    };
    let name = unique_name();
    let admin = Store::open_unmigrated(&url).await?;
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(admin.reader())
        .await?;
    admin.close().await;
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url.as_str(), String::new()),
    };
    let server = base
        .rsplit_once('/')
        .map(|(server, _)| server)
        .unwrap_or(base);
    Ok(Some(format!("{server}/{name}{query}")))
}

impl Store {
    async fn open_unmigrated(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await?;
        Ok(Store {
            read: pool.clone(),
            write: pool,
            backend: Backend::Postgres,
        })
    }
}
