//! The screen thread's logic without the window or the GPU: it takes the
//! background tasks' messages, decides whether a frame must be drawn (only
//! when the [`View`] differs from the one on screen) and how long to sleep.
//! The window and the headless client both run it, and tests drive it with
//! chosen instants.

use super::events::ClientEvent;
use crate::play::{Player, View, Wake};
use crate::source::FeedStatus;
use chrono::{DateTime, FixedOffset, Utc};
use std::time::Duration;

/// The longest sleep, so a changed wall clock is noticed within a minute.
const MAX_SLEEP: Duration = Duration::from_secs(60);

pub struct Driver {
    pub player: Player,
    drawn: Option<View>,
    /// Added to the local clock while the feed server says it is wrong.
    clock_offset: chrono::Duration,
    pub feed_status: Option<FeedStatus>,
    /// The last config reload's outcome, for logs and status.
    pub config_result: Option<String>,
    pub shutdown: bool,
}

impl Driver {
    pub fn new(player: Player) -> Self {
        Driver {
            player,
            drawn: None,
            clock_offset: chrono::Duration::zero(),
            feed_status: None,
            config_result: None,
            shutdown: false,
        }
    }

    /// Takes one message from the background tasks.
    pub fn handle(&mut self, event: ClientEvent) {
        match event {
            ClientEvent::Feed(accepted) => self.player.offer_feed(accepted.feed.clone()),
            ClientEvent::FeedStatus(status) => {
                self.clock_offset = match (status.using_server_time, status.clock_skew_secs) {
                    (true, Some(secs)) => chrono::Duration::seconds(secs),
                    _ => chrono::Duration::zero(),
                };
                self.feed_status = Some(*status);
            }
            ClientEvent::Config(config) => {
                self.player.offer_config(*config);
                self.config_result = Some("accepted; applies at the next slide boundary".into());
            }
            ClientEvent::ConfigRejected(lines) => {
                self.config_result = Some(format!("refused, old config kept: {}", lines.join("; ")));
            }
            ClientEvent::Shutdown => self.shutdown = true,
        }
    }

    /// The schedule's time: the local clock, corrected while the feed server
    /// says it is wrong, in the screen's zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        let zone = crate::schedule_zone(self.player.config().screen.time_zone.get_ref())
            .unwrap_or_else(crate::china_standard_time);
        (Utc::now() + self.clock_offset).with_timezone(&zone)
    }

    /// The view to draw at `now`, or `None` when the screen already shows it.
    pub fn due(&mut self, now: DateTime<FixedOffset>) -> Option<View> {
        let view = self.player.view_at(now);
        (self.drawn.as_ref() != Some(&view)).then_some(view)
    }

    /// Records that `view` is on screen.
    pub fn presented(&mut self, view: View) {
        self.drawn = Some(view);
    }

    /// Forgets what is on screen, so the next check draws (resize, new device).
    pub fn invalidate(&mut self) {
        self.drawn = None;
    }

    /// How long to sleep after `now`; `None`: draw the next frame at the
    /// display's rate (a transition or a marquee is running).
    pub fn sleep(&self, now: DateTime<FixedOffset>) -> Option<Duration> {
        let Some(view) = &self.drawn else {
            return Some(Duration::ZERO);
        };
        match self.player.next_wake(view, now) {
            Wake::EveryFrame => None,
            Wake::At(at) => {
                let millis = (at - now).num_milliseconds().max(0) as u64;
                Some(Duration::from_millis(millis).min(MAX_SLEEP))
            }
        }
    }
}
