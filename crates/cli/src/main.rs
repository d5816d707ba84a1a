//! The `guildhall` binary: reads the configuration, opens the store and runs
//! the chosen subcommand. The work itself lives in the library crates.

mod admin;
mod config;
mod demo;
mod demo_history;
mod demo_posts;
mod demo_practice;
mod demo_threads;
mod export;
mod import;
mod report;
mod serve;
mod test_clock;

use std::process::ExitCode;

use clap::Subcommand;

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (pages, API, /healthz, /metrics).
    Serve(serve::ServeArgs),
    /// Fill the store with a demo organisation (idempotent).
    Demo(demo::DemoArgs),
    /// Administer accounts.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Health report of an activity log: figures, vitality, stage, diagnoses.
    Report(report::ReportArgs),
    /// Import history from Slack, Stack Exchange or mailing lists.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Export data from the store.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Print the effective configuration (flags, then environment, then file, then defaults).
    Config(serve::ServeArgs),
}

fn main() -> ExitCode {
    let (settings, command) = match config::load() {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(&settings);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match command {
            Command::Serve(args) => serve::run(&settings, args).await,
            Command::Demo(args) => demo::run(&settings, args).await,
            Command::Admin(cmd) => admin::run(&settings, cmd).await,
            Command::Export(cmd) => export::run(&settings, cmd).await,
            Command::Import(cmd) => import::run(&settings, cmd).await,
            Command::Config(args) => config::show(&settings, &args),
            Command::Report(args) => report::run(args),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
