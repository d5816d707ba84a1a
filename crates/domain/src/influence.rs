//! The system of influence: which of the organisation's teams adopted a
//! community's practice artifacts, and how that spread month by month.
//! Pure: adoption records and the organisation's teams in, the grid of teams
//! × months (cumulative adoptions), the teams reached and the most adopted
//! artifacts out. `docs/practice.md` defines each figure.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::invalid::{Invalid, bounded_text};

/// Most months shown; earlier adoptions count in the first month shown.
pub const MAX_MONTHS: usize = 12;
/// Most artifacts listed among the most adopted.
pub const TOP_ARTIFACTS: usize = 10;
/// Longest adoption note accepted.
pub const MAX_NOTE: usize = 500;

/// One team's adoption of one artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptionFact {
    /// The artifact.
    pub artifact_id: i64,
    /// Its title.
    pub title: String,
    /// The adopting team.
    pub team: String,
    /// From when.
    pub adopted_on: NaiveDate,
}

/// One team's row: cumulative adoptions at the end of each month shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    /// Team name.
    pub team: String,
    /// Adoptions on or before the end of each month, in month order.
    pub cumulative: Vec<i64>,
}

impl TeamRow {
    /// Adoptions by the end of the last month shown.
    pub fn total(&self) -> i64 {
        self.cumulative.last().copied().unwrap_or(0)
    }
}

/// An artifact with how many teams adopted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactReach {
    /// The artifact.
    pub artifact_id: i64,
    /// Its title.
    pub title: String,
    /// Teams that adopted it.
    pub teams: i64,
}

/// Adoption across the organisation's teams over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Influence {
    /// The first day of each month shown, oldest first (empty without adoptions).
    pub months: Vec<NaiveDate>,
    /// Every team of the organisation, most adoptions first, then by name.
    pub rows: Vec<TeamRow>,
    /// Teams with at least one adoption by the end of each month.
    pub reached: Vec<i64>,
    /// Teams with at least one adoption, now.
    pub teams_reached: i64,
    /// Teams in the organisation (those adopting included).
    pub teams_total: i64,
    /// Adoption records.
    pub adoptions: i64,
    /// The artifacts adopted by the most teams (at most [`TOP_ARTIFACTS`]).
    pub top: Vec<ArtifactReach>,
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(m: NaiveDate) -> NaiveDate {
    m.checked_add_months(chrono::Months::new(1)).unwrap_or(m)
}

