//! The store suite: every scenario runs against SQLite, and against
//! PostgreSQL when `GUILDHALL_TEST_DATABASE_URL` is set.

mod accounts;
mod bots;
mod communities;
mod duplicates;
mod experiments;
mod expertise;
mod gatherings;
mod imports;
mod imports_batches;
mod mentoring;
mod outreach;
mod people;
mod practice;
mod pulses;
mod thread_versions;
mod threads;
mod threads_search;

use chrono::{DateTime, TimeZone, Utc};
use domain::person::OrgRole;
use store::Store;
use store::people::NewPerson;

/// A fixed instant tests start from.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// Adds a member with `email` and returns their id.
pub async fn person(store: &Store, email: &str, name: &str) -> i64 {
    store
        .create_person(
            &NewPerson {
                email: email.into(),
                display_name: name.into(),
                password_hash: Some("$argon2id$stand-in".into()),
                org_role: OrgRole::Member,
            },
            t0(),
        )
        .await
        .unwrap()
}
