//! Fresh, isolated stores for tests: a temporary SQLite file always, and a
//! new PostgreSQL schema when `GUILDHALL_TEST_DATABASE_URL` is set. Every
//! test gets its own database, so tests run in parallel without interfering.

use std::sync::atomic::{AtomicU64, Ordering};

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
