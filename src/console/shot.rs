//! Screenshots from screens, made into thumbnails without trusting them: a
//! PNG's size is read from its header and refused beyond the screens the
//! console supports before a pixel is decoded; the decoder may allocate at
//! most one 4K frame, and skips the text and ICC chunks (which can inflate to
//! hundreds of MiB); the thumbnail fits a box in both dimensions. One upload
//! per screen is received at a time, and a screen whose upload failed is not
//! asked again until the next refresh, so a bad image does not come back with
//! every report.

use image::RgbaImage;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use thiserror::Error;

/// The longest side of a screen the console supports (4K).
pub const MAX_SIDE: u32 = 3840;

/// The most elongated screen the console supports (an LED strip of 8:1).
pub const MAX_ASPECT: u32 = 8;

/// What the PNG decoder may allocate: a 4K RGBA frame (31.6 MiB) and its rows.
const DECODE_LIMIT: usize = 40 << 20;

/// Thumbnails fit in a square of this side: a 1080p frame becomes 480×270,
/// a portrait one 270×480.
pub const THUMB_BOX: u32 = 480;

/// Why a screenshot was not made into a thumbnail.
#[derive(Debug, Error)]
pub enum ShotError {
    /// The header says a size no supported screen has.
    #[error("a {0}x{1} screenshot is beyond the screens the console supports (at most {MAX_SIDE} pixels on the long side, {MAX_ASPECT}:1)")]
    Size(u32, u32),
    /// Not a PNG, or a PNG the decoder refused (corrupt, over its memory limit).
    #[error("the screenshot is not a PNG image the console can read: {0}")]
    Decode(#[from] png::DecodingError),
    /// The decoded pixels are not of a kind a screen sends.
    #[error("the screenshot's pixels are not 8-bit grey, RGB or RGBA")]
    Pixels,
    /// The thumbnail could not be encoded.
    #[error("the thumbnail could not be encoded: {0}")]
    Encode(#[from] image::ImageError),
}

/// Whether a `width` × `height` picture is one a supported screen can show.
pub fn size_supported(width: u32, height: u32) -> bool {
    let (long, short) = (width.max(height), width.min(height));
    short >= 1 && long <= MAX_SIDE && long <= short.saturating_mul(MAX_ASPECT)
}

/// `png` scaled to fit [`THUMB_BOX`], as a PNG.
pub fn thumbnail(png: &[u8]) -> Result<Vec<u8>, ShotError> {
    let image = decode(png)?;
    let (w, h) = fit(image.width(), image.height(), THUMB_BOX);
    let small = image::imageops::thumbnail(&image, w, h);
    let mut out = Vec::new();
    small.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))?;
    Ok(out)
}

/// The size of a `width` × `height` picture scaled to fit a `side` square.
fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    let long = u64::from(width.max(height)).max(1);
    let scale = |n: u32| (u64::from(n) * u64::from(side) / long).clamp(1, u64::from(side));
    let (w, h) = (scale(width), scale(height));
    (u32::try_from(w).unwrap_or(side), u32::try_from(h).unwrap_or(side))
}

/// The reader of `png`, its size checked from the header, up to its pixels.
/// Text chunks and the colour profile are skipped unread: a screen's frame
/// needs neither, and each can inflate to hundreds of megabytes.
fn reader(png: &[u8]) -> Result<png::Reader<std::io::Cursor<&[u8]>>, ShotError> {
    let limits = png::Limits { bytes: DECODE_LIMIT };
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(png), limits);
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let (width, height) = decoder.read_header_info().map(|i| i.size())?;
    if !size_supported(width, height) {
        return Err(ShotError::Size(width, height));
    }
    Ok(decoder.read_info()?)
}

/// The pixels of `png`, after its size was checked from the header.
fn decode(png: &[u8]) -> Result<RgbaImage, ShotError> {
    let mut reader = reader(png)?;
    let size = reader.output_buffer_size().ok_or(ShotError::Pixels)?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels)?;
    pixels.truncate(frame.buffer_size());
    let rgba: Vec<u8> = match frame.color_type {
        png::ColorType::Rgba => pixels,
        png::ColorType::Rgb => pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(ShotError::Pixels),
    };
    RgbaImage::from_raw(frame.width, frame.height, rgba).ok_or(ShotError::Pixels)
}

/// The screens whose screenshot is being received now, and when each
/// screen's last upload failed.
#[derive(Default)]
pub struct Uploads {
    receiving: Mutex<HashSet<String>>,
    failed_at: Mutex<HashMap<String, i64>>,
}

