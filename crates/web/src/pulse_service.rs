//! Pulse surveys as both the pages and the API use them: stewards open and
//! close a pulse; members answer once, anonymously; results appear only from
//! five answers up.

use domain::pulse::{self, MIN_ANSWERS_SHOWN};
use store::pulses::{Pulse, PulseResults};

use crate::AppState;
use crate::api::communities_access::{Seen, require_writable};
use crate::error::WebError;

/// A pulse with what the viewer may know of it.
#[derive(Debug, Clone)]
pub struct PulseView {
    /// The pulse.
    pub pulse: Pulse,
    /// Whether the viewer has answered.
    pub answered: bool,
    /// Results, when there are enough answers.
    pub results: Option<PulseResults>,
}

/// Opens a pulse (stewards only).
pub async fn open(state: &AppState, seen: &Seen, question: &str) -> Result<i64, WebError> {
    seen.require_steward()?;
    require_writable(&seen.community)?;
    let question = pulse::question(question)?;
    Ok(state
        .store
        .open_pulse(seen.community.id, &question, seen.me(), state.clock.now())
        .await?)
}

/// The pulse `id` if it belongs to the viewer's community.
async fn of_community(state: &AppState, seen: &Seen, id: i64) -> Result<Pulse, WebError> {
    let p = state.store.pulse(id).await?;
    if p.community_id != seen.community.id {
        return Err(WebError::NotFound);
    }
    Ok(p)
}

/// Answers pulse `id` (members only, once).
pub async fn answer(
    state: &AppState,
    seen: &Seen,
    id: i64,
    value: i64,
    comment: &str,
) -> Result<(), WebError> {
    if seen.role.is_none() {
        return Err(WebError::Forbidden(
            "only members of this community answer its pulses".into(),
        ));
    }
    require_writable(&seen.community)?;
    of_community(state, seen, id).await?;
    let value = pulse::answer(value)?;
    let comment = pulse::comment(comment)?;
    state
        .store
        .answer_pulse(id, seen.me(), value, comment.as_deref(), state.clock.now())
        .await?;
    Ok(())
}

/// Closes pulse `id` (stewards only).
pub async fn close(state: &AppState, seen: &Seen, id: i64) -> Result<(), WebError> {
    seen.require_steward()?;
    of_community(state, seen, id).await?;
    Ok(state.store.close_pulse(id, state.clock.now()).await?)
}

/// Every pulse of the community, newest first, as the viewer may see it.
pub async fn list(state: &AppState, seen: &Seen) -> Result<Vec<PulseView>, WebError> {
    let mut out = Vec::new();
    for p in state.store.pulses(seen.community.id).await? {
        let results = if p.answers >= MIN_ANSWERS_SHOWN {
            state.store.pulse_results(p.id).await?
        } else {
            None
        };
        out.push(PulseView {
            answered: state.store.has_answered(p.id, seen.me()).await?,
            results,
            pulse: p,
        });
    }
    Ok(out)
}
