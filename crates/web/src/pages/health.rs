//! Health pages: a community's health (charts of its weekly series,
//! vitality with its breakdown, stage with evidence, diagnoses with what to
//! try and where) and the organisation's portfolio of communities.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use health::render::chart;
use health::render::format as figure;
use health::report::ScopeReport;

use super::{Chrome, render};
use crate::AppState;
use crate::api::communities_access::Seen;
use crate::auth::PageMember;
use crate::error::PageError;
use crate::health_view::{self, PortfolioRow};

/// A diagnosis as the page shows it.
struct DiagnosisView {
    title: String,
    figures: String,
    interventions: Vec<String>,
    act_href: String,
    act_label: &'static str,
}

/// One vitality component as the page shows it.
struct ComponentView {
    name: String,
    value: String,
    weight: String,
    contribution: String,
    inputs: String,
}

#[derive(Template)]
#[template(path = "community_health.html")]
struct HealthPage {
    chrome: Chrome,
    slug: String,
    name: String,
    as_of: String,
    has_report: bool,
    score: String,
    stage: String,
    evidence: Vec<(bool, String, String)>,
    vitality_note: Option<String>,
    components: Vec<ComponentView>,
    figures: Vec<(String, String)>,
    charts: Vec<String>,
    diagnoses: Vec<DiagnosisView>,
}

