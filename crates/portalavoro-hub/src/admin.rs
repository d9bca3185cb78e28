//! The administration commands of the command line: each opens the
//! database named by hub.toml, does one thing, and says what it did. The
//! token a command makes is printed as the last line, alone, so a script
//! can take it with `tail -n1`.

use std::io::Read;
use std::path::Path;

use crate::cli::Command;
use crate::config::HubConfig;
use crate::db::{Db, Site};
use crate::error::ApiError;
use crate::secrets;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Secret(#[from] secrets::SecretError),
    #[error("{0}")]
    Input(String),
}

/// Who the audit log names for the command line.
fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "root".into())
    )
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Runs one administration command; what it prints goes to `out`.
pub async fn run(
    config: &HubConfig,
    command: Command,
    out: &mut impl std::io::Write,
) -> Result<(), AdminError> {
    let db = Db::open(&config.database).await?;
    let result = execute(&db, config, command, out).await;
    db.close().await;
    result
}

async fn execute(
    db: &Db,
    config: &HubConfig,
    command: Command,
    out: &mut impl std::io::Write,
) -> Result<(), AdminError> {
    let say = |out: &mut dyn std::io::Write, text: String| {
        let _ = writeln!(out, "{text}");
    };
    match command {
        Command::SiteAdd { id, name, hub } => {
            let kind = if hub.is_some() { "spoke" } else { "hub" };
            db.add_site(
                &Site {
                    id: id.clone(),
                    name,
                    hub_id: hub,
                },
                &actor(),
                now(),
            )
            .await?;
            say(out, format!("site {id} added ({kind})"));
        }
        Command::SiteList => {
            for site in db.sites().await? {
                let role = match &site.hub_id {
                    Some(hub) => format!("spoke of {hub}"),
                    None => "hub".into(),
                };
                say(out, format!("{}\t{}\t{role}", site.id, site.name));
            }
        }
        Command::KioskAdd { id, site } => {
            let token = secrets::new_token()?;
            db.add_kiosk(&id, &site, &secrets::hash_token(&token), &actor(), now())
                .await?;
            say(
                out,
                format!(
                    "kiosk {id} added to site {site}; its token, shown only now (write it to /etc/portalavoro/hub-token on the totem):"
                ),
            );
            say(out, token);
        }
        Command::KioskRevoke { id } => {
            db.revoke_kiosk(&id, &actor(), now()).await?;
            say(
                out,
                format!("kiosk {id} revoked: its next request is refused"),
            );
        }
        Command::TokenAdd { name, role } => {
            let token = secrets::new_token()?;
            db.add_token(&name, role, &secrets::hash_token(&token), &actor(), now())
                .await?;
            say(
                out,
                format!(
                    "{} token {name} added; the token, shown only now:",
                    role.key()
                ),
            );
            say(out, token);
        }
        Command::TokenRevoke { name } => {
            db.revoke_token(&name, &actor(), now()).await?;
            say(out, format!("token {name} revoked"));
        }
        Command::UserAdd { name, role } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|err| {
                    AdminError::Input(format!("reading the password from stdin: {err}"))
                })?;
            let password = password.trim_end_matches(['\n', '\r']);
            if password.chars().count() < 10 {
                return Err(AdminError::Input(
                    "the password needs at least 10 characters".into(),
                ));
            }
            let hash = secrets::hash_password(password)?;
            db.add_user(&name, role, &hash, &actor(), now()).await?;
            say(out, format!("{} user {name} added", role.key()));
        }
        Command::ImportVacancies { file, dry_run } => {
            let bytes = std::fs::read(&file)
                .map_err(|err| AdminError::Input(format!("{}: {err}", file.display())))?;
            let report = import_file(db, config, &bytes, dry_run).await?;
            say(
                out,
                serde_json::to_string_pretty(&report).unwrap_or_default(),
            );
        }
        Command::Backup { file } => {
            backup(db, &file).await?;
            say(out, format!("database copied to {}", file.display()));
        }
        Command::Serve | Command::Demo { .. } | Command::CheckConfig | Command::Help => {}
    }
    Ok(())
}

async fn import_file(
    db: &Db,
    config: &HubConfig,
    bytes: &[u8],
    dry_run: bool,
) -> Result<crate::import::Report, AdminError> {
    let state = crate::state::AppState::new(db.clone(), config.clone()).await?;
    crate::import::vacancies(&state, &actor(), bytes, dry_run)
        .await
        .map_err(|err: ApiError| AdminError::Input(err.to_string()))
}

async fn backup(db: &Db, file: &Path) -> Result<(), AdminError> {
    if file.exists() {
        return Err(AdminError::Input(format!(
            "{} exists: name a new file",
            file.display()
        )));
    }
    Ok(db.backup_sqlite(file).await?)
}
