//! A config served from a URL, so one file on a server drives many screens.
//! It goes through the feed source's machinery: the same fetcher (timeouts,
//! size limit, conditional GET with ETag / Last-Modified), the same backoff
//! after failures, and a last good copy on disk that a restart without
//! network starts from. A screen can still override its own `[screen]`
//! section with a local file.

use super::watch::{rejected, ConfigEvent};
use crate::config::{parse, parse_remote, Checked, Settings};
use crate::feed::Feed;
use crate::net::{FetchError, FetchOutcome, Fetcher, HttpFetcher, HttpOptions, Validators};
use crate::source::Backoff;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Why a remote config could not be fetched; the message names the URL
/// (credentials hidden).
#[derive(Debug, thiserror::Error)]
pub enum RemoteFetchError {
    /// The body is not UTF-8, so it is no TOML.
    #[error("{url} is not UTF-8 text")]
    NotText {
        /// The URL as shown.
        url: String,
    },
    /// The fetch itself failed.
    #[error("{url}: {error}")]
    Fetch {
        /// The URL as shown.
        url: String,
        /// What went wrong.
        error: FetchError,
    },
}

/// Where a remote config comes from and where its last good copy goes.
#[derive(Clone, Debug)]
pub struct RemoteConfig {
    /// The `http://` or `https://` address the config is fetched from; messages about it name this.
    pub url: String,
    /// A local file whose `[screen]` keys replace the remote ones.
    pub local: Option<PathBuf>,
    /// The last good copy of the remote text.
    pub cache_path: PathBuf,
    /// How long to wait between two fetches while all is well; the `[feed]` poll interval once a
    /// config is had.
    pub interval: Duration,
    /// The longest wait between retries after failures.
    pub backoff_max: Duration,
    /// The fetcher's options: timeouts, the screen id in the User-Agent, an extra CA.
    pub http: HttpOptions,
    /// Shared with the console's push channel: a nudge fetches at once.
    pub nudge: Arc<Nudge>,
}

/// What the config fetcher and the console's push channel share: the
/// SHA-256 of the text last fetched (what the screen asks the console
/// about), and a wake-up that makes the fetcher fetch now.
#[derive(Debug, Default)]
pub struct Nudge {
    wake: tokio::sync::Notify,
    fetched: std::sync::Mutex<String>,
}

impl Nudge {
    /// The SHA-256 of the config text last fetched (empty before one).
    pub fn fetched(&self) -> String {
        self.fetched.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn set_fetched(&self, text: &str) {
        if let Ok(mut s) = self.fetched.lock() {
            *s = crate::source::sha256_hex(text.as_bytes());
        }
    }

    /// Fetch now (the console says the config changed).
    pub fn fetch_now(&self) {
        self.wake.notify_one();
    }
}

impl RemoteConfig {
    /// Defaults for `url`: checked every 60 s, backoff up to 5 minutes, the
    /// last good copy in `cache_dir`.
    pub fn new(url: &str, local: Option<PathBuf>, cache_dir: &Path) -> Self {
        let name = format!("config-{}.toml", &crate::source::sha256_hex(url.as_bytes())[..16]);
        RemoteConfig {
            url: url.to_string(),
            local,
            cache_path: cache_dir.join(name),
            interval: Duration::from_secs(60),
            backoff_max: Duration::from_secs(300),
            http: HttpOptions::default(),
            nudge: Arc::default(),
        }
    }

    /// The URL as messages, logs and the status show it (credentials hidden).
    pub fn shown_url(&self) -> String {
        crate::net::redact_url(&self.url)
    }

