//! `rankwall check --config FILE [--feed FILE|URL]`: every located problem in
//! the config, then the playlist as it would play over the feed.

use crate::config::{self, resolve_item, Config, Resolved, Severity};
use crate::feed::Feed;
use crate::layout::{self, ScreenProfile};
use crate::text::Fonts;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::Path;

/// Checks the config at `path` against `feed`; the text and whether it has no errors.
pub fn check_config(path: &Path, feed: &Feed) -> anyhow::Result<super::CheckOutcome> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read config {}", path.display()))?;
    let checked = config::parse(&path.display().to_string(), &text, Some(feed));
    let mut out = String::new();
    for d in &checked.diagnostics {
        let _ = writeln!(out, "{d}");
    }
    let errors = checked.errors();
    let warnings = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    if let Some(config) = &checked.config {
        describe_cycle(&mut out, config, feed);
    }
    Ok(super::CheckOutcome {
        accepted: errors == 0,
        text: out,
    })
}

/// One line per item: content, pages on the configured screen, seconds, windows.
fn describe_cycle(out: &mut String, config: &Config, feed: &Feed) {
    let size = config.screen.size.get_ref();
    let profile = ScreenProfile::parse(size).or_else(|_| ScreenProfile::new(1920, 1080));
    let Ok(profile) = profile else { return };
    let mut fonts = Fonts::bundled();
    let now = feed.generated_at;
    let pages = layout::paginate(&mut fonts, feed, &profile, now);
    let _ = writeln!(out, "playlist on {}x{}:", profile.width, profile.height);
    let mut total = 0.0;
    for (n, item) in config.playlist.iter().enumerate() {
        let (what, slides) = match resolve_item(item, feed) {
            Resolved::Boards(v) => (
                "board",
                v.iter().map(|&i| layout::SlideRef::Board(i)).collect::<Vec<_>>(),
            ),
            Resolved::Lists(v) => ("list", v.iter().map(|&i| layout::SlideRef::List(i)).collect()),
            Resolved::Notices(v) => ("notice", v.iter().map(|&i| layout::SlideRef::Notice(i)).collect()),
        };
        let ids: Vec<&str> = pages
            .iter()
            .filter(|p| slides.contains(&p.slide) && p.index == 0)
            .map(|p| p.id.as_str())
            .collect();
        let count = pages.iter().filter(|p| slides.contains(&p.slide)).count();
        let secs = count as f64 * item.duration.get_ref();
        total += secs;
        let windows = if item.windows.is_empty() {
            "always".to_string()
        } else {
            format!("{} window(s)", item.windows.len())
        };
        let _ = writeln!(
            out,
            "  {:>2}. {what} {}: {count} page(s) × {}s = {secs}s, {windows}",
            n + 1,
            if ids.is_empty() {
                "(nothing, skipped)".to_string()
            } else {
                ids.join(", ")
            },
            item.duration.get_ref()
        );
    }
    let _ = writeln!(out, "cycle: {total}s");
}
