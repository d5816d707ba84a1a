//! The demo's practice: a few artifacts in the first community — a fresh
//! guide, a decision record reused by two teams, and a checklist past its
//! review interval — so the practice pages are not empty. Added once.

use chrono::{DateTime, Duration, Utc};
use domain::practice::{ArtifactState, ContentDraft};
use store::Store;
use store::practice::{ArtifactFilter, NewArtifact, Source};

/// Adds the demo artifacts to community `slug` (owned by `members`' first
/// ones) unless it has artifacts already. Returns how many were added.
pub async fn load(
    store: &Store,
    slug: &str,
    members: &[i64],
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let Some(community) = store.community_id(slug).await? else {
        return Ok(0);
    };
    if members.len() < 2
        || !store
            .artifacts(community, &ArtifactFilter::default(), 1)
            .await?
            .is_empty()
    {
        return Ok(0);
    }
    let drafts = [
        (
            0,
            120,
            ContentDraft {
                kind: "checklist".into(),
                title: "New service observability checklist".into(),
                body: "- [ ] RED metrics exported\n- [ ] Traces sampled at the edge\n- [ ] Alerts routed to the owning team\n- [ ] Dashboard linked from the runbook".into(),
                tags: "alerts, dashboards".into(),
                ..ContentDraft::default()
            },
        ),
        (
            1,
            40,
            ContentDraft {
                kind: "decision_record".into(),
                title: "Use OpenTelemetry for all new services".into(),
                context: "Three tracing libraries are in use and traces break at their borders.".into(),
                decision: "New services instrument with OpenTelemetry and export OTLP.".into(),
                consequences: "Old services migrate when next touched; the collector is run centrally.".into(),
                decision_status: "accepted".into(),
                tags: "tracing, opentelemetry".into(),
                ..ContentDraft::default()
            },
        ),
        (
            0,
            10,
            ContentDraft {
                kind: "guide".into(),
                title: "Writing an alert someone can act on".into(),
                body: "An alert names **what** is wrong, **who** owns it and **where** the runbook is.\n\nPage only for what needs a human now.".into(),
                tags: "alerts".into(),
                ..ContentDraft::default()
            },
        ),
    ];
    let mut added = 0;
    for (owner, days_ago, draft) in drafts {
        let at = now - Duration::days(days_ago);
        let id = store
            .create_artifact(
                &NewArtifact {
                    community_id: community,
                    author_id: members[owner],
                    owner_id: None,
                    content: draft.check()?,
                    state: ArtifactState::Published,
                    source: Source::default(),
                    summary: "First version".into(),
                },
                at,
            )
            .await?;
        if draft.kind == "decision_record" {
            for (k, &m) in members.iter().take(3).enumerate() {
                store
                    .record_reuse(
                        id,
                        m,
                        None,
                        "new service",
                        at + Duration::days(k as i64 + 1),
                    )
                    .await?;
            }
        }
        added += 1;
    }
    Ok(added)
}
