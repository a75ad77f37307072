//! Layout: a pure function from a slide page, the data, the screen profile,
//! the theme and the time to a [`Scene`]. It measures text with cosmic-text on
//! the CPU and never touches the GPU.

#![deny(missing_docs)]

mod banner;
mod board;
mod chrome;
mod idle;
mod list;
mod notice;
mod pages;
mod painter;
pub mod profile;
mod split;
pub mod theme;
mod ticker;
mod views;

pub use banner::{banner_rect, banner_text, with_banner};
pub use board::{dropped, Dropped};
pub use chrome::body_rect;
pub use idle::idle;
pub use list::mask_name;
pub use pages::{
    list_columns, paginate, paginate_all, paginate_rows, rows_per_page, split, PageRef, SlideRef,
};
pub use profile::{Metrics, ProfileError, ScreenProfile, Shape};
pub use theme::Theme;
pub use ticker::{ticker, ticker_size, ticker_text, travel};
pub use views::{has_view_data, movers, paginate_view, period_label, rank_y};

use crate::feed::Feed;
use crate::scene::Scene;
use crate::text::Fonts;
use chrono::{DateTime, FixedOffset};
use painter::Painter;

/// Everything a page's layout depends on besides the page itself.
pub struct Context<'a> {
    /// The data the page belongs to (its boards, lists and notices by index).
    pub feed: &'a Feed,
    /// The screen being laid out for: its size, shape, margin and minimum text.
    pub profile: &'a ScreenProfile,
    /// The colours.
    pub theme: &'a Theme,
    /// The instant shown, for notices' windows and staleness.
    pub now: DateTime<FixedOffset>,
    /// Data older than this at `now` carries the stale marker on every slide.
    pub stale_after: Option<chrono::Duration>,
    /// Mask personal names on lists (王*华); `None`: black lists masked, red not.
    pub mask_names: Option<bool>,
}

impl Context<'_> {
    /// Whether the data is older than the staleness limit.
    pub fn is_stale(&self) -> bool {
        self.stale_after
            .is_some_and(|limit| self.now - self.feed.generated_at > limit)
    }
}

/// Lays out one page. A page that does not belong to `ctx.feed` yields the
/// slide's chrome with an empty body rather than a panic.
pub fn layout_page(fonts: &mut Fonts, ctx: &Context, page: &PageRef) -> Scene {
    let mut painter = Painter::new(fonts, ctx.profile);
    match page.slide {
        SlideRef::Board(i) => match ctx.feed.boards.get(i) {
            Some(b) => board::layout(&mut painter, ctx, b, page),
            None => chrome::missing(&mut painter, ctx, page),
        },
        SlideRef::List(i) => match ctx.feed.lists.get(i) {
            Some(l) => list::layout(&mut painter, ctx, l, page),
            None => chrome::missing(&mut painter, ctx, page),
        },
        SlideRef::View(i, view) => match ctx.feed.boards.get(i) {
            Some(b) => views::layout(&mut painter, ctx, b, view, page),
            None => chrome::missing(&mut painter, ctx, page),
        },
        SlideRef::Notice(i) => match ctx.feed.notices.get(i) {
            Some(n) => notice::layout(&mut painter, ctx, n, page),
            None => chrome::missing(&mut painter, ctx, page),
        },
    }
    painter.finish()
}
