//! One fetch of the feed: conditional GET over HTTP(S), or a file read, with
//! the size limit enforced while streaming and every failure classified.

use crate::feed::MAX_BODY_BYTES;
use crate::signing::MAX_SIGNATURE_BYTES;
use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap};
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use thiserror::Error;

/// The validators of the last good response, sent back on the next poll.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    /// The `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A body that arrived whole.
#[derive(Debug)]
pub struct Fetched {
    /// The body, at most the limit asked for.
    pub body: Vec<u8>,
    /// What to send back on the next fetch; empty for a file.
    pub validators: Validators,
    /// The server's `Date` header.
    pub server_date: Option<DateTime<Utc>>,
    /// Set when `Content-Type` is missing or not JSON (accepted with a warning).
    pub content_type_warning: Option<String>,
}

/// What a fetch that did not fail brought.
#[derive(Debug)]
pub enum FetchOutcome {
    /// A new body (a 2xx, or a file read).
    Body(Fetched),
    /// A 304: the copy the validators name is still current.
    NotModified {
        /// The server's `Date` header.
        server_date: Option<DateTime<Utc>>,
    },
}

/// Why a fetch failed. Each kind has its own code.
#[derive(Debug, Error)]
pub enum FetchError {
    /// No connection: DNS, refused, unreachable, or the TLS handshake failed.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The connect, a read or the whole request took longer than
    /// [`HttpOptions`] allows.
    #[error("no answer within the timeout")]
    Timeout,
    /// An answer other than 2xx, 304, 429 or 503.
    #[error("HTTP {status}")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// A 429 or 503: the server asks to be left alone for a while.
    #[error("HTTP {status}, retry after {retry_after:?}")]
    RetryLater {
        /// 429 or 503.
        status: u16,
        /// The server's `Retry-After`, when it sent one that parses.
        retry_after: Option<Duration>,
    },
    /// The body (or the file) passed the limit; reading stopped there.
    #[error("the body is larger than {MAX_BODY_BYTES} bytes; stopped reading at the limit")]
    TooLarge,
    /// The connection broke while the body was read.
    #[error("the body was cut off: {0}")]
    Truncated(String),
    /// A local file cannot be read (or is not a regular file).
    #[error("cannot read {path}: {message}; check the path and its permissions")]
    File {
        /// The file asked for.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// Any other failure of the request, e.g. a bad URL or too many redirects.
    #[error("HTTP client error: {0}")]
    Client(String),
    /// The HTTP client cannot be built (a missing or bad CA file): a local
    /// fault that lasts until the operator fixes it; tried again every poll.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
    /// A redirect from `https` to plain `http` (would expose the request and
    /// let anyone on the path change the answer).
    #[error("refused a redirect from https to plain http")]
    InsecureRedirect,
}

impl FetchError {
    /// A short stable name of the kind (`timeout`, `http_status`, …), for
    /// the status and the logs.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Connect(_) => "connect",
            FetchError::Timeout => "timeout",
            FetchError::Status { .. } => "http_status",
            FetchError::RetryLater { .. } => "retry_later",
            FetchError::TooLarge => "too_large",
            FetchError::Truncated(_) => "truncated",
            FetchError::File { .. } => "file",
            FetchError::Client(_) => "client",
            FetchError::Setup(_) => "setup",
            FetchError::InsecureRedirect => "insecure_redirect",
        }
    }

    /// The server's `Retry-After`, if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RetryLater { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Something that can fetch the feed; the poller is generic over it so its
/// timing can be tested with a fake on tokio's paused clock.
pub trait Fetcher: Send + Sync {
    /// Fetches the document, conditionally on `validators`.
    fn fetch(&self, validators: &Validators)
        -> impl Future<Output = Result<FetchOutcome, FetchError>> + Send;
    /// The detached signature published beside the document, at
    /// `<location>.sig` (at most [`MAX_SIGNATURE_BYTES`] bytes). A fetcher
    /// that has none answers 404.
    fn fetch_signature(
        &self,
        _validators: &Validators,
    ) -> impl Future<Output = Result<FetchOutcome, FetchError>> + Send {
        async { Err(FetchError::Status { status: 404 }) }
    }
    /// What is fetched, for logs and status.
    fn location(&self) -> &str;
}

