//! Notice pages: a title and a body. A notice that fits one page is set as
//! a poster: at the largest size its body area holds, centred as a block.
//! A long one is set at the body size and split into pages of whole lines
//! (a long notice on an LED strip takes several pages). Lines break by
//! Chinese rules (`text::breaks`).

use super::chrome::{self, Heading};
use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile, Shape};
use super::split::split;
use super::Context;
use crate::feed::Notice;
use crate::scene::{Rect, Weight};
use crate::slide::PageRef;
use crate::text::{breaks, Fonts, PARAGRAPH_FACTOR};
use std::ops::Range;

/// How many times the title's size a poster's body may reach: twice the
/// body size is what a short notice needs to be read across a square, and
/// the title (60 px at 1080p) would hold it to 1.2 times.
const POSTER_CAP: f32 = 2.2;

/// The area and smallest text size of a notice body on this screen.
fn body_area(profile: &ScreenProfile) -> (Rect, f32) {
    let m = Metrics::for_profile(profile);
    let body = chrome::body_rect(profile);
    match profile.shape {
        Shape::Strip => {
            let area = body.inset((m.row_size * 0.2).round(), 0.0);
            let size = (area.h / (2.0 * PARAGRAPH_FACTOR)).floor().max(profile.min_text);
            (area, size)
        }
        _ => {
            // A margin at the sides; above and below, the leading of the
            // lines already sets them off from the header and footer rules.
            let pad = (m.row_size * 0.5).round();
            (body.inset(pad, 0.0), (m.row_size * 1.1).round())
        }
    }
}

/// Notices are set in the bold face: read from across a square, and by
/// tesseract, it holds up better than the regular at poster sizes (the demo
/// notice at 1080p: 0.97 against 0.90; benches/ocr.py).
const WEIGHT: Weight = Weight::Bold;

/// The step between a poster's lines, per pixel of size: a little wider
/// than body text's, since large lines set close are read as one mass
/// (tesseract too reads them worse: 0.90 of the demo notice at 1.45, 0.972
/// at 1.55, 0.986 at 1.58; benches/ocr.py). Wider still would take the demo
/// notice below twice the body size at 1080p.
const POSTER_LEADING: f32 = 1.58;

/// The step between lines at `size`: body leading at the body size `base`,
/// display leading above it.
fn step(size: f32, base: f32) -> f32 {
    let factor = if size > base {
        POSTER_LEADING
    } else {
        PARAGRAPH_FACTOR
    };
    (size * factor).round()
}

/// The body's lines at `size` in `width`.
fn lines_at(fonts: &mut Fonts, notice: &Notice, width: f32, size: f32) -> Vec<String> {
    let body = fonts.displayable(&notice.body).into_owned();
    breaks::break_lines(&body, width, |line| fonts.line_width(line, size, WEIGHT))
}

/// The size and lines of the body on this screen: the largest size (up to
/// the poster cap) at which it fits one page, else the body size.
fn setting(fonts: &mut Fonts, notice: &Notice, profile: &ScreenProfile) -> (f32, Vec<String>) {
    let (area, base) = body_area(profile);
    // The block's height: the leading between its lines, not after the last.
    let fits = |fonts: &mut Fonts, size: f32| {
        let lines = lines_at(fonts, notice, area.w, size);
        let h = (lines.len() as f32 - 1.0) * step(size, base) + crate::text::line_height(size);
        (h <= area.h).then_some(lines)
    };
    let Some(mut best) = fits(fonts, base) else {
        return (base, lines_at(fonts, notice, area.w, base));
    };
    let cap = (Metrics::for_profile(profile).title_size * POSTER_CAP).max(base);
    // The largest whole size that fits, by bisection between base and cap.
    let (mut lo, mut hi) = (base, cap.floor());
    while hi > lo {
        let mid = ((lo + hi + 1.0) / 2.0).floor();
        match fits(fonts, mid) {
            Some(lines) => {
                lo = mid;
                best = lines;
            }
            None => hi = mid - 1.0,
        }
    }
    if lo > base {
        best = lines_at(fonts, notice, area.w, lo);
    }
    (lo, best)
}

/// The line ranges of each page of `notice`.
pub(crate) fn pages(fonts: &mut Fonts, notice: &Notice, profile: &ScreenProfile) -> Vec<Range<usize>> {
    let (area, base) = body_area(profile);
    let (size, lines) = setting(fonts, notice, profile);
    let room = area.h - crate::text::line_height(size);
    let per_page = ((room / step(size, base)).floor() + 1.0).max(1.0) as usize;
    split(lines.len(), per_page)
}

pub(crate) fn layout(p: &mut Painter, ctx: &Context, notice: &Notice, page: &PageRef) {
    let pal = &ctx.theme.normal;
    let heading = Heading {
        title: &notice.title,
        subtitle: chrome::subtitle(ctx, &notice.title, None),
    };
    chrome::frame(p, ctx, page, &heading, pal);
    let (area, base) = body_area(ctx.profile);
    let (size, all) = setting(p.fonts, notice, ctx.profile);
    let shown = all.get(page.rows.clone()).unwrap_or(&[]);
    let lh = step(size, base);
    // One page: a block centred in the area. Several: from the top left, so
    // that a page turn does not move the text about.
    let block = if page.count <= 1 {
        let widest = shown
            .iter()
            .map(|l| p.fonts.line_width(l, size, WEIGHT))
            .fold(0.0, f32::max)
            .ceil();
        let h = (shown.len() as f32 - 1.0) * lh + crate::text::line_height(size);
        Rect::new(
            (area.x + (area.w - widest) / 2.0).round(),
            (area.y + (area.h - h) / 2.0).round(),
            widest.min(area.w),
            h,
        )
    } else {
        area
    };
    for (k, line) in shown.iter().enumerate() {
        // Each line's box is one line tall, at its place in the block.
        let row = Rect::new(
            block.x,
            block.y + k as f32 * lh,
            area.right() - block.x,
            crate::text::line_height(size),
        );
        p.text_line(line, row, size, WEIGHT, pal.text);
    }
}
