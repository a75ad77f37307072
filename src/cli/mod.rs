//! The command-line commands, as library functions the thin binary calls.
//! This is an edge of the program, so errors here are `anyhow` errors that
//! say what to do.

mod check;
mod render;

pub use check::{check, check_body, refusal_code, CheckOutcome};
pub use render::{render, RenderOptions};

use crate::feed::{self, Feed, Report};
use anyhow::Context as _;
use chrono::{DateTime, FixedOffset};

/// Loads and validates the feed at `location`, or the embedded demo feed.
pub fn load_feed(location: Option<&str>) -> anyhow::Result<(Feed, Report)> {
    let Some(location) = location else {
        return feed::demo().context("the embedded demo feed is invalid (a build defect)");
    };
    let body = feed::load(location)?;
    feed::parse(&body).with_context(|| format!("feed {location} refused"))
}

/// Parses `--at`, an RFC 3339 instant; `None` means now, in China Standard Time.
pub fn parse_at(at: Option<&str>) -> anyhow::Result<DateTime<FixedOffset>> {
    match at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--at {s:?} is not an RFC 3339 time such as 2026-11-28T10:00:05+08:00")),
        None => {
            let cst = FixedOffset::east_opt(8 * 3600).context("invalid offset")?;
            Ok(chrono::Utc::now().with_timezone(&cst))
        }
    }
}
