//! The operator's configuration: a TOML file checked as a whole and turned
//! once into typed [`Settings`]. Every problem is reported with file, line
//! and column and a hint (a misspelt key suggests the right one); a file
//! with errors is refused whole, so a running screen keeps its old config.
//! The raw, spanned model stays private to this module: nothing else parses
//! a config string again.

#![deny(missing_docs)]

pub mod check_words;
mod convert;
mod diagnostic;
mod items;
mod keys;
mod local_only;
mod message;
pub use message::is_message_id;
pub mod messages;
mod overlay;
mod overrides;
mod paths;
mod raw;
mod region;
mod resolve;
pub mod schema;
mod settings;
mod start_only;
mod time;
mod wall;

pub use crate::panel::{PanelSize, PanelSizeError};
pub use convert::{check_bind, ExposedWithoutToken};
pub use diagnostic::{quoted, suggestion, Diagnostic, Locator, Severity};
pub use overlay::overlay_local;
pub use overrides::{parse_status_addr, BadStatusAddr, Overrides, StatusAddr};
pub use resolve::{resolve, Resolved};
pub use settings::*;
pub use start_only::start_only_changes;
pub use time::{parse_zone, DailySpan, MinuteOfDay, Weekdays};

use crate::feed::Feed;

/// The demo config `rankwall` plays with no arguments.
pub const DEMO_CONFIG: &str = include_str!("../../assets/demo/demo.toml");

/// The result of reading a config: the settings when there are no errors,
/// and every error and warning found.
#[derive(Debug)]
pub struct Checked {
    /// The typed settings; `None` when any diagnostic is an error, so the file is refused whole.
    pub settings: Option<Settings>,
    /// Every error and warning, ordered by line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// How many of the diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// A config that cannot be read at all; its messages in file order,
    /// as on every other path (the unknown keys come first otherwise).
    fn refused(mut diagnostics: Vec<Diagnostic>) -> Checked {
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Checked {
            settings: None,
            diagnostics,
        }
    }
}

/// Reads `text` (named `file` in messages). With `feed`, items whose content
/// the feed does not have are reported as warnings.
pub fn parse(file: &str, text: &str, feed: Option<&Feed>) -> Checked {
    parse_with(file, text, feed, |_, _| Vec::new())
}

/// Reads `text` as [`parse`] does and reads the document once: the same
/// table serves the unknown-key check, the typed values and `more`, which
/// adds errors of its own (a remote config's refused keys).
fn parse_with(
    file: &str,
    text: &str,
    feed: Option<&Feed>,
    more: impl FnOnce(&Locator, &toml::de::DeTable) -> Vec<Diagnostic>,
) -> Checked {
    let loc = Locator { file, text };
    let mut diagnostics = Vec::new();
    let table = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diagnostics.push(loc.at(Severity::Error, span, e.message().trim().to_string(), None));
            return Checked::refused(diagnostics);
        }
    };
    keys::unknown_keys(&loc, table.get_ref(), "", &mut diagnostics);
    let refused = more(&loc, table.get_ref());
    let raw = serde::Deserialize::deserialize(toml::de::Deserializer::from(table));
    let raw: raw::RawConfig = match raw {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let hint = Some("check the value's type against docs/configuration.md".to_string());
            let message = match key_before(text, span.start) {
                Some(key) => format!("`{key}`: {}", e.message().trim()),
                None => e.message().trim().to_string(),
            };
            diagnostics.push(loc.at(Severity::Error, span, message, hint));
            diagnostics.extend(refused);
            return Checked::refused(diagnostics);
        }
    };
    let settings = convert::settings(&loc, &raw, &mut diagnostics);
    if let Some(feed) = feed {
        resolve::against_feed(&loc, &raw, &settings, feed, &mut diagnostics);
    }
    diagnostics.extend(refused);
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    Checked {
        settings: ok.then_some(settings),
        diagnostics,
    }
}

/// Reads a config served from a URL: as [`parse`], and every key only the
/// screen's own files may set (the status address and token, the play log,
/// the cache folder, fonts, a CA file) is an error where it stands.
pub fn parse_remote(file: &str, text: &str, feed: Option<&Feed>) -> Checked {
    parse_with(file, text, feed, local_only::refuse_local_only)
}

/// The keys set in the `[screen]` table of `text` (for a local override).
pub(crate) fn screen_keys(text: &str) -> Vec<String> {
    text.parse::<toml::Table>()
        .ok()
        .and_then(|t| {
            t.get("screen")
                .and_then(|s| s.as_table())
                .map(|s| s.keys().cloned().collect())
        })
        .unwrap_or_default()
}

/// The key a value error at byte `at` is about: the `key` of the
/// `key = value` the offset falls in, on its line.
fn key_before(text: &str, at: usize) -> Option<String> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..at)?;
    let (key, _) = before.rsplit_once('=')?;
    let key = key
        .rsplit(['{', ','])
        .next()
        .unwrap_or(key)
        .trim()
        .trim_matches('"');
    (!key.is_empty() && key.chars().count() <= 64).then(|| key.to_string())
}
