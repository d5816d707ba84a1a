//! The shared space in the browser: a community's threads (filtered, a page
//! at a time), starting a thread (with the similar questions already asked,
//! checked by a form submit or, with the small script, while typing), a
//! thread with its replies and the schema.org QAPage data of questions,
//! and the community's help-wanted questions. The forms a thread page
//! carries are handled in `thread_posts`; editing and the history of the
//! opening post in `thread_edits`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::duplicates::PostKey;
use domain::thread::ThreadType;
use serde::Deserialize;
use store::threads::{SearchHit, Thread, ThreadFilter};

use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::{CurrentUser, PageMember, Visitor};
use crate::error::{PageError, WebError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::shared_space::{self, ASKER, PostView, ThreadDraft, ThreadView};
use crate::thread_cache::Rendered;

/// Threads on one page of a community's list.
const PAGE_SIZE: i64 = 25;

/// A thread in a list: what the list, help wanted and the community home show.
pub(super) struct ThreadLine {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) type_label: &'static str,
    pub(super) byline: String,
    pub(super) author_id: Option<i64>,
    pub(super) tags: Vec<String>,
    pub(super) replies: i64,
    pub(super) solved: bool,
    pub(super) created_at: chrono::DateTime<chrono::Utc>,
    pub(super) last_activity_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Thread> for ThreadLine {
    fn from(t: &Thread) -> Self {
        let hidden = t.hidden_at.is_some();
        ThreadLine {
            id: t.id,
            title: if hidden {
                "(hidden)".into()
            } else {
                t.title.clone()
            },
            type_label: t.thread_type.label(),
            byline: t
                .author
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| ASKER.to_owned()),
            author_id: t.author.as_ref().map(|a| a.id),
            tags: t.tags.clone(),
            replies: t.reply_count,
            solved: t.solved(),
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

impl ThreadLine {
    /// Whole days from its opening to `now`.
    pub(super) fn age_days(&self, now: &chrono::DateTime<chrono::Utc>) -> i64 {
        (*now - self.created_at).num_days()
    }
}

/// The five threads with the latest activity in a community, for its home.
pub(super) async fn latest(state: &AppState, community: i64) -> Result<Vec<ThreadLine>, WebError> {
    Ok(state
        .store
        .threads(community, &ThreadFilter::default(), None, 5)
        .await?
        .iter()
        .map(ThreadLine::from)
        .collect())
}

/// Every thread type as (wire name, label).
fn types() -> Vec<(&'static str, &'static str)> {
    ThreadType::ALL
        .iter()
        .map(|t| (t.as_str(), t.label()))
        .collect()
}

#[derive(Template)]
#[template(path = "threads.html")]
struct ListPage {
    chrome: Chrome,
    slug: String,
    name: String,
    may_open: bool,
    threads: Vec<ThreadLine>,
    types: Vec<(&'static str, &'static str)>,
    thread_type: String,
    tag: String,
    solved: String,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(rename = "type", default)]
    thread_type: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    solved: String,
    cursor: Option<String>,
}

fn solved_filter(value: &str) -> Result<Option<bool>, WebError> {
    match value {
        "" => Ok(None),
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        _ => Err(domain::Invalid::new("solved", "choose solved or unsolved").into()),
    }
}

async fn list(
    State(state): State<AppState>,
    seen: Seen,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let filter = ThreadFilter {
        thread_type: match q.thread_type.as_str() {
            "" => None,
            t => Some(t.parse::<ThreadType>().map_err(WebError::from)?),
        },
        tag: Some(q.tag.trim().trim_start_matches('#').to_lowercase()).filter(|t| !t.is_empty()),
        solved: solved_filter(&q.solved)?,
    };
    let before = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(crate::cursor::decode_numbers)
        .transpose()?;
    let mut threads = state
        .store
        .threads(c.id, &filter, before, PAGE_SIZE + 1)
        .await?;
    let more = threads.len() as i64 > PAGE_SIZE;
    threads.truncate(PAGE_SIZE as usize);
    let next = match threads.last() {
        Some(t) if more => Some(format!(
            "/communities/{}/threads?type={}&tag={}&solved={}&cursor={}",
            c.slug,
            urlencoding::encode(&q.thread_type),
            urlencoding::encode(&q.tag),
            urlencoding::encode(&q.solved),
            crate::cursor::encode_numbers((t.last_activity_at.timestamp_millis(), t.id))
        )),
        _ => None,
    };
    render(&ListPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Threads of {}", c.charter.name),
            "communities",
        )
        .counted(&state)
        .await,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        may_open: seen.role.is_some() && c.is_writable(),
        threads: threads.iter().map(ThreadLine::from).collect(),
        types: types(),
        thread_type: q.thread_type,
        tag: q.tag,
        solved: q.solved,
        next,
    })
}

