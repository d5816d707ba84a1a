//! `guildhall demo`: a realistic demo organisation (teams, people with
//! profiles, communities with members) so a new user sees Guildhall alive.
//! Running it again adds nothing twice.

use std::sync::Arc;

use chrono::Duration;
use clap::Args;
use domain::community::{CommunityType, Orientation, Visibility};
use domain::person::{OrgRole, ProfileDraft, parse_skills, split_list};
use domain::{Clock, SystemClock};
use store::communities::NewCommunity;
use web::accounts::{self, SignUp};
use web::{AppState, WebConfig};

use crate::config::{Settings, open_store};
use crate::{demo_history, demo_posts, demo_threads};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "guildhall-demo";

/// How many events of generated history the demo loads unless told otherwise.
pub const DEFAULT_HISTORY: u64 = 20_000;

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Events of generated history to load (communities of every shape); 0 for none.
    #[arg(long, default_value_t = DEFAULT_HISTORY, value_name = "N")]
    pub events: u64,
    /// Also write the generated history as a JSON Lines activity log to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Only write the JSON Lines file (with --out): leave the store alone.
    #[arg(long, requires = "out")]
    pub log_only: bool,
    /// Generated conversations to add, in posts (threads and replies), for
    /// benchmarks; each open community also gets a thread of 100 replies.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub posts: u64,
}

