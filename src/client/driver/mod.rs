//! The screen thread's logic without the window or the GPU: it takes the
//! background tasks' messages, decides whether a frame must be drawn (only
//! when the [`View`] differs from the one on screen) and how long to sleep,
//! and keeps what the fleet sees: the published status, the proof-of-play
//! log and the systemd watchdog. The window and the headless client both run
//! it, and tests drive it with chosen instants.

mod status;

use super::events::ClientEvent;
use crate::play::{Player, Still, View, Wake};
use crate::source::FeedStatus;
use crate::status::{PlayEntry, PlayLogWriter, ScreenState, ScreenStatus, ScreenshotRequest, Watchdog};
use chrono::{DateTime, FixedOffset, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The longest sleep: the status heartbeat and a changed wall clock are
/// noticed within this.
const MAX_SLEEP: Duration = Duration::from_secs(5);

/// Who this screen is, for the status.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    /// The graphics adapter's name and backend, e.g. "llvmpipe (Vulkan)".
    pub adapter: String,
    /// Where frames are composed and presented: `gpu` or `cpu`.
    pub presentation: String,
    /// Where the config comes from: a file path, a URL, or `embedded demo`.
    pub config_source: String,
}

/// The screen thread's state: the player, what is on screen, and what the
/// fleet is told about it.
pub struct Driver {
    player: Player,
    drawn: Option<View>,
    /// Added to the local clock while the feed server says it is wrong.
    clock_offset: chrono::Duration,
    feed_status: Option<FeedStatus>,
    /// The last config reload's outcome, for logs and status.
    config_result: Option<String>,
    /// The settings the process started with: start-only keys keep these
    /// values until a restart.
    started_with: crate::config::Settings,
    /// Start-only keys the config in force changed (they wait for a restart).
    applies_after_restart: Vec<String>,
    shutdown: bool,
    identity: Identity,
    started_at: DateTime<Utc>,
    frames: u64,
    last_frame_at: Option<DateTime<Utc>>,
    in_sync_at: Option<DateTime<Utc>>,
    dropped: usize,
    uncovered: usize,
    status_tx: Option<watch::Sender<Arc<ScreenStatus>>>,
    play_log: Option<PlayLogWriter>,
    last_played: Option<PlayKey>,
    screenshots: Vec<ScreenshotRequest>,
    watchdog: Watchdog,
    /// Frames that failed in a row, and the last error logged.
    failures: u32,
    last_failure: Option<String>,
    /// False when the screen plays the embedded demo feed, which no source
    /// updates: a stale limit measures a source that stopped delivering, so
    /// none applies to it (see [`Driver::without_source`]).
    has_source: bool,
}

/// What makes a new line of the play log: state, item, page, data, config, banner.
type PlayKey = (
    ScreenState,
    Option<usize>,
    Option<usize>,
    String,
    String,
    Option<String>,
);

impl Driver {
    /// A driver for `player`, reporting nowhere yet.
    pub fn new(player: Player) -> Self {
        let started_with = player.settings().clone();
        Driver {
            player,
            drawn: None,
            clock_offset: chrono::Duration::zero(),
            feed_status: None,
            config_result: None,
            started_with,
            applies_after_restart: Vec::new(),
            shutdown: false,
            identity: Identity::default(),
            started_at: Utc::now(),
            frames: 0,
            last_frame_at: None,
            in_sync_at: None,
            dropped: 0,
            uncovered: 0,
            status_tx: None,
            play_log: None,
            last_played: None,
            screenshots: Vec::new(),
            watchdog: Watchdog::new(None),
            failures: 0,
            last_failure: None,
            has_source: true,
        }
    }

    /// The screen plays the embedded demo feed, which nothing updates: the
    /// stale limit of this config and of every config reloaded later is
    /// cleared ([`crate::config::FeedSettings::for_embedded_demo`]).
    pub fn without_source(mut self) -> Self {
        self.has_source = false;
        let mut settings = self.player.settings().clone();
        if settings.feed.stale_after.is_some() {
            settings.feed.for_embedded_demo();
            self.player.offer_settings(settings);
        }
        self
    }

