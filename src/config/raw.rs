//! The operator's file (`rankwall.toml`) as serde reads it: strings and
//! numbers with their source spans, for located messages only. Private to
//! `config`: [`super::convert`] turns it into [`super::Settings`] once.
//! These types are the schema: [`super::schema`] reads the keys each table
//! may hold from their serde derives.

use super::schema::defaults;
use serde::Deserialize;
use toml::Spanned;

/// The whole file. Every section is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RawConfig {
    pub(super) screen: Screen,
    pub(super) feed: FeedSection,
    pub(super) theme: ThemeSection,
    pub(super) status: StatusSection,
    pub(super) report: ReportSection,
    pub(super) wall: WallSection,
    pub(super) playlist: Vec<Item>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct Screen {
    /// Shown in the User-Agent and the status.
    pub(super) id: String,
    /// `WIDTHxHEIGHT`, or `monitor` for the monitor's own size.
    pub(super) size: Spanned<String>,
    /// The monitor to fill, by the name the system gives it (`HDMI-1`); absent: the primary.
    pub(super) monitor: Option<String>,
    /// 0, 90, 180 or 270 degrees.
    pub(super) rotation: Spanned<u32>,
    /// Safe margin in pixels on every side; absent: 3 % of the short side.
    pub(super) margin: Option<u32>,
    /// Smallest text size in pixels; absent: derived from the screen.
    pub(super) min_text: Option<u32>,
    /// `Asia/Shanghai` (the default), `UTC`, or a fixed offset such as `+08:00`.
    pub(super) time_zone: Spanned<String>,
    /// Outside these hours the screen is black and nothing is rendered.
    pub(super) display_hours: Option<Hours>,
    /// Burn-in care: move the whole frame by up to this many pixels (0: off).
    pub(super) pixel_shift: Spanned<u32>,
    /// Minutes between two one-pixel steps of the shift.
    pub(super) pixel_shift_minutes: Spanned<u32>,
    /// The video mode sent to an LED controller, `WIDTHxHEIGHT`; with `region`.
    pub(super) output: Option<Spanned<String>>,
    /// Where in the output the slide is drawn (the rest is black).
    pub(super) region: Option<Spanned<Region>>,
    /// Dimmed hours: `[{ from, until, level }]`.
    pub(super) brightness: Vec<Dimming>,
    /// Seconds over which the brightness changes at each edge of those hours.
    pub(super) brightness_ramp: Spanned<u32>,
    /// Where frames are composed and presented: `auto`, `gpu` or `cpu`.
    pub(super) present: Spanned<String>,
}

/// Hours at a lower brightness.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Dimming {
    pub(super) from: Spanned<String>,
    pub(super) until: Spanned<String>,
    pub(super) level: Spanned<f64>,
}

/// An output region, in the output's pixels.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Region {
    pub(super) x: u32,
    pub(super) y: u32,
    pub(super) width: u32,
    pub(super) height: u32,
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
            output: None,
            region: None,
            brightness: Vec::new(),
            brightness_ramp: Spanned::new(0..0, 10),
            present: Spanned::new(0..0, "auto".into()),
        }
    }
}

/// A daily span of time, `HH:MM` to `HH:MM` (past midnight when `until` < `from`).
#[derive(Clone, Debug, Deserialize)]
pub(super) struct Hours {
    pub(super) from: Spanned<String>,
    pub(super) until: Spanned<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct FeedSection {
    /// `http(s)://…`, `file://…` or a path; absent: the embedded demo feed.
    pub(super) url: Option<String>,
    /// Seconds between polls.
    pub(super) poll_interval: u64,
    /// Seconds for the whole request.
    pub(super) timeout: u64,
    /// The longest wait between retries after failures, in seconds.
    pub(super) backoff_max: u64,
    /// Hours after which data is marked as not updated.
    pub(super) stale_after_hours: u64,
    pub(super) cache_dir: Option<Spanned<String>>,
    /// An extra CA certificate (PEM) for the feed's HTTPS.
    pub(super) ca_file: Option<Spanned<String>>,
    /// The base64 Ed25519 public key the feed's `.sig` must verify with.
    pub(super) public_key: Option<Spanned<String>>,
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
            public_key: None,
        }
    }
}

/// The status server and the proof-of-play log.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct StatusSection {
    /// `HOST:PORT` for /healthz, /status, /metrics, /screenshot.png; `off` for none.
    pub(super) addr: Spanned<String>,
    /// Bearer token; required when `addr` is not a loopback address.
    pub(super) token: Option<Spanned<String>>,
    /// The proof-of-play log; absent: `played.jsonl` in the cache folder.
    pub(super) play_log: Option<Spanned<String>>,
    /// Rotate the log at this size, in MiB.
    pub(super) play_log_max_mb: Spanned<u64>,
}

impl Default for StatusSection {
    fn default() -> Self {
        StatusSection {
            addr: Spanned::new(0..0, "127.0.0.1:9470".into()),
            token: None,
            play_log: None,
            play_log_max_mb: Spanned::new(0..0, 16),
        }
    }
}

/// `[report]`: where the screen reports its status to an operators' console.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct ReportSection {
    /// The console's report address; absent: no reports.
    pub(super) url: Option<Spanned<String>>,
    /// The screen's own token, given by the console at enrolment.
    pub(super) token: Option<Spanned<String>>,
    /// Seconds between two reports.
    pub(super) interval: Spanned<u64>,
}

