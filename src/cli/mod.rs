//! The command-line commands, as library functions the thin binary calls.
//! This is an edge of the program, so errors here are `anyhow` errors that
//! say what to do.

mod args;
mod check;
mod check_config;
mod console;
mod dispatch;
mod played;
mod publish;
mod render;
mod render_config;
mod signing;

pub use crate::offscreen::Stage;
pub use args::{Cli, Command, FeedCommand, FontArgs, RenderArgs};
pub use check::{check, check_body, refusal_code, CheckOutcome};
pub use check_config::check_config;
pub use console::{ConsoleArgs, ConsoleCommand};
pub use dispatch::dispatch;
pub use played::played;
pub use render::{render, RenderOptions};
pub use render_config::{render_config, ConfigRender};

use crate::feed::{self, Feed, Report};
use crate::net::Location;
use anyhow::Context as _;
use chrono::{DateTime, FixedOffset};
use std::path::Path;

/// Loads and validates the feed at `location`, or the embedded demo feed.
/// A URL goes through the feed source: one fetch, and the last good document
/// from the cache in `cache_dir` when the fetch fails.
pub fn load_feed(location: Option<&str>, cache_dir: Option<&Path>) -> anyhow::Result<LoadedFeed> {
    let Some(location) = location else {
        let (feed, report) = feed::demo().context("the embedded demo feed is invalid (a build defect)")?;
        return Ok(LoadedFeed {
            feed,
            report,
            clock_correction: None,
            embedded_demo: true,
        });
    };
    let location = Location::parse(location);
    let cache_dir = match &location {
        Location::Url(_) => crate::source::cache_dir(cache_dir)?,
        Location::File(_) => std::path::PathBuf::new(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let loaded = runtime.block_on(crate::source::load_feed(&location, &cache_dir))?;
    let accepted = std::sync::Arc::unwrap_or_clone(loaded.accepted);
    Ok(LoadedFeed {
        feed: std::sync::Arc::unwrap_or_clone(accepted.feed),
        report: accepted.report,
        clock_correction: loaded.clock_correction,
        embedded_demo: false,
    })
}

/// Reads one body from a path or URL with the feed source's fetcher (same
/// timeouts and size limit as a screen). An oversized body is returned as
/// `MAX_BODY_BYTES + 1` bytes so validation refuses it with its own reason.
pub fn read_body(location: &str) -> anyhow::Result<Vec<u8>> {
    use crate::net::{FetchError, FetchOutcome, Fetcher, HttpFetcher, HttpOptions, Validators};
    let fetcher = HttpFetcher::new(location, &HttpOptions::default())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(fetcher.fetch(&Validators::default())) {
        Ok(FetchOutcome::Body(fetched)) => Ok(fetched.body),
        Ok(FetchOutcome::NotModified { .. }) => {
            anyhow::bail!("{} answered 304 to a plain request", Location::parse(location))
        }
        Err(FetchError::TooLarge) => Ok(vec![b' '; feed::MAX_BODY_BYTES + 1]),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", Location::parse(location))),
    }
}

/// A feed ready to show, with the correction to apply to the local clock when
/// the feed server's `Date` says the local clock is wrong.
pub struct LoadedFeed {
    /// The validated feed, what was refused in it already dropped.
    pub feed: Feed,
    /// What validation dropped or cleaned, to log.
    pub report: Report,
    /// What to add to the local clock, when the feed server's `Date` says it
    /// is wrong; `None` for a file or the demo feed.
    pub clock_correction: Option<chrono::Duration>,
    /// No location was given: this is the embedded demo feed, drawn as a
    /// screen plays it (never stale).
    pub embedded_demo: bool,
}

/// Parses `--at`, an RFC 3339 instant; `None` means now (corrected by
/// `correction` when the local clock is known to be wrong), in China Standard Time.
pub fn parse_at(
    at: Option<&str>,
    correction: Option<chrono::Duration>,
) -> anyhow::Result<DateTime<FixedOffset>> {
    match at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--at {s:?} is not an RFC 3339 time such as 2026-11-28T10:00:05+08:00")),
        None => {
            let now = chrono::Utc::now() + correction.unwrap_or_default();
            Ok(now.with_timezone(&crate::china_standard_time()))
        }
    }
}
