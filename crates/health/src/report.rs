//! Assembling reports: one community's, or the organisation's with every
//! community's (the portfolio), each with figures, series, vitality, stage
//! and diagnoses, shaped as METRICS.md "The JSON report".

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnosis::{self, Diagnosis};
use crate::figures::{self, Context, Metrics, Scope};
use crate::instant;
use crate::log::ActivityLog;
use crate::series::WeekRow;
use crate::stage::{self, Stage};
use crate::vitality::{self, Vitality};
use crate::window::Window;

/// The window as the report states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowInfo {
    pub start: String,
    pub end: String,
    pub days: u32,
}

impl WindowInfo {
    pub fn of(window: &Window) -> WindowInfo {
        WindowInfo {
            start: instant::format(window.start()),
            end: instant::format(window.end),
            days: window.days,
        }
    }
}

/// The report of one scope: a community, or the organisation (`community`
/// null).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeReport {
    pub community: Option<String>,
    pub window: WindowInfo,
    pub metrics: Metrics,
    pub series: Vec<WeekRow>,
    pub vitality: Vitality,
    pub stage: Stage,
    pub diagnoses: Vec<Diagnosis>,
    /// Facts beyond the contract used by the rules; not part of the JSON.
    #[serde(skip)]
    pub context: Context,
}

/// The organisation and every community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Portfolio {
    pub window: WindowInfo,
    pub organisation: ScopeReport,
    pub communities: Vec<ScopeReport>,
}

fn assemble(community: Option<String>, scope: &Scope<'_>, window: &Window) -> ScopeReport {
    assemble_figures(community, figures::compute(scope, window), window)
}

fn assemble_figures(
    community: Option<String>,
    figures: figures::Figures,
    window: &Window,
) -> ScopeReport {
    let figures::Figures {
        metrics,
        context,
        series,
    } = figures;
    ScopeReport {
        community,
        window: WindowInfo::of(window),
        vitality: vitality::assess(&metrics, &context),
        stage: stage::assess(&metrics, &context),
        diagnoses: diagnosis::assess(&metrics, &context),
        metrics,
        series,
        context,
    }
}

/// The report of one community, or `None` if the log never names it (a
/// community named only after the window's end gets an empty report). The
/// log must be sorted ([`ActivityLog::sort`]).
pub fn community(log: &ActivityLog, name: &str, window: &Window) -> Option<ScopeReport> {
    let id = log.communities().get(name)?;
    let records: Vec<_> = log
        .sorted_records()
        .iter()
        .filter(|r| r.community == id)
        .copied()
        .collect();
    let scope = Scope::community(log, id, &records);
    Some(assemble(Some(name.to_owned()), &scope, window))
}

/// The organisation's report over all events.
pub fn organisation(log: &ActivityLog, window: &Window) -> ScopeReport {
    let offsets = log.subject_offsets();
    assemble(None, &Scope::organisation(log, &offsets), window)
}

/// The organisation and every community with an event before the window's
/// end (sorted by id), computed in parallel. The organisation's figures that
/// rest on the state of threads, artifacts and gatherings are the sums of
/// its communities' ([`figures::SubjectFacts`]), so its own pass leaves
/// subjects out.
pub fn portfolio(log: &ActivityLog, window: &Window) -> Portfolio {
    let offsets = log.subject_offsets();
    let ((mut organisation, _), communities) = rayon::join(
        || figures::compute_parts(&Scope::organisation(log, &offsets), window, false),
        || {
            let split = log.by_community();
            split
                .par_iter()
                .enumerate()
                .filter(|(_, records)| records.first().is_some_and(|r| r.at < window.end))
                .map(|(id, records)| {
                    let id = id as u32;
                    let scope = Scope::community(log, id, records);
                    let (mut figures, facts) = figures::compute_parts(&scope, window, true);
                    let own = facts.clone();
                    figures::apply_subject_facts(&mut figures, facts, log);
                    (log.communities().name(id).to_owned(), figures, own)
                })
                .collect::<Vec<_>>()
        },
    );
    let facts = figures::SubjectFacts::sum(communities.iter().map(|(_, _, facts)| facts));
    figures::apply_subject_facts(&mut organisation, facts, log);
    let organisation = assemble_figures(None, organisation, window);
    let mut communities: Vec<ScopeReport> = communities
        .into_par_iter()
        .map(|(name, figures, _)| assemble_figures(Some(name), figures, window))
        .collect();
    communities.sort_by(|a, b| a.community.cmp(&b.community));
    Portfolio {
        window: WindowInfo::of(window),
        organisation,
        communities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portfolio_organisation_is_the_organisation_alone() {
        let config = crate::synthetic::Config::scaled(11, 30_000);
        let log = crate::synthetic::activity_log(&config);
        for (end, days) in [
            (config.end, 28),
            (config.end - 200 * instant::DAY, 28),
            (config.end - 3 * instant::DAY + 17, 7),
            (config.end - 700 * instant::DAY, 90),
        ] {
            let window = Window::ending_at(end, days);
            let p = portfolio(&log, &window);
            assert_eq!(p.organisation, organisation(&log, &window), "end {end}");
            for c in &p.communities {
                let name = c.community.as_deref().unwrap();
                assert_eq!(Some(c), community(&log, name, &window).as_ref());
            }
        }
    }
}
