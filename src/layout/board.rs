//! Leaderboard pages: rank, name, score, change marker, grade, sub-scores.

use super::chrome::{self, Heading};
use super::pages::PageRef;
use super::painter::Painter;
use super::profile::{Metrics, Shape};
use super::Context;
use crate::feed::{Board, BoardEntry, Change, Level};
use crate::scene::{Align, Rect, Weight};

/// What a table column shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell {
    Rank,
    Name,
    Parent,
    Score,
    /// The change marker with its number (↑2).
    Change,
    /// The change marker's arrow alone, where the number did not fit.
    Arrow,
    Grade,
    Sub(usize),
}

#[derive(Clone, Copy, Debug)]
struct Column {
    cell: Cell,
    x: f32,
    w: f32,
}

pub(crate) fn layout(p: &mut Painter, ctx: &Context, board: &Board, page: &PageRef) {
    let pal = &ctx.theme.normal;
    let heading = Heading {
        title: &board.title,
        subtitle: chrome::subtitle(ctx, &board.title, board.group.as_deref()),
    };
    let body = chrome::frame(p, ctx, page, &heading, pal);
    let m = Metrics::for_profile(ctx.profile);
    let entries = board.entries.get(page.rows.clone()).unwrap_or(&[]);
    if entries.is_empty() {
        chrome::body_message(p, body, "暂无数据", m.row_size, pal);
        return;
    }
    let strip = ctx.profile.shape == Shape::Strip;
    // Every page of the board gets the rows its fullest page fills the body with.
    let fullest = board.entries.len().div_ceil(page.count.max(1));
    let m = if strip { m } else { m.grown(body.h, fullest) };
    let (row_h, t) = (m.row_h, m.row_size);
    let cols = columns(board, body, t, strip);
    let rows_top = if strip { body.y } else { body.y + m.head_h };
    if !strip {
        table_head(
            p,
            ctx,
            board,
            &cols,
            Rect::new(body.x, body.y, body.w, m.head_h),
            &m,
        );
    }
    // One size per column on this page: the largest every cell fits in.
    let sizes: Vec<f32> = cols
        .iter()
        .map(|col| {
            let (size, weight) = style(col.cell, t, strip);
            if col.cell == Cell::Grade {
                // The grades inside their badges, all at one size.
                let bh = grade_badge_h(row_h, t, strip, p.min_text);
                let inner = col.w - 2.0 * (bh * 0.12).round();
                let grades = entries.iter().filter_map(|e| e.grade.as_deref());
                return p.column_size(grades, inner, bh, bh * 0.62, weight);
            }
            let texts: Vec<String> = entries
                .iter()
                .filter_map(|e| cell_text(ctx, board, e, col.cell, strip).map(|c| c.0))
                .collect();
            p.column_size(texts.iter().map(String::as_str), col.w, row_h, size, weight)
        })
        .collect();
    for (i, entry) in entries.iter().enumerate() {
        let row = Rect::new(body.x, rows_top + i as f32 * row_h, body.w, row_h);
        if i % 2 == 1 {
            p.fill(row, pal.stripe, 0.0);
        }
        for (col, size) in cols.iter().zip(&sizes) {
            let cell = Rect::new(col.x, row.y, col.w, row.h);
            draw_cell(p, ctx, board, entry, col.cell, cell, (*size, t), strip);
        }
    }
}

/// The height of a grade badge in a row `row_h` tall: as tall as a line of
/// the row's text `t`, a badge no louder than the name.
fn grade_badge_h(row_h: f32, t: f32, strip: bool, min_text: f32) -> f32 {
    (row_h * if strip { 0.5 } else { 0.64 })
        .min(t * 1.5)
        .max(min_text * 1.1)
        .min(row_h)
        .round()
}

/// A column's largest text size and weight, from the row text size `t`.
fn style(cell: Cell, t: f32, strip: bool) -> (f32, Weight) {
    let (on_strip, elsewhere, weight) = match cell {
        Cell::Rank => (0.9, 0.9, Weight::Bold),
        Cell::Name => (1.0, 1.0, Weight::Bold),
        Cell::Parent => (0.5, 0.85, Weight::Regular),
        Cell::Score => (0.85, 1.0, Weight::Bold),
        Cell::Change | Cell::Arrow => (0.75, 0.9, Weight::Bold),
        Cell::Grade => (0.62, 0.62, Weight::Bold),
        Cell::Sub(_) => (0.85, 0.85, Weight::Regular),
    };
    (t * if strip { on_strip } else { elsewhere }, weight)
}

