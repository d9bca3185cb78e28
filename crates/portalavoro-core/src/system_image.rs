//! The totem's system image, as the heartbeat reports it: the version this
//! boot runs (`IMAGE_VERSION` in os-release) and an update that was
//! installed but is not running, i.e. rolled back (docs/updates.md).
//!
//! The image's update service writes down each version it installs
//! (`installed`); a trial boot whose kiosk never got ready writes down
//! why (`failed`). Both live on the state partition, which every system
//! version shares. A kiosk not on the image has neither: `None`.

use std::path::Path;

/// Where os-release is.
pub const OS_RELEASE: &str = "/etc/os-release";
/// Where the image's update service and health check write.
pub const UPDATE_RECORDS: &str = "/var/lib/portalavoro/update";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemImage {
    /// The version this boot runs.
    pub version: String,
    /// An installed version that is not running: its trial boot failed and
    /// the boot loader went back to this one.
    pub rolled_back: Option<RolledBack>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledBack {
    pub version: String,
    /// What its trial boot said, when it could say anything.
    pub reason: String,
}

impl SystemImage {
    /// This machine's image, or `None` off the image.
    pub fn of_this_system() -> Option<SystemImage> {
        let os_release = std::fs::read_to_string(OS_RELEASE).ok()?;
        let records = Path::new(UPDATE_RECORDS);
        let read = |name: &str| std::fs::read_to_string(records.join(name)).ok();
        SystemImage::from_files(&os_release, read("installed"), read("failed"))
    }

    /// From os-release's text and the update records' (`installed`: a
    /// version; `failed`: a version on the first line, the reason on the
    /// next).
    pub fn from_files(
        os_release: &str,
        installed: Option<String>,
        failed: Option<String>,
    ) -> Option<SystemImage> {
        let version = os_release.lines().find_map(|line| {
            let value = line.strip_prefix("IMAGE_VERSION=")?;
            Some(value.trim().trim_matches('"').to_string())
        })?;
        let installed = installed
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != version);
        let rolled_back = installed.map(|installed| {
            let reason = failed
                .as_deref()
                .and_then(|text| {
                    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
                    (first.trim() == installed).then(|| rest.trim().to_string())
                })
                .filter(|reason| !reason.is_empty())
                .unwrap_or_else(|| "its trial boot did not finish".to_string());
            RolledBack {
                version: installed.to_string(),
                reason,
            }
        });
        Some(SystemImage {
            version,
            rolled_back,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OS: &str = "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nID=debian\n\
                      IMAGE_ID=portalavoro\nIMAGE_VERSION=\"0.9.0.20261203\"\n";

    #[test]
    fn off_the_image_there_is_no_image() {
        assert_eq!(
            SystemImage::from_files("ID=debian\n", Some("1".into()), None),
            None
        );
    }

    #[test]
    fn running_what_was_installed_is_no_rollback() {
        let image =
            SystemImage::from_files(OS, Some("0.9.0.20261203\n".into()), Some("x\n".into()))
                .unwrap();
        assert_eq!(image.version, "0.9.0.20261203");
        assert_eq!(image.rolled_back, None);
        let fresh = SystemImage::from_files(OS, None, None).unwrap();
        assert_eq!(fresh.rolled_back, None);
    }

    #[test]
    fn an_installed_version_not_running_was_rolled_back_with_its_reason() {
        let image = SystemImage::from_files(
            OS,
            Some("0.9.0.20261210\n".into()),
            Some("0.9.0.20261210\nthe kiosk stopped 3 times before it was ready\n".into()),
        )
        .unwrap();
        assert_eq!(
            image.rolled_back,
            Some(RolledBack {
                version: "0.9.0.20261210".into(),
                reason: "the kiosk stopped 3 times before it was ready".into(),
            })
        );
        // A reason written for another version is not this one's.
        let silent = SystemImage::from_files(
            OS,
            Some("0.9.0.20261210".into()),
            Some("0.9.0.20261201\nold news\n".into()),
        )
        .unwrap();
        assert_eq!(
            silent.rolled_back.unwrap().reason,
            "its trial boot did not finish"
        );
    }
}
