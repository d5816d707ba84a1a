//! The shared space's pages through HTTP: asking by form (with similar
//! questions), replying, quoting, accepting, reactions, kudos, editing with
//! the history's diff, help wanted, search with highlighted matches,
//! notifications; an anonymous question that never names its asker to
//! anyone else; and bodies that try to run script rendering inert.

use chrono::Duration;
use domain::Clock;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{Browser, browser};
use crate::{App, apps};

/// Creates an open community stewarded by `steward`.
async fn community(app: &App, steward: &Browser, slug: &str) {
    let (s, v) = steward
        .api(
            app,
            Method::POST,
            "/api/v1/communities",
            Some(json!({"slug": slug, "name": "Platform Guild",
                "domain_question": "How do we run the platform well?",
                "type": "cross_cutting", "orientation": "knowledge_weaving", "visibility": "open"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

/// Joins `slug` by its page's form.
async fn join(app: &App, who: &Browser, slug: &str) {
    let r = who
        .post(app, &format!("/communities/{slug}/join"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// Where a redirect points.
fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Opens a thread by the form and returns its id.
async fn ask(app: &App, who: &Browser, slug: &str, fields: &[(&str, &str)]) -> i64 {
    let r = who
        .post(app, &format!("/communities/{slug}/threads"), fields)
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    location(&r)
        .strip_prefix("/threads/")
        .unwrap()
        .parse()
        .unwrap()
}

/// Replies by the form and returns the reply's id.
async fn reply(app: &App, who: &Browser, thread: i64, body: &str) -> i64 {
    let r = who
        .post(
            app,
            &format!("/threads/{thread}/replies"),
            &[("body", body)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    location(&r)
        .rsplit("#reply-")
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn ok_page(app: &App, who: &Browser, path: &str) -> String {
    let (s, text) = who.page(app, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {text}");
    text
}

#[tokio::test]
async fn a_question_is_asked_answered_accepted_thanked_edited_and_found() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada Lovelace").await;
        let bob = browser(&app, "bob@example.org", "Bob Builder").await;
        community(&app, &ada, "platform").await;
        join(&app, &bob, "platform").await;

        let form = ok_page(&app, &ada, "/communities/platform/threads/new").await;
        assert!(form.contains("Ask anonymously") && form.contains("Markdown"));
        assert!(form.contains("aria-live=\"polite\"") && form.contains("/static/threads.js"));
        let id = ask(
            &app,
            &ada,
            "platform",
            &[
                ("type", "question"),
                ("title", "How do we rotate TLS certificates?"),
                (
                    "body",
                    "We use **cert-manager** today.\n\n```rust\nfn main() { let x = 1; }\n```",
                ),
                ("tags", "tls, ops"),
            ],
        )
        .await;
        let page = ok_page(&app, &ada, &format!("/threads/{id}")).await;
        assert!(page.contains("<strong>cert-manager</strong>"), "{page}");
        assert!(page.contains("hl-"), "code is highlighted");
        assert!(page.contains("application/ld+json") && page.contains("\"QAPage\""));
        assert!(page.contains("\"answerCount\":0"));
        assert!(
            page.contains("<li><a href=\"/communities/platform/threads?tag=tls\">tls</a></li>")
        );

        // Someone writing a similar question sees it, without the script
        // (the check posts the form: its token never goes into a URL).
        let check = bob
            .post(
                &app,
                "/communities/platform/threads",
                &[
                    ("type", "question"),
                    ("title", "rotate certificates"),
                    ("body", ""),
                    ("check", "1"),
                ],
            )
            .await;
        assert_eq!(check.status(), StatusCode::OK);
        let check = check.text().await.unwrap();
        assert!(!check.contains("Use cert-manager"), "nothing was posted");
        assert!(
            check.contains(&format!("href=\"/threads/{id}\"")),
            "{check}"
        );
        let empty = bob
            .post(&app, &format!("/threads/{id}/replies"), &[("body", "  ")])
            .await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text().await.unwrap().contains("role=\"alert\""));
        let answer = reply(&app, &bob, id, "Use cert-manager with a ClusterIssuer.").await;

        // Only the asker (or a steward) may accept.
        let bobs = ok_page(&app, &bob, &format!("/threads/{id}")).await;
        assert!(!bobs.contains("Accept this answer"));
        let refused = bob
            .post(
                &app,
                &format!("/threads/{id}/accept"),
                &[("reply_id", &answer.to_string())],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let adas = ok_page(&app, &ada, &format!("/threads/{id}")).await;
        assert!(adas.contains("Accept this answer"));
        let r = ada
            .post(
                &app,
                &format!("/threads/{id}/accept"),
                &[("reply_id", &answer.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // The page's reaction buttons share one form: each names its post,
        // reaction and state.
        let pressing = format!("{answer}:helpful:true");
        assert!(adas.contains(&format!(
            "form=\"react-form\" type=\"submit\" name=\"react\" value=\"{pressing}\""
        )));
        let r = ada
            .post(
                &app,
                &format!("/threads/{id}/reactions"),
                &[("react", &pressing)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = ada
            .post(
                &app,
                &format!("/threads/{id}/kudos"),
                &[
                    ("reply_id", &answer.to_string()),
                    ("note", "Saved my weekend"),
                ],
            )
            .await;
        assert!(location(&r).contains("notice=kudos"));
        let solved = ok_page(&app, &ada, &format!("/threads/{id}")).await;
        assert!(solved.contains("Solved") && solved.contains("Accepted answer"));
        assert!(solved.contains("\"acceptedAnswer\""));
        assert!(
            solved.contains("aria-pressed=\"true\">Helpful <span class=\"count\">1</span>"),
            "{solved}"
        );
        assert!(solved.contains(&format!("value=\"{answer}:helpful:false\"")));

        // Bob hears about it, and his page thanks him (without a count to rank by).
        let notes = ok_page(&app, &bob, "/notifications").await;
        assert!(notes.contains("accepted your answer in") && notes.contains("gave you kudos"));
        assert!(notes.contains("class=\"count\"") && notes.contains("Mark all read"));
        // Every page's navigation counts them, not only the shared space's.
        for page in ["/people", "/settings/tokens", "/communities", "/portfolio"] {
            let text = ok_page(&app, &bob, page).await;
            assert!(text.contains("<span class=\"sr\"> unread</span>"), "{page}");
        }
        let r = bob.post(&app, "/notifications/read", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let read = ok_page(&app, &bob, "/notifications").await;
        assert!(!read.contains("class=\"unread\"") && !read.contains("Mark all read"));
        let person = ok_page(&app, &ada, &format!("/people/{}", bob.id)).await;
        assert!(person.contains("Kudos") && person.contains("Saved my weekend"));

        // Quoting prefills the reply form.
        let quoting = ok_page(&app, &bob, &format!("/threads/{id}?quote={answer}")).await;
        assert!(quoting.contains(&format!("name=\"quote_of\" value=\"{answer}\"")));
        assert!(quoting.contains("&#62; Use cert-manager"));

        // Edits: only the writer; the history shows what changed.
        let (s, _) = bob.page(&app, &format!("/threads/{id}/edit")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let edit = ok_page(&app, &ada, &format!("/threads/{id}/edit")).await;
        assert!(edit.contains("How do we rotate TLS certificates?"));
        let r = ada
            .post(
                &app,
                &format!("/threads/{id}/edit"),
                &[
                    ("title", "How do we rotate TLS certificates safely?"),
                    ("body", "We use **cert-manager** and Vault today."),
                    ("tags", "tls, ops, vault"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let history = ok_page(&app, &ada, &format!("/threads/{id}/history")).await;
        assert!(history.contains("Revision 2") && history.contains("Revision 1"));
        assert!(
            history.contains("<ins><span class=\"sr\">added: </span>"),
            "{history}"
        );
        assert!(history.contains("<del><span class=\"sr\">removed: </span>"));
        assert!(history.contains("safely?") && history.contains("Vault"));
        let edited = ok_page(&app, &bob, &format!("/threads/{id}")).await;
        assert!(edited.contains("class=\"edited\""));
        let r = bob
            .post(
                &app,
                &format!("/replies/{answer}/edit"),
                &[(
                    "body",
                    "Use cert-manager with a ClusterIssuer and short lifetimes.",
                )],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (s, _) = ada.page(&app, &format!("/replies/{answer}/edit")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The reply's own history, linked from the thread.
        let thread = ok_page(&app, &ada, &format!("/threads/{id}")).await;
        assert!(thread.contains(&format!("href=\"/replies/{answer}/history\"")));
        let history = ok_page(&app, &ada, &format!("/replies/{answer}/history")).await;
        assert!(history.contains("History of a reply in"), "{history}");
        assert!(history.contains("short lifetimes.</ins>"), "{history}");

        // Help wanted: unanswered, then overdue after a week; solved ones not at all.
        let flaky = ask(
            &app,
            &bob,
            "platform",
            &[
                ("type", "question"),
                ("title", "Why are our integration tests flaky?"),
                ("body", "They fail one run in ten."),
            ],
        )
        .await;
        let help = ok_page(&app, &ada, "/communities/platform/help-wanted").await;
        let unanswered = help.split("id=\"unanswered-h\"").nth(1).unwrap();
        assert!(unanswered.contains(&format!("/threads/{flaky}")));
        assert!(!help.contains(&format!("/threads/{id}\"")));
        app.clock.advance(Duration::days(8));
        let help = ok_page(&app, &ada, "/communities/platform/help-wanted").await;
        let overdue = help.split("id=\"unanswered-h\"").next().unwrap();
        assert!(overdue.contains(&format!("/threads/{flaky}")), "{help}");

        // The list filters; search finds with the matches marked.
        let solved_only = ok_page(
            &app,
            &bob,
            "/communities/platform/threads?type=question&solved=true",
        )
        .await;
        assert!(solved_only.contains("safely?") && !solved_only.contains("flaky"));
        let home = ok_page(&app, &bob, "/communities/platform").await;
        assert!(home.contains("Latest threads") && home.contains("flaky"));
        let found = ok_page(&app, &bob, "/search?q=certificates").await;
        assert!(found.contains("<mark>"), "{found}");
        assert!(found.contains(&format!("href=\"/threads/{id}\"")));
        let in_reply = ok_page(&app, &bob, "/search?q=ClusterIssuer&community=platform").await;
        assert!(in_reply.contains(&format!("/threads/{id}#reply-{answer}")));
        assert!(in_reply.contains("Bob Builder"));
        let none = ok_page(&app, &bob, "/search?q=certificates&type=story").await;
        assert!(none.contains("Nothing found"));
    }
}

#[tokio::test]
async fn an_anonymous_question_never_names_its_asker() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada Steward").await;
        let carol = browser(&app, "carol@example.org", "Carol Secretname").await;
        let dave = browser(&app, "dave@example.org", "Dave Helper").await;
        let root = browser(&app, "root@example.org", "Root Admin").await;
        app.db
            .store
            .set_org_role(
                "root@example.org",
                domain::person::OrgRole::Admin,
                app.clock.now(),
            )
            .await
            .unwrap();
        community(&app, &ada, "platform").await;
        join(&app, &carol, "platform").await;
        join(&app, &dave, "platform").await;
        let id = ask(
            &app,
            &carol,
            "platform",
            &[
                ("type", "question"),
                ("title", "Is it silly to ask what a pod is?"),
                (
                    "body",
                    "I keep nodding along about kubernetes pods. @dave what are they?",
                ),
                ("anonymous", "true"),
            ],
        )
        .await;
        let answer = reply(
            &app,
            &dave,
            id,
            "Not silly at all: a pod is a group of containers.",
        )
        .await;
        reply(&app, &carol, id, "Thanks, that helps with kubernetes!").await;
        let before = ok_page(&app, &carol, &format!("/threads/{id}")).await;
        assert_eq!(
            before.matches("Accept this answer").count(),
            1,
            "the asker's own follow-up is not an answer to accept"
        );
        let r = carol
            .post(
                &app,
                &format!("/threads/{id}/accept"),
                &[("reply_id", &answer.to_string())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // The asker sees their question listed, and may edit it.
        let own = ok_page(&app, &carol, "/notifications").await;
        assert!(own.contains("Your anonymous questions") && own.contains("what a pod is"));
        let thread = ok_page(&app, &carol, &format!("/threads/{id}")).await;
        assert!(thread.contains(&format!("href=\"/threads/{id}/edit\"")));

        for (who, path) in [
            (&dave, format!("/threads/{id}")),
            (&ada, format!("/threads/{id}")),
            (&root, format!("/threads/{id}")),
            (&dave, format!("/threads/{id}/history")),
            (&root, format!("/threads/{id}/history")),
            (&dave, "/search?q=kubernetes".to_owned()),
            (&ada, "/search?q=pod".to_owned()),
            (&dave, "/notifications".to_owned()),
            (&ada, "/communities/platform/threads".to_owned()),
            (&ada, "/communities/platform/help-wanted".to_owned()),
            (&root, format!("/people/{}", dave.id)),
        ] {
            let text = ok_page(&app, who, &path).await;
            assert!(
                !text.contains("Secretname"),
                "{path} names the asker: {text}"
            );
            assert!(
                !text.contains(&format!("/people/{}\"", carol.id)),
                "{path} links the asker"
            );
        }
        let carols = ok_page(&app, &dave, &format!("/people/{}", carol.id)).await;
        assert!(
            !carols.contains("what a pod is"),
            "her page does not list it"
        );
        let page = ok_page(&app, &dave, &format!("/threads/{id}")).await;
        assert!(page.contains("the asker"));
        assert!(
            page.contains("\"name\":\"the asker\""),
            "the QAPage author too"
        );
        let found = ok_page(&app, &dave, "/search?q=kubernetes").await;
        assert!(found.contains("<mark>"));
        let dave_notes = ok_page(&app, &dave, "/notifications").await;
        assert!(
            dave_notes.contains("The asker accepted your answer"),
            "{dave_notes}"
        );
        assert!(!dave_notes.contains("Your anonymous questions"));
        // Only an administrator hides posts, and can show them again.
        let r = dave
            .post(
                &app,
                &format!("/replies/{answer}/hide"),
                &[("hidden", "true")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = root
            .post(
                &app,
                &format!("/replies/{answer}/hide"),
                &[("hidden", "true")],
            )
            .await;
        assert_eq!(location(&r), format!("/threads/{id}#reply-{answer}"));
        let without = ok_page(&app, &dave, &format!("/threads/{id}")).await;
        assert!(
            without.contains("An administrator hid this post.")
                && !without.contains("group of containers")
        );
        root.post(
            &app,
            &format!("/replies/{answer}/hide"),
            &[("hidden", "false")],
        )
        .await;
        let back = ok_page(&app, &dave, &format!("/threads/{id}")).await;
        assert!(back.contains("group of containers"));
        // An administrator can hide it without learning who wrote it.
        let r = root
            .post(&app, &format!("/threads/{id}/hide"), &[("hidden", "true")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let hidden = ok_page(&app, &dave, &format!("/threads/{id}")).await;
        assert!(hidden.contains("An administrator hid this thread") && !hidden.contains("pods"));
        let history = ok_page(&app, &dave, &format!("/threads/{id}/history")).await;
        assert!(!history.contains("Revision 1"));

        // A steward switches anonymous questions off: the choice goes away.
        let r = ada
            .post(&app, "/communities/platform/space-settings", &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let manage = ok_page(&app, &ada, "/communities/platform/manage").await;
        assert!(manage.contains("Members may ask questions anonymously"));
        let form = ok_page(&app, &carol, "/communities/platform/threads/new").await;
        assert!(!form.contains("Ask anonymously"));
        let r = carol
            .post(
                &app,
                "/communities/platform/threads",
                &[
                    ("type", "question"),
                    ("title", "Another one"),
                    ("body", "Quietly"),
                    ("anonymous", "true"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("switched anonymous questions off")
        );
        let r = dave
            .post(
                &app,
                "/communities/platform/space-settings",
                &[("anonymous_questions", "true")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "only stewards");
    }
}

#[tokio::test]
async fn bodies_that_try_to_run_script_render_inert() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        community(&app, &ada, "platform").await;
        let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
            [click](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">x</a>\n\n\
            <svg onload=alert(5)><circle r=1 /></svg>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n\
            [data](data:text/html;base64,PHNjcmlwdD4=)\n\n<div onclick=\"alert(6)\">unclosed <b>bold\n\n\
            ![x](https://tracker.example/p.png \"t\")";
        let id = ask(
            &app,
            &ada,
            "platform",
            &[
                ("type", "question"),
                ("title", "</script><script>alert(7)</script>"),
                ("body", body),
            ],
        )
        .await;
        reply(
            &app,
            &ada,
            id,
            "<style>body{display:none}</style><b onmouseover=alert(8)>hi</b>",
        )
        .await;
        let page = ok_page(&app, &ada, &format!("/threads/{id}")).await;
        for bad in [
            "<script>alert",
            "onerror",
            "onload",
            "onclick",
            "onmouseover",
            "javascript:",
            "data:text",
            "<iframe",
            "<svg",
            "<style",
            "<img src=\"https://tracker",
        ] {
            assert!(!page.contains(bad), "{bad} reached the page: {page}");
        }
        // The only script element is the JSON-LD, and the title cannot close it.
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        assert!(page.contains("\\u003c/script\\u003e"));
        assert!(page.contains("&#60;/script&#62;&#60;script&#62;"));
        let found = ok_page(&app, &ada, "/search?q=alert").await;
        assert!(!found.contains("<script>alert") && !found.contains("onerror="));
    }
}

/// The `href` of the page's `rel="next"` link, unescaped.
fn next_link(html: &str) -> Option<String> {
    let end = html.find("\" rel=\"next\"")?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test]
async fn lists_and_search_go_on_a_page_at_a_time() {
    for app in apps().await {
        let ada = browser(&app, "ada@example.org", "Ada").await;
        community(&app, &ada, "platform").await;
        let community_id = app
            .db
            .store
            .community_id("platform")
            .await
            .unwrap()
            .unwrap();
        for i in 0..30 {
            app.db
                .store
                .open_thread(
                    &store::threads::NewThread {
                        community_id,
                        author_id: ada.id,
                        anonymous: false,
                        thread_type: domain::thread::ThreadType::Discussion,
                        title: format!("Runbook number {i}"),
                        body: "A runbook for the platform.".into(),
                        tags: vec!["runbooks".into()],
                    },
                    app.clock.now() + Duration::minutes(i),
                )
                .await
                .unwrap();
        }
        let first = ok_page(&app, &ada, "/communities/platform/threads?tag=runbooks").await;
        assert!(first.contains("Runbook number 29") && !first.contains("Runbook number 4<"));
        let next = next_link(&first).expect("a next page");
        assert!(next.contains("tag=runbooks"), "{next}");
        let second = ok_page(&app, &ada, &next).await;
        assert!(second.contains("Runbook number 0<") && !second.contains("Runbook number 29"));
        assert!(next_link(&second).is_none());
        let (s, _) = ada
            .page(&app, "/communities/platform/threads?cursor=garbage")
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        let results = ok_page(&app, &ada, "/search?q=runbook&community=platform").await;
        assert_eq!(results.matches("class=\"thread-title\"").count(), 20);
        let more = ok_page(&app, &ada, &next_link(&results).expect("more results")).await;
        assert_eq!(more.matches("class=\"thread-title\"").count(), 10);
        assert!(next_link(&more).is_none());
    }
}
