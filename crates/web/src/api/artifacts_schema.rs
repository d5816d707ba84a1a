//! The request and response bodies of the practice's API operations.

use chrono::{DateTime, Utc};
use domain::charter::Change;
use domain::practice::{Content, ContentDraft, DiffLine};
use serde::{Deserialize, Serialize};
use store::practice::{Artifact, ArtifactHit, ArtifactRevision, LinkedArtifact};
use store::threads::Author;
use utoipa::{IntoParams, ToSchema};

use super::threads_schema::PersonRef;
use crate::artifact_service::ArtifactView;

fn person(a: &Author) -> PersonRef {
    PersonRef {
        id: a.id,
        name: a.name.clone(),
    }
}

/// An artifact's content as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtifactIn {
    /// guide, pattern, checklist, decision_record, story, tool or heuristic.
    pub kind: String,
    /// One line.
    pub title: String,
    /// Markdown; required except for decision records.
    #[serde(default)]
    pub body: String,
    /// Decision records: the context.
    #[serde(default)]
    pub context: String,
    /// Decision records: the decision (required for them).
    #[serde(default)]
    pub decision: String,
    /// Decision records: the consequences.
    #[serde(default)]
    pub consequences: String,
    /// Decision records: proposed (default), accepted, rejected, superseded or deprecated.
    #[serde(default)]
    pub decision_status: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Review interval in days (1 to 3650); the kind's default when absent.
    #[serde(default)]
    pub review_days: Option<i64>,
    /// For edits: what changed.
    #[serde(default)]
    pub summary: Option<String>,
    /// For edits of a draft: publish it.
    #[serde(default)]
    pub publish: bool,
}

impl ArtifactIn {
    /// The draft the domain checks.
    pub fn draft(&self) -> ContentDraft {
        ContentDraft {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            context: self.context.clone(),
            decision: self.decision.clone(),
            consequences: self.consequences.clone(),
            decision_status: self.decision_status.clone().unwrap_or_default(),
            tags: self.tags.join(","),
            review_days: self.review_days,
        }
    }
}

/// Filters for a community's artifacts.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ArtifactListQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only artifacts with this tag.
    pub tag: Option<String>,
    /// Only stale ones (true), due for review now.
    pub stale: Option<bool>,
    /// Only orphaned ones (true): their owner left.
    pub orphaned: Option<bool>,
    /// At most this many, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// An artifact in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactSummaryOut {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// draft or published.
    pub state: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Owner.
    pub owner: Option<PersonRef>,
    /// Due for review now.
    pub stale: bool,
    /// The owner is no longer a member.
    pub orphaned: bool,
    /// When it falls due for review.
    pub due_at: DateTime<Utc>,
    /// Uses recorded.
    pub reuse_count: i64,
    /// Last revised.
    pub updated_at: DateTime<Utc>,
}

impl ArtifactSummaryOut {
    /// `a` as listed at `now`.
    pub fn new(a: &Artifact, now: DateTime<Utc>) -> Self {
        ArtifactSummaryOut {
            id: a.id,
            kind: a.content.kind.as_str().into(),
            title: a.content.title.clone(),
            state: a.state.as_str().into(),
            tags: a.content.tags.clone(),
            owner: a.owner.as_ref().map(person),
            stale: a.is_stale(now),
            orphaned: a.is_orphaned(),
            due_at: a.due_at(),
            reuse_count: a.reuse_count,
            updated_at: a.updated_at,
        }
    }
}

/// Another artifact as a link names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedArtifactOut {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// draft or published.
    pub state: String,
}

impl From<&LinkedArtifact> for LinkedArtifactOut {
    fn from(l: &LinkedArtifact) -> Self {
        LinkedArtifactOut {
            id: l.id,
            kind: l.kind.as_str().into(),
            title: l.title.clone(),
            state: l.state.as_str().into(),
        }
    }
}

/// A linked thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedThreadOut {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
}

/// Uses by one team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamUsesOut {
    /// The team; absent for uses with none.
    pub team: Option<String>,
    /// How many.
    pub uses: i64,
}

