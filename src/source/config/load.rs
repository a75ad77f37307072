//! Where a screen's config comes from at start: the embedded demo config, a
//! file, or a URL (fetched now, else its last good copy). What is found is
//! checked whole; messages name the file or URL with line and column.

use super::RemoteConfig;
use crate::config::{parse, Settings, DEMO_CONFIG};
use crate::net::Location;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Where the config comes from, and so how it is watched.
#[derive(Clone, Debug)]
pub enum ConfigOrigin {
    /// The demo config built into the binary ([`DEMO_CONFIG`]); never changes.
    Embedded,
    /// A local file, watched for changes.
    File(PathBuf),
    /// A URL, fetched again every poll interval.
    Remote(RemoteConfig),
}

impl ConfigOrigin {
    /// A file path, a URL, or `embedded demo config`, for the status.
    pub fn describe(&self) -> String {
        match self {
            ConfigOrigin::Embedded => "embedded demo config".to_string(),
            ConfigOrigin::File(p) => p.display().to_string(),
            ConfigOrigin::Remote(r) => r.shown_url(),
        }
    }
}

/// Why no config could be had at start.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The config file could not be read.
    #[error("cannot read config {path}: {source}; check the path and its permissions")]
    Read {
        /// The file, as given (without any `file://`).
        path: PathBuf,
        /// Why the read failed.
        source: std::io::Error,
    },
    /// The file was read but has errors (printed before this); the file or URL named.
    #[error("{0} has errors (above); fix them and start again")]
    Invalid(String),
    /// The URL gave no valid config and there is no valid last good copy; the URL named.
    #[error("no usable config from {0} and no last good copy; check the URL and the network")]
    NoRemote(String),
    /// The demo config built into the binary is invalid: a build defect, not the operator's.
    #[error("the embedded demo config is invalid (a build defect)")]
    Embedded,
    /// The runtime that fetches a remote config at start could not be built.
    #[error("cannot start the config fetcher: {0}")]
    Runtime(#[from] std::io::Error),
    /// A plain `http://` config URL without the operator's explicit consent.
    #[error(
        "refused the config URL {0}: plain http can be read and changed by anyone on the way; \
         serve it over https (with --ca-file for a private CA), or pass --allow-http-config \
         to accept the risk"
    )]
    PlainHttp(String),
}

/// How a config URL may be fetched: the operator's choices from the command
/// line and the `--screen-config` file, never from the remote text itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigTransport {
    /// `--allow-http-config`: plain `http://` config URLs are accepted (logged).
    pub allow_http: bool,
    /// The CA certificate (PEM) trusted besides the system's roots; the same
    /// file serves the feed.
    pub ca_file: Option<PathBuf>,
}

/// The config at start from `location` (a path, `file://…`, `http(s)://…`,
/// or `None` for the embedded demo). A URL's last good copy lives in
/// `cache_dir`; `local` is a file whose `[screen]` keys win over a URL's;
/// `transport` says how a URL may be fetched.
pub fn initial(
    location: Option<&str>,
    local: Option<&Path>,
    cache_dir: &Path,
    transport: &ConfigTransport,
) -> Result<(Settings, ConfigOrigin), LoadError> {
    let Some(location) = location else {
        let checked = parse("(embedded demo config)", DEMO_CONFIG, None);
        let settings = checked.settings.ok_or(LoadError::Embedded)?;
        return Ok((settings, ConfigOrigin::Embedded));
    };
    let path = match Location::parse(location) {
        Location::File(path) => path,
        Location::Url(url) => return remote_at(&url, local, cache_dir, transport),
    };
    let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Read {
        path: path.clone(),
        source,
    })?;
    let checked = parse(&path.display().to_string(), &text, None);
    for d in &checked.diagnostics {
        eprintln!("{d}");
    }
    match checked.settings {
        Some(settings) => Ok((settings, ConfigOrigin::File(path))),
        None => Err(LoadError::Invalid(path.display().to_string())),
    }
}

/// The config at start from the URL `location` (see [`initial`]).
fn remote_at(
    location: &str,
    local: Option<&Path>,
    cache_dir: &Path,
    transport: &ConfigTransport,
) -> Result<(Settings, ConfigOrigin), LoadError> {
    let mut remote = RemoteConfig::new(location, local.map(Path::to_path_buf), cache_dir);
    if location.starts_with("http://") {
        if !transport.allow_http {
            return Err(LoadError::PlainHttp(remote.shown_url()));
        }
        tracing::warn!(url = %remote.shown_url(), "--allow-http-config: fetching the config over plain http");
    }
    remote.http.ca_file = transport
        .ca_file
        .clone()
        .or_else(|| local.and_then(super::remote::local_ca_file));
    let settings = remote_initial(&remote)?;
    // The config is checked for changes as often as the feed.
    remote.interval = settings.feed.poll_interval;
    remote.backoff_max = settings.feed.backoff_max;
    remote.http.screen_id = settings.screen.id.clone();
    Ok((settings, ConfigOrigin::Remote(remote)))
}

/// The remote config at start: its last good copy at once when there is a
/// valid one (the fetcher then runs in the background, so a config server
/// that never answers does not hold up the screen), else fetched now.
fn remote_initial(remote: &RemoteConfig) -> Result<Settings, LoadError> {
    if let Some(settings) = remote.load_cached() {
        return Ok(settings);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let fetched = match crate::net::HttpFetcher::new(&remote.url, &remote.http) {
        Ok(fetcher) => {
            let mut validators = crate::net::Validators::default();
            runtime.block_on(remote.fetch(&fetcher, &mut validators))
        }
        Err(e) => Err(remote.failed(e)),
    };
    match &fetched {
        Ok(Some(text)) => {
            let checked = remote.check(text, None);
            for d in &checked.diagnostics {
                eprintln!("{d}");
            }
            if let Some(settings) = checked.settings {
                if let Err(e) = crate::private_file::write_atomic(&remote.cache_path, &[text.as_bytes()]) {
                    tracing::warn!("cannot keep the config's last good copy: {e}");
                }
                return Ok(settings);
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("{e}"),
    }
    Err(LoadError::NoRemote(remote.shown_url()))
}
