//! The crate's one HTTP stack, both ways: the client every fetch goes
//! through (the feed, its signature, a config URL, the reports to a console;
//! same timeouts, size limits, trust and redirects), the listener that both
//! servers stand on (the screen's status server and the console: connection
//! cap, timeouts, size limits, TLS), credentials hidden in what is logged,
//! and [`Location`], the one place that decides whether a place is a file or
//! a URL.

mod fetch;
mod forwarded;
pub(crate) mod listener;
mod location;
mod redact;
mod registry;

pub use fetch::{
    build_client, error_text, header_date, header_text, retry_after, FetchError, FetchOutcome, Fetched,
    Fetcher, HttpFetcher, HttpOptions, Validators,
};
pub use forwarded::{parse_proxy, TrustedProxies};
pub use location::Location;
pub use redact::{redact_in, redact_url};
pub use registry::address_key;