/// Where an artifact came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceOut {
    /// The thread it was promoted from.
    pub thread_id: Option<i64>,
    /// The accepted answer it was promoted from.
    pub reply_id: Option<i64>,
    /// The experiment it concluded in.
    pub experiment_id: Option<i64>,
    /// The gathering occurrence whose notes it holds.
    pub occurrence_id: Option<i64>,
}

/// An artifact in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactOut {
    /// The listing's fields.
    #[serde(flatten)]
    pub summary: ArtifactSummaryOut,
    /// Its community's address.
    pub community: String,
    /// Markdown body.
    pub body: String,
    /// The body as sanitised HTML.
    pub body_html: String,
    /// Decision records: context.
    pub context: String,
    /// Decision records: decision.
    pub decision: String,
    /// Decision records: consequences.
    pub consequences: String,
    /// Decision records: status.
    pub decision_status: Option<String>,
    /// Current revision number.
    pub revision: i64,
    /// Review interval in days.
    pub review_days: i64,
    /// The latest of creation, revision and review.
    pub last_confirmed_at: DateTime<Utc>,
    /// Last marked reviewed.
    pub last_reviewed_at: Option<DateTime<Utc>>,
    /// Written first by.
    pub created_by: Option<PersonRef>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Everyone who wrote a revision.
    pub contributors: Vec<PersonRef>,
    /// Uses by team, most first.
    pub uses_by_team: Vec<TeamUsesOut>,
    /// Artifacts it links to.
    pub links_to_artifacts: Vec<LinkedArtifactOut>,
    /// Threads it links to.
    pub links_to_threads: Vec<LinkedThreadOut>,
    /// Artifacts linking to it.
    pub backlinks: Vec<LinkedArtifactOut>,
    /// Where it came from.
    pub source: SourceOut,
}

impl ArtifactOut {
    /// The view at `now`.
    pub fn new(v: &ArtifactView, now: DateTime<Utc>) -> Self {
        let a = &v.seen.artifact;
        let c = &a.content;
        ArtifactOut {
            summary: ArtifactSummaryOut::new(a, now),
            community: v.seen.community.slug.clone(),
            body: c.body.clone(),
            body_html: crate::markdown::render(&c.body),
            context: c.context.clone(),
            decision: c.decision.clone(),
            consequences: c.consequences.clone(),
            decision_status: c.decision_status.map(|s| s.as_str().into()),
            revision: a.revision,
            review_days: c.review_days,
            last_confirmed_at: a.last_confirmed_at,
            last_reviewed_at: a.last_reviewed_at,
            created_by: a.created_by.as_ref().map(person),
            created_at: a.created_at,
            contributors: v.contributors.iter().map(person).collect(),
            uses_by_team: v
                .uses_by_team
                .iter()
                .map(|t| TeamUsesOut {
                    team: t.team.clone(),
                    uses: t.uses,
                })
                .collect(),
            links_to_artifacts: v.links.artifacts.iter().map(Into::into).collect(),
            links_to_threads: v
                .links
                .threads
                .iter()
                .map(|t| LinkedThreadOut {
                    id: t.id,
                    title: t.title.clone(),
                })
                .collect(),
            backlinks: v.links.backlinks.iter().map(Into::into).collect(),
            source: SourceOut {
                thread_id: a.source.thread_id,
                reply_id: a.source.reply_id,
                experiment_id: a.source.experiment_id,
                occurrence_id: a.source.occurrence_id,
            },
        }
    }
}

/// One version of an artifact.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionOut {
    /// Number, from 1.
    pub revision: i64,
    /// Who wrote it.
    pub author: Option<PersonRef>,
    /// When.
    pub at: DateTime<Utc>,
    /// What changed.
    pub summary: String,
    /// The revision it restored.
    pub restored_from: Option<i64>,
    /// Kind then.
    pub kind: String,
    /// Title then.
    pub title: String,
    /// Body then.
    pub body: String,
    /// Decision records' sections then.
    pub context: String,
    /// Decision then.
    pub decision: String,
    /// Consequences then.
    pub consequences: String,
    /// Status then.
    pub decision_status: Option<String>,
    /// Tags then.
    pub tags: Vec<String>,
    /// Review interval then.
    pub review_days: i64,
}

