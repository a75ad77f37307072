//! 数据: the feed as `rankwall check --feed` sees it (refused, dropped,
//! cleaned, uncovered characters) and every page it makes at 1920×1080.

use super::super::operator::Operator;
use super::super::{preview, Shared};
use super::page;
use crate::config::PanelSize;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::json;
use std::sync::{Arc, PoisonError};

/// The size the slides are drawn at.
const SLIDE_SIZE: PanelSize = PanelSize {
    width: 1920,
    height: 1080,
};

/// Why the feed's pages could not be drawn.
#[derive(Debug, thiserror::Error)]
enum SlidesError {
    /// The console is shutting down (no render permit).
    #[error("{0}")]
    Closed(#[from] tokio::sync::AcquireError),
    /// The drawing task ended without an answer.
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
    /// Drawing failed.
    #[error("{0}")]
    Draw(#[from] preview::PreviewError),
}

/// `GET /data`.
pub async fn show(State(console): State<Shared>, Extension(op): Extension<Operator>) -> Response {
    let feed = console.feed.current();
    let (pages, total, error) = match slides(&console).await {
        Ok(s) => (s.0.len(), s.1, None),
        Err(e) => (0, 0, Some(e.to_string())),
    };
    let context = json!({
        "title": "数据", "source": feed.source, "check": feed.check, "findings": feed.findings, "pages": pages, "total": total,
        "sha": feed.sha256.chars().take(12).collect::<String>(), "error": error,
    });
    page(&console, &op, "data", "data.html", context)
}

/// `GET /data/slide/<n>.png`.
pub async fn slide(State(console): State<Shared>, Path(file): Path<String>) -> Response {
    let n = file.strip_suffix(".png").and_then(|n| n.parse::<usize>().ok());
    let pictures = match slides(&console).await {
        Ok(p) => p,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    match n.and_then(|n| pictures.0.get(n)) {
        Some(png) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "max-age=60"),
            ],
            png.clone(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
    }
}

/// Every page of the current feed, drawn once per document.
async fn slides(console: &Shared) -> Result<Arc<(Vec<Vec<u8>>, usize)>, SlidesError> {
    let feed = console.feed.current();
    let cached = |c: &Shared| {
        let slot = c.slides.lock().unwrap_or_else(PoisonError::into_inner);
        slot.as_ref()
            .filter(|(sha, _)| *sha == feed.sha256)
            .map(|(_, p)| p.clone())
    };
    if let Some(p) = cached(console) {
        return Ok(p);
    }
    let _permit = console.renders.acquire().await?;
    if let Some(p) = cached(console) {
        return Ok(p);
    }
    let (f, demo, at) = (
        feed.feed.as_ref().clone(),
        feed.embedded_demo,
        chrono::Utc::now().with_timezone(&crate::china_standard_time()),
    );
    let drawn = tokio::task::spawn_blocking(move || preview::slide_pngs(f, demo, SLIDE_SIZE, at)).await??;
    let drawn = Arc::new(drawn);
    *console.slides.lock().unwrap_or_else(PoisonError::into_inner) =
        Some((feed.sha256.clone(), drawn.clone()));
    Ok(drawn)
}
