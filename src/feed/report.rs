//! What validation did to a document: refused whole, items dropped, strings cleaned.

use thiserror::Error;

/// Why a whole document was refused. The last good document stays on screen.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("the body is larger than the {limit}-byte limit; fix the service or split the feed")]
    TooLarge { limit: usize },
    #[error("the body is not UTF-8 (first bad byte at offset {offset}); the service must send UTF-8 JSON")]
    NotUtf8 { offset: usize },
    #[error("the body is empty; the service sent no document")]
    Empty,
    #[error("the body is not JSON: {message} at line {line}, column {column}")]
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the body is an HTML page (often a proxy's or server's error page), not JSON")]
    HtmlPage,
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("`schema_version` is missing; a version 1 document must say `\"schema_version\": 1`")]
    MissingSchemaVersion,
    #[error("`schema_version` is {found}; this client reads version 1 only")]
    UnsupportedSchemaVersion { found: String },
    #[error("`generated_at` is missing; it must be an RFC 3339 time with an offset")]
    MissingGeneratedAt,
    #[error(
        "`generated_at` is {found}, not an RFC 3339 time with an offset (e.g. 2026-11-28T10:00:00+08:00)"
    )]
    BadGeneratedAt { found: String },
    #[error("`period` is missing; it must be an object with `id`, `label` and `kind`")]
    MissingPeriod,
    #[error("`period` is malformed: {reason}")]
    BadPeriod { reason: String },
}

impl Refusal {
    /// A short stable code for logs, status and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooLarge { .. } => "too_large",
            Refusal::NotUtf8 { .. } => "not_utf8",
            Refusal::Empty => "empty",
            Refusal::NotJson { .. } => "not_json",
            Refusal::HtmlPage => "html_page",
            Refusal::NotAnObject => "not_object",
            Refusal::MissingSchemaVersion => "schema_version_missing",
            Refusal::UnsupportedSchemaVersion { .. } => "schema_version_unsupported",
            Refusal::MissingGeneratedAt => "generated_at_missing",
            Refusal::BadGeneratedAt { .. } => "generated_at_malformed",
            Refusal::MissingPeriod => "period_missing",
            Refusal::BadPeriod { .. } => "period_malformed",
        }
    }
}

/// One thing validation noticed, at a JSON path such as `$.boards[2].entries[5].rank`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything validation dropped or changed in an accepted document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Items (or fields) left out; the rest of the document is shown.
    pub dropped: Vec<Finding>,
    /// Strings that had control characters removed or were cut to 200 characters.
    pub cleaned: Vec<Finding>,
}

impl Report {
    pub(crate) fn drop(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.dropped.push(Finding {
            path: path.into(),
            message: message.into(),
        });
    }

    pub(crate) fn clean(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.cleaned.push(Finding {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Logs every finding once, as warnings.
    pub fn log(&self) {
        for f in &self.dropped {
            tracing::warn!(path = %f.path, "feed item dropped: {}", f.message);
        }
        for f in &self.cleaned {
            tracing::info!(path = %f.path, "feed string cleaned: {}", f.message);
        }
    }
}
