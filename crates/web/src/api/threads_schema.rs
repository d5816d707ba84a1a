//! Request and response bodies of the shared-space API: threads, replies,
//! revisions, reactions, kudos, notifications and search results. The
//! writer of an anonymous post is never in any of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::threads::{Kudos, Notification, PostRevision, SearchHit, Thread};
use utoipa::ToSchema;

use crate::shared_space::{PostView, ThreadView};

/// A person as a post names them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A thread in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadSummaryOut {
    /// Id.
    pub id: i64,
    /// `discussion`, `question`, `announcement`, `story` or `show_and_tell`.
    #[serde(rename = "type")]
    pub thread_type: String,
    /// Title.
    pub title: String,
    /// The writer; absent when asked anonymously.
    pub author: Option<PersonRef>,
    /// Asked anonymously.
    pub anonymous: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// Replies.
    pub replies: i64,
    /// A question with an accepted answer.
    pub solved: bool,
    /// Hidden by an administrator.
    pub hidden: bool,
    /// When opened.
    pub created_at: DateTime<Utc>,
    /// The latest post.
    pub last_activity_at: DateTime<Utc>,
}

impl From<&Thread> for ThreadSummaryOut {
    fn from(t: &Thread) -> Self {
        let hidden = t.hidden_at.is_some();
        ThreadSummaryOut {
            id: t.id,
            thread_type: t.thread_type.as_str().into(),
            title: if hidden {
                "(hidden)".into()
            } else {
                t.title.clone()
            },
            author: t.author.as_ref().map(|a| PersonRef {
                id: a.id,
                name: a.name.clone(),
            }),
            anonymous: t.anonymous,
            tags: t.tags.clone(),
            replies: t.reply_count,
            solved: t.solved(),
            hidden,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

/// A page of threads.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPage {
    /// The threads, latest activity first.
    pub items: Vec<ThreadSummaryOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// How a post was received.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactionsOut {
    /// "Helpful" reactions.
    pub helpful: i64,
    /// "Thanks" reactions.
    pub thanks: i64,
    /// Your reactions.
    pub mine: Vec<String>,
}

/// A post: the opening post of a thread or a reply.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostOut {
    /// Reply id; absent for the opening post.
    pub id: Option<i64>,
    /// The writer; absent when anonymous.
    pub author: Option<PersonRef>,
    /// How the writer is named: their name, or "the asker".
    pub byline: String,
    /// Written by the anonymous asker.
    pub anonymous: bool,
    /// Markdown; empty when hidden.
    pub body: String,
    /// Rendered and sanitised HTML; empty when hidden.
    pub html: String,
    /// The reply it quotes.
    pub quote_of: Option<i64>,
    /// When written.
    pub created_at: DateTime<Utc>,
    /// When last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// Hidden by an administrator.
    pub hidden: bool,
    /// The accepted answer.
    pub accepted: bool,
    /// Reactions.
    pub reactions: ReactionsOut,
    /// Whether you wrote it.
    pub mine: bool,
}

impl From<&PostView> for PostOut {
    fn from(p: &PostView) -> Self {
        let mut mine = Vec::new();
        if p.reactions.mine_helpful {
            mine.push("helpful".into());
        }
        if p.reactions.mine_thanks {
            mine.push("thanks".into());
        }
        PostOut {
            id: p.reply_id,
            author: p.author.as_ref().map(|(id, name)| PersonRef {
                id: *id,
                name: name.to_string(),
            }),
            byline: p.byline(),
            anonymous: p.anonymous,
            body: p.body.to_string(),
            html: p.html.to_string(),
            quote_of: p.quote_of,
            created_at: p.created_at,
            edited_at: p.edited_at,
            hidden: p.hidden,
            accepted: p.accepted,
            reactions: ReactionsOut {
                helpful: p.reactions.helpful,
                thanks: p.reactions.thanks,
                mine,
            },
            mine: p.mine,
        }
    }
}

/// A thread with its posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadOut {
    /// Id.
    pub id: i64,
    /// The community's address.
    pub community: String,
    /// The thread type.
    #[serde(rename = "type")]
    pub thread_type: String,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// A question with an accepted answer.
    pub solved: bool,
    /// The accepted answer's id.
    pub accepted_reply_id: Option<i64>,
    /// Revision number of the opening post.
    pub revision: i64,
    /// The opening post.
    pub post: PostOut,
    /// Replies in order.
    pub replies: Vec<PostOut>,
    /// Whether you may accept an answer.
    pub can_accept: bool,
}

impl From<&ThreadView> for ThreadOut {
    fn from(v: &ThreadView) -> Self {
        let t = &v.seen.thread;
        ThreadOut {
            id: t.id,
            community: v.seen.community.slug.clone(),
            thread_type: t.thread_type.as_str().into(),
            title: if v.opening.hidden {
                "(hidden)".into()
            } else {
                t.title.clone()
            },
            tags: t.tags.clone(),
            solved: t.solved(),
            accepted_reply_id: t.accepted_reply_id,
            revision: t.revision,
            post: PostOut::from(&v.opening),
            replies: v.replies.iter().map(PostOut::from).collect(),
            can_accept: v.seen.can_accept(),
        }
    }
}

/// A new thread.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadIn {
    /// `discussion`, `question`, `announcement` (stewards), `story` or `show_and_tell`.
    #[serde(rename = "type")]
    pub thread_type: String,
    /// Title, one line.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Ask without showing your name (questions only, where the stewards allow it).
    #[serde(default)]
    pub anonymous: bool,
}

