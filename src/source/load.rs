//! A feed loaded once from a [`Location`]: the one way `render`, `render
//! --config`, `check --config` and the console get a document. A file is read
//! (regular files only, at most the body limit) and validated; a URL goes
//! through the same poller, cache and clock check as a screen: one fetch, and
//! the last good copy when the fetch gives nothing. The screen itself polls
//! for ever with [`Poller::run`]; the console keeps the poller this returns.

use super::{Accepted, Outcome, Poller, SourceConfig};
use crate::feed::{Feed, Refusal};
use crate::net::{HttpFetcher, Location};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// A feed loaded once.
pub struct Loaded {
    /// The document, validated.
    pub accepted: Arc<Accepted>,
    /// What to add to the local clock, when the feed server's `Date` says it is wrong.
    pub clock_correction: Option<chrono::Duration>,
    /// For a URL, the poller that fetched it, to keep polling with.
    pub poller: Option<Poller<HttpFetcher>>,
}

impl Loaded {
    /// The feed.
    pub fn feed(&self) -> &Arc<Feed> {
        &self.accepted.feed
    }
}

/// Why no feed could be had from a location.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The file could not be read (missing, not a regular file, too large).
    #[error("cannot read feed {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The document was read and refused whole.
    #[error("feed {location} refused: {refusal}")]
    Refused {
        /// The file or URL (credentials hidden).
        location: String,
        /// Why it was refused.
        refusal: Refusal,
    },
    /// The URL gave nothing usable and there is no last good copy.
    #[error("feed {location}: {why} and there is no cached copy in {}", cache.display())]
    Nothing {
        /// The URL (credentials hidden).
        location: String,
        /// What the fetch said.
        why: String,
        /// Where the last good copy would be.
        cache: PathBuf,
    },
}

/// Loads the feed at `location` once; a URL's last good copy is kept in `cache_dir`.
pub async fn load(location: &Location, cache_dir: &Path) -> Result<Loaded, LoadError> {
    match location {
        Location::File(path) => load_file(location, path),
        Location::Url(url) => load_url(location, url, cache_dir).await,
    }
}

fn load_file(location: &Location, path: &Path) -> Result<Loaded, LoadError> {
    let body =
        crate::limited_read::read_regular(path, crate::feed::MAX_BODY_BYTES as u64).map_err(|source| {
            LoadError::Read {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let (feed, report) = crate::feed::parse(&body).map_err(|refusal| LoadError::Refused {
        location: location.to_string(),
        refusal,
    })?;
    let accepted = Accepted {
        feed: Arc::new(feed),
        report,
        sha256: crate::digest::sha256_hex(&body),
        from_cache: false,
    };
    Ok(Loaded {
        accepted: Arc::new(accepted),
        clock_correction: None,
        poller: None,
    })
}

/// A poller for `url` with the default source settings, its last good copy
/// in `cache_dir`. Never a dead end: a client that cannot be built (a missing
/// CA file) still lets the poller fall back on the last good copy, back off
/// and recover.
pub fn url_poller(url: &str, cache_dir: &Path) -> Poller<HttpFetcher> {
    let config = SourceConfig::new(url, cache_dir.to_path_buf());
    let fetcher = HttpFetcher::retrying(url, &config.http);
    Poller::new(config, fetcher)
}

async fn load_url(location: &Location, url: &str, cache_dir: &Path) -> Result<Loaded, LoadError> {
    let mut poller = url_poller(url, cache_dir);
    let cached = poller.load_cache();
    let result = poller.poll_once().await;
    let accepted = match (result.accepted, cached) {
        (Some(fresh), _) => fresh,
        (None, Some(cached)) => {
            if result.outcome.is_failure() {
                tracing::warn!(cache = %poller.cache().path().display(), "using the last good feed from the cache");
            }
            cached
        }
        (None, None) => {
            return Err(LoadError::Nothing {
                location: location.to_string(),
                why: outcome_text(&result.outcome),
                cache: poller.cache().path().to_path_buf(),
            })
        }
    };
    let clock_correction = poller
        .clock()
        .using_server_time()
        .then(|| poller.clock().skew())
        .flatten();
    Ok(Loaded {
        accepted,
        clock_correction,
        poller: Some(poller),
    })
}

fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Failed { message, .. } | Outcome::Refused { message, .. } => message.clone(),
        other => other.code().to_string(),
    }
}
