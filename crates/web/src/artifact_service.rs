//! The practice as both the pages and the API use it: who may read, write,
//! review, reuse, link, re-home and promote artifacts, and the views of
//! them. Artifacts are addressed by id; one in a community the viewer may
//! not see is the same 404 as one that does not exist. Members write (every
//! edit is a revision); owners and stewards mark an artifact reviewed;
//! owners and stewards give it a new owner.

use std::sync::Arc;

use domain::community::MemberRole;
use domain::practice::{self, ArtifactState, ContentDraft, DiffLine};
use store::communities::Community;
use store::practice::{
    Artifact, ArtifactHit, ArtifactRevision, LinkTarget, LinkedArtifact, Links, NewArtifact, Reuse,
    Source, TeamUses,
};
use store::threads::Author;

use crate::AppState;
use crate::api::communities_access::{Seen, may_see, require_writable};
use crate::auth::CurrentUser;
use crate::error::WebError;

/// How many uses an artifact's view lists.
const USES_SHOWN: i64 = 50;

/// An artifact the viewer may see, with where it lives and who they are to it.
#[derive(Debug, Clone)]
pub struct SeenArtifact {
    /// The artifact.
    pub artifact: Artifact,
    /// Its community.
    pub community: Community,
    /// The viewer's role in the community.
    pub role: Option<MemberRole>,
    /// The viewer.
    pub user: Arc<CurrentUser>,
}

impl SeenArtifact {
    /// The viewer's id.
    pub fn me(&self) -> i64 {
        self.user.person.id
    }

    /// Whether the viewer may steward its community.
    pub fn can_steward(&self) -> bool {
        self.role == Some(MemberRole::Steward) || self.user.is_admin()
    }

    /// Whether the viewer owns it.
    pub fn is_owner(&self) -> bool {
        self.artifact.owner.as_ref().map(|o| o.id) == Some(self.me())
    }

    /// Whether the viewer may write: a member of a writable community.
    pub fn can_write(&self) -> bool {
        self.role.is_some() && self.community.is_writable()
    }

    /// Whether the viewer may mark it reviewed or give it a new owner: its
    /// owner (a member) or a steward, in a writable community.
    pub fn can_review(&self) -> bool {
        self.community.is_writable()
            && ((self.is_owner() && self.role.is_some()) || self.can_steward())
    }

    fn require_write(&self) -> Result<(), WebError> {
        require_writable(&self.community)?;
        if self.role.is_none() {
            return Err(WebError::Forbidden(
                "join this community to contribute to its practice".into(),
            ));
        }
        Ok(())
    }

    fn require_review(&self) -> Result<(), WebError> {
        require_writable(&self.community)?;
        if !self.can_review() {
            return Err(WebError::Forbidden(
                "only the artifact's owner or a steward can do that".into(),
            ));
        }
        Ok(())
    }
}

/// Artifact `id` if `user` may see it; otherwise the 404 a missing one gets.
pub async fn seen_artifact(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<SeenArtifact, WebError> {
    let artifact = state.store.artifact(id).await?;
    let community = state.store.community(artifact.community_id).await?;
    let me = user.person.id;
    if !may_see(state, &community, me).await? {
        return Err(WebError::NotFound);
    }
    let role = state.store.role_in(community.id, me).await?;
    Ok(SeenArtifact {
        artifact,
        community,
        role,
        user: user.clone(),
    })
}

/// Writes a new, published artifact in `seen`'s community, owned by its writer.
pub async fn create(state: &AppState, seen: &Seen, draft: &ContentDraft) -> Result<i64, WebError> {
    require_writable(&seen.community)?;
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "join this community to contribute to its practice".into(),
        ));
    }
    let new = NewArtifact {
        community_id: seen.community.id,
        author_id: seen.me(),
        owner_id: None,
        content: draft.check()?,
        state: ArtifactState::Published,
        source: Source::default(),
        summary: "First version".into(),
    };
    Ok(state.store.create_artifact(&new, state.clock.now()).await?)
}

/// Revises artifact `id` (any member), publishing a draft when `publish`.
/// Returns the new revision number.
pub async fn revise(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    draft: &ContentDraft,
    summary: &str,
    publish: bool,
) -> Result<i64, WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_write()?;
    let content = draft.check()?;
    let summary = practice::summary(summary)?;
    Ok(state
        .store
        .revise_artifact(
            id,
            seen.me(),
            &content,
            &summary,
            publish,
            state.clock.now(),
        )
        .await?)
}