/// The text of a cell drawn as text (not the rank and grade badges), with
/// its colour and alignment. On the strip, a name carries its parent
/// (珍松村 · 四道沟镇): the strip has no room for a column of its own.
fn cell_text(
    ctx: &Context,
    board: &Board,
    e: &BoardEntry,
    cell: Cell,
    strip: bool,
) -> Option<(String, crate::scene::Rgba, Align)> {
    let pal = &ctx.theme.normal;
    Some(match cell {
        Cell::Rank | Cell::Grade => return None,
        Cell::Name => match (&e.parent, strip) {
            (Some(parent), true) => (format!("{} · {parent}", e.name), pal.text, Align::Left),
            _ => (e.name.clone(), pal.text, Align::Left),
        },
        Cell::Parent => (e.parent.clone().unwrap_or_default(), pal.muted, Align::Left),
        Cell::Score => (score_text(e.score), pal.text, Align::Right),
        Cell::Change => {
            let (text, color) = change_marker(ctx, e.change(), true);
            (text, color, Align::Center)
        }
        Cell::Arrow => {
            let (text, color) = change_marker(ctx, e.change(), false);
            (text, color, Align::Center)
        }
        Cell::Sub(k) => {
            let value = e.scores.get(&board.columns[k].key).copied();
            (score_text(value), pal.text, Align::Right)
        }
    })
}

/// What a board's pages leave out on a screen, for `check --config`: the
/// same decision the layout of its pages takes on the fullest page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// How many sub-score columns are not shown (all or none).
    pub sub_scores: usize,
    /// Whether the change marker shows its arrow only.
    pub change_number: bool,
    /// Whether the parent column is left out (the strip names it beside the name).
    pub parent: bool,
}

/// What `board`'s pages leave out on `profile`, at the default rows per page.
pub fn dropped(board: &Board, profile: &super::ScreenProfile) -> Dropped {
    let strip = profile.shape == Shape::Strip;
    let body = chrome::body_rect(profile);
    let m = Metrics::for_profile(profile);
    let per_page = super::pages::rows_per_page(profile);
    let n = board.entries.len().max(1);
    let fullest = n.div_ceil(n.div_ceil(per_page).max(1));
    let m = if strip { m } else { m.grown(body.h, fullest) };
    let cols = columns(board, body, m.row_size, strip);
    let has = |cell: Cell| cols.iter().any(|c| c.cell == cell);
    let shown_subs = cols.iter().filter(|c| matches!(c.cell, Cell::Sub(_))).count();
    Dropped {
        sub_scores: board.columns.len() - shown_subs,
        change_number: has(Cell::Arrow),
        parent: !strip && board.entries.iter().any(|e| e.parent.is_some()) && !has(Cell::Parent),
    }
}

/// Column widths in units of the row text size `t`. Rank, name, score and
/// grade always stay; when the rest do not fit beside a name of useful
/// width, the sub-scores go first, then the change marker's number (its
/// arrow stays), then the parent (docs/layout.md). On the strip the parent
/// is written after the name instead.
fn columns(board: &Board, body: Rect, t: f32, strip: bool) -> Vec<Column> {
    let has = |f: fn(&BoardEntry) -> bool| board.entries.iter().any(f);
    let scale = if strip { 0.8 } else { 1.0 };
    let mut spec: Vec<(Cell, f32)> = vec![(Cell::Rank, 1.8 * scale), (Cell::Name, 0.0)];
    if has(|e| e.parent.is_some()) && !strip {
        spec.push((Cell::Parent, 4.6));
    }
    spec.push((Cell::Score, 2.6 * scale));
    spec.push((Cell::Change, 2.3 * scale));
    if has(|e| e.grade.is_some()) {
        spec.push((Cell::Grade, if strip { 2.3 } else { 2.8 }));
    }
    let gap = 0.45 * t * scale;
    let fixed = |spec: &[(Cell, f32)]| -> f32 { spec.iter().map(|(_, u)| u * t + gap).sum() };
    let name_min = 4.2 * t;
    let sub_w = 3.1;
    let subs: Vec<(Cell, f32)> = (0..board.columns.len()).map(|k| (Cell::Sub(k), sub_w)).collect();
    let with_subs = fixed(&spec) + fixed(&subs);
    if !strip && !subs.is_empty() && body.w - with_subs >= 5.5 * t {
        spec.extend(subs);
    }
    if body.w - fixed(&spec) < name_min {
        for (cell, units) in spec.iter_mut() {
            if *cell == Cell::Change {
                *cell = Cell::Arrow;
                *units = 1.2 * scale;
            }
        }
    }
    if body.w - fixed(&spec) < name_min {
        spec.retain(|(c, _)| *c != Cell::Parent);
    }
    let name_w = (body.w - fixed(&spec)).max(t);
    let mut x = body.x;
    spec.into_iter()
        .map(|(cell, units)| {
            let w = if cell == Cell::Name { name_w } else { units * t };
            let col = Column {
                cell,
                x: x.round(),
                w: w.round(),
            };
            x += w + gap;
            col
        })
        .collect()
}

