//! The validated document. Every field here has passed the contract's rules.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::BTreeMap;

/// A validated feed document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Feed {
    pub generated_at: DateTime<FixedOffset>,
    pub issuer: Option<String>,
    pub period: Period,
    pub boards: Vec<Board>,
    pub lists: Vec<RankList>,
    pub notices: Vec<Notice>,
}

/// The period the data covers; `label` is what the screen shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Period {
    pub id: String,
    pub label: String,
    pub kind: PeriodKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

/// What a board ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Township,
    Village,
    Household,
}

/// A sub-score column of a board.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    pub key: String,
    pub label: String,
}

/// A leaderboard. Entries are kept in rank order, ties in document order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Board {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub group: Option<String>,
    pub columns: Vec<Column>,
    pub entries: Vec<BoardEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoardEntry {
    pub rank: u32,
    pub name: String,
    pub score: Option<f64>,
    pub previous_rank: Option<u32>,
    pub grade: Option<String>,
    pub parent: Option<String>,
    pub scores: BTreeMap<String, f64>,
    pub note: Option<String>,
}

/// How a rank moved since the last period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Up(u32),
    Down(u32),
    Same,
    New,
}

impl BoardEntry {
    /// The rank change shown beside the entry: no previous rank means new.
    pub fn change(&self) -> Change {
        match self.previous_rank {
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
    Red,
    Black,
}

/// A red or black list of households or units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankList {
    pub id: String,
    pub kind: ListKind,
    pub title: String,
    pub entries: Vec<ListEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListEntry {
    pub name: String,
    pub place: Option<String>,
    pub reason: Option<String>,
}

/// A free-text announcement, shown only inside its optional window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Notice {
    pub id: String,
    pub title: String,
    pub body: String,
    pub from: Option<DateTime<FixedOffset>>,
    pub until: Option<DateTime<FixedOffset>>,
}

impl Notice {
    /// Whether the notice may be shown at `at`: `from` inclusive, `until` exclusive.
    pub fn is_active(&self, at: DateTime<FixedOffset>) -> bool {
        self.from.is_none_or(|f| at >= f) && self.until.is_none_or(|u| at < u)
    }
}
