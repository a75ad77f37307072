//! 排名走势: how each unit's rank moved over the earlier periods. A board
//! of up to 16 units with history is one bump chart (a line per unit, rank
//! 1 at the top, its name at the line's end, the top three emphasised); a
//! larger one is a table with a sparkline per unit; a strip shows one
//! unit's line per page. Units without history are left out.

pub use super::spark::rank_y;

use super::spark::{self, period_x, periods, ranks_over, trend_color};
use super::table::{self, Col, Text};
use super::{period_label, row_metrics, unit_label};
use crate::feed::{Board, BoardEntry};
use crate::layout::painter::Painter;
use crate::layout::profile::{ScreenProfile, Shape};
use crate::layout::Context;
use crate::scene::{Align, Rect, Rgba, Weight};
use crate::slide::PageRef;

/// The most units one bump chart holds; more get a sparkline each.
pub(super) const BUMP_MAX: usize = 16;
/// The periods a bump chart spans besides this one: a year.
const BUMP_PERIODS: usize = 12;
/// A sparkline spans every period a history holds (at most 36) and this one.
const SPARK_PERIODS: usize = 36;

/// The entries with a history, in rank order.
fn units(board: &Board) -> Vec<&BoardEntry> {
    board.entries.iter().filter(|e| !e.history.is_empty()).collect()
}

/// (units, units per page) on `profile`.
pub(super) fn paging(board: &Board, profile: &ScreenProfile) -> (usize, usize) {
    let n = units(board).len();
    match profile.shape {
        Shape::Strip => (n, 1),
        _ if bump_fits(profile, n) => (n, n.max(1)),
        _ => (n, crate::layout::pages::rows_per_page(profile)),
    }
}

/// Whether `n` units make one bump chart on `profile`: at most
/// [`BUMP_MAX`], with room for their names one above the other at the
/// screen's minimum text size.
fn bump_fits(profile: &ScreenProfile, n: usize) -> bool {
    let body = crate::layout::chrome::body_rect(profile);
    let line = crate::text::line_height(profile.min_text).ceil();
    n <= BUMP_MAX && (body.h - 3.0 * line) / n.saturating_sub(1).max(1) as f32 >= line
}

/// The size of the chart's labels: the row text's 0.8 at most, and small
/// enough that `n` names fit one above the other in `h`.
fn label_size(row_size: f32, min_text: f32, n: usize, h: f32) -> f32 {
    let mut size = (row_size * 0.8).max(min_text).floor();
    let room = h / n.saturating_sub(1).max(1) as f32;
    while size > min_text && crate::text::line_height(size) > room {
        size -= 1.0;
    }
    size
}

/// The width of a stroke on `profile`: at least 3 px, thicker on a larger
/// screen; the top three twice that.
fn stroke_width(profile: &ScreenProfile) -> f32 {
    (profile.short_side() * 0.0032).max(3.0).round()
}

pub(super) fn layout(p: &mut Painter, ctx: &Context, board: &Board, page: &PageRef, body: Rect) -> bool {
    let all = units(board);
    let shown: Vec<&BoardEntry> = all.get(page.rows.clone()).unwrap_or(&[]).to_vec();
    if shown.is_empty() {
        return false;
    }
    // One rank scale for the whole board, so pages and lines compare.
    let max_rank = (all.iter())
        .flat_map(|e| e.history.iter().map(|h| h.rank).chain([e.rank]))
        .max()
        .unwrap_or(1)
        .max(2);
    match ctx.profile.shape {
        Shape::Strip => sparklines(p, ctx, board, &shown, body, max_rank),
        _ if bump_fits(ctx.profile, all.len()) => bump(p, ctx, &shown, body, max_rank),
        _ => sparklines(p, ctx, board, &shown, body, max_rank),
    }
    true
}

