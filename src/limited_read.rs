//! Reading a file a config names: a regular file only, and at most a given
//! size. A config (possibly from a URL) that names `/dev/zero` or a 2 GB file
//! as a font or a CA certificate gets an error, not an out-of-memory kill.
//! A leaf: it uses nothing of the crate.

use std::io::Read as _;
use std::path::Path;

/// The largest font or certificate file read: 32 MiB.
pub const MAX_NAMED_FILE: u64 = 32 * 1024 * 1024;

/// The bytes of the regular file at `path`, if it holds at most `max` bytes.
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    // The opened file's own metadata: what was checked is what is read.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} MiB", max >> 20),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_large_files_are_refused() {
        assert!(read_regular(Path::new("/dev/zero"), MAX_NAMED_FILE).is_err());
        assert!(read_regular(Path::new("/"), MAX_NAMED_FILE).is_err());
        let path = std::env::temp_dir().join(format!("rankwall-limited-{}", std::process::id()));
        std::fs::write(&path, [0u8; 100]).unwrap();
        assert_eq!(read_regular(&path, 100).unwrap().len(), 100);
        assert!(read_regular(&path, 99).is_err());
        let _ = std::fs::remove_file(&path);
    }
}
