//! The status server's state: what it reads (the latest [`ScreenStatus`]),
//! its token, and whom it asks for screenshots. Bound to 127.0.0.1 by
//! default; on any other address it requires a bearer token and refuses to
//! start without one. The endpoints and the serving loop are in
//! [`super::routes`], which stands on this file (never the reverse).

use super::ScreenStatus;
use image::RgbaImage;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{oneshot, watch};

/// Whether the server may listen on `addr` with `token` (a config rule,
/// checked where the config is read).
pub use crate::config::check_bind;

/// A screenshot asked of the screen thread: it answers with the frame last presented.
pub type ScreenshotRequest = oneshot::Sender<Result<RgbaImage, ScreenshotError>>;

/// Why the screen thread has no screenshot to give. One answer goes to
/// every request waiting, so it is cloned and carries the failure's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScreenshotError {
    /// Nothing has been drawn yet.
    #[error("no frame presented yet")]
    NoFrame,
    /// No offscreen target could be had to draw the frame again into.
    #[error("no capture target")]
    NoTarget,
    /// Drawing the frame again, or reading it back, failed.
    #[error("{0}")]
    Draw(String),
}

/// What the server reads and whom it asks for screenshots.
pub struct StatusServer {
    /// The latest status the screen thread published.
    pub status: watch::Receiver<Arc<ScreenStatus>>,
    /// The bearer token every request must carry; none asked when `None`.
    pub token: Option<String>,
    /// Passes a screenshot request to the screen thread; false when it is gone.
    pub ask_screenshot: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    /// When the last screenshot was taken, for the rate limit.
    pub(super) last_shot: Mutex<Option<Instant>>,
}

impl StatusServer {
    /// A server reading `status`, guarded by `token`, asking for screenshots with `ask_screenshot`.
    pub fn new(
        status: watch::Receiver<Arc<ScreenStatus>>,
        token: Option<String>,
        ask_screenshot: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    ) -> Self {
        StatusServer {
            status,
            token,
            ask_screenshot,
            last_shot: Mutex::new(None),
        }
    }
}
