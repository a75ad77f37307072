//! The operator's configuration: a TOML file read into serde structs with
//! defaults, then checked as a whole. Every problem is reported with file,
//! line and column and a hint (a misspelt key suggests the right one); a file
//! with errors is refused whole, so a running screen keeps its old config.

mod diagnostic;
mod model;
mod remote;
mod validate;
mod watch;

pub use diagnostic::{suggestion, Diagnostic, Locator, Severity};
pub use model::*;
pub use remote::RemoteConfig;
pub use validate::{parse_clock_time, resolve_item, Resolved};
pub use watch::{watch_config, ConfigEvent};

use crate::feed::Feed;

/// The result of reading a config: the config when there are no errors, and
/// every error and warning found.
#[derive(Debug)]
pub struct Checked {
    pub config: Option<Config>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Reads `text` (named `file` in messages). With `feed`, items whose content
/// the feed does not have are reported as warnings.
pub fn parse(file: &str, text: &str, feed: Option<&Feed>) -> Checked {
    let loc = Locator { file, text };
    let mut diagnostics = Vec::new();
    let table = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diagnostics.push(loc.at(Severity::Error, span, e.message().trim().to_string(), None));
            return Checked {
                config: None,
                diagnostics,
            };
        }
    };
    validate::unknown_keys(&loc, table.get_ref(), "", &mut diagnostics);
    let config: Config = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let hint = Some("check the value's type against docs/configuration.md".to_string());
            diagnostics.push(loc.at(Severity::Error, span, e.message().trim().to_string(), hint));
            return Checked {
                config: None,
                diagnostics,
            };
        }
    };
    validate::values(&loc, &config, &mut diagnostics);
    if let Some(feed) = feed {
        validate::against_feed(&loc, &config, feed, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    Checked {
        config: ok.then_some(config),
        diagnostics,
    }
}
