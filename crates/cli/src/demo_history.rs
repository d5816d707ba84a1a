//! The demo organisation's past: a generated activity log (the health
//! engine's synthetic communities, each of a known shape — thriving, few
//! voices, ghost town, insular, growing, declining, potential) loaded as
//! history recorded elsewhere, so the health pages show every stage and
//! diagnosis from the first start. Its people are imported members who can
//! claim their accounts later. Loaded once; optionally also written as JSON
//! Lines.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use domain::community::{CommunityType, Orientation, Visibility};
use domain::person::{OrgRole, ProfileDraft};
use health::event::{Response, ThreadType};
use health::synthetic::{self, Config, Shape, SynthEvent};
use store::Store;
use store::activity::{self, NewEvent};
use store::communities::NewCommunity;
use store::people::NewPerson;

/// Marks the demo history's subjects, so it is loaded only once.
const SUBJECT_PREFIX: &str = "demo-";

/// The demo community each generated shape is given to (index = shape order).
const SHAPED: [(&str, &str); 7] = [
    ("observability-guild", "thriving"),
    ("security-champions", "few voices"),
    ("agile-coaching", "ghost town"),
    ("engineering-managers", "insular"),
    ("front-end-craft", "growing"),
    ("incident-review", "declining"),
    ("data-practice", "potential"),
];

/// Teams of the demo organisation, by generated team number.
const TEAMS: [&str; 8] = [
    "Platform",
    "Payments",
    "Data",
    "Mobile",
    "Design Systems",
    "Security",
    "Checkout",
    "Search",
];

const FIRST: [&str; 24] = [
    "Ana", "Bilal", "Chen", "Dana", "Eitan", "Fatima", "Goran", "Hiro", "Ines", "Jamal", "Kaito",
    "Leila", "Marek", "Nia", "Omar", "Paula", "Quinn", "Rosa", "Samir", "Tess", "Umar", "Vera",
    "Wei", "Yara",
];
const LAST: [&str; 15] = [
    "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Gupta", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Novak", "Okoye",
];

fn person_name(k: u32) -> String {
    let base = format!(
        "{} {}",
        FIRST[k as usize % FIRST.len()],
        LAST[(k as usize / FIRST.len()) % LAST.len()]
    );
    let round = k as usize / (FIRST.len() * LAST.len());
    if round == 0 {
        base
    } else {
        format!("{base} {}", round + 1)
    }
}

fn thread_type_name(t: ThreadType) -> &'static str {
    [
        "discussion",
        "question",
        "announcement",
        "story",
        "show_and_tell",
    ]
    .into_iter()
    .find(|n| ThreadType::from_name(n) == Some(t))
    .unwrap_or("discussion")
}

fn response_name(r: Response) -> &'static str {
    ["yes", "no", "maybe"]
        .into_iter()
        .find(|n| Response::from_name(n) == Some(r))
        .unwrap_or("maybe")
}

/// The generator's configuration for `events` events ending at `now`.
pub fn config(events: u64, now: DateTime<Utc>) -> Config {
    Config {
        end: health::instant::from_datetime(now),
        ..Config::scaled(2026, events)
    }
}

/// Writes the generated log as JSON Lines to `path`.
pub fn write_jsonl(config: &Config, path: &Path) -> anyhow::Result<u64> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("--out: cannot create {}", path.display()))?;
    Ok(synthetic::write_jsonl(config, file)?)
}

async fn community_for(
    store: &Store,
    index: u32,
    steward: i64,
    at: DateTime<Utc>,
) -> anyhow::Result<i64> {
    let (slug, name, shape) = match SHAPED.get(index as usize) {
        Some((slug, shape)) => ((*slug).to_owned(), None, *shape),
        None => (
            format!("practice-{index:03}"),
            Some(format!("Practice circle {index}")),
            Config::shape(index).name(),
        ),
    };
    if let Some(id) = store.community_id(&slug).await? {
        return Ok(id);
    }
    let name = name.unwrap_or_else(|| "Agile Coaching Circle".to_owned());
    let charter = NewCommunity {
        slug,
        name,
        domain_question: format!(
            "What can we learn together? (a generated community shaped {shape})"
        ),
        purpose: "Generated history for the demo organisation.".into(),
        community_type: CommunityType::ProcessOriented,
        orientation: Orientation::KnowledgeWeaving,
        visibility: Visibility::Open,
    };
    Ok(store.create_community(&charter, steward, at).await?)
}

/// Loads `config`'s generated history into the store unless it is there already;
/// returns how many events were added.
pub async fn load(
    store: &Store,
    config: &Config,
    steward: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    if config.events == 0 || activity::has_subject_prefix(store, SUBJECT_PREFIX).await? {
        return Ok(0);
    }
    // Generate first (pure), then write in one transaction.
    let mut events: Vec<SynthEvent> = Vec::new();
    synthetic::generate(config, |e| events.push(*e));
    let mut communities = HashMap::new();
    for c in 0..config.communities {
        communities.insert(c, community_for(store, c, steward, now).await?);
    }
    let mut people: HashMap<u32, i64> = HashMap::new();
    let mut tx = store.begin().await?;
    for e in &events {
        for (actor, team) in [(e.actor, e.team), (e.reply_to, e.reply_to_team)] {
            let Some(actor) = actor else { continue };
            if people.contains_key(&actor) {
                continue;
            }
            let name = person_name(actor);
            let email = format!(
                "{}.{actor}@imported.example.org",
                name.to_lowercase().replace(' ', ".")
            );
            let id = store::people::insert_person(
                &mut tx,
                &NewPerson {
                    email,
                    display_name: name.clone(),
                    password_hash: None,
                    org_role: OrgRole::Member,
                },
                now,
            )
            .await?;
            let profile = ProfileDraft {
                display_name: name,
                team: team
                    .map(|t| TEAMS[t as usize % TEAMS.len()].to_owned())
                    .unwrap_or_default(),
                ..ProfileDraft::default()
            }
            .validate()?;
            store::people::write_profile(&mut tx, id, &profile, now).await?;
            people.insert(actor, id);
        }
        let event = NewEvent {
            at: health::instant::to_datetime(e.at),
            community_id: communities[&e.community],
            actor_id: e.actor.map(|a| people[&a]),
            kind: e.kind.name(),
            subject: e
                .subject
                .map(|(letter, n)| format!("{SUBJECT_PREFIX}{}{n}", letter as char)),
            reply_to: e.reply_to.map(|a| people[&a]),
            thread_type: e.thread_type.map(thread_type_name),
            response: e.response.map(response_name),
            value: e.value.map(i64::from),
            review_days: e.review_days.map(i64::from),
        };
        let team = e.team.map(|t| TEAMS[t as usize % TEAMS.len()]);
        let reply_to_team = e.reply_to_team.map(|t| TEAMS[t as usize % TEAMS.len()]);
        activity::append_recorded(&mut tx, &event, team, reply_to_team).await?;
    }
    tx.commit().await?;
    Ok(events.len() as u64)
}

/// The shapes, for the summary line.
pub fn shapes() -> String {
    Shape::ALL
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(", ")
}