/// Restores revision `revision` of artifact `id` as a new one (any member).
pub async fn restore(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    revision: i64,
) -> Result<i64, WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_write()?;
    if revision == seen.artifact.revision {
        return Err(
            domain::Invalid::new("revision", "this is already the current revision").into(),
        );
    }
    state
        .store
        .restore_artifact(id, revision, seen.me(), state.clock.now())
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => {
                domain::Invalid::new("revision", "there is no such revision").into()
            }
            other => other.into(),
        })
}

/// Marks artifact `id` reviewed, still true (its owner or a steward).
pub async fn review(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    note: &str,
) -> Result<(), WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_review()?;
    let note = practice::note(note)?;
    Ok(state
        .store
        .review_artifact(id, seen.me(), &note, state.clock.now())
        .await?)
}

/// Records that the viewer used artifact `id`, for `team` (their own when
/// blank) with a note (members).
pub async fn reuse(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    team: &str,
    note: &str,
) -> Result<(), WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_write()?;
    let team = practice::team(team)?;
    let note = practice::note(note)?;
    Ok(state
        .store
        .record_reuse(id, seen.me(), team.as_deref(), &note, state.clock.now())
        .await?)
}

/// Gives artifact `id` a new owner, a member (its owner or a steward).
pub async fn set_owner(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    owner: i64,
) -> Result<(), WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_review()?;
    state
        .store
        .set_artifact_owner(id, owner)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict { message, .. } => {
                domain::Invalid::new("owner_id", message).into()
            }
            other => other.into(),
        })
}

/// Links artifact `id` to `target` of its community (members), or removes
/// the link when `on` is false.
pub async fn link(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
    target: LinkTarget,
    on: bool,
) -> Result<(), WebError> {
    let seen = seen_artifact(state, user, id).await?;
    seen.require_write()?;
    let now = state.clock.now();
    let done = if on {
        state.store.link_artifact(id, target, seen.me(), now).await
    } else {
        state.store.unlink_artifact(id, target).await
    };
    done.map_err(|e| match e {
        store::StoreError::Conflict { message, .. } => {
            domain::Invalid::new("target_id", message).into()
        }
        other => other.into(),
    })
}

/// A link target from its type's name and id.
pub fn target(kind: &str, id: i64) -> Result<LinkTarget, WebError> {
    match kind {
        "artifact" => Ok(LinkTarget::Artifact(id)),
        "thread" => Ok(LinkTarget::Thread(id)),
        _ => Err(domain::Invalid::new("target_type", "choose artifact or thread").into()),
    }
}

/// Promotes thread `thread` — or, with `reply`, its accepted answer — into
/// a draft artifact of `kind` keeping a link to its source (members).
pub async fn promote(
    state: &AppState,
    user: &Arc<CurrentUser>,
    thread: i64,
    reply: Option<i64>,
    kind: &str,
) -> Result<i64, WebError> {
    let seen = crate::shared_space::seen_thread(state, user, thread).await?;
    require_writable(&seen.community)?;
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "join this community to contribute to its practice".into(),
        ));
    }
    if seen.thread.hidden_at.is_some() {
        return Err(WebError::NotFound);
    }
    let t = &seen.thread;
    let (body, summary) = match reply {
        Some(r) if t.accepted_reply_id == Some(r) => (
            state.store.reply_by_id(r).await?.body,
            format!("Promoted from the accepted answer to “{}”", t.title),
        ),
        Some(_) => {
            return Err(domain::Invalid::new(
                "reply_id",
                "only the accepted answer can be promoted",
            )
            .into());
        }
        None => (
            t.body.clone(),
            format!("Promoted from the thread “{}”", t.title),
        ),
    };
    let kind = if kind.trim().is_empty() {
        "guide"
    } else {
        kind
    };
    let mut draft = ContentDraft {
        kind: kind.into(),
        title: t.title.clone(),
        body: body.clone(),
        tags: t.tags.join(", "),
        ..ContentDraft::default()
    };
    if kind == "decision_record" {
        draft.decision = body;
        draft.body.clear();
    }
    let new = NewArtifact {
        community_id: seen.community.id,
        author_id: seen.user.person.id,
        owner_id: None,
        content: draft.check()?,
        state: ArtifactState::Draft,
        source: Source {
            thread_id: Some(t.id),
            reply_id: reply,
            ..Source::default()
        },
        summary: practice::summary(
            &summary
                .chars()
                .take(practice::SUMMARY_MAX)
                .collect::<String>(),
        )?,
    };
    Ok(state.store.create_artifact(&new, state.clock.now()).await?)
}