/// The new-thread form's fields, as text. With `check` set (the "check for
/// similar questions" button, for browsers without the script), the form
/// comes back with the similar questions instead of being posted.
#[derive(Debug, Default, Deserialize)]
pub(super) struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(rename = "type", default)]
    thread_type: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    check: String,
}

impl DraftForm {
    fn draft(&self) -> ThreadDraft {
        ThreadDraft {
            thread_type: self.thread_type.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            tags: self.tags.clone(),
            anonymous: !self.anonymous.is_empty(),
        }
    }
}

#[derive(Template)]
#[template(path = "thread_new.html")]
struct NewPage {
    chrome: Chrome,
    slug: String,
    name: String,
    types: Vec<(&'static str, &'static str)>,
    anonymous_allowed: bool,
    f: DraftForm,
    checked: bool,
    similar: Vec<SearchHit>,
    /// Members who could answer (see `expertise_draft.html`).
    suggested_answerers: Vec<crate::expertise_service::SuggestionView>,
    error: Option<String>,
    field: String,
}

fn new_page(seen: &Seen, f: DraftForm, chrome: Chrome) -> NewPage {
    let c = &seen.community;
    let types = types()
        .into_iter()
        .filter(|(t, _)| *t != ThreadType::Announcement.as_str() || seen.can_steward())
        .collect();
    NewPage {
        chrome,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        types,
        anonymous_allowed: c.anonymous_questions,
        f,
        checked: false,
        similar: Vec::new(),
        suggested_answerers: Vec::new(),
        error: None,
        field: String::new(),
    }
}

/// Start a thread (fields may be given in the query, e.g. `?type=question`).
async fn new_form(
    State(state): State<AppState>,
    seen: Seen,
    PageQuery(mut f): PageQuery<DraftForm>,
) -> Result<Response, PageError> {
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "join this community to start a conversation in it".into(),
        )
        .into());
    }
    crate::api::communities_access::require_writable(&seen.community)?;
    if f.thread_type.is_empty() {
        f.thread_type = ThreadType::Question.as_str().into();
    }
    f.csrf.clear();
    let chrome = Chrome::new(&seen.visitor, "Start a thread", "communities")
        .counted(&state)
        .await;
    Ok(render(&new_page(&seen, f, chrome))?.into_response())
}

/// The form again with the questions like the one being written.
async fn checked_form(state: &AppState, seen: &Seen, f: DraftForm) -> Result<Response, PageError> {
    let similar = shared_space::similar_questions(state, seen, &f.title).await?;
    let chrome = Chrome::new(&seen.visitor, "Start a thread", "communities")
        .counted(state)
        .await;
    let mut page = new_page(seen, f, chrome);
    page.checked = true;
    page.similar = similar;
    page.suggested_answerers = crate::expertise_service::for_draft(
        state,
        seen,
        &page.f.title,
        &page.f.body,
        &page.f.tags,
        !page.f.anonymous.is_empty(),
    )
    .await?;
    Ok(render(&page)?.into_response())
}

