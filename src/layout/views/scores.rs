//! 分项得分: each unit's sub-scores as bars against full marks (`max`),
//! the board's mean marked across each bar and the unit's weakest area
//! called out (最需改进：污水治理). A wide screen shows a table, a bar per
//! column; a narrow one a card per unit; a strip one unit per page.

use super::table::{self, Col, Text};
use super::{row_metrics, unit_label};
use crate::feed::{Board, BoardEntry};
use crate::layout::board::score_text;
use crate::layout::painter::Painter;
use crate::layout::profile::{Metrics, ScreenProfile, Shape};
use crate::layout::Context;
use crate::scene::{Align, Rect, Weight};
use crate::slide::PageRef;

/// Widths in row-text units: a bar cell of the table (track and value),
/// and in a card the label before the track and the value after it.
const TABLE_BAR: f32 = 3.8;
const CARD_LABEL: f32 = 4.2;
const CARD_TRACK: f32 = 3.0;
const CARD_VALUE: f32 = 2.2;
/// The narrowest bar worth drawing, in pixels.
const MIN_TRACK: f32 = 8.0;
/// The fixed columns of the table: rank, name, weakest area.
const TABLE_FIXED: [f32; 3] = [1.8, 5.0, 4.6];

/// Where a bar lies: its track (full marks), the filled part and the x of
/// the board's mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    /// The whole bar: full marks.
    pub track: Rect,
    /// The filled part, from the track's left edge: the score.
    pub fill: Rect,
    /// Where the board's mean lies across the track.
    pub mean_x: f32,
}

/// The bar of `value` out of `max` in `track`, the mean at `mean`.
pub fn bar(track: Rect, value: f64, mean: f64, max: f64) -> Bar {
    let share = |v: f64| {
        if max > 0.0 {
            (v / max).clamp(0.0, 1.0) as f32
        } else {
            0.0
        }
    };
    Bar {
        track,
        fill: Rect::new(track.x, track.y, (track.w * share(value)).round(), track.h),
        mean_x: track.x + track.w * share(mean),
    }
}

/// Full marks of each column: `max` where the feed sends it, else the
/// highest value the board holds.
fn maxima(board: &Board) -> Vec<f64> {
    board
        .columns
        .iter()
        .map(|c| {
            c.max.unwrap_or_else(|| {
                (board.entries.iter())
                    .filter_map(|e| e.scores.get(&c.key))
                    .fold(0.0, |a: f64, b| a.max(*b))
            })
        })
        .collect()
}

/// The board's mean of each column over the entries that have it.
fn means(board: &Board) -> Vec<f64> {
    board
        .columns
        .iter()
        .map(|c| {
            let values: Vec<f64> = board
                .entries
                .iter()
                .filter_map(|e| e.scores.get(&c.key).copied())
                .collect();
            if values.is_empty() {
                0.0
            } else {
                values.iter().sum::<f64>() / values.len() as f64
            }
        })
        .collect()
}

