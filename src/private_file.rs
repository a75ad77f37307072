//! Files the screen writes for itself (the feed cache, a remote config's last
//! good copy, the proof-of-play log): private to the screen's user, never
//! written through a link someone planted, and never left to pile up.
//!
//! Folders are created 0700 and files 0600, whatever the umask. A file is
//! replaced through a temporary file with a random name opened with
//! `O_CREAT | O_EXCL` (so a symlink waiting at that name is refused, not
//! followed); the log is appended with `O_NOFOLLOW`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many set-aside or stale temporary files of one kind are kept.
pub const KEEP: usize = 3;

/// Creates `dir` and any missing parents with mode 0700. A folder that
/// already exists is left as it is (it may be one the operator made).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Writes `parts` to `path` so that a crash leaves either the old file or the
/// new one: a private temporary file with a random name in the same folder,
/// fsync, rename over `path`, fsync the folder. The result is mode 0600.
pub fn write_atomic(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = folder_of(path);
    create_private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.as_file().sync_all()?;
    // On error the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

/// Opens `path` for appending, creating it 0600 (and its folder 0700); a
/// symlink at `path` is refused rather than followed.
pub fn open_append(path: &Path) -> std::io::Result<File> {
    create_private_dir(folder_of(path))?;
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Removes the temporary files a crash left beside `path`, keeping the
/// newest [`KEEP`]. Call it when no write to `path` is in flight (at start).
pub fn prune_temporaries(path: &Path) -> usize {
    let prefix = temp_prefix(path);
    prune(folder_of(path), &|name| {
        name.starts_with(&prefix) && name.ends_with(".tmp")
    })
}

/// Removes the files in `dir` whose names `matches` accepts, except the
/// newest [`KEEP`] (by modification time); returns how many went. Errors are
/// ignored: pruning is housekeeping, never a reason to stop.
pub fn prune(dir: &Path, matches: &dyn Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut found: Vec<(SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(matches))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .map(|e| {
            let modified = e
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (modified, e.path())
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    found
        .iter()
        .skip(KEEP)
        .filter(|(_, path)| std::fs::remove_file(path).is_ok())
        .count()
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.NAME.`: temporary files are hidden and named after what they replace.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    format!(".{name}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn fresh_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rankwall-private-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_0600_in_0700_folders_whatever_the_content() {
        let dir = fresh_dir("modes");
        let file = dir.join("sub/feed.cache");
        write_atomic(&file, &[b"a", b"b"]).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"ab");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir.join("sub")), 0o700);
        assert_eq!(mode(&dir), 0o700);
        let log = dir.join("logs/played.jsonl");
        open_append(&log).unwrap().write_all(b"x\n").unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(&dir.join("logs")), 0o700);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_planted_symlink_is_never_written_through() {
        let dir = fresh_dir("symlink");
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("important.conf");
        std::fs::write(&victim, "precious").unwrap();
        let log = dir.join("played.jsonl");
        std::os::unix::fs::symlink(&victim, &log).unwrap();
        assert!(open_append(&log).is_err(), "the log refuses a symlink");
        // The replaced file's link is swapped for a real file; the target stays.
        let cache = dir.join("feed.cache");
        std::os::unix::fs::symlink(&victim, &cache).unwrap();
        write_atomic(&cache, &[b"new"]).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!std::fs::symlink_metadata(&cache).unwrap().is_symlink());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn pruning_keeps_the_newest_three() {
        let dir = fresh_dir("prune");
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("feed.cache");
        for n in 0..6 {
            let f = dir.join(format!(".feed.cache.{n}abc.tmp"));
            std::fs::write(&f, "x").unwrap();
            let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + n);
            File::options()
                .write(true)
                .open(&f)
                .unwrap()
                .set_modified(at)
                .unwrap();
        }
        std::fs::write(dir.join("other.tmp"), "x").unwrap();
        assert_eq!(prune_temporaries(&target), 3);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".feed.cache.3abc.tmp",
                ".feed.cache.4abc.tmp",
                ".feed.cache.5abc.tmp",
                "other.tmp"
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
