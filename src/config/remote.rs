//! A config served from a URL, so one file on a server drives many screens.
//! It goes through the feed source's machinery: the same fetcher (timeouts,
//! size limit, conditional GET with ETag / Last-Modified), the same backoff
//! after failures, and a last good copy on disk that a restart without
//! network starts from. A screen can still override its own `[screen]`
//! section with a local file.

use super::{local_only, parse, parse_remote, screen_keys, Checked, ConfigEvent, Settings};
use crate::feed::Feed;
use crate::source::{Backoff, FetchOutcome, Fetcher, HttpFetcher, HttpOptions, Validators};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

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
        }
    }

    /// The URL as messages, logs and the status show it (credentials hidden).
    pub fn shown_url(&self) -> String {
        crate::source::redact_url(&self.url)
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
        let local_checked = parse(&local.display().to_string(), &local_text, None);
        checked.diagnostics.extend(
            local_checked
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == super::Severity::Error),
        );
        match (checked.settings.as_mut(), local_checked.settings) {
            (Some(settings), Some(over)) => {
                overlay_screen(settings, &over, &screen_keys(&local_text));
                overlay_local_only(settings, &over, &local_only::keys_set(&local_text));
                // Proof of play names what was in force: the remote text
                // followed by the local file's.
                let both = [text.as_bytes(), local_text.as_bytes()].concat();
                settings.source_sha256 = crate::digest::sha256_hex(&both);
            }
            (Some(_), None) => checked.settings = None,
            _ => {}
        }
        checked
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
    ) -> Result<Option<String>, String> {
        match fetcher.fetch(validators).await {
            Ok(FetchOutcome::Body(fetched)) => {
                *validators = fetched.validators;
                String::from_utf8(fetched.body)
                    .map(Some)
                    .map_err(|_| format!("{} is not UTF-8 text", self.shown_url()))
            }
            Ok(FetchOutcome::NotModified { .. }) => Ok(None),
            Err(e) => Err(format!("{}: {e}", self.shown_url())),
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
        loop {
            let delay = match self.fetch(&fetcher, &mut validators).await {
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
            tokio::time::sleep(delay).await;
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
            None => super::watch::rejected(&checked.diagnostics),
        }
    }
}

/// The CA file the `--screen-config` file names in `[feed] ca_file`, which
/// the config fetcher needs before it has a config.
pub(super) fn local_ca_file(local: &Path) -> Option<PathBuf> {
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

/// Copies the `[screen]` keys a local file sets over the remote config's.
fn overlay_screen(settings: &mut Settings, local: &Settings, keys: &[String]) {
    let (to, from) = (&mut settings.screen, &local.screen);
    for key in keys {
        match key.as_str() {
            "id" => to.id = from.id.clone(),
            "size" => to.size = from.size,
            "monitor" => to.monitor = from.monitor.clone(),
            "rotation" => to.rotation = from.rotation,
            "margin" => to.margin = from.margin,
            "min_text" => to.min_text = from.min_text,
            "time_zone" => to.time_zone = from.time_zone,
            "display_hours" => to.display_hours = from.display_hours,
            "pixel_shift" => to.pixel_shift = from.pixel_shift,
            "pixel_shift_minutes" => to.pixel_shift_minutes = from.pixel_shift_minutes,
            _ => {}
        }
    }
}

/// Copies the local-only keys (status address and token, play log, cache
/// folder, CA file, fonts) the local file sets: only it may set them.
fn overlay_local_only(settings: &mut Settings, local: &Settings, keys: &[(&str, &str)]) {
    for key in keys {
        match *key {
            ("status", "addr") => settings.status.addr = local.status.addr,
            ("status", "token") => settings.status.token = local.status.token.clone(),
            ("status", "play_log") => settings.status.play_log = local.status.play_log.clone(),
            ("feed", "cache_dir") => settings.feed.cache_dir = local.feed.cache_dir.clone(),
            ("feed", "ca_file") => settings.feed.ca_file = local.feed.ca_file.clone(),
            ("feed", "public_key") => settings.feed.public_key = local.feed.public_key.clone(),
            ("theme", "fonts") => settings.theme.fonts = local.theme.fonts.clone(),
            ("theme", "system_fonts") => settings.theme.system_fonts = local.theme.system_fonts,
            ("report", _) => settings.report = local.report.clone(),
            _ => {}
        }
    }
}
