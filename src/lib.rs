//! rankwall drives the public screens that show a city's township rankings and
//! the monthly red and black lists of the rural living-environment programme.
//!
//! Data flows one way: [`feed`] (the contract types and their validation) →
//! [`schedule`] (which page at which instant) → [`play`] (what the screen shows
//! now, when it next changes) → [`layout`] (a pure function from a slide page,
//! the data, the screen and the theme to a [`scene::Scene`]) → [`render`] (wgpu
//! and glyphon) → a window ([`client`]) or a PNG. Everything before [`render`]
//! never touches the GPU or the window system.

pub mod cli;
pub mod client;
pub mod config;
pub mod demo;
pub mod feed;
pub mod layout;
pub mod play;
pub mod render;
pub mod scene;
pub mod schedule;
pub mod snapshot;
pub mod source;
pub mod status;
pub mod text;

/// China Standard Time (UTC+8), the zone the feed and the screens use by default.
pub fn china_standard_time() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// The fixed offset of a configured time zone: `Asia/Shanghai` and the other
/// names of China Standard Time, `UTC`, or `+HH:MM` / `-HH:MM`.
pub fn schedule_zone(name: &str) -> Option<chrono::FixedOffset> {
    match name {
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "PRC" | "CST" => Some(china_standard_time()),
        "UTC" | "Etc/UTC" | "Z" => chrono::FixedOffset::east_opt(0),
        _ => {
            let sign = match name.chars().next()? {
                '+' => 1,
                '-' => -1,
                _ => return None,
            };
            let minutes = crate::config::parse_clock_time(&name[1..])?;
            chrono::FixedOffset::east_opt(sign * minutes as i32 * 60)
        }
    }
}
