//! A screenshot as PNG bytes: asked of the screen thread by message (it
//! owns the GPU), then coded off the async workers. `/screenshot.png` and
//! the console reporter both take their pictures here, so the console's
//! thumbnail is the same frame the status server would give.

use super::{ScreenshotError, ScreenshotRequest};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long the screen thread may take to hand over a screenshot.
const SCREENSHOT_WAIT: Duration = Duration::from_secs(10);

/// Why no screenshot came.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The screen thread is gone: the request could not be passed on.
    #[error("the screen is shutting down")]
    ShuttingDown,
    /// The screen thread answered that it has no frame to give.
    #[error("no screenshot: {0}")]
    Refused(ScreenshotError),
    /// No answer within 10 seconds, or the request was dropped.
    #[error("the screen did not answer")]
    NoAnswer,
    /// Coding the PNG failed.
    #[error("cannot encode the screenshot")]
    Encode,
}

/// The frame last presented, as PNG; `ask` passes the request to the screen
/// thread and says whether it is still there.
pub async fn capture_png(
    ask: &(dyn Fn(ScreenshotRequest) -> bool + Send + Sync),
) -> Result<Vec<u8>, CaptureError> {
    capture_png_within(ask, None).await
}

/// As [`capture_png`], scaled down to at most `max_width` pixels wide (the
/// console's thumbnails: a 4G link need not carry a whole 4K frame).
pub async fn capture_png_within(
    ask: &(dyn Fn(ScreenshotRequest) -> bool + Send + Sync),
    max_width: Option<u32>,
) -> Result<Vec<u8>, CaptureError> {
    let (tx, rx) = oneshot::channel();
    if !ask(tx) {
        return Err(CaptureError::ShuttingDown);
    }
    let image = match tokio::time::timeout(SCREENSHOT_WAIT, rx).await {
        Ok(Ok(Ok(image))) => image,
        Ok(Ok(Err(e))) => return Err(CaptureError::Refused(e)),
        _ => return Err(CaptureError::NoAnswer),
    };
    // PNG coding takes tens of milliseconds: off the async workers.
    let png = tokio::task::spawn_blocking(move || {
        let image = match max_width {
            Some(w) if image.width() > w => {
                let h = (u64::from(image.height()) * u64::from(w) / u64::from(image.width())).max(1);
                image::imageops::thumbnail(&image, w, u32::try_from(h).unwrap_or(1))
            }
            _ => image,
        };
        let mut bytes = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
        image.write_with_encoder(encoder).map(|()| bytes)
    })
    .await;
    match png {
        Ok(Ok(bytes)) => Ok(bytes),
        _ => Err(CaptureError::Encode),
    }
}
