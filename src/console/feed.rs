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
    /// What `rankwall check --feed` says of it, in Chinese: a summary line
    /// and each finding (`text`, the JSON `path` it is at).
    pub check: String,
    /// Each finding of the check: `{"text", "path"}`.
    pub findings: Vec<serde_json::Value>,
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
        let mut first = describe("（内置演示数据）", Arc::new(feed), &report, "demo").await;
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
                check: format!("还没有取到数据（{why}），控制台会继续尝试。\n"),
                findings: Vec::new(),
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

/// The feed with its check, in Chinese (fonts are loaded off the async workers).
async fn describe(source: &str, feed: Arc<Feed>, report: &Report, sha256: &str) -> ConsoleFeed {
    let check = format!(
        "已接受：{} 个榜单，{} 个名单，{} 条通知；生成于 {}；期间：{}\n丢弃 {} 项，清理 {} 项",
        feed.boards.len(),
        feed.lists.len(),
        feed.notices.len(),
        crate::console::store::time_text(feed.generated_at.with_timezone(&chrono::Utc)),
        feed.period.label,
        report.dropped.len(),
        report.cleaned.len(),
    );
    let finding = |kind: &str, f: &crate::feed::Finding| {
        let text = crate::config::messages::feed_chinese(&f.message);
        serde_json::json!({"text": format!("{kind}：{text}"), "path": f.path})
    };
    let mut findings: Vec<serde_json::Value> = report
        .dropped
        .iter()
        .map(|f| finding("丢弃", f))
        .chain(report.cleaned.iter().map(|f| finding("清理", f)))
        .collect();
    let f = feed.clone();
    let uncovered = tokio::task::spawn_blocking(move || match Fonts::load(&FontOptions::default()) {
        Ok(fonts) => crate::feed::uncovered_chars(&f, &|c| fonts.covers(c))
            .chars
            .into_iter()
            .map(|(c, (path, n))| {
                let text = format!("字库缺字：{c}（U+{:04X}），出现 {n} 次，首次在", c as u32);
                serde_json::json!({"text": text, "path": path})
            })
            .collect(),
        Err(e) => {
            tracing::error!("console: the fonts: {e}");
            vec![serde_json::json!({"text": "无法加载字体，未检查缺字", "path": ""})]
        }
    })
    .await
    .unwrap_or_default();
    findings.extend(uncovered);
    ConsoleFeed {
        feed,
        source: source.to_string(),
        check,
        findings,
        sha256: sha256.to_string(),
        embedded_demo: false,
    }
}
