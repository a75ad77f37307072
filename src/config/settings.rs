//! The typed settings a config file turns into. Everything here was checked
//! once, in [`super::parse`]: a value that exists is valid, so the rest of the
//! program never parses a config string again and never falls back silently.

use super::time::{DailySpan, MinuteOfDay, Weekdays};
use crate::feed::{Level, ListKind};
use crate::panel::PanelSize;
use chrono::{FixedOffset, NaiveDate};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A whole config, ready to use.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The `[screen]` section: the panel, its zone and its hours.
    pub screen: ScreenSettings,
    /// The `[feed]` section: where the data comes from and how often.
    pub feed: FeedSettings,
    /// The `[theme]` section: extra fonts, and whether the system's may fill in.
    pub theme: ThemeSettings,
    /// The `[status]` section: the status server and the proof-of-play log.
    pub status: StatusSettings,
    /// The `[report]` section: the console this screen reports to, if any.
    pub report: Option<ReportSettings>,
    /// The `[wall]` section: this box's window of a video wall's canvas.
    pub wall: Option<WallSettings>,
    /// The `[[playlist]]` items, in the order they play; empty plays only the idle slide.
    pub playlist: Vec<Item>,
    /// The messages the playlist's items write themselves (`message = { … }`),
    /// as notices whose ids no feed can hold (`message.N`, N the item's place).
    pub messages: Vec<crate::feed::Notice>,
    /// The messages written as banners (`banner = true`): shown in the
    /// footer's band over whatever plays while they last, never as pages.
    pub banners: Vec<crate::feed::Notice>,
    /// SHA-256 of the source text (for a remote config with a local
    /// override, of both texts), as proof of play records it.
    pub source_sha256: String,
    /// For a config from a URL: SHA-256 of the served text alone, which the
    /// console that published it can recognise (the local override aside).
    pub remote_sha256: Option<String>,
}

/// Where and how often a screen reports to an operators' console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSettings {
    /// The console's `…/api/report` address (`http` or `https`).
    pub url: String,
    /// The screen's token from its enrolment (a bearer token).
    pub token: String,
    /// Time between two reports.
    pub interval: Duration,
}

/// How big the screen is: a fixed size, or whatever the monitor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenSize {
    /// The monitor's own size (a window only; offscreen needs a number).
    Monitor,
    /// A `WIDTHxHEIGHT` size, in the panel's own pixels (before rotation).
    Fixed(PanelSize),
}

impl ScreenSize {
    /// Parses `monitor` or `WIDTHxHEIGHT`.
    pub fn parse(text: &str) -> Result<ScreenSize, crate::panel::PanelSizeError> {
        if text == "monitor" {
            return Ok(ScreenSize::Monitor);
        }
        PanelSize::parse(text).map(ScreenSize::Fixed)
    }

    /// The fixed size, if there is one.
    pub fn fixed(self) -> Option<PanelSize> {
        match self {
            ScreenSize::Monitor => None,
            ScreenSize::Fixed(size) => Some(size),
        }
    }
}

/// How the panel is mounted, in quarter turns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rotation {
    /// Mounted as built: no rotation (0°).
    #[default]
    None,
    /// Turned a quarter turn clockwise (90°); the layout's sides are swapped.
    Quarter,
    /// Turned half a turn (180°): upside down.
    Half,
    /// Turned three quarters clockwise (270°); the layout's sides are swapped.
    ThreeQuarters,
}

impl Rotation {
    /// From degrees: 0, 90, 180 or 270.
    pub fn from_degrees(degrees: u32) -> Option<Rotation> {
        match degrees {
            0 => Some(Rotation::None),
            90 => Some(Rotation::Quarter),
            180 => Some(Rotation::Half),
            270 => Some(Rotation::ThreeQuarters),
            _ => None,
        }
    }

    /// The angle in degrees.
    pub fn degrees(self) -> u32 {
        match self {
            Rotation::None => 0,
            Rotation::Quarter => 90,
            Rotation::Half => 180,
            Rotation::ThreeQuarters => 270,
        }
    }

    /// Whether the layout's width and height are the panel's swapped.
    pub fn swaps_sides(self) -> bool {
        matches!(self, Rotation::Quarter | Rotation::ThreeQuarters)
    }
}

/// The `[screen]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenSettings {
    /// Shown in the User-Agent and the status.
    pub id: String,
    /// How big the panel is, in its own pixels (before rotation).
    pub size: ScreenSize,
    /// The monitor to fill, by the name the system gives it; `None`: the primary.
    pub monitor: Option<String>,
    /// How the panel is mounted; the picture is laid out for the turned panel and drawn rotated to
    /// read upright.
    pub rotation: Rotation,
    /// Safe margin in pixels; `None`: derived from the screen.
    pub margin: Option<u32>,
    /// Smallest text size in pixels; `None`: derived from the screen.
    pub min_text: Option<u32>,
    /// The zone the schedule's days and times are in.
    pub time_zone: FixedOffset,
    /// Outside these hours the screen is black; `None`: always on.
    pub display_hours: Option<DailySpan>,
    /// Burn-in care: the whole frame walks up to this many pixels (0: off).
    pub pixel_shift: u32,
    /// Minutes between two one-pixel steps of the shift (at least 1).
    pub pixel_shift_minutes: u32,
    /// For an LED controller: the slide is laid out at this region's size
    /// and drawn at its place in the output (`size`), black elsewhere.
    pub region: Option<OutputRegion>,
    /// Hours shown dimmed (the compositor scales every pixel).
    pub brightness: Vec<Dimmed>,
    /// How long a change of brightness takes, at each edge of those hours.
    pub brightness_ramp: std::time::Duration,
    /// Where the window composes and presents its frames.
    pub present: Presentation,
}

