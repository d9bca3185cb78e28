//! Files that must survive a power cut whole: the last valid kiosk.toml,
//! the cached feeds, the PIN pad's lock.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Replaces the file at `path` with `bytes`, atomically and durably: they
/// are written to `temp` (beside it, in the same folder), synced, renamed
/// over `path`, and the folder synced, so that a power cut leaves the old
/// file or the new one, never an empty or half one. On failure `temp` is
/// removed.
pub fn replace(path: &Path, temp: &Path, bytes: &[u8]) -> io::Result<()> {
    let result = (|| {
        let mut file = File::create(temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(temp, path)?;
        // The rename is only durable once the folder itself is synced.
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        File::open(folder.unwrap_or(Path::new(".")))?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_a_failed_write_leaves_the_old_one() {
        let dir = std::env::temp_dir().join(format!("durable-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kept");
        replace(&path, &dir.join(".kept.tmp"), b"one").unwrap();
        replace(&path, &dir.join(".kept.tmp"), b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert!(!dir.join(".kept.tmp").exists());
        // A temp file that cannot be made: an error, the old file stays.
        let err = replace(&path, &dir.join("no-such-folder").join("t"), b"three");
        assert!(err.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"two");
        fs::remove_dir_all(&dir).unwrap();
    }
}
