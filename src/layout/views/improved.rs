//! 进步最快 (and, when a playlist asks for it, 退步较大): the units whose
//! rank moved most since the last period, with the gain as ↑n位, the rank
//! then and now, and the score change.

use super::table::{self, Col, Text};
use super::{rank_before, row_metrics, unit_label};
use crate::feed::{Board, BoardEntry, Change};
use crate::layout::painter::Painter;
use crate::layout::profile::{ScreenProfile, Shape};
use crate::layout::Context;
use crate::scene::{Align, Rect, Weight};
use crate::slide::PageRef;
use std::cmp::Ordering;

/// At most this many units on the slide: a top ten, not the whole board.
const MOST: usize = 10;
/// On a strip, one unit per page, the first five.
const MOST_ON_STRIP: usize = 5;

/// The indices of `board`'s entries that rose (fell, when `declined`),
/// largest move first; equal moves by higher score, then document order.
pub fn movers(board: &Board, declined: bool) -> Vec<usize> {
    let mut moved: Vec<(usize, u32)> = (board.entries.iter().enumerate())
        .filter_map(|(i, e)| match (e.change(), declined) {
            (Change::Up(n), false) | (Change::Down(n), true) => Some((i, n)),
            _ => None,
        })
        .collect();
    let score = |i: usize| {
        board.entries[i]
            .score
            .filter(|s| s.is_finite())
            .unwrap_or(f64::NEG_INFINITY)
    };
    moved.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| score(b.0).partial_cmp(&score(a.0)).unwrap_or(Ordering::Equal))
            .then(a.0.cmp(&b.0))
    });
    moved.into_iter().map(|(i, _)| i).collect()
}

/// How many movers the slide shows on `profile`.
pub(super) fn shown(board: &Board, profile: &ScreenProfile, declined: bool) -> usize {
    let cap = match profile.shape {
        Shape::Strip => MOST_ON_STRIP,
        _ => MOST.min(crate::layout::pages::rows_per_page(profile).max(1)),
    };
    movers(board, declined).len().min(cap)
}

pub(super) fn layout(
    p: &mut Painter,
    ctx: &Context,
    board: &Board,
    page: &PageRef,
    body: Rect,
    declined: bool,
) -> bool {
    let all = movers(board, declined);
    let shown: Vec<&BoardEntry> = (all.get(page.rows.clone()).unwrap_or(&[]).iter())
        .map(|&i| &board.entries[i])
        .collect();
    if shown.is_empty() {
        return false;
    }
    let strip = ctx.profile.shape == Shape::Strip;
    let parents = !strip && shown.iter().any(|e| e.parent.is_some());
    let m = row_metrics(ctx, body, shown.len(), true);
    let mut cols = vec![
        Col::new(
            if declined { "降幅" } else { "升幅" },
            3.4,
            Align::Center,
            Weight::Bold,
            1.0,
        ),
        Col::new(unit_label(board.level), 0.0, Align::Left, Weight::Bold, 1.0),
    ];
    if parents {
        cols.push(Col::new("所属乡镇", 4.6, Align::Left, Weight::Regular, 0.85));
    }
    // A strip's one line leaves the name the room: the rest is smaller.
    let (ranks, change, scale) = if strip { (4.2, 2.8, 0.6) } else { (6.4, 4.2, 0.9) };
    cols.push(Col::new("名次", ranks, Align::Center, Weight::Regular, scale));
    cols.push(Col::new("得分变化", change, Align::Right, Weight::Regular, scale));
    let placed = table::place(&cols, body, super::base_text(ctx));
    let pal = &ctx.theme.normal;
    let cells: Vec<Vec<Text>> = shown.iter().map(|e| row(ctx, e, parents, strip)).collect();
    table::table(p, pal, (&cols, &placed), (&m, strip), &cells, body);
    true
}

/// One unit's cells: the move, the name (with its township on a strip),
/// the township, the rank then and now, the score change.
fn row(ctx: &Context, e: &BoardEntry, parents: bool, strip: bool) -> Vec<Text> {
    let pal = &ctx.theme.normal;
    let (gain, color) = match e.change() {
        Change::Up(n) => (format!("↑{n}位"), ctx.theme.up),
        Change::Down(n) => (format!("↓{n}位"), ctx.theme.down),
        _ => ("—".to_string(), pal.muted),
    };
    let name = match (&e.parent, strip) {
        (Some(parent), true) => format!("{} · {parent}", e.name),
        _ => e.name.clone(),
    };
    let ranks = match rank_before(e) {
        Some(before) => format!("第{before}名→第{}名", e.rank),
        None => format!("第{}名", e.rank),
    };
    let mut cells = vec![Some((gain, color)), Some((name, pal.text))];
    if parents {
        cells.push(Some((e.parent.clone().unwrap_or_default(), pal.muted)));
    }
    cells.push(Some((ranks, pal.text)));
    cells.push(Some((score_change(e), pal.text)));
    cells
}

/// "+3.2分" from the last history point's score to this period's; "—"
/// when either is missing.
fn score_change(e: &BoardEntry) -> String {
    let before = e.history.last().and_then(|h| h.score);
    match (e.score, before) {
        (Some(now), Some(then)) if now.is_finite() && then.is_finite() => {
            let d = now - then;
            if d.abs() < 0.05 {
                "±0.0分".to_string()
            } else if d > 0.0 {
                format!("+{d:.1}分")
            } else {
                format!("−{:.1}分", -d)
            }
        }
        _ => "—".to_string(),
    }
}
