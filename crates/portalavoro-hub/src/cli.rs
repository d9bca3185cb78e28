//! The command line, raw: what the user typed, checked for form only.
//! admin.rs and server.rs give it meaning.
//!
//! ```text
//! portalavoro-hub [--config FILE]                     serve
//! portalavoro-hub --demo [--port N]                   serve a demo network
//! portalavoro-hub [--config FILE] --check-config
//! portalavoro-hub [--config FILE] site add ID --name NAME [--hub ID]
//! portalavoro-hub [--config FILE] site list
//! portalavoro-hub [--config FILE] kiosk add ID --site ID
//! portalavoro-hub [--config FILE] kiosk revoke ID
//! portalavoro-hub [--config FILE] token add NAME --role staff|admin
//! portalavoro-hub [--config FILE] token revoke NAME
//! portalavoro-hub [--config FILE] user add NAME --role staff|admin
//! portalavoro-hub [--config FILE] vacancies import FILE [--dry-run]
//! portalavoro-hub [--config FILE] backup FILE
//! ```

use std::path::PathBuf;

use crate::db::Role;

pub const USAGE: &str = "\
usage:
  portalavoro-hub [--config FILE]                   serve the hub API
  portalavoro-hub --demo [--port N]                 serve a demo network (SQLite, kiosk settings printed)
  portalavoro-hub [--config FILE] --check-config    check hub.toml and the database
  portalavoro-hub [--config FILE] site add ID --name NAME [--hub ID]
  portalavoro-hub [--config FILE] site list
  portalavoro-hub [--config FILE] kiosk add ID --site ID       (prints the token last)
  portalavoro-hub [--config FILE] kiosk revoke ID
  portalavoro-hub [--config FILE] token add NAME --role staff|admin   (prints the token last)
  portalavoro-hub [--config FILE] token revoke NAME
  portalavoro-hub [--config FILE] user add NAME --role staff|admin    (password on stdin)
  portalavoro-hub [--config FILE] vacancies import FILE.csv [--dry-run]
  portalavoro-hub [--config FILE] backup FILE       (SQLite; PostgreSQL: pg_dump)
FILE defaults to /etc/portalavoro/hub.toml.";

pub const DEFAULT_CONFIG: &str = "/etc/portalavoro/hub.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    pub config: PathBuf,
    pub command: Command,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Serve,
    Demo {
        port: u16,
    },
    CheckConfig,
    SiteAdd {
        id: String,
        name: String,
        hub: Option<String>,
    },
    SiteList,
    KioskAdd {
        id: String,
        site: String,
    },
    KioskRevoke {
        id: String,
    },
    TokenAdd {
        name: String,
        role: Role,
    },
    TokenRevoke {
        name: String,
    },
    UserAdd {
        name: String,
        role: Role,
    },
    ImportVacancies {
        file: PathBuf,
        dry_run: bool,
    },
    Backup {
        file: PathBuf,
    },
    Help,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut config = PathBuf::from(DEFAULT_CONFIG);
    let mut words = Vec::new();
    let mut options: Vec<(String, Option<String>)> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config = PathBuf::from(args.next().ok_or("--config needs a file")?),
            "--name" | "--hub" | "--site" | "--role" | "--port" => {
                let value = args.next().ok_or(format!("{arg} needs a value"))?;
                options.push((arg, Some(value)));
            }
            "--demo" | "--check-config" | "--dry-run" | "--help" | "-h" => {
                options.push((arg, None))
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            _ => words.push(arg),
        }
    }
    let flag = |name: &str| options.iter().any(|(o, _)| o == name);
    let value = |name: &str| {
        options
            .iter()
            .find(|(o, _)| o == name)
            .and_then(|(_, v)| v.clone())
    };
    let required = |name: &str| value(name).ok_or(format!("{name} is required"));
    let role = || -> Result<Role, String> {
        let text = required("--role")?;
        Role::parse(&text).ok_or(format!("--role {text}: staff or admin"))
    };
    let id = |what: &str| -> Result<String, String> {
        let id = words.get(2).cloned().ok_or(format!("which {what}?"))?;
        if !crate::db::valid_id(&id) {
            return Err(format!("{what} {id:?}: 1-64 letters, digits, - _ ."));
        }
        Ok(id)
    };
    let words_ref: Vec<&str> = words.iter().map(String::as_str).collect();
    let command = match (words_ref.as_slice(), flag("--help") || flag("-h")) {
        (_, true) => Command::Help,
        ([], _) if flag("--demo") => Command::Demo {
            port: match value("--port") {
                Some(p) => p
                    .parse()
                    .map_err(|_| format!("--port {p}: a port number"))?,
                None => 8080,
            },
        },
        ([], _) if flag("--check-config") => Command::CheckConfig,
        ([], _) => Command::Serve,
        (["site", "add", _], _) => Command::SiteAdd {
            id: id("site")?,
            name: required("--name")?,
            hub: value("--hub"),
        },
        (["site", "list"], _) => Command::SiteList,
        (["kiosk", "add", _], _) => Command::KioskAdd {
            id: id("kiosk")?,
            site: required("--site")?,
        },
        (["kiosk", "revoke", _], _) => Command::KioskRevoke { id: id("kiosk")? },
        (["token", "add", _], _) => Command::TokenAdd {
            name: id("token")?,
            role: role()?,
        },
        (["token", "revoke", _], _) => Command::TokenRevoke { name: id("token")? },
        (["user", "add", _], _) => Command::UserAdd {
            name: id("user")?,
            role: role()?,
        },
        (["vacancies", "import", file], _) => Command::ImportVacancies {
            file: PathBuf::from(file),
            dry_run: flag("--dry-run"),
        },
        (["backup", file], _) => Command::Backup {
            file: PathBuf::from(file),
        },
        _ => return Err(format!("unknown command {:?}", words.join(" "))),
    };
    Ok(Args { config, command })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Args, String> {
        parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn commands_and_their_options() {
        assert_eq!(parse_line("").unwrap().command, Command::Serve);
        assert_eq!(
            parse_line("").unwrap().config,
            PathBuf::from(DEFAULT_CONFIG)
        );
        let args = parse_line("--config hub.toml kiosk add totem-1 --site matera").unwrap();
        assert_eq!(args.config, PathBuf::from("hub.toml"));
        assert_eq!(
            args.command,
            Command::KioskAdd {
                id: "totem-1".into(),
                site: "matera".into()
            }
        );
        assert_eq!(
            parse_line("site add policoro --name Policoro --hub matera")
                .unwrap()
                .command,
            Command::SiteAdd {
                id: "policoro".into(),
                name: "Policoro".into(),
                hub: Some("matera".into())
            }
        );
        assert_eq!(
            parse_line("token add desk --role admin").unwrap().command,
            Command::TokenAdd {
                name: "desk".into(),
                role: Role::Admin
            }
        );
        assert_eq!(
            parse_line("--demo --port 9000").unwrap().command,
            Command::Demo { port: 9000 }
        );
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            parse_line("kiosk add k1").unwrap_err(),
            "--site is required"
        );
        assert!(
            parse_line("token add t --role boss")
                .unwrap_err()
                .contains("staff or admin")
        );
        assert!(
            parse_line("kiosk add ../etc --site s")
                .unwrap_err()
                .contains("letters")
        );
        assert!(parse_line("--verbose").unwrap_err().contains("--verbose"));
        assert!(
            parse_line("site remove x")
                .unwrap_err()
                .contains("site remove x")
        );
    }
}
