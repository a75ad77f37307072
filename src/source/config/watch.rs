//! Watching the config file: every change is read and checked as a whole; a
//! valid config is sent on, an invalid one is logged with its locations and
//! the old config keeps running.

use crate::config::{parse, Diagnostic, Settings};
use crate::feed::Feed;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// What the watcher reports.
#[derive(Debug)]
pub enum ConfigEvent {
    /// A valid new config, to apply at the next slide boundary.
    Applied(Box<Settings>),
    /// The file changed but has errors; the old config stays. Each line is a
    /// located message.
    Rejected(Vec<String>),
}

/// A fingerprint of the file's content, to notice changes cheaply.
fn fingerprint(bytes: &[u8]) -> String {
    crate::digest::sha256_hex(bytes)
}

/// Polls `path` every `every` and acts on content that is stable over two
/// polls; checks items against the latest feed from
/// `feed` (warnings only). The file as it is when this is called counts as
/// seen. The future returns when the receiver is gone.
pub fn watch_config(
    path: PathBuf,
    every: Duration,
    feed: watch::Receiver<Option<Arc<Feed>>>,
    tx: mpsc::Sender<ConfigEvent>,
) -> impl std::future::Future<Output = ()> + Send {
    let mut seen = std::fs::read(&path).ok().map(|b| fingerprint(&b));
    async move {
        loop {
            tokio::time::sleep(every).await;
            let Ok(bytes) = tokio::fs::read(&path).await else {
                continue;
            };
            let print = fingerprint(&bytes);
            if seen.as_deref() == Some(print.as_str()) {
                continue;
            }
            // An editor may be half-way through writing: act only on content
            // that is the same twice in a row.
            tokio::time::sleep(every).await;
            match tokio::fs::read(&path).await {
                Ok(again) if fingerprint(&again) == print => {}
                _ => continue,
            }
            seen = Some(print);
            let event = check_change(&path, &bytes, &feed);
            if tx.send(event).await.is_err() {
                return;
            }
        }
    }
}

fn check_change(
    path: &std::path::Path,
    bytes: &[u8],
    feed: &watch::Receiver<Option<Arc<Feed>>>,
) -> ConfigEvent {
    let text = String::from_utf8_lossy(bytes);
    let current = feed.borrow().clone();
    let checked = parse(&path.display().to_string(), &text, current.as_deref());
    match checked.settings {
        Some(settings) => {
            tracing::info!(path = %path.display(), "config reloaded; applies at the next slide boundary");
            ConfigEvent::Applied(Box::new(settings))
        }
        None => rejected(&checked.diagnostics),
    }
}

/// A refused change: every located message logged and passed on.
pub(crate) fn rejected(diagnostics: &[Diagnostic]) -> ConfigEvent {
    let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    for line in &lines {
        tracing::warn!("config change refused, keeping the old config: {line}");
    }
    ConfigEvent::Rejected(lines)
}
