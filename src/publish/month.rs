//! The month a sheet is for (`2026-11`), the one before it, and its quarter.

use std::fmt;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// `2026-11`, or `None` for anything else.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((1..=12).contains(&month) && year >= 2000).then_some(Month { year, month })
    }

    /// The month before.
    pub fn previous(self) -> Month {
        match self.month {
            1 => Month {
                year: self.year - 1,
                month: 12,
            },
            m => Month {
                year: self.year,
                month: m - 1,
            },
        }
    }

    /// `2026年11月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The quarter (1 to 4).
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// Whether this is the last month of its quarter (March, June, …).
    pub fn ends_quarter(self) -> bool {
        self.month % 3 == 0
    }

    /// The three months of this month's quarter, oldest first.
    pub fn quarter_months(self) -> [Month; 3] {
        let first = (self.quarter() - 1) * 3 + 1;
        [0, 1, 2].map(|k| Month {
            year: self.year,
            month: first + k,
        })
    }

    /// The quarter's id in the feed: `2026-Q4`.
    pub fn quarter_id(self) -> String {
        format!("{}-Q{}", self.year, self.quarter())
    }

    /// `2026年第四季度`.
    pub fn quarter_label(self) -> String {
        const NUMBERS: [&str; 4] = ["一", "二", "三", "四"];
        let n = NUMBERS[(self.quarter() as usize - 1).min(3)];
        format!("{}年第{n}季度", self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn months_and_quarters() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.previous().to_string(), "2026-11");
        assert_eq!(Month::parse("2026-01").unwrap().previous().to_string(), "2025-12");
        assert!(m.ends_quarter() && !m.previous().ends_quarter());
        assert_eq!(
            m.quarter_months().map(|m| m.to_string()),
            ["2026-10", "2026-11", "2026-12"]
        );
        assert_eq!(
            (m.quarter_id(), m.quarter_label()),
            ("2026-Q4".into(), "2026年第四季度".into())
        );
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }
}