/// Computes the influence of `facts` as of `today` over the organisation's
/// `teams` (a fact's team missing from `teams` is added).
pub fn influence(facts: &[AdoptionFact], teams: &[String], today: NaiveDate) -> Influence {
    let facts: Vec<&AdoptionFact> = facts.iter().filter(|f| f.adopted_on <= today).collect();
    let mut names: BTreeSet<String> = teams.iter().cloned().collect();
    names.extend(facts.iter().map(|f| f.team.clone()));
    let mut months = Vec::new();
    if let Some(first) = facts.iter().map(|f| f.adopted_on).min() {
        let last = month_of(today);
        let mut m = month_of(first);
        while m <= last {
            months.push(m);
            m = next_month(m);
        }
        if months.len() > MAX_MONTHS {
            months.drain(..months.len() - MAX_MONTHS);
        }
    }
    let ends: Vec<NaiveDate> = months.iter().map(|m| next_month(*m)).collect();
    let by_team: BTreeMap<&str, Vec<NaiveDate>> =
        facts.iter().fold(BTreeMap::new(), |mut acc, f| {
            acc.entry(f.team.as_str())
                .or_insert_with(Vec::new)
                .push(f.adopted_on);
            acc
        });
    let mut rows: Vec<TeamRow> = names
        .iter()
        .map(|team| {
            let dates = by_team.get(team.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            TeamRow {
                team: team.clone(),
                cumulative: ends
                    .iter()
                    .map(|end| dates.iter().filter(|d| *d < end).count() as i64)
                    .collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.total().cmp(&a.total()).then(a.team.cmp(&b.team)));
    let reached = (0..months.len())
        .map(|i| rows.iter().filter(|r| r.cumulative[i] > 0).count() as i64)
        .collect();
    let mut per_artifact: HashMap<i64, (String, BTreeSet<&str>)> = HashMap::new();
    for f in &facts {
        per_artifact
            .entry(f.artifact_id)
            .or_insert_with(|| (f.title.clone(), BTreeSet::new()))
            .1
            .insert(f.team.as_str());
    }
    let mut top: Vec<ArtifactReach> = per_artifact
        .into_iter()
        .map(|(artifact_id, (title, teams))| ArtifactReach {
            artifact_id,
            title,
            teams: teams.len() as i64,
        })
        .collect();
    top.sort_by(|a, b| {
        b.teams
            .cmp(&a.teams)
            .then(a.title.cmp(&b.title))
            .then(a.artifact_id.cmp(&b.artifact_id))
    });
    top.truncate(TOP_ARTIFACTS);
    Influence {
        months,
        teams_reached: by_team.len() as i64,
        teams_total: names.len() as i64,
        adoptions: facts.len() as i64,
        rows,
        reached,
        top,
    }
}

/// Checks an adoption's date: a `YYYY-MM-DD` not after `today`.
pub fn adopted_on(value: &str, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    let d = crate::experiment::date("adopted_on", value)?;
    if d > today {
        return Err(Invalid::new(
            "adopted_on",
            format!("{d} is in the future; record an adoption once it has happened"),
        ));
    }
    Ok(d)
}

/// Checks an adoption's optional note.
pub fn note(value: &str) -> Result<String, Invalid> {
    bounded_text("note", value, MAX_NOTE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fact(id: i64, team: &str, on: &str) -> AdoptionFact {
        AdoptionFact {
            artifact_id: id,
            title: format!("Artifact {id}"),
            team: team.into(),
            adopted_on: d(on),
        }
    }

    #[test]
    fn adoptions_accumulate_per_team_month_by_month() {
        let facts = [
            fact(1, "Payments", "2026-01-15"),
            fact(2, "Payments", "2026-03-01"),
            fact(1, "Search", "2026-02-28"),
            fact(3, "Search", "2026-05-01"),
        ];
        let teams = vec!["Payments".into(), "Search".into(), "Ledger".into()];
        let inf = influence(&facts, &teams, d("2026-03-20"));
        assert_eq!(
            inf.months,
            vec![d("2026-01-01"), d("2026-02-01"), d("2026-03-01")]
        );
        assert_eq!(inf.rows[0].team, "Payments");
        assert_eq!(inf.rows[0].cumulative, vec![1, 1, 2]);
        assert_eq!(inf.rows[1].cumulative, vec![0, 1, 1]);
        assert_eq!(inf.rows[2].team, "Ledger");
        assert_eq!(inf.rows[2].cumulative, vec![0, 0, 0]);
        assert_eq!(inf.reached, vec![1, 2, 2]);
        assert_eq!((inf.teams_reached, inf.teams_total), (2, 3));
        assert_eq!(inf.adoptions, 3, "a future-dated record does not count yet");
        assert_eq!(inf.top[0].artifact_id, 1);
        assert_eq!(inf.top[0].teams, 2);
        assert_eq!(inf.top.len(), 2);
    }

    #[test]
    fn without_adoptions_there_are_no_months_and_nobody_reached() {
        let inf = influence(&[], &["A".into()], d("2026-03-20"));
        assert!(inf.months.is_empty() && inf.reached.is_empty());
        assert_eq!(
            (inf.teams_reached, inf.teams_total, inf.adoptions),
            (0, 1, 0)
        );
        assert_eq!(inf.rows[0].total(), 0);
    }

    #[test]
    fn only_the_last_twelve_months_are_shown_with_earlier_ones_carried_in() {
        let facts = [fact(1, "A", "2024-06-10"), fact(2, "A", "2026-03-01")];
        let inf = influence(&facts, &[], d("2026-03-20"));
        assert_eq!(inf.months.len(), MAX_MONTHS);
        assert_eq!(inf.months[0], d("2025-04-01"));
        assert_eq!(inf.rows[0].cumulative[0], 1);
        assert_eq!(inf.rows[0].total(), 2);
    }

    #[test]
    fn adoption_dates_cannot_be_in_the_future() {
        let today = d("2026-03-20");
        assert_eq!(adopted_on("2026-03-20", today).unwrap(), today);
        assert_eq!(
            adopted_on("2026-03-21", today).unwrap_err().field,
            "adopted_on"
        );
        assert_eq!(adopted_on("March", today).unwrap_err().field, "adopted_on");
    }
}
