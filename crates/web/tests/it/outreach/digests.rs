//! The digest: the API and the page (escaped), the opt-out, and the weekly
//! e-mail reaching an SMTP server on loopback once a week.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use domain::Clock;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use web::AppState;
use web::outreach::mail::{MailSettings, TlsMode};
use web::outreach::{Outreach, OutreachConfig, digest};

use super::{community, join, post_thread};
use crate::browser::{Browser, browser};
use crate::{App, apps};

/// An SMTP server on loopback that accepts every message and keeps it.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let messages: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let kept = messages.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 loopback ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.to_ascii_uppercase();
                    let answer: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
                        b"250 loopback\r\n"
                    } else if verb.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut message = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            message.push_str(&l);
                            message.push('\n');
                        }
                        kept.lock().unwrap().push(message);
                        b"250 kept\r\n"
                    } else if verb.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, messages)
}

/// Quoted-printable soft breaks and `=` undone, enough to read ASCII titles.
fn unfold(message: &str) -> String {
    message.replace("=\n", "").replace("=3D", "=")
}

async fn knows(app: &App, who: &Browser, name: &str, skill: &str) {
    let (s, v) = who
        .api(
            app,
            Method::PUT,
            "/api/v1/me/profile",
            Some(json!({"display_name": name, "skills": [{"name": skill, "level": "expert"}]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn the_digest_shows_what_a_member_could_answer_escaped_and_opts_out() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        community(&app, &ada, "platform", "open").await;
        community(&app, &ada, "inner", "private").await;
        join(&app, &bob, "platform").await;
        knows(&app, &bob, "Bob", "Kubernetes").await;
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "question", "title": "<script>alert(1)</script> pods", "body": "?", "tags": ["kubernetes"]}),
        )
        .await;
        post_thread(&app, &ada, "inner", json!({"type": "question", "title": "Inner secret", "body": "?", "tags": ["kubernetes"]})).await;
        let (s, d) = bob.api(&app, Method::GET, "/api/v1/me/digest", None).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["new_threads"].as_array().unwrap().len(), 1, "{d}");
        assert_eq!(d["questions"][0]["title"], "<script>alert(1)</script> pods");
        assert_eq!(d["questions"][0]["community"], "platform");
        assert!(
            d["questions"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("kubernetes")
        );
        assert!(
            !d.to_string().contains("Inner secret"),
            "not a member of the private community"
        );
        let (_, mine) = ada.api(&app, Method::GET, "/api/v1/me/digest", None).await;
        assert!(
            mine["new_threads"].as_array().unwrap().is_empty(),
            "her own threads are not news"
        );

        let (s, page) = bob.page(&app, "/digest").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62; pods"));
        assert!(!page.contains("<script>alert"));
        assert!(
            page.contains("sends no e-mail"),
            "no relay in this test server"
        );

        let st = app.state.clone();
        let person = app.db.store.person(bob.id).await.unwrap();
        let now = app.clock.now();
        let digest = digest::compose(&st, &person, now - Duration::days(7), now)
            .await
            .unwrap();
        let (subject, text, html) = digest::email(&st, &digest).unwrap();
        assert!(subject.contains("1 new threads, 1 questions"), "{subject}");
        assert!(
            text.contains("<script>alert(1)</script> pods"),
            "plain text is plain"
        );
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62; pods")
                && !html.contains("<script>")
        );

        // The opt-out, in the API and the page.
        let (s, v) = bob
            .api(&app, Method::GET, "/api/v1/me/digest/settings", None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v,
            json!({"email": true, "last_sent_at": null, "mail_configured": false})
        );
        let (s, v) = bob
            .api(
                &app,
                Method::PUT,
                "/api/v1/me/digest/settings",
                Some(json!({"email": false})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["email"], false);
        let (s, _) = bob
            .api(
                &app,
                Method::PUT,
                "/api/v1/me/digest/settings",
                Some(json!({"email": "no"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let r = bob.post(&app, "/digest/email", &[("email", "on")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(app.db.store.digest_preference(bob.id).await.unwrap().email);
        let r = bob.post(&app, "/digest/email", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(!app.db.store.digest_preference(bob.id).await.unwrap().email);
        let (s, v) = bob
            .api(&app, Method::POST, "/api/v1/me/digest/email", None)
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");
        assert_eq!(v["error"]["field"], "email");
    }
}

fn with_mail(app: &App, port: u16) -> AppState {
    let mut st = AppState::new(
        app.db.store.clone(),
        Arc::new(app.clock.clone()),
        web::WebConfig::default(),
    );
    st.outreach = Outreach::new(OutreachConfig {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            from: "Guildhall <guildhall@example.org>".into(),
            username: None,
            password: None,
            tls: TlsMode::None,
        }),
        public_url: "https://guildhall.example.org".into(),
        workers: false,
    })
    .unwrap();
    st
}

#[tokio::test]
async fn the_weekly_digest_reaches_an_smtp_server_once_a_week() {
    for app in apps().await {
        let (port, messages) = smtp_server().await;
        let ada = browser(&app, "ada@example.org", "Ada").await;
        let bob = browser(&app, "bob@example.org", "Bob").await;
        let cy = browser(&app, "cy@example.org", "Cy").await;
        community(&app, &ada, "platform", "open").await;
        join(&app, &bob, "platform").await;
        join(&app, &cy, "platform").await;
        let (s, _) = cy
            .api(
                &app,
                Method::PUT,
                "/api/v1/me/digest/settings",
                Some(json!({"email": false})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "discussion", "title": "Welcome to the platform", "body": "Hi."}),
        )
        .await;

        let st = with_mail(&app, port);
        let sent = digest::send_due(&st).await.unwrap();
        assert_eq!(
            sent, 1,
            "Bob gets one; Ada's is empty (her own thread); Cy opted out"
        );
        let mail = unfold(&messages.lock().unwrap()[0]);
        assert!(
            mail.contains("To: \"Bob\" <bob@example.org>")
                || mail.contains("To: Bob <bob@example.org>"),
            "{mail}"
        );
        assert!(
            mail.contains("Subject: Your Guildhall digest: 1 new threads"),
            "{mail}"
        );
        assert!(
            mail.contains("multipart/alternative")
                && mail.contains("text/plain")
                && mail.contains("text/html")
        );
        assert!(mail.contains("Welcome to the platform"));
        assert!(
            mail.contains("https://guildhall.example.org/threads/"),
            "absolute links"
        );

        // A restart (a fresh state on the same database) does not send again.
        let again = with_mail(&app, port);
        assert_eq!(digest::send_due(&again).await.unwrap(), 0);
        app.clock.advance(Duration::days(6));
        assert_eq!(digest::send_due(&again).await.unwrap(), 0);
        assert_eq!(messages.lock().unwrap().len(), 1);

        // A week later, with news, the next one goes.
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "discussion", "title": "Second week news", "body": "Hi."}),
        )
        .await;
        app.clock.advance(Duration::days(1));
        assert_eq!(digest::send_due(&again).await.unwrap(), 1);
        let mail = unfold(&messages.lock().unwrap()[1]);
        assert!(
            mail.contains("Second week news") && !mail.contains("Welcome to the platform"),
            "only what is new: {mail}"
        );
        let pref = app.db.store.digest_preference(bob.id).await.unwrap();
        assert_eq!(pref.last_sent_at, Some(app.clock.now()));

        // "E-mail me this digest now".
        digest::send_now(&again, &app.db.store.person(cy.id).await.unwrap())
            .await
            .unwrap();
        assert_eq!(messages.lock().unwrap().len(), 3);
        assert!(unfold(&messages.lock().unwrap()[2]).contains("cy@example.org"));

        // A relay that is gone: the claim is given back and the digest stays due.
        let gone = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            l.local_addr().unwrap().port()
        };
        app.clock.advance(Duration::days(7));
        post_thread(
            &app,
            &ada,
            "platform",
            json!({"type": "discussion", "title": "Third week", "body": "Hi."}),
        )
        .await;
        let broken = with_mail(&app, gone);
        assert_eq!(digest::send_due(&broken).await.unwrap(), 0);
        let due = app.db.store.due_digests(app.clock.now(), 10).await.unwrap();
        assert!(
            due.iter().any(|d| d.person_id == bob.id),
            "still due after the relay failed"
        );
    }
}
