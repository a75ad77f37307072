//! The page table: every page of every playlist item for the data on show,
//! made with the layout and handed to the schedule as plain data.

use crate::config::{resolve, Content, Item, Resolved, Selector, Settings};
use crate::feed::Feed;
use crate::layout::{self, ScreenProfile, Shape};
use crate::schedule::{Pages, Planned};
use crate::slide::{BoardView, PageRef, SlideRef};
use crate::text::Fonts;

/// Every page of every item of `settings` over `feed` on `profile`.
pub fn page_table(fonts: &mut Fonts, settings: &Settings, feed: &Feed, profile: &ScreenProfile) -> Pages {
    let all = layout::paginate_all(fonts, feed, profile);
    let per_item = settings
        .playlist
        .iter()
        .map(|item| item_pages(fonts, item, feed, profile, &all))
        .collect();
    Pages::new(per_item)
}

fn item_pages(
    fonts: &mut Fonts,
    item: &Item,
    feed: &Feed,
    profile: &ScreenProfile,
    all: &[PageRef],
) -> Vec<Planned> {
    let resolved = resolve(&item.content, feed);
    let is_list = matches!(resolved, Resolved::Lists(_));
    // An operator's message runs along a strip as a marquee, as lists do.
    let is_message = matches!(&item.content, Content::Notice(id) if crate::config::is_message_id(id));
    let view = match &item.content {
        Content::Select(sel) => sel.view,
        _ => None,
    };
    let slides: Vec<SlideRef> = match resolved {
        Resolved::Boards(v) => match view {
            Some(view) => v.into_iter().map(|i| SlideRef::View(i, view)).collect(),
            None => v.into_iter().map(SlideRef::Board).collect(),
        },
        Resolved::Lists(v) => v.into_iter().map(SlideRef::List).collect(),
        Resolved::Notices(v) => v.into_iter().map(SlideRef::Notice).collect(),
    };
    if view.is_none()
        && item
            .scroll
            .unwrap_or((is_list || is_message) && profile.shape == Shape::Strip)
    {
        return marquee_pages(fonts, item, feed, profile, all, &slides);
    }
    let paged = |s: &SlideRef| -> Vec<PageRef> {
        match (item.rows, s) {
            (_, SlideRef::View(i, view)) => layout::paginate_view(feed, profile, *i, *view),
            (Some(r), SlideRef::Board(_) | SlideRef::List(_)) => layout::paginate_rows(feed, profile, *s, r),
            _ => all.iter().filter(|p| p.slide == *s).cloned().collect(),
        }
    };
    slides
        .iter()
        .flat_map(paged)
        .map(|page| Planned {
            page,
            marquee_millis: None,
        })
        .collect()
}

/// One page per slide, holding every entry, timed to pass once at the item's speed.
fn marquee_pages(
    fonts: &mut Fonts,
    item: &Item,
    feed: &Feed,
    profile: &ScreenProfile,
    all: &[PageRef],
    slides: &[SlideRef],
) -> Vec<Planned> {
    let speed = f64::from(item.scroll_speed.max(1));
    slides
        .iter()
        .filter_map(|s| {
            let first = all.iter().find(|p| p.slide == *s)?;
            let last = all.iter().rev().find(|p| p.slide == *s)?;
            let travel = layout::travel(fonts, feed, *s, profile, item.mask_names);
            Some(Planned {
                page: PageRef {
                    index: 0,
                    count: 1,
                    rows: first.rows.start..last.rows.end,
                    ..first.clone()
                },
                marquee_millis: Some((f64::from(travel) / speed * 1000.0).ceil() as i64),
            })
        })
        .collect()
}

/// A playlist that shows every slide of `feed` once, in the layout's order
/// (boards, lists, notices), each as pages, then one slide of each
/// 比学赶超 view (退步较大 aside, which is off unless asked for) of the
/// first board that has its data: what `rankwall render` without a config
/// draws.
pub fn every_slide(fonts: &mut Fonts, feed: &Feed, profile: &ScreenProfile) -> Vec<Item> {
    let mut slides: Vec<SlideRef> = Vec::new();
    for page in layout::paginate_all(fonts, feed, profile) {
        if !slides.contains(&page.slide) {
            slides.push(page.slide);
        }
    }
    let tables = slides.into_iter().filter_map(|s| {
        Some(match s {
            SlideRef::Board(i) => Content::Board(feed.boards.get(i)?.id.clone()),
            SlideRef::List(i) => Content::List(feed.lists.get(i)?.id.clone()),
            SlideRef::Notice(i) => Content::Notice(feed.notices.get(i)?.id.clone()),
            SlideRef::View(..) => return None,
        })
    });
    let views = BoardView::ALL
        .into_iter()
        .filter(|v| *v != BoardView::Declined)
        .filter_map(|view| {
            let board = (0..feed.boards.len())
                .find(|&i| !layout::paginate_view(feed, profile, i, view).is_empty())?;
            let b = &feed.boards[board];
            Some(Content::Select(Selector {
                level: Some(b.level),
                group: b.group.clone(),
                view: Some(view),
                ..Selector::default()
            }))
        });
    tables
        .chain(views)
        .map(|content| {
            let mut item = Item::showing(content);
            item.scroll = Some(false);
            item
        })
        .collect()
}
