//! Both sides of every threshold of `health::rules`: diagnoses, stage rules
//! and vitality normalisation, each moved across its boundary from a
//! baseline that triggers nothing.

use health::{Context, Metrics, diagnosis, stage, vitality};

fn baseline() -> (Metrics, Context) {
    let m = Metrics {
        active_members: 20,
        contributions: 100,
        threads: 20,
        replies: 50,
        gatherings_held: 4,
        mean_attendance: Some(10.0),
        rsvp_show_rate: Some(0.8),
        questions: 10,
        answered_share: Some(0.9),
        solved_share: Some(0.5),
        median_first_response: Some(3600.0),
        unanswered: 1,
        artifacts_created: 2,
        artifacts_reused: 5,
        reuse_ratio: Some(0.3),
        gini: 0.3,
        top10_share: Some(0.3),
        bus_factor: 5,
        newcomers: 2,
        newcomer_retention: Some(0.6),
        teams_active: 4,
        team_evenness: 0.8,
        cross_team_reply_share: Some(0.5),
        reciprocity: Some(0.5),
        facilitator_rotation: 4,
        fresh_share: Some(0.8),
        stale: 1,
        pulse_mean: Some(4.0),
    };
    let c = Context {
        previous_contributions: 100,
        previous_active_members: 20,
        previous_newcomers: 4,
        gatherings_ever: 50,
        artifacts_ever: 20,
        weeks: 60,
        peak_weekly_active: 25,
    };
    (m, c)
}

fn diagnosed(change: impl FnOnce(&mut Metrics, &mut Context)) -> Vec<&'static str> {
    let (mut m, mut c) = baseline();
    change(&mut m, &mut c);
    diagnosis::assess(&m, &c).iter().map(|d| d.name).collect()
}

fn stage_of(change: impl FnOnce(&mut Metrics, &mut Context)) -> &'static str {
    let (mut m, mut c) = baseline();
    change(&mut m, &mut c);
    stage::assess(&m, &c).name
}

#[test]
fn the_baseline_is_a_healthy_steward_community() {
    assert!(diagnosed(|_, _| {}).is_empty());
    assert_eq!(stage_of(|_, _| {}), "stewardship");
}

#[test]
fn dormant_consider_dissolving() {
    let d = "dormant_consider_dissolving";
    assert!(diagnosed(|m, _| m.active_members = 2).contains(&d));
    assert!(!diagnosed(|m, _| m.active_members = 3).contains(&d));
    assert!(diagnosed(|m, c| (m.active_members, c.weeks) = (2, 12)).contains(&d));
    assert!(!diagnosed(|m, c| (m.active_members, c.weeks) = (2, 11)).contains(&d));
    assert!(diagnosed(|m, c| (m.active_members, c.peak_weekly_active) = (2, 5)).contains(&d));
    assert!(!diagnosed(|m, c| (m.active_members, c.peak_weekly_active) = (2, 4)).contains(&d));
}

#[test]
fn low_participation() {
    let d = "low_participation";
    assert!(diagnosed(|m, _| m.active_members = 7).contains(&d));
    assert!(!diagnosed(|m, _| m.active_members = 8).contains(&d));
    assert!(diagnosed(|m, c| (m.active_members, c.weeks) = (7, 4)).contains(&d));
    assert!(!diagnosed(|m, c| (m.active_members, c.weeks) = (7, 3)).contains(&d));
    // Dormant communities get the stronger diagnosis instead.
    assert!(!diagnosed(|m, _| m.active_members = 2).contains(&d));
}

#[test]
fn dominance_by_few_voices() {
    let d = "dominance_by_few_voices";
    assert!(diagnosed(|m, _| m.gini = 0.6).contains(&d));
    assert!(!diagnosed(|m, _| m.gini = 0.5999).contains(&d));
    assert!(diagnosed(|m, _| m.top10_share = Some(0.5)).contains(&d));
    assert!(!diagnosed(|m, _| m.top10_share = Some(0.4999)).contains(&d));
    assert!(diagnosed(|m, _| (m.gini, m.active_members) = (0.7, 5)).contains(&d));
    assert!(!diagnosed(|m, _| (m.gini, m.active_members) = (0.7, 4)).contains(&d));
}

#[test]
fn stagnation() {
    let d = "stagnation";
    assert!(diagnosed(|m, _| m.contributions = 69).contains(&d));
    assert!(!diagnosed(|m, _| m.contributions = 70).contains(&d));
    assert!(diagnosed(|m, c| (m.contributions, c.previous_contributions) = (13, 20)).contains(&d));
    assert!(!diagnosed(|m, c| (m.contributions, c.previous_contributions) = (13, 19)).contains(&d));
}

