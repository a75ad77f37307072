//! Where a screen's config comes from, and how changes to it are noticed:
//! the embedded demo, a file (polled for changes) or a URL (fetched like the
//! feed, with a last good copy). Every text found is handed to
//! [`crate::config`], which only checks it: the reading lives here, with the
//! other sources.

mod load;
mod remote;
mod watch;

pub use load::{initial, ConfigOrigin, ConfigTransport, LoadError};
pub use remote::{Nudge, RemoteConfig, RemoteFetchError};
pub use watch::{watch_config, ConfigEvent};
