//! `guildhall import slack|stackexchange|mbox`: brings another system's
//! history in. A reader (the `import` crate) streams the input on its own
//! thread and hands records over a bounded channel to the store's
//! [`store::imports::Import`], which writes them in batches; so memory stays
//! bounded whatever the input's size. A progress bar (count and rate) shows
//! on a terminal unless `--quiet`; at the end a summary says what was
//! created, what was there already and what was dropped and why, with the
//! first problems' file and line or record. `--strict` stops at the first
//! record that cannot be brought in and exits non-zero (whole batches
//! written before stay, and a later run resumes); `--dry-run` writes
//! everything in one transaction and rolls it back.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use domain::Clock;
use domain::community::Visibility;
use import::{Item, ReadError};
use store::Store;
use store::imports::{Import, Outcome, PersonOutcome, Record, Settled};

use crate::config::{Settings, open_store};

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Slack workspace export (the zip archive or its folder).
    Slack(SlackArgs),
    /// A Stack Exchange data dump (the folder with Posts.xml, Users.xml, ...).
    Stackexchange(StackExchangeArgs),
    /// Mailing-list archives in mbox format.
    Mbox(MboxArgs),
}

/// Options every importer has.
#[derive(Debug, Args)]
pub struct Common {
    /// Report what would be created without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop at the first record that cannot be brought in, and exit non-zero.
    #[arg(long)]
    pub strict: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Who stewards communities the import creates (default: the first organisation admin).
    #[arg(long, value_name = "EMAIL")]
    pub steward: Option<String>,
}

/// `import slack`.
#[derive(Debug, Args)]
pub struct SlackArgs {
    /// The export: a .zip archive or the folder it unpacks to.
    pub export: PathBuf,
    /// A channel to import (repeat; pair each with a --community). Every channel when absent.
    #[arg(long, value_name = "NAME")]
    pub channel: Vec<String>,
    /// The community (slug) for the --channel at the same place; created if missing.
    #[arg(long, value_name = "SLUG")]
    pub community: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

/// `import stackexchange`.
#[derive(Debug, Args)]
pub struct StackExchangeArgs {
    /// The folder holding the dump's XML files.
    pub dir: PathBuf,
    /// The community (slug) to import into; created if missing.
    #[arg(long, value_name = "SLUG")]
    pub community: String,
    #[command(flatten)]
    pub common: Common,
}

/// `import mbox`.
#[derive(Debug, Args)]
pub struct MboxArgs {
    /// One or more mbox files, read in the order given.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The community (slug) to import into; created if missing.
    #[arg(long, value_name = "SLUG")]
    pub community: String,
    #[command(flatten)]
    pub common: Common,
}

/// The most problems listed one by one in the summary.
const LISTED: usize = 20;

/// What happened, for the summary.
#[derive(Debug, Default)]
struct Tally {
    created: BTreeMap<&'static str, u64>,
    existing: BTreeMap<&'static str, u64>,
    dropped: BTreeMap<&'static str, u64>,
    unmapped: BTreeMap<&'static str, u64>,
    bot_posts: u64,
    problems: Vec<String>,
    records: u64,
}

impl Tally {
    fn add(map: &mut BTreeMap<&'static str, u64>, what: &'static str) {
        *map.entry(what).or_default() += 1;
    }

    fn drop(&mut self, why: &'static str, problem: String) {
        Self::add(&mut self.dropped, why);
        if self.problems.len() < LISTED {
            self.problems.push(problem);
        }
    }