async fn open(
    State(state): State<AppState>,
    seen: Seen,
    PageForm(f): PageForm<DraftForm>,
) -> Result<Response, PageError> {
    seen.visitor.verify_csrf(&f.csrf)?;
    if !f.check.is_empty() {
        return checked_form(&state, &seen, f).await;
    }
    match shared_space::open(&state, &seen, &f.draft()).await {
        Ok(id) => Ok(Redirect::to(&format!("/threads/{id}")).into_response()),
        Err(e) if shown(&e) => {
            let chrome = Chrome::new(&seen.visitor, "Start a thread", "communities")
                .counted(&state)
                .await;
            let mut page = new_page(&seen, f, chrome);
            page.error = Some(e.public_message());
            page.field = e.field().unwrap_or_default().to_owned();
            Ok((e.status(), render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Refusals shown on the form that caused them rather than on an error page.
pub(super) fn shown(e: &WebError) -> bool {
    matches!(
        e,
        WebError::Invalid(_) | WebError::Conflict { .. } | WebError::Forbidden(_)
    )
}

/// A post's article up to its actions, as every viewer sees it.
#[derive(Template)]
#[template(path = "post_head.html")]
struct PostHead<'a> {
    post: &'a PostView,
    anchor: &'a str,
}

/// A post as the thread page shows it, with what the viewer may do to it.
pub(super) struct PostCard {
    pub(super) post: PostView,
    /// The post's article up to its actions, rendered once per version.
    pub(super) head: std::sync::Arc<str>,
    /// `post` or `reply-{id}`.
    pub(super) anchor: String,
    /// The reply id as a form value; empty for the opening post.
    pub(super) reply_id: String,
    pub(super) edit_url: Option<String>,
    pub(super) hide_url: String,
    pub(super) may_react: bool,
    pub(super) may_kudos: bool,
    pub(super) may_accept: bool,
    pub(super) may_quote: bool,
}

/// The reply form's state: empty, quoting a reply, or sent back with an error.
#[derive(Debug, Default)]
pub(super) struct ReplyDraft {
    pub(super) body: String,
    pub(super) quote_of: Option<i64>,
}

#[derive(Template)]
#[template(path = "thread.html")]
pub(super) struct ThreadPage {
    chrome: Chrome,
    id: i64,
    title: String,
    type_label: &'static str,
    tags: Vec<String>,
    solved: bool,
    hidden: bool,
    anonymous: bool,
    slug: String,
    community: String,
    posts: Vec<PostCard>,
    can_post: bool,
    may_accept: bool,
    is_admin: bool,
    join_hint: Option<&'static str>,
    json_ld: Option<std::sync::Arc<str>>,
    reply: ReplyDraft,
    error: Option<String>,
    notice: Option<&'static str>,
    /// Artifacts promoted from this thread.
    promoted: Vec<store::practice::LinkedArtifact>,
    /// Artifacts linking to this thread.
    linked_from: Vec<store::practice::LinkedArtifact>,
    /// The accepted answer, which can be promoted.
    accepted_reply: Option<i64>,
    /// Who could answer an unsolved question (see `expertise_suggested.html`).
    suggested: Option<crate::expertise_service::Suggested>,
    /// The duplicate-effort panel (`pages::duplicates`), as HTML.
    duplicates: String,
}

fn card(view: &ThreadView, post: &PostView, head: std::sync::Arc<str>) -> PostCard {
    let seen = &view.seen;
    let id = seen.thread.id;
    let writable = seen.community.is_writable();
    let live = !post.hidden && seen.thread.hidden_at.is_none();
    let by_asker = post.anonymous
        || (post.author.is_some()
            && post.author.as_ref().map(|a| a.0) == seen.thread.author.as_ref().map(|a| a.id));
    let (anchor, reply_id, edit_url, hide_url) = match post.reply_id {
        Some(r) => (
            format!("reply-{r}"),
            r.to_string(),
            format!("/replies/{r}/edit"),
            format!("/replies/{r}/hide"),
        ),
        None => (
            "post".to_owned(),
            String::new(),
            format!("/threads/{id}/edit"),
            format!("/threads/{id}/hide"),
        ),
    };
    PostCard {
        head,
        anchor,
        reply_id,
        edit_url: (post.mine && seen.can_post() && !post.hidden).then_some(edit_url),
        hide_url,
        may_react: seen.can_post() && live,
        may_kudos: writable && live && post.author.is_some() && !post.mine,
        // An answer comes from someone other than the asker.
        may_accept: seen.can_accept()
            && post.reply_id.is_some()
            && !post.hidden
            && !post.accepted
            && !by_asker,
        may_quote: seen.can_post() && post.reply_id.is_some() && !post.hidden,
        post: post.clone(),
    }
}

/// The schema.org QAPage data of a question, as a script element's text:
/// JSON with `<`, `>` and `&` escaped so nothing in it can close the element.
fn qa_page(view: &ThreadView) -> String {
    let t = &view.seen.thread;
    let person = |p: &PostView| serde_json::json!({"@type": "Person", "name": p.byline()});
    let answer = |p: &PostView| {
        serde_json::json!({
            "@type": "Answer",
            "text": domain::thread::plain_text(&p.body),
            "dateCreated": p.created_at.to_rfc3339(),
            "upvoteCount": p.reactions.helpful,
            "url": format!("/threads/{}#reply-{}", t.id, p.reply_id.unwrap_or_default()),
            "author": person(p),
        })
    };
    let answers: Vec<&PostView> = view.replies.iter().filter(|p| !p.hidden).collect();
    let mut question = serde_json::json!({
        "@type": "Question",
        "name": t.title,
        "text": domain::thread::plain_text(&view.opening.body),
        "answerCount": answers.len(),
        "dateCreated": t.created_at.to_rfc3339(),
        "author": person(&view.opening),
    });
    if let Some(accepted) = answers.iter().find(|p| p.accepted) {
        question["acceptedAnswer"] = answer(accepted);
    }
    let suggested: Vec<_> = answers
        .iter()
        .filter(|p| !p.accepted)
        .map(|p| answer(p))
        .collect();
    if !suggested.is_empty() {
        question["suggestedAnswer"] = serde_json::Value::Array(suggested);
    }
    let page = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": question,
    });
    page.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The thread page for `user`, with the reply form in state `reply`.
pub(super) async fn thread_page(
    state: &AppState,
    user: &std::sync::Arc<CurrentUser>,
    visitor: &Visitor,
    id: i64,
    reply: ReplyDraft,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let view = shared_space::view(state, user, id).await?;
    let seen = &view.seen;
    let t = &seen.thread;
    let is_admin = user.is_admin();
    let hidden = t.hidden_at.is_some();
    let rendered = view.shared.rendered.get_or_init(|| Rendered {
        heads: std::iter::once(&view.opening)
            .chain(view.replies.iter())
            .map(|post| {
                let anchor = match post.reply_id {
                    Some(r) => format!("reply-{r}"),
                    None => "post".to_owned(),
                };
                let head = PostHead {
                    post,
                    anchor: &anchor,
                };
                // Rendering plain values cannot fail; an empty head would show.
                head.render().unwrap_or_default().into()
            })
            .collect(),
        json_ld: (t.thread_type == ThreadType::Question && !hidden).then(|| qa_page(&view).into()),
    });
    let posts = std::iter::once(&view.opening)
        .chain(view.replies.iter())
        .zip(rendered.heads.iter())
        .map(|(p, head)| card(&view, p, head.clone()))
        .collect();
    let join_hint = if seen.can_post() || hidden {
        None
    } else if !seen.community.is_writable() {
        Some("This community is archived: its conversations are kept and can no longer change.")
    } else {
        Some("Join this community to reply.")
    };
    let title = if hidden {
        "(hidden)".to_owned()
    } else {
        t.title.clone()
    };
    let (promoted, linked_from) = crate::artifact_service::thread_backlinks(state, id).await?;
    let suggested = if t.thread_type == ThreadType::Question && !t.solved() && !hidden {
        Some(crate::expertise_service::for_seen(state, seen).await?)
    } else {
        None
    };
    let duplicates = if hidden {
        String::new()
    } else {
        super::duplicates::panel(state, user, PostKey::Thread(id), &visitor.csrf).await?
    };
    render(&ThreadPage {
        chrome: Chrome::new(visitor, title.clone(), "communities")
            .counted(state)
            .await,
        id,
        title,
        type_label: t.thread_type.label(),
        tags: t.tags.clone(),
        solved: t.solved(),
        hidden,
        anonymous: t.anonymous,
        slug: seen.community.slug.clone(),
        community: seen.community.charter.name.clone(),
        can_post: seen.can_post(),
        may_accept: seen.can_accept(),
        is_admin,
        join_hint,
        json_ld: rendered.json_ld.clone(),
        posts,
        reply,
        error,
        notice,
        promoted,
        linked_from,
        accepted_reply: t.accepted_reply_id,
        suggested,
        duplicates,
    })
    .map_err(|e| e.0)
}

#[derive(Debug, Default, Deserialize)]
struct ThreadQuery {
    quote: Option<String>,
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ThreadQuery>,
) -> Result<Html<String>, PageError> {
    let mut reply = ReplyDraft::default();
    if let Some(quoted) = q.quote.as_deref().and_then(|r| r.parse::<i64>().ok()) {
        let view = shared_space::view(&state, &member.user, id).await?;
        if let Some(p) = view
            .replies
            .iter()
            .find(|p| p.reply_id == Some(quoted) && !p.hidden)
        {
            reply.quote_of = Some(quoted);
            reply.body = quote_text(p);
        }
    }
    let notice = match q.notice.as_deref() {
        Some("kudos") => Some("Your kudos was sent."),
        _ => None,
    };
    Ok(thread_page(
        &state,
        &member.user,
        &member.visitor,
        id,
        reply,
        None,
        notice,
    )
    .await?)
}

/// A reply's Markdown quoted, to start a reply with.
fn quote_text(p: &PostView) -> String {
    let mut out = format!("{} wrote:\n\n", p.byline());
    for line in p.body.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

#[derive(Template)]
#[template(path = "help_wanted.html")]
struct HelpWantedPage {
    chrome: Chrome,
    slug: String,
    name: String,
    now: chrono::DateTime<chrono::Utc>,
    groups: Vec<(&'static str, &'static str, Vec<ThreadLine>)>,
}

async fn help_wanted(State(state): State<AppState>, seen: Seen) -> Result<Html<String>, PageError> {
    let c = &seen.community;
    let now = state.clock.now();
    let hw = state.store.help_wanted(c.id, now, 100).await?;
    let lines = |v: Vec<Thread>| v.iter().map(ThreadLine::from).collect::<Vec<_>>();
    render(&HelpWantedPage {
        chrome: Chrome::new(
            &seen.visitor,
            format!("Help wanted in {}", c.charter.name),
            "communities",
        )
        .counted(&state)
        .await,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        now,
        groups: vec![
            (
                "overdue",
                "No response for more than seven days",
                lines(hw.overdue),
            ),
            ("unanswered", "Not answered yet", lines(hw.unanswered)),
            ("unsolved", "Answered, not solved", lines(hw.unsolved)),
        ],
    })
}

/// The script that lists similar questions while one is being written.
async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/threads.js"),
    )
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/static/threads.js", get(script))
        .route("/communities/{slug}/threads", get(list).post(open))
        .route("/communities/{slug}/threads/new", get(new_form))
        .route("/communities/{slug}/help-wanted", get(help_wanted))
        .route("/threads/{id}", get(show))
}
