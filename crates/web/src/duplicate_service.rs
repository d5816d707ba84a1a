//! Duplicate effort as the pages and the API use it: the finder's corpus held
//! per process ([`DuplicateBoard`]), who may see which pair, and decisions.
//!
//! The board is a cache of what the database holds, like the health board:
//! it is loaded on first use, takes in new posts (by id) on every request
//! that needs it, and is read again whole in the background every
//! [`RELOAD_EVERY`] (which picks up edits, hidden posts, archived artifacts
//! and team changes). Decisions are never cached.
//!
//! Privacy: a viewer only ever sees a post of a community they may see (an
//! open one, or one they belong to), so a pair across a private and an open
//! community reaches only people who may see both. Posts hidden or archived
//! since the last reload are left out when they are named. An anonymous
//! question's asker is never named; its team is unknown to the finder.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use domain::duplicates::{Corpus, DUPLICATE_THRESHOLD, Origin, Pair, PostKey, Text, Verdict};
use store::Store;
use store::duplicates::{Decision, PostSummary};

use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::CurrentUser;
use crate::error::WebError;

/// How often the corpus is read again whole.
pub const RELOAD_EVERY: Duration = Duration::minutes(5);
/// Candidates a post's page shows.
pub const CANDIDATES_SHOWN: usize = 5;
/// Posts read per query.
const PAGE: i64 = 5_000;

#[derive(Default)]
struct Board {
    corpus: Corpus,
    watermark: (i64, i64),
    loaded_at: Option<DateTime<Utc>>,
    generation: u64,
    scan: Option<(u64, Arc<Vec<Pair>>)>,
}

/// The finder's corpus for this process.
#[derive(Clone, Default)]
pub struct DuplicateBoard {
    board: Arc<RwLock<Board>>,
    refreshing: Arc<tokio::sync::Mutex<()>>,
    reloading: Arc<AtomicBool>,
}

/// Every visible post, read in pages, and the watermark read before them.
async fn load_all(store: &Store) -> Result<(Corpus, (i64, i64)), store::StoreError> {
    let watermark = store.duplicate_watermark().await?;
    let mut corpus = Corpus::new();
    each_after(store, (0, 0), |origin, text| corpus.insert(origin, &text)).await?;
    Ok((corpus, watermark))
}

/// Hands `f` each visible post with an id above `after` (threads, then artifacts).
async fn each_after(
    store: &Store,
    after: (i64, i64),
    mut f: impl FnMut(Origin, Text),
) -> Result<(), store::StoreError> {
    let (mut thread, mut artifact) = after;
    loop {
        let page = store.duplicate_threads(thread, PAGE).await?;
        let Some(last) = page.last() else { break };
        if let PostKey::Thread(id) = last.0.key {
            thread = id;
        }
        for (origin, text) in page {
            f(origin, text);
        }
    }
    loop {
        let page = store.duplicate_artifacts(artifact, PAGE).await?;
        let Some(last) = page.last() else { break };
        if let PostKey::Artifact(id) = last.0.key {
            artifact = id;
        }
        for (origin, text) in page {
            f(origin, text);
        }
    }
    Ok(())
}

impl DuplicateBoard {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Board> {
        self.board.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Board> {
        self.board.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Brings the corpus up to date with the store: loads it on first use,
    /// takes in new posts, and starts a whole reload when it is older than
    /// [`RELOAD_EVERY`] as of `now`.
    pub async fn refresh(&self, store: &Store, now: DateTime<Utc>) -> Result<(), WebError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let (loaded_at, held) = {
            let b = self.read();
            (b.loaded_at, b.watermark)
        };
        let Some(loaded_at) = loaded_at else {
            let (corpus, watermark) = load_all(store).await?;
            let mut b = self.write();
            b.corpus = corpus;
            b.watermark = watermark;
            b.loaded_at = Some(now);
            b.generation += 1;
            return Ok(());
        };
        if now - loaded_at >= RELOAD_EVERY && !self.reloading.swap(true, Ordering::SeqCst) {
            let (board, store) = (self.clone(), store.clone());
            tokio::spawn(async move {
                match load_all(&store).await {
                    Ok((corpus, watermark)) => {
                        let mut b = board.write();
                        b.corpus = corpus;
                        b.watermark = watermark;
                        b.loaded_at = Some(now);
                        b.generation += 1;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "reading posts for the duplicate finder failed")
                    }
                }
                board.reloading.store(false, Ordering::SeqCst);
            });
        }
        let watermark = store.duplicate_watermark().await?;
        if watermark != held {
            // Read outside the lock, then take the new posts in at once.
            let mut posts = Vec::new();
            each_after(store, held, |origin, text| posts.push((origin, text))).await?;
            let mut b = self.write();
            for (origin, text) in &posts {
                b.corpus.insert(*origin, text);
            }
            b.watermark = watermark;
            b.generation += 1;
        }
        Ok(())
    }

