//! The last-good cache: every accepted document is written to disk atomically
//! (temporary file in the same folder, fsync, rename, fsync of the folder)
//! with its validators and fetch time, and loaded at start before the first
//! fetch. A corrupt file is moved aside and reported, never fatal.

use crate::feed::{self, Feed, Report};
use crate::net::Validators;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why the last-good cache cannot be read or written.
#[derive(Debug, Error)]
pub enum CacheError {
    /// Storing a document failed; the one before stays in place.
    #[error(
        "cannot write the feed cache {path}: {source}; check the cache folder's permissions and free space"
    )]
    Write {
        /// The cache file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file holds no usable document; it was moved aside (or removed).
    #[error("the feed cache {path} is unreadable ({reason}); moved aside to {aside}")]
    Corrupt {
        /// The cache file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
        /// Where it now is, `<name>.corrupt-<unix seconds>`.
        aside: PathBuf,
    },
    /// The file is there but cannot be read (e.g. permissions).
    #[error("cannot read the feed cache {path}: {source}")]
    Read {
        /// The cache file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// The largest cache file read: a whole document and its metadata line.
const MAX_CACHE_BYTES: u64 = crate::feed::MAX_BODY_BYTES as u64 + 64 * 1024;

/// What is stored beside the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheMeta {
    /// The feed URL the document came from, redacted as the status shows it.
    pub url: String,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// The document's SHA-256 (hex); a body that does not match is corrupt.
    pub sha256: String,
    /// The response's validators, so the first poll after a restart can be conditional.
    #[serde(default)]
    pub validators: Validators,
    /// The document's verified signature (base64), when the screen checks them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// A document loaded from the cache, validated again.
#[derive(Debug)]
pub struct CachedFeed {
    /// What was stored beside it.
    pub meta: CacheMeta,
    /// The document, validated as if just fetched.
    pub feed: Feed,
    /// What validation dropped or cleaned.
    pub report: Report,
    /// The document's bytes as fetched.
    pub body: Vec<u8>,
}

/// The cache file of one feed URL.
#[derive(Clone, Debug)]
pub struct Cache {
    path: PathBuf,
}

/// No cache folder could be chosen.
#[derive(Debug, Error)]
#[error(
    "no cache folder: set --cache-dir, [feed] cache_dir, RANKWALL_CACHE_DIR, XDG_CACHE_HOME or HOME \
     (a shared folder under /tmp is never used: other users could plant files there)"
)]
pub struct NoCacheDir;

/// The cache folder: the configured one, else `RANKWALL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/rankwall`, else `~/.cache/rankwall`. There is no shared
/// fallback under the temporary folder.
pub fn cache_dir(configured: Option<&Path>) -> Result<PathBuf, NoCacheDir> {
    cache_dir_with(configured, &|k| std::env::var_os(k))
}

/// [`cache_dir`] with the environment given as a function (for tests).
pub fn cache_dir_with(
    configured: Option<&Path>,
    var: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<PathBuf, NoCacheDir> {
    if let Some(dir) = configured {
        return Ok(dir.to_path_buf());
    }
    let env = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    env("RANKWALL_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("rankwall")))
        .or_else(|| env("HOME").map(|d| d.join(".cache/rankwall")))
        .ok_or(NoCacheDir)
}

impl Cache {
    /// The cache for `url` in `dir` (one file per URL).
    pub fn new(dir: &Path, url: &str) -> Self {
        let key = &super::sha256_hex(url.as_bytes())[..16];
        Cache {
            path: dir.join(format!("feed-{key}.cache")),
        }
    }

    /// The cache file, `feed-<hash of the URL>.cache`, for logs and the status.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads the cached document. `Ok(None)` when there is none; a file that
    /// cannot be parsed or validated is moved aside and reported as `Corrupt`.
    pub fn load(&self) -> Result<Option<CachedFeed>, CacheError> {
        crate::private_file::prune_temporaries(&self.path);
        // A device, a folder or an oversized file at the cache's name is
        // corrupt: set aside, never read without limit.
        let bytes = match crate::limited_read::read_regular(&self.path, MAX_CACHE_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData
                ) =>
            {
                return Err(self.move_aside(e.to_string()))
            }
            Err(source) => {
                return Err(CacheError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        match decode(&bytes) {
            Ok(cached) => Ok(Some(cached)),
            Err(reason) => Err(self.move_aside(reason.to_string())),
        }
    }

    fn move_aside(&self, reason: String) -> CacheError {
        let aside = self
            .path
            .with_extension(format!("corrupt-{}", Utc::now().timestamp()));
        let renamed = std::fs::rename(&self.path, &aside);
        self.prune_set_asides();
        if let Err(e) = renamed {
            let _ = std::fs::remove_file(&self.path);
            return CacheError::Corrupt {
                path: self.path.clone(),
                reason: format!("{reason}; {e}"),
                aside,
            };
        }
        CacheError::Corrupt {
            path: self.path.clone(),
            reason,
            aside,
        }
    }

    /// Keeps the newest [`KEEP`](crate::private_file::KEEP) corrupt copies
    /// moved aside; a cache corrupted again and again must not fill the disk.
    fn prune_set_asides(&self) {
        let Some(stem) = self.path.file_stem().and_then(|s| s.to_str()) else {
            return;
        };
        let prefix = format!("{stem}.corrupt-");
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::private_file::prune(dir, &|name| name.starts_with(&prefix));
    }

    /// Stores an accepted document atomically: a crash leaves either the old
    /// file or the new one, never a mix.
    pub fn store(&self, meta: &CacheMeta, body: &[u8]) -> Result<(), CacheError> {
        let err = |source| CacheError::Write {
            path: self.path.clone(),
            source,
        };
        let header = serde_json::to_string(meta).map_err(|e| err(e.into()))?;
        crate::private_file::write_atomic(&self.path, &[header.as_bytes(), b"\n", body]).map_err(err)
    }
}

/// Why a cache file's bytes are no usable document (the file is then moved aside).
#[derive(Debug, Error)]
enum Undecodable {
    /// No newline ends the metadata.
    #[error("no metadata line")]
    NoMetadataLine,
    /// The metadata line is not the expected JSON.
    #[error("metadata: {0}")]
    Metadata(serde_json::Error),
    /// The document is not the one the metadata describes.
    #[error("checksum mismatch")]
    Checksum,
    /// The document no longer passes validation.
    #[error("document refused: {0}")]
    Refused(feed::Refusal),
}

/// The file is one line of metadata JSON, a newline, then the document.
fn decode(bytes: &[u8]) -> Result<CachedFeed, Undecodable> {
    let split = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(Undecodable::NoMetadataLine)?;
    let meta: CacheMeta = serde_json::from_slice(&bytes[..split]).map_err(Undecodable::Metadata)?;
    let body = bytes[split + 1..].to_vec();
    if super::sha256_hex(&body) != meta.sha256 {
        return Err(Undecodable::Checksum);
    }
    let (feed, report) = feed::parse(&body).map_err(Undecodable::Refused)?;
    Ok(CachedFeed {
        meta,
        feed,
        report,
        body,
    })
}
