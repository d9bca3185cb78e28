//! Who reads the files a configuration names. Usually this process; but
//! `--check-config` run by root must judge the file as the totem's service
//! will read it: as user `kiosk`, with `ProtectHome=yes` and `PrivateTmp=yes`
//! hiding folders, and the token passed by `LoadCredential=` (see
//! `systemd/portalavoro-kiosk.service`). A file root can read and the
//! service cannot is an error there, not a surprise at boot.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The service's user (systemd/portalavoro-kiosk.sysusers).
pub const SERVICE_USER: &str = "kiosk";
/// Where the unit's `LoadCredential=hub-token:` takes the token from: the
/// service reads it as `$CREDENTIALS_DIRECTORY/hub-token`.
pub const SERVICE_CREDENTIALS: &str = "/etc/portalavoro";
/// Folders the service cannot see: `ProtectHome=yes`, `PrivateTmp=yes`.
const HIDDEN: [&str; 5] = ["/home", "/root", "/run/user", "/tmp", "/var/tmp"];

/// A user other than this process, and the folders hidden from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub user: String,
    pub uid: u32,
    pub gids: Vec<u32>,
    pub hidden: Vec<PathBuf>,
}

impl Reader {
    /// The totem service's view, if its user exists on this machine.
    pub fn service() -> Option<Reader> {
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
        Reader::from_databases(SERVICE_USER, &passwd, &group)
    }

    /// `user` as `/etc/passwd` and `/etc/group` (their text) describe it.
    pub fn from_databases(user: &str, passwd: &str, group: &str) -> Option<Reader> {
        let entry = passwd
            .lines()
            .map(|line| line.split(':').collect::<Vec<_>>())
            .find(|fields| fields.len() >= 4 && fields[0] == user)?;
        let uid = entry[2].parse().ok()?;
        let primary: u32 = entry[3].parse().ok()?;
        let mut gids = vec![primary];
        for fields in group
            .lines()
            .map(|line| line.split(':').collect::<Vec<_>>())
        {
            if fields.len() >= 4
                && fields[3].split(',').any(|member| member == user)
                && let Ok(gid) = fields[2].parse()
                && !gids.contains(&gid)
            {
                gids.push(gid);
            }
        }
        Some(Reader {
            user: user.to_string(),
            uid,
            gids,
            hidden: HIDDEN.iter().map(PathBuf::from).collect(),
        })
    }

    /// Whether this reader can read the file at `path`: not in a hidden
    /// folder, every folder on the way searchable, the file readable.
    pub fn check(&self, path: &Path) -> Result<(), String> {
        let real = path
            .canonicalize()
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        if let Some(folder) = self.hidden.iter().find(|folder| real.starts_with(folder)) {
            return Err(format!(
                "{} is in {}, which the kiosk service cannot see (ProtectHome=, PrivateTmp=): \
                 put it under /etc/portalavoro",
                real.display(),
                folder.display()
            ));
        }
        for folder in real.ancestors().skip(1) {
            let meta = std::fs::metadata(folder)
                .map_err(|err| format!("cannot read {}: {err}", folder.display()))?;
            if !self.may(&meta, 0o1) {
                return Err(format!(
                    "user {} cannot enter {} (mode {:o}, owner uid {})",
                    self.user,
                    folder.display(),
                    meta.mode() & 0o777,
                    meta.uid()
                ));
            }
        }
        let meta = std::fs::metadata(&real)
            .map_err(|err| format!("cannot read {}: {err}", real.display()))?;
        if !self.may(&meta, 0o4) {
            return Err(format!(
                "user {} cannot read {} (mode {:o}, owner uid {}): the kiosk service runs as {}",
                self.user,
                real.display(),
                meta.mode() & 0o777,
                meta.uid(),
                self.user
            ));
        }
        Ok(())
    }

    /// Whether the mode bits grant `bit` (4 read, 1 search) to this user.
    fn may(&self, meta: &std::fs::Metadata, bit: u32) -> bool {
        let mode = meta.mode();
        if meta.uid() == self.uid {
            mode & (bit << 6) != 0
        } else if self.gids.contains(&meta.gid()) {
            mode & (bit << 3) != 0
        } else {
            mode & bit != 0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
                          kiosk:x:998:997::/var/lib/kiosk:/usr/sbin/nologin\n";
    const GROUP: &str = "root:x:0:\nvideo:x:44:kiosk\nkiosk:x:997:\naudio:x:29:pulse,kiosk\n";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("reader-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_service_user_and_its_groups_are_read_from_the_databases() {
        let reader = Reader::from_databases("kiosk", PASSWD, GROUP).unwrap();
        assert_eq!((reader.uid, reader.gids.clone()), (998, vec![997, 44, 29]));
        assert_eq!(Reader::from_databases("nobody-here", PASSWD, GROUP), None);
    }

    #[test]
    fn a_file_only_root_reads_is_unreadable_to_the_service() {
        let dir = scratch("modes");
        let token = dir.join("hub-token");
        std::fs::write(&token, "secret\n").unwrap();
        let reader = Reader {
            // Some user this test does not run as, seeing every folder.
            uid: 4_000_123,
            gids: vec![4_000_123],
            hidden: Vec::new(),
            ..Reader::from_databases("kiosk", PASSWD, GROUP).unwrap()
        };
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
        let err = reader.check(&token).unwrap_err();
        assert!(err.contains("cannot read") && err.contains("600"), "{err}");
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(reader.check(&token), Ok(()));
        // A folder on the way it cannot enter.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let err = reader.check(&token).unwrap_err();
        assert!(err.contains("cannot enter"), "{err}");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn home_and_tmp_are_hidden_from_the_service() {
        let reader = Reader::from_databases("kiosk", PASSWD, GROUP).unwrap();
        let file = std::env::temp_dir().join(format!("reader-hidden-{}", std::process::id()));
        std::fs::write(&file, "x").unwrap();
        let err = reader.check(&file).unwrap_err();
        assert!(err.contains("cannot see"), "{err}");
        std::fs::remove_file(&file).unwrap();
    }
}