    /// Every cross-team pair the scan flags, computed again only when the
    /// corpus changed.
    async fn pairs(&self) -> Result<Arc<Vec<Pair>>, WebError> {
        let generation = {
            let b = self.read();
            if let Some((g, pairs)) = &b.scan
                && *g == b.generation
            {
                return Ok(pairs.clone());
            }
            b.generation
        };
        let board = self.clone();
        let pairs =
            tokio::task::spawn_blocking(move || board.read().corpus.scan(DUPLICATE_THRESHOLD))
                .await
                .map_err(|e| WebError::Internal(format!("the duplicate scan failed: {e}")))?;
        let pairs = Arc::new(pairs);
        self.write().scan = Some((generation, pairs.clone()));
        Ok(pairs)
    }
}

/// A post as a flagged pair names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRef {
    /// The post.
    pub key: PostKey,
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its community's address.
    pub community_slug: String,
    /// Its community's name.
    pub community_name: String,
    /// Its named author (an artifact's owner); `None` when asked anonymously.
    pub author: Option<String>,
    /// The author's team, if named and on one.
    pub team: Option<String>,
}

impl PostRef {
    fn from(s: PostSummary) -> Self {
        let url = match s.key {
            PostKey::Thread(id) => format!("/threads/{id}"),
            PostKey::Artifact(id) => format!("/artifacts/{id}"),
        };
        PostRef {
            key: s.key,
            title: s.title,
            url,
            community_slug: s.community_slug,
            community_name: s.community_name,
            author: s.author.map(|(_, name)| name),
            team: s.team,
        }
    }

    /// Who wrote it, as shown: a name and team, or "asked anonymously".
    pub fn byline(&self) -> String {
        match (&self.author, &self.team) {
            (Some(name), Some(team)) => format!("{name} ({team})"),
            (Some(name), None) => name.clone(),
            (None, _) => "asked anonymously".to_owned(),
        }
    }
}

/// A post found like another, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// The other post.
    pub post: PostRef,
    /// Cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most.
    pub shared: Vec<String>,
}

impl Similar {
    /// The similarity in whole percent.
    pub fn percent(&self) -> i64 {
        (self.score * 100.0).round() as i64
    }
}

/// A flagged pair as a community's stewards see it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedPair {
    /// The first post.
    pub a: PostRef,
    /// The second post.
    pub b: PostRef,
    /// Cosine similarity, 0 to 1.
    pub score: f64,
    /// The shared terms that weigh most.
    pub shared: Vec<String>,
}

impl FlaggedPair {
    /// The similarity in whole percent.
    pub fn percent(&self) -> i64 {
        (self.score * 100.0).round() as i64
    }
}

