//! The shared space as both the pages and the API use it: who may open,
//! read, reply to, edit, accept, react to, thank and hide what, and the
//! views of threads and search results each viewer may see. Threads are
//! addressed by id; a thread in a community the viewer may not see is the
//! same 404 as one that does not exist. The asker of an anonymous question
//! is recognised for their own requests and never shown to anyone else.

use std::collections::HashMap;
use std::sync::Arc;

use domain::community::{MemberRole, Visibility};
use domain::thread::{self, Reaction, ThreadType};
use store::communities::Community;
use store::threads::{NewReply, NewThread, ReactionCounts, Reply, SearchFilter, SearchHit, Thread};

use crate::AppState;
use crate::api::communities_access::{Seen, require_writable};
use crate::auth::CurrentUser;
use crate::error::WebError;

/// How an anonymous asker is named, to everyone.
pub const ASKER: &str = "the asker";

/// A thread as it is being written.
#[derive(Debug, Clone, Default)]
pub struct ThreadDraft {
    /// The type's wire name.
    pub thread_type: String,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags, separated by commas or spaces.
    pub tags: String,
    /// Ask without showing one's name (questions only).
    pub anonymous: bool,
}

/// A thread the viewer may see, with where it lives and who they are to it.
#[derive(Debug, Clone)]
pub struct SeenThread {
    /// The thread.
    pub thread: Thread,
    /// Its community.
    pub community: Community,
    /// The viewer's role in the community.
    pub role: Option<MemberRole>,
    /// The viewer.
    pub user: Arc<CurrentUser>,
    /// Whether the viewer asked it anonymously.
    pub is_asker: bool,
}

impl SeenThread {
    fn me(&self) -> i64 {
        self.user.person.id
    }

    /// Whether the viewer wrote the opening post (named or anonymously).
    pub fn wrote_it(&self) -> bool {
        self.is_asker || self.thread.author.as_ref().map(|a| a.id) == Some(self.me())
    }

    /// Whether the viewer may steward its community.
    pub fn can_steward(&self) -> bool {
        self.role == Some(MemberRole::Steward) || self.user.is_admin()
    }

    /// Whether the viewer may post here: a member, the community writable,
    /// the thread not hidden.
    pub fn can_post(&self) -> bool {
        self.role.is_some() && self.community.is_writable() && self.thread.hidden_at.is_none()
    }

    /// Whether the viewer may accept an answer: the asker or a steward, on a question.
    pub fn can_accept(&self) -> bool {
        self.thread.thread_type == ThreadType::Question
            && (self.wrote_it() || self.can_steward())
            && self.community.is_writable()
            && self.thread.hidden_at.is_none()
    }

    fn require_post(&self) -> Result<(), WebError> {
        require_writable(&self.community)?;
        if self.thread.hidden_at.is_some() {
            return Err(WebError::Conflict {
                field: "thread".into(),
                message: "this thread was hidden by an administrator".into(),
            });
        }
        if self.role.is_none() {
            return Err(WebError::Forbidden(
                "join this community to take part in its conversations".into(),
            ));
        }
        Ok(())
    }
}

/// Thread `id` if `user` may see it; otherwise the 404 a missing thread gets.
pub async fn seen_thread(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<SeenThread, WebError> {
    let mut seen = seen_untagged(state, user, id).await?;
    seen.thread.tags = state.store.thread_tags(id).await?;
    Ok(seen)
}

/// [`seen_thread`] without the thread's tags.
async fn seen_untagged(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<SeenThread, WebError> {
    let me = user.person.id;
    let (thread, community, role) = state.store.thread_in_context(id, me).await?;
    if community.charter.visibility != Visibility::Open && role.is_none() {
        return Err(WebError::NotFound);
    }
    let is_asker = thread.anonymous && state.store.is_anonymous_asker(id, me).await?;
    Ok(SeenThread {
        thread,
        community,
        role,
        user: user.clone(),
        is_asker,
    })
}

/// Checks a draft and opens the thread in `seen`'s community.
pub async fn open(state: &AppState, seen: &Seen, draft: &ThreadDraft) -> Result<i64, WebError> {
    require_writable(&seen.community)?;
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "join this community to start a conversation in it".into(),
        ));
    }
    let thread_type: ThreadType = draft.thread_type.parse()?;
    if thread_type.stewards_only() && !seen.can_steward() {
        return Err(domain::Invalid::new("type", "only stewards post announcements").into());
    }
    if draft.anonymous && thread_type != ThreadType::Question {
        return Err(
            domain::Invalid::new("anonymous", "only questions can be asked anonymously").into(),
        );
    }
    if draft.anonymous && !seen.community.anonymous_questions {
        return Err(domain::Invalid::new(
            "anonymous",
            "this community's stewards have switched anonymous questions off",
        )
        .into());
    }
    let new = NewThread {
        community_id: seen.community.id,
        author_id: seen.me(),
        anonymous: draft.anonymous,
        thread_type,
        title: thread::title(&draft.title)?,
        body: thread::body(&draft.body)?,
        tags: thread::tags(&draft.tags)?,
    };
    let id = state.store.open_thread(&new, state.clock.now()).await?;
    if thread_type == ThreadType::Question {
        crate::expertise_service::question_posted(
            state,
            id,
            new.community_id,
            new.author_id,
            new.anonymous,
        )
        .await;
    }
    Ok(id)
}

