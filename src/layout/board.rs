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
    Change,
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
    for (i, entry) in entries.iter().enumerate() {
        let row = Rect::new(body.x, rows_top + i as f32 * row_h, body.w, row_h);
        if i % 2 == 1 {
            p.fill(row, pal.stripe, 0.0);
        }
        for col in &cols {
            let cell = Rect::new(col.x, row.y, col.w, row.h);
            draw_cell(p, ctx, board, entry, col.cell, cell, t, strip);
        }
    }
}

/// Column widths in units of the row text size `t`; sub-score columns only
/// when all of them fit beside a name column of useful width.
fn columns(board: &Board, body: Rect, t: f32, strip: bool) -> Vec<Column> {
    let has = |f: fn(&BoardEntry) -> bool| board.entries.iter().any(f);
    let scale = if strip { 0.8 } else { 1.0 };
    let mut spec: Vec<(Cell, f32)> = vec![(Cell::Rank, 1.8 * scale), (Cell::Name, 0.0)];
    if has(|e| e.parent.is_some()) {
        spec.push((Cell::Parent, if strip { 2.4 } else { 4.6 }));
    }
    spec.push((Cell::Score, 2.9 * scale));
    spec.push((Cell::Change, 2.3 * scale));
    if has(|e| e.grade.is_some()) {
        spec.push((Cell::Grade, if strip { 2.3 } else { 3.6 }));
    }
    let gap = 0.45 * t * scale;
    // The name matters most: give up the parent, then the grade, then the
    // change marker before squeezing the name below four characters.
    for optional in [Cell::Parent, Cell::Grade, Cell::Change] {
        let fixed: f32 = spec.iter().map(|(_, u)| u * t + gap).sum();
        if body.w - fixed >= 4.2 * t {
            break;
        }
        spec.retain(|(c, _)| *c != optional);
    }
    let fixed: f32 = spec.iter().map(|(_, u)| u * t + gap).sum();
    let sub_w = 3.1 * t;
    let subs = board.columns.len() as f32 * (sub_w + gap);
    if !strip && !board.columns.is_empty() && body.w - fixed - subs >= 5.5 * t {
        spec.extend((0..board.columns.len()).map(|k| (Cell::Sub(k), 3.1)));
    }
    let fixed: f32 = spec.iter().map(|(_, u)| u * t + gap).sum();
    let name_w = (body.w - fixed).max(t);
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
            Cell::Change => ("变化", Align::Center),
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

#[allow(clippy::too_many_arguments)]
fn draw_cell(
    p: &mut Painter,
    ctx: &Context,
    board: &Board,
    e: &BoardEntry,
    cell: Cell,
    r: Rect,
    t: f32,
    strip: bool,
) {
    let pal = &ctx.theme.normal;
    match cell {
        Cell::Rank => rank_badge(p, ctx, e.rank, r, t),
        Cell::Name => {
            p.line(&e.name, r, t, Weight::Bold, Align::Left, pal.text);
        }
        Cell::Parent => {
            let size = if strip { t * 0.5 } else { t * 0.85 };
            p.line(
                e.parent.as_deref().unwrap_or(""),
                r,
                size,
                Weight::Regular,
                Align::Left,
                pal.muted,
            );
        }
        Cell::Score => {
            let size = if strip { t * 0.85 } else { t };
            p.line(
                &score_text(e.score),
                r,
                size,
                Weight::Bold,
                Align::Right,
                pal.text,
            );
        }
        Cell::Change => {
            let (text, color) = change_marker(ctx, e.change());
            let size = if strip { t * 0.75 } else { t * 0.9 };
            p.line(&text, r, size, Weight::Bold, Align::Center, color);
        }
        Cell::Grade => {
            if let Some(grade) = &e.grade {
                let badge = ctx.theme.grade_badge(grade);
                let bh = (r.h * if strip { 0.5 } else { 0.64 })
                    .max(p.min_text * 1.1)
                    .min(r.h)
                    .round();
                let b = Rect::new(r.x, r.y + ((r.h - bh) / 2.0).round(), r.w, bh);
                p.badge(grade, b, bh * 0.62, badge.fill, badge.text);
            }
        }
        Cell::Sub(k) => {
            let value = e.scores.get(&board.columns[k].key).copied();
            p.line(
                &score_text(value),
                r,
                t * 0.85,
                Weight::Regular,
                Align::Right,
                pal.text,
            );
        }
    }
}

/// The rank, on a gold, silver or bronze badge for places 1 to 3.
fn rank_badge(p: &mut Painter, ctx: &Context, rank: u32, r: Rect, t: f32) {
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
            p.badge(&text, b, t * 0.9, badge.fill, badge.text);
        }
        None => {
            p.line(
                &text,
                r,
                t * 0.9,
                Weight::Bold,
                Align::Center,
                ctx.theme.normal.text,
            );
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

/// "↑2" in red, "↓3" in green, "—" muted, "新" in gold.
fn change_marker(ctx: &Context, change: Change) -> (String, crate::scene::Rgba) {
    let th = ctx.theme;
    match change {
        Change::Up(n) => (format!("↑{n}"), th.up),
        Change::Down(n) => (format!("↓{n}"), th.down),
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