    /// Publishes the status to `tx`, logs what plays to `log`, and talks to
    /// systemd's watchdog.
    pub fn report_to(
        &mut self,
        tx: watch::Sender<Arc<ScreenStatus>>,
        log: Option<PlayLogWriter>,
        watchdog: Watchdog,
    ) {
        self.status_tx = Some(tx);
        self.play_log = log;
        self.watchdog = watchdog;
    }

    /// Takes one message from the background tasks.
    pub fn handle(&mut self, event: ClientEvent) {
        match event {
            ClientEvent::Feed(accepted) => {
                self.dropped = accepted.report.dropped.len();
                let player = &self.player;
                self.uncovered = crate::feed::uncovered_chars(&accepted.feed, &|c| player.covers(c))
                    .chars
                    .len();
                self.player.offer_feed(Arc::clone(&accepted.feed));
            }
            ClientEvent::FeedStatus(status) => {
                self.clock_offset = match (status.using_server_time, status.clock_skew_secs) {
                    (true, Some(secs)) => chrono::Duration::seconds(secs),
                    _ => chrono::Duration::zero(),
                };
                self.feed_status = Some(*status);
            }
            ClientEvent::Settings(settings) => self.take_settings(*settings),
            ClientEvent::ConfigRejected(lines) => {
                self.config_result = Some(format!(
                    "{}: refused, old config kept: {}",
                    Utc::now(),
                    lines.join("; ")
                ));
            }
            ClientEvent::Screenshot(request) => self.screenshots.push(request),
            ClientEvent::Shutdown => self.shutdown = true,
            ClientEvent::FreezeForTest => {
                tracing::warn!(
                    "test hook: the screen thread stops now (RANKWALL_TEST_HOOKS=freeze-on-sigusr2)"
                );
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
            }
            // The window takes this one before the driver sees it; headless
            // runs have no device of their own to lose.
            ClientEvent::LoseDeviceForTest | ClientEvent::SurfaceFaultsForTest => {
                tracing::warn!("test hook: losing the GPU device or surface is a window-only hook; ignored");
            }
        }
    }

    /// A new config: applied at the next slide boundary, except its
    /// start-only keys, which are named in the status until a restart.
    fn take_settings(&mut self, settings: crate::config::Settings) {
        let waiting = crate::config::start_only_changes(&self.started_with, &settings);
        self.applies_after_restart = waiting.iter().map(|k| k.to_string()).collect();
        let mut result = format!("{}: accepted; applies at the next slide boundary", Utc::now());
        if !waiting.is_empty() {
            let keys = waiting.join(", ");
            tracing::warn!(keys = %keys, "config changed keys that are read only at start; they apply after a restart");
            result.push_str(&format!("; {keys} apply after restart"));
        }
        self.config_result = Some(result);
        let mut settings = settings;
        if !self.has_source {
            settings.feed.for_embedded_demo();
        }
        self.player.offer_settings(settings);
    }

