//! The operator's configuration (`rankwall.toml`) as serde structs with
//! defaults. Values checked after parsing keep their source spans.

use serde::Deserialize;
use toml::Spanned;

/// The whole file. Every section is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub screen: Screen,
    pub feed: FeedSection,
    pub theme: ThemeSection,
    pub status: StatusSection,
    pub playlist: Vec<Item>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Screen {
    /// Shown in the User-Agent and the status.
    pub id: String,
    /// `WIDTHxHEIGHT`, or `monitor` for the monitor's own size.
    pub size: Spanned<String>,
    /// The monitor to fill, by the name the system gives it (`HDMI-1`); absent: the primary.
    pub monitor: Option<String>,
    /// 0, 90, 180 or 270 degrees.
    pub rotation: Spanned<u32>,
    /// Safe margin in pixels on every side; absent: 3 % of the short side.
    pub margin: Option<u32>,
    /// Smallest text size in pixels; absent: derived from the screen.
    pub min_text: Option<u32>,
    /// `Asia/Shanghai` (the default), `UTC`, or a fixed offset such as `+08:00`.
    pub time_zone: Spanned<String>,
    /// Outside these hours the screen is black and nothing is rendered.
    pub display_hours: Option<Hours>,
    /// Burn-in care: move the whole frame by up to this many pixels (0: off).
    pub pixel_shift: Spanned<u32>,
    /// Minutes between two one-pixel steps of the shift.
    pub pixel_shift_minutes: Spanned<u32>,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            id: "unnamed".into(),
            size: Spanned::new(0..0, "monitor".into()),
            monitor: None,
            rotation: Spanned::new(0..0, 0),
            margin: None,
            min_text: None,
            time_zone: Spanned::new(0..0, "Asia/Shanghai".into()),
            display_hours: None,
            pixel_shift: Spanned::new(0..0, 0),
            pixel_shift_minutes: Spanned::new(0..0, 4),
        }
    }
}

/// A daily span of time, `HH:MM` to `HH:MM` (past midnight when `until` < `from`).
#[derive(Clone, Debug, Deserialize)]
pub struct Hours {
    pub from: Spanned<String>,
    pub until: Spanned<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct FeedSection {
    /// `http(s)://…`, `file://…` or a path; absent: the embedded demo feed.
    pub url: Option<String>,
    /// Seconds between polls.
    pub poll_interval: u64,
    /// Seconds for the whole request.
    pub timeout: u64,
    /// The longest wait between retries after failures, in seconds.
    pub backoff_max: u64,
    /// Hours after which data is marked as not updated.
    pub stale_after_hours: u64,
    pub cache_dir: Option<String>,
    /// An extra CA certificate (PEM) for the feed's HTTPS.
    pub ca_file: Option<String>,
}

impl Default for FeedSection {
    fn default() -> Self {
        FeedSection {
            url: None,
            poll_interval: 60,
            timeout: 20,
            backoff_max: 300,
            stale_after_hours: 48,
            cache_dir: None,
            ca_file: None,
        }
    }
}

/// The status server and the proof-of-play log.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct StatusSection {
    /// `HOST:PORT` for /healthz, /status, /metrics, /screenshot.png; `off` for none.
    pub addr: Spanned<String>,
    /// Bearer token; required when `addr` is not a loopback address.
    pub token: Option<String>,
    /// The proof-of-play log; absent: `played.jsonl` in the cache folder.
    pub play_log: Option<String>,
    /// Rotate the log at this size, in MiB.
    pub play_log_max_mb: u64,
}

impl Default for StatusSection {
    fn default() -> Self {
        StatusSection {
            addr: Spanned::new(0..0, DEFAULT_STATUS_ADDR.into()),
            token: None,
            play_log: None,
            play_log_max_mb: 16,
        }
    }
}

/// Where the status server listens unless told otherwise.
pub const DEFAULT_STATUS_ADDR: &str = "127.0.0.1:9470";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ThemeSection {
    /// Extra font files, after the bundled ones.
    pub fonts: Vec<String>,
    /// Whether the system's fonts may fill in rare characters.
    pub system_fonts: bool,
}

impl ThemeSection {
    /// The fonts this theme asks for, after the bundled ones.
    pub fn font_options(&self) -> crate::text::FontOptions {
        crate::text::FontOptions {
            extra_files: self.fonts.iter().map(std::path::PathBuf::from).collect(),
            system_fallback: self.system_fonts,
        }
    }
}

