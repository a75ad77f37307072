//! Operating a fleet: what a screen reports about itself. The screen thread
//! publishes an immutable [`ScreenStatus`] after every change and heartbeat;
//! the status server on the tokio side only reads the latest one (and asks
//! the screen thread for a screenshot by message). Proof of play, health and
//! the systemd watchdog are decided here from the same figures.

mod capture;
mod health;
mod metrics;
mod played_queue;
mod playlog;
mod playlog_writer;
pub mod reporter;
mod routes;
mod server;
mod watchdog;

pub use capture::{capture_png, capture_png_within, CaptureError};
pub use health::{health, Unhealthy};
pub use metrics::metrics_text;
pub use played_queue::{PlayQueue, PlayedLine};
pub use playlog::{find_played, PlayEntry, PlayLog};
pub use playlog_writer::{PlayLogStatus, PlayLogWriter};
pub use reporter::Reporter;
pub use routes::serve_status;
pub use server::{check_bind, ScreenshotError, ScreenshotRequest, StatusServer};
pub use watchdog::Watchdog;

use crate::source::FeedStatus;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// What kind of picture is on screen; written in lower case in JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScreenState {
    /// Nothing presented yet.
    #[default]
    Starting,
    /// A page of a playlist item.
    Page,
    /// The idle slide: nothing can play.
    Idle,
    /// Outside the display hours: black.
    Off,
}

impl ScreenState {
    /// The state's name as JSON and the logs write it.
    pub fn name(self) -> &'static str {
        match self {
            ScreenState::Starting => "starting",
            ScreenState::Page => "page",
            ScreenState::Idle => "idle",
            ScreenState::Off => "off",
        }
    }
}

/// What is on screen.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Showing {
    /// A page, the idle slide, black, or nothing yet; the rest is set only for a page.
    pub state: ScreenState,
    /// The playlist item (0-based) and the slide's id.
    pub item: Option<usize>,
    /// The id of that item's slide.
    pub slide: Option<String>,
    /// The page (1-based) and the slide's page count.
    pub page: Option<usize>,
    /// How many pages the slide has with the data on show.
    pub pages: Option<usize>,
    /// When the schedule started this page.
    pub since: Option<DateTime<FixedOffset>>,
    /// The banner (提示) over the page or idle slide: its message's id
    /// (`message.N`, N its playlist item counted from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
}

/// The data on show.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DataStatus {
    /// The `generated_at` of the document on show.
    pub generated_at: Option<DateTime<FixedOffset>>,
    /// How old that document is at publication, in seconds.
    pub age_secs: Option<i64>,
    /// SHA-256 of the document as served (from the feed source).
    pub sha256: Option<String>,
    /// The server's `ETag` for the document (from the feed source).
    pub etag: Option<String>,
    /// SHA-256 of the data as shown (normalised), as in the proof-of-play log.
    pub content_sha256: String,
    /// Whether the data is past the stale limit (the screen shows the stale marker).
    pub stale: bool,
    /// The stale limit in whole hours (0: none).
    pub stale_after_hours: u64,
}

/// The config in force.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConfigStatus {
    /// A file path, a URL, or `embedded demo`.
    pub source: String,
    /// SHA-256 of the config text in force (with a local override, of both
    /// texts), as proof of play records it.
    pub sha256: String,
    /// For a config from a URL: SHA-256 of the served text alone (what the
    /// console published), without the local override.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub remote_sha256: Option<String>,
    /// The last reload's outcome, if there was one.
    pub last_reload: Option<String>,
    /// Keys the running config changed that are read only at start
    /// (`feed.url`, `status.addr`, …): they apply after a restart.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub applies_after_restart: Vec<String>,
}

/// Everything the status endpoints report, as of `published_at`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScreenStatus {
    /// The config's `screen.id`.
    pub screen_id: String,
    /// The rankwall version running (`CARGO_PKG_VERSION`).
    pub version: String,
    /// When the process started.
    pub started_at: DateTime<Utc>,
    /// When the screen thread made this status.
    pub published_at: DateTime<Utc>,
    /// The graphics adapter's name and backend.
    pub adapter: String,
    /// Where frames are composed and presented: `gpu` (the swapchain),
    /// `cpu` (composed in memory, presented through shared memory), or
    /// `offscreen` (`run --headless`).
    pub presentation: String,
    /// The output's width in physical pixels.
    pub width: u32,
    /// The output's height in physical pixels.
    pub height: u32,
    /// What is on screen.
    pub showing: Showing,
    /// The data on show.
    pub data: DataStatus,
    /// The feed source (absent with the embedded demo feed).
    pub feed: Option<FeedStatus>,
    /// The config in force.
    pub config: ConfigStatus,
    /// Items validation dropped from the document on show.
    pub dropped_items: usize,
    /// Distinct characters of the document that no loaded font covers.
    pub uncovered_chars: usize,
    /// Frames presented since start.
    pub frames_presented: u64,
    /// When the last frame was presented.
    pub last_frame_at: Option<DateTime<Utc>>,
    /// The last time the screen thread found the screen up to date (nothing
    /// due, or the due frame presented). A frozen loop stops moving it.
    pub in_sync_at: Option<DateTime<Utc>>,
    /// The proof-of-play log's health (absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub play_log: Option<PlayLogStatus>,
}

/// The resident memory of this process in bytes (Linux), for status and metrics.
pub fn rss_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The status as `/status` serves it and the console reports carry it: the
/// published figures plus uptime, memory and health as of `now`.
pub fn status_document(status: &ScreenStatus, now: DateTime<Utc>) -> serde_json::Value {
    let mut value = serde_json::to_value(status).unwrap_or_default();
    value["uptime_secs"] = (now - status.started_at).num_seconds().into();
    value["rss_bytes"] = rss_bytes().into();
    value["healthy"] = health(status, now).is_ok().into();
    value
}
