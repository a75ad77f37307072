//! The screen profile: size, shape and the text sizes derived from them.

use thiserror::Error;

pub use crate::panel::{MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};

/// How a screen is used: a monitor either way up, or a wide, low LED strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// At least as wide as tall, but less than three times as wide: a monitor the usual way up.
    Landscape,
    /// Taller than wide: a monitor turned on its side.
    Portrait,
    /// Three or more times wider than tall: one entry per page, in large type.
    Strip,
}

/// Why a screen size cannot be laid out for.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProfileError {
    /// Width and height (in pixels) outside the supported range.
    #[error("screen size {0}x{1} is outside {MIN_WIDTH}x{MIN_HEIGHT} … {MAX_SIDE}x{MAX_SIDE}")]
    OutOfRange(u32, u32),
    /// The text given is not `WIDTHxHEIGHT`.
    #[error("screen size {0:?} is not WIDTHxHEIGHT (e.g. 1920x1080)")]
    Syntax(String),
}

/// A screen's size and the layout rules that follow from it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenProfile {
    /// The width in pixels, as laid out (after any rotation), [`MIN_WIDTH`] to [`MAX_SIDE`].
    pub width: u32,
    /// The height in pixels, as laid out (after any rotation), [`MIN_HEIGHT`] to [`MAX_SIDE`].
    pub height: u32,
    /// Landscape, portrait or strip, from the ratio of width to height.
    pub shape: Shape,
    /// Safe margin on every side, in pixels.
    pub margin: f32,
    /// Text is never drawn smaller than this, in pixels.
    pub min_text: f32,
}

impl ScreenProfile {
    /// The default profile for a screen of this size.
    pub fn new(width: u32, height: u32) -> Result<Self, ProfileError> {
        if !(MIN_WIDTH..=MAX_SIDE).contains(&width) || !(MIN_HEIGHT..=MAX_SIDE).contains(&height) {
            return Err(ProfileError::OutOfRange(width, height));
        }
        let shape = if width >= 3 * height {
            Shape::Strip
        } else if height > width {
            Shape::Portrait
        } else {
            Shape::Landscape
        };
        let short = width.min(height) as f32;
        Ok(ScreenProfile {
            width,
            height,
            shape,
            margin: (short * 0.03).round(),
            min_text: (short * 0.016).round().clamp(12.0, 28.0),
        })
    }

    /// Parses `WIDTHxHEIGHT`.
    pub fn parse(size: &str) -> Result<Self, ProfileError> {
        let (w, h) = crate::panel::parse_pair(size).ok_or_else(|| ProfileError::Syntax(size.to_string()))?;
        Self::new(w, h)
    }

    /// The shorter side, the unit most sizes derive from.
    pub fn short_side(&self) -> f32 {
        self.width.min(self.height) as f32
    }
}

/// Heights and text sizes of a slide's parts, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// The header's height below the top margin, the rule under it included.
    pub header_h: f32,
    /// The text size of the slide title in the header.
    pub title_size: f32,
    /// The text size of the subtitle (period and group; on a strip, the page marker too).
    pub subtitle_size: f32,
    /// The footer's height above the bottom margin.
    pub footer_h: f32,
    /// The text size of the footer: issuer, update time and page marker.
    pub footer_size: f32,
    /// The height of a table's column-heading row; 0 on a strip, which has none.
    pub head_h: f32,
    /// The text size of the column headings; 0 on a strip.
    pub head_size: f32,
    /// The height of one table row; on a strip, the whole body (one entry per page).
    pub row_h: f32,
    /// The text size of a table row.
    pub row_size: f32,
}

/// How much taller than the screen's base rows a table's rows may grow, and
/// how much larger their text: a short table fills the body, but one row is
/// not stretched into a poster.
const ROW_GROWTH: f32 = 3.0;
const TEXT_GROWTH: f32 = 1.6;

