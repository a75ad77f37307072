//! The parts every slide shares: background, header, footer, page marker.

use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile, Shape};
use super::theme::Palette;
use super::Context;
use crate::scene::{Align, Rect, Weight};
use crate::slide::PageRef;

/// What the header says.
pub(crate) struct Heading<'a> {
    pub title: &'a str,
    pub subtitle: String,
}

/// "2026年11月 · 乡镇": the period label and, when there is one, the group,
/// leaving out what the slide's `title` already says ("2026年11月 红榜" gets
/// no second "2026年11月" under it).
pub(crate) fn subtitle(ctx: &Context, title: &str, group: Option<&str>) -> String {
    [Some(ctx.feed.period.label.as_str()), group]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty() && !title.contains(part))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Paints background, header and footer; returns the body rectangle.
pub(crate) fn frame(
    p: &mut Painter,
    ctx: &Context,
    page: &PageRef,
    heading: &Heading,
    palette: &Palette,
) -> Rect {
    let prof = ctx.profile;
    let m = Metrics::for_profile(prof);
    let (w, h, margin) = (prof.width as f32, prof.height as f32, prof.margin);
    p.scene.background = palette.background;
    p.fill(Rect::new(0.0, 0.0, w, margin + m.header_h), palette.header, 0.0);
    let rule = (prof.short_side() * 0.004).round().max(2.0);
    p.fill(
        Rect::new(0.0, margin + m.header_h - rule, w, rule),
        palette.rule,
        0.0,
    );
    let footer_top = h - margin - m.footer_h;
    p.fill(
        Rect::new(0.0, footer_top, w, m.footer_h + margin),
        palette.footer,
        0.0,
    );
    let header = Rect::new(margin, margin, w - 2.0 * margin, m.header_h - rule);
    let footer = Rect::new(margin, footer_top, w - 2.0 * margin, m.footer_h);
    if prof.shape == Shape::Strip {
        strip_header(p, &m, header, heading, page, palette);
        strip_footer(p, ctx, &m, footer, palette);
    } else {
        header_block(p, &m, header, heading, palette);
        footer_line(p, ctx, &m, footer, page, palette);
    }
    body_rect(prof)
}

/// The body: between header and footer, inside the margins.
/// The body of a slide on `prof`: between the header and the footer, inside
/// the margins (tables, lists and notices are laid out in it).
pub fn body_rect(prof: &ScreenProfile) -> Rect {
    let m = Metrics::for_profile(prof);
    let (w, h, margin) = (prof.width as f32, prof.height as f32, prof.margin);
    let footer_top = h - margin - m.footer_h;
    Rect::new(
        margin,
        margin + m.header_h,
        w - 2.0 * margin,
        footer_top - margin - m.header_h,
    )
}

fn header_block(p: &mut Painter, m: &Metrics, r: Rect, heading: &Heading, pal: &Palette) {
    let title_h = (r.h * 0.6).round();
    p.line(
        heading.title,
        Rect::new(r.x, r.y, r.w, title_h),
        m.title_size,
        Weight::Bold,
        Align::Left,
        pal.title,
    );
    let sub = Rect::new(r.x, r.y + title_h, r.w, r.h - title_h);
    p.line(
        &heading.subtitle,
        sub,
        m.subtitle_size,
        Weight::Regular,
        Align::Left,
        pal.muted,
    );
}

fn strip_header(p: &mut Painter, m: &Metrics, r: Rect, heading: &Heading, page: &PageRef, pal: &Palette) {
    let right = format!(
        "{}{}",
        heading.subtitle,
        page_marker(page).map(|s| format!("  {s}")).unwrap_or_default()
    )
    .trim_start()
    .to_string();
    let right_w = (r.w * 0.38).round();
    let gap = (r.h * 0.3).round();
    p.line(
        heading.title,
        Rect::new(r.x, r.y, r.w - right_w - gap, r.h),
        m.title_size,
        Weight::Bold,
        Align::Left,
        pal.title,
    );
    p.line(
        &right,
        Rect::new(r.right() - right_w, r.y, right_w, r.h),
        m.subtitle_size,
        Weight::Regular,
        Align::Right,
        pal.muted,
    );
}

