//! Configuration: command-line flags, then `GUILDHALL_*` environment
//! variables, then an optional TOML file (`--config`), then defaults, in that
//! order of precedence.

use std::path::PathBuf;

use anyhow::Context;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser};
use serde::Deserialize;

use crate::Command;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "guildhall",
    version,
    about = "Guildhall: a home for an organisation's communities of practice",
    long_about = None
)]
pub struct Cli {
    /// TOML configuration file; its settings sit below flags and environment variables.
    #[arg(long, env = "GUILDHALL_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory holding the embedded SQLite database (used unless --database is given).
    #[arg(
        long,
        env = "GUILDHALL_DATA",
        global = true,
        value_name = "DIR",
        default_value = "./guildhall-data"
    )]
    pub data: PathBuf,
    /// PostgreSQL URL (postgres://user:password@host/db) for running several servers on one database.
    #[arg(long, env = "GUILDHALL_DATABASE", global = true, value_name = "URL")]
    pub database: Option<String>,
    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "GUILDHALL_LOG_FORMAT", global = true, value_name = "FORMAT", default_value = "text",
          value_parser = ["text", "json"])]
    pub log_format: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Outgoing mail (the weekly digest) and the address links point to. Set
/// by flags or `GUILDHALL_*` variables; the SMTP password is never logged
/// or shown.
#[derive(Debug, Clone, Args)]
pub struct OutreachArgs {
    /// The address people reach this server at (e.g. https://guildhall.example.org), for links in e-mails and webhook payloads [default: http://ADDR].
    #[arg(long, env = "GUILDHALL_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// SMTP relay for the weekly digest e-mail; without one no e-mail is sent.
    #[arg(long, env = "GUILDHALL_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port [default: 25 with --smtp-tls none, 587 with starttls, 465 with tls].
    #[arg(long, env = "GUILDHALL_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// Sender of digest e-mails.
    #[arg(
        long,
        env = "GUILDHALL_SMTP_FROM",
        value_name = "ADDRESS",
        default_value = "Guildhall <guildhall@localhost>"
    )]
    pub smtp_from: String,
    /// SMTP user name, when the relay wants one.
    #[arg(long, env = "GUILDHALL_SMTP_USERNAME", value_name = "USER")]
    pub smtp_username: Option<String>,
    /// SMTP password (better in the environment than on the command line).
    #[arg(
        long,
        env = "GUILDHALL_SMTP_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// How the SMTP connection is protected: none (only for a relay on this machine or network), starttls or tls.
    #[arg(long, env = "GUILDHALL_SMTP_TLS", value_name = "MODE", default_value = "starttls",
          value_parser = ["none", "starttls", "tls"])]
    pub smtp_tls: String,
}

impl OutreachArgs {
    /// The mail relay's settings, if a host is given.
    pub fn mail(&self) -> anyhow::Result<Option<web::outreach::mail::MailSettings>> {
        let Some(host) = self.smtp_host.as_ref().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        Ok(Some(web::outreach::mail::MailSettings {
            host: host.trim().to_owned(),
            port: self.smtp_port,
            from: self.smtp_from.clone(),
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            tls: self.smtp_tls.parse().map_err(anyhow::Error::msg)?,
        }))
    }
}

/// The TOML file's settings; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Data directory.
    pub data: Option<PathBuf>,
    /// PostgreSQL URL.
    pub database: Option<String>,
    /// Log format.
    pub log_format: Option<String>,
    /// Server settings.
    #[serde(default)]
    pub serve: ServeFile,
}

/// The `[serve]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeFile {
    /// Address to listen on.
    pub addr: Option<String>,
    /// Mark cookies Secure.
    pub secure_cookies: Option<bool>,
    /// `open` or `closed`.
    pub signup: Option<String>,
}

/// Settings every subcommand shares, after merging.
#[derive(Debug, Clone)]
pub struct Settings {
    /// SQLite directory.
    pub data: PathBuf,
    /// PostgreSQL URL, if any.
    pub database: Option<String>,
    /// `text` or `json`.
    pub log_format: String,
    /// The `[serve]` table of the file, for the server to merge under its flags.
    pub serve_file: ServeFileSettings,
}