    /// Checks remote text with the local override applied. Messages about the
    /// remote text name the URL; messages about the override name its file.
    pub fn check(&self, text: &str, feed: Option<&Feed>) -> Checked {
        let mut checked = parse_remote(&self.shown_url(), text, feed);
        if let Some(settings) = checked.settings.as_mut() {
            settings.remote_sha256 = Some(crate::digest::sha256_hex(text.as_bytes()));
        }
        let Some(local) = &self.local else {
            return checked;
        };
        let local_text = match std::fs::read_to_string(local) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(path = %local.display(), "cannot read the local screen override: {e}");
                return checked;
            }
        };
        crate::config::overlay_local(checked, text, &local.display().to_string(), &local_text)
    }

    /// The last good copy, if there is one and it is still valid.
    pub fn load_cached(&self) -> Option<Settings> {
        let text = read_cached(&self.cache_path)?;
        let checked = self.check(&text, None);
        if checked.settings.is_some() {
            tracing::info!(path = %self.cache_path.display(), "using the last good copy of the remote config");
        }
        checked.settings
    }

    /// One fetch: `Ok(Some(text))` for a new body, `Ok(None)` when unchanged.
    pub async fn fetch(
        &self,
        fetcher: &HttpFetcher,
        validators: &mut Validators,
    ) -> Result<Option<String>, RemoteFetchError> {
        match fetcher.fetch(validators).await {
            Ok(FetchOutcome::Body(fetched)) => {
                *validators = fetched.validators;
                String::from_utf8(fetched.body)
                    .map(Some)
                    .map_err(|_| RemoteFetchError::NotText {
                        url: self.shown_url(),
                    })
            }
            Ok(FetchOutcome::NotModified { .. }) => Ok(None),
            Err(error) => Err(self.failed(error)),
        }
    }

    /// A failed fetch of this config, named by its shown URL.
    pub fn failed(&self, error: FetchError) -> RemoteFetchError {
        RemoteFetchError::Fetch {
            url: self.shown_url(),
            error,
        }
    }

    /// Fetches for ever: every valid new version is stored as the last good
    /// copy and sent; an invalid one is logged with its locations and
    /// refused. Returns when the receiver is gone.
    pub async fn run(self, tx: mpsc::Sender<ConfigEvent>, feed: watch::Receiver<Option<Arc<Feed>>>) {
        let fetcher = HttpFetcher::retrying(&self.url, &self.http);
        let mut backoff = Backoff::new(self.interval, self.backoff_max, 0.1, fastrand::Rng::new());
        let mut validators = Validators::default();
        let mut last_good = read_cached(&self.cache_path);
        if let Some(text) = &last_good {
            self.nudge.set_fetched(text);
        }
        loop {
            let fetched = self.fetch(&fetcher, &mut validators).await;
            if let Ok(Some(text)) = &fetched {
                self.nudge.set_fetched(text);
            }
            let delay = match fetched {
                Ok(Some(text)) if Some(&text) != last_good.as_ref() => {
                    let event = self.accept(&text, &feed);
                    if matches!(event, ConfigEvent::Applied(_)) {
                        last_good = Some(text);
                    }
                    if tx.send(event).await.is_err() {
                        return;
                    }
                    backoff.success()
                }
                Ok(_) => backoff.success(),
                Err(e) => {
                    tracing::warn!("config fetch failed, keeping the current config: {e}");
                    backoff.failure(None)
                }
            };
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = self.nudge.wake.notified() => {}
            }
        }
    }

    fn accept(&self, text: &str, feed: &watch::Receiver<Option<Arc<Feed>>>) -> ConfigEvent {
        let current = feed.borrow().clone();
        let checked = self.check(text, current.as_deref());
        match checked.settings {
            Some(settings) => {
                if let Err(e) = crate::private_file::write_atomic(&self.cache_path, &[text.as_bytes()]) {
                    tracing::warn!(path = %self.cache_path.display(), "cannot keep the config's last good copy: {e}");
                }
                tracing::info!(url = %self.shown_url(), "remote config changed; applies at the next slide boundary");
                ConfigEvent::Applied(Box::new(settings))
            }
            None => rejected(&checked.diagnostics),
        }
    }
}

/// The CA file the `--screen-config` file names in `[feed] ca_file`, which
/// the config fetcher needs before it has a config.
pub(crate) fn local_ca_file(local: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(local).ok()?;
    parse(&local.display().to_string(), &text, None)
        .settings?
        .feed
        .ca_file
}

/// The last good copy's text: a regular UTF-8 file within the feed's size
/// limit, or nothing.
fn read_cached(path: &Path) -> Option<String> {
    let bytes = crate::limited_read::read_regular(path, crate::feed::MAX_BODY_BYTES as u64).ok()?;
    String::from_utf8(bytes).ok()
}
