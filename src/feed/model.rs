//! The validated document. Every field here has passed the contract's rules.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::BTreeMap;

/// A validated feed document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Feed {
    /// When the service made the document, in the offset it used; the footer shows it as 数据更新于.
    pub generated_at: DateTime<FixedOffset>,
    /// Who publishes the data, shown in the footer; `None` when the document names no one.
    pub issuer: Option<String>,
    /// The period the data covers, shown in every header.
    pub period: Period,
    /// The leaderboards, in document order, invalid ones already dropped.
    pub boards: Vec<Board>,
    /// The red and black lists, in document order, invalid ones already dropped.
    pub lists: Vec<RankList>,
    /// The announcements, in document order, whether or not their windows are open now.
    pub notices: Vec<Notice>,
}

/// The period the data covers; `label` is what the screen shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Period {
    /// The service's non-empty identifier for the period, e.g. `2026-11`.
    pub id: String,
    /// The non-empty text the screen shows for the period, e.g. 2026年11月.
    pub label: String,
    /// Whether the period is a month, a quarter or a year.
    pub kind: PeriodKind,
}

/// How long a period is, from the contract's `kind` (`month`, `quarter` or `year`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A quarter of a year.
    Quarter,
    /// A whole year.
    Year,
}

/// What a board ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Townships (乡镇) ranked against each other.
    Township,
    /// Villages ranked against each other; an entry's `parent` names its township.
    Village,
    /// Households ranked against each other.
    Household,
}

/// A sub-score column of a board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    /// The key that names this column in an entry's `scores`.
    pub key: String,
    /// The column heading the screen shows.
    pub label: String,
    /// Full marks of this sub-score (Amendment 2), e.g. 20; `None` when not sent.
    pub max: Option<f64>,
}

/// One tier of a board's awards (Amendment 2), in the board's order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Award {
    /// The tier as entries carry it in `grade`, e.g. 标兵村.
    pub grade: String,
    /// How many units earned it.
    pub count: u32,
    /// What it brings, e.g. 奖补20万元; `None` when not sent.
    pub reward: Option<String>,
}

/// A unit's rank and score in an earlier period of the same board (Amendment 2).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// The period's id, like the document's (`2026-10`, `2026-Q3`).
    pub period: String,
    /// The rank then, 1 or more.
    pub rank: u32,
    /// The score then; `None` when the service sent none.
    pub score: Option<f64>,
}

/// Who answers for a unit under 五包五责 (Amendment 2).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Responsible {
    /// The role, e.g. 包保市级领导 or 包保部门.
    pub role: String,
    /// The person or department.
    pub name: String,
}

/// A leaderboard. Entries are kept in rank order, ties in document order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Board {
    /// The board's identifier, `[a-z0-9_-]{1,64}` and unique in the whole document; a playlist item
    /// names a board by it.
    pub id: String,
    /// The heading the screen shows for the board.
    pub title: String,
    /// Whether the board ranks townships, villages or households.
    pub level: Level,
    /// A grouping shown after the period in the subtitle (e.g. 乡镇), which a playlist `select` can
    /// match; `None` when the board has none.
    pub group: Option<String>,
    /// The sub-score columns, in display order; empty when the board shows the total score only.
    pub columns: Vec<Column>,
    /// The ranked entries: rank order, equal ranks in document order.
    pub entries: Vec<BoardEntry>,
    /// The tiers of the board's awards, in order (Amendment 2); empty when not sent.
    pub awards: Vec<Award>,
}

/// One ranked township, village or household of a board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoardEntry {
    /// The rank in this period, 1 or more; equal ranks are ties.
    pub rank: u32,
    /// The name of the township, village or household.
    pub name: String,
    /// The total score; `None` (shown as —) when the service sent none or not a number.
    pub score: Option<f64>,
    /// The rank in the previous period, 1 or more; `None` for a newcomer (shown as 新).
    pub previous_rank: Option<u32>,
    /// The grade the service gave (e.g. 一类, 先进村), shown as a badge; `None` when there is none.
    pub grade: Option<String>,
    /// The township a village belongs to; `None` when the service sent none.
    pub parent: Option<String>,
    /// Sub-scores by column key; a column with no value here shows —.
    pub scores: BTreeMap<String, f64>,
    /// A free-text remark from the service; not shown on screen.
    pub note: Option<String>,
    /// Earlier periods, oldest first, at most the newest 36 (Amendment 2).
    pub history: Vec<HistoryPoint>,
    /// Who answers for the unit, at most 8 (Amendment 2).
    pub responsible: Vec<Responsible>,
}

/// How a rank moved since the last period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Up that many places (a smaller rank number than before), shown as ↑n.
    Up(u32),
    /// Down that many places, shown as ↓n.
    Down(u32),
    /// The same rank as before, shown as —.
    Same,
    /// No previous rank, shown as 新.
    New,
}

impl BoardEntry {
    /// The rank change shown beside the entry: from `previous_rank`, else
    /// from the last history point (Amendment 2); neither means new.
    pub fn change(&self) -> Change {
        let before = self.previous_rank.or_else(|| self.history.last().map(|h| h.rank));
        match before {
            None => Change::New,
            Some(p) if p > self.rank => Change::Up(p - self.rank),
            Some(p) if p < self.rank => Change::Down(self.rank - p),
            Some(_) => Change::Same,
        }
    }
}

/// Praise (红榜) or censure (黑榜).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// The red list (红榜), for praise.
    Red,
    /// The black list (黑榜), for censure; names on it are masked on screen by default.
    Black,
}

/// A red or black list of households or units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankList {
    /// The list's identifier, `[a-z0-9_-]{1,64}` and unique in the whole document; a playlist item
    /// names a list by it.
    pub id: String,
    /// Whether this is a red or a black list.
    pub kind: ListKind,
    /// The heading the screen shows for the list.
    pub title: String,
    /// The entries, in document order; a long list is paged, never cut.
    pub entries: Vec<ListEntry>,
}

/// One household or unit on a red or black list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListEntry {
    /// The name, as the service sends it (personal names arrive masked, e.g. 王*华).
    pub name: String,
    /// Where the household or unit is (e.g. 桦树镇 苇川沟村); `None` when the service sent none.
    pub place: Option<String>,
    /// Why the entry is on the list; `None` when the service sent no reason.
    pub reason: Option<String>,
}

/// A free-text announcement, shown only inside its optional window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Notice {
    /// The notice's identifier, `[a-z0-9_-]{1,64}` and unique in the whole document; a playlist item
    /// names a notice by it.
    pub id: String,
    /// The heading the screen shows for the notice.
    pub title: String,
    /// The text of the notice; the only string in the feed that keeps its line breaks.
    pub body: String,
    /// The first instant the notice may be shown (inclusive); `None`: shown from the start.
    pub from: Option<DateTime<FixedOffset>>,
    /// The instant from which the notice is no longer shown (exclusive); `None`: shown with no end.
    pub until: Option<DateTime<FixedOffset>>,
}

impl Notice {
    /// Whether the notice may be shown at `at`: `from` inclusive, `until` exclusive.
    pub fn is_active(&self, at: DateTime<FixedOffset>) -> bool {
        self.from.is_none_or(|f| at >= f) && self.until.is_none_or(|u| at < u)
    }
}
