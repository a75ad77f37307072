//! Measuring and fitting text: shrink to a minimum size, then cut with "…".

use super::fonts::Fonts;
use crate::scene::Weight;
use cosmic_text::{Buffer, Metrics, Shaping, Wrap};

/// Line height of a single line, as a multiple of the font size.
pub const LINE_FACTOR: f32 = 1.25;
/// Line height inside a wrapped paragraph.
pub const PARAGRAPH_FACTOR: f32 = 1.45;
/// The height of the ideographic em box above the baseline, per pixel of size.
const IDEO_TOP: f32 = 0.88;
/// The depth of the ideographic em box below the baseline.
const IDEO_BOTTOM: f32 = 0.12;

/// A single line of text fitted to a width.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedLine {
    /// What to draw: uncovered characters as 〓, ended with "…" when cut
    /// (empty when not even "…" fits).
    pub text: String,
    /// The font size chosen, whole pixels, between the minimum and the size asked.
    pub size: f32,
    /// The width `text` takes at `size`, in pixels.
    pub width: f32,
    /// Whether the text had to be cut.
    pub truncated: bool,
}

/// A wrapped paragraph fitted to a box.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedParagraph {
    /// What to draw: uncovered characters as 〓, ended with "…" when cut.
    pub text: String,
    /// The font size chosen, whole pixels, between the minimum and the size asked.
    pub size: f32,
    /// The step between lines at that size ([`PARAGRAPH_FACTOR`] × size, rounded).
    pub line_height: f32,
    /// How many lines `text` wraps into.
    pub lines: usize,
    /// Whether the end of the text had to be dropped.
    pub truncated: bool,
}

/// The line height used for a single line of `size` pixels.
pub fn line_height(size: f32) -> f32 {
    (size * LINE_FACTOR).round()
}

