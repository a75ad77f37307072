//! Splitting slides into pages, deterministically, dropping nothing.

use super::profile::{Metrics, ScreenProfile, Shape};
use crate::feed::{Feed, ListKind};
use crate::text::Fonts;
use chrono::{DateTime, FixedOffset};

pub use super::split::split;
pub use crate::slide::{PageRef, SlideRef};

/// How many entries one page of a table holds on this screen.
pub fn rows_per_page(profile: &ScreenProfile) -> usize {
    let m = Metrics::for_profile(profile);
    if profile.shape == Shape::Strip {
        return 1;
    }
    let body = profile.height as f32 - 2.0 * profile.margin - m.header_h - m.footer_h - m.head_h;
    ((body / m.row_h).floor() as usize).max(1)
}

/// How many side-by-side columns a red or black list uses: two where the
/// screen is wide enough for two full tables, else one.
pub fn list_columns(profile: &ScreenProfile) -> usize {
    if profile.shape == Shape::Strip {
        return 1;
    }
    let m = Metrics::for_profile(profile);
    let body_w = profile.width as f32 - 2.0 * profile.margin;
    if body_w >= 2.0 * LIST_MIN_WIDTH * m.row_size {
        2
    } else {
        1
    }
}

/// The narrowest list table, in units of the row text size.
pub const LIST_MIN_WIDTH: f32 = 19.0;

/// Every page of every slide in feed order: boards, then lists (red before
/// black, as in the document), then the notices active at `at`. A notice's
/// pages are whole lines of its body at the screen's notice text size.
pub fn paginate(
    fonts: &mut Fonts,
    feed: &Feed,
    profile: &ScreenProfile,
    at: DateTime<FixedOffset>,
) -> Vec<PageRef> {
    let mut pages = paginate_all(fonts, feed, profile);
    pages.retain(|p| match p.slide {
        SlideRef::Notice(i) => feed.notices.get(i).is_some_and(|n| n.is_active(at)),
        _ => true,
    });
    pages
}

/// The pages of a board or list with at most `rows` table rows per column
/// (fewer than fit, for an item that asks for them).
pub fn paginate_rows(feed: &Feed, profile: &ScreenProfile, slide: SlideRef, rows: usize) -> Vec<PageRef> {
    let per_column = rows.clamp(1, rows_per_page(profile));
    let (id, n, columns) = match slide {
        SlideRef::Board(i) => match feed.boards.get(i) {
            Some(b) => (b.id.clone(), b.entries.len(), 1),
            None => return Vec::new(),
        },
        SlideRef::List(i) => match feed.lists.get(i) {
            Some(l) => (l.id.clone(), l.entries.len(), list_columns(profile)),
            None => return Vec::new(),
        },
        SlideRef::Notice(_) => return Vec::new(),
        SlideRef::View(i, view) => return super::views::paginate_view(feed, profile, i, view),
    };
    let ranges = split(n, per_column * columns);
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(index, rows)| PageRef {
            slide,
            id: id.clone(),
            index,
            count,
            rows,
            per_column,
        })
        .collect()
}

/// Like [`paginate`], but with every notice, whatever its window.
pub fn paginate_all(fonts: &mut Fonts, feed: &Feed, profile: &ScreenProfile) -> Vec<PageRef> {
    let cap = rows_per_page(profile);
    let mut pages = Vec::new();
    let mut push = |slide, id: &str, n, page_cap| {
        let ranges = split(n, page_cap);
        let count = ranges.len();
        for (index, rows) in ranges.into_iter().enumerate() {
            pages.push(PageRef {
                slide,
                id: id.to_string(),
                index,
                count,
                rows,
                per_column: cap,
            });
        }
    };
    for (i, b) in feed.boards.iter().enumerate() {
        push(SlideRef::Board(i), &b.id, b.entries.len(), cap);
    }
    let list_cap = cap * list_columns(profile);
    for kind in [ListKind::Red, ListKind::Black] {
        for (i, l) in feed.lists.iter().enumerate().filter(|(_, l)| l.kind == kind) {
            push(SlideRef::List(i), &l.id, l.entries.len(), list_cap);
        }
    }
    for (i, n) in feed.notices.iter().enumerate() {
        let ranges = super::notice::pages(fonts, n, profile);
        let count = ranges.len();
        for (index, rows) in ranges.into_iter().enumerate() {
            pages.push(PageRef {
                slide: SlideRef::Notice(i),
                id: n.id.clone(),
                index,
                count,
                rows,
                per_column: cap,
            });
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_covers_every_row_once_and_balances() {
        for n in 0..200 {
            for cap in 1..25 {
                let pages = split(n, cap);
                let mut next = 0;
                for r in &pages {
                    assert_eq!(r.start, next);
                    assert!(r.len() <= cap);
                    next = r.end;
                }
                assert_eq!(next, n);
                let (min, max) = pages
                    .iter()
                    .fold((usize::MAX, 0), |(a, b), r| (a.min(r.len()), b.max(r.len())));
                assert!(max - min <= 1, "n={n} cap={cap}");
            }
        }
        assert_eq!(split(70, 9).len(), 8);
    }
}