/// Edits the opening post (its writer only).
pub async fn edit(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    title: &str,
    body: &str,
    tags: &str,
) -> Result<(), WebError> {
    let seen = seen_thread(state, user, id).await?;
    if !seen.wrote_it() {
        return Err(WebError::Forbidden(
            "only its writer can edit a post".into(),
        ));
    }
    seen.require_post()?;
    let (title, body, tags) = (
        thread::title(title)?,
        thread::body(body)?,
        thread::tags(tags)?,
    );
    Ok(state
        .store
        .edit_thread(id, seen.me(), &title, &body, &tags, state.clock.now())
        .await?)
}

/// Replies to thread `id`, optionally quoting one of its replies.
pub async fn reply(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    body: &str,
    quote_of: Option<i64>,
) -> Result<i64, WebError> {
    let seen = seen_thread(state, user, id).await?;
    seen.require_post()?;
    let new = NewReply {
        thread_id: id,
        author_id: seen.me(),
        body: thread::body(body)?,
        quote_of,
    };
    Ok(state.store.reply(&new, state.clock.now()).await?)
}

/// A reply `user` may see, with its thread.
pub async fn seen_reply(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<(Reply, SeenThread), WebError> {
    let reply = state.store.reply_by_id(id).await?;
    let seen = seen_thread(state, user, reply.thread_id).await?;
    Ok((reply, seen))
}

/// Edits reply `id` (its writer only).
pub async fn edit_reply(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    body: &str,
) -> Result<i64, WebError> {
    let (reply, seen) = seen_reply(state, user, id).await?;
    let mine = match &reply.author {
        Some(a) => a.id == seen.me(),
        None => reply.anonymous && seen.is_asker,
    };
    if !mine {
        return Err(WebError::Forbidden(
            "only its writer can edit a post".into(),
        ));
    }
    seen.require_post()?;
    let body = thread::body(body)?;
    state
        .store
        .edit_reply(id, seen.me(), &body, state.clock.now())
        .await?;
    Ok(reply.thread_id)
}

/// Accepts `reply` as the answer to question `id` (the asker or a steward).
pub async fn accept(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    reply: i64,
) -> Result<(), WebError> {
    let seen = seen_thread(state, user, id).await?;
    if seen.thread.thread_type != ThreadType::Question {
        return Err(WebError::Conflict {
            field: "thread".into(),
            message: "only a question has an accepted answer".into(),
        });
    }
    if !(seen.wrote_it() || seen.can_steward()) {
        return Err(WebError::Forbidden(
            "only the asker or a steward can accept an answer".into(),
        ));
    }
    require_writable(&seen.community)?;
    Ok(state
        .store
        .accept_answer(id, reply, state.clock.now())
        .await?)
}

/// Adds or removes the viewer's reaction to a post of thread `id`.
pub async fn react(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    reply: Option<i64>,
    reaction: &str,
    on: bool,
) -> Result<(), WebError> {
    let seen = seen_thread(state, user, id).await?;
    let reaction: Reaction = reaction.parse()?;
    seen.require_post()?;
    state
        .store
        .react(id, reply, seen.me(), reaction, on, state.clock.now())
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => {
                domain::Invalid::new("reply_id", "there is no such reply in this thread").into()
            }
            other => other.into(),
        })
}

/// Gives kudos to the writer of a post of thread `id`.
pub async fn kudos(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    reply: Option<i64>,
    note: &str,
) -> Result<i64, WebError> {
    let seen = seen_thread(state, user, id).await?;
    let note = thread::kudos_note(note)?;
    require_writable(&seen.community)?;
    state
        .store
        .give_kudos(id, reply, seen.me(), &note, state.clock.now())
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => {
                domain::Invalid::new("reply_id", "there is no such reply in this thread").into()
            }
            other => other.into(),
        })
}

/// Hides or shows a post (organisation admins only; the writer is never consulted).
pub async fn hide(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    reply: Option<i64>,
    hidden: bool,
) -> Result<i64, WebError> {
    let thread_id = match reply {
        Some(r) => seen_reply(state, user, r).await?.1.thread.id,
        None => seen_thread(state, user, id).await?.thread.id,
    };
    if !user.is_admin() {
        return Err(WebError::Forbidden(
            "only an organisation administrator can hide posts".into(),
        ));
    }
    state
        .store
        .hide_post((thread_id, reply), hidden, state.clock.now())
        .await?;
    Ok(thread_id)
}

