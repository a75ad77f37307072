//! Slides and their pages as plain references: which board, list or notice
//! of the feed, and which of its entries a page holds. A leaf shared by the
//! layout (which makes pages) and the schedule (which times them).

#![deny(missing_docs)]

use std::ops::Range;

/// A slide: one board, list or notice of the feed, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlideRef {
    /// The board at this index of the feed's `boards`.
    Board(usize),
    /// The list at this index of the feed's `lists`.
    List(usize),
    /// The notice at this index of the feed's `notices`.
    Notice(usize),
}

/// One page of one slide: which entries it shows and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRef {
    /// Which board, list or notice the page belongs to.
    pub slide: SlideRef,
    /// The id of the board, list or notice.
    pub id: String,
    /// Zero-based page number.
    pub index: usize,
    /// How many pages the slide has; the screen shows this page as `index + 1` of `count`.
    pub count: usize,
    /// The entries on this page.
    pub rows: Range<usize>,
    /// Table rows per column (a list's two tables fill one after the other).
    pub per_column: usize,
}

impl PageRef {
    /// A file-name stem that says slide and page, e.g. `board-towns-2026-11-p2of5`.
    pub fn file_stem(&self) -> String {
        let kind = match self.slide {
            SlideRef::Board(_) => "board",
            SlideRef::List(_) => "list",
            SlideRef::Notice(_) => "notice",
        };
        format!("{kind}-{}-p{}of{}", self.id, self.index + 1, self.count)
    }
}