/// The file's server settings, kept for `serve`.
#[derive(Debug, Clone, Default)]
pub struct ServeFileSettings {
    /// Address.
    pub addr: Option<String>,
    /// Secure cookies.
    pub secure_cookies: Option<bool>,
    /// Sign-up policy.
    pub signup: Option<String>,
}

fn from_default(matches: &ArgMatches, id: &str) -> bool {
    matches!(
        matches.value_source(id),
        Some(ValueSource::DefaultValue) | None
    )
}

/// Parses the command line and merges the configuration file underneath.
pub fn load() -> anyhow::Result<(Settings, Command)> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches)?;
    let file = match &cli.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("cannot read the configuration file {}", path.display())
            })?;
            toml::from_str::<FileConfig>(&text)
                .with_context(|| format!("configuration file {}", path.display()))?
        }
        None => FileConfig::default(),
    };
    let mut settings = Settings {
        data: cli.data,
        database: cli.database,
        log_format: cli.log_format,
        serve_file: ServeFileSettings {
            addr: file.serve.addr,
            secure_cookies: file.serve.secure_cookies,
            signup: file.serve.signup,
        },
    };
    if from_default(&matches, "data")
        && let Some(data) = file.data
    {
        settings.data = data;
    }
    if settings.database.is_none() {
        settings.database = file.database;
    }
    if from_default(&matches, "log_format")
        && let Some(format) = file.log_format
    {
        anyhow::ensure!(
            format == "text" || format == "json",
            "configuration file: log_format must be \"text\" or \"json\", not {format:?}"
        );
        settings.log_format = format;
    }
    // Flags of the subcommand that the file may also set are merged by the subcommand,
    // which knows its own matches.
    let command = match cli.command {
        Command::Serve(mut args) => {
            if let Some(("serve", sub)) = matches.subcommand() {
                args.merge_file(sub, &settings.serve_file)?;
            }
            Command::Serve(args)
        }
        Command::Config(mut args) => {
            if let Some(("config", sub)) = matches.subcommand() {
                args.merge_file(sub, &settings.serve_file)?;
            }
            Command::Config(args)
        }
        other => other,
    };
    Ok((settings, command))
}

/// Whether a subcommand flag was left at its default (so the file may set it).
pub fn left_default(matches: &ArgMatches, id: &str) -> bool {
    from_default(matches, id)
}

/// Starts logging to standard error, filtered by `GUILDHALL_LOG` (default `info`).
pub fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GUILDHALL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Opens the store the settings name: PostgreSQL if a URL is given, else SQLite in the data directory.
pub async fn open_store(settings: &Settings) -> anyhow::Result<store::Store> {
    Ok(match &settings.database {
        Some(url) => store::Store::open(url).await?,
        None => store::Store::open_dir(&settings.data).await?,
    })
}

/// Prints the effective configuration as TOML, with any database password hidden.
pub fn show(settings: &Settings, serve: &crate::serve::ServeArgs) -> anyhow::Result<()> {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    println!("data = {}", quote(&settings.data.display().to_string()));
    match &settings.database {
        Some(url) => println!("database = {}", quote(&store::redact(url))),
        None => println!("# database: not set (SQLite in the data directory)"),
    }
    println!("log_format = {}", quote(&settings.log_format));
    println!();
    println!("[serve]");
    println!("addr = {}", quote(&serve.addr));
    println!("secure_cookies = {}", serve.secure_cookies);
    println!("signup = {}", quote(&serve.signup));
    let o = &serve.outreach;
    println!();
    println!("# outgoing mail (flags and GUILDHALL_* variables only)");
    match &o.smtp_host {
        Some(host) => println!("# smtp_host = {}", quote(host)),
        None => println!("# smtp_host: not set (no digest e-mail)"),
    }
    if let Some(port) = o.smtp_port {
        println!("# smtp_port = {port}");
    }
    println!("# smtp_from = {}", quote(&o.smtp_from));
    println!("# smtp_tls = {}", quote(&o.smtp_tls));
    if let Some(user) = &o.smtp_username {
        println!("# smtp_username = {}", quote(user));
    }
    if o.smtp_password.is_some() {
        println!("# smtp_password = \"***\"");
    }
    Ok(())
}
