//! `rankwall check --config FILE [--feed FILE|URL]`: every located problem in
//! the config, then the playlist as it would play over the feed.

use crate::config::{self, resolve, Content, DailySpan, Item, Resolved, Settings, Severity};
use crate::feed::{Feed, Report};
use crate::slide::BoardView;
use crate::text::Fonts;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::Path;

/// Checks the config at `path` against `feed`; the text and whether it has no errors.
pub fn check_config(path: &Path, feed: &Feed, report: &Report) -> anyhow::Result<super::CheckOutcome> {
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
    let _ = match config::messages::Lang::from_env() {
        config::messages::Lang::En => writeln!(out, "{errors} error(s), {warnings} warning(s)"),
        config::messages::Lang::Zh => writeln!(out, "{errors} 处错误，{warnings} 处警告"),
    };
    if let Some(settings) = &checked.settings {
        let mut fonts = Fonts::load(&crate::play::font_options(&settings.theme))?;
        // The playlist's own messages play as notices, and their characters
        // need fonts as the feed's do.
        let shown = settings.shown_feed(&std::sync::Arc::new(feed.clone()));
        let feed = shown.as_ref();
        describe_cycle(&mut out, settings, feed, &mut fonts);
        let _ = writeln!(
            out,
            "feed: generated at {}, period {}",
            feed.generated_at.to_rfc3339(),
            feed.period.label
        );
        let lang = config::messages::Lang::from_env();
        config::check_words::report_findings(&mut out, feed, report, &|c| fonts.covers(c), lang);
    }
    Ok(super::CheckOutcome {
        accepted: errors == 0,
        text: out,
    })
}

/// One line per item: content, pages on the configured screen, seconds, windows.
fn describe_cycle(out: &mut String, settings: &Settings, feed: &Feed, fonts: &mut Fonts) {
    // A "monitor" size is described as 1920x1080.
    let physical = settings.screen.size.fixed().map_or((1920, 1080), |p| p.pair());
    let Ok(profile) = crate::play::profile_for(settings, physical) else {
        return;
    };
    let pages = crate::play::page_table(fonts, settings, feed, &profile);
    let _ = writeln!(out, "playlist on {}x{}:", profile.width, profile.height);
    let mut total = 0;
    for (n, item) in settings.playlist.iter().enumerate() {
        let what = match resolve(&item.content, feed) {
            Resolved::Boards(_) => "board",
            Resolved::Lists(_) => "list",
            Resolved::Notices(_) => "notice",
        };
        let (ids, count, millis) = pages.item_summary(n, item);
        total += millis;
        let secs = seconds(millis);
        let content = if ids.is_empty() {
            "(nothing, skipped)".to_string()
        } else {
            ids.join(", ")
        };
        let timing = if pages.item_scrolls(n) {
            format!("marquee at {} px/s", item.scroll_speed)
        } else {
            format!("× {}s", item.duration.as_secs_f64())
        };
        let _ = writeln!(
            out,
            "  {:>2}. {what} {content}: {count} page(s) {timing} = {secs}s, {}",
            n + 1,
            windows(item)
        );
    }
    let _ = writeln!(
        out,
        "cycle: {}s (items whose windows are closed are skipped)",
        seconds(total)
    );
    left_out(out, settings, feed, &profile);
}

/// A warning for each board the playlist shows whose columns do not all fit
/// this screen, saying what is left out (docs/layout.md).
fn left_out(out: &mut String, settings: &Settings, feed: &Feed, profile: &crate::layout::ScreenProfile) {
    // The boards the playlist shows as tables (`view` None) or as a view.
    let view_of = |item: &Item| match &item.content {
        Content::Select(s) => s.view,
        _ => None,
    };
    let shown = |view: Option<BoardView>| -> Vec<usize> {
        let mut boards: Vec<usize> = (settings.playlist.iter())
            .filter(|item| view_of(item) == view)
            .filter_map(|item| match resolve(&item.content, feed) {
                Resolved::Boards(v) => Some(v),
                _ => None,
            })
            .flatten()
            .collect();
        boards.sort_unstable();
        boards.dedup();
        boards
    };
    let scored = shown(Some(BoardView::Scores));
    for i in shown(None) {
        let Some(board) = feed.boards.get(i) else { continue };
        let d = crate::layout::dropped(board, profile);
        let mut parts = Vec::new();
        if d.sub_scores > 0 && !scored.contains(&i) {
            let group = board
                .group
                .as_ref()
                .map(|g| format!(", group = \"{g}\""))
                .unwrap_or_default();
            parts.push(format!(
                "its {} sub-score columns: no 分项得分 slide of this playlist shows them \
                 (add an item with select = {{ level = \"{}\"{group}, view = \"scores\" }})",
                d.sub_scores,
                level_word(board.level)
            ));
        }
        if d.change_number {
            parts.push("the number of places changed (the arrow stays)".to_string());
        }
        if d.parent {
            parts.push("the parent column".to_string());
        }
        if !parts.is_empty() {
            let _ = writeln!(
                out,
                "warning: on {}x{} board {} leaves out {}",
                profile.width,
                profile.height,
                board.id,
                parts.join(", ")
            );
        }
    }
}

/// The playlist's word for a board's level.
fn level_word(level: crate::feed::Level) -> &'static str {
    match level {
        crate::feed::Level::Township => "township",
        crate::feed::Level::Village => "village",
        crate::feed::Level::Household => "household",
    }
}

/// `millis` as seconds with at most three decimals and no trailing zeros
/// (`12`, `42309.934`): a sum of floats printed `42309.933999999994s`.
fn seconds(millis: i64) -> String {
    let millis = u64::try_from(millis).unwrap_or(0);
    let text = format!("{}.{:03}", millis / 1000, millis % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The item's windows in words: "always", or "mon,tue 08:00–18:00 from 2026-12-01 …".
fn windows(item: &Item) -> String {
    if item.windows.is_empty() {
        return "always".to_string();
    }
    let parts: Vec<String> = item
        .windows
        .iter()
        .map(|w| {
            let mut p = Vec::new();
            if !w.days.is_all() {
                p.push(w.days.names().join(","));
            }
            if w.hours != DailySpan::ALL_DAY {
                p.push(format!("{}–{}", w.hours.from, w.hours.until));
            }
            if let Some(d) = &w.start_date {
                p.push(format!("from {d}"));
            }
            if let Some(d) = &w.end_date {
                p.push(format!("until {d}"));
            }
            p.join(" ")
        })
        .collect();
    format!("windows: {}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn seconds_are_printed_as_written() {
        assert_eq!(super::seconds(42_309_934), "42309.934");
        assert_eq!(super::seconds(12_000), "12");
        assert_eq!(super::seconds(600), "0.6");
        assert_eq!(super::seconds(0), "0");
    }
}
