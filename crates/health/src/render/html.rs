//! One self-contained HTML page: inline CSS, server-side SVG charts, no
//! scripts and no external assets; every piece of text HTML-escaped.

use std::fmt::Write;

use serde_json::{Map, Value};

use super::chart;
use super::format::{label, value};
use crate::lookup;
use crate::report::{Portfolio, ScopeReport};

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1a202c;background:#f7f7f5}
main{max-width:980px;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .4rem}h3{font-size:1.05rem;margin:1rem 0 .3rem}
section.scope{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem 1.25rem;margin:1.25rem 0}
.meta{color:#4a5568}.score{font-size:2rem;font-weight:700;color:#22543d}
.stage{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:#ebf8ff;color:#2a4365;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{font-weight:600;color:#2d3748}td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:.5rem 1.5rem}
svg{width:100%;height:auto;max-width:640px}svg .chart-title{font-size:12px;font-weight:600;fill:#2d3748}svg .axis{font-size:11px;fill:#4a5568}
.diagnosis{border-left:4px solid #c05621;padding:.2rem .8rem;margin:.6rem 0;background:#fffaf0}
.holds{color:#22543d;font-weight:700}.fails{color:#a0aec0}
";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
        escape(title)
    )
}

const GROUPS: [(&str, &[&str]); 3] = [
    (
        "Activity",
        &[
            "active_members",
            "contributions",
            "threads",
            "replies",
            "gatherings_held",
            "mean_attendance",
            "rsvp_show_rate",
        ],
    ),
    (
        "Value",
        &[
            "questions",
            "answered_share",
            "solved_share",
            "median_first_response",
            "unanswered",
            "artifacts_created",
            "artifacts_reused",
            "reuse_ratio",
        ],
    ),
    (
        "Health",
        &[
            "gini",
            "top10_share",
            "bus_factor",
            "newcomers",
            "newcomer_retention",
            "teams_active",
            "team_evenness",
            "cross_team_reply_share",
            "reciprocity",
            "facilitator_rotation",
            "fresh_share",
            "stale",
            "pulse_mean",
        ],
    ),
];

fn figure_rows(figures: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (k, v) in figures {
        let _ = write!(out, "{}: {}; ", escape(&label(k)), escape(&value(v)));
    }
    out.trim_end_matches("; ").to_owned()
}

fn anchor(r: &ScopeReport) -> String {
    match &r.community {
        Some(name) => format!("c-{}", escape(name)),
        None => "organisation".to_owned(),
    }
}

/// The body section of one scope.
fn section(r: &ScopeReport) -> String {
    let mut out = String::new();
    let name = r
        .community
        .as_deref()
        .unwrap_or("The organisation (all communities)");
    let _ = write!(
        out,
        r#"<section class="scope" id="{}" aria-labelledby="{}-h">"#,
        anchor(r),
        anchor(r)
    );
    let _ = write!(
        out,
        r#"<h2 id="{}-h">{}</h2><p class="meta">Window {} → {} ({} days)</p>"#,
        anchor(r),
        escape(name),
        escape(&r.window.start),
        escape(&r.window.end),
        r.window.days
    );
    let _ = write!(
        out,
        r#"<p><span class="score">{:.1}</span> / 5 vitality &nbsp; <span class="stage">{}</span></p>"#,
        r.vitality.score,
        escape(r.stage.name)
    );
    out.push_str(r#"<div class="grid">"#);
    for (group, names) in GROUPS {
        let _ = write!(out, "<div><h3>{group}</h3><table>");
        for name in names {
            let v = lookup::figure(&r.metrics, &r.context, name);
            let _ = write!(
                out,
                r#"<tr><th scope="row">{}</th><td class="num">{}</td></tr>"#,
                escape(&label(name)),
                escape(&value(&v))
            );
        }
        out.push_str("</table></div>");
    }
    out.push_str("</div>");

    let labels: Vec<String> = r
        .series
        .iter()
        .map(|w| crate::instant::format(w.week_start)[..10].to_owned())
        .collect();
    let series: [(&str, Vec<u64>, &str); 3] = [
        (
            "Weekly active members",
            r.series.iter().map(|w| w.active_members).collect(),
            "#2b6cb0",
        ),
        (
            "Weekly contributions",
            r.series.iter().map(|w| w.contributions).collect(),
            "#2f855a",
        ),
        (
            "Weekly newcomers",
            r.series.iter().map(|w| w.newcomers).collect(),
            "#b7791f",
        ),
    ];
    out.push_str("<h3>Weekly series</h3>");
    for (title, values, colour) in series {
        out.push_str(&chart::bars(title, &labels, &values, colour));
    }

    out.push_str("<h3>Vitality breakdown</h3>");
    let items: Vec<(String, Option<f64>, Option<f64>)> = r
        .vitality
        .components
        .iter()
        .map(|c| {
            (
                label(c.name),
                c.contribution,
                c.effective_weight.map(|w| 5.0 * w),
            )
        })
        .collect();
    out.push_str(&chart::components(&items));
    out.push_str(r#"<table><tr><th>component</th><th>inputs</th><th>value</th><th>weight</th><th>effective weight</th><th>points</th></tr>"#);
    for c in &r.vitality.components {
        let opt = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.2}"));
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{:.2}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&label(c.name)),
            figure_rows(&c.inputs),
            opt(c.value),
            c.weight,
            opt(c.effective_weight),
            opt(c.contribution)
        );
    }
    out.push_str("</table>");
    if let Some(note) = &r.vitality.note {
        let _ = write!(out, r#"<p class="meta">{}</p>"#, escape(note));
    }

    let _ = write!(out, "<h3>Stage: {}</h3><table>", escape(r.stage.name));
    for e in &r.stage.evidence {
        let (class, mark) = if e.holds {
            ("holds", "holds")
        } else {
            ("fails", "does not hold")
        };
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="{class}">{mark}</td></tr>"#,
            escape(e.stage),
            escape(e.rule),
            figure_rows(&e.figures)
        );
    }
    out.push_str("</table>");

    out.push_str("<h3>Diagnoses</h3>");
    if r.diagnoses.is_empty() {
        out.push_str("<p>None: no recognised challenge is showing.</p>");
    }
    for d in &r.diagnoses {
        let _ = write!(
            out,
            r#"<div class="diagnosis"><strong>{}</strong><p class="meta">{} — {}</p><ul>"#,
            escape(d.title),
            escape(d.rule),
            figure_rows(&d.figures)
        );
        for i in &d.interventions {
            let _ = write!(out, "<li>{}</li>", escape(i));
        }
        out.push_str("</ul></div>");
    }
    out.push_str("</section>");
    out
}

/// One community's report as a page.
pub fn html_community(r: &ScopeReport) -> String {
    let name = r.community.as_deref().unwrap_or("organisation");
    let body = format!("<h1>Community health: {}</h1>{}", escape(name), section(r));
    page(&format!("Community health: {name}"), &body)
}

/// The organisation, an overview of every community and each one's section.
pub fn html_portfolio(p: &Portfolio) -> String {
    let mut body = String::from("<h1>Community health: portfolio</h1>");
    let _ = write!(
        body,
        r#"<p class="meta">Window {} → {} ({} days) · {} communities</p>"#,
        escape(&p.window.start),
        escape(&p.window.end),
        p.window.days,
        p.communities.len()
    );
    body.push_str(r#"<table><tr><th>community</th><th>stage</th><th>vitality</th><th>active members, 12 weeks</th><th>flags</th></tr>"#);
    for c in &p.communities {
        let recent: Vec<u64> = c.series[c.series.len().saturating_sub(12)..]
            .iter()
            .map(|w| w.active_members)
            .collect();
        let flags: Vec<String> = c.diagnoses.iter().map(|d| escape(&label(d.name))).collect();
        let _ = write!(
            body,
            r##"<tr><td><a href="#{}">{}</a></td><td>{}</td><td class="num">{:.1}</td><td>{}</td><td>{}</td></tr>"##,
            anchor(c),
            escape(c.community.as_deref().unwrap_or("")),
            escape(c.stage.name),
            c.vitality.score,
            chart::spark_svg(&recent),
            flags.join(", ")
        );
    }
    body.push_str("</table>");
    body.push_str(&section(&p.organisation));
    for c in &p.communities {
        body.push_str(&section(c));
    }
    page("Community health: portfolio", &body)
}