impl Metrics {
    /// These metrics with table rows as tall as `rows` rows can be in a body
    /// `body_h` high (below the column headings), at least the base height
    /// and at most `ROW_GROWTH` (3) times it, and the row text grown with them
    /// up to `TEXT_GROWTH` (1.6) times. A short table then fills the screen; a
    /// caller that passes the fullest page's row count for every page of a
    /// slide keeps the size the same from page to page.
    pub fn grown(&self, body_h: f32, rows: usize) -> Metrics {
        let rows = rows.max(1) as f32;
        let room = body_h - self.head_h;
        let row_h = (room / rows)
            .floor()
            .min((self.row_h * ROW_GROWTH).floor())
            .max(self.row_h);
        // Most of each added pixel goes to the text: the gaps between rows
        // need not grow as fast as the letters read from across a square.
        let row_size = (self.row_size + (row_h - self.row_h) * 0.75)
            .min(self.row_size * TEXT_GROWTH)
            .floor()
            .max(self.row_size);
        Metrics {
            row_h,
            row_size,
            ..self.clone()
        }
    }

    /// The metrics for screen `p`: proportional to its short side (to its height on a strip), never
    /// below its minimum text size.
    pub fn for_profile(p: &ScreenProfile) -> Metrics {
        let at_least = |v: f32| v.max(p.min_text).round();
        match p.shape {
            Shape::Strip => {
                let h = p.height as f32;
                let header_h = (h * 0.22).max(p.min_text * 1.3).round();
                let footer_h = (h * 0.15).max(p.min_text * 1.3).round();
                let row_h = (h - 2.0 * p.margin - header_h - footer_h).floor();
                Metrics {
                    header_h,
                    title_size: at_least(h * 0.15),
                    subtitle_size: at_least(h * 0.12),
                    footer_h,
                    footer_size: at_least(h * 0.095),
                    head_h: 0.0,
                    head_size: 0.0,
                    row_h,
                    row_size: at_least(h * 0.3).min(row_h * 0.8).max(p.min_text),
                }
            }
            _ => {
                let s = p.short_side();
                let row_size = at_least(s * 0.043);
                Metrics {
                    header_h: (s * 0.15).max(p.min_text * 3.2).round(),
                    title_size: at_least(s * 0.056),
                    subtitle_size: at_least(s * 0.034),
                    footer_h: (s * 0.07).max(p.min_text * 1.6).round(),
                    footer_size: at_least(s * 0.028),
                    head_h: (s * 0.056).max(p.min_text * 1.4).round(),
                    head_size: at_least(s * 0.029),
                    row_h: (s * 0.078).max(row_size * 1.3).round(),
                    row_size,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_follow_aspect() {
        assert_eq!(ScreenProfile::parse("1920x1080").unwrap().shape, Shape::Landscape);
        assert_eq!(ScreenProfile::parse("1080x1920").unwrap().shape, Shape::Portrait);
        assert_eq!(ScreenProfile::parse("1280x256").unwrap().shape, Shape::Strip);
        assert_eq!(ScreenProfile::parse("3840x2160").unwrap().shape, Shape::Landscape);
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(matches!(
            ScreenProfile::parse("1920"),
            Err(ProfileError::Syntax(_))
        ));
        assert!(matches!(
            ScreenProfile::parse("axb"),
            Err(ProfileError::Syntax(_))
        ));
        assert_eq!(
            ScreenProfile::parse("100x100"),
            Err(ProfileError::OutOfRange(100, 100))
        );
    }

    #[test]
    fn body_text_is_at_least_a_25th_of_the_short_side() {
        for size in ["1920x1080", "1080x1920", "3840x2160"] {
            let p = ScreenProfile::parse(size).unwrap();
            let m = Metrics::for_profile(&p);
            assert!(m.row_size >= p.short_side() / 25.0, "{size}: {}", m.row_size);
        }
        let strip = ScreenProfile::parse("1280x256").unwrap();
        let m = Metrics::for_profile(&strip);
        assert!(m.row_size >= 256.0 * 0.3, "strip row text {}", m.row_size);
    }
}
