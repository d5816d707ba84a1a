//! Digests and outgoing notifications. The weekly digest of each member
//! ([`digest`]), e-mailed over SMTP when the server has a mail relay
//! ([`mail`]); outgoing webhooks that stewards configure ([`webhooks`]),
//! whose payloads ([`payloads`]) are queued in the database and sent signed
//! with HMAC-SHA256, retried with backoff ([`delivery`]). The background
//! workers that send both run in `serve` when [`Outreach::workers`] is on.

pub mod delivery;
pub mod digest;
pub mod mail;
pub mod payloads;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use crate::AppState;

/// How often the webhook worker reads the queue.
pub const WEBHOOK_TICK: Duration = Duration::from_secs(2);
/// How often the digest worker looks for members whose digest is due.
pub const DIGEST_TICK: Duration = Duration::from_secs(60);
/// How long a webhook receiver has to answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// How the server reaches people outside it.
#[derive(Debug, Clone, Default)]
pub struct OutreachConfig {
    /// The SMTP relay digests are e-mailed through, if any.
    pub mail: Option<mail::MailSettings>,
    /// The address people reach this server at, e.g. `https://guildhall.example.org`,
    /// for the links in e-mails and webhook payloads.
    pub public_url: String,
    /// Whether this process runs the digest and webhook workers.
    pub workers: bool,
}

/// The mail relay, the HTTP client for webhooks and the server's public
/// address, shared by every request and the workers.
#[derive(Clone)]
pub struct Outreach {
    inner: Arc<Inner>,
}

struct Inner {
    mailer: Option<mail::Mailer>,
    http: reqwest::Client,
    public_url: String,
    workers: bool,
}

impl Default for Outreach {
    fn default() -> Self {
        Self::new(OutreachConfig::default()).unwrap_or_else(|_| unreachable!("no mail settings"))
    }
}

impl Outreach {
    /// Sets up mail (if configured) and the webhook client.
    pub fn new(config: OutreachConfig) -> Result<Self, mail::MailError> {
        let mailer = config.mail.as_ref().map(mail::Mailer::new).transpose()?;
        let http = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Guildhall-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| mail::MailError::Setup(format!("the webhook client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                mailer,
                http,
                public_url: config.public_url.trim_end_matches('/').to_owned(),
                workers: config.workers,
            }),
        })
    }

    /// The mail relay, if the server has one.
    pub fn mailer(&self) -> Option<&mail::Mailer> {
        self.inner.mailer.as_ref()
    }

    /// The client webhook deliveries are sent with.
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// `path` as an absolute link (relative when no public address is set).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.inner.public_url)
    }

    /// Whether this process runs the workers.
    pub fn workers(&self) -> bool {
        self.inner.workers
    }
}

impl std::fmt::Debug for Outreach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outreach")
            .field("mail", &self.inner.mailer.is_some())
            .field("public_url", &self.inner.public_url)
            .field("workers", &self.inner.workers)
            .finish()
    }
}

/// Starts the webhook and digest workers when this process runs them.
/// Each round's failure is logged and the next round tries again.
pub fn spawn_workers(state: AppState) {
    if !state.outreach.workers() {
        return;
    }
    let hooks = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(WEBHOOK_TICK);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = delivery::tick(&hooks).await {
                tracing::warn!(error = %e, "webhook deliveries: this round failed");
            }
        }
    });
    if state.outreach.mailer().is_none() {
        return;
    }
    tokio::spawn(async move {
        let mut every = tokio::time::interval(DIGEST_TICK);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match digest::send_due(&state).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "weekly digests e-mailed"),
                Err(e) => tracing::warn!(error = %e, "weekly digests: this round failed"),
            }
        }
    });
}