/// One playlist item: what to show, for how long, when.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Item {
    /// A board by id.
    pub board: Option<Spanned<String>>,
    /// A list by id.
    pub list: Option<Spanned<String>>,
    /// A notice by id.
    pub notice: Option<Spanned<String>>,
    /// Content by kind, surviving a new month's ids.
    pub select: Option<Selector>,
    /// Seconds per page.
    pub duration: Spanned<f64>,
    /// Table rows per page: a number, or `"fit"` (as many as fit; the default).
    pub rows: Option<Spanned<Rows>>,
    pub transition: Transition,
    pub windows: Vec<Window>,
    /// Mask personal names (王*华); absent: black lists masked, others not.
    pub mask_names: Option<bool>,
    /// While this item has content inside its windows (e.g. a notice inside
    /// its from/until), only priority items play.
    pub priority: bool,
    /// Play the content as a marquee (one moving line per slide); absent:
    /// lists scroll on LED strips, everything else pages.
    pub scroll: Option<bool>,
    /// Marquee speed in pixels per second.
    pub scroll_speed: Spanned<u32>,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            board: None,
            list: None,
            notice: None,
            select: None,
            duration: Spanned::new(0..0, 10.0),
            rows: None,
            transition: Transition::default(),
            windows: Vec::new(),
            mask_names: None,
            priority: false,
            scroll: None,
            scroll_speed: Spanned::new(0..0, 120),
        }
    }
}

/// Rows per page: a count, or a word (only `fit` is valid).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Rows {
    Count(i64),
    Word(String),
}

impl Item {
    /// The rows per page asked for; `None` for "fit".
    pub fn row_limit(&self) -> Option<usize> {
        match self.rows.as_ref().map(|r| r.get_ref()) {
            Some(Rows::Count(n)) if *n >= 1 => Some(*n as usize),
            _ => None,
        }
    }
}

/// Content chosen by kind rather than id.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Selector {
    /// Boards of this level (`township`, `village`, `household`).
    pub level: Option<Spanned<String>>,
    /// … and this group (乡镇, 街道).
    pub group: Option<String>,
    /// Lists of this kind (`red`, `black`).
    pub list: Option<Spanned<String>>,
    /// All notices inside their window.
    pub notices: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Transition {
    /// `cut`, `fade` or `slide`.
    pub kind: Spanned<String>,
    /// Seconds.
    pub duration: f64,
}

impl Default for Transition {
    fn default() -> Self {
        Transition {
            kind: Spanned::new(0..0, "fade".into()),
            duration: 0.6,
        }
    }
}

/// When an item may play. All given parts must hold.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Window {
    /// Days of the week: `mon` … `sun`; empty means every day.
    pub days: Vec<Spanned<String>>,
    pub from: Option<Spanned<String>>,
    pub until: Option<Spanned<String>>,
    /// Dates `YYYY-MM-DD`, inclusive.
    pub start_date: Option<Spanned<String>>,
    pub end_date: Option<Spanned<String>>,
}

/// The keys each table may hold, for unknown-key reports.
pub(crate) fn known_keys(table: &str) -> &'static [&'static str] {
    match table {
        "" => &["screen", "feed", "theme", "status", "playlist"],
        "status" => &["addr", "token", "play_log", "play_log_max_mb"],
        "screen" => &[
            "id",
            "size",
            "monitor",
            "rotation",
            "margin",
            "min_text",
            "time_zone",
            "display_hours",
            "pixel_shift",
            "pixel_shift_minutes",
        ],
        "screen.display_hours" => &["from", "until"],
        "feed" => &[
            "url",
            "poll_interval",
            "timeout",
            "backoff_max",
            "stale_after_hours",
            "cache_dir",
            "ca_file",
        ],
        "theme" => &["fonts", "system_fonts"],
        "playlist" => &[
            "board",
            "list",
            "notice",
            "select",
            "duration",
            "rows",
            "transition",
            "windows",
            "mask_names",
            "priority",
            "scroll",
            "scroll_speed",
        ],
        "playlist.select" => &["level", "group", "list", "notices"],
        "playlist.transition" => &["kind", "duration"],
        "playlist.windows" => &["days", "from", "until", "start_date", "end_date"],
        _ => &[],
    }
}