/// The column where `e` scores least against full marks.
fn weakest(board: &Board, e: &BoardEntry, maxima: &[f64]) -> Option<usize> {
    (board.columns.iter().enumerate())
        .filter_map(|(k, c)| {
            let v = e.scores.get(&c.key)?;
            (maxima[k] > 0.0).then(|| (k, v / maxima[k]))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// Whether a table with a bar per column fits `body` at row text `t`.
fn table_fits(board: &Board, body: Rect, t: f32) -> bool {
    let n = board.columns.len() as f32;
    let units: f32 = TABLE_FIXED.iter().sum::<f32>() + n * TABLE_BAR;
    units * t + 0.45 * t * (n + 2.0) <= body.w
}

/// Bar cells per line of a card, and lines per card.
fn card_grid(board: &Board, body: Rect, t: f32) -> (usize, usize) {
    let cell = (CARD_LABEL + CARD_TRACK + CARD_VALUE + 0.5) * t;
    let across = ((body.w / cell).floor() as usize).clamp(1, 3);
    (across, board.columns.len().div_ceil(across))
}

/// (units, units per page) on `profile`.
pub(super) fn paging(board: &Board, profile: &ScreenProfile) -> (usize, usize) {
    if board.columns.is_empty() {
        return (0, 1);
    }
    let n = board.entries.len();
    let body = crate::layout::chrome::body_rect(profile);
    let m = Metrics::for_profile(profile);
    match profile.shape {
        Shape::Strip => (n, 1),
        _ if table_fits(board, body, m.row_size) => (n, crate::layout::pages::rows_per_page(profile)),
        _ => {
            let (_, lines) = card_grid(board, body, m.row_size);
            let card_h = (lines + 1) as f32 * m.row_h + m.row_h * 0.4;
            (n, ((body.h / card_h).floor() as usize).max(1))
        }
    }
}

pub(super) fn layout(p: &mut Painter, ctx: &Context, board: &Board, page: &PageRef, body: Rect) -> bool {
    let shown = board.entries.get(page.rows.clone()).unwrap_or(&[]);
    if shown.is_empty() || board.columns.is_empty() {
        return false;
    }
    let stats = Stats {
        maxima: maxima(board),
        means: means(board),
    };
    let m = Metrics::for_profile(ctx.profile);
    match ctx.profile.shape {
        Shape::Strip => strip_card(p, ctx, board, &shown[0], body, &stats),
        _ if table_fits(board, body, m.row_size) => bar_table(p, ctx, board, shown, body, &stats),
        _ => cards(p, ctx, board, shown, body, &stats, page.per_column),
    }
    true
}

struct Stats {
    maxima: Vec<f64>,
    means: Vec<f64>,
}

/// One bar in `cell`: its track centred vertically, the fill in the bar
/// colour (the weakest area's in amber), the mean as a tick across it.
fn draw_bar(
    p: &mut Painter,
    ctx: &Context,
    cell: Rect,
    value: Option<f64>,
    k: usize,
    stats: &Stats,
    weak: bool,
) {
    let c = ctx.theme.chart;
    let h = (cell.h * 0.42).round().max(4.0);
    let track = Rect::new(cell.x, cell.y + ((cell.h - h) / 2.0).round(), cell.w, h);
    p.fill(track, c.track, 0.0);
    let b = bar(track, value.unwrap_or(0.0), stats.means[k], stats.maxima[k]);
    if value.is_some() {
        p.fill(b.fill, if weak { c.weak } else { c.bar }, 0.0);
    }
    // A track narrower than the tick (a tall, thin cell) still keeps the
    // tick inside it: clamp's bounds must never cross.
    let tick = (h * 0.14).round().max(2.0).min(cell.w);
    let over = (h * 0.22).round();
    let x = (b.mean_x - tick / 2.0)
        .round()
        .min(cell.right() - tick)
        .max(cell.x);
    p.fill(Rect::new(x, track.y - over, tick, h + 2.0 * over), c.mean, 0.0);
}

/// A bar cell: [label] track value; the label only where no heading names
/// the column.
#[allow(clippy::too_many_arguments)]
fn bar_cell(
    p: &mut Painter,
    ctx: &Context,
    cell: Rect,
    (board, e): (&Board, &BoardEntry),
    k: usize,
    stats: &Stats,
    (t, labelled): (f32, bool),
    weak: bool,
) {
    let pal = &ctx.theme.normal;
    let gap = (0.25 * t).round();
    let value = e.scores.get(&board.columns[k].key).copied();
    let mut x = cell.x;
    let size = (t * 0.8).max(p.min_text).floor();
    if labelled {
        let w = (CARD_LABEL * t * 0.8).round().min(cell.w * 0.4);
        let color = if weak { ctx.theme.chart.weak } else { pal.muted };
        p.line(
            &board.columns[k].label,
            Rect::new(x, cell.y, w, cell.h),
            size,
            Weight::Regular,
            Align::Left,
            color,
        );
        x += w + gap;
    }
    let value_w = (CARD_VALUE * t * 0.8).round().min((cell.w * 0.35).floor());
    // On a screen too narrow for a bar beside its number, the number alone.
    let track_w = (cell.right() - x - value_w - gap).floor();
    if track_w >= MIN_TRACK {
        let track = Rect::new(x, cell.y, track_w, cell.h);
        draw_bar(p, ctx, track, value, k, stats, weak);
    }
    let vr = Rect::new(cell.right() - value_w, cell.y, value_w, cell.h);
    p.line(&score_text(value), vr, size, Weight::Bold, Align::Right, pal.text);
}

/// The wide form: rank, name, a bar per column under its heading, weakest area.
fn bar_table(p: &mut Painter, ctx: &Context, board: &Board, shown: &[BoardEntry], body: Rect, stats: &Stats) {
    let pal = &ctx.theme.normal;
    let m = row_metrics(ctx, body, shown.len(), true);
    // Widths from the screen's base row text, so that the bars keep their
    // room when a short board's rows grow.
    let base = super::base_text(ctx);
    let t = m.row_size;
    let mut cols = vec![
        Col::new("排名", TABLE_FIXED[0], Align::Center, Weight::Bold, 0.9),
        Col::new(
            unit_label(board.level),
            TABLE_FIXED[1],
            Align::Left,
            Weight::Bold,
            1.0,
        ),
    ];
    for c in &board.columns {
        cols.push(Col::new(&c.label, 0.0, Align::Center, Weight::Regular, 1.0));
    }
    cols.push(Col::new(
        "最需改进",
        TABLE_FIXED[2],
        Align::Left,
        Weight::Bold,
        0.85,
    ));
    let placed = table::place(&cols, body, base);
    let head = Rect::new(body.x, body.y, body.w, m.head_h);
    table::head(p, &cols, &placed, head, m.head_size, pal.muted);
    let top = body.y + m.head_h;
    let cells: Vec<Vec<Text>> = shown
        .iter()
        .map(|e| {
            let mut row = table::rank_and_name(e, pal);
            row.extend(board.columns.iter().map(|_| None));
            let weak = weakest(board, e, &stats.maxima).map(|k| board.columns[k].label.clone());
            row.push(Some((weak.unwrap_or_else(|| "—".into()), ctx.theme.chart.weak)));
            row
        })
        .collect();
    table::rows(p, pal, (&cols, &placed), (top, m.row_h, t), &cells, body);
    for (i, e) in shown.iter().enumerate() {
        let weak = weakest(board, e, &stats.maxima);
        for k in 0..board.columns.len() {
            let at = placed[2 + k];
            let cell = Rect::new(at.x, top + i as f32 * m.row_h, at.w, m.row_h);
            bar_cell(p, ctx, cell, (board, e), k, stats, (base, false), weak == Some(k));
        }
    }
}

/// The narrow form: a card per unit, its name line over a grid of
/// labelled bars.
fn cards(
    p: &mut Painter,
    ctx: &Context,
    board: &Board,
    shown: &[BoardEntry],
    body: Rect,
    stats: &Stats,
    per_page: usize,
) {
    let pal = &ctx.theme.normal;
    let m = Metrics::for_profile(ctx.profile);
    let t = m.row_size;
    let (across, lines) = card_grid(board, body, t);
    let card_h = ((body.h / per_page.max(1) as f32).floor()).min((lines + 1) as f32 * m.row_h * 1.25);
    let line_h = (card_h / (lines as f32 + 1.4)).floor();
    for (i, e) in shown.iter().enumerate() {
        let card = Rect::new(body.x, body.y + i as f32 * card_h, body.w, card_h);
        if i % 2 == 1 {
            p.fill(card, pal.stripe, 0.0);
        }
        let head = Rect::new(card.x, card.y, card.w, line_h);
        name_line(p, ctx, board, e, head, stats, t);
        let grid = Rect::new(card.x, card.y + line_h * 1.2, card.w, line_h * lines as f32);
        bar_grid(p, ctx, (board, e), grid, (across, line_h), stats, t);
    }
}

/// "1 闹枝镇 85.0 … 最需改进：污水治理" across `r`.
fn name_line(p: &mut Painter, ctx: &Context, board: &Board, e: &BoardEntry, r: Rect, stats: &Stats, t: f32) {
    let pal = &ctx.theme.normal;
    let cols = [
        Col::new("", 1.6, Align::Left, Weight::Bold, 1.0),
        Col::new("", 0.0, Align::Left, Weight::Bold, 1.0),
        Col::new("", 2.6, Align::Right, Weight::Bold, 1.0),
        Col::new("", 7.6, Align::Right, Weight::Bold, 0.85),
    ];
    let placed = table::place(&cols, r, t);
    let weak = weakest(board, e, &stats.maxima)
        .map_or_else(|| "—".into(), |k| format!("最需改进：{}", board.columns[k].label));
    let texts = [
        (e.rank.to_string(), pal.title),
        (e.name.clone(), pal.text),
        (score_text(e.score), pal.text),
        (weak, ctx.theme.chart.weak),
    ];
    for ((col, at), (text, color)) in cols.iter().zip(&placed).zip(texts) {
        p.line(
            &text,
            Rect::new(at.x, r.y, at.w, r.h),
            t * col.scale,
            col.weight,
            col.align,
            color,
        );
    }
}

/// The labelled bars of `e` in a grid of `across` cells per line.
fn bar_grid(
    p: &mut Painter,
    ctx: &Context,
    (board, e): (&Board, &BoardEntry),
    grid: Rect,
    (across, line_h): (usize, f32),
    stats: &Stats,
    t: f32,
) {
    let gap = (0.6 * t).round();
    let cell_w = ((grid.w - gap * (across - 1) as f32) / across as f32).floor();
    let weak = weakest(board, e, &stats.maxima);
    for k in 0..board.columns.len() {
        let (row, col) = (k / across, k % across);
        let cell = Rect::new(
            grid.x + col as f32 * (cell_w + gap),
            grid.y + row as f32 * line_h,
            cell_w,
            line_h,
        );
        bar_cell(p, ctx, cell, (board, e), k, stats, (t, true), weak == Some(k));
    }
}

/// One unit on a strip: its name and weakest area stacked at the left, its
/// bars in a grid beside them.
fn strip_card(p: &mut Painter, ctx: &Context, board: &Board, e: &BoardEntry, body: Rect, stats: &Stats) {
    let pal = &ctx.theme.normal;
    let lines = board.columns.len().div_ceil(3).max(1);
    let line_h = (body.h / lines as f32).floor();
    let t = (line_h / 1.25).max(p.min_text).floor();
    let left_w = (body.w * 0.24).round();
    let half = (body.h / 2.0).floor();
    let name = match &e.parent {
        Some(parent) => format!("{} {} · {parent}", e.rank, e.name),
        None => format!("{} {}", e.rank, e.name),
    };
    p.line(
        &name,
        Rect::new(body.x, body.y, left_w, half),
        t,
        Weight::Bold,
        Align::Left,
        pal.text,
    );
    if let Some(k) = weakest(board, e, &stats.maxima) {
        let weak = format!("最需改进：{}", board.columns[k].label);
        let r = Rect::new(body.x, body.y + half, left_w, body.h - half);
        p.line(
            &weak,
            r,
            t * 0.85,
            Weight::Bold,
            Align::Left,
            ctx.theme.chart.weak,
        );
    }
    let gap = (0.5 * t).round();
    let grid = Rect::new(
        body.x + left_w + gap,
        body.y,
        body.w - left_w - gap,
        line_h * lines as f32,
    );
    bar_grid(p, ctx, (board, e), grid, (3, line_h), stats, t);
}
