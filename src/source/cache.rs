//! The last-good cache: every accepted document is written to disk atomically
//! (temporary file in the same folder, fsync, rename, fsync of the folder)
//! with its validators and fetch time, and loaded at start before the first
//! fetch. A corrupt file is moved aside and reported, never fatal.

use super::fetch::Validators;
use crate::feed::{self, Feed, Report};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum CacheError {
    #[error(
        "cannot write the feed cache {path}: {source}; check the cache folder's permissions and free space"
    )]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the feed cache {path} is unreadable ({reason}); moved aside to {aside}")]
    Corrupt {
        path: PathBuf,
        reason: String,
        aside: PathBuf,
    },
    #[error("cannot read the feed cache {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
}

/// What is stored beside the document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheMeta {
    pub url: String,
    pub fetched_at: DateTime<Utc>,
    pub sha256: String,
    #[serde(default)]
    pub validators: Validators,
}

/// A document loaded from the cache, validated again.
#[derive(Debug)]
pub struct CachedFeed {
    pub meta: CacheMeta,
    pub feed: Feed,
    pub report: Report,
    pub body: Vec<u8>,
}

/// The cache file of one feed URL.
#[derive(Clone, Debug)]
pub struct Cache {
    path: PathBuf,
}

/// The cache folder: the configured one, else `RANKWALL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/rankwall`, else `~/.cache/rankwall`, else a folder in /tmp.
pub fn cache_dir(configured: Option<&Path>) -> PathBuf {
    cache_dir_with(configured, &|k| std::env::var_os(k))
}

/// [`cache_dir`] with the environment given as a function (for tests).
pub fn cache_dir_with(
    configured: Option<&Path>,
    var: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_path_buf();
    }
    let env = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    env("RANKWALL_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("rankwall")))
        .or_else(|| env("HOME").map(|d| d.join(".cache/rankwall")))
        .unwrap_or_else(|| std::env::temp_dir().join("rankwall-cache"))
}

impl Cache {
    /// The cache for `url` in `dir` (one file per URL).
    pub fn new(dir: &Path, url: &str) -> Self {
        let key = &super::sha256_hex(url.as_bytes())[..16];
        Cache {
            path: dir.join(format!("feed-{key}.cache")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads the cached document. `Ok(None)` when there is none; a file that
    /// cannot be parsed or validated is moved aside and reported as `Corrupt`.
    pub fn load(&self) -> Result<Option<CachedFeed>, CacheError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(CacheError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        match decode(&bytes) {
            Ok(cached) => Ok(Some(cached)),
            Err(reason) => Err(self.move_aside(reason)),
        }
    }

    fn move_aside(&self, reason: String) -> CacheError {
        let aside = self
            .path
            .with_extension(format!("corrupt-{}", Utc::now().timestamp()));
        if let Err(e) = std::fs::rename(&self.path, &aside) {
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

    /// Stores an accepted document atomically: a crash leaves either the old
    /// file or the new one, never a mix.
    pub fn store(&self, meta: &CacheMeta, body: &[u8]) -> Result<(), CacheError> {
        let err = |source| CacheError::Write {
            path: self.path.clone(),
            source,
        };
        let header = serde_json::to_string(meta).map_err(|e| err(e.into()))?;
        write_atomic(&self.path, &[header.as_bytes(), b"\n", body]).map_err(err)
    }
}

/// Writes `parts` to `path` so that a crash leaves either the old file or the
/// new one: a temporary file in the same folder, fsync, rename, fsync the folder.
pub fn write_atomic(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The file is one line of metadata JSON, a newline, then the document.
fn decode(bytes: &[u8]) -> Result<CachedFeed, String> {
    let split = bytes.iter().position(|&b| b == b'\n').ok_or("no metadata line")?;
    let meta: CacheMeta = serde_json::from_slice(&bytes[..split]).map_err(|e| format!("metadata: {e}"))?;
    let body = bytes[split + 1..].to_vec();
    if super::sha256_hex(&body) != meta.sha256 {
        return Err("checksum mismatch".into());
    }
    let (feed, report) = feed::parse(&body).map_err(|r| format!("document refused: {r}"))?;
    Ok(CachedFeed {
        meta,
        feed,
        report,
        body,
    })
}