struct DemoPerson {
    name: &'static str,
    team: &'static str,
    location: &'static str,
    zone: &'static str,
    hours: (&'static str, &'static str),
    bio: &'static str,
    skills: &'static str,
    interests: &'static str,
    teach: &'static str,
    learn: &'static str,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        name: "Amara Okafor",
        team: "Platform",
        location: "Lagos",
        zone: "Africa/Lagos",
        hours: ("09:00", "17:30"),
        bio: "Runs the platform team's on-call. Cares about alerts that mean something.",
        skills: "observability:expert, kubernetes:expert, go:practitioner",
        interests: "slos, incident response",
        teach: "alert design, prometheus",
        learn: "rust",
    },
    DemoPerson {
        name: "Lukas Becker",
        team: "Payments",
        location: "Berlin",
        zone: "Europe/Berlin",
        hours: ("08:00", "16:30"),
        bio: "Payments engineer; writes the runbooks nobody else wants to.",
        skills: "java:expert, postgresql:practitioner, observability:practitioner",
        interests: "idempotency, ledgers",
        teach: "postgresql",
        learn: "kubernetes",
    },
    DemoPerson {
        name: "Priya Raman",
        team: "Data",
        location: "Bengaluru",
        zone: "Asia/Kolkata",
        hours: ("10:00", "19:00"),
        bio: "Data engineer building the event pipeline.",
        skills: "python:expert, spark:expert, sql:expert",
        interests: "data quality, lineage",
        teach: "sql, python",
        learn: "observability",
    },
    DemoPerson {
        name: "Mateo García",
        team: "Mobile",
        location: "Madrid",
        zone: "Europe/Madrid",
        hours: ("09:00", "18:00"),
        bio: "iOS and Android; accessibility advocate.",
        skills: "swift:expert, kotlin:practitioner, accessibility:practitioner",
        interests: "accessibility, design systems",
        teach: "swift",
        learn: "security",
    },
    DemoPerson {
        name: "Hannah Kim",
        team: "Design Systems",
        location: "Seoul",
        zone: "Asia/Seoul",
        hours: ("09:00", "18:00"),
        bio: "Maintains the component library.",
        skills: "typescript:expert, css:expert, accessibility:expert",
        interests: "design tokens",
        teach: "accessibility, css",
        learn: "performance",
    },
    DemoPerson {
        name: "Sofia Rossi",
        team: "Security",
        location: "Milan",
        zone: "Europe/Rome",
        hours: ("08:30", "17:30"),
        bio: "Application security; runs threat-modelling sessions for any team that asks.",
        skills: "security:expert, threat modelling:expert, go:practitioner",
        interests: "supply chain",
        teach: "threat modelling",
        learn: "data engineering",
    },
    DemoPerson {
        name: "Daniel Mensah",
        team: "Checkout",
        location: "Accra",
        zone: "Africa/Accra",
        hours: ("08:00", "17:00"),
        bio: "Front-end engineer on checkout.",
        skills: "typescript:practitioner, react:expert",
        interests: "web performance",
        teach: "react",
        learn: "accessibility, observability",
    },
    DemoPerson {
        name: "Emily Carter",
        team: "Platform",
        location: "Toronto",
        zone: "America/Toronto",
        hours: ("09:00", "17:00"),
        bio: "SRE. Asks 'what would have told us sooner?' after every incident.",
        skills: "observability:practitioner, terraform:expert, incident review:expert",
        interests: "chaos engineering",
        teach: "incident review, terraform",
        learn: "security",
    },
    DemoPerson {
        name: "Kenji Watanabe",
        team: "Search",
        location: "Tokyo",
        zone: "Asia/Tokyo",
        hours: ("10:00", "19:00"),
        bio: "Search relevance and ranking.",
        skills: "elasticsearch:expert, python:practitioner",
        interests: "relevance, evaluation",
        teach: "elasticsearch",
        learn: "kubernetes",
    },
    DemoPerson {
        name: "Olivia Brown",
        team: "Payments",
        location: "London",
        zone: "Europe/London",
        hours: ("09:00", "17:30"),
        bio: "Engineering manager, payments.",
        skills: "engineering management:expert, java:practitioner",
        interests: "team health, career growth",
        teach: "engineering management",
        learn: "observability",
    },
    DemoPerson {
        name: "Rafael Souza",
        team: "Data",
        location: "São Paulo",
        zone: "America/Sao_Paulo",
        hours: ("09:00", "18:00"),
        bio: "Analytics engineer.",
        skills: "sql:expert, dbt:expert",
        interests: "metrics layers",
        teach: "dbt",
        learn: "spark",
    },
    DemoPerson {
        name: "Aisha Rahman",
        team: "Security",
        location: "Dubai",
        zone: "Asia/Dubai",
        hours: ("08:00", "16:00"),
        bio: "Cloud security engineer.",
        skills: "security:practitioner, aws:expert, terraform:practitioner",
        interests: "least privilege",
        teach: "aws",
        learn: "threat modelling",
    },
    DemoPerson {
        name: "Jonas Lindqvist",
        team: "Checkout",
        location: "Stockholm",
        zone: "Europe/Stockholm",
        hours: ("08:00", "16:00"),
        bio: "Engineering manager, checkout.",
        skills: "engineering management:practitioner, kotlin:practitioner",
        interests: "hiring",
        teach: "hiring",
        learn: "engineering management",
    },
    DemoPerson {
        name: "Grace Liu",
        team: "Search",
        location: "San Francisco",
        zone: "America/Los_Angeles",
        hours: ("09:00", "17:30"),
        bio: "Machine-learning engineer for ranking.",
        skills: "python:expert, machine learning:expert",
        interests: "evaluation, experimentation",
        teach: "experimentation",
        learn: "observability",
    },
    DemoPerson {
        name: "Tom Nguyen",
        team: "Mobile",
        location: "Sydney",
        zone: "Australia/Sydney",
        hours: ("08:30", "17:00"),
        bio: "Android engineer, new to the company.",
        skills: "kotlin:practitioner",
        interests: "testing",
        teach: "",
        learn: "accessibility, kubernetes",
    },
    DemoPerson {
        name: "Nadia Haddad",
        team: "Design Systems",
        location: "Lisbon",
        zone: "Europe/Lisbon",
        hours: ("09:00", "18:00"),
        bio: "Product designer working on the component library.",
        skills: "interaction design:expert, accessibility:practitioner",
        interests: "inclusive design",
        teach: "interaction design",
        learn: "typescript",
    },
];

struct DemoCommunity {
    slug: &'static str,
    name: &'static str,
    question: &'static str,
    purpose: &'static str,
    kind: CommunityType,
    orientation: Orientation,
    visibility: Visibility,
    /// Indexes into PEOPLE: the first is the steward.
    members: &'static [usize],
    /// Days ago the community began.
    started_days_ago: i64,
}

