//! Rank lines: a unit's ranks over the periods as a polyline, rank 1 at the
//! top. The bump chart and the sparklines of a larger board draw with it.

use crate::feed::BoardEntry;
use crate::layout::theme::Theme;
use crate::scene::{Rect, Rgba, Scene};

/// A unit's rank in each of `periods` (the last is this period): `None`
/// where its history has no point for that period.
pub(super) fn ranks_over(e: &BoardEntry, periods: &[String], current: &str) -> Vec<Option<u32>> {
    periods
        .iter()
        .map(|p| {
            if p == current {
                return Some(e.rank);
            }
            e.history.iter().find(|h| &h.period == p).map(|h| h.rank)
        })
        .collect()
}

/// The periods a chart runs over, oldest first: those of the units'
/// histories (the newest `keep` of them) and then this period.
pub(super) fn periods<'a>(
    units: impl Iterator<Item = &'a BoardEntry>,
    current: &str,
    keep: usize,
) -> Vec<String> {
    let mut all: Vec<String> = units
        .flat_map(|e| e.history.iter().map(|h| h.period.clone()))
        .filter(|p| p != current)
        .collect();
    all.sort();
    all.dedup();
    let skip = all.len().saturating_sub(keep);
    let mut out: Vec<String> = all.into_iter().skip(skip).collect();
    out.push(current.to_string());
    out
}

/// The y of `rank` in a plot from `top`, `h` high, where rank 1 is at the
/// top edge and `max_rank` at the bottom edge.
pub fn rank_y(rank: u32, max_rank: u32, top: f32, h: f32) -> f32 {
    if max_rank <= 1 {
        return top + h / 2.0;
    }
    let share = (rank.clamp(1, max_rank) - 1) as f32 / (max_rank - 1) as f32;
    top + share * h
}

/// The x of the `k`th of `n` periods across `plot`.
pub(super) fn period_x(k: usize, n: usize, plot: Rect) -> f32 {
    if n <= 1 {
        return plot.x + plot.w / 2.0;
    }
    plot.x + plot.w * k as f32 / (n - 1) as f32
}

/// The colour of a unit's line: red when it rose over the chart's span
/// (as on Chinese boards), green when it fell, the plain line colour else.
pub(super) fn trend_color(theme: &Theme, ranks: &[Option<u32>]) -> Rgba {
    let first = ranks.iter().flatten().next();
    let last = ranks.iter().flatten().last();
    match (first, last) {
        (Some(a), Some(b)) if b < a => theme.up,
        (Some(a), Some(b)) if b > a => theme.down,
        _ => theme.chart.line,
    }
}

/// The polyline of `ranks` in `plot` (rank 1 at its top, `max_rank` at
/// its bottom), broken where a period has no point, with a dot on the last
/// point. Returns the points drawn.
pub(super) fn draw(
    scene: &mut Scene,
    ranks: &[Option<u32>],
    max_rank: u32,
    plot: Rect,
    (width, color): (f32, Rgba),
) -> Vec<(f32, f32)> {
    let n = ranks.len();
    let at = |k: usize, r: u32| (period_x(k, n, plot), rank_y(r, max_rank, plot.y, plot.h));
    let points: Vec<Option<(f32, f32)>> = ranks
        .iter()
        .enumerate()
        .map(|(k, r)| r.map(|r| at(k, r)))
        .collect();
    for pair in points.windows(2) {
        if let [Some(a), Some(b)] = pair {
            scene.stroke(*a, *b, width, color);
        }
    }
    if let Some(Some(last)) = points.last() {
        scene.stroke(*last, *last, width * 2.2, color);
    }
    points.into_iter().flatten().collect()
}
