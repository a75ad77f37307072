//! The feed the console checks playlists against and draws previews from:
//! a URL polled like a screen polls it (same poller, cache and backoff), a
//! file read once, or the embedded demo feed. The 数据 page shows it as
//! `rankwall check --feed` would.

use super::ConsoleError;
use crate::feed::{Feed, Report};
use crate::net::Location;
use crate::source::{FeedLoadError, SourceEvent};
use crate::text::{FontOptions, Fonts};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

/// A feed as the console holds it.
pub struct ConsoleFeed {
    pub feed: Arc<Feed>,
    /// Where it came from (a URL with credentials hidden, a path, or the demo).
    pub source: String,
    /// What `rankwall check --feed` says of it.
    pub check: String,
    /// SHA-256 of the document, to key cached previews.
    pub sha256: String,
    /// The embedded demo feed (no `--feed`): drawn as a screen plays it,
    /// never stale.
    pub embedded_demo: bool,
}

/// The latest feed, shared by the handlers.
#[derive(Clone)]
pub struct FeedHandle(watch::Receiver<Arc<ConsoleFeed>>);

impl FeedHandle {
    /// The feed as of now.
    pub fn current(&self) -> Arc<ConsoleFeed> {
        self.0.borrow().clone()
    }
}

/// Loads the feed `location` names (polling a URL for ever in the background).
pub async fn start(location: Option<&str>, data: &Path) -> Result<FeedHandle, ConsoleError> {
    let Some(location) = location else {
        let (feed, report) = crate::feed::demo().map_err(|e| ConsoleError::Feed(e.to_string()))?;
        let mut first = describe("(embedded demo feed)", Arc::new(feed), &report, "demo").await;
        first.embedded_demo = true;
        return Ok(FeedHandle(watch::channel(Arc::new(first)).1));
    };
    let location = Location::parse(location);
    let shown = location.to_string();
    let cache_dir = data.join("feed-cache");
    let (first, poller) = match crate::source::load_feed(&location, &cache_dir).await {
        Ok(loaded) => {
            let a = &loaded.accepted;
            (
                describe(&shown, a.feed.clone(), &a.report, &a.sha256).await,
                loaded.poller,
            )
        }
        Err(FeedLoadError::Nothing { why, .. }) => {
            let waiting = ConsoleFeed {
                feed: Arc::new(crate::feed::empty(chrono::Utc::now())),
                source: shown.clone(),
                check: format!("no document from {shown} yet ({why}); the console keeps trying\n"),
                sha256: String::new(),
                embedded_demo: false,
            };
            let url = location.url().unwrap_or_default();
            (waiting, Some(crate::source::url_poller(url, &cache_dir)))
        }
        Err(e) => return Err(ConsoleError::Feed(e.to_string())),
    };
    let Some(poller) = poller else {
        return Ok(FeedHandle(watch::channel(Arc::new(first)).1));
    };
    let (tx, rx) = watch::channel(Arc::new(first));
    let (events_tx, mut events) = mpsc::channel(4);
    tokio::spawn(poller.run(events_tx));
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let SourceEvent::Data(a) = event {
                let next = describe(&shown, a.feed.clone(), &a.report, &a.sha256).await;
                if tx.send(Arc::new(next)).is_err() {
                    return;
                }
            }
        }
    });
    Ok(FeedHandle(rx))
}

/// The feed with its check text (fonts are loaded off the async workers).
async fn describe(source: &str, feed: Arc<Feed>, report: &Report, sha256: &str) -> ConsoleFeed {
    let mut check = crate::feed::accepted_line(source, &feed);
    check.push('\n');
    let (f, r) = (feed.clone(), report.clone());
    let findings = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        match Fonts::load(&FontOptions::default()) {
            Ok(fonts) => crate::feed::report_findings(&mut text, &f, &r, &|c| fonts.covers(c)),
            Err(e) => text = format!("cannot load the fonts: {e}\n"),
        }
        text
    })
    .await
    .unwrap_or_default();
    check.push_str(&findings);
    ConsoleFeed {
        feed,
        source: source.to_string(),
        check,
        sha256: sha256.to_string(),
        embedded_demo: false,
    }
}
