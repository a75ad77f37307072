//! `rankwall played --at T`: what was on the screen at T, from the
//! proof-of-play log.

use crate::status::find_played;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::Path;

/// The answer as text, and whether the log covers the instant.
pub fn played(log: &Path, at: &str) -> anyhow::Result<(String, bool)> {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .with_context(|| format!("--at {at}: give an RFC 3339 instant such as 2026-11-03T10:05:00+08:00"))?;
    if !log.exists() {
        anyhow::bail!("no proof-of-play log at {} (give --log FILE)", log.display());
    }
    let found = find_played(log, at).with_context(|| format!("cannot read {}", log.display()))?;
    let Some((entry, next)) = found else {
        return Ok((
            format!("{at}: before the first entry of {}\n", log.display()),
            false,
        ));
    };
    let mut out = String::new();
    let what = match (&entry.slide, entry.page, entry.pages) {
        (Some(slide), Some(p), Some(n)) => {
            format!(
                "item {} · {slide} · page {p}/{n}",
                entry.item.map_or(0, |i| i + 1)
            )
        }
        _ => entry.state.name().to_string(),
    };
    let _ = writeln!(out, "{at}: {what}");
    let until = next.map_or("(the latest entry)".to_string(), |n| format!("until {}", n.start));
    let _ = writeln!(out, "  shown from {} {until}", entry.start);
    let _ = writeln!(out, "  data sha256 {}", entry.data_sha256);
    let _ = writeln!(out, "  config sha256 {}", entry.config_sha256);
    Ok((out, true))
}
