//! Notes promoted into the practice: a facilitator or steward turns an
//! occurrence's notes into a draft artifact (a story, a guide, ...) that
//! names the occurrence as its source, for the community to rework and
//! publish. The artifact is made by the practice's own store function.

use domain::practice::{ArtifactKind, ArtifactState, ContentDraft};
use store::practice::{NewArtifact, Source};

use super::*;

/// What a promotion asks for: the artifact's kind and, optionally, its title.
#[derive(Debug, Clone, Default)]
pub struct Promotion {
    /// The kind's wire name (`story`, `guide`, ...).
    pub kind: String,
    /// Title; empty for the gathering's title and date.
    pub title: String,
}

/// The title a promotion gets unless given one: the series and the date.
pub fn default_title(a: &SeriesAccess, o: &Occurrence) -> String {
    let local = o.start.with_timezone(&a.schedule.zone());
    format!("{}, {}", a.record.title, local.format("%-d %B %Y"))
}

/// Promotes the notes of occurrence `o` into a draft artifact (the series'
/// facilitators, the date's facilitator and stewards). Returns its id.
pub async fn promote_notes(
    state: &AppState,
    a: &SeriesAccess,
    o: &Occurrence,
    promotion: &Promotion,
) -> Result<i64, WebError> {
    let facilitated = a
        .record
        .occurrence(o.recurrence_id)
        .and_then(|k| k.facilitator_id)
        == Some(a.me());
    if !(facilitated && a.role.is_some()) {
        require_facilitator(state, a).await?;
    }
    require_writable(&a.community)?;
    let notes = a
        .record
        .occurrence(o.recurrence_id)
        .map(|k| k.notes.trim().to_owned())
        .unwrap_or_default();
    if notes.is_empty() {
        return Err(Invalid::new("notes", "this date has no notes to promote yet").into());
    }
    let kind: ArtifactKind = promotion.kind.parse()?;
    if kind == ArtifactKind::DecisionRecord {
        return Err(Invalid::new(
            "kind",
            "a decision record needs its decision written out: promote the notes as another kind",
        )
        .into());
    }
    let r = a.record.occurrence_ref(o.recurrence_id);
    let title = match promotion.title.trim() {
        "" => default_title(a, o),
        t => t.to_owned(),
    };
    let body = format!(
        "{notes}\n\n*From the notes of [{}](/occurrences/{}).*",
        default_title(a, o).replace(['[', ']'], ""),
        r.key()
    );
    let content = ContentDraft {
        kind: kind.as_str().to_owned(),
        title,
        body,
        ..ContentDraft::default()
    }
    .check()
    .map_err(|mut e| {
        if e.field == "body" {
            e.field = "notes".into();
        }
        e
    })?;
    let number = state.store.occurrence_number(&r).await?;
    Ok(state
        .store
        .create_artifact(
            &NewArtifact {
                community_id: a.community.id,
                author_id: a.me(),
                owner_id: None,
                content,
                state: ArtifactState::Draft,
                source: Source {
                    occurrence_id: Some(number),
                    ..Source::default()
                },
                summary: "Promoted from a gathering's notes".into(),
            },
            state.clock.now(),
        )
        .await?)
}