/// Where the window composes its frames and how it hands them to the
/// display (`[screen] present`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Presentation {
    /// The CPU path where the adapter is the CPU itself (lavapipe,
    /// llvmpipe), the GPU's swapchain elsewhere.
    #[default]
    Auto,
    /// Always the GPU's swapchain.
    Gpu,
    /// Always the CPU: frames composed in memory and presented through
    /// shared memory.
    Cpu,
}

impl Presentation {
    /// The word a config uses for it.
    pub fn word(self) -> &'static str {
        match self {
            Presentation::Auto => "auto",
            Presentation::Gpu => "gpu",
            Presentation::Cpu => "cpu",
        }
    }
}

/// Hours at a brightness below full.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dimmed {
    /// When, daily (past midnight when `until` is before `from`).
    pub hours: DailySpan,
    /// 0.05 to 1: each pixel's value is multiplied by it.
    pub level: f32,
}

/// A box's place in a video wall: every box lays out the canvas and draws
/// its viewport of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WallSettings {
    /// The whole picture's size, (width, height), hidden bezel strips included.
    pub canvas: (u32, u32),
    /// This box's window of the canvas (the panel's size, as laid out).
    pub viewport: OutputRegion,
}

/// A rectangle of the output frame, in its pixels (inside it: checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputRegion {
    /// The left edge.
    pub x: u32,
    /// The top edge.
    pub y: u32,
    /// The width: the width the slide is laid out for.
    pub width: u32,
    /// The height.
    pub height: u32,
}

/// The `[feed]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedSettings {
    /// `http(s)://…`, `file://…` or a path; `None`: the embedded demo feed.
    pub url: Option<String>,
    /// The time between two polls while all is well (spread ± 10 %).
    pub poll_interval: Duration,
    /// For one whole request.
    pub timeout: Duration,
    /// The longest wait between retries after failures.
    pub backoff_max: Duration,
    /// Data older than this is marked as not updated; `None`: never.
    pub stale_after: Option<chrono::Duration>,
    /// The folder of the last good cache; `None`: the default one (see
    /// [`crate::source::cache_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// An extra CA certificate (PEM) for the feed's HTTPS.
    pub ca_file: Option<PathBuf>,
    /// The city's public key: when set, a document is accepted only if its
    /// `<url>.sig` verifies over its exact bytes.
    pub public_key: Option<crate::signing::PublicKey>,
}

impl FeedSettings {
    /// The stale limit in whole hours (0: none), as the status reports it.
    pub fn stale_after_hours(&self) -> u64 {
        self.stale_after.map_or(0, |d| d.num_hours().max(0) as u64)
    }

    /// For a screen or picture of the embedded demo feed, which no source
    /// updates: its age says nothing about a source that stopped, so no
    /// stale limit applies (else the demo would turn stale, and fail
    /// `/healthz`, two days after its data's date).
    pub fn for_embedded_demo(&mut self) {
        self.stale_after = None;
    }
}

/// The `[theme]` section.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeSettings {
    /// Extra font files, after the bundled ones.
    pub fonts: Vec<PathBuf>,
    /// Whether the system's fonts may fill in rare characters.
    pub system_fonts: bool,
}

/// The `[status]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusSettings {
    /// Where the status server listens; `None`: no server.
    pub addr: Option<SocketAddr>,
    /// The bearer token every request must carry, when set.
    pub token: Option<String>,
    /// The proof-of-play log; `None`: `played.jsonl` in the cache folder.
    pub play_log: Option<PathBuf>,
    /// Rotate the log at this many bytes.
    pub play_log_max_bytes: u64,
}

/// How one page replaces the one before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TransitionKind {
    /// The new page replaces the old one at once; the duration is not used.
    Cut,
    /// The old page fades into the new one.
    #[default]
    Fade,
    /// The new page pushes in from the right while the old one leaves to the left (eased).
    Slide,
}

impl TransitionKind {
    /// The names a config may use, in the order the docs give them.
    pub const NAMES: [&'static str; 3] = ["cut", "fade", "slide"];

    /// Parses `cut`, `fade` or `slide`.
    pub fn parse(text: &str) -> Option<TransitionKind> {
        match text {
            "cut" => Some(TransitionKind::Cut),
            "fade" => Some(TransitionKind::Fade),
            "slide" => Some(TransitionKind::Slide),
            _ => None,
        }
    }
}

/// An item's transition: kind and length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    /// How the two pages are combined while the transition runs.
    pub kind: TransitionKind,
    /// How long the transition runs, from the start of the new page.
    pub duration: Duration,
}

