//! Pictures for the console, drawn by the same [`Stage`] as `render
//! --config` (one player, one offscreen screen, one `paint`): the frame a
//! group's screens show at an instant, and every page of the feed. This is
//! blocking work (a GPU context, shaping); callers run it on the blocking
//! pool, one at a time.

use crate::config::{PanelSize, ScreenSize, Settings};
use crate::feed::Feed;
use crate::offscreen::Stage;
use chrono::{DateTime, FixedOffset};
use image::RgbaImage;

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PreviewError(String);

impl PreviewError {
    fn from_any(e: impl std::fmt::Display) -> Self {
        PreviewError(e.to_string())
    }
}

/// The frame `settings` show over `feed` at `at`, on a `size` screen, as PNG.
pub fn frame_png(
    mut settings: Settings,
    feed: Feed,
    size: PanelSize,
    at: DateTime<FixedOffset>,
) -> Result<Vec<u8>, PreviewError> {
    settings.screen.size = ScreenSize::Fixed(size);
    let mut stage = Stage::new(settings, feed).map_err(PreviewError::from_any)?;
    let image = stage.frame_image(at).map_err(PreviewError::from_any)?;
    encode(&image)
}

/// The most slide pages the 数据 page draws: a feed cut at 10,000 entries a
/// list makes thousands, which `rankwall render` is for.
pub const MAX_SLIDES: usize = 60;

/// The first [`MAX_SLIDES`] pages of every slide of `feed` on a `size`
/// screen at `at`, as PNGs (the pages `rankwall render` writes, never stale
/// for the `embedded_demo`), and how many pages there are in all.
pub fn slide_pngs(
    feed: Feed,
    embedded_demo: bool,
    size: PanelSize,
    at: DateTime<FixedOffset>,
) -> Result<(Vec<Vec<u8>>, usize), PreviewError> {
    let mut settings = Settings::default();
    settings.screen.size = ScreenSize::Fixed(size);
    if embedded_demo {
        settings.feed.for_embedded_demo();
    }
    let mut fonts = crate::text::Fonts::load(&crate::play::font_options(&settings.theme))
        .map_err(PreviewError::from_any)?;
    let profile = crate::play::profile_for(&settings, size.pair()).map_err(PreviewError::from_any)?;
    settings.playlist = crate::play::every_slide(&mut fonts, &feed, &profile);
    let mut stage = Stage::with_fonts(settings, feed, fonts).map_err(PreviewError::from_any)?;
    let slots = stage.player().plan_at(at);
    let pictures = slots
        .iter()
        .take(MAX_SLIDES)
        .map(|slot| encode(&stage.page_image(slot, at).map_err(PreviewError::from_any)?))
        .collect::<Result<_, _>>()?;
    Ok((pictures, slots.len()))
}

/// PNG bytes, coded fast (previews are looked at once).
fn encode(image: &RgbaImage) -> Result<Vec<u8>, PreviewError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    image
        .write_with_encoder(encoder)
        .map_err(PreviewError::from_any)?;
    Ok(out)
}