    /// The schedule's time: the local clock, corrected while the feed server
    /// says it is wrong, in the screen's zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        (Utc::now() + self.clock_offset).with_timezone(&self.player.settings().screen.time_zone)
    }

    /// The view to draw at `now`, or `None` when the screen already shows it.
    pub fn due(&mut self, now: DateTime<FixedOffset>) -> Option<View> {
        let view = self.player.view_at(now);
        (self.drawn.as_ref() != Some(&view)).then_some(view)
    }

    /// The view on screen.
    pub fn drawn(&self) -> Option<&View> {
        self.drawn.as_ref()
    }

    /// A frame failed: logged when the error is new, not on every frame; the
    /// next scheduled frame tries again (and the watchdog stops while none
    /// succeeds).
    pub fn frame_failed(&mut self, error: &str) {
        self.failures += 1;
        self.drawn = None;
        if self.last_failure.as_deref() != Some(error) {
            tracing::error!(failures = self.failures, "frame failed: {error}");
            self.last_failure = Some(error.to_string());
        }
    }

    /// Records that `view` was presented at `now`.
    pub fn presented(&mut self, view: View, now: DateTime<FixedOffset>) {
        if self.failures > 0 {
            tracing::info!(failed = self.failures, "frames presented again");
            self.failures = 0;
            self.last_failure = None;
        }
        self.frames += 1;
        self.last_frame_at = Some(now.with_timezone(&Utc));
        self.record_play(&view, now);
        self.drawn = Some(view);
    }

    /// Forgets what is on screen, so the next check draws (resize, new device).
    pub fn invalidate(&mut self) {
        self.drawn = None;
    }

    /// The screen shows what it should: heartbeat for health, the watchdog
    /// and the published status.
    pub fn in_sync(&mut self, now: DateTime<FixedOffset>) {
        self.in_sync_at = Some(now.with_timezone(&Utc));
        let notify = self.watchdog.check(Instant::now(), true, self.frames > 0);
        Watchdog::send(notify);
        self.publish(now);
    }

    /// The screenshot requests waiting for a frame.
    pub fn take_screenshot_requests(&mut self) -> Vec<ScreenshotRequest> {
        std::mem::take(&mut self.screenshots)
    }

    /// How long to sleep after `now`; `None`: draw the next frame at the
    /// display's rate (a transition or a marquee is running).
    pub fn sleep(&self, now: DateTime<FixedOffset>) -> Option<Duration> {
        let Some(view) = &self.drawn else {
            return Some(Duration::ZERO);
        };
        let cap = self.watchdog.max_sleep().map_or(MAX_SLEEP, |w| w.min(MAX_SLEEP));
        match self.player.next_wake(view, now) {
            Wake::EveryFrame => None,
            // To the microsecond: a wait rounded down to whole milliseconds
            // wakes just before the boundary, when the old page is still due.
            Wake::At(at) => Some((at - now).to_std().unwrap_or(Duration::ZERO).min(cap)),
        }
    }

    fn record_play(&mut self, view: &View, now: DateTime<FixedOffset>) {
        let (state, item, page, banner) = match &view.still {
            Still::Black => (ScreenState::Off, None, None, None),
            Still::Idle { banner, .. } => (ScreenState::Idle, None, None, *banner),
            Still::Page {
                item, page, banner, ..
            } => (ScreenState::Page, Some(*item), Some(page.clone()), *banner),
        };
        let banner = banner
            .and_then(|b| self.player.settings().banners.get(b))
            .map(|b| b.id.clone());
        let key: PlayKey = (
            state,
            item,
            page.as_ref().map(|p| p.index),
            self.player.data_hash().to_string(),
            self.player.config_hash().to_string(),
            banner.clone(),
        );
        if self.last_played.as_ref() == Some(&key) {
            return;
        }
        let entry = PlayEntry {
            start: now,
            state,
            item,
            slide: page.as_ref().map(|p| p.id.clone()),
            page: page.as_ref().map(|p| p.index + 1),
            pages: page.as_ref().map(|p| p.count),
            data_sha256: key.3.clone(),
            config_sha256: key.4.clone(),
            banner,
        };
        self.last_played = Some(key);
        // Written on the log's own thread; failures show in the status.
        if let Some(log) = &self.play_log {
            log.send(entry);
        }
    }

    fn publish(&self, now: DateTime<FixedOffset>) {
        if let Some(tx) = &self.status_tx {
            tx.send_replace(Arc::new(self.status(now)));
        }
    }

    /// The status as of `now`.
    pub fn status(&self, now: DateTime<FixedOffset>) -> ScreenStatus {
        status::status_of(self, now)
    }

    /// The player.
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// The player, to draw or resize.
    pub fn player_mut(&mut self) -> &mut Player {
        &mut self.player
    }

    /// Whether SIGTERM or SIGINT asked the screen to leave.
    pub fn shutting_down(&self) -> bool {
        self.shutdown
    }

    /// Where frames are composed and presented (`gpu`, `cpu`), for the status.
    pub fn set_presentation(&mut self, presentation: &str) {
        self.identity.presentation = presentation.to_string();
    }

    /// The graphics adapter, for the status.
    pub fn set_adapter(&mut self, adapter: String) {
        self.identity.adapter = adapter;
    }

    /// Where the config comes from, for the status.
    pub fn set_config_source(&mut self, source: String) {
        self.identity.config_source = source;
    }

    /// The feed source's last status, if a feed URL is polled.
    pub fn feed_status(&self) -> Option<&FeedStatus> {
        self.feed_status.as_ref()
    }

    /// The last config reload's outcome.
    pub fn config_result(&self) -> Option<&str> {
        self.config_result.as_deref()
    }
}