/// What an item shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// One board, by its id in the feed.
    Board(String),
    /// One list, by its id in the feed.
    List(String),
    /// One notice, by its id in the feed.
    Notice(String),
    /// Content chosen by kind, surviving a new month's ids.
    Select(Selector),
}

/// A choice of content by kind rather than id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector {
    /// Boards of this level …
    pub level: Option<Level>,
    /// … and this group (乡镇, 街道).
    pub group: Option<String>,
    /// Lists of this kind.
    pub list: Option<ListKind>,
    /// Every notice inside its window.
    pub notices: bool,
    /// The chosen boards shown as this 比学赶超 view rather than as tables.
    pub view: Option<crate::slide::BoardView>,
}

/// When an item may play; all given parts must hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Days of the week; all days when none was given.
    pub days: Weekdays,
    /// Times of the day (past midnight when `until` is before `from`).
    pub hours: DailySpan,
    /// The first date the window is open (inclusive); `None`: no start.
    pub start_date: Option<NaiveDate>,
    /// The last date the window is open (inclusive); `None`: no end.
    pub end_date: Option<NaiveDate>,
}

/// One playlist item.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// What the item shows: one board, list or notice by id, or content chosen by kind.
    pub content: Content,
    /// How long each page stays (at least one second in the schedule).
    pub duration: Duration,
    /// Table rows per page; `None`: as many as fit.
    pub rows: Option<usize>,
    /// How each page of the item replaces the one before.
    pub transition: Transition,
    /// When the item may play; always when empty.
    pub windows: Vec<Window>,
    /// Mask personal names; `None`: black lists masked, others not.
    pub mask_names: Option<bool>,
    /// While it has content, only priority items play.
    pub priority: bool,
    /// Play as a marquee; `None`: lists scroll on LED strips, the rest pages.
    pub scroll: Option<bool>,
    /// Marquee speed in pixels per second.
    pub scroll_speed: u32,
    /// The most time the item plays per cycle (at least one page); the next
    /// turn continues where this one stopped.
    pub max_time: Duration,
}

impl Item {
    /// An item that shows `content` with every other setting at its default.
    pub fn showing(content: Content) -> Item {
        Item {
            content,
            duration: Duration::from_secs(10),
            rows: None,
            transition: Transition {
                kind: TransitionKind::Fade,
                duration: Duration::from_millis(600),
            },
            windows: Vec::new(),
            mask_names: None,
            priority: false,
            scroll: None,
            scroll_speed: 120,
            max_time: Duration::from_secs(300),
        }
    }

    /// The most time per cycle in milliseconds (at least 10 s).
    pub fn max_millis(&self) -> i64 {
        i64::try_from(self.max_time.as_millis())
            .unwrap_or(i64::MAX)
            .max(10_000)
    }

    /// The page duration in milliseconds, as the schedule counts it (at least 1 s).
    pub fn page_millis(&self) -> i64 {
        i64::try_from(self.duration.as_millis())
            .unwrap_or(i64::MAX)
            .max(1000)
    }
}

impl Window {
    /// Whether the window is open at `date`, weekday `day` (0 = Monday), minute `now`.
    pub fn contains(&self, date: NaiveDate, day: u32, now: MinuteOfDay) -> bool {
        self.days.contains(day)
            && self.start_date.is_none_or(|s| date >= s)
            && self.end_date.is_none_or(|e| date <= e)
            && self.hours.contains(now)
    }
}

impl Default for Settings {
    /// The settings of an empty config file.
    fn default() -> Self {
        Settings {
            screen: ScreenSettings {
                id: "unnamed".into(),
                size: ScreenSize::Monitor,
                monitor: None,
                rotation: Rotation::None,
                margin: None,
                min_text: None,
                time_zone: crate::china_standard_time(),
                display_hours: None,
                pixel_shift: 0,
                pixel_shift_minutes: 4,
                region: None,
                brightness: Vec::new(),
                brightness_ramp: std::time::Duration::from_secs(10),
                present: Presentation::Auto,
            },
            feed: FeedSettings {
                url: None,
                poll_interval: Duration::from_secs(60),
                timeout: Duration::from_secs(20),
                backoff_max: Duration::from_secs(300),
                stale_after: Some(chrono::Duration::hours(48)),
                cache_dir: None,
                ca_file: None,
                public_key: None,
            },
            theme: ThemeSettings::default(),
            status: StatusSettings {
                addr: Some(SocketAddr::from(([127, 0, 0, 1], DEFAULT_STATUS_PORT))),
                token: None,
                play_log: None,
                play_log_max_bytes: 16 * 1024 * 1024,
            },
            report: None,
            wall: None,
            playlist: Vec::new(),
            messages: Vec::new(),
            banners: Vec::new(),
            source_sha256: crate::digest::sha256_hex(b""),
            remote_sha256: None,
        }
    }
}

/// The status server's port unless told otherwise (on 127.0.0.1).
pub const DEFAULT_STATUS_PORT: u16 = 9470;
