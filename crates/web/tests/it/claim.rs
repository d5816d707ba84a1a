//! Claiming an imported account through its one-time link: the form, a
//! mismatched or weak password refused with the reason, a good one signs the
//! person in and lets them log in afterwards; the link then works no more,
//! and an unknown link is a 404.

use chrono::Duration;
use domain::Clock;
use domain::person::OrgRole;
use reqwest::StatusCode;
use store::people::NewPerson;

use crate::browser::csrf;
use crate::{apps, client};

#[tokio::test]
async fn an_imported_person_claims_their_account_once() {
    for app in apps().await {
        let now = app.clock.now();
        let person = app
            .db
            .store
            .create_person(
                &NewPerson {
                    email: "imported@example.org".into(),
                    display_name: "Ima Ported".into(),
                    password_hash: None,
                    org_role: OrgRole::Member,
                },
                now,
            )
            .await
            .unwrap();
        let link = "claim-secret-for-the-test-0123456789abcdef";
        app.db
            .store
            .create_claim_link(
                person,
                &web::auth::secret::digest(link),
                now + Duration::days(7),
                now,
            )
            .await
            .unwrap();
        let web = client();
        let page = web
            .get(app.url(&format!("/claim/{link}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let token = csrf(&page.text().await.unwrap());
        let post = |password: &'static str, confirm: &'static str| {
            let web = web.clone();
            let url = app.url(&format!("/claim/{link}"));
            let token = token.clone();
            async move {
                web.post(url)
                    .form(&[
                        ("csrf", token.as_str()),
                        ("password", password),
                        ("confirm", confirm),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let r = post("a long passphrase", "another passphrase").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("the two passwords differ"));
        let r = post("short", "short").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = post("a long passphrase", "a long passphrase").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let home = web
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Ima Ported"), "signed in: {home}");
        // Used once: the link is gone, like one that never existed.
        let stranger = client();
        let form = stranger
            .get(app.url(&format!("/claim/{link}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let again = stranger
            .post(app.url(&format!("/claim/{link}")))
            .form(&[
                ("csrf", csrf(&form).as_str()),
                ("password", "someone else's"),
                ("confirm", "someone else's"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
        let unknown = client().get(app.url("/claim/")).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        // And the password works at the log-in form.
        let other = client();
        let login = other
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = other
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf(&login).as_str()),
                ("email", "imported@example.org"),
                ("password", "a long passphrase"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
}
