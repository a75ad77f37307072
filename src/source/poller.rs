//! The poller: loads the last good document from the cache, then fetches at
//! the interval (with jitter), backs off after failures, and reports every
//! change as a message. It never touches the window or the GPU.

use super::backoff::Backoff;
use super::cache::{Cache, CacheMeta};
use super::clock::Clock;
use super::status::{CacheStatus, FeedStatus, Outcome};
use crate::feed::{self, Feed, Report};
use crate::net::{FetchOutcome, Fetched, Fetcher, HttpOptions, Validators};
use crate::signing::PublicKey;
use chrono::Utc;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Everything the poller needs to know.
#[derive(Clone)]
pub struct SourceConfig {
    /// The feed's URL: what is fetched, and the key of its cache file.
    pub url: String,
    /// The time between polls while they succeed.
    pub interval: Duration,
    /// Spread of the interval, as a fraction (0.1 = ±10 %).
    pub jitter: f64,
    /// The longest wait between retries after failures.
    pub backoff_max: Duration,
    /// Timeouts, identity and trust for the fetches.
    pub http: HttpOptions,
    /// The folder of the last good copy (one file per URL).
    pub cache_dir: PathBuf,
    /// Data older than this is shown with the stale marker.
    pub stale_after: Duration,
    /// How far the server's `Date` may be off the local clock before the
    /// local clock counts as wrong.
    pub clock_tolerance: Duration,
    /// Use the server's time for the schedule while the local clock is off.
    pub trust_server_time: bool,
    /// Which characters the fonts cover, for the status's count.
    pub covers: Option<Arc<dyn Fn(char) -> bool + Send + Sync>>,
    /// When set, a document is accepted only if its `<url>.sig` verifies
    /// with this key (contract Amendment 1, Integrity).
    pub public_key: Option<PublicKey>,
}

impl SourceConfig {
    /// The defaults for `url`, its last good copy kept in `cache_dir`: poll
    /// every 60 s ± 10 %, back off to at most 5 minutes, stale after 48
    /// hours, clock tolerance 2 minutes.
    pub fn new(url: &str, cache_dir: PathBuf) -> Self {
        SourceConfig {
            url: url.to_string(),
            interval: Duration::from_secs(60),
            jitter: 0.1,
            backoff_max: Duration::from_secs(300),
            http: HttpOptions::default(),
            cache_dir,
            stale_after: Duration::from_secs(48 * 3600),
            clock_tolerance: Duration::from_secs(120),
            trust_server_time: true,
            covers: None,
            public_key: None,
        }
    }
}

/// An accepted document.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// Shared by the screen, the config checker and the status: never copied.
    pub feed: Arc<Feed>,
    /// What validation dropped or cleaned.
    pub report: Report,
    /// The document's SHA-256 (hex): the same bytes again are not parsed again.
    pub sha256: String,
    /// Loaded from the last good copy on disk, not fetched.
    pub from_cache: bool,
}

/// What the poller tells the rest of the program.
#[derive(Debug)]
pub enum SourceEvent {
    /// A document to show (from the cache at start, then each new one fetched).
    Data(Arc<Accepted>),
    /// The status after every attempt, changed or not.
    Status(Box<FeedStatus>),
}

/// The result of one attempt.
#[derive(Debug)]
pub struct PollResult {
    /// What the attempt did, as the status shows it.
    pub outcome: Outcome,
    /// A new document, when one was accepted.
    pub accepted: Option<Arc<Accepted>>,
    /// How long to wait before the next attempt (interval or backoff, with jitter).
    pub delay: Duration,
}

/// One feed's source: its fetcher, last good cache, backoff, clock check and
/// status. [`Poller::run`] polls for ever; tests call [`Poller::poll_once`].
pub struct Poller<F: Fetcher> {
    config: SourceConfig,
    fetcher: F,
    cache: Cache,
    backoff: Backoff,
    clock: Clock,
    validators: Validators,
    status: FeedStatus,
    logged: Option<String>,
    /// The signature file's validators and last text (conditional GET).
    signature: (Validators, Option<Vec<u8>>),
    /// The last document fetched and accepted, as written to the cache: kept
    /// so the cache can be written again at the next poll when the write
    /// failed or the file has gone (a deleted folder), since a feed may not
    /// change for weeks and a restart must still find it.
    last_good: Option<(CacheMeta, Vec<u8>)>,
}

