//! Keys a config from a URL may not set. They name files on the screen
//! (the play log, the cache, fonts, a CA certificate) or open it to the
//! network (the status address and token): a config server, or anyone in
//! its place, must not be able to write files or expose the box. They come
//! only from the screen's own files (the local config or `--screen-config`)
//! or the command line.

use super::diagnostic::{Diagnostic, Locator, Severity};
use toml::de::{DeTable, DeValue};

/// (table, key) pairs only the screen's own files may set.
pub(super) const LOCAL_ONLY: [(&str, &str); 11] = [
    ("status", "addr"),
    ("status", "token"),
    ("status", "play_log"),
    ("feed", "cache_dir"),
    ("feed", "ca_file"),
    // Whoever may change the key may sign what the wall shows.
    ("feed", "public_key"),
    ("theme", "fonts"),
    ("theme", "system_fonts"),
    // Each screen has its own token; a config server must not send the
    // screen's reports (its status and screenshots) elsewhere.
    ("report", "url"),
    ("report", "token"),
    ("report", "interval"),
];

/// The local-only keys `table` (a whole file) sets, with their spans.
fn set_in(table: &DeTable) -> Vec<(&'static str, &'static str, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    for (name, key) in LOCAL_ONLY {
        let section = table.iter().find(|(k, _)| k.get_ref().as_ref() == name);
        let Some((_, value)) = section else { continue };
        let DeValue::Table(section) = value.get_ref() else {
            continue;
        };
        if let Some((k, _)) = section.iter().find(|(k, _)| k.get_ref().as_ref() == key) {
            found.push((name, key, k.span()));
        }
    }
    found
}

/// An error for every local-only key a remote config's `table` sets, and
/// for a feed URL that is not `http(s)://`.
pub(super) fn refuse_local_only(loc: &Locator, table: &DeTable) -> Vec<Diagnostic> {
    let mut refused: Vec<Diagnostic> = set_in(table)
        .into_iter()
        .map(|(section, key, span)| {
            loc.at(
                Severity::Error,
                span,
                format!("`{key}` in [{section}] comes only from the screen's own files, not from a URL"),
                Some("set it in the --screen-config file (or on the command line) of each screen".into()),
            )
        })
        .collect();
    refused.extend(refuse_local_feed(loc, table));
    refused
}

/// An error when a remote config points the feed at something that is not
/// `http://` or `https://`: a file path would let a config server make the
/// screen read any file it can (a device, another user's data).
fn refuse_local_feed(loc: &Locator, table: &DeTable) -> Option<Diagnostic> {
    let (_, feed) = table.iter().find(|(k, _)| k.get_ref().as_ref() == "feed")?;
    let DeValue::Table(feed) = feed.get_ref() else {
        return None;
    };
    let (_, url) = feed.iter().find(|(k, _)| k.get_ref().as_ref() == "url")?;
    let DeValue::String(text) = url.get_ref() else {
        return None;
    };
    let remote = text.starts_with("http://") || text.starts_with("https://");
    (!remote).then(|| {
        loc.at(
            Severity::Error,
            url.span(),
            "a config from a URL may name only an http:// or https:// feed, not a file".into(),
            Some("give the feed's URL, or --feed FILE on the screen's own command line".into()),
        )
    })
}

/// The local-only keys a local `text` sets, as (table, key).
pub(super) fn keys_set(text: &str) -> Vec<(&'static str, &'static str)> {
    DeTable::parse(text).map_or_else(
        |_| Vec::new(),
        |t| set_in(t.get_ref()).into_iter().map(|(s, k, _)| (s, k)).collect(),
    )
}