impl Default for ReportSection {
    fn default() -> Self {
        ReportSection {
            url: None,
            token: None,
            interval: Spanned::new(0..0, 60),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ThemeSection {
    /// Extra font files, after the bundled ones.
    pub(super) fonts: Vec<Spanned<String>>,
    /// Whether the system's fonts may fill in rare characters.
    pub(super) system_fonts: bool,
}

/// One playlist item: what to show, for how long, when.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct Item {
    /// A board by id.
    pub(super) board: Option<Spanned<String>>,
    /// A list by id.
    pub(super) list: Option<Spanned<String>>,
    /// A notice by id.
    pub(super) notice: Option<Spanned<String>>,
    /// Content by kind, surviving a new month's ids.
    pub(super) select: Option<Selector>,
    /// Text written in the config itself, shown as a notice.
    pub(super) message: Option<Spanned<Message>>,
    /// Seconds per page.
    pub(super) duration: Spanned<f64>,
    /// Table rows per page: a number, or `"fit"` (as many as fit; the default).
    pub(super) rows: Option<Spanned<Rows>>,
    pub(super) transition: Transition,
    pub(super) windows: Vec<Window>,
    /// Mask personal names (王*华); absent: black lists masked, others not.
    pub(super) mask_names: Option<bool>,
    /// While this item has content inside its windows (e.g. a notice inside
    /// its from/until), only priority items play.
    pub(super) priority: bool,
    /// Play the content as a marquee (one moving line per slide); absent:
    /// lists scroll on LED strips, everything else pages.
    pub(super) scroll: Option<bool>,
    /// Marquee speed in pixels per second.
    pub(super) scroll_speed: Spanned<u32>,
    /// The most seconds the item plays per cycle; a longer one continues
    /// where it stopped at its next turn.
    pub(super) max_time: Spanned<f64>,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            board: None,
            list: None,
            notice: None,
            select: None,
            message: None,
            duration: Spanned::new(0..0, defaults::ITEM_DURATION),
            rows: None,
            transition: Transition::default(),
            windows: Vec::new(),
            mask_names: None,
            priority: false,
            scroll: None,
            scroll_speed: Spanned::new(0..0, 120),
            max_time: Spanned::new(0..0, 300.0),
        }
    }
}

/// Rows per page: a count, or a word (only `fit` is valid).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub(super) enum Rows {
    Count(i64),
    Word(String),
}

/// A message the operator wrote: shown in the notice look (a marquee with
/// `scroll = true`), between two instants when they are given.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Message {
    /// The heading; absent: 通知.
    pub(super) title: Option<Spanned<String>>,
    /// The text; line breaks are kept.
    pub(super) body: Option<Spanned<String>>,
    /// The first instant it is shown, RFC 3339 (e.g. `2026-12-05T08:00:00+08:00`).
    pub(super) from: Option<Spanned<String>>,
    /// The instant it is no longer shown.
    pub(super) until: Option<Spanned<String>>,
    /// A banner (提示) over whatever plays, in the footer's band, rather
    /// than a page of its own.
    pub(super) banner: Option<bool>,
}

/// Content chosen by kind rather than id.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Selector {
    /// Boards of this level (`township`, `village`, `household`).
    pub(super) level: Option<Spanned<String>>,
    /// … and this group (乡镇, 街道).
    pub(super) group: Option<String>,
    /// Lists of this kind (`red`, `black`).
    pub(super) list: Option<Spanned<String>>,
    /// All notices inside their window.
    pub(super) notices: bool,
    /// A 比学赶超 view of the chosen boards (`improved`, `trend`, …).
    pub(super) view: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub(super) struct Transition {
    /// `cut`, `fade` or `slide`.
    pub(super) kind: Spanned<String>,
    /// Seconds.
    pub(super) duration: f64,
}

impl Default for Transition {
    fn default() -> Self {
        Transition {
            kind: Spanned::new(0..0, defaults::TRANSITION_KIND.into()),
            duration: defaults::TRANSITION_DURATION,
        }
    }
}

/// When an item may play. All given parts must hold.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Window {
    /// Days of the week: `mon` … `sun`; empty means every day.
    pub(super) days: Vec<Spanned<String>>,
    pub(super) from: Option<Spanned<String>>,
    pub(super) until: Option<Spanned<String>>,
    /// Dates `YYYY-MM-DD`, inclusive.
    pub(super) start_date: Option<Spanned<String>>,
    pub(super) end_date: Option<Spanned<String>>,
}

/// `[wall]`: this box's place in a video wall.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WallSection {
    /// The whole picture, `WIDTHxHEIGHT`; absent: the grid's.
    pub(super) canvas: Option<Spanned<String>>,
    /// Columns and rows of panels, `3x2`.
    pub(super) grid: Option<Spanned<String>>,
    /// This box's panel in the grid, `{ col, row }` from 0.
    pub(super) tile: Option<Spanned<TilePos>>,
    /// Or its window of the canvas, for irregular walls.
    pub(super) viewport: Option<Spanned<Region>>,
    /// The dark border between two panels' pictures, in mm.
    pub(super) bezel_mm: Option<Spanned<Bezel>>,
    /// A panel's visible picture, in mm.
    pub(super) panel_mm: Option<Spanned<PanelMm>>,
}

impl WallSection {
    /// Whether the file has a `[wall]` with anything in it.
    pub(super) fn given(&self) -> bool {
        self.canvas.is_some() || self.grid.is_some() || self.tile.is_some() || self.viewport.is_some()
    }
}

/// A panel's place in the grid.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TilePos {
    pub(super) col: u32,
    pub(super) row: u32,
}

/// Bezels across (`h`, between columns) and down (`v`, between rows), in mm.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Bezel {
    pub(super) h: f64,
    pub(super) v: f64,
}

/// A panel's visible picture in mm.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PanelMm {
    pub(super) width: f64,
    pub(super) height: f64,
}
