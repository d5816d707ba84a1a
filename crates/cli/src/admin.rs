//! `guildhall admin`: creating accounts, promoting admins and making
//! personal access tokens from the command line.

use std::io::BufRead;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use domain::SystemClock;
use domain::person::OrgRole;
use web::accounts::{self, SignUp};
use web::{AppState, WebConfig};

use crate::config::{Settings, open_store};

/// Account administration.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account (a random password is printed unless --password-stdin is given).
    CreateUser {
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Make the new account an organisation admin.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make an existing account an organisation admin.
    Promote {
        /// E-mail address.
        #[arg(long)]
        email: String,
    },
    /// Merge one person into another: posts, memberships, activity, kudos,
    /// reactions and notifications of --from follow to --into; --from is removed.
    MergePeople {
        /// E-mail of the identity that goes (e.g. an imported one).
        #[arg(long)]
        from: String,
        /// E-mail of the identity that stays.
        #[arg(long)]
        into: String,
    },
    /// Print a one-time link with which an imported person claims their account (sets a password).
    ClaimLink {
        /// E-mail of the imported person.
        email: String,
        /// The site's address, for the link.
        #[arg(
            long,
            default_value = "http://localhost:8080",
            env = "GUILDHALL_BASE_URL"
        )]
        base_url: String,
        /// Days the link stays valid.
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// Create a personal access token and print it (once).
    CreateToken {
        /// E-mail address of the token's owner.
        #[arg(long)]
        email: String,
        /// A label for the token.
        #[arg(long, default_value = "created from the command line")]
        name: String,
    },
}

/// Runs an admin command.
pub async fn run(settings: &Settings, command: AdminCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let state = AppState::new(store.clone(), Arc::new(SystemClock), WebConfig::default());
    let result = execute(&state, command).await;
    store.close().await;
    result
}

async fn execute(state: &AppState, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser {
            email,
            name,
            admin,
            password_stdin,
        } => {
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (web::auth::secret::new_secret("")[..20].to_owned(), true)
            };
            let role = if admin {
                OrgRole::Admin
            } else {
                OrgRole::Member
            };
            let id = accounts::sign_up(
                state,
                SignUp {
                    email: email.clone(),
                    display_name: name,
                    password: password.clone(),
                },
                role,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", flag_message(&e)))?;
            println!(
                "created {} {} (id {id})",
                role.as_str(),
                email.trim().to_lowercase()
            );
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::Promote { email } => {
            let email = domain::person::email(&email)
                .map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
            state
                .store
                .set_org_role(&email, OrgRole::Admin, state.clock.now())
                .await
                .map_err(|e| match e {
                    store::StoreError::NotFound => {
                        anyhow::anyhow!("--email: no account has the e-mail {email}")
                    }
                    other => other.into(),
                })?;
            println!("{email} is now an organisation admin");
        }
        AdminCommand::MergePeople { from, into } => {
            let mut ids = Vec::new();
            for (flag, email) in [("--from", &from), ("--into", &into)] {
                let email = domain::person::email(email)
                    .map_err(|e| anyhow::anyhow!("{flag}: {}", e.message))?;
                let person = state
                    .store
                    .person_by_email(&email)
                    .await?
                    .with_context(|| format!("{flag}: no one has the e-mail {email}"))?;
                ids.push((email, person.id));
            }
            state
                .store
                .merge_people(ids[0].1, ids[1].1)
                .await
                .map_err(|e| match e {
                    store::StoreError::Conflict { message, .. } => anyhow::anyhow!("{message}"),
                    other => other.into(),
                })?;
            println!(
                "merged {} into {}: their history follows",
                ids[0].0, ids[1].0
            );
        }
        AdminCommand::ClaimLink {
            email,
            base_url,
            days,
        } => {
            let email = domain::person::email(&email)
                .map_err(|e| anyhow::anyhow!("EMAIL: {}", e.message))?;
            let person = state
                .store
                .person_by_email(&email)
                .await?
                .with_context(|| format!("no one has the e-mail {email}"))?;
            let secret = web::auth::secret::new_secret("ghc_");
            let now = state.clock.now();
            state
                .store
                .create_claim_link(
                    person.id,
                    &web::auth::secret::digest(&secret),
                    now + chrono::Duration::days(days.clamp(1, 90)),
                    now,
                )
                .await
                .map_err(|e| match e {
                    store::StoreError::Conflict { message, .. } => {
                        anyhow::anyhow!("{email}: {message}")
                    }
                    other => other.into(),
                })?;
            println!("{}/claim/{secret}", base_url.trim_end_matches('/'));
        }
        AdminCommand::CreateToken { email, name } => {
            let email = domain::person::email(&email)
                .map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
            let person = state
                .store
                .person_by_email(&email)
                .await?
                .with_context(|| format!("--email: no account has the e-mail {email}"))?;
            let (token, _) = accounts::create_token(state, &person, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{}", flag_message(&e)))?;
            println!("{token}");
        }
    }
    Ok(())
}

/// Names the command-line flag behind a field error.
fn flag_message(e: &web::WebError) -> String {
    let flag = match e.field() {
        Some("display_name") => Some("--name"),
        Some("email") => Some("--email"),
        Some("password") => Some("the password"),
        Some("name") => Some("--name"),
        _ => None,
    };
    let message = match e {
        web::WebError::Invalid(i) => i.message.clone(),
        other => other.public_message(),
    };
    match flag {
        Some(flag) => format!("{flag}: {message}"),
        None => message,
    }
}
