//! The publisher: the office's monthly assessment sheets in, a signed ranking
//! feed out (issue 26). It sits beside the screens' flow and talks to them
//! only through the feed contract: what it writes is a document
//! [`crate::feed::parse`] accepts with nothing dropped, signed as `feed
//! sign` signs.
//!
//! - [`scheme`]: `assessment.toml`, the areas, standards, units, boards and
//!   award rules the office owns.
//! - [`sheet`]: xlsx, xls, ods and csv read into grids, within limits.
//! - [`scores`] and [`households`]: every cell checked against the scheme;
//!   every problem told at once, in Chinese, with its sheet, row and column.
//! - [`rank`]: totals, ranks with ties, award tiers.
//! - [`history`]: the months published, from which `previous_rank`,
//!   `history` and the quarters come.
//! - [`mod@build`]: all of it into one document; [`mod@template`]: the sheet a
//!   clerk fills.

pub mod build;
pub mod history;
pub mod households;
pub mod month;
pub mod rank;
pub mod scheme;
pub mod scores;
pub mod sheet;
pub mod template;
mod units;

pub use build::{build, Built};
pub use history::{History, MonthRecord};
pub use month::Month;
pub use scheme::Scheme;

use std::fmt;

/// One thing wrong with the sheets, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file and sheet (`2026-11.xlsx「村」`); empty for the month as a whole.
    pub sheet: String,
    /// The row, 1-based as the spreadsheet numbers it.
    pub row: Option<usize>,
    /// The column, 0-based (shown as its letters).
    pub col: Option<usize>,
    /// What is wrong, in Chinese.
    pub text: String,
}

impl Problem {
    /// A problem at a cell.
    pub fn at(sheet: &str, row: usize, col: usize, text: impl Into<String>) -> Problem {
        Problem {
            sheet: sheet.to_string(),
            row: Some(row + 1),
            col: Some(col),
            text: text.into(),
        }
    }

    /// A problem of a whole sheet (or, with an empty name, of the month).
    pub fn of(sheet: &str, text: impl Into<String>) -> Problem {
        Problem {
            sheet: sheet.to_string(),
            row: None,
            col: None,
            text: text.into(),
        }
    }

    /// `F`: the column's letters, if the problem has a column.
    pub fn column(&self) -> Option<String> {
        self.col.map(sheet::column_letters)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.sheet.is_empty() {
            write!(f, "{} ", self.sheet)?;
        }
        match (self.row, self.column()) {
            (Some(r), Some(c)) => write!(f, "第 {r} 行 {c} 列：{}", self.text),
            (Some(r), None) => write!(f, "第 {r} 行：{}", self.text),
            _ => write!(f, "{}", self.text),
        }
    }
}
