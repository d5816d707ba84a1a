//! Threads as every viewer sees them alike — the replies rendered to HTML,
//! reaction counts, tags — kept per thread for as long as its version (the
//! store's `threads.version`, raised in the same transaction as every change
//! to what a thread page shows) stays the same. A page view then costs a few
//! small queries instead of reading, rendering and counting every reply.
//! The version is read from the database on every view, so several servers
//! over one PostgreSQL never show each other's stale threads.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use store::Store;
use store::threads::{ReactionCounts, ReactionOf, Thread};

use crate::error::WebError;
use crate::markdown;
use crate::shared_space::PostView;

/// How many bytes of threads the cache holds.
const CACHE_BYTES: u64 = 64 << 20;

/// One version of a thread, as it reads to anyone who may see it. The
/// viewer's own marks (`mine`, their reactions) are left unset.
#[derive(Debug)]
pub struct SharedThread {
    /// The thread version this was read at (or later: never earlier).
    pub version: i64,
    /// The thread's tags.
    pub tags: Vec<String>,
    /// The opening post's HTML (empty when hidden).
    pub opening_html: Arc<str>,
    /// Reactions to the opening post.
    pub opening_reactions: ReactionCounts,
    /// The replies in order.
    pub replies: Vec<PostView>,
    /// Every reaction, to mark a viewer's own.
    pub reactions: Vec<ReactionOf>,
    /// What the thread page renders once per version.
    pub rendered: OnceLock<Rendered>,
}

/// The parts of a thread page that read the same to every viewer.
#[derive(Debug)]
pub struct Rendered {
    /// Each post's article up to its actions: the opening post, then the
    /// replies in order.
    pub heads: Vec<Arc<str>>,
    /// A question's schema.org data.
    pub json_ld: Option<Arc<str>>,
}

impl SharedThread {
    fn weight(&self) -> u64 {
        let posts: usize = self
            .replies
            .iter()
            .map(|p| p.body.len() + p.html.len() + 160)
            .sum::<usize>()
            + self.reactions.len() * std::mem::size_of::<ReactionOf>();
        (posts + self.opening_html.len() + 256) as u64
    }
}

#[derive(Clone)]
struct Bytes;

impl quick_cache::Weighter<i64, Arc<SharedThread>> for Bytes {
    fn weight(&self, _: &i64, thread: &Arc<SharedThread>) -> u64 {
        thread.weight()
    }
}

/// The threads recently shown, by id.
#[derive(Clone)]
pub struct ThreadCache(Arc<quick_cache::sync::Cache<i64, Arc<SharedThread>, Bytes>>);

impl Default for ThreadCache {
    fn default() -> Self {
        Self(Arc::new(quick_cache::sync::Cache::with_weighter(
            10_000,
            CACHE_BYTES,
            Bytes,
        )))
    }
}

impl ThreadCache {
    /// `thread` as everyone sees it, from the cache while its version holds.
    pub async fn shared(
        &self,
        store: &Store,
        thread: &Thread,
    ) -> Result<Arc<SharedThread>, WebError> {
        if let Some(hit) = self.0.get(&thread.id)
            && hit.version == thread.version
        {
            return Ok(hit);
        }
        let read = Arc::new(read(store, thread).await?);
        self.0.insert(thread.id, read.clone());
        Ok(read)
    }
}

/// Reads and renders one version of `thread`. Everything is read after the
/// thread row that gave `thread.version`, so it is that version or later.
async fn read(store: &Store, thread: &Thread) -> Result<SharedThread, WebError> {
    let tags = store.thread_tags(thread.id).await?;
    let list = store.reaction_list(thread.id).await?;
    let mut reactions: HashMap<i64, ReactionCounts> = HashMap::new();
    for r in &list {
        reactions.entry(r.post).or_default().add(r.reaction, false);
    }
    let hidden = thread.hidden_at.is_some();
    let replies = store
        .replies(thread.id)
        .await?
        .into_iter()
        .map(|r| {
            let hidden = r.hidden_at.is_some();
            PostView {
                reply_id: Some(r.id),
                mine: false,
                author: r.author.map(|a| (a.id, Arc::from(a.name))),
                anonymous: r.anonymous,
                html: if hidden {
                    Arc::from("")
                } else {
                    markdown::render_shared(&r.body)
                },
                body: if hidden {
                    Arc::from("")
                } else {
                    Arc::from(r.body)
                },
                quote_of: r.quote_of,
                created_at: r.created_at,
                edited_at: r.edited_at,
                hidden,
                accepted: thread.accepted_reply_id == Some(r.id),
                reactions: reactions.get(&r.id).copied().unwrap_or_default(),
            }
        })
        .collect();
    Ok(SharedThread {
        version: thread.version,
        tags,
        opening_html: if hidden {
            Arc::from("")
        } else {
            markdown::render_shared(&thread.body)
        },
        opening_reactions: reactions.get(&0).copied().unwrap_or_default(),
        replies,
        reactions: list,
        rendered: OnceLock::new(),
    })
}