impl<F: Fetcher> Poller<F> {
    /// A poller for `config` fetching with `fetcher`; nothing is read or fetched yet.
    pub fn new(config: SourceConfig, fetcher: F) -> Self {
        Self::with_rng(config, fetcher, fastrand::Rng::new())
    }

    /// A poller with a seeded random source (tests).
    pub fn with_rng(config: SourceConfig, fetcher: F, rng: fastrand::Rng) -> Self {
        let backoff = Backoff::new(config.interval, config.backoff_max, config.jitter, rng);
        let cache = Cache::new(&config.cache_dir, &config.url);
        let status = FeedStatus {
            url: crate::net::redact_url(&config.url),
            cache: CacheStatus {
                path: cache.path().display().to_string(),
                ..CacheStatus::default()
            },
            ..FeedStatus::default()
        };
        Poller {
            cache,
            clock: Clock::new(config.clock_tolerance, config.trust_server_time),
            backoff,
            fetcher,
            validators: Validators::default(),
            status,
            logged: None,
            signature: (Validators::default(), None),
            last_good: None,
            config,
        }
    }

    /// The feed's status as of the last attempt.
    pub fn status(&self) -> &FeedStatus {
        &self.status
    }

    /// The clock check, fed by every answer's `Date`.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The last good copy on disk.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// Loads the last good document from disk, if there is a usable one.
    pub fn load_cache(&mut self) -> Option<Arc<Accepted>> {
        match self.cache.load() {
            Ok(Some(cached)) if !self.cache_signature_holds(&cached) => {
                tracing::warn!(path = %self.cache.path().display(), "the cached feed has no valid signature for the configured public key; not shown");
                None
            }
            Ok(Some(cached)) => {
                tracing::info!(path = %self.cache.path().display(), fetched_at = %cached.meta.fetched_at, "loaded last good feed from cache");
                self.validators = cached.meta.validators.clone();
                let accepted = Accepted {
                    feed: Arc::new(cached.feed),
                    report: cached.report,
                    sha256: cached.meta.sha256,
                    from_cache: true,
                };
                Some(self.take(accepted))
            }
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("{e}");
                self.status.cache.load_error = Some(e.to_string());
                None
            }
        }
    }

    /// Whether a cached document may be shown: always without a public key;
    /// with one, only if the signature kept beside it verifies (a cache from
    /// before the key was set, or edited on disk, is not shown).
    fn cache_signature_holds(&self, cached: &super::cache::CachedFeed) -> bool {
        let Some(key) = &self.config.public_key else {
            return true;
        };
        cached
            .meta
            .signature
            .as_deref()
            .is_some_and(|sig| key.verify(&cached.body, sig.as_bytes()).is_ok())
    }

    /// How long [`run`](Self::run) waits before the first poll when the
    /// cache gave it a document: a random part of the interval, so screens
    /// that start together do not poll in one wave.
    pub fn first_poll_delay(&mut self) -> Duration {
        self.backoff.first_poll()
    }

    /// One fetch, with its effect on the status; returns the delay until the next.
    pub async fn poll_once(&mut self) -> PollResult {
        let local = Utc::now();
        self.status.last_attempt_at = Some(self.clock.now(local));
        let (outcome, accepted) = match self.fetcher.fetch(&self.validators).await {
            Ok(FetchOutcome::NotModified { server_date }) => {
                self.observe_clock(server_date);
                (Outcome::Unchanged, None)
            }
            Ok(FetchOutcome::Body(fetched)) => match self.check_signature(&fetched.body).await {
                Ok(signature) => self.receive(fetched, signature),
                Err(refused) => (refused, None),
            },
            Err(e) => {
                let outcome = Outcome::Failed {
                    code: e.code().into(),
                    message: e.to_string(),
                };
                let delay = self.backoff.failure(e.retry_after());
                return self.finish(outcome, None, delay);
            }
        };
        let delay = if outcome.is_failure() {
            self.backoff.failure(None)
        } else {
            self.backoff.success()
        };
        self.finish(outcome, accepted, delay)
    }

    /// With a public key: fetches `<url>.sig` (conditionally) and checks it
    /// over the body's exact bytes. `Ok` holds the signature to keep beside
    /// the document in the cache; `Err` the refusal.
    async fn check_signature(&mut self, body: &[u8]) -> Result<Option<String>, Outcome> {
        let Some(key) = self.config.public_key.clone() else {
            return Ok(None);
        };
        let refuse = |this: &mut Self, message: String| {
            this.status.signature_failures += 1;
            Outcome::Refused {
                code: "signature".into(),
                message,
            }
        };
        let text = match self.fetcher.fetch_signature(&self.signature.0).await {
            Ok(FetchOutcome::Body(sig)) => {
                self.signature = (sig.validators, Some(sig.body.clone()));
                sig.body
            }
            Ok(FetchOutcome::NotModified { .. }) => match &self.signature.1 {
                Some(text) => text.clone(),
                None => {
                    return Err(refuse(
                        self,
                        "the signature file answered 304 before any was had".into(),
                    ))
                }
            },
            Err(e) => {
                return Err(refuse(
                    self,
                    format!("cannot fetch the signature (<feed URL>.sig): {e}"),
                ))
            }
        };
        match key.verify(body, &text) {
            Ok(()) => Ok(Some(String::from_utf8_lossy(&text).trim().to_string())),
            Err(e) => Err(refuse(self, e.to_string())),
        }
    }

    fn receive(&mut self, fetched: Fetched, signature: Option<String>) -> (Outcome, Option<Arc<Accepted>>) {
        self.observe_clock(fetched.server_date);
        if let Some(warning) = &fetched.content_type_warning {
            tracing::debug!("{}: {warning}", self.status.url);
        }
        let sha256 = super::sha256_hex(&fetched.body);
        if self.status.sha256.as_deref() == Some(sha256.as_str()) {
            self.validators = fetched.validators;
            return (Outcome::Unchanged, None);
        }
        match feed::parse(&fetched.body) {
            Ok((feed, report)) => {
                report.log();
                let meta = CacheMeta {
                    url: self.status.url.clone(),
                    fetched_at: Utc::now(),
                    sha256: sha256.clone(),
                    validators: fetched.validators.clone(),
                    signature,
                };
                self.store_in_cache(meta, fetched.body);
                self.validators = fetched.validators;
                let accepted = self.take(Accepted {
                    feed: Arc::new(feed),
                    report,
                    sha256,
                    from_cache: false,
                });
                (Outcome::Updated, Some(accepted))
            }
            Err(refusal) => (
                Outcome::Refused {
                    code: refusal.code().into(),
                    message: refusal.to_string(),
                },
                None,
            ),
        }
    }

    /// Makes `accepted` the document on screen, in the status.
    fn take(&mut self, accepted: Accepted) -> Arc<Accepted> {
        let s = &mut self.status;
        s.generated_at = Some(accepted.feed.generated_at);
        s.sha256 = Some(accepted.sha256.clone());
        s.etag = self.validators.etag.clone();
        s.from_cache = accepted.from_cache;
        s.dropped_items = accepted.report.dropped.len();
        s.uncovered_chars = match &self.config.covers {
            Some(covers) => feed::uncovered_chars(&accepted.feed, covers.as_ref()).chars.len(),
            None => 0,
        };
        Arc::new(accepted)
    }

    fn observe_clock(&mut self, server_date: Option<chrono::DateTime<Utc>>) {
        let Some(server) = server_date else { return };
        if self.clock.observe(server, Utc::now()) {
            match self.clock.skew() {
                Some(skew) => tracing::warn!(
                    skew_secs = skew.num_seconds(),
                    using_server_time = self.clock.using_server_time(),
                    "local clock differs from the feed server's Date"
                ),
                None => tracing::info!("local clock agrees with the feed server again"),
            }
        }
        self.status.clock_skew_secs = self.clock.skew().map(|s| s.num_seconds());
        self.status.clock_offset_secs = self.clock.offset().map(|s| s.num_seconds());
        self.status.using_server_time = self.clock.using_server_time();
    }

    /// Writes the accepted document to the disk cache, recording in the
    /// status whether that worked and keeping it for a retry when not.
    fn store_in_cache(&mut self, meta: CacheMeta, body: Vec<u8>) {
        let stored = self.cache.store(&meta, &body);
        self.status.cache.record(stored, Utc::now());
        self.last_good = Some((meta, body));
    }

    /// Writes the last good document again when its write failed or its
    /// file has disappeared since.
    fn repair_cache(&mut self) {
        let Some((meta, body)) = self.last_good.take() else {
            return;
        };
        if self.status.cache.writes.ok && self.cache.path().exists() {
            self.last_good = Some((meta, body));
            return;
        }
        if self.status.cache.writes.ok {
            tracing::warn!(path = %self.status.cache.path, "the feed cache file has disappeared; writing it again");
        }
        self.store_in_cache(meta, body);
    }

    fn finish(&mut self, outcome: Outcome, accepted: Option<Arc<Accepted>>, delay: Duration) -> PollResult {
        if accepted.is_none() {
            self.repair_cache();
        }
        let now = self.clock.now(Utc::now());
        if !outcome.is_failure() {
            self.status.last_success_at = Some(now);
        }
        self.status.consecutive_failures = self.backoff.failures();
        // A server's Retry-After can ask for millions of years, past the last
        // date there is: the status then shows no next attempt rather than
        // the addition panicking and taking the poller down.
        self.status.next_attempt_at = chrono::Duration::from_std(delay)
            .ok()
            .and_then(|d| now.checked_add_signed(d));
        self.log_change(&outcome);
        self.status.last_outcome = Some(outcome.clone());
        PollResult {
            outcome,
            accepted,
            delay,
        }
    }

    /// Logs once per change of state, not per poll.
    fn log_change(&mut self, outcome: &Outcome) {
        let state = outcome.code().to_string();
        if self.logged.as_deref() == Some(state.as_str()) && *outcome != Outcome::Updated {
            return;
        }
        match outcome {
            Outcome::Updated => {
                tracing::info!(url = %self.status.url, sha256 = self.status.sha256.as_deref().unwrap_or("-"), "feed updated")
            }
            Outcome::Unchanged => tracing::info!(url = %self.status.url, "feed reachable, unchanged"),
            Outcome::Failed { message, .. } | Outcome::Refused { message, .. } => tracing::warn!(
                url = %self.status.url,
                code = outcome.code(),
                failures = self.backoff.failures(),
                "feed fetch failed, keeping the last good data: {message}"
            ),
        }
        self.logged = Some(state);
    }

    /// Runs forever: cache first, then poll, sending every accepted document
    /// and every status. Returns when the receiver is gone.
    pub async fn run(mut self, tx: mpsc::Sender<SourceEvent>) {
        if let Some(accepted) = self.load_cache() {
            if tx.send(SourceEvent::Data(accepted)).await.is_err() {
                return;
            }
            // The screen has something to show: spread the fleet's first polls.
            tokio::time::sleep(self.first_poll_delay()).await;
        }
        loop {
            let result = self.poll_once().await;
            if let Some(accepted) = result.accepted {
                if tx.send(SourceEvent::Data(accepted)).await.is_err() {
                    return;
                }
            }
            if tx
                .send(SourceEvent::Status(Box::new(self.status.clone())))
                .await
                .is_err()
            {
                return;
            }
            tokio::time::sleep(result.delay).await;
        }
    }
}