/// The bump chart of `units` in `body`.
fn bump(p: &mut Painter, ctx: &Context, units: &[&BoardEntry], body: Rect, max_rank: u32) {
    let pal = &ctx.theme.normal;
    let m = row_metrics(ctx, body, units.len(), false);
    let label = label_size(
        m.row_size,
        p.min_text,
        units.len(),
        body.h - 3.0 * crate::text::line_height(m.row_size),
    );
    let line_h = crate::text::line_height(label).ceil();
    let current = ctx.feed.period.id.clone();
    let periods = periods(units.iter().copied(), &current, BUMP_PERIODS);
    let names: Vec<String> = units.iter().map(|e| format!("{} {}", e.rank, e.name)).collect();
    let gap = (label * 0.6).round();
    let widest = names
        .iter()
        .map(|n| p.fonts.line_width(n, label, Weight::Bold))
        .fold(0.0, f32::max);
    let names_w = widest.ceil().min((body.w * 0.3).round());
    let axis_w = (p.fonts.line_width(&max_rank.to_string(), label, Weight::Regular) + gap).ceil();
    // Half a label above and below the plot, so that a name at the line
    // of rank 1 or of the last rank stays in the body, clear of the periods.
    let half = (line_h / 2.0).ceil();
    let plot = Rect::new(
        body.x + axis_w + gap,
        body.y + half,
        body.w - axis_w - names_w - 3.0 * gap,
        body.h - line_h - 2.0 * half - gap,
    );
    rank_axis(
        p,
        ctx,
        plot,
        Rect::new(body.x, body.y, axis_w, body.h),
        max_rank,
        label,
    );
    period_axis(p, ctx, &periods, plot, body, label);
    let w = stroke_width(ctx.profile);
    // The top three last, so their lines lie over the others.
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units[i].rank));
    let mut ends = Vec::new();
    for i in order {
        let e = units[i];
        let ranks = ranks_over(e, &periods, &current);
        let (width, color) = match ctx.theme.podium.get(e.rank as usize - 1) {
            Some(badge) => (2.0 * w, badge.fill),
            None => (w, trend_color(ctx.theme, &ranks)),
        };
        spark::draw(&mut p.scene, &ranks, max_rank, plot, (width, color));
        let y = rank_y(e.rank, max_rank, plot.y, plot.h).round();
        let text = if e.rank <= 3 { color } else { pal.text };
        ends.push((y, i, text));
    }
    let x = plot.right() + 2.0 * gap;
    for (y, i, color) in spread(ends, line_h, (plot.y.ceil(), plot.bottom().floor())) {
        let r = Rect::new(x, (y - line_h / 2.0).round(), body.right() - x, line_h);
        p.line(&names[i], r, label, Weight::Bold, Align::Left, color);
    }
}

/// Label centres moved apart to at least `h` (less only when they cannot
/// all fit) and kept from `top` to `bottom`, in the order of their wanted
/// places.
fn spread(mut labels: Vec<(f32, usize, Rgba)>, h: f32, (top, bottom): (f32, f32)) -> Vec<(f32, usize, Rgba)> {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = labels.len().saturating_sub(1).max(1) as f32;
    // Whole pixels, so that rounded boxes keep the spacing.
    let step = h.min(((bottom - top) / n).floor());
    let mut next = top;
    for l in &mut labels {
        l.0 = l.0.max(next);
        next = l.0 + step;
    }
    // Pushed past the bottom: pull back up, keeping the spacing.
    let mut last = bottom;
    for l in labels.iter_mut().rev() {
        l.0 = l.0.min(last);
        last = l.0 - step;
    }
    labels
}

/// Rank numbers down the left of the plot, as many as fit apart, with a
/// faint guide across the plot at each.
fn rank_axis(p: &mut Painter, ctx: &Context, plot: Rect, axis: Rect, max_rank: u32, size: f32) {
    let pal = &ctx.theme.normal;
    let line_h = crate::text::line_height(size).ceil();
    let spacing = plot.h / (max_rank - 1) as f32;
    let stride = ((line_h / spacing).ceil() as u32).max(1);
    let guide = (size * 0.06).round().max(1.0);
    for rank in (1..=max_rank).filter(|r| (r - 1) % stride == 0) {
        let y = rank_y(rank, max_rank, plot.y, plot.h);
        p.fill(
            Rect::new(plot.x, (y - guide / 2.0).round(), plot.w, guide),
            pal.stripe,
            0.0,
        );
        let r = Rect::new(axis.x, (y - line_h / 2.0).round(), axis.w, line_h);
        p.line(
            &rank.to_string(),
            r,
            size,
            Weight::Regular,
            Align::Right,
            pal.muted,
        );
    }
}