/// A post as a viewer may see it: the body emptied when hidden, the writer
/// named unless anonymous.
#[derive(Debug, Clone)]
pub struct PostView {
    /// Reply id; `None` for the opening post.
    pub reply_id: Option<i64>,
    /// The writer's id and name; `None` when anonymous.
    pub author: Option<(i64, Arc<str>)>,
    /// Written by the anonymous asker.
    pub anonymous: bool,
    /// Markdown, empty when hidden.
    pub body: Arc<str>,
    /// Sanitised HTML, empty when hidden.
    pub html: Arc<str>,
    /// The reply it quotes.
    pub quote_of: Option<i64>,
    /// When written.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When last edited.
    pub edited_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Hidden by an administrator.
    pub hidden: bool,
    /// The accepted answer.
    pub accepted: bool,
    /// Reactions.
    pub reactions: ReactionCounts,
    /// Whether the viewer wrote it.
    pub mine: bool,
}

impl PostView {
    /// How the writer is named.
    pub fn byline(&self) -> String {
        match &self.author {
            Some((_, name)) => name.to_string(),
            None => ASKER.to_owned(),
        }
    }
}

/// A thread with its replies as the viewer may see them.
#[derive(Debug, Clone)]
pub struct ThreadView {
    /// The version of the thread everyone sees, with room for what a
    /// page derives from it once.
    pub shared: Arc<crate::thread_cache::SharedThread>,
    /// The thread, where it lives and who the viewer is to it.
    pub seen: SeenThread,
    /// The opening post.
    pub opening: PostView,
    /// The replies, in order.
    pub replies: Vec<PostView>,
}

/// Thread `id` with its replies, for `user`.
pub async fn view(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<ThreadView, WebError> {
    let mut seen = seen_untagged(state, user, id).await?;
    let shared = state.threads.shared(&state.store, &seen.thread).await?;
    seen.thread.tags = shared.tags.clone();
    let me = seen.me();
    let mut marks: HashMap<i64, ReactionCounts> = HashMap::new();
    for r in shared.reactions.iter().filter(|r| r.person == me) {
        marks.entry(r.post).or_default().add(r.reaction, true);
    }
    let marked = |post: i64, mut counts: ReactionCounts| {
        if let Some(mark) = marks.get(&post) {
            counts.mine_helpful = mark.mine_helpful;
            counts.mine_thanks = mark.mine_thanks;
        }
        counts
    };
    let t = &seen.thread;
    let hidden = t.hidden_at.is_some();
    let opening = PostView {
        reply_id: None,
        author: t
            .author
            .as_ref()
            .map(|a| (a.id, Arc::from(a.name.as_str()))),
        anonymous: t.anonymous,
        body: if hidden {
            Arc::from("")
        } else {
            Arc::from(t.body.as_str())
        },
        html: shared.opening_html.clone(),
        quote_of: None,
        created_at: t.created_at,
        edited_at: t.edited_at,
        hidden,
        accepted: false,
        reactions: marked(0, shared.opening_reactions),
        mine: seen.wrote_it(),
    };
    let replies = shared
        .replies
        .iter()
        .map(|r| {
            let mut post = r.clone();
            post.mine = match &r.author {
                Some(a) => a.0 == me,
                None => r.anonymous && seen.is_asker,
            };
            if let Some(id) = r.reply_id {
                post.reactions = marked(id, r.reactions);
            }
            post
        })
        .collect();
    Ok(ThreadView {
        seen,
        opening,
        replies,
        shared,
    })
}

/// What a search asks, as the pages and the API take it.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words.
    pub q: String,
    /// A community's slug.
    pub community: Option<String>,
    /// A thread type.
    pub thread_type: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// Solved or unsolved questions.
    pub solved: Option<bool>,
}

/// Searches the posts `user` may see; `offset` and `limit` page through the ranking.
pub async fn search(
    state: &AppState,
    user: &Arc<CurrentUser>,
    query: &SearchQuery,
    offset: i64,
    limit: i64,
) -> Result<Vec<SearchHit>, WebError> {
    let community = match query.community.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(slug) => Some(
            crate::api::communities_access::visible_by_slug(
                state,
                slug,
                user.person.id,
                "community",
            )
            .await?
            .id,
        ),
        None => None,
    };
    let thread_type = match query.thread_type.as_deref().filter(|s| !s.is_empty()) {
        Some(t) => Some(t.parse::<ThreadType>()?),
        None => None,
    };
    let tag = match query.tag.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(t) => thread::tags(t)?.into_iter().next(),
        None => None,
    };
    if query.q.chars().count() > 500 {
        return Err(domain::Invalid::new("q", "is longer than 500 characters").into());
    }
    let filter = SearchFilter {
        query: query.q.clone(),
        any_word: false,
        community,
        thread_type,
        tag,
        solved: query.solved,
        threads_only: false,
    };
    Ok(state
        .store
        .search(user.person.id, &filter, offset, limit)
        .await?)
}

/// Existing questions in `seen`'s community like one titled `title`, while
/// it is being written.
pub async fn similar_questions(
    state: &AppState,
    seen: &Seen,
    title: &str,
) -> Result<Vec<SearchHit>, WebError> {
    let filter = SearchFilter {
        query: title.chars().take(500).collect(),
        any_word: true,
        community: Some(seen.community.id),
        thread_type: Some(ThreadType::Question),
        threads_only: true,
        ..SearchFilter::default()
    };
    Ok(state.store.search(seen.me(), &filter, 0, 5).await?)
}