const COMMUNITIES: &[DemoCommunity] = &[
    DemoCommunity {
        slug: "observability-guild",
        name: "Observability Guild",
        question: "How do we see what our systems are doing before our customers tell us?",
        purpose: "Fewer, better alerts and shared dashboards; supports the reliability goal.",
        kind: CommunityType::TechnicalPractice,
        orientation: Orientation::KnowledgeWeaving,
        visibility: Visibility::Open,
        members: &[0, 1, 7, 2, 9, 13, 6, 11],
        started_days_ago: 400,
    },
    DemoCommunity {
        slug: "front-end-craft",
        name: "Front-end Craft",
        question: "What makes a web interface fast, accessible and pleasant to build?",
        purpose: "Shared components and performance budgets across product teams.",
        kind: CommunityType::TechnicalPractice,
        orientation: Orientation::CollaborativeLearning,
        visibility: Visibility::Open,
        members: &[4, 6, 3, 15, 14],
        started_days_ago: 250,
    },
    DemoCommunity {
        slug: "security-champions",
        name: "Security Champions",
        question: "How can every team ship securely without waiting for a gatekeeper?",
        purpose: "A champion in every team; threat modelling as a habit.",
        kind: CommunityType::CrossCutting,
        orientation: Orientation::SystemOfInfluence,
        visibility: Visibility::Open,
        members: &[5, 11, 7, 3, 1],
        started_days_ago: 300,
    },
    DemoCommunity {
        slug: "incident-review",
        name: "Incident Review Practice",
        question: "How do we learn the most from each incident without blaming anyone?",
        purpose: "Blameless reviews whose learnings reach other teams.",
        kind: CommunityType::ProcessOriented,
        orientation: Orientation::CollaborativeLearning,
        visibility: Visibility::Open,
        members: &[7, 0, 1],
        started_days_ago: 120,
    },
    DemoCommunity {
        slug: "engineering-managers",
        name: "Engineering Managers Circle",
        question: "How do we help our teams grow while the organisation keeps changing?",
        purpose: "A confidential peer group for managers.",
        kind: CommunityType::RoleBased,
        orientation: Orientation::KnowledgeWeaving,
        visibility: Visibility::Private,
        members: &[9, 12],
        started_days_ago: 90,
    },
    DemoCommunity {
        slug: "data-practice",
        name: "Data Practice",
        question: "How do we make data trustworthy from the event to the dashboard?",
        purpose: "Common data contracts and quality checks.",
        kind: CommunityType::DomainSpecific,
        orientation: Orientation::KnowledgeWeaving,
        visibility: Visibility::Open,
        members: &[2, 10, 13],
        started_days_ago: 30,
    },
];

fn email_of(name: &str) -> String {
    let ascii: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ã' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            ' ' => '.',
            c => c,
        })
        .collect();
    format!("{ascii}@example.org")
}

/// Options-free entry point for `guildhall demo`.
pub async fn run(settings: &Settings, args: DemoArgs) -> anyhow::Result<()> {
    if let Some(out) = &args.out {
        let config = demo_history::config(args.events, SystemClock.now());
        let written = demo_history::write_jsonl(&config, out)?;
        println!("wrote {written} generated events to {}", out.display());
        if args.log_only {
            return Ok(());
        }
    }
    let store = open_store(settings).await?;
    let state = AppState::new(store.clone(), Arc::new(SystemClock), WebConfig::default());
    let summary = load(&state, args.events).await;
    println!("{}", summary?);
    if args.posts > 0 {
        let written = generate_posts(&state, args.posts).await;
        store.close().await;
        println!("{} generated posts added", written?);
    } else {
        store.close().await;
    }
    Ok(())
}

/// Adds `posts` generated posts to the demo's open communities.
async fn generate_posts(state: &AppState, posts: u64) -> anyhow::Result<u64> {
    let mut communities = Vec::new();
    for c in COMMUNITIES
        .iter()
        .filter(|c| c.visibility == Visibility::Open)
    {
        if let Some(id) = state.store.community_id(c.slug).await? {
            communities.push(id);
        }
    }
    let mut people = Vec::new();
    for p in PEOPLE {
        if let Some(person) = state.store.person_by_email(&email_of(p.name)).await? {
            people.push(person.id);
        }
    }
    let started = std::time::Instant::now();
    demo_posts::load(
        &state.store,
        &communities,
        &people,
        posts,
        state.clock.now(),
        42,
        |n| {
            let rate = n as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!("\r{n} posts written ({rate:.0}/s)");
        },
    )
    .await
    .inspect(|_| eprintln!())
}

