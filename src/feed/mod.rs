//! The ranking feed (contract version 1): types and validation. Fetching
//! is the feed source's business (`crate::source`).
//!
//! [`parse`] turns the bytes of a response into a [`Feed`] plus a [`Report`]
//! of what was dropped or cleaned, or refuses the whole document with a
//! [`Refusal`]. Nothing the service sends can panic the client.

#![deny(missing_docs)]

mod bounded;
mod clean;
mod coverage;
mod model;
mod report;
mod validate;

pub use clean::is_invisible_format;
pub use coverage::{uncovered_chars, Uncovered};
pub use model::*;
pub use report::{Finding, Refusal, Report};
pub use validate::{parse, MAX_AWARDS, MAX_COLUMNS, MAX_ENTRIES, MAX_HISTORY, MAX_ITEMS, MAX_RESPONSIBLE};

/// The contract's size limit for a feed body: 8 MiB.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The example feed of Linjiang for November 2026, embedded as demo data.
pub const DEMO_FEED: &str = include_str!("../../assets/demo/feed-linjiang-2026-11.json");

/// The demo feed, parsed. The demo is validated by the test suite, so a
/// refusal here is a build defect and is reported as such.
pub fn demo() -> Result<(Feed, Report), Refusal> {
    parse(DEMO_FEED.as_bytes())
}

/// A feed with nothing in it, generated at `now`: the idle slide shows until
/// data arrives.
pub fn empty(now: chrono::DateTime<chrono::Utc>) -> Feed {
    Feed {
        generated_at: now.with_timezone(&crate::china_standard_time()),
        issuer: None,
        period: Period {
            id: String::new(),
            label: String::new(),
            kind: PeriodKind::Month,
        },
        boards: Vec::new(),
        lists: Vec::new(),
        notices: Vec::new(),
    }
}