/// Timeouts, identity and trust for HTTP fetches.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// The longest wait for a connection (TLS included); 10 s by default.
    pub connect_timeout: Duration,
    /// The longest silence between two reads of the answer; 20 s by default.
    pub read_timeout: Duration,
    /// The longest a whole request may take, body included; 60 s by default.
    pub total_timeout: Duration,
    /// Goes into `User-Agent: rankwall/<version> (<screen id>)`.
    pub screen_id: String,
    /// An extra CA certificate (PEM) trusted besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Follow redirects only within the first URL's origin (scheme, host,
    /// port): a request that carries a secret (a screen's report with its
    /// token, its screenshot) never goes on to another server. Off by default.
    pub same_origin_only: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            total_timeout: Duration::from_secs(60),
            screen_id: "unnamed".into(),
            ca_file: None,
            same_origin_only: false,
        }
    }
}

/// Fetches one URL (`http`, `https` or `file://`) with one shared client.
pub struct HttpFetcher {
    url: String,
    options: HttpOptions,
    /// Built once; `None` while it cannot be (tried again on every fetch).
    client: Mutex<Option<reqwest::Client>>,
}

impl HttpFetcher {
    /// A fetcher whose client is built now; fails when it cannot be.
    pub fn new(url: &str, options: &HttpOptions) -> Result<Self, FetchError> {
        let client = build_client(options)?;
        Ok(Self::with_client(url, options, Some(client)))
    }

    /// A fetcher that never fails to exist: when its client cannot be built
    /// (a missing CA file), every fetch fails with [`FetchError::Setup`] and
    /// tries again, so the poller still loads its cache, backs off and
    /// reports the failure, and recovers once the file is there.
    pub fn retrying(url: &str, options: &HttpOptions) -> Self {
        let client = build_client(options)
            .inspect_err(|e| tracing::error!(url = %super::redact_url(url), "{e}"))
            .ok();
        Self::with_client(url, options, client)
    }

    /// `url` (the feed or its signature), over HTTP(S) or from a file, at most `limit` bytes.
    async fn fetch_at(
        &self,
        url: &str,
        validators: &Validators,
        limit: usize,
    ) -> Result<FetchOutcome, FetchError> {
        match super::Location::parse(url) {
            super::Location::Url(url) => self.fetch_http(&url, validators, limit).await,
            super::Location::File(path) => self.fetch_file(path, limit).await,
        }
    }

    fn with_client(url: &str, options: &HttpOptions, client: Option<reqwest::Client>) -> Self {
        HttpFetcher {
            url: url.to_string(),
            options: options.clone(),
            client: Mutex::new(client),
        }
    }

    /// The client, built now if it could not be before.
    fn client(&self) -> Result<reqwest::Client, FetchError> {
        let mut slot = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = slot.as_ref() {
            return Ok(client.clone());
        }
        let client = build_client(&self.options)?;
        *slot = Some(client.clone());
        Ok(client)
    }