#[test]
fn insularity() {
    let d = "insularity";
    assert!(diagnosed(|m, _| m.teams_active = 1).contains(&d));
    assert!(!diagnosed(|m, _| (m.teams_active, m.team_evenness) = (0, 0.0)).contains(&d));
    assert!(diagnosed(|m, _| (m.teams_active, m.team_evenness) = (2, 0.3999)).contains(&d));
    assert!(!diagnosed(|m, _| (m.teams_active, m.team_evenness) = (2, 0.4)).contains(&d));
    assert!(diagnosed(|m, _| m.cross_team_reply_share = Some(0.1499)).contains(&d));
    assert!(!diagnosed(|m, _| m.cross_team_reply_share = Some(0.15)).contains(&d));
    assert!(diagnosed(|m, _| (m.teams_active, m.active_members) = (1, 5)).contains(&d));
    assert!(!diagnosed(|m, _| (m.teams_active, m.active_members) = (1, 4)).contains(&d));
}

#[test]
fn stale_practice() {
    let d = "stale_practice";
    assert!(diagnosed(|m, _| m.fresh_share = Some(0.4999)).contains(&d));
    assert!(!diagnosed(|m, _| m.fresh_share = Some(0.5)).contains(&d));
    assert!(!diagnosed(|m, _| m.fresh_share = None).contains(&d));
}

#[test]
fn remote_barriers() {
    let d = "remote_barriers";
    assert!(diagnosed(|m, _| m.rsvp_show_rate = Some(0.4999)).contains(&d));
    assert!(!diagnosed(|m, _| m.rsvp_show_rate = Some(0.5)).contains(&d));
    assert!(!diagnosed(|m, _| m.rsvp_show_rate = None).contains(&d));
}

#[test]
fn single_point_of_leadership() {
    let d = "single_point_of_leadership";
    assert!(diagnosed(|m, c| (m.facilitator_rotation, c.gatherings_ever) = (1, 3)).contains(&d));
    assert!(!diagnosed(|m, c| (m.facilitator_rotation, c.gatherings_ever) = (1, 2)).contains(&d));
    assert!(!diagnosed(|m, _| m.facilitator_rotation = 2).contains(&d));
    assert!(diagnosed(|m, _| (m.bus_factor, m.active_members) = (1, 5)).contains(&d));
    assert!(!diagnosed(|m, _| (m.bus_factor, m.active_members) = (1, 4)).contains(&d));
}

#[test]
fn newcomers_not_retained() {
    let d = "newcomers_not_retained";
    assert!(
        diagnosed(|m, c| (m.newcomer_retention, c.previous_newcomers) = (Some(0.2499), 3))
            .contains(&d)
    );
    assert!(
        !diagnosed(|m, c| (m.newcomer_retention, c.previous_newcomers) = (Some(0.25), 3))
            .contains(&d)
    );
    assert!(
        !diagnosed(|m, c| (m.newcomer_retention, c.previous_newcomers) = (Some(0.0), 2))
            .contains(&d)
    );
}

#[test]
fn questions_unanswered() {
    let d = "questions_unanswered";
    assert!(diagnosed(|m, _| m.answered_share = Some(0.4999)).contains(&d));
    assert!(!diagnosed(|m, _| m.answered_share = Some(0.5)).contains(&d));
    assert!(diagnosed(|m, _| (m.answered_share, m.questions) = (Some(0.0), 3)).contains(&d));
    assert!(!diagnosed(|m, _| (m.answered_share, m.questions) = (Some(0.0), 2)).contains(&d));
}

#[test]
fn value_not_felt() {
    let d = "value_not_felt";
    assert!(diagnosed(|m, _| m.pulse_mean = Some(2.999)).contains(&d));
    assert!(!diagnosed(|m, _| m.pulse_mean = Some(3.0)).contains(&d));
    assert!(!diagnosed(|m, _| m.pulse_mean = None).contains(&d));
}

#[test]
fn transformation_stage() {
    assert_eq!(
        stage_of(|m, c| (m.active_members, c.weeks) = (2, 12)),
        "transformation"
    );
    assert_ne!(
        stage_of(|m, c| (m.active_members, c.weeks) = (2, 11)),
        "transformation"
    );
    assert_ne!(stage_of(|m, _| m.active_members = 3), "transformation");
    assert_ne!(
        stage_of(|m, c| (m.active_members, c.peak_weekly_active) = (2, 4)),
        "transformation"
    );
    assert_eq!(
        stage_of(|m, c| (m.contributions, c.previous_contributions) = (10, 20)),
        "transformation"
    );
    assert_ne!(
        stage_of(|m, c| (m.contributions, c.previous_contributions) = (11, 20)),
        "transformation"
    );
    assert_ne!(
        stage_of(|m, c| (m.contributions, c.previous_contributions) = (5, 19)),
        "transformation"
    );
}

