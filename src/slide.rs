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
    /// A 比学赶超 view of the board at this index (contract Amendment 2).
    View(usize, BoardView),
}

/// The ways a board is shown besides its table (`select = { view = … }`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoardView {
    /// 进步最快: the units with the largest rank gain.
    Improved,
    /// 退步较大: the units with the largest rank fall.
    Declined,
    /// 排名走势: each unit's rank over the earlier periods.
    Trend,
    /// 分项得分: each unit's sub-scores against full marks.
    Scores,
    /// 评比结果: the award tiers with their counts, rewards and names.
    Awards,
    /// 包保责任: who answers for each unit under 五包五责.
    Roster,
}

impl BoardView {
    /// Every view, in the order the demo shows them.
    pub const ALL: [BoardView; 6] = [
        BoardView::Improved,
        BoardView::Declined,
        BoardView::Trend,
        BoardView::Scores,
        BoardView::Awards,
        BoardView::Roster,
    ];

    /// The word a playlist uses for it (`view = "scores"`).
    pub fn word(self) -> &'static str {
        match self {
            BoardView::Improved => "improved",
            BoardView::Declined => "declined",
            BoardView::Trend => "trend",
            BoardView::Scores => "scores",
            BoardView::Awards => "awards",
            BoardView::Roster => "roster",
        }
    }

    /// The view a playlist word names.
    pub fn from_word(word: &str) -> Option<BoardView> {
        BoardView::ALL.into_iter().find(|v| v.word() == word)
    }

    /// The slide's name on the wall and in the console.
    pub fn title(self) -> &'static str {
        match self {
            BoardView::Improved => "进步最快",
            BoardView::Declined => "退步较大",
            BoardView::Trend => "排名走势",
            BoardView::Scores => "分项得分",
            BoardView::Awards => "评比结果",
            BoardView::Roster => "包保责任",
        }
    }
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
            SlideRef::View(_, view) => view.word(),
        };
        format!("{kind}-{}-p{}of{}", self.id, self.index + 1, self.count)
    }
}