fn inputs(map: &serde_json::Map<String, serde_json::Value>) -> String {
    map.iter()
        .map(|(k, v)| format!("{} {}", figure::label(k), figure::value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn charts(r: &ScopeReport) -> Vec<String> {
    let recent: Vec<_> = r.series.iter().rev().take(26).rev().collect();
    let labels: Vec<String> = recent
        .iter()
        .map(|w| {
            health::instant::to_datetime(w.week_start)
                .format("%d %b")
                .to_string()
        })
        .collect();
    let series =
        |f: fn(&health::series::WeekRow) -> u64| recent.iter().map(|w| f(w)).collect::<Vec<_>>();
    vec![
        chart::bars(
            "Active members per week",
            &labels,
            &series(|w| w.active_members),
            "#1f5fa8",
        ),
        chart::bars(
            "Contributions per week",
            &labels,
            &series(|w| w.contributions),
            "#2e7d32",
        ),
        chart::bars(
            "Newcomers per week",
            &labels,
            &series(|w| w.newcomers),
            "#8e44ad",
        ),
        chart::bars(
            "Threads and replies per week",
            &labels,
            &series(|w| w.threads + w.replies),
            "#b35c00",
        ),
    ]
}

fn view(
    r: &ScopeReport,
    slug: &str,
) -> (
    Vec<(String, String)>,
    Vec<DiagnosisView>,
    Vec<ComponentView>,
) {
    let m = &r.metrics;
    let figures = vec![
        ("Active members".into(), figure::count(m.active_members)),
        ("Contributions".into(), figure::count(m.contributions)),
        ("Newcomers".into(), figure::count(m.newcomers)),
        (
            "Newcomer retention".into(),
            figure::percent(m.newcomer_retention),
        ),
        (
            "Questions answered within 7 days".into(),
            figure::percent(m.answered_share),
        ),
        (
            "Median first response".into(),
            figure::duration(m.median_first_response),
        ),
        ("Unanswered questions".into(), figure::count(m.unanswered)),
        (
            "Contribution inequality (Gini)".into(),
            figure::number(Some(m.gini)),
        ),
        ("Bus factor".into(), figure::count(m.bus_factor)),
        ("Teams taking part".into(), figure::count(m.teams_active)),
        (
            "Cross-team replies".into(),
            figure::percent(m.cross_team_reply_share),
        ),
        ("Gatherings held".into(), figure::count(m.gatherings_held)),
        ("Fresh practice".into(), figure::percent(m.fresh_share)),
        ("Pulse (1–5)".into(), figure::number(m.pulse_mean)),
    ];
    let diagnoses = r
        .diagnoses
        .iter()
        .map(|d| {
            let (act_href, act_label) = health_view::act_on(d.name, slug);
            DiagnosisView {
                title: d.title.to_owned(),
                figures: inputs(&d.figures),
                interventions: d.interventions.iter().map(|s| (*s).to_owned()).collect(),
                act_href,
                act_label,
            }
        })
        .collect();
    let components = r
        .vitality
        .components
        .iter()
        .map(|c| ComponentView {
            name: figure::label(c.name),
            value: figure::number(c.value),
            weight: figure::number(c.effective_weight),
            contribution: figure::number(c.contribution),
            inputs: inputs(&c.inputs),
        })
        .collect();
    (figures, diagnoses, components)
}

async fn community_health(
    State(state): State<AppState>,
    seen: Seen,
) -> Result<Html<String>, PageError> {
    let snap = health_view::snapshot(&state)?;
    let c = &seen.community;
    let chrome = Chrome::new(
        &seen.visitor,
        format!("Health of {}", c.charter.name),
        "communities",
    );
    let mut page = HealthPage {
        chrome,
        slug: c.slug.clone(),
        name: c.charter.name.clone(),
        as_of: health_view::as_of(snap.computed_at),
        has_report: false,
        score: String::new(),
        stage: String::new(),
        evidence: Vec::new(),
        vitality_note: None,
        components: Vec::new(),
        figures: Vec::new(),
        charts: Vec::new(),
        diagnoses: Vec::new(),
    };
    if let Some(r) = health_view::community_report(&snap, &c.slug) {
        let (figures, diagnoses, components) = view(r, &c.slug);
        page.has_report = true;
        page.score = format!("{:.1}", r.vitality.score);
        page.stage = r.stage.name.to_owned();
        page.evidence = r
            .stage
            .evidence
            .iter()
            .map(|e| {
                (
                    e.holds,
                    e.stage.to_owned(),
                    format!("{} [{}]", e.rule, inputs(&e.figures)),
                )
            })
            .collect();
        page.vitality_note = r.vitality.note.clone();
        page.components = components;
        page.figures = figures;
        page.charts = charts(r);
        page.diagnoses = diagnoses;
    }
    render(&page)
}

struct PortfolioLine {
    slug: String,
    name: String,
    private: bool,
    stage: String,
    score: String,
    spark: String,
    flags: Vec<String>,
    overlaps: Vec<(String, String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    chrome: Chrome,
    as_of: String,
    lines: Vec<PortfolioLine>,
}

fn line(row: PortfolioRow) -> PortfolioLine {
    match &row.report {
        Some(r) => {
            let weeks: Vec<u64> = r
                .series
                .iter()
                .rev()
                .take(12)
                .rev()
                .map(|w| w.active_members)
                .collect();
            PortfolioLine {
                stage: r.stage.name.to_owned(),
                score: format!("{:.1}", r.vitality.score),
                spark: chart::spark_svg(&weeks),
                flags: r.diagnoses.iter().map(|d| d.title.to_owned()).collect(),
                slug: row.slug,
                name: row.name,
                private: row.private,
                overlaps: row.overlaps,
            }
        }
        None => PortfolioLine {
            stage: "potential".into(),
            score: "—".into(),
            spark: String::new(),
            flags: vec!["No activity yet".into()],
            slug: row.slug,
            name: row.name,
            private: row.private,
            overlaps: row.overlaps,
        },
    }
}

async fn portfolio(
    State(state): State<AppState>,
    member: PageMember,
) -> Result<Html<String>, PageError> {
    let snap = health_view::snapshot(&state)?;
    let rows = health_view::portfolio_rows(&state, &snap, member.user.person.id).await?;
    render(&PortfolioPage {
        chrome: Chrome::new(&member.visitor, "Portfolio", "portfolio"),
        as_of: health_view::as_of(snap.computed_at),
        lines: rows.into_iter().map(line).collect(),
    })
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/communities/{slug}/health", get(community_health))
        .route("/portfolio", get(portfolio))
}
