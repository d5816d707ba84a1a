//! The time-zone fairness of a series in the browser: each member's local
//! start and working hours, and the out-of-hours burden per member and per
//! zone with the time fixed and with the suggested rotation of start times.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::{Chrome, render};
use crate::AppState;
use crate::auth::PageMember;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::gathering_service::{self as gs, FairnessView, SeriesAccess};

/// A row of the fairness table.
struct FairRow {
    name: String,
    zone: String,
    local: String,
    hours: String,
    out_of_hours: bool,
    before: i64,
    after: i64,
}

#[derive(Template)]
#[template(path = "gathering_fairness.html")]
struct FairnessPage {
    chrome: Chrome,
    a: SeriesAccess,
    rows: Vec<FairRow>,
    zones: Vec<(String, usize, i64, i64)>,
    rotation: Vec<String>,
    current: String,
    worst_before: i64,
    worst_after: i64,
}

fn fair_rows(v: &FairnessView) -> Vec<FairRow> {
    let c = &v.comparison;
    c.fixed
        .members
        .iter()
        .zip(&c.suggested.members)
        .map(|(b, s)| {
            let slot = b.slots.first();
            let hours = v.hours.get(&b.person).copied().unwrap_or_default();
            FairRow {
                name: v.names.get(&b.person).cloned().unwrap_or_default(),
                zone: b.zone.name().to_owned(),
                local: slot
                    .map(|s| s.local_start.format("%a %H:%M").to_string())
                    .unwrap_or_default(),
                hours: format!("{}–{}", hours.start_text(), hours.end_text()),
                out_of_hours: slot.is_some_and(|s| s.out_of_hours()),
                before: b.burden,
                after: s.burden,
            }
        })
        .collect()
}

async fn fairness(
    State(state): State<AppState>,
    member: PageMember,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let a = gs::series(&state, &member.user, id).await?;
    let v = gs::fairness_view(&state, &a).await?;
    let c = &v.comparison;
    let local = |at: DateTime<Utc>| at.with_timezone(&v.zone).format("%H:%M").to_string();
    let zones = c
        .fixed
        .zones
        .iter()
        .map(|z| {
            let after = c
                .suggested
                .zones
                .iter()
                .find(|s| s.zone == z.zone)
                .map_or(0, |s| s.total);
            (z.zone.name().to_owned(), z.members, z.total, after)
        })
        .collect();
    render(&FairnessPage {
        chrome: Chrome::new(
            &member.visitor,
            format!("Time-zone fairness of {}", a.record.title),
            "communities",
        ),
        rows: fair_rows(&v),
        zones,
        rotation: c
            .suggested
            .rotation
            .iter()
            .map(|&i| local(v.slots[i]))
            .collect(),
        current: local(v.slots[v.current]),
        worst_before: c.fixed.worst,
        worst_after: c.suggested.worst,
        a,
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/gatherings/{id}/fairness", get(fairness))
}
