//! Offscreen pictures: an [`OffscreenScreen`] (a GPU target drawn by the
//! same [`paint`] as the window) and a [`Stage`] (a player and such a screen,
//! any frame of the schedule on demand). The screen thread (`run
//! --headless`, `/screenshot.png`), `render`, `render --config` and the
//! console's previews all draw here, so what a PNG shows is what a screen
//! shows; none of them needs the display loop for it.

mod banded;
mod cpu;
mod paint;
mod stage;

pub use cpu::CpuFrames;
pub use paint::{composition, moving_band, paint, OffscreenScreen};
pub use stage::{rss_mib, Stage};

use std::path::PathBuf;
use thiserror::Error;

impl OffscreenError {
    /// A PNG of `path` that could not be encoded or written.
    pub fn encoding(path: &std::path::Path, source: png::EncodingError) -> Self {
        OffscreenError::Encode {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Why an offscreen picture could not be made or written.
#[derive(Debug, Error)]
pub enum OffscreenError {
    /// The config leaves the size to the monitor, and there is none offscreen.
    #[error("the config says size = \"monitor\"; give --size WIDTHxHEIGHT to render without a monitor")]
    MonitorSize,
    /// The bundled or configured fonts could not be loaded.
    #[error(transparent)]
    Fonts(#[from] crate::text::FontError),
    /// The settings do not fit the screen (the player refused them).
    #[error(transparent)]
    Profile(#[from] crate::layout::ProfileError),
    /// No GPU adapter or device for offscreen drawing.
    #[error(transparent)]
    Gpu(#[from] crate::render::GpuError),
    /// Drawing the frame failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// Reading the frame back from the GPU failed.
    #[error(transparent)]
    Readback(#[from] crate::render::ReadbackError),
    /// The PNG could not be encoded or written as its rows were read back.
    #[error("cannot write {}: {source}", path.display())]
    Encode {
        /// The file that was being written.
        path: PathBuf,
        /// Why it failed.
        source: png::EncodingError,
    },
}
