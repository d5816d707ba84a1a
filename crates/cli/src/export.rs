//! `guildhall export activity`: writes the store's activity log as the public
//! JSON Lines format of METRICS.md, page by page in constant memory.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use health::event::{Event, Kind, Response, ThreadType};
use store::activity::{LogFilter, LoggedEvent};

use crate::config::{Settings, open_store};

/// What to export.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The activity log, as JSON Lines.
    Activity(ActivityArgs),
}

/// Options of `export activity`.
#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// Only this community (its slug).
    #[arg(long, value_name = "SLUG")]
    pub community: Option<String>,
    /// Only events at or after this RFC 3339 instant.
    #[arg(long, value_name = "INSTANT")]
    pub since: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

const PAGE: i64 = 10_000;

/// Runs an export.
pub async fn run(settings: &Settings, command: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Activity(args) = command;
    let since = args
        .since
        .as_deref()
        .map(|s| {
            chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&chrono::Utc))
                .with_context(|| {
                    format!("--since: {s:?} is not an RFC 3339 instant like 2026-01-31T00:00:00Z")
                })
        })
        .transpose()?;
    let store = open_store(settings).await?;
    let community = match &args.community {
        Some(slug) => Some(
            store
                .community_id(slug)
                .await?
                .with_context(|| format!("--community: no community has the address {slug:?}"))?,
        ),
        None => None,
    };
    let sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let filter = LogFilter { community, since };
    let mut after = 0;
    let mut written = 0u64;
    loop {
        let page = store.activity_page(filter, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for logged in &page {
            serde_json::to_writer(&mut out, &public(logged)?)?;
            out.write_all(b"\n")?;
            written += 1;
        }
    }
    out.flush()?;
    store.close().await;
    tracing::info!(events = written, "activity log exported");
    Ok(())
}

/// The public form of a stored event.
fn public(e: &LoggedEvent) -> anyhow::Result<Event> {
    let kind = Kind::from_name(&e.kind)
        .with_context(|| format!("stored event {} has unknown kind {:?}", e.id, e.kind))?;
    let mut event = Event::new(
        e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        e.community.clone(),
        kind,
    );
    event.actor = e.actor.map(|a| a.to_string());
    event.subject = e.subject.clone();
    event.reply_to = e.reply_to.map(|a| a.to_string());
    event.team = e.team.clone();
    event.reply_to_team = e.reply_to_team.clone();
    event.thread_type = e.thread_type.as_deref().and_then(ThreadType::from_name);
    event.response = e.response.as_deref().and_then(Response::from_name);
    event.value = e.value.and_then(|v| u8::try_from(v).ok());
    event.review_days = e.review_days.and_then(|v| u32::try_from(v).ok());
    Ok(event)
}
