//! A panel's size in pixels and the range of sizes rankwall lays out for.
//! A leaf: the config parses sizes with it and the layout builds on it.

#![deny(missing_docs)]

/// The smallest width rankwall lays out for, in pixels.
pub const MIN_WIDTH: u32 = 320;
/// The smallest height rankwall lays out for, in pixels (a low LED strip).
pub const MIN_HEIGHT: u32 = 128;
/// The largest width or height rankwall lays out for, in pixels.
pub const MAX_SIDE: u32 = 8192;

/// A panel's size in pixels, inside the supported range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PanelSize {
    /// The width in pixels, [`MIN_WIDTH`] to [`MAX_SIDE`].
    pub width: u32,
    /// The height in pixels, [`MIN_HEIGHT`] to [`MAX_SIDE`].
    pub height: u32,
}

/// The two numbers of `WIDTHxHEIGHT` (also `X` or `×`, spaces allowed
/// around them), whatever their range.
pub fn parse_pair(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.split_once(['x', 'X', '×'])?;
    Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
}

/// Why a text is not a panel size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PanelSizeError {
    /// The text is not two numbers around an `x`.
    #[error("screen size {0:?} is not WIDTHxHEIGHT (e.g. 1920x1080)")]
    NotAPair(String),
    /// Two numbers, outside the sizes rankwall lays out for.
    #[error("screen size {width}x{height} is outside {MIN_WIDTH}x{MIN_HEIGHT} … {MAX_SIDE}x{MAX_SIDE}")]
    OutOfRange {
        /// The width given.
        width: u32,
        /// The height given.
        height: u32,
    },
}

impl PanelSize {
    /// Parses `WIDTHxHEIGHT` (also `X` or `×`) and checks the range.
    pub fn parse(text: &str) -> Result<PanelSize, PanelSizeError> {
        let (width, height) = parse_pair(text).ok_or_else(|| PanelSizeError::NotAPair(text.to_string()))?;
        if !(MIN_WIDTH..=MAX_SIDE).contains(&width) || !(MIN_HEIGHT..=MAX_SIDE).contains(&height) {
            return Err(PanelSizeError::OutOfRange { width, height });
        }
        Ok(PanelSize { width, height })
    }

    /// The size as a (width, height) pair.
    pub fn pair(self) -> (u32, u32) {
        (self.width, self.height)
    }
}