fn footer_line(p: &mut Painter, ctx: &Context, m: &Metrics, r: Rect, page: &PageRef, pal: &Palette) {
    let gap = (m.footer_size * 0.8).round();
    let issuer_w = (r.w * 0.42).round();
    let marker_w = (r.w * 0.18).round();
    let updated_w = r.w - issuer_w - marker_w - 2.0 * gap;
    let issuer = ctx.feed.issuer.as_deref().unwrap_or("");
    p.line(
        issuer,
        Rect::new(r.x, r.y, issuer_w, r.h),
        m.footer_size,
        Weight::Regular,
        Align::Left,
        pal.muted,
    );
    let updated = Rect::new(r.x + issuer_w + gap, r.y, updated_w, r.h);
    updated_or_stale(p, ctx, updated, m.footer_size, Align::Center, pal);
    if let Some(marker) = page_marker(page) {
        let mr = Rect::new(r.right() - marker_w, r.y, marker_w, r.h);
        p.line(&marker, mr, m.footer_size, Weight::Bold, Align::Right, pal.text);
    }
}

fn strip_footer(p: &mut Painter, ctx: &Context, m: &Metrics, r: Rect, pal: &Palette) {
    let half = (r.w / 2.0).round();
    let issuer = ctx.feed.issuer.as_deref().unwrap_or("");
    p.line(
        issuer,
        Rect::new(r.x, r.y, half - 8.0, r.h),
        m.footer_size,
        Weight::Regular,
        Align::Left,
        pal.muted,
    );
    let right = Rect::new(r.x + half, r.y, r.w - half, r.h);
    updated_or_stale(p, ctx, right, m.footer_size, Align::Right, pal);
}

/// The update line, or the stale marker as a badge when the data is too old.
fn updated_or_stale(p: &mut Painter, ctx: &Context, r: Rect, size: f32, align: Align, pal: &Palette) {
    if !ctx.is_stale() {
        p.line(&updated_line(ctx), r, size, Weight::Regular, align, pal.muted);
        return;
    }
    let text = stale_line(ctx);
    let badge = ctx.theme.stale;
    let h = (size * 1.4).min(r.h).round();
    let pad = (h * 0.12).round();
    let width = p.fonts.line_width(&text, size, Weight::Bold) + 2.0 * pad + 2.0;
    let w = width.min(r.w).ceil();
    let x = match align {
        Align::Left => r.x,
        Align::Center => r.x + ((r.w - w) / 2.0).round(),
        Align::Right => r.right() - w,
    };
    p.badge(
        &text,
        Rect::new(x, r.y + ((r.h - h) / 2.0).round(), w, h),
        size,
        badge.fill,
        badge.text,
    );
}

/// "数据未更新 · 最后更新于 2026-11-26 10:00".
pub(crate) fn stale_line(ctx: &Context) -> String {
    format!(
        "数据未更新 · 最后更新于 {}",
        ctx.feed.generated_at.format("%Y-%m-%d %H:%M")
    )
}

/// "数据更新于 2026-11-28 10:00", in the offset the service used.
pub(crate) fn updated_line(ctx: &Context) -> String {
    format!("数据更新于 {}", ctx.feed.generated_at.format("%Y-%m-%d %H:%M"))
}

/// "第 2/5 页" when the slide has more than one page.
pub(crate) fn page_marker(page: &PageRef) -> Option<String> {
    (page.count > 1).then(|| format!("第 {}/{} 页", page.index + 1, page.count))
}

/// A message centred in the body, such as "暂无数据".
pub(crate) fn body_message(p: &mut Painter, body: Rect, text: &str, size: f32, pal: &Palette) {
    p.line(text, body, size, Weight::Bold, Align::Center, pal.muted);
}

/// A page whose slide is no longer in the data: the chrome and a message.
pub(crate) fn missing(p: &mut Painter, ctx: &Context, page: &PageRef) {
    let heading = Heading {
        title: &page.id,
        subtitle: subtitle(ctx, &page.id, None),
    };
    let pal = &ctx.theme.normal;
    let body = frame(p, ctx, page, &heading, pal);
    let size = Metrics::for_profile(ctx.profile).row_size;
    body_message(p, body, "暂无数据", size, pal);
}
