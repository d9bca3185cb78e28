//! The last valid configuration, kept in the state directory
//! (`$STATE_DIRECTORY`, systemd's `StateDirectory=`). A technician's typo in
//! a new kiosk.toml must not leave the lobby with a black screen, nor make
//! systemd restart the kiosk in a loop: the kiosk then runs on the copy of
//! the last file that was valid, and says so loudly (log, `systemctl
//! status`, the heartbeat, a mark on screen, diagnostics).
//!
//! A kiosk given a hub never falls back to the demo: when the kept copy
//! names no hub (the shipped file, before a technician set one), the kiosk
//! runs out of service instead ([`Config::out_of_service`]): no invented
//! vacancies, the error on screen for staff.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, ConfigError, Env};

/// The copy's name in the state directory.
pub const FILE_NAME: &str = "last-valid-kiosk.toml";

/// A configuration to run on.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    /// Set when the file at the configured path is broken and this is the
    /// last valid copy instead: what is wrong with the file.
    pub broken: Option<ConfigError>,
}

/// Loads `path`; if it is valid, keeps a copy in `state_dir`. If it is not
/// and a valid copy is kept there, returns the copy (relative paths in it
/// still resolve from `path`'s folder), or the out-of-service
/// configuration if the copy names no hub, with the error. Otherwise the
/// error.
pub fn load(path: &Path, env: &Env, state_dir: Option<&Path>) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path);
    let result = match &text {
        Ok(text) => config::parse(path, text, env),
        Err(_) => config::load(path, env),
    };
    match (result, state_dir) {
        (Ok(config), Some(dir)) => {
            if let Ok(text) = &text {
                keep(dir, text);
            }
            Ok(Loaded {
                config,
                broken: None,
            })
        }
        (Ok(config), None) => Ok(Loaded {
            config,
            broken: None,
        }),
        (Err(broken), Some(dir)) => {
            let copy = dir.join(FILE_NAME);
            let Ok(saved) = std::fs::read_to_string(&copy) else {
                return Err(broken);
            };
            match config::parse(path, &saved, env) {
                Ok(config) if config.hub.is_some() => Ok(Loaded {
                    config,
                    broken: Some(broken),
                }),
                // The copy would show the demo: out of service instead.
                Ok(_) => Ok(Loaded {
                    config: Config::out_of_service(path, env),
                    broken: Some(broken),
                }),
                // A copy that no longer validates (an upgrade changed the
                // rules): the original error is the one to fix.
                Err(_) => Err(broken),
            }
        }
        (Err(broken), None) => Err(broken),
    }
}

/// Writes the copy atomically and durably (a power cut leaves the old
/// copy or the new one, never an empty file), and only when it changed.
fn keep(dir: &Path, text: &str) {
    let copy = dir.join(FILE_NAME);
    if std::fs::read_to_string(&copy).is_ok_and(|kept| kept == text) {
        return;
    }
    let temp: PathBuf = dir.join(format!(".{FILE_NAME}.tmp"));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| crate::durable::replace(&copy, &temp, text.as_bytes()));
    if let Err(err) = written {
        tracing::warn!(
            "cannot keep a copy of the valid configuration in {}: {err}",
            dir.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("last-valid-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("state")).unwrap();
        dir
    }

    const GOOD: &str =
        "[hub]\nurl = \"https://hub.example.org\"\n[site]\nname = \"Portalavoro Matera\"\n";
    const BROKEN: &str = "[hub]\nurl = \"https://hub.example.org\"\n[site]\nname = \"Portalavoro Matera\"\n[attract]\nidle_timeout_s = 5\n";
    /// A file that asks for the demo (as the repository's does), no hub.
    const DEMO: &str = "[hub]\ndemo = true\n[site]\nname = \"Portalavoro Matera\"\ncontacts = [\"Via del Corso 1\"]\n";

    #[test]
    fn a_broken_file_runs_on_the_last_valid_one_and_says_what_is_wrong() {
        let dir = scratch("fallback");
        let (file, state) = (dir.join("kiosk.toml"), dir.join("state"));
        let env = Env::default();

        std::fs::write(&file, GOOD).unwrap();
        let loaded = load(&file, &env, Some(&state)).unwrap();
        assert!(loaded.broken.is_none());
        assert_eq!(
            std::fs::read_to_string(state.join(FILE_NAME)).unwrap(),
            GOOD
        );

        std::fs::write(&file, BROKEN).unwrap();
        let loaded = load(&file, &env, Some(&state)).unwrap();
        let broken = loaded.broken.expect("the error is reported");
        assert_eq!(
            (broken.key.as_str(), broken.line),
            ("attract.idle_timeout_s", 6)
        );
        assert_eq!(loaded.config.site.name, "Portalavoro Matera");
        assert_eq!(
            loaded.config.attract.idle_timeout.as_secs(),
            90,
            "the old value"
        );
        assert_eq!(
            std::fs::read_to_string(state.join(FILE_NAME)).unwrap(),
            GOOD,
            "the broken file is not kept"
        );

        // A missing file too.
        std::fs::remove_file(&file).unwrap();
        assert!(load(&file, &env, Some(&state)).unwrap().broken.is_some());
    }

    #[test]
    fn a_kiosk_given_a_hub_never_falls_back_to_the_demo() {
        let dir = scratch("no-demo");
        let (file, state) = (dir.join("kiosk.toml"), dir.join("state"));
        let env = Env::default();
        // A demo file runs, and is kept.
        std::fs::write(&file, DEMO).unwrap();
        let loaded = load(&file, &env, Some(&state)).unwrap();
        assert!(loaded.config.demo && loaded.config.hub.is_none());
        // A technician sets a hub, with a mistake.
        std::fs::write(&file, BROKEN).unwrap();
        let loaded = load(&file, &env, Some(&state)).unwrap();
        assert_eq!(
            loaded.broken.map(|err| err.key),
            Some("attract.idle_timeout_s".to_string())
        );
        let config = loaded.config;
        assert!(!config.demo, "no demo content after a broken file");
        assert!(config.site.contacts.is_empty(), "nor the demo's contacts");
        assert_ne!(config.site.name, "Portalavoro Matera");
    }

    #[test]
    fn without_a_valid_copy_the_error_stands() {
        let dir = scratch("none");
        let file = dir.join("kiosk.toml");
        std::fs::write(&file, BROKEN).unwrap();
        let env = Env::default();
        assert!(load(&file, &env, Some(&dir.join("state"))).is_err());
        assert!(load(&file, &env, None).is_err());
        // A kept copy that no longer validates does not hide the error.
        std::fs::write(dir.join("state").join(FILE_NAME), "nonsense = 1\n").unwrap();
        let err = load(&file, &env, Some(&dir.join("state"))).unwrap_err();
        assert_eq!(err.key, "attract.idle_timeout_s");
    }
}
