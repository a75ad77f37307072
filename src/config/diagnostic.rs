//! Located messages about a config file: file, line, column, what is wrong,
//! and what to do.

use super::messages::{self, Lang};
use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file is refused: no settings come out of it.
    Error,
    /// The file is accepted, but something in it is worth a look (e.g. an item that matches nothing
    /// in the feed).
    Warning,
}

/// One message about one place in a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the file is refused over this.
    pub severity: Severity,
    /// The file or URL the message is about, as the operator named it.
    pub file: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    /// The 1-based column, in characters (not bytes).
    pub column: usize,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it (e.g. the key a misspelt one probably meant); `None` when there is no
    /// advice.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// What is wrong, in `lang` (see [`super::messages`]).
    pub fn message_in(&self, lang: Lang) -> String {
        messages::render(&self.message, lang)
    }

    /// What to do, in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        self.hint.as_deref().map(|h| messages::render(h, lang))
    }
}

/// In the CLI's language ([`Lang::from_env`]): `file:line:col: error: …`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = Lang::from_env();
        let (level, advice) = match (self.severity, lang) {
            (Severity::Error, Lang::En) => ("error", "hint"),
            (Severity::Warning, Lang::En) => ("warning", "hint"),
            (Severity::Error, Lang::Zh) => ("错误", "建议"),
            (Severity::Warning, Lang::Zh) => ("警告", "建议"),
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.file,
            self.line,
            self.column,
            self.message_in(lang)
        )?;
        if let Some(hint) = self.hint_in(lang) {
            write!(f, "\n  {advice}: {hint}")?;
        }
        Ok(())
    }
}

/// Turns byte offsets into line and column for one source text.
pub struct Locator<'a> {
    /// The file or URL that diagnostics name.
    pub file: &'a str,
    /// The whole source text that byte offsets point into.
    pub text: &'a str,
}

impl Locator<'_> {
    /// The 1-based line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// A diagnostic about the text at byte range `span`, placed at the start of the span.
    pub fn at(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            severity,
            file: printable(self.file),
            line,
            column,
            message: printable(&message),
            hint: hint.map(|h| printable(&h)),
        }
    }
}

/// The known name closest to `unknown`, if any is close enough to be a typo.
pub fn suggestion<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The longest config value quoted in a message, in characters.
const MAX_VALUE: usize = 80;

/// A value from a config, as a message quotes it: cut at 80 characters
/// with "…" (escaping is done when the message is printed). A 10,000-character
/// key or time zone must not fill a terminal or a log line.
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(MAX_VALUE) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// The longest message or hint printed, in characters.
const MAX_MESSAGE: usize = 240;

/// `text` safe for a terminal and a log line: control and format characters
/// (an escape sequence, a line break in a key from a remote config) written
/// as `\u{…}`, and the whole cut at [`MAX_MESSAGE`] characters with "…".
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE * 4));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_MESSAGE {
            out.push('…');
            break;
        }
        if c.is_control() || crate::feed::is_invisible_format(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// An error at `span` with a hint.
pub(super) fn error(loc: &Locator, span: std::ops::Range<usize>, message: String, hint: &str) -> Diagnostic {
    loc.at(Severity::Error, span, message, Some(hint.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_after_the_last_newline() {
        let l = Locator {
            file: "x.toml",
            text: "a = 1\n名称 = 2\n",
        };
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(6), (2, 1));
        assert_eq!(l.position(6 + "名称 ".len()), (2, 4));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            suggestion("durtion", &["duration", "rows", "transition"]),
            Some("duration")
        );
        assert_eq!(suggestion("colour", &["duration", "rows"]), None);
    }
}
