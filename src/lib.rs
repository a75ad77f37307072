//! rankwall drives the public screens that show a city's township rankings and
//! the monthly red and black lists of the rural living-environment programme.
//!
//! Data flows one way: [`feed`] (the contract types and their validation) →
//! [`layout`] (a pure function from a slide page, the data, the screen and the
//! theme to a [`scene::Scene`]) → [`render`] (wgpu and glyphon) → a window or a
//! PNG. The data side ([`feed`], [`layout`], [`text`]) never touches the GPU.

pub mod cli;
pub mod demo;
pub mod feed;
pub mod layout;
pub mod render;
pub mod scene;
pub mod snapshot;
pub mod source;
pub mod text;

/// China Standard Time (UTC+8), the zone the feed and the screens use by default.
pub fn china_standard_time() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}
