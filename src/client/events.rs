//! Messages from the background tasks to the thread that owns the screen,
//! and the sender that also wakes that thread up.

use crate::config::Settings;
use crate::source::{Accepted, FeedStatus};
use std::sync::mpsc;
use std::sync::Arc;

/// What the background tasks tell the screen thread.
#[derive(Debug)]
pub enum ClientEvent {
    /// A new accepted feed document (or the cached one at start).
    Feed(Arc<Accepted>),
    /// The feed source's status after an attempt.
    FeedStatus(Box<FeedStatus>),
    /// New valid settings (overrides applied), for the next slide boundary.
    Settings(Box<Settings>),
    /// A config change was refused; the old config stays. Located messages.
    ConfigRejected(Vec<String>),
    /// The status server wants the frame last presented.
    Screenshot(crate::status::ScreenshotRequest),
    /// SIGTERM or SIGINT: leave cleanly.
    Shutdown,
    /// A test hook (`RANKWALL_TEST_HOOKS=freeze-on-sigusr2` and SIGUSR2):
    /// the screen thread stops for good, as if the GPU driver hung, so that
    /// a test can watch systemd's watchdog restart the service.
    FreezeForTest,
    /// A test hook (`RANKWALL_TEST_HOOKS=lose-device-on-sigusr2` and
    /// SIGUSR2): the window destroys its GPU device, as a driver reset or a
    /// removed GPU would, so that a test can watch the screen recover.
    LoseDeviceForTest,
    /// A test hook (`RANKWALL_TEST_HOOKS=lose-surface-on-sigusr2` and
    /// SIGUSR2): the window's next two frames get the answers a driver gives
    /// for a surface that is out of date and then lost, so that a test can
    /// watch the window configure and recreate its surface and draw again.
    SurfaceFaultsForTest,
}

/// Sends events to the screen thread and wakes it (an event-loop wake-up
/// for the window; the headless loop waits on the channel itself).
#[derive(Clone)]
pub struct EventSender {
    tx: mpsc::Sender<ClientEvent>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl EventSender {
    /// A sender on `tx` that calls `wake` after every event (a no-op where
    /// the receiver blocks on the channel).
    pub fn new(tx: mpsc::Sender<ClientEvent>, wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        EventSender { tx, wake }
    }

    /// Sends `event`; false when the screen thread is gone.
    pub fn send(&self, event: ClientEvent) -> bool {
        let sent = self.tx.send(event).is_ok();
        (self.wake)();
        sent
    }
}
