//! The 比学赶超 slides (contract Amendment 2): a board shown as its most
//! improved units, its rank trend, its sub-scores, its awards or its
//! 五包五责 roster rather than as a table. Like every slide they are a pure
//! function of the page, the data, the screen and the time, and their
//! charts are quads and strokes of the [`Scene`](crate::scene::Scene).

mod awards;
mod improved;
mod roster;
mod scores;
mod spark;
mod table;
mod trend;

pub use improved::movers;
pub use trend::rank_y;

use super::chrome::{self, Heading};
use super::pages::{rows_per_page, split};
use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile, Shape};
use super::Context;
use crate::feed::{Board, Feed, Level};
use crate::scene::Rect;
use crate::slide::{BoardView, PageRef, SlideRef};

/// The pages of `view` of the board at `index`: none when the board lacks
/// what the view shows (no history for a trend, no columns for sub-scores,
/// no awards, no one responsible, nobody moved).
pub fn paginate_view(feed: &Feed, profile: &ScreenProfile, index: usize, view: BoardView) -> Vec<PageRef> {
    let Some(board) = feed.boards.get(index) else {
        return Vec::new();
    };
    let strip = profile.shape == Shape::Strip;
    let (n, per_page) = match view {
        BoardView::Improved | BoardView::Declined => {
            let n = improved::shown(board, profile, view == BoardView::Declined);
            (n, if strip { 1 } else { n.max(1) })
        }
        BoardView::Trend => trend::paging(board, profile),
        BoardView::Scores => scores::paging(board, profile),
        BoardView::Awards => (awards::lines(board, profile).len(), rows_per_page(profile)),
        BoardView::Roster => roster::paging(board, profile),
    };
    let ranges = split(n, per_page.max(1));
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(page, rows)| PageRef {
            slide: SlideRef::View(index, view),
            id: board.id.clone(),
            index: page,
            count,
            rows,
            per_column: per_page,
        })
        .collect()
}

/// Whether `board` has what `view` shows (on any screen): history for a
/// trend, columns for sub-scores, awards, someone responsible, a mover.
pub fn has_view_data(board: &Board, view: BoardView) -> bool {
    match view {
        BoardView::Improved => !improved::movers(board, false).is_empty(),
        BoardView::Declined => !improved::movers(board, true).is_empty(),
        BoardView::Trend => board.entries.iter().any(|e| !e.history.is_empty()),
        BoardView::Scores => !board.columns.is_empty() && !board.entries.is_empty(),
        BoardView::Awards => !board.awards.is_empty(),
        BoardView::Roster => board.entries.iter().any(|e| !e.responsible.is_empty()),
    }
}

/// Lays out one page of a view of `board`.
pub(crate) fn layout(p: &mut Painter, ctx: &Context, board: &Board, view: BoardView, page: &PageRef) {
    let pal = &ctx.theme.normal;
    let mut subtitle = chrome::subtitle(ctx, &board.title, board.group.as_deref());
    subtitle = [board.title.as_str(), subtitle.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    if view == BoardView::Scores {
        subtitle.push_str(" · 白线为平均分");
    }
    let heading = Heading {
        title: view.title(),
        subtitle,
    };
    let body = chrome::frame(p, ctx, page, &heading, pal);
    let drawn = match view {
        BoardView::Improved => improved::layout(p, ctx, board, page, body, false),
        BoardView::Declined => improved::layout(p, ctx, board, page, body, true),
        BoardView::Trend => trend::layout(p, ctx, board, page, body),
        BoardView::Scores => scores::layout(p, ctx, board, page, body),
        BoardView::Awards => awards::layout(p, ctx, board, page, body),
        BoardView::Roster => roster::layout(p, ctx, board, page, body),
    };
    if !drawn {
        let size = Metrics::for_profile(ctx.profile).row_size;
        chrome::body_message(p, body, "暂无数据", size, pal);
    }
}

/// How a period id reads on a chart's axis: `2026-07` as 7月, `2026-Q3` as
/// 三季度, `2025` as 2025年; anything else as it is.
pub fn period_label(id: &str) -> String {
    const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];
    let mut parts = id.split('-');
    let (year, rest) = (parts.next().unwrap_or(""), parts.next());
    let year_ok = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit());
    match rest {
        None if year_ok => format!("{year}年"),
        Some(m) if year_ok && parts.next().is_none() => match (m.parse::<u32>(), m.strip_prefix('Q')) {
            (Ok(month @ 1..=12), _) => format!("{month}月"),
            (_, Some(q)) => match q.parse::<usize>() {
                Ok(q @ 1..=4) => QUARTERS[q - 1].to_string(),
                _ => id.to_string(),
            },
            _ => id.to_string(),
        },
        _ => id.to_string(),
    }
}

/// What the name column of a board's units is called.
pub(super) fn unit_label(level: Level) -> &'static str {
    match level {
        Level::Township => "单位",
        Level::Village => "村",
        Level::Household => "农户",
    }
}

/// The rank a unit had before this period: the previous rank, else the
/// last history point's.
pub(super) fn rank_before(e: &crate::feed::BoardEntry) -> Option<u32> {
    e.previous_rank.or_else(|| e.history.last().map(|h| h.rank))
}

/// The screen's base row text size: column widths are in its units, so
/// that a short table whose rows grow keeps its columns' proportions.
pub(super) fn base_text(ctx: &Context) -> f32 {
    Metrics::for_profile(ctx.profile).row_size
}

/// The rows of the fullest page of a slide of `n` rows paged as `page` is:
/// every page is laid out with as many, so sizes stay from page to page.
pub(super) fn fullest(n: usize, page: &PageRef) -> usize {
    n.div_ceil(page.count.max(1)).max(1)
}

/// The row metrics of a body showing `rows` rows (under a heading row when
/// `headed`): grown to fill it, as a board's are.
pub(super) fn row_metrics(ctx: &Context, body: Rect, rows: usize, headed: bool) -> Metrics {
    let m = Metrics::for_profile(ctx.profile);
    if ctx.profile.shape == Shape::Strip {
        return m;
    }
    let room = if headed { body.h } else { body.h + m.head_h };
    m.grown(room, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_months_quarters_and_years() {
        assert_eq!(period_label("2026-07"), "7月");
        assert_eq!(period_label("2026-12"), "12月");
        assert_eq!(period_label("2026-Q3"), "三季度");
        assert_eq!(period_label("2025"), "2025年");
        assert_eq!(period_label("2026-13"), "2026-13");
        assert_eq!(period_label("autumn"), "autumn");
    }
}
