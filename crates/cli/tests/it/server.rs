//! A real server process: durability across kill -9, graceful shutdown on
//! SIGTERM, and two processes sharing one PostgreSQL database.

use serde_json::{Value, json};

use crate::Server;

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn sign_up(server: &Server, email: &str) -> u16 {
    client()
        .post(server.url("/api/v1/auth/signup"))
        .json(&json!({"email": email, "display_name": "Durable", "password": "correct horse battery"}))
        .send()
        .unwrap()
        .status()
        .as_u16()
}

fn log_in(server: &Server, email: &str, password: &str) -> reqwest::blocking::Response {
    client()
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .unwrap()
}

#[test]
fn an_acknowledged_write_survives_kill_9_and_sigterm_is_graceful() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]);
    assert_eq!(sign_up(&server, "kept@example.org"), 201);
    server.child.kill().unwrap(); // SIGKILL: no chance to flush anything
    server.child.wait().unwrap();
    let server = Server::start(dir.path(), &[]);
    assert_eq!(
        log_in(&server, "kept@example.org", "correct horse battery").status(),
        200
    );
    assert!(server.terminate(), "SIGTERM ends the server cleanly");
}

#[test]
fn two_servers_on_one_postgres_share_sessions_and_the_log_in_limit() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(url) = runtime
        .block_on(store::testing::postgres_database())
        .unwrap()
    else {
        eprintln!("skipped: {} is not set", store::testing::POSTGRES_URL_VAR);
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = Server::start(dir.path(), &["--database", &url]);
    let b = Server::start(dir.path(), &["--database", &url]);
    assert_eq!(sign_up(&a, "shared@example.org"), 201);
    // A bearer session made through A works through B.
    let session: Value = log_in(&a, "shared@example.org", "correct horse battery")
        .json()
        .unwrap();
    let token = session["token"].as_str().unwrap();
    let me = client()
        .get(b.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(me.status(), 200);
    // A browser session made through A works through B: the cookie is the same secret.
    let browser = client();
    let form = browser.get(a.url("/login")).send().unwrap().text().unwrap();
    let at = form.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = form[at..].split('"').next().unwrap().to_owned();
    let logged_in = browser
        .post(a.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "shared@example.org"),
            ("password", "correct horse battery"),
        ])
        .send()
        .unwrap();
    assert_eq!(logged_in.status(), 303);
    let cookie = logged_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = client()
        .get(b.url("/people"))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(page.status(), 200, "B knows A's browser session");
    // Failures through both processes add up to one limit.
    for server in [&a, &b, &a, &b, &a] {
        assert_eq!(
            log_in(server, "shared@example.org", "wrong password").status(),
            401
        );
    }
    assert_eq!(
        log_in(&b, "shared@example.org", "correct horse battery").status(),
        429
    );
    // A token revoked through B stops working through A.
    let out = client()
        .post(b.url("/api/v1/auth/logout"))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(
        client()
            .get(a.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .unwrap()
            .status(),
        401
    );
}