    /// "threads 4, replies 3": in a fixed order, then any others.
    fn line(map: &BTreeMap<&'static str, u64>) -> String {
        const ORDER: [&str; 9] = [
            "communities",
            "people",
            "bots",
            "people matched by e-mail",
            "joins",
            "threads",
            "posts",
            "replies",
            "accepted answers",
        ];
        let mut keys: Vec<&&str> = map.keys().collect();
        keys.sort_by_key(|k| ORDER.iter().position(|o| o == *k).unwrap_or(ORDER.len()));
        keys.iter()
            .map(|k| {
                if **k == "bots" {
                    format!("(bots {})", map[**k])
                } else {
                    format!("{k} {}", map[**k])
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
            .replace(", (bots", " (bots")
    }

    fn skipped(&self) -> u64 {
        self.dropped.values().sum()
    }

    fn print(&self, source: &str, dry_run: bool, stopped: bool) {
        if dry_run {
            println!("dry run of the {source} import: nothing was written");
        } else {
            println!("imported from {source}");
        }
        let verb = if dry_run { "would create" } else { "created" };
        let created = Self::line(&self.created);
        println!(
            "  {verb}: {}",
            if created.is_empty() {
                "nothing"
            } else {
                &created
            }
        );
        if !self.existing.is_empty() {
            println!(
                "  already there (left as they were): {}",
                Self::line(&self.existing)
            );
        }
        if self.bot_posts > 0 {
            println!(
                "  kept out of the activity log: {} posts by bots",
                self.bot_posts
            );
        }
        if self.dropped.is_empty() {
            println!("  dropped: nothing");
        } else {
            println!("  dropped: {}", Self::line(&self.dropped));
        }
        if !self.unmapped.is_empty() {
            println!("  not brought in: {}", Self::line(&self.unmapped));
        }
        for p in &self.problems {
            println!("    {p}");
        }
        let total = self.skipped();
        if total as usize > self.problems.len() {
            println!("    ... and {} more", total as usize - self.problems.len());
        }
        if stopped {
            println!("  stopped at the first problem (--strict)");
        }
    }
}

/// Where each item's posts go.
enum Target {
    /// One community for everything.
    One(i64),
    /// Slack: channel name -> community slug; the current channel's community.
    Channels {
        slugs: HashMap<String, String>,
        current: Option<i64>,
    },
}

struct Run<'s> {
    imp: Import<'s>,
    tally: Tally,
    target: Target,
    steward: i64,
    bots: HashSet<String>,
    strict: bool,
}

impl Run<'_> {
    /// Applies one item; `Break` when `--strict` must stop.
    async fn apply(&mut self, item: Item) -> anyhow::Result<ControlFlow<()>> {
        self.tally.records += 1;
        let before = self.tally.skipped();
        match item {
            Item::Person(p) => {
                if p.bot {
                    self.bots.insert(p.key.clone());
                }
                match self.imp.person(&p).await? {
                    PersonOutcome::Created(_) => {
                        Tally::add(&mut self.tally.created, "people");
                        if p.bot {
                            Tally::add(&mut self.tally.created, "bots");
                        }
                    }
                    PersonOutcome::Matched(_) => {
                        Tally::add(&mut self.tally.existing, "people matched by e-mail")
                    }
                    PersonOutcome::Existing(_) => Tally::add(&mut self.tally.existing, "people"),
                }
            }
            Item::Channel(c) => {
                let Target::Channels { slugs, current } = &mut self.target else {
                    bail!("a channel outside a Slack import");
                };
                let slug = slugs
                    .get(&c.name)
                    .cloned()
                    .unwrap_or_else(|| domain::community::slug_from_name(&c.name));
                let visibility = if c.private {
                    Visibility::Private
                } else {
                    Visibility::Open
                };
                let name = domain::imported::fit_name(&c.name, &slug);
                let (id, created) = self
                    .imp
                    .community(&slug, &name, &c.purpose, visibility, self.steward)
                    .await?;
                if created {
                    Tally::add(&mut self.tally.created, "communities");
                }
                *current = Some(id);
            }
            Item::Joined { person, at } => {
                let community = self.community()?;
                let settled = self
                    .imp
                    .add(Record::Joined {
                        community,
                        person,
                        at,
                    })
                    .await?;
                self.settle(settled);
            }
            Item::Post(post) => {
                let community = self.community()?;
                let settled = self.imp.add(Record::Post { community, post }).await?;
                self.settle(settled);
            }
            Item::Accepted(a) => {
                let settled = self.imp.add(Record::Accepted(a)).await?;
                self.settle(settled);
            }
            Item::Reaction(r) => {
                let settled = self.imp.add(Record::Reaction(r)).await?;
                self.settle(settled);
            }
            Item::Skipped(s) => {
                let problem = s.to_string();
                self.tally.drop(s.reason.label(), problem);
            }
            Item::Unmapped { what, .. } => Tally::add(&mut self.tally.unmapped, what),
        }
        Ok(if self.strict && self.tally.skipped() > before {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    }

    /// Counts what became of records once their batch is written.
    fn settle(&mut self, settled: Vec<Settled>) {
        for Settled { record, outcome } in settled {
            match record {
                Record::Post { post: p, .. } => {
                    let by_bot = p.author.as_ref().is_some_and(|a| self.bots.contains(a));
                    if by_bot && matches!(outcome, Outcome::Thread(_) | Outcome::Reply(_)) {
                        self.tally.bot_posts += 1;
                    }
                    match outcome {
                        Outcome::Thread(_) => Tally::add(&mut self.tally.created, "threads"),
                        Outcome::Reply(_) => Tally::add(&mut self.tally.created, "replies"),
                        Outcome::Existing => Tally::add(&mut self.tally.existing, "posts"),
                        Outcome::Dangling => self.tally.drop(
                            "dangling references",
                            format!(
                                "{}: replies to {}, which is not there",
                                p.key,
                                p.parents.first().map(String::as_str).unwrap_or("nothing")
                            ),
                        ),
                        Outcome::UnknownPerson => self.tally.drop(
                            "unknown users",
                            format!("{}: written by someone never imported", p.key),
                        ),
                        Outcome::Added => {}
                    }
                }
                Record::Accepted(a) => match outcome {
                    Outcome::Added => Tally::add(&mut self.tally.created, "accepted answers"),
                    Outcome::Existing => Tally::add(&mut self.tally.existing, "accepted answers"),
                    _ => self.tally.drop(
                        "dangling references",
                        format!("{} accepts {}, which is not there", a.question, a.answer),
                    ),
                },
                Record::Reaction(r) => match outcome {
                    Outcome::Added => Tally::add(&mut self.tally.created, "reactions"),
                    Outcome::Existing => Tally::add(&mut self.tally.existing, "reactions"),
                    _ => self.tally.drop(
                        "dangling references",
                        format!("a reaction to {}, which is not there", r.post),
                    ),
                },
                Record::Joined { person, .. } => match outcome {
                    Outcome::Added => Tally::add(&mut self.tally.created, "joins"),
                    Outcome::UnknownPerson => self.tally.drop(
                        "unknown users",
                        format!("{person}: joined, but was never imported"),
                    ),
                    _ => {}
                },
            }
        }
    }

    fn community(&self) -> anyhow::Result<i64> {
        match &self.target {
            Target::One(id) => Ok(*id),
            Target::Channels {
                current: Some(id), ..
            } => Ok(*id),
            Target::Channels { current: None, .. } => bail!("a message outside any channel"),
        }
    }
}

/// Runs an import.
pub async fn run(settings: &Settings, command: ImportCommand) -> anyhow::Result<()> {
    let common = match &command {
        ImportCommand::Slack(a) => &a.common,
        ImportCommand::Stackexchange(a) => &a.common,
        ImportCommand::Mbox(a) => &a.common,
    };
    let (dry_run, strict, quiet) = (common.dry_run, common.strict, common.quiet);
    let steward_email = common.steward.clone();
    // Check the arguments before touching the store.
    let (source, slugs, fixed): (&str, HashMap<String, String>, Option<String>) = match &command {
        ImportCommand::Slack(a) => {
            let slugs = match (a.channel.len(), a.community.len()) {
                (c, m) if c == m => a.channel.iter().cloned().zip(a.community.clone()).collect(),
                (_, 0) => a
                    .channel
                    .iter()
                    .map(|c| (c.clone(), domain::community::slug_from_name(c)))
                    .collect(),
                _ => bail!("give one --community for each --channel, in the same order"),
            };
            ("slack", slugs, None)
        }
        ImportCommand::Stackexchange(a) => {
            ("stackexchange", HashMap::new(), Some(a.community.clone()))
        }
        ImportCommand::Mbox(a) => ("mbox", HashMap::new(), Some(a.community.clone())),
    };
    for slug in slugs.values().chain(fixed.iter()) {
        domain::community::slug(slug)
            .map_err(|e| anyhow::anyhow!("--community {slug:?}: {}", e.message))?;
    }
    let store = open_store(settings).await?;
    let result = import(
        &store,
        command,
        source,
        slugs,
        fixed,
        steward_email,
        (dry_run, strict, quiet),
    )
    .await;
    store.close().await;
    result
}

async fn import(
    store: &Store,
    command: ImportCommand,
    source: &'static str,
    slugs: HashMap<String, String>,
    fixed: Option<String>,
    steward_email: Option<String>,
    (dry_run, strict, quiet): (bool, bool, bool),
) -> anyhow::Result<()> {
    let steward = match steward_email {
        Some(email) => {
            let email = domain::person::email(&email)
                .map_err(|e| anyhow::anyhow!("--steward: {}", e.message))?;
            store
                .person_by_email(&email)
                .await?
                .with_context(|| format!("--steward: no account has the e-mail {email}"))?
                .id
        }
        None => store.first_admin().await?.context(
            "no organisation admin to steward the imported communities: create one with \
             `guildhall admin create-user --admin` or name a steward with --steward EMAIL",
        )?,
    };
    let now = domain::SystemClock.now();
    let mut imp = store.begin_import(source, dry_run, now).await?;
    imp.set_strict(strict);
    let mut tally = Tally::default();
    let target = match &fixed {
        Some(slug) => {
            let (id, created) = imp
                .community(slug, slug, "", Visibility::Open, steward)
                .await?;
            if created {
                Tally::add(&mut tally.created, "communities");
            }
            Target::One(id)
        }
        None => Target::Channels {
            slugs: slugs.clone(),
            current: None,
        },
    };
    let mut run = Run {
        imp,
        tally,
        target,
        steward,
        bots: HashSet::new(),
        strict,
    };

    // The reader runs on its own thread; a bounded channel keeps memory flat.
    let (send, mut receive) = tokio::sync::mpsc::channel::<Item>(1024);
    let reader = std::thread::spawn(move || -> Result<(), ReadError> {
        let mut sink = |item: Item| {
            if send.blocking_send(item).is_ok() {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        };
        match command {
            ImportCommand::Slack(a) => {
                let options = import::slack::Options {
                    channels: a.channel.clone(),
                };
                import::slack::read(&a.export, &options, &mut sink)
            }
            ImportCommand::Stackexchange(a) => import::stackexchange::read(
                &a.dir,
                &import::stackexchange::Options { site: a.community },
                &mut sink,
            ),
            ImportCommand::Mbox(a) => {
                let files: Vec<&std::path::Path> = a.files.iter().map(PathBuf::as_path).collect();
                import::mbox::read(
                    &files,
                    &import::mbox::Options {
                        list: a.community.clone(),
                    },
                    &mut sink,
                )
            }
        }
    });

    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} records, {per_sec}, {elapsed} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let mut stopped = false;
    let mut failure = None;
    while let Some(item) = receive.recv().await {
        match run.apply(item).await {
            Ok(ControlFlow::Continue(())) => {}
            Ok(ControlFlow::Break(())) => {
                stopped = true;
                break;
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    }
    drop(receive);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let read = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the {source} reader stopped unexpectedly"))?;
    if let Some(e) = failure {
        // The batch in progress is rolled back; whole batches before it stay,
        // and running the import again resumes after them.
        drop(run);
        return Err(
            e.context("the import stopped; what it wrote before stays and a new run resumes")
        );
    }
    if let Err(e) = read {
        let Run { imp, tally, .. } = run;
        drop(imp);
        tally.print(source, dry_run, false);
        bail!("{e}");
    }
    if !stopped {
        // The records still queued.
        let before = run.tally.skipped();
        let last = run
            .imp
            .flush()
            .await
            .context("the import stopped; what it wrote before stays and a new run resumes")?;
        run.settle(last);
        stopped = strict && run.tally.skipped() > before;
    }
    let Run { imp, tally, .. } = run;
    if stopped {
        drop(imp);
        tally.print(source, dry_run, true);
        bail!("--strict: a record could not be brought in (see above)");
    }
    imp.finish().await?;
    tally.print(source, dry_run, false);
    if strict && tally.skipped() > 0 {
        bail!("--strict: {} records were skipped", tally.skipped());
    }
    Ok(())
}