#[test]
fn potential_stage() {
    let small = |m: &mut Metrics, c: &mut Context, active, gatherings| {
        (m.active_members, c.gatherings_ever, c.peak_weekly_active) = (active, gatherings, 4);
    };
    assert_eq!(stage_of(|m, c| small(m, c, 4, 0)), "potential");
    assert_ne!(stage_of(|m, c| small(m, c, 5, 0)), "potential");
    assert_ne!(stage_of(|m, c| small(m, c, 4, 1)), "potential");
}

#[test]
fn coalescing_stage() {
    assert_eq!(
        stage_of(|_, c| (c.weeks, c.peak_weekly_active) = (12, 4)),
        "coalescing"
    );
    assert_eq!(stage_of(|_, c| c.weeks = 12), "coalescing");
    assert_eq!(stage_of(|_, c| c.weeks = 13), "stewardship");
    assert_eq!(stage_of(|_, c| c.gatherings_ever = 2), "coalescing");
    assert_eq!(stage_of(|_, c| c.gatherings_ever = 3), "stewardship");
}

#[test]
fn maturing_stage() {
    assert_eq!(stage_of(|m, _| m.contributions = 120), "maturing");
    assert_eq!(stage_of(|m, _| m.contributions = 119), "stewardship");
    assert_eq!(stage_of(|m, _| m.newcomers = 5), "maturing");
    assert_eq!(stage_of(|m, _| m.newcomers = 4), "stewardship");
}

fn component(change: impl FnOnce(&mut Metrics, &mut Context), name: &str) -> Option<f64> {
    let (mut m, mut c) = baseline();
    change(&mut m, &mut c);
    let v = vitality::assess(&m, &c);
    v.components.iter().find(|x| x.name == name).unwrap().value
}

#[test]
fn vitality_normalisation_bounds() {
    assert_eq!(
        component(|m, _| m.contributions = 125, "activity_trend"),
        Some(1.0)
    );
    assert_eq!(
        component(|m, _| m.contributions = 100, "activity_trend"),
        Some(0.8)
    );
    assert_eq!(
        component(
            |m, c| (m.contributions, c.previous_contributions) = (0, 0),
            "activity_trend"
        ),
        Some(0.0)
    );
    assert_eq!(
        component(
            |m, c| (m.contributions, c.previous_contributions) = (1, 0),
            "activity_trend"
        ),
        Some(1.0)
    );
    assert!(component(|m, _| m.active_members = 3, "equality").is_some());
    assert_eq!(component(|m, _| m.active_members = 2, "equality"), None);
    assert_eq!(
        component(|m, _| m.newcomers = 4, "newcomer_inflow"),
        Some(1.0)
    );
    assert_eq!(
        component(|m, _| m.newcomers = 2, "newcomer_inflow"),
        Some(0.5)
    );
    assert_eq!(
        component(
            |m, _| m.newcomer_retention = Some(0.5),
            "newcomer_retention"
        ),
        Some(1.0)
    );
    assert_eq!(
        component(
            |m, _| m.newcomer_retention = Some(0.25),
            "newcomer_retention"
        ),
        Some(0.5)
    );
    assert_eq!(
        component(|m, _| m.facilitator_rotation = 3, "rotation"),
        Some(1.0)
    );
    assert_eq!(
        component(|m, _| m.facilitator_rotation = 2, "rotation"),
        Some(2.0 / 3.0)
    );
    assert_eq!(component(|_, c| c.gatherings_ever = 0, "rotation"), None);
    assert_eq!(
        component(|m, _| m.pulse_mean = Some(5.0), "pulse"),
        Some(1.0)
    );
    assert_eq!(
        component(|m, _| m.pulse_mean = Some(1.0), "pulse"),
        Some(0.0)
    );
}

#[test]
fn null_components_are_left_out_and_weights_renormalised() {
    let (mut m, c) = baseline();
    m.pulse_mean = None;
    m.fresh_share = None;
    let v = vitality::assess(&m, &c);
    assert_eq!(v.left_out, ["freshness", "pulse"]);
    assert!(v.note.as_deref().unwrap().contains("renormalised"));
    let total: f64 = v.components.iter().filter_map(|x| x.effective_weight).sum();
    assert!((total - 1.0).abs() < 1e-12);
    let sum: f64 = v.components.iter().filter_map(|x| x.contribution).sum();
    assert!((sum - v.score).abs() < 1e-12);
}