impl From<&ArtifactRevision> for RevisionOut {
    fn from(r: &ArtifactRevision) -> Self {
        let c: &Content = &r.content;
        RevisionOut {
            revision: r.revision,
            author: r.author.as_ref().map(person),
            at: r.at,
            summary: r.summary.clone(),
            restored_from: r.restored_from,
            kind: c.kind.as_str().into(),
            title: c.title.clone(),
            body: c.body.clone(),
            context: c.context.clone(),
            decision: c.decision.clone(),
            consequences: c.consequences.clone(),
            decision_status: c.decision_status.map(|s| s.as_str().into()),
            tags: c.tags.clone(),
            review_days: c.review_days,
        }
    }
}

/// Which two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older revision (default: the one before `to`).
    pub from: Option<i64>,
    /// The newer revision (default: the current one).
    pub to: Option<i64>,
}

/// A run of text in a diff line.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffPieceOut {
    /// kept, removed or added.
    pub change: String,
    /// The text.
    pub text: String,
}

/// One line of a diff.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffLineOut {
    /// kept, removed or added.
    pub change: String,
    /// The line; changed words carry the line's change.
    pub pieces: Vec<DiffPieceOut>,
}

fn change(c: Change) -> String {
    match c {
        Change::Kept => "kept",
        Change::Removed => "removed",
        Change::Added => "added",
    }
    .into()
}

/// A diff between two revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffOut {
    /// The older revision.
    pub from: i64,
    /// The newer revision.
    pub to: i64,
    /// Line by line.
    pub lines: Vec<DiffLineOut>,
}

impl DiffOut {
    /// The diff `lines` from `from` to `to`.
    pub fn new(from: i64, to: i64, lines: Vec<DiffLine>) -> Self {
        DiffOut {
            from,
            to,
            lines: lines
                .into_iter()
                .map(|l| DiffLineOut {
                    change: change(l.change),
                    pieces: l
                        .pieces
                        .into_iter()
                        .map(|p| DiffPieceOut {
                            change: change(p.change),
                            text: p.text,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A review: "still true".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewIn {
    /// Optional note.
    #[serde(default)]
    pub note: String,
}

/// "I used this".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReuseIn {
    /// For which team; yours when absent.
    #[serde(default)]
    pub team: String,
    /// Where or how.
    #[serde(default)]
    pub note: String,
}

/// A new owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerIn {
    /// A member of the community.
    pub owner_id: i64,
}

/// A link to add or remove.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    /// artifact or thread.
    pub target_type: String,
    /// Its id (of the same community).
    pub target_id: i64,
}

/// The revision to restore.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreIn {
    /// Its number.
    pub revision: i64,
}

/// What to promote.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromoteIn {
    /// The accepted answer, to promote it rather than the opening post.
    #[serde(default)]
    pub reply_id: Option<i64>,
    /// The artifact's kind (default guide).
    #[serde(default)]
    pub kind: String,
}

/// An artifact that matches a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactHitOut {
    /// Always `artifact` (thread results say `thread`).
    pub result: String,
    /// The artifact.
    pub artifact_id: i64,
    /// Title.
    pub title: String,
    /// Its kind.
    pub kind: String,
    /// Its community's address.
    pub community: String,
    /// The matching passage as HTML, matches in `<mark>`.
    pub snippet: String,
    /// Last revised.
    pub at: DateTime<Utc>,
}

impl From<ArtifactHit> for ArtifactHitOut {
    fn from(h: ArtifactHit) -> Self {
        ArtifactHitOut {
            result: "artifact".into(),
            artifact_id: h.artifact_id,
            title: h.title,
            kind: h.kind.as_str().into(),
            community: h.community_slug,
            snippet: crate::markdown::snippet(&h.snippet),
            at: h.at,
        }
    }
}
