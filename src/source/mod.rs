//! The feed source: polling with conditional GET, backoff with jitter, a
//! last-good cache that survives reboots, clock sanity, and a status the rest
//! of the program can read. Whatever the network does, the last good
//! document stays available.

mod backoff;
mod cache;
mod clock;
mod fetch;
mod poller;
mod redact;
mod status;

pub use backoff::Backoff;
pub use cache::{cache_dir, cache_dir_with, Cache, CacheError, CachedFeed, NoCacheDir};
pub use clock::Clock;
pub use fetch::{
    build_client, header_date, header_text, retry_after, FetchError, FetchOutcome, Fetched, Fetcher,
    HttpFetcher, HttpOptions, Validators,
};
pub use poller::{Accepted, PollResult, Poller, SourceConfig, SourceEvent};
pub use redact::{redact_in, redact_url};
pub use status::{CacheStatus, FeedStatus, Outcome};

pub use crate::digest::sha256_hex;
