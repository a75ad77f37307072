//! rankwall drives the public screens that show a city's township rankings and
//! the monthly red and black lists of the rural living-environment programme.
//!
//! Data flows one way: [`feed`] (the contract types and their validation) →
//! [`schedule`] (which page at which instant, from settings, page counts and
//! time) → [`play`] (what the screen shows now, when it next changes) →
//! [`layout`] (a pure function from a slide page, the data, the screen and the
//! theme to a [`scene::Scene`]) → [`render`] (wgpu and glyphon) → a window or
//! a PNG ([`client`]). [`config`] is data: typed [`config::Settings`] parsed
//! once. [`source`] and [`status`] sit beside the flow and talk to the screen
//! thread by messages. The rules, one line each: `docs/architecture.md`.

pub mod cli;
pub mod client;
pub mod config;
pub mod console;
pub mod demo;
pub mod digest;
pub mod feed;
#[cfg(feature = "test-hooks")]
pub mod golden;
pub mod layout;
pub mod limited_read;
pub mod net;
pub mod offscreen;
pub mod panel;
pub mod play;
pub mod png;
pub mod private_file;
pub mod publish;
pub mod render;
pub mod scene;
pub mod schedule;
pub mod signing;
pub mod slide;
pub mod source;
pub mod status;
pub mod text;
pub mod write_health;

/// China Standard Time (UTC+8), the zone the feed and the screens use by default.
pub fn china_standard_time() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}
