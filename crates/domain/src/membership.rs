//! Voluntary membership: how participation is derived from contributions,
//! and the rule that a community always keeps a steward.

use chrono::{DateTime, Duration, Utc};

use crate::community::{MemberRole, Participation};

/// A contribution at most this many days ago makes a member active.
pub const ACTIVE_DAYS: i64 = 28;
/// A contribution at most this many days ago makes a member occasional.
pub const OCCASIONAL_DAYS: i64 = 90;

/// The activity kinds that count as contributions (METRICS.md): joining,
/// leaving, RSVPs, kudos, pulses, holding a gathering and reuse are signals.
pub const CONTRIBUTION_KINDS: &[&str] = &[
    "thread_opened",
    "replied",
    "answer_accepted",
    "artifact_created",
    "artifact_revised",
    "artifact_reviewed",
    "attended",
    "experiment_started",
    "experiment_concluded",
];

/// The participation level of a member whose latest contribution in the
/// community was at `last` (`None`: never), as of `now`. The windows are
/// half-open like METRICS.md's: a contribution exactly 28 days before `now`
/// is no longer active.
pub fn participation(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Participation {
    match last {
        Some(at) if at <= now && now - at < Duration::days(ACTIVE_DAYS) => Participation::Active,
        Some(at) if at <= now && now - at < Duration::days(OCCASIONAL_DAYS) => {
            Participation::Occasional
        }
        _ => Participation::Peripheral,
    }
}

/// Whether a change keeps at least one steward: `stewards` is how many there
/// are now, `before` the role of the member concerned and `after` their role
/// afterwards (`None` when they leave).
pub fn keeps_a_steward(stewards: i64, before: MemberRole, after: Option<MemberRole>) -> bool {
    let losing = before == MemberRole::Steward && after != Some(MemberRole::Steward);
    !losing || stewards > 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn participation_windows_pinned_on_both_sides() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let ago = |d: i64, s: i64| Some(now - Duration::days(d) + Duration::seconds(s));
        assert_eq!(participation(ago(0, 0), now), Participation::Active);
        assert_eq!(participation(ago(28, 1), now), Participation::Active);
        assert_eq!(participation(ago(28, 0), now), Participation::Occasional);
        assert_eq!(participation(ago(90, 1), now), Participation::Occasional);
        assert_eq!(participation(ago(90, 0), now), Participation::Peripheral);
        assert_eq!(participation(None, now), Participation::Peripheral);
        // A contribution after "now" (clock skew) does not count.
        assert_eq!(participation(ago(-1, 0), now), Participation::Peripheral);
    }

    #[test]
    fn the_last_steward_stays() {
        use MemberRole::*;
        assert!(!keeps_a_steward(1, Steward, None));
        assert!(!keeps_a_steward(1, Steward, Some(Member)));
        assert!(keeps_a_steward(2, Steward, None));
        assert!(keeps_a_steward(1, Steward, Some(Steward)));
        assert!(keeps_a_steward(1, Member, None));
        assert!(keeps_a_steward(1, Core, Some(Steward)));
    }
}