/// The longest prefix length `n` (up to `len`) for which `fits(n)` holds,
/// assuming it holds for every length below one that fits (binary search).
fn longest_fitting(len: usize, mut fits: impl FnMut(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0usize, len);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// The first `n` characters, trimmed, with "…".
fn cut(chars: &[char], n: usize) -> String {
    format!("{}…", chars[..n].iter().collect::<String>().trim_end())
}

impl Fonts {
    /// The advance width of `text` on one line at `size` pixels.
    pub fn line_width(&mut self, text: &str, size: f32, weight: Weight) -> f32 {
        let shown = self.displayable(text);
        let text: &str = &shown;
        let key = (format!("{}\u{0}{}", size.to_bits(), text), weight);
        if let Some(w) = self.widths.get(&key) {
            return *w;
        }
        let width = self.shape(text, size, line_height(size), weight, None).0;
        if self.widths.len() > 20_000 {
            self.widths.clear();
        }
        self.widths.insert(key, width);
        width
    }

    /// Shapes `text` and returns (widest line, number of lines).
    fn shape(
        &mut self,
        text: &str,
        size: f32,
        lh: f32,
        weight: Weight,
        wrap_width: Option<f32>,
    ) -> (f32, usize) {
        let mut buffer = Buffer::new(&mut self.system, Metrics::new(size, lh));
        let wrap = if wrap_width.is_some() {
            Wrap::WordOrGlyph
        } else {
            Wrap::None
        };
        buffer.set_wrap(wrap);
        buffer.set_size(wrap_width, None);
        buffer.set_text(text, &Fonts::attrs(weight), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.system, false);
        buffer
            .layout_runs()
            .fold((0.0f32, 0usize), |(w, n), run| (w.max(run.line_w), n + 1))
    }

    /// The offset from the top of a line box of height `lh` to the baseline,
    /// as cosmic-text places it.
    pub fn baseline(&mut self, size: f32, lh: f32) -> f32 {
        let key = (size.to_bits(), lh.to_bits());
        if let Some(b) = self.baselines.get(&key) {
            return *b;
        }
        let mut buffer = Buffer::new(&mut self.system, Metrics::new(size, lh));
        buffer.set_text("国", &Fonts::attrs(Weight::Regular), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.system, false);
        let b = buffer
            .layout_runs()
            .next()
            .map_or(size * IDEO_TOP, |r| r.line_y - r.line_top);
        self.baselines.insert(key, b);
        b
    }

    /// The whole-pixel top of a line box that centres the ideographic em box
    /// of a `size`-pixel line on `center_y`.
    pub fn line_top_for_center(&mut self, size: f32, center_y: f32) -> f32 {
        let ink_center = self.baseline(size, line_height(size)) - (IDEO_TOP - IDEO_BOTTOM) / 2.0 * size;
        (center_y - ink_center).round()
    }

    /// The vertical extent (top, bottom) of the ideographic em box of a line
    /// whose box starts at `top`.
    pub fn ink_extent(&mut self, size: f32, top: f32) -> (f32, f32) {
        let base = top + self.baseline(size, line_height(size));
        (base - IDEO_TOP * size, base + IDEO_BOTTOM * size)
    }

    /// Fits one line into `max_w`: at `size` if it fits, else shrunk (whole
    /// pixels) down to `min_size`, else cut and ended with "…".
    pub fn fit_line(
        &mut self,
        text: &str,
        max_w: f32,
        size: f32,
        min_size: f32,
        weight: Weight,
    ) -> FittedLine {
        let shown = self.displayable(text);
        let text: &str = &shown;
        let min_size = min_size.min(size).floor().max(1.0);
        let mut size = size.floor().max(min_size);
        let mut width = self.line_width(text, size, weight);
        if width > max_w && width > 0.0 {
            size = (size * max_w / width).floor().clamp(min_size, size);
            width = self.line_width(text, size, weight);
            while width > max_w && size > min_size {
                size -= 1.0;
                width = self.line_width(text, size, weight);
            }
        }
        if width <= max_w {
            return FittedLine {
                text: text.to_string(),
                size,
                width,
                truncated: false,
            };
        }
        self.ellipsize(text, max_w, size, weight)
    }

    /// The longest prefix of `text` that, followed by "…", fits `max_w`.
    fn ellipsize(&mut self, text: &str, max_w: f32, size: f32, weight: Weight) -> FittedLine {
        let chars: Vec<char> = text.chars().collect();
        let n = longest_fitting(chars.len(), |n| {
            self.line_width(&cut(&chars, n), size, weight) <= max_w
        });
        let mut text = cut(&chars, n);
        let mut width = self.line_width(&text, size, weight);
        if width > max_w {
            // Not even "…" fits: draw nothing rather than something cut mid-glyph.
            text.clear();
            width = 0.0;
        }
        FittedLine {
            text,
            size,
            width,
            truncated: true,
        }
    }

    /// The number of lines `text` wraps into at `size` in `width`, and the widest.
    pub fn wrap_lines(&mut self, text: &str, width: f32, size: f32, weight: Weight) -> (usize, f32) {
        let shown = self.displayable(text);
        let text: &str = &shown;
        let lh = (size * PARAGRAPH_FACTOR).round();
        let (w, n) = self.shape(text, size, lh, weight, Some(width));
        (n, w)
    }

    /// The visual lines `text` wraps into at `size` in `width`, as strings.
    pub fn wrapped_lines(&mut self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let shown = self.displayable(text);
        let text: &str = &shown;
        let lh = (size * PARAGRAPH_FACTOR).round();
        let mut buffer = Buffer::new(&mut self.system, Metrics::new(size, lh));
        buffer.set_wrap(Wrap::WordOrGlyph);
        buffer.set_size(Some(width), None);
        buffer.set_text(text, &Fonts::attrs(weight), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.system, false);
        buffer
            .layout_runs()
            .map(|run| {
                let start = run.glyphs.iter().map(|g| g.start).min().unwrap_or(0);
                let end = run.glyphs.iter().map(|g| g.end).max().unwrap_or(0);
                run.text.get(start..end).unwrap_or("").trim_end().to_string()
            })
            .collect()
    }

    /// Fits a wrapped paragraph into a `w` × `h` box: shrinks towards
    /// `min_size`, then drops the end and adds "…".
    pub fn fit_paragraph(
        &mut self,
        text: &str,
        w: f32,
        h: f32,
        size: f32,
        min_size: f32,
        weight: Weight,
    ) -> FittedParagraph {
        let shown = self.displayable(text);
        let text: &str = &shown;
        let min_size = min_size.min(size).floor().max(1.0);
        let mut size = size.floor().max(min_size);
        loop {
            let lh = (size * PARAGRAPH_FACTOR).round();
            let (lines, _) = self.wrap_lines(text, w, size, weight);
            if lines as f32 * lh <= h {
                return FittedParagraph {
                    text: text.to_string(),
                    size,
                    line_height: lh,
                    lines,
                    truncated: false,
                };
            }
            if size <= min_size {
                return self.truncate_paragraph(text, w, h, size, weight);
            }
            size = (size * 0.93).floor().max(min_size);
        }
    }

    fn truncate_paragraph(
        &mut self,
        text: &str,
        w: f32,
        h: f32,
        size: f32,
        weight: Weight,
    ) -> FittedParagraph {
        let lh = (size * PARAGRAPH_FACTOR).round();
        let max_lines = (h / lh).floor() as usize;
        let chars: Vec<char> = text.chars().collect();
        let lo = longest_fitting(chars.len(), |n| {
            self.wrap_lines(&cut(&chars, n), w, size, weight).0 <= max_lines
        });
        let text = if max_lines == 0 {
            String::new()
        } else {
            cut(&chars, lo)
        };
        let lines = if text.is_empty() {
            0
        } else {
            self.wrap_lines(&text, w, size, weight).0
        };
        FittedParagraph {
            text,
            size,
            line_height: lh,
            lines,
            truncated: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_unchanged_when_there_is_room() {
        let mut fonts = Fonts::bundled();
        let f = fonts.fit_line("花山镇", 500.0, 40.0, 20.0, Weight::Bold);
        assert_eq!(f.text, "花山镇");
        assert_eq!(f.size, 40.0);
        assert!(f.width > 100.0 && f.width <= 500.0, "width {}", f.width);
    }

    #[test]
    fn shrinks_before_cutting_and_cuts_with_ellipsis() {
        let mut fonts = Fonts::bundled();
        let shrunk = fonts.fit_line(
            "临江市乡村振兴工作领导小组办公室",
            400.0,
            40.0,
            20.0,
            Weight::Regular,
        );
        assert!(!shrunk.truncated);
        assert!(shrunk.size < 40.0 && shrunk.size >= 20.0);
        assert!(shrunk.width <= 400.0);
        let cut = fonts.fit_line(
            "临江市乡村振兴工作领导小组办公室",
            150.0,
            40.0,
            20.0,
            Weight::Regular,
        );
        assert!(cut.truncated);
        assert_eq!(cut.size, 20.0);
        assert!(cut.text.ends_with('…'), "{}", cut.text);
        assert!(cut.width <= 150.0);
        assert!(fonts.line_width(&cut.text, 20.0, Weight::Regular) <= 150.0);
    }

    #[test]
    fn baseline_centres_the_em_box() {
        let mut fonts = Fonts::bundled();
        let top = fonts.line_top_for_center(50.0, 100.0);
        let (ink_top, ink_bottom) = fonts.ink_extent(50.0, top);
        assert!(
            ((ink_top + ink_bottom) / 2.0 - 100.0).abs() <= 0.5,
            "{ink_top} {ink_bottom}"
        );
        assert_eq!(top, top.round());
    }

    #[test]
    fn paragraph_shrinks_then_truncates() {
        let mut fonts = Fonts::bundled();
        let text = "入冬以后请各户及时清理庭院积雪和柴草，做到柴草垛放整齐、垃圾日产日清。".repeat(4);
        let p = fonts.fit_paragraph(&text, 600.0, 300.0, 60.0, 30.0, Weight::Regular);
        assert!(p.lines as f32 * p.line_height <= 300.0);
        assert!(p.truncated);
        assert!(p.text.ends_with('…'));
        let short = fonts.fit_paragraph("短句", 600.0, 300.0, 60.0, 30.0, Weight::Regular);
        assert_eq!((short.size, short.lines, short.truncated), (60.0, 1, false));
    }
}
