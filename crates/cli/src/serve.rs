//! `guildhall serve`: runs the web server until SIGTERM or Ctrl-C, then
//! finishes the requests in flight.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{ArgMatches, Args};
use domain::SystemClock;
use web::{AppState, WebConfig};

use crate::config::{ServeFileSettings, Settings, left_default, open_store};

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GUILDHALL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Load the demo organisation before serving (idempotent).
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure: set this when Guildhall is served over HTTPS.
    #[arg(long, env = "GUILDHALL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Who may create an account: `open` (anyone who reaches the server) or `closed` (admins only, via the CLI).
    #[arg(long, env = "GUILDHALL_SIGNUP", default_value = "open", value_parser = ["open", "closed"])]
    pub signup: String,
    /// For browser tests only: add to the system time the whole seconds
    /// written in this file, read on every use of the clock.
    #[arg(long, hide = true, value_name = "FILE")]
    pub test_clock: Option<std::path::PathBuf>,
    /// Digest e-mail and links.
    #[command(flatten)]
    pub outreach: crate::config::OutreachArgs,
}

impl ServeArgs {
    /// Takes the file's value for every flag left at its default.
    pub fn merge_file(
        &mut self,
        matches: &ArgMatches,
        file: &ServeFileSettings,
    ) -> anyhow::Result<()> {
        if left_default(matches, "addr")
            && let Some(addr) = &file.addr
        {
            self.addr = addr.clone();
        }
        if left_default(matches, "secure_cookies")
            && let Some(secure) = file.secure_cookies
        {
            self.secure_cookies = secure;
        }
        if left_default(matches, "signup")
            && let Some(signup) = &file.signup
        {
            anyhow::ensure!(
                signup == "open" || signup == "closed",
                "configuration file: [serve] signup must be \"open\" or \"closed\", not {signup:?}"
            );
            self.signup = signup.clone();
        }
        Ok(())
    }
}

/// Runs the server.
pub async fn run(settings: &Settings, args: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = args.addr.parse().with_context(|| {
        format!(
            "--addr {:?} is not an address like 127.0.0.1:8080",
            args.addr
        )
    })?;
    let store = open_store(settings).await?;
    let clock: Arc<dyn domain::Clock> = match &args.test_clock {
        Some(file) => {
            tracing::warn!(file = %file.display(), "the clock is moved by a test file");
            Arc::new(crate::test_clock::FileOffsetClock::new(file.clone()))
        }
        None => Arc::new(SystemClock),
    };
    let mail = args.outreach.mail()?;
    let mut state = AppState::new(
        store.clone(),
        clock,
        WebConfig {
            secure_cookies: args.secure_cookies,
            open_signup: args.signup == "open",
        },
    );
    if args.demo {
        let summary = crate::demo::load(&state, crate::demo::DEFAULT_HISTORY).await?;
        eprintln!("{summary}");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    let public_url = args
        .outreach
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{bound}"));
    if let Some(m) = &mail {
        tracing::info!(host = %m.host, tls = m.tls.as_str(), "weekly digests are e-mailed through this relay");
    }
    state.outreach = web::outreach::Outreach::new(web::outreach::OutreachConfig {
        mail,
        public_url,
        workers: true,
    })?;
    tracing::info!(addr = %bound, backend = ?store.backend(), "Guildhall is listening");
    eprintln!("Guildhall is listening on http://{bound}/");
    web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    tracing::info!("Guildhall stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
