//! The terminal dashboard: figures grouped as METRICS.md groups them, the
//! weekly series as sparklines, vitality's breakdown, stage evidence and
//! diagnoses with their interventions.

use std::fmt::Write;

use super::chart::sparkline;
use super::format::{count, duration, label, number, percent, value};
use crate::report::{Portfolio, ScopeReport};

const SERIES_WEEKS: usize = 12;

fn bar(score: f64) -> String {
    let filled = (score * 2.0).round().clamp(0.0, 10.0) as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// One community's (or the organisation's) dashboard.
pub fn text_community(r: &ScopeReport) -> String {
    let m = &r.metrics;
    let mut out = String::new();
    let name = r
        .community
        .as_deref()
        .unwrap_or("the organisation (all communities)");
    let _ = writeln!(out, "━━ {name} ━━");
    let _ = writeln!(
        out,
        "window {} → {} ({} days)",
        r.window.start, r.window.end, r.window.days
    );
    let _ = writeln!(
        out,
        "vitality {:.1}/5 {}   stage: {}",
        r.vitality.score,
        bar(r.vitality.score),
        r.stage.name
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "activity  active members {} · contributions {} · threads {} · replies {} · gatherings {} · mean attendance {} · RSVP show rate {}",
        count(m.active_members),
        count(m.contributions),
        count(m.threads),
        count(m.replies),
        count(m.gatherings_held),
        number(m.mean_attendance),
        percent(m.rsvp_show_rate),
    );
    let _ = writeln!(
        out,
        "value     questions {} · answered in 7 days {} · solved {} · median first response {} · unanswered {} · artifacts created {} · reused {} · reuse ratio {}",
        count(m.questions),
        percent(m.answered_share),
        percent(m.solved_share),
        duration(m.median_first_response),
        count(m.unanswered),
        count(m.artifacts_created),
        count(m.artifacts_reused),
        number(m.reuse_ratio),
    );
    let _ = writeln!(
        out,
        "health    gini {:.2} · top 10% share {} · bus factor {} · newcomers {} · retention {} · teams {} (evenness {:.2}) · cross-team replies {} · reciprocity {} · facilitators {} · fresh {} ({} stale) · pulse {}",
        m.gini,
        percent(m.top10_share),
        count(m.bus_factor),
        count(m.newcomers),
        percent(m.newcomer_retention),
        count(m.teams_active),
        m.team_evenness,
        percent(m.cross_team_reply_share),
        percent(m.reciprocity),
        count(m.facilitator_rotation),
        percent(m.fresh_share),
        count(m.stale),
        number(m.pulse_mean),
    );
    let recent = &r.series[r.series.len().saturating_sub(SERIES_WEEKS)..];
    if !recent.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "last {} weeks", recent.len());
        let lines: [(&str, Vec<u64>); 4] = [
            (
                "active members",
                recent.iter().map(|w| w.active_members).collect(),
            ),
            (
                "contributions",
                recent.iter().map(|w| w.contributions).collect(),
            ),
            ("newcomers", recent.iter().map(|w| w.newcomers).collect()),
            ("threads", recent.iter().map(|w| w.threads).collect()),
        ];
        for (name, values) in lines {
            let last = values.last().copied().unwrap_or(0);
            let _ = writeln!(out, "  {name:<15} {}  (last {last})", sparkline(&values));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "vitality breakdown");
    for c in &r.vitality.components {
        let inputs: Vec<String> = c
            .inputs
            .iter()
            .map(|(k, v)| format!("{} {}", label(k), value(v)))
            .collect();
        match (c.value, c.contribution) {
            (Some(v), Some(points)) => {
                let _ = writeln!(
                    out,
                    "  {:<19} value {v:.2} × weight {:.2} = {points:.2}   ({})",
                    c.name,
                    c.effective_weight.unwrap_or(0.0),
                    inputs.join(", ")
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  {:<19} left out: no data ({})",
                    c.name,
                    inputs.join(", ")
                );
            }
        }
    }
    if let Some(note) = &r.vitality.note {
        let _ = writeln!(out, "  note: {note}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "stage: {}", r.stage.name);
    for e in &r.stage.evidence {
        let figures: Vec<String> = e
            .figures
            .iter()
            .map(|(k, v)| format!("{} {}", label(k), value(v)))
            .collect();
        let mark = if e.holds { "✓" } else { "✗" };
        let _ = writeln!(
            out,
            "  {mark} {:<14} {} [{}]",
            e.stage,
            e.rule,
            figures.join(", ")
        );
    }
    let _ = writeln!(out);
    if r.diagnoses.is_empty() {
        let _ = writeln!(out, "diagnoses: none");
    } else {
        let _ = writeln!(out, "diagnoses");
        for d in &r.diagnoses {
            let figures: Vec<String> = d
                .figures
                .iter()
                .map(|(k, v)| format!("{} {}", label(k), value(v)))
                .collect();
            let _ = writeln!(out, "  ▲ {} — {}", d.title, figures.join(", "));
            for i in &d.interventions {
                let _ = writeln!(out, "      · {i}");
            }
        }
    }
    out
}

/// The organisation's dashboard, an overview line per community, then each
/// community's dashboard.
pub fn text_portfolio(p: &Portfolio) -> String {
    let mut out = text_community(&p.organisation);
    let _ = writeln!(out);
    let _ = writeln!(out, "communities ({})", p.communities.len());
    let width = p
        .communities
        .iter()
        .filter_map(|c| c.community.as_ref().map(|n| n.chars().count()))
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>8}  {:<14}  {:<12}  flags",
        "community", "vitality", "stage", "12 weeks"
    );
    for c in &p.communities {
        let recent = &c.series[c.series.len().saturating_sub(SERIES_WEEKS)..];
        let spark = sparkline(&recent.iter().map(|w| w.active_members).collect::<Vec<_>>());
        let flags: Vec<&str> = c.diagnoses.iter().map(|d| d.name).collect();
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8.1}  {:<14}  {:<12}  {}",
            c.community.as_deref().unwrap_or(""),
            c.vitality.score,
            c.stage.name,
            spark,
            flags.join(", ")
        );
    }
    for c in &p.communities {
        let _ = writeln!(out);
        out.push_str(&text_community(c));
    }
    out
}
