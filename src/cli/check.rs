//! `rankwall check`: validate a feed and say what was refused, dropped,
//! cleaned, and which characters no font covers.

use crate::config::check_words;
use crate::config::messages::Lang;
use crate::feed::{self, Refusal};
use crate::text::{FontOptions, Fonts};
use std::fmt::Write as _;

/// The result of a check: the text to print and whether the feed is accepted.
pub struct CheckOutcome {
    /// The feed parsed and would be shown (it may still have dropped parts).
    pub accepted: bool,
    /// The report: the accepted or refused line, then every finding.
    pub text: String,
}

/// Checks the feed at `location` and describes the result; `fonts` decides
/// which characters count as covered.
pub fn check(location: &str, fonts: &FontOptions) -> anyhow::Result<CheckOutcome> {
    let fonts = Fonts::load(fonts)?;
    let body = super::read_body(location)?;
    Ok(check_body(&crate::net::redact_url(location), &body, &fonts))
}

/// Checks a body already read; the text says everything validation found.
/// The text is in the language `LANG` asks for ([`Lang::from_env`]).
pub fn check_body(location: &str, body: &[u8], fonts: &Fonts) -> CheckOutcome {
    let lang = Lang::from_env();
    let mut text = String::new();
    let (feed, report) = match feed::parse(body) {
        Ok(ok) => ok,
        Err(refusal) => {
            let _ = writeln!(text, "{}", check_words::refused_line(location, &refusal, lang));
            return CheckOutcome {
                accepted: false,
                text,
            };
        }
    };
    let _ = writeln!(text, "{}", check_words::accepted_line(location, &feed, lang));
    check_words::report_findings(&mut text, &feed, &report, &|c| fonts.covers(c), lang);
    CheckOutcome { accepted: true, text }
}

/// Whether a refusal is the one expected; used by tests and scripts.
pub fn refusal_code(body: &[u8]) -> Option<&'static str> {
    feed::parse(body).err().as_ref().map(Refusal::code)
}