/// A screen's upload in progress; the screen may send another once dropped.
pub struct Receiving<'a> {
    uploads: &'a Uploads,
    id: String,
}

impl Uploads {
    /// Claims the upload of screen `id`; `None` while one is already being received.
    pub fn claim(&self, id: &str) -> Option<Receiving<'_>> {
        let mut receiving = self.receiving.lock().unwrap_or_else(PoisonError::into_inner);
        receiving.insert(id.to_string()).then(|| Receiving {
            uploads: self,
            id: id.to_string(),
        })
    }

    /// Remembers that screen `id`'s upload failed at `now` (Unix seconds).
    pub fn failed(&self, id: &str, now: i64) {
        let mut failed = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        failed.insert(id.to_string(), now);
    }

    /// Whether screen `id`'s last upload failed within `within` seconds of `now`.
    pub fn failed_recently(&self, id: &str, now: i64, within: i64) -> bool {
        let failed = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        failed.get(id).is_some_and(|&at| now - at < within)
    }

    /// Forgets a failure once a screenshot of screen `id` was kept.
    pub fn succeeded(&self, id: &str) {
        let mut failed = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        failed.remove(id);
    }
}

impl Drop for Receiving<'_> {
    fn drop(&mut self) {
        let mut receiving = self
            .uploads
            .receiving
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        receiving.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn supported_sizes() {
        for (w, h) in [(1920, 1080), (1080, 1920), (3840, 2160), (1280, 256), (2048, 256)] {
            assert!(size_supported(w, h), "{w}x{h}");
        }
        for (w, h) in [(1, 8192), (8192, 8192), (3841, 2160), (2049, 256), (0, 10)] {
            assert!(!size_supported(w, h), "{w}x{h}");
        }
    }

    /// A 64×36 frame with a 4 MiB colour profile and a zTXt chunk of 4 MiB
    /// of text (both compress to a few kilobytes).
    fn with_chunks() -> Vec<u8> {
        let mut info = png::Info::with_size(64, 36);
        info.color_type = png::ColorType::Rgb;
        info.bit_depth = png::BitDepth::Eight;
        info.icc_profile = Some(vec![0u8; 4 << 20].into());
        let mut out = Vec::new();
        let mut encoder = png::Encoder::with_info(&mut out, info).unwrap();
        encoder
            .add_ztxt_chunk("Comment".into(), "a".repeat(4 << 20))
            .unwrap();
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&vec![0u8; 64 * 36 * 3]).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_frames_profile_and_text_are_never_inflated() {
        let png = with_chunks();
        assert!(png.len() < 200_000, "{} bytes", png.len());
        let reader = reader(&png).unwrap();
        let info = reader.info();
        assert!(info.icc_profile.is_none(), "the colour profile was inflated");
        assert!(
            info.compressed_latin1_text.is_empty() && info.utf8_text.is_empty(),
            "text chunks were kept"
        );
        assert_eq!(decode(&png).unwrap().dimensions(), (64, 36));
    }

    #[test]
    fn thumbnails_fit_the_box_both_ways() {
        assert_eq!(fit(1920, 1080, 480), (480, 270));
        assert_eq!(fit(1080, 1920, 480), (270, 480));
        assert_eq!(fit(2048, 256, 480), (480, 60));
        assert_eq!(fit(100, 50, 480), (480, 240));
    }

    #[test]
    fn a_failed_upload_is_remembered_until_one_is_kept() {
        let uploads = Uploads::default();
        assert!(!uploads.failed_recently("a", 100, 60));
        uploads.failed("a", 100);
        assert!(uploads.failed_recently("a", 159, 60), "within the minute");
        assert!(!uploads.failed_recently("a", 160, 60), "a minute later");
        assert!(!uploads.failed_recently("b", 120, 60), "another screen");
        uploads.succeeded("a");
        assert!(
            !uploads.failed_recently("a", 120, 60),
            "forgotten once one is kept"
        );
    }

    #[test]
    fn one_upload_per_screen_at_a_time() {
        let uploads = Uploads::default();
        let first = uploads.claim("a");
        assert!(first.is_some());
        assert!(
            uploads.claim("a").is_none(),
            "a second upload while the first is received"
        );
        assert!(uploads.claim("b").is_some(), "another screen is not held up");
        drop(first);
        assert!(uploads.claim("a").is_some(), "the claim ends with the upload");
    }
}
