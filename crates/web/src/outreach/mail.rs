//! E-mail over SMTP with lettre: the relay's settings (host, port, sender,
//! optional credentials that are never logged, TLS mode) and sending one
//! message with a plain-text and an HTML part.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain SMTP: only for a relay on the same machine or network.
    None,
    /// Plain, then upgraded with STARTTLS (refused if the relay cannot); port 587 by default.
    StartTls,
    /// TLS from the first byte (SMTPS); port 465 by default.
    Tls,
}

impl std::str::FromStr for TlsMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Self::None),
            "starttls" => Ok(Self::StartTls),
            "tls" => Ok(Self::Tls),
            other => Err(format!(
                "{other:?} is not a TLS mode: use none, starttls or tls"
            )),
        }
    }
}

impl TlsMode {
    /// The mode's name, as the configuration writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::StartTls => "starttls",
            Self::Tls => "tls",
        }
    }
}

/// Where and how to send mail.
#[derive(Clone)]
pub struct MailSettings {
    /// The relay's host name.
    pub host: String,
    /// Its port; the mode's usual one when `None` (25, 587 or 465).
    pub port: Option<u16>,
    /// The sender, e.g. `Guildhall <guildhall@example.org>`.
    pub from: String,
    /// User name, when the relay wants one.
    pub username: Option<String>,
    /// Password (never logged or shown).
    pub password: Option<String>,
    /// How the connection is protected.
    pub tls: TlsMode,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("tls", &self.tls)
            .finish()
    }
}

/// What can go wrong with mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The settings cannot work.
    #[error("mail settings: {0}")]
    Setup(String),
    /// An address is not an e-mail address.
    #[error("{0:?} is not an e-mail address")]
    Address(String),
    /// The message could not be put together.
    #[error("the message could not be written: {0}")]
    Message(String),
    /// The relay refused or could not be reached.
    #[error("the mail relay: {0}")]
    Send(String),
}

/// A connection to the mail relay and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Checks `settings` and prepares the transport (no connection yet).
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings.from.parse().map_err(|_| {
            MailError::Setup(format!("{:?} is not a sender address", settings.from))
        })?;
        let host = settings.host.trim();
        if host.is_empty() {
            return Err(MailError::Setup("the SMTP host is empty".into()));
        }
        let builder = match settings.tls {
            TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(25),
            TlsMode::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| MailError::Setup(e.to_string()))?,
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| MailError::Setup(e.to_string()))?,
        };
        let mut builder = builder.timeout(Some(SMTP_TIMEOUT));
        if let Some(port) = settings.port {
            builder = builder.port(port);
        }
        if let Some(user) = &settings.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                settings.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one message to `name <to>` with a plain-text and an HTML part.
    pub async fn send(
        &self,
        (to, name): (&str, &str),
        subject: &str,
        text: String,
        html: String,
    ) -> Result<(), MailError> {
        let address = to.parse().map_err(|_| MailError::Address(to.to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(Some(name.to_owned()), address))
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| MailError::Message(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        Ok(())
    }
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}
