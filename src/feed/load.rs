//! Reading a feed body from a file, a `file://` URL or an HTTP(S) URL, never
//! more than [`MAX_BODY_BYTES`] + 1 bytes (so an oversized body is detected
//! without reading past the limit).

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

/// The contract's size limit for a feed body: 8 MiB.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("cannot read feed file {path}: {source}; check the path and its permissions")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot fetch {url}: {source}; check the URL and the network")]
    Http { url: String, source: reqwest::Error },
    #[error("{url} answered HTTP {status}; the feed must answer 200")]
    Status { url: String, status: u16 },
    #[error("cannot start the HTTP client: {0}")]
    Client(String),
}

/// Reads the body at `location`: a path, a `file://` URL, or an `http(s)://` URL.
pub fn load(location: &str) -> Result<Vec<u8>, LoadError> {
    if location.starts_with("http://") || location.starts_with("https://") {
        fetch_blocking(location)
    } else {
        let path = location.strip_prefix("file://").unwrap_or(location);
        read_file(PathBuf::from(path))
    }
}

fn read_file(path: PathBuf) -> Result<Vec<u8>, LoadError> {
    let file = std::fs::File::open(&path).map_err(|source| LoadError::Read {
        path: path.clone(),
        source,
    })?;
    let mut body = Vec::new();
    file.take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|source| LoadError::Read { path, source })?;
    Ok(body)
}

fn fetch_blocking(url: &str) -> Result<Vec<u8>, LoadError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LoadError::Client(e.to_string()))?;
    runtime.block_on(fetch(url))
}

async fn fetch(url: &str) -> Result<Vec<u8>, LoadError> {
    let http = |source| LoadError::Http {
        url: url.to_string(),
        source,
    };
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("rankwall/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LoadError::Client(e.to_string()))?;
    let mut response = client.get(url).send().await.map_err(http)?;
    if !response.status().is_success() {
        return Err(LoadError::Status {
            url: url.to_string(),
            status: response.status().as_u16(),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(http)? {
        let room = MAX_BODY_BYTES + 1 - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() > MAX_BODY_BYTES {
            break;
        }
    }
    Ok(body)
}