    async fn fetch_http(
        &self,
        url: &str,
        validators: &Validators,
        limit: usize,
    ) -> Result<FetchOutcome, FetchError> {
        let mut request = self.client()?.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, lm);
        }
        let response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let server_date = header_date(response.headers(), header::DATE);
        if status == 304 {
            return Ok(FetchOutcome::NotModified { server_date });
        }
        if status == 429 || status == 503 {
            let retry_after = retry_after(response.headers(), Utc::now());
            return Err(FetchError::RetryLater { status, retry_after });
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status { status });
        }
        let headers = response.headers().clone();
        let body = read_limited(response, limit).await?;
        Ok(FetchOutcome::Body(Fetched {
            body,
            validators: Validators {
                etag: header_text(&headers, header::ETAG),
                last_modified: header_text(&headers, header::LAST_MODIFIED),
            },
            server_date,
            content_type_warning: content_type_warning(&headers),
        }))
    }

    async fn fetch_file(&self, path: PathBuf, limit: usize) -> Result<FetchOutcome, FetchError> {
        let file_error = |e: std::io::Error| FetchError::File {
            path: path.clone(),
            message: e.to_string(),
        };
        // A regular file only, read up to the limit: a device such as
        // /dev/zero reports length 0 and would otherwise be read for ever.
        let limit = limit as u64;
        let read = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || crate::limited_read::read_regular(&path, limit)).await
        };
        let body = match read.map_err(|e| file_error(std::io::Error::other(e)))? {
            Ok(body) => body,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Err(FetchError::TooLarge),
            Err(e) => return Err(file_error(e)),
        };
        Ok(FetchOutcome::Body(Fetched {
            body,
            validators: Validators::default(),
            server_date: None,
            content_type_warning: None,
        }))
    }
}

impl Fetcher for HttpFetcher {
    async fn fetch(&self, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        self.fetch_at(&self.url, validators, MAX_BODY_BYTES).await
    }

    async fn fetch_signature(&self, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        let url = format!("{}.sig", self.url);
        self.fetch_at(&url, validators, MAX_SIGNATURE_BYTES).await
    }

    fn location(&self) -> &str {
        &self.url
    }
}

/// The HTTP client `options` ask for. Redirects are followed (at most 10)
/// except from `https` to plain `http`. The console reporter uses it too, so
/// reports go with the feed's trust (its CA file) and identity.
pub fn build_client(options: &HttpOptions) -> Result<reqwest::Client, FetchError> {
    let agent = format!("rankwall/{} ({})", env!("CARGO_PKG_VERSION"), options.screen_id);
    let mut builder = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout)
        .timeout(options.total_timeout)
        .user_agent(agent)
        .redirect(reqwest::redirect::Policy::custom(if options.same_origin_only {
            same_origin
        } else {
            no_downgrade
        }));
    if let Some(path) = &options.ca_file {
        let max = crate::limited_read::MAX_NAMED_FILE;
        let pem = crate::limited_read::read_regular(path, max).map_err(|e| {
            FetchError::Setup(format!(
                "cannot read the CA file {}: {e}; check the path and its permissions",
                path.display()
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| FetchError::Setup(format!("the CA file {} is not PEM: {e}", path.display())))?;
        builder = builder.tls_certs_merge(certs);
    }
    builder.build().map_err(|e| FetchError::Setup(e.to_string()))
}

/// The redirect rule: never from `https` down to `http`; at most 10 hops.
fn no_downgrade(attempt: reqwest::redirect::Attempt) -> reqwest::redirect::Action {
    let from_https = attempt.previous().iter().any(|u| u.scheme() == "https");
    if from_https && attempt.url().scheme() != "https" {
        attempt.error(InsecureRedirect)
    } else if attempt.previous().len() > 10 {
        attempt.stop()
    } else {
        attempt.follow()
    }
}

/// The redirect rule for requests that carry secrets: as [`no_downgrade`],
/// and a redirect to another origin is not followed (the 3xx is the answer).
fn same_origin(attempt: reqwest::redirect::Attempt) -> reqwest::redirect::Action {
    let origin = |u: &reqwest::Url| {
        (
            u.scheme().to_string(),
            u.host_str().map(str::to_string),
            u.port_or_known_default(),
        )
    };
    let first = attempt.previous().first().map(origin);
    if first.is_some_and(|f| f != origin(attempt.url())) {
        attempt.stop()
    } else {
        no_downgrade(attempt)
    }
}

/// The error a downgrading redirect ends with, recognised by [`classify`].
#[derive(Debug, Error)]
#[error("refused a redirect from https to plain http")]
struct InsecureRedirect;

/// Reads the decoded body, stopping as soon as it passes `limit`.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, FetchError> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify_body)? {
        if body.len() + chunk.len() > limit {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A request's error as the status and the log may show it: without the
/// URL, which can carry credentials (the source knows which URL it asked).
fn classify(e: reqwest::Error) -> FetchError {
    let e = e.without_url();
    if is_insecure_redirect(&e) {
        FetchError::InsecureRedirect
    } else if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_connect() {
        FetchError::Connect(source_chain(&e))
    } else {
        FetchError::Client(source_chain(&e))
    }
}

fn is_insecure_redirect(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if s.is::<InsecureRedirect>() {
            return true;
        }
        source = s.source();
    }
    false
}

fn classify_body(e: reqwest::Error) -> FetchError {
    let e = e.without_url();
    if e.is_timeout() {
        FetchError::Timeout
    } else {
        FetchError::Truncated(source_chain(&e))
    }
}

/// What an HTTP client error says, without the URL reqwest puts in it (a
/// URL may carry credentials), with its causes.
pub fn error_text(e: reqwest::Error) -> String {
    source_chain(&e.without_url())
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// The value of header `name` as text, exactly as the server sent it. It is
/// `None` when the header is absent or holds bytes outside visible ASCII, so
/// a validator such as `ETag` or `Last-Modified` is only ever sent back
/// unchanged. The first of repeated headers counts.
pub fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_string)
}

/// The value of header `name` read as an HTTP date (such as `Date`), in
/// UTC. Any RFC 2822 date is accepted, which covers the IMF-fixdate form
/// RFC 9110 asks servers for; anything else is `None`.
pub fn header_date(headers: &HeaderMap, name: header::HeaderName) -> Option<DateTime<Utc>> {
    let text = header_text(headers, name)?;
    DateTime::parse_from_rfc2822(&text).ok().map(|d| d.to_utc())
}

/// How long `Retry-After` asks the client to wait, seen at `now`: either a
/// whole number of seconds or an HTTP date (zero at that very instant). A
/// date already past gives `None`, as does a missing or unreadable value, so
/// the backoff's own schedule applies; a wait is only ever a lower bound.
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let text = header_text(headers, header::RETRY_AFTER)?;
    if let Ok(secs) = text.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(text.trim()).ok()?.to_utc();
    (at - now).to_std().ok()
}

