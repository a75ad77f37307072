//! The feed status: a plain struct anyone can read (the status server, logs,
//! the stale marker).

use crate::write_health::{Change, WriteHealth};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::Serialize;

/// What the last attempt did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// A new document was accepted and is on screen.
    Updated,
    /// `304 Not Modified`, or the same bytes again.
    Unchanged,
    /// The transfer failed (connection, timeout, HTTP status, size, body).
    Failed {
        /// The fetch error's code (`timeout`, `http_status`, …).
        code: String,
        /// What went wrong, in words.
        message: String,
    },
    /// The document arrived but the contract refuses it.
    Refused {
        /// The refusal's code, or `signature`.
        code: String,
        /// Why, in words.
        message: String,
    },
}

impl Outcome {
    /// A stable code: `updated`, `unchanged`, or the failure's own code.
    pub fn code(&self) -> &str {
        match self {
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Failed { code, .. } | Outcome::Refused { code, .. } => code,
        }
    }

    /// Whether the attempt failed or was refused (and counts for the backoff).
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Failed { .. } | Outcome::Refused { .. })
    }
}

/// Where a feed URL's polling stands: what `/status` shows under `feed`,
/// and what the screen reads for the stale marker. Times are the screen's
/// (the server's while the local clock is off).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FeedStatus {
    /// The feed URL, credentials redacted.
    pub url: String,
    /// When the last fetch started.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// What the last fetch did.
    pub last_outcome: Option<Outcome>,
    /// When a fetch last succeeded (new or unchanged).
    pub last_success_at: Option<DateTime<Utc>>,
    /// Failed or refused attempts since the last success.
    pub consecutive_failures: u32,
    /// When the next fetch is due; `None` when it is beyond any date.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// `generated_at` of the document on screen.
    pub generated_at: Option<DateTime<FixedOffset>>,
    /// SHA-256 of the document on screen.
    pub sha256: Option<String>,
    /// The server's `ETag` for it, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// Whether the document on screen came from the disk cache.
    pub from_cache: bool,
    /// Items validation dropped from the document on screen.
    pub dropped_items: usize,
    /// Distinct characters of the document that no loaded font covers.
    pub uncovered_chars: usize,
    /// Server time minus local time in seconds, when beyond the tolerance.
    pub clock_skew_secs: Option<i64>,
    /// Whether the schedule runs on the server's time because of that skew.
    pub using_server_time: bool,
    /// Server time minus local time in seconds at the last poll, however
    /// small (the feed server's `Date`); `None` before one is seen.
    #[serde(default)]
    pub clock_offset_secs: Option<i64>,
    /// Documents refused since start because their signature was missing or
    /// did not verify (only with `[feed] public_key`).
    #[serde(default)]
    pub signature_failures: u64,
    /// Whether the last good document could be written to the disk cache.
    pub cache: CacheStatus,
}

/// The disk cache's health, as `/status` shows it. A failing cache does not
/// stop the screen (the document is on screen already); it means a restart
/// would have nothing to show until the feed answers, so the fleet must know.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CacheStatus {
    /// The cache file.
    pub path: String,
    /// Whether the last good document is written (`ok`, `failing_since`,
    /// `error` in the JSON).
    #[serde(flatten)]
    pub writes: WriteHealth,
    /// Why the cache found at start could not be used (a corrupt file is
    /// moved aside and named here), so a screen that started blank says why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_error: Option<String>,
}

impl CacheStatus {
    /// Records the outcome of a write, logging only when the state changes.
    pub fn record<E: std::fmt::Display>(&mut self, result: Result<(), E>, now: DateTime<Utc>) {
        match self.writes.record(result, now) {
            Some(Change::Failing(e)) => {
                tracing::warn!(path = %self.path, "cannot write the feed cache (said once until it works again): {e}")
            }
            Some(Change::Recovered) => tracing::info!(path = %self.path, "the feed cache is written again"),
            None => {}
        }
    }
}

impl FeedStatus {
    /// How old the data on screen is at `now`.
    pub fn age(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.generated_at.map(|g| now - g.to_utc())
    }

    /// Whether the data on screen is older than `limit` at `now`.
    pub fn is_stale(&self, now: DateTime<Utc>, limit: Duration) -> bool {
        self.age(now).is_some_and(|a| a > limit)
    }
}
