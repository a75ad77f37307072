//! The feed the console publishes (issue 26): the month built from the
//! office's sheets on the 数据录入 page, kept in the data folder
//! (`published/feed.json` and `.sig`, the months in `history/`), and served
//! to screens and any cache in front of them at a stable address:
//! `GET /feed.json` and `GET /feed.json.sig`, with `ETag` (the document's
//! SHA-256), `Last-Modified` (when it was published), `304` to a matching
//! `If-None-Match` or a `If-Modified-Since` not older, and gzip when asked
//! for. No login: it is what every screen of the city reads.

use super::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The document being served, ready to send.
pub(crate) struct Served {
    body: Vec<u8>,
    gzip: Vec<u8>,
    signature: Option<String>,
    etag: String,
    modified: DateTime<Utc>,
}

/// The folder of what the console publishes.
pub(crate) fn folder(data: &Path) -> PathBuf {
    data.join("published")
}

/// The months kept.
pub(crate) fn history(data: &Path) -> PathBuf {
    data.join("history")
}

fn feed_path(data: &Path) -> PathBuf {
    folder(data).join("feed.json")
}

fn sig_path(data: &Path) -> PathBuf {
    folder(data).join("feed.json.sig")
}

impl Served {
    fn new(body: Vec<u8>, signature: Option<String>, modified: DateTime<Utc>) -> Served {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let gzip = gz.write_all(&body).and_then(|()| gz.finish()).unwrap_or_default();
        Served {
            etag: format!("\"{}\"", crate::digest::sha256_hex(&body)),
            body,
            gzip,
            signature,
            modified,
        }
    }

    /// The document's SHA-256.
    pub(crate) fn sha256(&self) -> &str {
        self.etag.trim_matches('"')
    }

    /// When it was published.
    pub(crate) fn modified(&self) -> DateTime<Utc> {
        self.modified
    }
}

/// What the data folder serves, if anything was published.
pub(crate) fn load(data: &Path) -> Option<Arc<Served>> {
    let body = std::fs::read(feed_path(data)).ok()?;
    let modified = std::fs::metadata(feed_path(data))
        .and_then(|m| m.modified())
        .ok()?;
    let signature = std::fs::read_to_string(sig_path(data)).ok();
    Some(Arc::new(Served::new(body, signature, modified.into())))
}

/// Writes `body` (signed with `key` when given) as what is served.
pub(crate) fn write(data: &Path, body: &[u8], key: Option<&Path>) -> Result<Arc<Served>, String> {
    let signature = match key {
        Some(key) => {
            let private = crate::limited_read::read_regular(key, crate::limited_read::MAX_NAMED_FILE)
                .map_err(|e| format!("无法读取签名私钥 {}：{e}", key.display()))?;
            let (sig, _) = crate::signing::sign(&private, body).map_err(|e| format!("无法签名：{e}"))?;
            Some(sig)
        }
        None => None,
    };
    let dir = folder(data);
    crate::private_file::create_private_dir(&dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    crate::private_file::write_atomic(&feed_path(data), &[body]).map_err(|e| format!("无法写入数据：{e}"))?;
    match &signature {
        Some(sig) => crate::private_file::write_atomic(&sig_path(data), &[sig.as_bytes()]),
        None => std::fs::remove_file(sig_path(data)).or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        }),
    }
    .map_err(|e| format!("无法写入签名：{e}"))?;
    Ok(Arc::new(Served::new(body.to_vec(), signature, Utc::now())))
}

/// `GET /feed.json`.
pub async fn feed(State(console): State<Shared>, headers: HeaderMap) -> Response {
    let Some(served) = console.current_feed() else {
        return (StatusCode::NOT_FOUND, "nothing published yet\n").into_response();
    };
    if unchanged(&served, &headers) {
        return (StatusCode::NOT_MODIFIED, validators(&served)).into_response();
    }
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().split(';').next() == Some("gzip")));
    let mut response = (
        validators(&served),
        if gzip {
            served.gzip.clone()
        } else {
            served.body.clone()
        },
    )
        .into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if gzip {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    response
}

/// `GET /feed.json.sig`.
pub async fn signature(State(console): State<Shared>, headers: HeaderMap) -> Response {
    let Some(served) = console.current_feed() else {
        return (StatusCode::NOT_FOUND, "nothing published yet\n").into_response();
    };
    let Some(sig) = served.signature.clone() else {
        return (
            StatusCode::NOT_FOUND,
            "the feed is not signed: start the console with --feed-key\n",
        )
            .into_response();
    };
    if unchanged(&served, &headers) {
        return (StatusCode::NOT_MODIFIED, validators(&served)).into_response();
    }
    let mut response = (validators(&served), sig).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn validators(served: &Served) -> [(header::HeaderName, String); 3] {
    [
        (header::ETAG, served.etag.clone()),
        (
            header::LAST_MODIFIED,
            served.modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        ),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ]
}

/// Whether the client's copy is the one served.
fn unchanged(served: &Served, headers: &HeaderMap) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return tags
            .split(',')
            .any(|t| t.trim() == served.etag || t.trim() == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
    since.is_some_and(|s| served.modified.timestamp() <= s.timestamp())
}