/// An edit of a thread's opening post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadEdit {
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A new reply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyIn {
    /// Markdown body.
    pub body: String,
    /// A reply in the same thread that this one quotes.
    #[serde(default)]
    pub quote_of: Option<i64>,
}

/// An edit of a reply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyEdit {
    /// Markdown body.
    pub body: String,
}

/// Which answer to accept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// A reply in the question's thread.
    pub reply_id: i64,
}

/// A reaction to a post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionIn {
    /// The reply; absent for the opening post.
    #[serde(default)]
    pub reply_id: Option<i64>,
    /// `helpful` or `thanks`.
    pub reaction: String,
    /// Add (true, the default) or take back (false).
    #[serde(default = "yes")]
    pub on: bool,
}

fn yes() -> bool {
    true
}

/// Kudos for a contribution.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KudosIn {
    /// The reply; absent for the opening post.
    #[serde(default)]
    pub reply_id: Option<i64>,
    /// What for.
    #[serde(default)]
    pub note: String,
}

/// Hide or show a post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideIn {
    /// Hide (true, the default) or show again (false).
    #[serde(default = "yes")]
    pub hidden: bool,
}

/// Kudos someone received.
#[derive(Debug, Serialize, ToSchema)]
pub struct KudosOut {
    /// Id.
    pub id: i64,
    /// Who gave them.
    pub from: PersonRef,
    /// The thread of the contribution.
    pub thread_id: i64,
    /// Its title.
    pub thread_title: String,
    /// The reply, if for one.
    pub reply_id: Option<i64>,
    /// What for.
    pub note: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<Kudos> for KudosOut {
    fn from(k: Kudos) -> Self {
        KudosOut {
            id: k.id,
            from: PersonRef {
                id: k.from.id,
                name: k.from.name,
            },
            thread_id: k.thread_id,
            thread_title: k.thread_title,
            reply_id: k.reply_id,
            note: k.note,
            at: k.at,
        }
    }
}

/// One version of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionOut {
    /// Revision number, from 1.
    pub revision: i64,
    /// Who wrote it; absent for the anonymous asker.
    pub editor: Option<PersonRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// The title then (opening posts).
    pub title: Option<String>,
    /// The body then.
    pub body: String,
    /// The tags then.
    pub tags: String,
}

impl From<PostRevision> for RevisionOut {
    fn from(r: PostRevision) -> Self {
        RevisionOut {
            revision: r.revision,
            editor: r.editor.map(|a| PersonRef {
                id: a.id,
                name: a.name,
            }),
            at: r.at,
            title: r.title,
            body: r.body,
            tags: r.tags,
        }
    }
}

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    /// Id.
    pub id: i64,
    /// `mention`, `reply`, `accepted`, `kudos` or `suggested` (a new
    /// question you could answer).
    pub kind: String,
    /// The thread.
    pub thread_id: i64,
    /// Its title.
    pub thread_title: String,
    /// The reply, if about one.
    pub reply_id: Option<i64>,
    /// Who did it; absent when anonymous.
    pub actor: Option<PersonRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether you have read it.
    pub read: bool,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id,
            kind: n.kind,
            thread_id: n.thread_id,
            thread_title: n.thread_title,
            reply_id: n.reply_id,
            actor: n.actor.map(|a| PersonRef {
                id: a.id,
                name: a.name,
            }),
            at: n.at,
            read: n.read,
        }
    }
}

/// Your notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsOut {
    /// How many are unread.
    pub unread: i64,
    /// The latest, newest first.
    pub items: Vec<NotificationOut>,
}

/// A search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitOut {
    /// Always `thread` (artifact results say `artifact`).
    pub result: String,
    /// The thread.
    pub thread_id: i64,
    /// The reply, when the match is in one.
    pub reply_id: Option<i64>,
    /// The thread's title.
    pub title: String,
    /// The thread's type.
    #[serde(rename = "type")]
    pub thread_type: String,
    /// Its community's address.
    pub community: String,
    /// A solved question.
    pub solved: bool,
    /// The writer; absent when anonymous.
    pub author: Option<PersonRef>,
    /// The matching passage as HTML, matches in `<mark>`.
    pub snippet: String,
    /// When written.
    pub at: DateTime<Utc>,
}

impl From<SearchHit> for SearchHitOut {
    fn from(h: SearchHit) -> Self {
        SearchHitOut {
            result: "thread".into(),
            thread_id: h.thread_id,
            reply_id: h.reply_id,
            title: h.title,
            thread_type: h.thread_type,
            community: h.community_slug,
            solved: h.solved,
            author: h.author.map(|a| PersonRef {
                id: a.id,
                name: a.name,
            }),
            snippet: crate::markdown::snippet(&h.snippet),
            at: h.at,
        }
    }
}

/// Search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    /// Threads and replies, best first.
    pub items: Vec<SearchHitOut>,
    /// Published artifacts that match, best first: on the first page only,
    /// and only when no thread-only filter (type, tag, solved) is set.
    pub artifacts: Vec<super::artifacts_schema::ArtifactHitOut>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Questions that want help, oldest first in each group.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpWantedOut {
    /// No response for more than seven days.
    pub overdue: Vec<ThreadSummaryOut>,
    /// No response yet, asked within seven days.
    pub unanswered: Vec<ThreadSummaryOut>,
    /// Answered, but no answer accepted.
    pub unsolved: Vec<ThreadSummaryOut>,
}

/// The community's shared-space settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpaceSettings {
    /// Whether members may ask questions without showing their name.
    pub anonymous_questions: bool,
}
