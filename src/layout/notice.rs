//! Notice pages: a title and a wrapped body, split into pages of whole lines
//! at a legible size (a long notice on an LED strip takes several pages).

use super::chrome::{self, Heading};
use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile, Shape};
use super::split::split;
use super::Context;
use crate::feed::Notice;
use crate::scene::{Rect, Weight};
use crate::slide::PageRef;
use crate::text::{Fonts, PARAGRAPH_FACTOR};
use std::ops::Range;

/// The area and text size of a notice body on this screen.
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
            let pad = (m.row_size * 0.5).round();
            (body.inset(pad, pad), (m.row_size * 1.1).round())
        }
    }
}

/// The body's visual lines on this screen.
fn lines(fonts: &mut Fonts, notice: &Notice, profile: &ScreenProfile) -> Vec<String> {
    let (area, size) = body_area(profile);
    fonts.wrapped_lines(&notice.body, area.w, size, Weight::Regular)
}

/// The line ranges of each page of `notice`.
pub(crate) fn pages(fonts: &mut Fonts, notice: &Notice, profile: &ScreenProfile) -> Vec<Range<usize>> {
    let (area, size) = body_area(profile);
    let per_page = (area.h / (size * PARAGRAPH_FACTOR).round()).floor().max(1.0) as usize;
    split(lines(fonts, notice, profile).len(), per_page)
}

pub(crate) fn layout(p: &mut Painter, ctx: &Context, notice: &Notice, page: &PageRef) {
    let pal = &ctx.theme.normal;
    let heading = Heading {
        title: &notice.title,
        subtitle: chrome::subtitle(ctx, &notice.title, None),
    };
    chrome::frame(p, ctx, page, &heading, pal);
    let (area, size) = body_area(ctx.profile);
    let all = lines(p.fonts, notice, ctx.profile);
    let text = all.get(page.rows.clone()).unwrap_or(&[]).join("\n");
    p.paragraph(&text, area, size, Weight::Regular, pal.text);
}
