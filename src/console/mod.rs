//! The operators' console, `rankwall console`: a web page (in Chinese) to
//! watch every screen, edit and preview the playlists of groups of screens,
//! publish them, and see the feed as the screens see it.
//!
//! It stands beside the screen's data flow: screens report to it (they sit
//! behind NAT, so it never calls them) and fetch their group's published
//! config from it at `/c/<group>.toml`, the remote-config path they already
//! have. Pages are rendered on the server from minijinja templates; state is
//! in SQLite ([`store`]); previews are drawn by the same [`Stage`] as
//! `render --config`, so the console shows the frame a screen shows.
//!
//! [`Stage`]: crate::offscreen::Stage

mod access;
mod alerts;
mod api;
mod auth;
mod bodies;
mod calendar;
mod editor;
mod feed;
pub mod operator;
mod pages;
mod plays;
mod preview;
mod published;
mod push;
mod refusals;
mod routes;
mod serve;
mod shot;
pub mod store;
mod templates;
mod timeline;
mod uncovered;

pub use api::{MAX_REPORT_BYTES, MAX_SCREENSHOT_BYTES};
pub use auth::{hash_password, NoRandomness};
pub use serve::{start, Running};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How the console runs: the command line's options, in the library.
#[derive(Clone, Debug)]
pub struct ConsoleOptions {
    /// The folder for the database (and the cache of a feed URL).
    pub data: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Listen beyond loopback without TLS (logged as a warning).
    pub insecure_listen: bool,
    /// A TLS certificate chain and its key (PEM): serve HTTPS, cookies `Secure`.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The feed playlists are checked against and previews drawn from
    /// (a URL or a file); the embedded demo feed when absent.
    pub feed: Option<String>,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// The address screens reach the console at, for the config files the
    /// enrolment page writes (default: `http(s)://<addr>`).
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (login
    /// throttling and the audit trail count the client, not the proxy), and
    /// which are not held to the per-address connection cap.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How often screens' states are checked for alerts.
    pub alert_check: Duration,
    /// The office's assessment scheme, for the 数据录入 page.
    pub scheme: Option<PathBuf>,
    /// The city's private key: the feed published at `/feed.json` is signed with it.
    pub feed_key: Option<PathBuf>,
}

impl ConsoleOptions {
    /// Defaults for a console keeping its data in `data`, on 127.0.0.1:9480.
    pub fn new(data: PathBuf) -> Self {
        ConsoleOptions {
            data,
            addr: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            insecure_listen: false,
            tls: None,
            feed: None,
            session_ttl: Duration::from_secs(8 * 3600),
            public_url: None,
            trusted_proxies: Vec::new(),
            alert_check: Duration::from_secs(10),
            scheme: None,
            feed_key: None,
        }
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data.join("console.sqlite3")
    }
}

/// The console's port unless told otherwise.
pub const DEFAULT_PORT: u16 = 9480;

/// Why the console cannot start (or `console try` cannot set up its demo).
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// Asked to listen beyond loopback in plain HTTP without `--insecure-listen`.
    #[error(
        "the console would listen on {0} without TLS: give --tls-cert and --tls-key, \
         listen on 127.0.0.1 (behind a reverse proxy with TLS), or pass --insecure-listen"
    )]
    Exposed(SocketAddr),
    /// The data folder cannot be made (or made private).
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    /// The SQLite store cannot be opened or set up.
    #[error("{0}")]
    Store(#[from] store::StoreError),
    /// The address is taken or not ours to listen on.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The certificate or key cannot be read, or do not make a TLS config.
    #[error("TLS: {0}")]
    Tls(String),
    /// The built-in page templates do not load (a build fault, not a setting).
    #[error("the console's page templates: {0}")]
    Templates(#[from] minijinja::Error),
    /// No secret could be made: the system's random source failed.
    #[error("{0}")]
    Randomness(#[from] auth::NoRandomness),
    /// The feed to check and preview with cannot be loaded.
    #[error("the feed: {0}")]
    Feed(String),
}

/// What every handler shares.
pub(crate) struct Console {
    pub store: store::Store,
    pub options: ConsoleOptions,
    pub feed: feed::FeedHandle,
    pub templates: templates::Templates,
    pub logins: auth::LoginLimiter,
    /// Password checks running at once (see [`auth::PARALLEL_VERIFICATIONS`]).
    pub verifications: tokio::sync::Semaphore,
    /// One preview render at a time: each holds a GPU context and a page table.
    pub renders: tokio::sync::Semaphore,
    /// Thumbnails made at once: a fleet's first reports all bring
    /// screenshots, and decoding hundreds together would take the memory
    /// and both cores the reports need.
    pub thumbnails: tokio::sync::Semaphore,
    /// Screenshots being received (one per screen) and failed uploads.
    pub uploads: shot::Uploads,
    /// Cookies get `Secure` when the console serves TLS.
    pub secure: bool,
    /// The base address screens reach the console at.
    pub public_url: String,
    /// When an operator last looked at the 屏幕 page (Unix seconds): while
    /// someone watches, thumbnails are kept fresh; otherwise screens are
    /// asked for one only when they have none or an operator asks.
    pub screens_viewed_at: std::sync::atomic::AtomicI64,
    /// When each refusal reason was last logged, so that a flood of bad
    /// reports writes one line a minute, not one per request.
    pub refusals_logged: std::sync::Mutex<std::collections::HashMap<&'static str, std::time::Instant>>,
    /// The 数据 page's slide pictures, for the feed with this SHA-256.
    pub slides: std::sync::Mutex<Option<SlidePictures>>,
    /// Counts publishes: screens waiting at `/api/wait` look again at each.
    pub published: tokio::sync::watch::Sender<u64>,
    /// The feed served at `/feed.json`, if a month was published.
    pub served: std::sync::RwLock<Option<Arc<published::Served>>>,
    /// Months built on the 数据录入 page and not yet published, newest last.
    pub drafts: std::sync::Mutex<Vec<Arc<pages::entry::Draft>>>,
}

impl Console {
    /// Tells the screens waiting for a change that some group's published
    /// version changed or a remote action was queued (they each check
    /// whether it is theirs).
    pub fn announce_publish(&self) {
        self.published.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The feed served at `/feed.json`.
    pub fn current_feed(&self) -> Option<Arc<published::Served>> {
        self.served
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Serves `served` from now on.
    pub fn serve_feed(&self, served: Arc<published::Served>) {
        match self.served.write() {
            Ok(mut s) => *s = Some(served),
            Err(p) => *p.into_inner() = Some(served),
        }
    }

    /// Keeps `draft` (and the newest few before it).
    pub fn keep_draft(&self, draft: pages::entry::Draft) {
        let mut drafts = self
            .drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drafts.retain(|d| d.id != draft.id);
        drafts.push(Arc::new(draft));
        let extra = drafts.len().saturating_sub(pages::entry::DRAFTS);
        drafts.drain(..extra);
    }

    /// The draft with this id.
    pub fn draft(&self, id: &str) -> Option<Arc<pages::entry::Draft>> {
        let drafts = self
            .drafts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drafts.iter().find(|d| d.id == id).cloned()
    }
}

/// The first pages of one feed document as PNG and the number of pages in
/// all, keyed by the document's SHA-256.
pub(crate) type SlidePictures = (String, Arc<(Vec<Vec<u8>>, usize)>);

/// The shared state as handlers receive it.
pub(crate) type Shared = Arc<Console>;

/// Runs `f` on the store off the async workers (SQLite blocks).
pub(crate) async fn db<T, F>(console: &Shared, f: F) -> Result<T, store::StoreError>
where
    T: Send + 'static,
    F: FnOnce(&store::Store) -> Result<T, store::StoreError> + Send + 'static,
{
    let console = console.clone();
    match tokio::task::spawn_blocking(move || f(&console.store)).await {
        Ok(result) => result,
        Err(e) => Err(store::StoreError::Missing(format!("a database task ({e})"))),
    }
}

/// A random password for `console try` (16 URL-safe characters).
pub fn random_password() -> Result<String, auth::NoRandomness> {
    Ok(auth::random_token()?.chars().take(16).collect())
}

/// Enrols the demo screen `id` in the group `demo` (created with the starter
/// playlist, polled every 10 s, published); the screen's token.
pub fn enrol_demo(store: &store::Store, id: &str) -> Result<String, ConsoleError> {
    if store.ensure_group("demo")? {
        let text = pages::playlists::STARTER.replace("poll_interval = 60", "poll_interval = 10");
        let n = store.add_version("demo", &text, "（试用）")?;
        store.publish("demo", n)?;
    }
    let token = auth::random_token()?;
    let screen = store::Enrolment {
        id: id.to_string(),
        name: "演示屏".into(),
        group: "demo".into(),
        place: "本机".into(),
    };
    if store.screen_group(id)?.is_some() {
        store.replace_token(id, &auth::token_hash(&token))?;
    } else {
        store.enrol(&screen, &auth::token_hash(&token))?;
    }
    store.audit("（试用）", "enrol", &format!("屏幕 {id} 加入分组 demo"))?;
    Ok(token)
}
