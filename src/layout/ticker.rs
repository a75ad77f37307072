//! The marquee: a whole slide as one line of text that moves right to left
//! through the body at a constant speed, under the slide's usual header and
//! footer. LED strips play lists this way by default.
//!
//! The text enters at the body's right edge at offset 0 and has left at its
//! left edge at offset [`travel`]; the schedule gives the page exactly the
//! time that takes at the item's speed.

use super::chrome::{self, Heading};
use super::list::mask_name;
use super::pages::{PageRef, SlideRef};
use super::painter::Painter;
use super::profile::ScreenProfile;
use super::theme::{Palette, Theme};
use super::Context;
use crate::feed::{Feed, ListKind};
use crate::scene::{Align, Rect, Scene, TextRun, Weight};
use crate::text::Fonts;

/// The gap between two entries on the line.
const SEPARATOR: &str = "　　◆　　";

/// The line of text a slide scrolls, with names masked as on its pages.
pub fn ticker_text(feed: &Feed, slide: SlideRef, mask_names: Option<bool>) -> String {
    match slide {
        SlideRef::Board(i) | SlideRef::View(i, _) => feed.boards.get(i).map_or(String::new(), |b| {
            let parts: Vec<String> = b
                .entries
                .iter()
                .map(|e| format!("第{}名 {} {}", e.rank, e.name, super::board::score_text(e.score)))
                .collect();
            parts.join(SEPARATOR)
        }),
        SlideRef::List(i) => feed.lists.get(i).map_or(String::new(), |l| {
            let mask = mask_names.unwrap_or(l.kind == ListKind::Black);
            let parts: Vec<String> = l
                .entries
                .iter()
                .map(|e| {
                    let name = if mask { mask_name(&e.name) } else { e.name.clone() };
                    let extra: Vec<&str> = [e.place.as_deref(), e.reason.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect();
                    format!("{name} {}", extra.join(" · ")).trim_end().to_string()
                })
                .collect();
            parts.join(SEPARATOR)
        }),
        SlideRef::Notice(i) => feed.notices.get(i).map_or(String::new(), |n| {
            n.body.split_whitespace().collect::<Vec<_>>().join("　")
        }),
    }
}

/// The text size of the moving line: most of the body's height on a strip,
/// twice the table text on larger screens (a line half a screen high would
/// only thrash the glyph atlas and is no easier to read).
pub fn ticker_size(profile: &ScreenProfile) -> f32 {
    let body = chrome::body_rect(profile);
    let rows = super::profile::Metrics::for_profile(profile).row_size * 2.0;
    (body.h * 0.62)
        .min(rows)
        .floor()
        .max(profile.min_text)
        .min(body.h)
        .max(1.0)
}

/// How many pixels the line moves from entering to having left: its width
/// plus the body's width.
pub fn travel(
    fonts: &mut Fonts,
    feed: &Feed,
    slide: SlideRef,
    profile: &ScreenProfile,
    mask: Option<bool>,
) -> f32 {
    let text = ticker_text(feed, slide, mask);
    let width = fonts.line_width(&text, ticker_size(profile), Weight::Bold);
    (width + chrome::body_rect(profile).w).ceil()
}

/// The marquee page `offset` pixels into its travel.
pub fn ticker(fonts: &mut Fonts, ctx: &Context, page: &PageRef, offset: f32) -> Scene {
    let mut p = Painter::new(fonts, ctx.profile);
    let (title, subtitle, palette) = heading(ctx, page.slide, ctx.theme);
    let heading = Heading {
        title: &title,
        subtitle,
    };
    let single = PageRef {
        index: 0,
        count: 1,
        ..page.clone()
    };
    let body = chrome::frame(&mut p, ctx, &single, &heading, palette);
    let text = ticker_text(ctx.feed, page.slide, ctx.mask_names);
    moving_line(&mut p, body, &text, offset, palette, ctx.profile);
    p.finish()
}

fn heading<'t>(ctx: &Context, slide: SlideRef, theme: &'t Theme) -> (String, String, &'t Palette) {
    match slide {
        SlideRef::Board(i) | SlideRef::View(i, _) => ctx.feed.boards.get(i).map_or_else(
            || (String::new(), String::new(), &theme.normal),
            |b| {
                (
                    b.title.clone(),
                    chrome::subtitle(ctx, &b.title, b.group.as_deref()),
                    &theme.normal,
                )
            },
        ),
        SlideRef::List(i) => ctx.feed.lists.get(i).map_or_else(
            || (String::new(), String::new(), &theme.normal),
            |l| {
                let pal = if l.kind == ListKind::Red {
                    &theme.red
                } else {
                    &theme.black
                };
                (l.title.clone(), chrome::subtitle(ctx, &l.title, None), pal)
            },
        ),
        SlideRef::Notice(i) => ctx.feed.notices.get(i).map_or_else(
            || (String::new(), String::new(), &theme.normal),
            |n| {
                (
                    n.title.clone(),
                    chrome::subtitle(ctx, &n.title, None),
                    &theme.normal,
                )
            },
        ),
    }
}

fn moving_line(p: &mut Painter, body: Rect, text: &str, offset: f32, pal: &Palette, profile: &ScreenProfile) {
    let body = body.snapped();
    if text.is_empty() || body.w < 1.0 || body.h < 1.0 {
        return;
    }
    let size = ticker_size(profile);
    let top = p.fonts.line_top_for_center(size, body.y + body.h / 2.0);
    p.scene.texts.push(TextRun {
        text: p.fonts.displayable(text).into_owned(),
        clip: body,
        origin_y: top,
        size,
        line_height: crate::text::line_height(size),
        weight: Weight::Bold,
        align: Align::Left,
        color: pal.title,
        wrap: false,
        shift_x: (body.w - offset.round()).round(),
    });
}
