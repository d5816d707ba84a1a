//! Rotating facilitation: who should facilitate the next occurrences of a
//! series. Among the volunteers, the one who facilitated least recently goes
//! first (someone who never has, before anyone who has); among equals, the one
//! who facilitated least often; among those, the lowest id, so the suggestion
//! is the same every time it is asked. Recency leads rather than counts so a
//! newly joined volunteer takes a turn in the rotation instead of every
//! occurrence until their count catches up. Whoever declined an occurrence is
//! skipped for it and keeps their place for the next.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// Someone facilitated an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facilitated<P> {
    /// Who facilitated.
    pub person: P,
    /// When the occurrence started.
    pub at: DateTime<Utc>,
}

/// Someone said they cannot facilitate an upcoming occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined<P> {
    /// Who declined.
    pub person: P,
    /// The occurrence's recurrence id.
    pub occurrence: DateTime<Utc>,
}

/// The suggested facilitator of one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion<P> {
    /// The occurrence's recurrence id.
    pub occurrence: DateTime<Utc>,
    /// Who should facilitate; `None` when every volunteer declined.
    pub facilitator: Option<P>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Load {
    last: Option<DateTime<Utc>>,
    times: usize,
}

/// Suggests a facilitator for each of `upcoming` (recurrence ids, taken in
/// time order) from `volunteers`, given who facilitated before and who
/// declined which occurrence. Past facilitation by people who are no longer
/// volunteers is ignored.
pub fn suggest<P: Ord + Clone>(
    volunteers: &[P],
    past: &[Facilitated<P>],
    declined: &[Declined<P>],
    upcoming: &[DateTime<Utc>],
) -> Vec<Suggestion<P>> {
    let mut loads: BTreeMap<&P, Load> = volunteers.iter().map(|p| (p, Load::default())).collect();
    for f in past {
        if let Some(load) = loads.get_mut(&f.person) {
            load.times += 1;
            load.last = load.last.max(Some(f.at));
        }
    }
    let mut occurrences = upcoming.to_vec();
    occurrences.sort();
    occurrences.dedup();
    occurrences
        .into_iter()
        .map(|occurrence| {
            let chosen = loads
                .iter()
                .filter(|(person, _)| {
                    !declined
                        .iter()
                        .any(|d| d.occurrence == occurrence && &&d.person == *person)
                })
                .min_by_key(|(person, load)| (load.last, load.times, **person))
                .map(|(person, _)| *person);
            if let Some(person) = chosen
                && let Some(load) = loads.get_mut(person)
            {
                load.last = Some(occurrence);
                load.times += 1;
            }
            Suggestion {
                occurrence,
                facilitator: chosen.cloned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn week(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + chrono::TimeDelta::weeks(n)
    }

    fn did(person: u32, n: i64) -> Facilitated<u32> {
        Facilitated {
            person,
            at: week(n),
        }
    }

    fn names(s: &[Suggestion<u32>]) -> Vec<Option<u32>> {
        s.iter().map(|s| s.facilitator).collect()
    }

    #[test]
    fn never_facilitated_first_then_least_recently() {
        let past = [did(1, -3), did(2, -1), did(1, -2)];
        let got = suggest(
            &[1, 2, 3],
            &past,
            &[],
            &[week(0), week(1), week(2), week(3)],
        );
        // 3 never has; then 1 (last at -2) before 2 (last at -1).
        assert_eq!(names(&got), vec![Some(3), Some(1), Some(2), Some(3)]);
        assert_eq!(got[0].occurrence, week(0));
    }

    #[test]
    fn equal_recency_goes_to_the_less_often_then_the_lower_id() {
        // 5 and 7 never facilitated and never did so equally often: lower id.
        let got = suggest(&[5, 7, 9], &[did(9, 0)], &[], &[week(1)]);
        assert_eq!(names(&got), vec![Some(5)]);
        // Both last facilitated at -1; 7 did so less often.
        let past = [did(5, -1), did(5, -2), did(7, -1)];
        let got = suggest(&[5, 7], &past, &[], &[week(0)]);
        assert_eq!(names(&got), vec![Some(7)]);
        let got = suggest(&[8, 4, 6], &[], &[], &[week(0)]);
        assert_eq!(names(&got), vec![Some(4)]);
    }

    #[test]
    fn declines_skip_one_occurrence_and_keep_the_place() {
        let declined = [Declined {
            person: 1,
            occurrence: week(0),
        }];
        let got = suggest(&[1, 2, 3], &[], &declined, &[week(0), week(1), week(2)]);
        assert_eq!(names(&got), vec![Some(2), Some(1), Some(3)]);
    }

    #[test]
    fn nobody_when_everyone_declined_or_no_volunteers() {
        let declined = [1, 2].map(|person| Declined {
            person,
            occurrence: week(0),
        });
        let got = suggest(&[1, 2], &[], &declined, &[week(0), week(1)]);
        assert_eq!(names(&got), vec![None, Some(1)]);
        assert_eq!(names(&suggest(&[], &[], &[], &[week(0)])), vec![None]);
    }

    #[test]
    fn former_volunteers_history_is_ignored_and_order_is_by_time() {
        let past = [did(9, -1), did(1, -1)];
        let got = suggest(&[1, 2], &past, &[], &[week(1), week(0)]);
        assert_eq!(got[0].occurrence, week(0));
        assert_eq!(names(&got), vec![Some(2), Some(1)]);
    }

    proptest! {
        #[test]
        fn load_stays_within_one_and_declines_are_respected(
            volunteers in proptest::collection::btree_set(0u32..20, 1..8),
            rounds in 1i64..30,
            declines in proptest::collection::vec((0u32..20, 0i64..30), 0..20),
        ) {
            let volunteers: Vec<u32> = volunteers.into_iter().collect();
            let upcoming: Vec<_> = (0..rounds).map(week).collect();
            // Without declines and history the rotation is perfectly even.
            let got = suggest(&volunteers, &[], &[], &upcoming);
            let mut counts: BTreeMap<u32, usize> = volunteers.iter().map(|&p| (p, 0)).collect();
            for s in &got {
                *counts.entry(s.facilitator.unwrap()).or_default() += 1;
            }
            let (lo, hi) = (counts.values().min().unwrap(), counts.values().max().unwrap());
            prop_assert!(hi - lo <= 1);
            // With declines, nobody is suggested for an occurrence they declined.
            let declined: Vec<_> = declines
                .iter()
                .map(|&(person, n)| Declined { person, occurrence: week(n) })
                .collect();
            for s in suggest(&volunteers, &[], &declined, &upcoming) {
                if let Some(p) = s.facilitator {
                    prop_assert!(volunteers.contains(&p));
                    prop_assert!(!declined.iter().any(|d| d.person == p && d.occurrence == s.occurrence));
                } else {
                    let all_declined = volunteers.iter().all(|v| {
                        declined.iter().any(|d| d.person == *v && d.occurrence == s.occurrence)
                    });
                    prop_assert!(all_declined);
                }
            }
        }
    }
}