fn table_head(p: &mut Painter, ctx: &Context, board: &Board, cols: &[Column], r: Rect, m: &Metrics) {
    let pal = &ctx.theme.normal;
    for col in cols {
        let (label, align) = match col.cell {
            Cell::Rank => ("排名", Align::Center),
            Cell::Name => (name_label(board.level), Align::Left),
            Cell::Parent => ("所属乡镇", Align::Left),
            Cell::Score => ("总分", Align::Right),
            Cell::Change | Cell::Arrow => ("变化", Align::Center),
            Cell::Grade => ("等级", Align::Center),
            Cell::Sub(k) => (board.columns[k].label.as_str(), Align::Right),
        };
        let cell = Rect::new(col.x, r.y, col.w, r.h);
        p.line(label, cell, m.head_size, Weight::Regular, align, pal.muted);
    }
}

fn name_label(level: Level) -> &'static str {
    match level {
        Level::Township => "单位",
        Level::Village => "村",
        Level::Household => "农户",
    }
}

/// One cell; `sizes` are its column's size on this page and the row size.
#[allow(clippy::too_many_arguments)]
fn draw_cell(
    p: &mut Painter,
    ctx: &Context,
    board: &Board,
    e: &BoardEntry,
    cell: Cell,
    r: Rect,
    sizes: (f32, f32),
    strip: bool,
) {
    let (size, t) = sizes;
    match cell {
        Cell::Rank => rank_badge(p, ctx, e.rank, r, size),
        Cell::Grade => {
            if let Some(grade) = &e.grade {
                let badge = ctx.theme.grade_badge(grade);
                let bh = grade_badge_h(r.h, t, strip, p.min_text);
                let b = Rect::new(r.x, r.y + ((r.h - bh) / 2.0).round(), r.w, bh);
                p.badge(grade, b, size, badge.fill, badge.text);
            }
        }
        _ => {
            if let Some((text, color, align)) = cell_text(ctx, board, e, cell, strip) {
                let (_, weight) = style(cell, size, strip);
                p.cell(&text, r, size, weight, align, color);
            }
        }
    }
}

/// The rank, on a gold, silver or bronze badge for places 1 to 3, at `size`.
fn rank_badge(p: &mut Painter, ctx: &Context, rank: u32, r: Rect, size: f32) {
    let text = rank.to_string();
    match ctx.theme.podium.get(rank as usize - 1) {
        Some(badge) => {
            let side = (r.h * 0.74).max(p.min_text * 1.1).min(r.h).min(r.w).round();
            let b = Rect::new(
                r.x + ((r.w - side) / 2.0).round(),
                r.y + ((r.h - side) / 2.0).round(),
                side,
                side,
            );
            p.badge(&text, b, size, badge.fill, badge.text);
        }
        None => {
            p.line(&text, r, size, Weight::Bold, Align::Center, ctx.theme.normal.text);
        }
    }
}

/// A score with one decimal ("85.0"), or "—" when absent.
pub(crate) fn score_text(score: Option<f64>) -> String {
    match score {
        Some(s) if s.is_finite() => format!("{s:.1}"),
        _ => "—".to_string(),
    }
}

/// "↑2" in red, "↓3" in green (the arrow alone without `number`), "—"
/// muted, "新" in gold.
fn change_marker(ctx: &Context, change: Change, number: bool) -> (String, crate::scene::Rgba) {
    let th = ctx.theme;
    let count = |n: u32| if number { n.to_string() } else { String::new() };
    match change {
        Change::Up(n) => (format!("↑{}", count(n)), th.up),
        Change::Down(n) => (format!("↓{}", count(n)), th.down),
        Change::Same => ("—".to_string(), th.normal.muted),
        Change::New => ("新".to_string(), th.new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_have_one_decimal() {
        assert_eq!(score_text(Some(85.0)), "85.0");
        assert_eq!(score_text(Some(92.64)), "92.6");
        assert_eq!(score_text(None), "—");
    }
}