/// Period names along the bottom, the newest always, the others as many
/// as fit apart.
fn period_axis(p: &mut Painter, ctx: &Context, periods: &[String], plot: Rect, body: Rect, size: f32) {
    let pal = &ctx.theme.normal;
    let n = periods.len();
    let line_h = crate::text::line_height(size).ceil();
    let labels: Vec<String> = periods.iter().map(|id| period_label(id)).collect();
    let widest = (labels.iter())
        .map(|l| p.fonts.line_width(l, size, Weight::Regular))
        .fold(0.0, f32::max)
        + size;
    let spacing = if n > 1 { plot.w / (n - 1) as f32 } else { plot.w };
    let stride = ((widest / spacing).ceil() as usize).max(1);
    let y = body.bottom() - line_h;
    for k in (0..n).filter(|k| (n - 1 - k) % stride == 0) {
        let cx = period_x(k, n, plot);
        let half = (spacing * stride as f32 / 2.0)
            .min(cx - body.x)
            .min(body.right() - cx);
        let r = Rect::new((cx - half).round(), y, (2.0 * half).floor(), line_h);
        let color = if k + 1 == n { pal.title } else { pal.muted };
        p.line(&labels[k], r, size, Weight::Regular, Align::Center, color);
    }
}

/// A table with a sparkline per unit (larger boards), or on a strip one
/// unit's line across the page.
fn sparklines(
    p: &mut Painter,
    ctx: &Context,
    board: &Board,
    units: &[&BoardEntry],
    body: Rect,
    max_rank: u32,
) {
    let pal = &ctx.theme.normal;
    let strip = ctx.profile.shape == Shape::Strip;
    let parents = !strip && units.iter().any(|e| e.parent.is_some());
    let m = row_metrics(ctx, body, units.len(), true);
    let mut cols = vec![
        Col::new("排名", 1.8, Align::Center, Weight::Bold, 0.9),
        Col::new(unit_label(board.level), 0.0, Align::Left, Weight::Bold, 1.0),
    ];
    if parents {
        cols.push(Col::new("所属乡镇", 4.6, Align::Left, Weight::Regular, 0.85));
    }
    let spark_units = if strip { 6.0 } else { 10.0 };
    cols.push(Col::new("走势", spark_units, Align::Center, Weight::Regular, 0.9));
    cols.push(Col::new("名次变化", 5.2, Align::Center, Weight::Regular, 0.85));
    let spark_col = cols.len() - 2;
    let placed = table::place(&cols, body, super::base_text(ctx));
    let current = ctx.feed.period.id.clone();
    let cells: Vec<Vec<Text>> = units
        .iter()
        .map(|e| {
            let name = match (&e.parent, strip) {
                (Some(parent), true) => format!("{} · {parent}", e.name),
                _ => e.name.clone(),
            };
            let mut row: Vec<Text> = vec![Some((e.rank.to_string(), pal.text)), Some((name, pal.text))];
            if parents {
                row.push(Some((e.parent.clone().unwrap_or_default(), pal.muted)));
            }
            row.push(None);
            let first = e.history.first().map(|h| h.rank);
            let span = first.map_or_else(|| format!("第{}名", e.rank), |f| format!("{f}→{}名", e.rank));
            row.push(Some((span, pal.text)));
            row
        })
        .collect();
    let (top, row_h) = table::table(p, pal, (&cols, &placed), (&m, strip), &cells, body);
    let w = stroke_width(ctx.profile);
    let at = placed[spark_col];
    for (i, e) in units.iter().enumerate() {
        let pad = (row_h * 0.2).round().max(w * 1.2);
        let cell = Rect::new(
            at.x + pad,
            top + i as f32 * row_h + pad,
            at.w - 2.0 * pad,
            row_h - 2.0 * pad,
        );
        let periods = periods(std::iter::once(*e), &current, SPARK_PERIODS);
        let ranks = ranks_over(e, &periods, &current);
        let color = trend_color(ctx.theme, &ranks);
        spark::draw(&mut p.scene, &ranks, max_rank, cell, (w, color));
    }
}