/// Loads the demo organisation into `state`'s store, with `history` events of
/// generated history, skipping what is there.
pub async fn load(state: &AppState, history: u64) -> anyhow::Result<String> {
    let now = state.clock.now();
    let mut ids = Vec::with_capacity(PEOPLE.len());
    let mut added_people = 0;
    for (i, p) in PEOPLE.iter().enumerate() {
        let email = email_of(p.name);
        let id = match state.store.person_by_email(&email).await? {
            Some(existing) => existing.id,
            None => {
                let role = if i == 0 {
                    OrgRole::Admin
                } else {
                    OrgRole::Member
                };
                let id = accounts::sign_up(
                    state,
                    SignUp {
                        email: email.clone(),
                        display_name: p.name.into(),
                        password: DEMO_PASSWORD.into(),
                    },
                    role,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo person {}: {e}", p.name))?;
                let profile = ProfileDraft {
                    display_name: p.name.into(),
                    team: p.team.into(),
                    location: p.location.into(),
                    time_zone: p.zone.into(),
                    work_start: p.hours.0.into(),
                    work_end: p.hours.1.into(),
                    bio: p.bio.into(),
                    skills: parse_skills(p.skills)?,
                    interests: split_list(p.interests),
                    can_teach: split_list(p.teach),
                    wants_to_learn: split_list(p.learn),
                }
                .validate()?;
                state.store.update_profile(id, &profile, now).await?;
                added_people += 1;
                id
            }
        };
        ids.push(id);
    }
    let mut added_communities = 0;
    for c in COMMUNITIES {
        if state.store.community_id(c.slug).await?.is_some() {
            continue;
        }
        let started = now - Duration::days(c.started_days_ago);
        let charter = NewCommunity {
            slug: c.slug.into(),
            name: c.name.into(),
            domain_question: c.question.into(),
            purpose: c.purpose.into(),
            community_type: c.kind,
            orientation: c.orientation,
            visibility: c.visibility,
        };
        let id = state
            .store
            .create_community(&charter, ids[c.members[0]], started)
            .await?;
        for (k, &m) in c.members.iter().enumerate().skip(1) {
            // Members arrive over the community's life, the earliest first.
            let joined = started
                + Duration::days(c.started_days_ago * k as i64 / (c.members.len() as i64 + 1));
            state.store.join_community(id, ids[m], joined).await?;
        }
        added_communities += 1;
    }
    let gatherings_added = weekly_call(state, &ids).await?;
    let threads_added = demo_threads::load(&state.store, &ids, now).await?;
    let first_members: Vec<i64> = COMMUNITIES[0].members.iter().map(|&m| ids[m]).collect();
    let artifacts_added =
        crate::demo_practice::load(&state.store, COMMUNITIES[0].slug, &first_members, now).await?;
    let config = demo_history::config(history, now);
    let history_added = demo_history::load(&state.store, &config, ids[0], now).await?;
    let history_line = if history_added > 0 {
        format!(
            "; {history_added} events of generated history added over {} communities (shapes: {})",
            config.communities,
            demo_history::shapes()
        )
    } else {
        String::new()
    };
    Ok(format!(
        "demo organisation: {added_people} people, {added_communities} communities, {threads_added} conversations, {artifacts_added} artifacts and {gatherings_added} gathering series added \
         ({} named people and {} chartered communities in all){history_line}; log in as {} with password {DEMO_PASSWORD}",
        PEOPLE.len(),
        COMMUNITIES.len(),
        email_of(PEOPLE[0].name),
    ))
}

/// A weekly call in the first community (tomorrow at 16:00 Berlin time, then
/// every week), with its first two members volunteering to facilitate, so
/// its gatherings, feeds and fairness view are not empty. Returns 1 when added.
async fn weekly_call(state: &AppState, ids: &[i64]) -> anyhow::Result<usize> {
    let first = &COMMUNITIES[0];
    let Some(community) = state.store.community_id(first.slug).await? else {
        return Ok(0);
    };
    if !state.store.community_series(community).await?.is_empty() {
        return Ok(0);
    }
    let now = state.clock.now();
    let berlin = domain::person::time_zone("Europe/Berlin")?;
    let tomorrow = (now + Duration::days(1)).with_timezone(&berlin);
    let plan = domain::gathering::plan::Draft {
        title: "Weekly observability call".into(),
        format: "call".into(),
        rrule: "FREQ=WEEKLY".into(),
        time_zone: "Europe/Berlin".into(),
        start: tomorrow.format("%Y-%m-%dT16:00").to_string(),
        duration_minutes: 45,
        location: "https://meet.example.org/observability".into(),
        agenda: "News, one question from the queue, one show and tell".into(),
        capacity: None,
        rotate: true,
    }
    .check()?;
    let steward = ids[first.members[0]];
    let series = state
        .store
        .create_series(community, &plan, steward, now)
        .await?;
    for &m in &first.members[..2] {
        state.store.volunteer(series, ids[m], now).await?;
    }
    Ok(1)
}
