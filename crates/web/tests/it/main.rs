//! The web layer through a real listener on port 0, against SQLite and (when
//! configured) PostgreSQL.

mod accounts_api;
mod artifacts;
mod browser;
mod claim;
mod communities;
mod communities_stewards;
mod duplicates;
mod experiments;
mod expertise;
mod gathering_changes;
mod gatherings;
mod health_board;
mod health_pages;
mod malformed;
mod mentoring;
mod operations;
mod outreach;
mod pages;
mod privacy;
mod pulses;
mod thread_feed;
mod thread_pages;
mod threads_api;

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use domain::{Clock, SettableClock};
use serde_json::{Value, json};
use store::testing::{self, TestStore};
use web::{AppState, WebConfig};

/// A running server and what it runs on.
pub struct App {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The clock the server reads.
    pub clock: SettableClock,
    /// The database.
    pub db: TestStore,
    /// The server's state (its store, clock and health board).
    pub state: AppState,
}

impl App {
    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs up over the API and returns the session token.
    pub async fn sign_up(&self, email: &str, name: &str) -> String {
        let r = client()
            .post(self.url("/api/v1/auth/signup"))
            .json(
                &json!({"email": email, "display_name": name, "password": "correct horse battery"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "sign-up of {email}");
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// A client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Starts the application on a fresh store for each configured database.
pub async fn apps() -> Vec<App> {
    let mut out = Vec::new();
    for db in testing::all().await {
        out.push(start(db).await);
    }
    out
}

/// Starts the application over `db`.
pub async fn start(db: TestStore) -> App {
    let clock = SettableClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let state = AppState::new(
        db.store.clone(),
        Arc::new(clock.clone()),
        WebConfig::default(),
    );
    // The first health computation, done before serving so health routes
    // answer from the start (in production it runs in the background).
    state
        .health
        .refresh(&db.store, clock.now(), true)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(web::serve(listener, state.clone(), std::future::pending()));
    App {
        base: format!("http://{addr}"),
        clock,
        db,
        state,
    }
}

impl App {
    /// Posts a form to `path` with client `c`.
    pub async fn post_form(
        &self,
        c: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        c.post(self.url(path)).form(fields).send().await.unwrap()
    }

    /// GETs `path` with a bearer token and returns the status and the JSON body.
    pub async fn get_json(&self, path: &str, token: &str) -> (reqwest::StatusCode, Value) {
        let r = client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// GETs the page at `path` with client `c` and returns its HTML.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}