fn content_type_warning(headers: &HeaderMap) -> Option<String> {
    match header_text(headers, header::CONTENT_TYPE) {
        None => Some("no Content-Type header; expected application/json".into()),
        Some(ct) if ct.to_ascii_lowercase().contains("json") => None,
        Some(ct) => Some(format!("Content-Type is {ct:?}; expected application/json")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn retry_after_now(headers: &HeaderMap) -> Option<Duration> {
        retry_after(headers, Utc::now())
    }

    fn with_retry_after(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, value.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        assert_eq!(
            retry_after_now(&with_retry_after("120")),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after_now(&with_retry_after(" 7 ")),
            Some(Duration::from_secs(7))
        );
        // The IMF-fixdate form RFC 9110 prefers, 90 s from now (a second of slack).
        let at = (Utc::now() + chrono::Duration::seconds(90)).format("%a, %d %b %Y %H:%M:%S GMT");
        let wait = retry_after_now(&with_retry_after(&at.to_string())).unwrap();
        assert!((88..=90).contains(&wait.as_secs()), "{wait:?} for {at}");
        // A date in the past asks for no wait; nonsense is ignored.
        let past = (Utc::now() - chrono::Duration::seconds(30)).format("%a, %d %b %Y %H:%M:%S GMT");
        assert_eq!(retry_after_now(&with_retry_after(&past.to_string())), None);
        for bad in ["soon", "-5", "1.5", ""] {
            assert_eq!(retry_after_now(&with_retry_after(bad)), None, "{bad:?}");
        }
        assert_eq!(retry_after_now(&HeaderMap::new()), None);
    }
}
