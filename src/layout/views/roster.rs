//! 包保责任: each unit with who answers for it under 五包五责 (its roles and
//! names), next to its rank and grade.

use super::table::{self, Col, Text};
use super::{row_metrics, unit_label};
use crate::feed::{Board, BoardEntry};
use crate::layout::painter::Painter;
use crate::layout::profile::{ScreenProfile, Shape};
use crate::layout::Context;
use crate::scene::{Align, Rect, Weight};
use crate::slide::PageRef;

/// The entries that name someone responsible, in rank order.
fn units(board: &Board) -> Vec<&BoardEntry> {
    board
        .entries
        .iter()
        .filter(|e| !e.responsible.is_empty())
        .collect()
}

/// (units, units per page): a table's rows; a roster too long for its
/// row at the minimum text size wraps where the row has room.
pub(super) fn paging(board: &Board, profile: &ScreenProfile) -> (usize, usize) {
    let n = units(board).len();
    match profile.shape {
        Shape::Strip => (n, 1),
        _ => (n, crate::layout::pages::rows_per_page(profile)),
    }
}

/// "包保市级领导：赵某　包保部门：市交通运输局".
fn roster_text(e: &BoardEntry) -> String {
    (e.responsible.iter())
        .map(|r| format!("{}：{}", r.role, r.name))
        .collect::<Vec<_>>()
        .join("　")
}

pub(super) fn layout(p: &mut Painter, ctx: &Context, board: &Board, page: &PageRef, body: Rect) -> bool {
    let all = units(board);
    let shown = all.get(page.rows.clone()).unwrap_or(&[]);
    if shown.is_empty() {
        return false;
    }
    let pal = &ctx.theme.normal;
    let strip = ctx.profile.shape == Shape::Strip;
    let m = row_metrics(ctx, body, super::fullest(all.len(), page), true);
    let t = m.row_size;
    let grades = shown.iter().any(|e| e.grade.is_some());
    // On a strip the roster is the longest text of the line: the rest shrinks.
    let (rank, name, grade, scale) = if strip {
        (1.2, 3.6, 2.0, 0.7)
    } else {
        (1.8, 5.2, 2.8, 1.0)
    };
    let mut cols = vec![
        Col::new("排名", rank, Align::Center, Weight::Bold, 0.9 * scale),
        Col::new(unit_label(board.level), name, Align::Left, Weight::Bold, scale),
    ];
    if grades {
        cols.push(Col::new("等级", grade, Align::Center, Weight::Bold, 0.62));
    }
    let mut roles = Col::new("包保责任（五包五责）", 0.0, Align::Left, Weight::Regular, 0.8);
    roles.two_lines = true;
    cols.push(roles);
    let placed = table::place(&cols, body, super::base_text(ctx));
    let cells: Vec<Vec<Text>> = shown
        .iter()
        .map(|e| {
            let mut row = table::rank_and_name(e, pal);
            if grades {
                row.push(None);
            }
            row.push(Some((roster_text(e), pal.text)));
            row
        })
        .collect();
    let (top, row_h) = table::table(p, pal, (&cols, &placed), (&m, strip), &cells, body);
    if grades {
        let at = placed[2];
        for (i, e) in shown.iter().enumerate() {
            let Some(grade) = &e.grade else { continue };
            let badge = ctx.theme.grade_badge(grade);
            let bh = (row_h * 0.5)
                .min(t * 1.3)
                .max(p.min_text * 1.1)
                .min(row_h)
                .round();
            let y = top + i as f32 * row_h + ((row_h - bh) / 2.0).round();
            p.badge(
                grade,
                Rect::new(at.x, y, at.w, bh),
                bh * 0.62,
                badge.fill,
                badge.text,
            );
        }
    }
    true
}
