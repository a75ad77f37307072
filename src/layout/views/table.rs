//! The plain table the 比学赶超 slides share: columns in units of the row
//! text size, one size per column on a page, striped rows. A cell whose
//! text is `None` is drawn by the slide itself (a bar, a sparkline, a badge).

use super::super::painter::Painter;
use super::super::profile::Metrics;
use super::super::theme::Palette;
use crate::feed::BoardEntry;
use crate::scene::{Align, Rect, Rgba, Weight};

/// One column.
pub(super) struct Col {
    /// The heading (empty on a strip, which has none).
    pub label: String,
    /// The width in row-text units; 0: an equal share of what is left.
    pub units: f32,
    pub align: Align,
    pub weight: Weight,
    /// The largest text size, as a share of the row text size.
    pub scale: f32,
    /// Whether a cell may take two lines of its row before its column's
    /// size goes down (a roster), rather than one.
    pub two_lines: bool,
}

impl Col {
    pub fn new(label: &str, units: f32, align: Align, weight: Weight, scale: f32) -> Col {
        Col {
            label: label.to_string(),
            units,
            align,
            weight,
            scale,
            two_lines: false,
        }
    }
}

/// Where a column landed: its left edge and width, whole pixels.
#[derive(Clone, Copy, Debug)]
pub(super) struct Placed {
    pub x: f32,
    pub w: f32,
}

/// A cell's text and colour; `None`: the slide draws the cell itself.
pub(super) type Text = Option<(String, Rgba)>;

/// The columns side by side in `body`, a gap of 0.45 row text between them;
/// nothing reaches past the body's right edge.
pub(super) fn place(cols: &[Col], body: Rect, t: f32) -> Vec<Placed> {
    let gap = (0.45 * t).round();
    let fixed: f32 = cols.iter().map(|c| c.units * t).sum::<f32>() + gap * (cols.len().max(1) - 1) as f32;
    let flex = cols.iter().filter(|c| c.units == 0.0).count().max(1) as f32;
    let rest = ((body.w - fixed) / flex).max(t);
    let mut x = body.x;
    cols.iter()
        .map(|c| {
            let w = if c.units == 0.0 { rest } else { c.units * t };
            let left = x.round();
            let placed = Placed {
                x: left,
                w: w.round().min(body.right() - left).max(0.0),
            };
            x += w + gap;
            placed
        })
        .collect()
}

/// The column headings in the row `r` (its y and height), at `size`.
pub(super) fn head(p: &mut Painter, cols: &[Col], placed: &[Placed], r: Rect, size: f32, color: Rgba) {
    for (col, at) in cols.iter().zip(placed) {
        let cell = Rect::new(at.x, r.y, at.w, r.h);
        p.line(&col.label, cell, size, Weight::Regular, col.align, color);
    }
}

/// A whole table in `body`: its headings (none on a strip, whose one row is
/// the whole body) and its rows in `m`'s sizes. Returns the top of the
/// first row and the rows' height, for cells the slide draws itself.
pub(super) fn table(
    p: &mut Painter,
    pal: &Palette,
    (cols, placed): (&[Col], &[Placed]),
    (m, strip): (&Metrics, bool),
    cells: &[Vec<Text>],
    body: Rect,
) -> (f32, f32) {
    let (top, row_h) = if strip {
        (body.y, body.h)
    } else {
        let r = Rect::new(body.x, body.y, body.w, m.head_h);
        head(p, cols, placed, r, m.head_size, pal.muted);
        (body.y + m.head_h, m.row_h)
    };
    rows(p, pal, (cols, placed), (top, row_h, m.row_size), cells, body);
    (top, row_h)
}

/// The first two cells of a unit's row: its rank and its name.
pub(super) fn rank_and_name(e: &BoardEntry, pal: &Palette) -> Vec<Text> {
    vec![
        Some((e.rank.to_string(), pal.text)),
        Some((e.name.clone(), pal.text)),
    ]
}

/// The rows from `top`, `row_h` apart, every other one striped; each
/// column in one size, the largest its texts on this page fit in.
pub(super) fn rows(
    p: &mut Painter,
    pal: &Palette,
    (cols, placed): (&[Col], &[Placed]),
    (top, row_h, t): (f32, f32, f32),
    cells: &[Vec<Text>],
    body: Rect,
) {
    let sizes: Vec<f32> = cols
        .iter()
        .zip(placed)
        .enumerate()
        .map(|(k, (col, at))| {
            let texts = cells
                .iter()
                .filter_map(|row| row.get(k)?.as_ref().map(|c| c.0.as_str()));
            if col.two_lines {
                return two_line_size(p, texts.collect(), (at.w, row_h), t * col.scale, col.weight);
            }
            p.column_size(texts, at.w, row_h, t * col.scale, col.weight)
        })
        .collect();
    for (i, row) in cells.iter().enumerate() {
        let r = Rect::new(body.x, top + i as f32 * row_h, body.w, row_h);
        if i % 2 == 1 {
            p.fill(r, pal.stripe, 0.0);
        }
        for (k, (col, at)) in cols.iter().zip(placed).enumerate() {
            if let Some(Some((text, color))) = row.get(k) {
                let cell = Rect::new(at.x, r.y, at.w, r.h);
                p.cell(text, cell, sizes[k], col.weight, col.align, *color);
            }
        }
    }
}

/// The largest size up to `max`, not below the minimum text size, at which
/// each of `texts` takes at most two lines of `w` and two lines fit `row_h`.
fn two_line_size(p: &mut Painter, texts: Vec<&str>, (w, row_h): (f32, f32), max: f32, weight: Weight) -> f32 {
    let min = p.min_text;
    let mut size = max.max(min).floor();
    while size > min {
        let room = 2.0 * crate::text::line_height(size) <= row_h;
        let fits = room
            && texts
                .iter()
                .all(|t| p.fonts.wrapped_lines(t, w, size, weight).len() <= 2);
        if fits {
            return size;
        }
        size -= 1.0;
    }
    min
}
