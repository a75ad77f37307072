//! Red and black list pages: number, name, place, reason.

use super::chrome::{self, Heading};
use super::painter::Painter;
use super::pages::PageRef;
use super::profile::{Metrics, Shape};
use super::Context;
use crate::feed::{ListEntry, ListKind, RankList};
use crate::scene::{Align, Rect, Weight};

pub(crate) fn layout(p: &mut Painter, ctx: &Context, list: &RankList, page: &PageRef) {
    let pal = match list.kind {
        ListKind::Red => &ctx.theme.red,
        ListKind::Black => &ctx.theme.black,
    };
    let heading = Heading { title: &list.title, subtitle: chrome::subtitle(ctx, None) };
    let body = chrome::frame(p, ctx, page, &heading, pal);
    let m = Metrics::for_profile(ctx.profile);
    let entries = list.entries.get(page.rows.clone()).unwrap_or(&[]);
    if entries.is_empty() {
        chrome::body_message(p, body, "本期无上榜", m.row_size, pal);
        return;
    }
    if ctx.profile.shape == Shape::Strip {
        strip_entry(p, &entries[0], body, &m, pal);
        return;
    }
    let t = m.row_size;
    let gap = (0.45 * t).round();
    let widths = [1.6 * t, 4.2 * t, 7.4 * t];
    let xs = [body.x, body.x + widths[0] + gap, body.x + widths[0] + widths[1] + 2.0 * gap];
    let reason_x = xs[2] + widths[2] + gap;
    let reason_w = (body.right() - reason_x).max(t);
    let head = ["序号", "姓名", "所在地", "事由"];
    let col = |k: usize| match k {
        3 => (reason_x, reason_w),
        _ => (xs[k], widths[k]),
    };
    for (k, label) in head.iter().enumerate() {
        let (x, w) = col(k);
        let align = if k == 0 { Align::Center } else { Align::Left };
        p.line(label, Rect::new(x, body.y, w, m.head_h), m.head_size, Weight::Regular, align, pal.muted);
    }
    for (i, e) in entries.iter().enumerate() {
        let y = body.y + m.head_h + i as f32 * m.row_h;
        if i % 2 == 1 {
            p.fill(Rect::new(body.x, y, body.w, m.row_h), pal.stripe, 0.0);
        }
        let cell = |k: usize| {
            let (x, w) = col(k);
            Rect::new(x, y, w, m.row_h)
        };
        let number = (page.rows.start + i + 1).to_string();
        p.line(&number, cell(0), t * 0.85, Weight::Regular, Align::Center, pal.muted);
        p.line(&e.name, cell(1), t, Weight::Bold, Align::Left, pal.text);
        p.line(e.place.as_deref().unwrap_or(""), cell(2), t * 0.9, Weight::Regular, Align::Left, pal.text);
        p.line(e.reason.as_deref().unwrap_or(""), cell(3), t * 0.9, Weight::Regular, Align::Left, pal.text);
    }
}

/// On a strip: the name large, place and reason stacked beside it.
fn strip_entry(p: &mut Painter, e: &ListEntry, body: Rect, m: &Metrics, pal: &super::theme::Palette) {
    let t = m.row_size;
    let name_w = (body.w * 0.36).round();
    p.line(&e.name, Rect::new(body.x, body.y, name_w, body.h), t, Weight::Bold, Align::Left, pal.title);
    let x = body.x + name_w + (0.3 * t).round();
    let w = body.right() - x;
    let half = (body.h / 2.0).round();
    let small = (body.h * 0.36).round();
    p.line(e.place.as_deref().unwrap_or(""), Rect::new(x, body.y, w, half), small, Weight::Regular, Align::Left, pal.muted);
    p.line(e.reason.as_deref().unwrap_or(""), Rect::new(x, body.y + half, w, body.h - half), small, Weight::Bold, Align::Left, pal.text);
}
