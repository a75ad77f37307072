//! The feed source: polling with conditional GET, backoff with jitter, a
//! last-good cache that survives reboots, clock sanity, and a status the rest
//! of the program can read. Whatever the network does, the last good
//! document stays available.

mod backoff;
mod cache;
mod clock;
pub mod config;
mod load;
mod poller;
mod status;

pub use backoff::Backoff;
pub use cache::{cache_dir, cache_dir_with, Cache, CacheError, CachedFeed, NoCacheDir};
pub use clock::Clock;
pub use load::{load as load_feed, url_poller, LoadError as FeedLoadError, Loaded};
pub use poller::{Accepted, PollResult, Poller, SourceConfig, SourceEvent};
pub use status::{CacheStatus, FeedStatus, Outcome};

pub use crate::digest::sha256_hex;
