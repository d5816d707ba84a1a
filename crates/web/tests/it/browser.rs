//! A signed-in person for the tests: a browser session with its CSRF token,
//! and a bearer token for the API.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{App, client};

/// A signed-in person with both a browser session and an API token.
pub struct Browser {
    /// A client holding the session cookie.
    pub web: reqwest::Client,
    /// The session's CSRF token.
    pub csrf: String,
    /// A bearer token for the API.
    pub token: String,
    /// Their person id.
    pub id: i64,
}

/// The value of the first hidden `csrf` input in `html`.
pub fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a csrf field") + marker.len();
    html[at..].split('"').next().unwrap().to_owned()
}

/// `who` joins the community at `slug` over the API.
pub async fn join(app: &App, who: &Browser, slug: &str) {
    let (s, v) = who
        .api(
            app,
            reqwest::Method::POST,
            &format!("/api/v1/communities/{slug}/join"),
            None,
        )
        .await;
    assert!(s.is_success(), "{s} {v}");
}

/// Signs `email` up and logs them in with a browser too.
pub async fn browser(app: &App, email: &str, name: &str) -> Browser {
    let token = app.sign_up(email, name).await;
    let web = client();
    let login = web
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = web
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf(&login).as_str()),
            ("email", email),
            ("password", "correct horse battery"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "log-in of {email}");
    let page = web
        .get(app.url("/communities"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let me: Value = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Browser {
        web,
        csrf: csrf(&page),
        token,
        id: me["id"].as_i64().unwrap(),
    }
}

impl Browser {
    /// Posts a form (the CSRF token added) to `path`.
    pub async fn post(&self, app: &App, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.web
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// The text of the page at `path`.
    pub async fn page(&self, app: &App, path: &str) -> (StatusCode, String) {
        let r = self.web.get(app.url(path)).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Calls the API.
    pub async fn api(
        &self,
        app: &App,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = client()
            .request(method, app.url(path))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}