/// An artifact with everything its page and the API show.
#[derive(Debug, Clone)]
pub struct ArtifactView {
    /// The artifact and the viewer's place.
    pub seen: SeenArtifact,
    /// The people who wrote a revision.
    pub contributors: Vec<Author>,
    /// Links and backlinks.
    pub links: Links,
    /// Uses, newest first.
    pub reuses: Vec<Reuse>,
    /// Uses by team.
    pub uses_by_team: Vec<TeamUses>,
    /// Whether it is stale now.
    pub stale: bool,
    /// The source thread's title, when promoted from one.
    pub source_title: Option<String>,
}

/// Artifact `id` as `user` sees it.
pub async fn view(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<ArtifactView, WebError> {
    let seen = seen_artifact(state, user, id).await?;
    let stale = seen.artifact.is_stale(state.clock.now());
    let source_title = match seen.artifact.source.thread_id {
        Some(t) => state
            .store
            .thread(t)
            .await
            .ok()
            .filter(|t| t.hidden_at.is_none())
            .map(|t| t.title),
        None => None,
    };
    Ok(ArtifactView {
        contributors: state.store.artifact_contributors(id).await?,
        links: state.store.artifact_links(id).await?,
        reuses: state.store.artifact_reuses(id, USES_SHOWN).await?,
        uses_by_team: state.store.artifact_uses_by_team(id).await?,
        stale,
        source_title,
        seen,
    })
}

/// Every revision of artifact `id` (newest first) that `user` may see.
pub async fn revisions(
    state: &AppState,
    user: &Arc<CurrentUser>,
    id: i64,
) -> Result<(SeenArtifact, Vec<ArtifactRevision>), WebError> {
    let seen = seen_artifact(state, user, id).await?;
    let revisions = state.store.artifact_revisions(id).await?;
    Ok((seen, revisions))
}

/// The diff from revision `from` to revision `to` among `revisions`.
pub fn diff(revisions: &[ArtifactRevision], from: i64, to: i64) -> Result<Vec<DiffLine>, WebError> {
    let find = |n: i64, field: &str| {
        revisions
            .iter()
            .find(|r| r.revision == n)
            .ok_or_else(|| WebError::from(domain::Invalid::new(field, "there is no such revision")))
    };
    let (a, b) = (find(from, "from")?, find(to, "to")?);
    Ok(practice::line_diff(
        &practice::diff_text(&a.content),
        &practice::diff_text(&b.content),
    ))
}

/// What links to thread `thread` from the practice: artifacts promoted from
/// it and artifacts linking to it (the thread page's backlinks).
pub async fn thread_backlinks(
    state: &AppState,
    thread: i64,
) -> Result<(Vec<LinkedArtifact>, Vec<LinkedArtifact>), WebError> {
    Ok((
        state.store.artifacts_promoted_from(thread).await?,
        state.store.artifacts_linking_thread(thread).await?,
    ))
}

/// Artifacts owned by `owner` that are stale now, in communities `viewer`
/// may see.
pub async fn stale_owned_by(
    state: &AppState,
    viewer: i64,
    owner: i64,
) -> Result<Vec<(Artifact, Community)>, WebError> {
    let mut out = Vec::new();
    for a in state
        .store
        .stale_artifacts(None, Some(owner), state.clock.now(), 200)
        .await?
    {
        let c = state.store.community(a.community_id).await?;
        if may_see(state, &c, viewer).await? {
            out.push((a, c));
        }
    }
    Ok(out)
}

/// Published artifacts matching `q` that `user` may see, best first, at
/// most `limit`, optionally only in the community at address `community`.
pub async fn search_in(
    state: &AppState,
    user: &Arc<CurrentUser>,
    q: &str,
    community: Option<&str>,
    limit: i64,
) -> Result<Vec<ArtifactHit>, WebError> {
    if q.chars().count() > 500 {
        return Err(domain::Invalid::new("q", "is longer than 500 characters").into());
    }
    let community = match community.filter(|s| !s.trim().is_empty()) {
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
    Ok(state
        .store
        .search_artifacts(user.person.id, q, community, 0, limit)
        .await?)
}