/// The communities `user` may see.
async fn visible(state: &AppState, user: &CurrentUser) -> Result<HashSet<i64>, WebError> {
    Ok(state
        .store
        .visible_communities(Some(user.person.id))
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// Summaries of `keys` in communities in `visible`, by key.
async fn refs(
    state: &AppState,
    keys: &[PostKey],
    visible: &HashSet<i64>,
) -> Result<std::collections::HashMap<PostKey, PostRef>, WebError> {
    Ok(state
        .store
        .post_summaries(keys)
        .await?
        .into_iter()
        .filter(|s| visible.contains(&s.community_id))
        .map(|s| (s.key, PostRef::from(s)))
        .collect())
}

/// Who a viewer is to a post they may see.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    /// Its community.
    pub community: i64,
    /// They wrote it (named, anonymously, or own the artifact).
    pub wrote_it: bool,
    /// They may steward its community (or administer the organisation).
    pub stewards: bool,
}

/// Post `key` as `user` stands to it; the 404 of a missing post when they may not see it.
pub async fn standing(
    state: &AppState,
    user: &Arc<CurrentUser>,
    key: PostKey,
) -> Result<Standing, WebError> {
    match key {
        PostKey::Thread(id) => {
            let seen = crate::shared_space::seen_thread(state, user, id).await?;
            if seen.thread.hidden_at.is_some() {
                return Err(WebError::NotFound);
            }
            Ok(Standing {
                community: seen.community.id,
                wrote_it: seen.wrote_it(),
                stewards: seen.can_steward(),
            })
        }
        PostKey::Artifact(id) => {
            let seen = crate::artifact_service::seen_artifact(state, user, id).await?;
            let me = Some(user.person.id);
            Ok(Standing {
                community: seen.community.id,
                wrote_it: seen.artifact.owner.as_ref().map(|a| a.id) == me
                    || seen.artifact.created_by.as_ref().map(|a| a.id) == me,
                stewards: seen.can_steward(),
            })
        }
    }
}

/// Pairs already decided, in canonical order.
fn decided(decisions: &[Decision]) -> HashSet<(PostKey, PostKey)> {
    decisions.iter().map(|d| (d.a, d.b)).collect()
}

/// Undecided posts like post `key` that `user` may see, best first.
pub async fn candidates_for_post(
    state: &AppState,
    user: &Arc<CurrentUser>,
    key: PostKey,
    limit: usize,
) -> Result<Vec<Similar>, WebError> {
    standing(state, user, key).await?;
    state
        .duplicates
        .refresh(&state.store, state.clock.now())
        .await?;
    let visible = visible(state, user).await?;
    let done = decided(&state.store.duplicate_decisions_of(key).await?);
    let found = state.duplicates.read().corpus.candidates_of(
        key,
        DUPLICATE_THRESHOLD,
        limit + done.len(),
        |o| visible.contains(&o.community) && !done.contains(&Pair::ordered(key, o.key)),
    );
    similar(state, found, &visible, limit).await
}

async fn similar(
    state: &AppState,
    found: Vec<domain::duplicates::Candidate>,
    visible: &HashSet<i64>,
    limit: usize,
) -> Result<Vec<Similar>, WebError> {
    let keys: Vec<PostKey> = found.iter().map(|c| c.origin.key).collect();
    let mut refs = refs(state, &keys, visible).await?;
    Ok(found
        .into_iter()
        .filter_map(|c| {
            Some(Similar {
                post: refs.remove(&c.origin.key)?,
                score: c.score,
                shared: c.shared,
            })
        })
        .take(limit)
        .collect())
}

/// Posts like a draft `user` is writing in `seen`'s community, best first:
/// other teams' posts they may see.
pub async fn candidates_for_draft(
    state: &AppState,
    seen: &Seen,
    text: &Text,
    limit: usize,
) -> Result<Vec<Similar>, WebError> {
    state
        .duplicates
        .refresh(&state.store, state.clock.now())
        .await?;
    let visible = visible(state, &seen.user).await?;
    let asker = Origin {
        // No post has id 0: the draft is not in the corpus.
        key: PostKey::Thread(0),
        community: seen.community.id,
        author: Some(seen.me()),
        team: state.store.team_id_of(seen.me()).await?,
    };
    let found =
        state
            .duplicates
            .read()
            .corpus
            .candidates(&asker, text, DUPLICATE_THRESHOLD, limit, |o| {
                visible.contains(&o.community)
            });
    similar(state, found, &visible, limit).await
}

/// The undecided pairs the scan flags that touch `seen`'s community and
/// that its viewer may see whole, most similar first. Stewards only.
pub async fn flagged_in(state: &AppState, seen: &Seen) -> Result<Vec<FlaggedPair>, WebError> {
    seen.require_steward()?;
    state
        .duplicates
        .refresh(&state.store, state.clock.now())
        .await?;
    let pairs = state.duplicates.pairs().await?;
    let visible = visible(state, &seen.user).await?;
    let done = decided(&state.store.duplicate_decisions().await?);
    let here = seen.community.id;
    let mine: Vec<&Pair> = {
        let b = state.duplicates.read();
        let community = |k: PostKey| b.corpus.origin(k).map(|o| o.community);
        pairs
            .iter()
            .filter(|p| !done.contains(&(p.a, p.b)))
            .filter(|p| {
                let (ca, cb) = (community(p.a), community(p.b));
                (ca == Some(here) || cb == Some(here))
                    && ca.is_some_and(|c| visible.contains(&c))
                    && cb.is_some_and(|c| visible.contains(&c))
            })
            .collect()
    };
    let keys: Vec<PostKey> = mine.iter().flat_map(|p| [p.a, p.b]).collect();
    let refs = refs(state, &keys, &visible).await?;
    Ok(mine
        .into_iter()
        .filter_map(|p| {
            Some(FlaggedPair {
                a: refs.get(&p.a)?.clone(),
                b: refs.get(&p.b)?.clone(),
                score: p.score,
                shared: p.shared.clone(),
            })
        })
        .collect())
}

/// What a post's page shows: the posts linked to it as the same problem,
/// and (for its authors and its community's stewards) undecided candidates.
#[derive(Debug, Clone, Default)]
pub struct PostDuplicates {
    /// The post.
    pub key: Option<PostKey>,
    /// Posts decided to be the same problem, that the viewer may see.
    pub linked: Vec<PostRef>,
    /// Undecided candidates, shown to its authors and stewards.
    pub flagged: Vec<Similar>,
    /// Whether the viewer may decide on them.
    pub may_decide: bool,
}

/// The posts decided to be the same problem as post `key` that `user` may see.
pub async fn linked_to(
    state: &AppState,
    user: &Arc<CurrentUser>,
    key: PostKey,
) -> Result<Vec<PostRef>, WebError> {
    standing(state, user, key).await?;
    linked(state, user, key).await
}

async fn linked(
    state: &AppState,
    user: &CurrentUser,
    key: PostKey,
) -> Result<Vec<PostRef>, WebError> {
    let visible = visible(state, user).await?;
    let keys: Vec<PostKey> = state
        .store
        .duplicate_decisions_of(key)
        .await?
        .iter()
        .filter(|d| d.verdict == Verdict::Link)
        .map(|d| d.other(key))
        .collect();
    let mut refs = refs(state, &keys, &visible).await?;
    Ok(keys.iter().filter_map(|k| refs.remove(k)).collect())
}

/// What post `key`'s page shows `user` about duplicates.
pub async fn post_duplicates(
    state: &AppState,
    user: &Arc<CurrentUser>,
    key: PostKey,
) -> Result<PostDuplicates, WebError> {
    let standing = standing(state, user, key).await?;
    let linked = linked(state, user, key).await?;
    let may_decide = standing.wrote_it || standing.stewards;
    let flagged = if may_decide {
        candidates_for_post(state, user, key, CANDIDATES_SHOWN).await?
    } else {
        Vec::new()
    };
    Ok(PostDuplicates {
        key: Some(key),
        linked,
        flagged,
        may_decide,
    })
}

/// Records `verdict` on the pair `a`–`b` by `user`, who must see both and
/// have written one of them or steward one of their communities.
pub async fn decide(
    state: &AppState,
    user: &Arc<CurrentUser>,
    a: PostKey,
    b: PostKey,
    verdict: Verdict,
) -> Result<Decision, WebError> {
    if a == b {
        return Err(domain::Invalid::new("b", "name another post than a").into());
    }
    let (sa, sb) = (
        standing(state, user, a).await?,
        standing(state, user, b).await?,
    );
    if !(sa.wrote_it || sa.stewards || sb.wrote_it || sb.stewards) {
        return Err(WebError::Forbidden(
            "only the authors of these posts and their communities' stewards can decide".into(),
        ));
    }
    state
        .duplicates
        .refresh(&state.store, state.clock.now())
        .await?;
    let shared = state
        .duplicates
        .read()
        .corpus
        .compare(a, b)
        .map(|(_, shared)| shared)
        .unwrap_or_default();
    let at = state.clock.now();
    state
        .store
        .decide_duplicate(a, b, verdict, &shared, user.person.id, at)
        .await?;
    let (a, b) = Pair::ordered(a, b);
    Ok(Decision {
        a,
        b,
        verdict,
        shared,
        decided_by: Some(user.person.id),
        decided_at: at,
    })
}
