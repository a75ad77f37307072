//! 评比结果: the board's award tiers in order, each with its count and
//! reward, and the names that earned it, paged like a list.

use super::row_metrics;
use crate::feed::Board;
use crate::layout::painter::Painter;
use crate::layout::profile::{Metrics, ScreenProfile};
use crate::layout::Context;
use crate::scene::{Align, Rect, Weight};
use crate::slide::PageRef;

/// A name's cell on a line of names, in row-text units.
const NAME_CELL: f32 = 5.6;

/// One line of the slide.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Line {
    /// The tier at this index of `awards`: its badge, count and reward.
    Tier(usize),
    /// Names earning the tier: indices into the board's entries.
    Names(usize, Vec<usize>),
}

/// How many names one line holds on `profile`.
fn per_line(profile: &ScreenProfile) -> usize {
    let body = crate::layout::chrome::body_rect(profile);
    let t = Metrics::for_profile(profile).row_size;
    ((body.w / (NAME_CELL * t)).floor() as usize).max(1)
}

/// Every line of the slide on `profile`: each tier, then its names.
pub(super) fn lines(board: &Board, profile: &ScreenProfile) -> Vec<Line> {
    let across = per_line(profile);
    let mut out = Vec::new();
    for (k, award) in board.awards.iter().enumerate() {
        out.push(Line::Tier(k));
        let names: Vec<usize> = (board.entries.iter().enumerate())
            .filter(|(_, e)| e.grade.as_deref() == Some(award.grade.as_str()))
            .map(|(i, _)| i)
            .collect();
        out.extend(names.chunks(across).map(|c| Line::Names(k, c.to_vec())));
    }
    out
}

pub(super) fn layout(p: &mut Painter, ctx: &Context, board: &Board, page: &PageRef, body: Rect) -> bool {
    let all = lines(board, ctx.profile);
    let shown = all.get(page.rows.clone()).unwrap_or(&[]);
    if shown.is_empty() {
        return false;
    }
    let pal = &ctx.theme.normal;
    let m = row_metrics(ctx, body, super::fullest(all.len(), page), false);
    let row_h = if ctx.profile.shape == crate::layout::Shape::Strip {
        body.h
    } else {
        m.row_h
    };
    let t = m.row_size;
    let across = per_line(ctx.profile);
    let cell_w = (body.w / across as f32).floor();
    // Every name on the page in one size.
    let names = shown.iter().flat_map(|l| match l {
        Line::Names(_, v) => v.clone(),
        Line::Tier(_) => Vec::new(),
    });
    let texts: Vec<String> = names.map(|i| board.entries[i].name.clone()).collect();
    let name_size = p.column_size(
        texts.iter().map(String::as_str),
        cell_w - t * 0.4,
        row_h,
        t,
        Weight::Regular,
    );
    for (i, line) in shown.iter().enumerate() {
        let r = Rect::new(body.x, body.y + i as f32 * row_h, body.w, row_h);
        match line {
            Line::Tier(k) => tier(p, ctx, board, *k, r, t),
            Line::Names(_, v) => {
                for (j, &e) in v.iter().enumerate() {
                    let cell = Rect::new(r.x + j as f32 * cell_w, r.y, cell_w - t * 0.4, r.h);
                    p.cell(
                        &board.entries[e].name,
                        cell,
                        name_size,
                        Weight::Regular,
                        Align::Left,
                        pal.text,
                    );
                }
            }
        }
    }
    true
}

/// The tier's line: its badge, then 5个 · 年度奖补20万元.
fn tier(p: &mut Painter, ctx: &Context, board: &Board, k: usize, r: Rect, t: f32) {
    let Some(award) = board.awards.get(k) else {
        return;
    };
    let pal = &ctx.theme.normal;
    let badge = ctx.theme.grade_badge(&award.grade);
    let bh = (r.h * 0.74).min(t * 1.5).max(p.min_text * 1.1).min(r.h).round();
    let bw = (4.2 * t).round().min(r.w * 0.4);
    let b = Rect::new(r.x, r.y + ((r.h - bh) / 2.0).round(), bw, bh);
    p.badge(&award.grade, b, bh * 0.62, badge.fill, badge.text);
    let text = match &award.reward {
        Some(reward) => format!("{}个 · {reward}", award.count),
        None => format!("{}个", award.count),
    };
    let gap = (0.6 * t).round();
    let rest = Rect::new(r.x + bw + gap, r.y, r.w - bw - gap, r.h);
    p.line(&text, rest, t, Weight::Bold, Align::Left, pal.title);
}
