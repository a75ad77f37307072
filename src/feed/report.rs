//! What validation did to a document: refused whole, items dropped, strings cleaned.

use thiserror::Error;

/// Why a whole document was refused. The last good document stays on screen.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum Refusal {
    /// The body is over [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES).
    #[error("the body is larger than the {limit}-byte limit; fix the service or split the feed")]
    TooLarge {
        /// The limit the body broke, in bytes.
        limit: usize,
    },
    /// The body is not UTF-8 (e.g. GBK).
    #[error("the body is not UTF-8 (first bad byte at offset {offset}); the service must send UTF-8 JSON")]
    NotUtf8 {
        /// The byte offset of the first invalid byte (the length of the valid prefix).
        offset: usize,
    },
    /// The body is empty or only whitespace (after any byte-order mark).
    #[error("the body is empty; the service sent no document")]
    Empty,
    /// The body does not parse as JSON (a truncated body, garbage).
    #[error("the body is not JSON: {message} at line {line}, column {column}")]
    NotJson {
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error on that line, from 1.
        column: usize,
        /// The parser's description of the error, without its position.
        message: String,
    },
    /// The body starts with `<`: an HTML page rather than a feed.
    #[error("the body is an HTML page (often a proxy's or server's error page), not JSON")]
    HtmlPage,
    /// The body is JSON, but its top level is not an object.
    #[error("the document is not a JSON object")]
    NotAnObject,
    /// The document has no `schema_version` (or it is null).
    #[error("`schema_version` is missing; a version 1 document must say `\"schema_version\": 1`")]
    MissingSchemaVersion,
    /// `schema_version` is anything but the integer 1 (`2`, `"1"`, `1.5`).
    #[error("`schema_version` is {found}; this client reads version 1 only")]
    UnsupportedSchemaVersion {
        /// The value found, as JSON text.
        found: String,
    },
    /// The document has no `generated_at` (or it is null).
    #[error("`generated_at` is missing; it must be an RFC 3339 time with an offset")]
    MissingGeneratedAt,
    /// `generated_at` is not an RFC 3339 time with an offset.
    #[error(
        "`generated_at` is {found}, not an RFC 3339 time with an offset (e.g. 2026-11-28T10:00:00+08:00)"
    )]
    BadGeneratedAt {
        /// The value found, as JSON text.
        found: String,
    },
    /// The document has no `period` (or it is null).
    #[error("`period` is missing; it must be an object with `id`, `label` and `kind`")]
    MissingPeriod,
    /// `period` is not an object, or its `id`, `label` or `kind` is missing or wrong.
    #[error("`period` is malformed: {reason}")]
    BadPeriod {
        /// What is wrong with it, naming the field at fault.
        reason: String,
    },
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
    /// Where in the document, as a JSON path such as `$.boards[2].entries[5].rank`.
    pub path: String,
    /// What was wrong or what was changed, in words for the operator.
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
