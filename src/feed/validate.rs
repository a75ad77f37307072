//! Validation of a feed document against contract version 1.
//!
//! The document is first read as generic JSON, so that one bad item can be
//! dropped (with its JSON path) while the rest is kept.

use super::clean::clean;
use super::model::*;
use super::report::{Refusal, Report};
use super::MAX_BODY_BYTES;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

mod amendment2;
pub use amendment2::{MAX_AWARDS, MAX_HISTORY, MAX_RESPONSIBLE};
/// The most entries of one board or list: more is not a ranking a passer-by
/// reads, and it would take the screen's memory and the playlist's time.
pub const MAX_ENTRIES: usize = 10_000;

/// The most boards, lists or notices in one document.
pub const MAX_ITEMS: usize = 1_000;

/// The most sub-score columns of one board.
pub const MAX_COLUMNS: usize = 64;

/// Parses and validates a whole response body.
pub fn parse(bytes: &[u8]) -> Result<(Feed, Report), Refusal> {
    let root = parse_json(bytes)?;
    let root = root.as_object().ok_or(Refusal::NotAnObject)?;
    check_schema_version(root)?;
    let generated_at = generated_at(root)?;
    let mut v = Validator::default();
    let period = v.period(root)?;
    let issuer = v.optional_string(root.get("issuer"), "$.issuer", false);
    let boards = v.nested(root, ("boards", MAX_ITEMS), "$", Validator::board);
    let lists = v.nested(root, ("lists", MAX_ITEMS), "$", Validator::list);
    let notices = v.nested(root, ("notices", MAX_ITEMS), "$", Validator::notice);
    let feed = Feed {
        generated_at,
        issuer,
        period,
        boards,
        lists,
        notices,
    };
    Ok((feed, v.report))
}

fn parse_json(bytes: &[u8]) -> Result<Value, Refusal> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Refusal::TooLarge {
            limit: MAX_BODY_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Refusal::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Refusal::Empty);
    }
    if text.trim_start().starts_with('<') {
        return Err(Refusal::HtmlPage);
    }
    // Arrays are cut at the entry limit while they are read (see `bounded`).
    super::bounded::from_str(text, MAX_ENTRIES).map_err(|e| Refusal::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or("").to_string(),
    })
}

fn check_schema_version(root: &Map<String, Value>) -> Result<(), Refusal> {
    match root.get("schema_version") {
        None | Some(Value::Null) => Err(Refusal::MissingSchemaVersion),
        Some(v) if v.as_u64() == Some(1) => Ok(()),
        Some(v) => Err(Refusal::UnsupportedSchemaVersion { found: shown(v) }),
    }
}

fn generated_at(root: &Map<String, Value>) -> Result<DateTime<FixedOffset>, Refusal> {
    match root.get("generated_at") {
        None | Some(Value::Null) => Err(Refusal::MissingGeneratedAt),
        Some(v) => parse_time(v).ok_or_else(|| Refusal::BadGeneratedAt { found: shown(v) }),
    }
}

/// An RFC 3339 timestamp with an explicit offset (`Z` counts as one).
pub(crate) fn parse_time(value: &Value) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(value.as_str()?).ok()
}

/// Whether `id` matches `[a-z0-9_-]{1,64}`.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Why a board, list, notice or entry is dropped (or the period refused):
/// its text is the finding's reason, naming the field at fault.
#[derive(Debug, Error)]
enum Dropped {
    /// A required field is absent or null.
    #[error("`{0}` is missing")]
    Missing(&'static str),
    /// A required string field is empty once cleaned.
    #[error("`{0}` is empty")]
    Empty(&'static str),
    /// A field that must be a string is something else.
    #[error("`{key}` must be a string, found {found}")]
    NotAString {
        /// The field.
        key: &'static str,
        /// What it is instead.
        found: &'static str,
    },
    /// The item is not a JSON object.
    #[error("expected an object, found {0}")]
    NotAnObject(&'static str),
    /// An `id` outside `[a-z0-9_-]{1,64}`.
    #[error("`id` {0:?} does not match [a-z0-9_-]{{1,64}}")]
    BadId(String),
    /// An `id` seen before in the document.
    #[error("`id` {0:?} is a duplicate; the first item with it is kept")]
    DuplicateId(String),
    /// A board's `level` outside the three known.
    #[error("`level` must be \"township\", \"village\" or \"household\"")]
    BadLevel,
    /// A list's `kind` other than red or black.
    #[error("`kind` must be \"red\" or \"black\"")]
    BadListKind,
    /// The period's `kind` outside the three known.
    #[error("`kind` must be \"month\", \"quarter\" or \"year\"")]
    BadPeriodKind,
    /// A rank that is not a positive integer (the value as shown).
    #[error("`rank` must be an integer ≥ 1, found {0}")]
    BadRank(String),
    /// An award tier's `count` that is not an integer ≥ 0 (the value as shown).
    #[error("`count` must be an integer ≥ 0, found {0}")]
    BadCount(String),
    /// A notice's window bound that is not a time with an offset.
    #[error("`{key}` is {found}, not an RFC 3339 time with an offset")]
    BadTime {
        /// `from` or `until`.
        key: &'static str,
        /// The value as shown.
        found: String,
    },
}

#[derive(Default)]
struct Validator {
    report: Report,
    ids: HashSet<String>,
}

impl Validator {
    /// A string field, cleaned; `None` (with a dropped-field finding) when it
    /// has another type. Empty strings count as absent.
    fn optional_string(&mut self, value: Option<&Value>, path: &str, newlines: bool) -> Option<String> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                let (text, cleaning) = clean(s, newlines);
                if cleaning.changed() {
                    self.report.clean(path, cleaning.describe());
                }
                let trimmed = text.trim();
                (!trimmed.is_empty()).then(|| trimmed.to_string())
            }
            Some(other) => {
                self.report
                    .drop(path, format!("expected a string, found {}", kind_of(other)));
                None
            }
        }
    }

    /// A required string field; `Err` carries the reason the item is dropped.
    fn required_string(
        &mut self,
        obj: &Map<String, Value>,
        key: &'static str,
        path: &str,
        newlines: bool,
    ) -> Result<String, Dropped> {
        let field = format!("{path}.{key}");
        match obj.get(key) {
            Some(Value::String(_)) => self
                .optional_string(obj.get(key), &field, newlines)
                .ok_or(Dropped::Empty(key)),
            None | Some(Value::Null) => Err(Dropped::Missing(key)),
            Some(other) => Err(Dropped::NotAString {
                key,
                found: kind_of(other),
            }),
        }
    }

    fn period(&mut self, root: &Map<String, Value>) -> Result<Period, Refusal> {
        let obj = match root.get("period") {
            None | Some(Value::Null) => return Err(Refusal::MissingPeriod),
            Some(Value::Object(o)) => o,
            Some(other) => {
                return Err(Refusal::BadPeriod {
                    reason: format!("expected an object, found {}", kind_of(other)),
                })
            }
        };
        let bad = |reason: Dropped| Refusal::BadPeriod {
            reason: reason.to_string(),
        };
        let id = self.required_string(obj, "id", "$.period", false).map_err(bad)?;
        let label = self
            .required_string(obj, "label", "$.period", false)
            .map_err(bad)?;
        let kind = match obj.get("kind").and_then(Value::as_str) {
            Some("month") => PeriodKind::Month,
            Some("quarter") => PeriodKind::Quarter,
            Some("year") => PeriodKind::Year,
            _ => return Err(bad(Dropped::BadPeriodKind)),
        };
        Ok(Period { id, label, kind })
    }

    /// The `id` of a board, list or notice: valid and not seen before.
    fn item_id(&mut self, obj: &Map<String, Value>) -> Result<String, Dropped> {
        let id = match obj.get("id") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => return Err(Dropped::Missing("id")),
            Some(other) => {
                return Err(Dropped::NotAString {
                    key: "id",
                    found: kind_of(other),
                })
            }
        };
        if !valid_id(&id) {
            return Err(Dropped::BadId(id));
        }
        if !self.ids.insert(id.clone()) {
            return Err(Dropped::DuplicateId(id));
        }
        Ok(id)
    }

    fn board(&mut self, value: &Value, path: &str) -> Result<Board, Dropped> {
        let obj = as_object(value)?;
        let title = self.required_string(obj, "title", path, false)?;
        let level = match obj.get("level").and_then(Value::as_str) {
            Some("township") => Level::Township,
            Some("village") => Level::Village,
            Some("household") => Level::Household,
            _ => return Err(Dropped::BadLevel),
        };
        let id = self.item_id(obj)?;
        let group = self.optional_string(obj.get("group"), &format!("{path}.group"), false);
        let columns = self.nested(obj, ("columns", MAX_COLUMNS), path, Self::column);
        let mut entries = self.nested(obj, ("entries", MAX_ENTRIES), path, Self::board_entry);
        entries.sort_by_key(|e| e.rank);
        let awards = self.nested(obj, ("awards", amendment2::MAX_AWARDS), path, Self::award);
        Ok(Board {
            id,
            title,
            level,
            group,
            columns,
            entries,
            awards,
        })
    }

    /// Validates each element of the optional array `key` of `obj` (at
    /// `path`), dropping the bad ones with their paths; elements past `limit`
    /// are left out and reported once, as a range.
    fn nested<T>(
        &mut self,
        obj: &Map<String, Value>,
        (key, limit): (&str, usize),
        path: &str,
        item: fn(&mut Self, &Value, &str) -> Result<T, Dropped>,
    ) -> Vec<T> {
        let items = match obj.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.report.drop(
                    format!("{path}.{key}"),
                    format!("expected an array, found {}", kind_of(other)),
                );
                return Vec::new();
            }
        };
        let (items, total) = super::bounded::omitted(items, MAX_ENTRIES);
        if total > limit {
            self.report.drop(
                format!("{path}.{key}[{limit}..{total}]"),
                format!("{} of {total} left out: at most {limit} are shown", total - limit),
            );
        }
        let mut out = Vec::with_capacity(items.len().min(limit));
        for (i, value) in items.iter().enumerate().take(limit) {
            let item_path = format!("{path}.{key}[{i}]");
            match item(self, value, &item_path) {
                Ok(t) => out.push(t),
                Err(reason) => self.report.drop(item_path, reason.to_string()),
            }
        }
        out
    }

    fn column(&mut self, value: &Value, path: &str) -> Result<Column, Dropped> {
        let obj = as_object(value)?;
        let key = self.required_string(obj, "key", path, false)?;
        let label = self.required_string(obj, "label", path, false)?;
        let max = self.column_max(obj, path);
        Ok(Column { key, label, max })
    }

    fn board_entry(&mut self, value: &Value, path: &str) -> Result<BoardEntry, Dropped> {
        let obj = as_object(value)?;
        let name = self.required_string(obj, "name", path, false)?;
        let rank = required_rank(obj)?;
        let previous_rank = match obj.get("previous_rank") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let p = positive_int(v);
                if p.is_none() {
                    self.report.drop(
                        format!("{path}.previous_rank"),
                        format!("must be an integer ≥ 1 or null, found {}", shown(v)),
                    );
                }
                p
            }
        };
        Ok(BoardEntry {
            rank,
            score: self.number(obj.get("score"), &format!("{path}.score")),
            previous_rank,
            grade: self.optional_string(obj.get("grade"), &format!("{path}.grade"), false),
            parent: self.optional_string(obj.get("parent"), &format!("{path}.parent"), false),
            scores: self.scores(obj.get("scores"), &format!("{path}.scores")),
            note: self.optional_string(obj.get("note"), &format!("{path}.note"), false),
            history: self.history(obj, path),
            responsible: self.nested(
                obj,
                ("responsible", amendment2::MAX_RESPONSIBLE),
                path,
                Self::responsible,
            ),
            name,
        })
    }

    fn number(&mut self, value: Option<&Value>, path: &str) -> Option<f64> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                self.report
                    .drop(path, format!("expected a number, found {}", kind_of(other)));
                None
            }
        }
    }

    fn scores(&mut self, value: Option<&Value>, path: &str) -> BTreeMap<String, f64> {
        let obj = match value {
            None | Some(Value::Null) => return BTreeMap::new(),
            Some(Value::Object(o)) => o,
            Some(other) => {
                self.report
                    .drop(path, format!("expected an object, found {}", kind_of(other)));
                return BTreeMap::new();
            }
        };
        let mut out = BTreeMap::new();
        for (key, v) in obj {
            match v.as_f64() {
                Some(n) => {
                    out.insert(key.clone(), n);
                }
                None => self.report.drop(
                    format!("{path}{}", path_key(key)),
                    format!("sub-score must be a number, found {}", kind_of(v)),
                ),
            }
        }
        out
    }

    fn list(&mut self, value: &Value, path: &str) -> Result<RankList, Dropped> {
        let obj = as_object(value)?;
        let title = self.required_string(obj, "title", path, false)?;
        let kind = match obj.get("kind").and_then(Value::as_str) {
            Some("red") => ListKind::Red,
            Some("black") => ListKind::Black,
            _ => return Err(Dropped::BadListKind),
        };
        let id = self.item_id(obj)?;
        let entries = self.nested(obj, ("entries", MAX_ENTRIES), path, Self::list_entry);
        Ok(RankList {
            id,
            kind,
            title,
            entries,
        })
    }

    fn list_entry(&mut self, value: &Value, path: &str) -> Result<ListEntry, Dropped> {
        let obj = as_object(value)?;
        Ok(ListEntry {
            name: self.required_string(obj, "name", path, false)?,
            place: self.optional_string(obj.get("place"), &format!("{path}.place"), false),
            reason: self.optional_string(obj.get("reason"), &format!("{path}.reason"), false),
        })
    }

    fn notice(&mut self, value: &Value, path: &str) -> Result<Notice, Dropped> {
        let obj = as_object(value)?;
        let title = self.required_string(obj, "title", path, false)?;
        let body = self.required_string(obj, "body", path, true)?;
        let from = window_time(obj, "from")?;
        let until = window_time(obj, "until")?;
        let id = self.item_id(obj)?;
        Ok(Notice {
            id,
            title,
            body,
            from,
            until,
        })
    }
}

/// An optional window bound of a notice; a malformed one drops the notice,
/// since showing it at the wrong time is worse than not showing it.
fn window_time(
    obj: &Map<String, Value>,
    key: &'static str,
) -> Result<Option<DateTime<FixedOffset>>, Dropped> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => parse_time(v)
            .map(Some)
            .ok_or_else(|| Dropped::BadTime { key, found: shown(v) }),
    }
}

/// The required `rank` of `obj`: an integer ≥ 1.
fn required_rank(obj: &Map<String, Value>) -> Result<u32, Dropped> {
    match obj.get("rank") {
        None | Some(Value::Null) => Err(Dropped::Missing("rank")),
        Some(v) => positive_int(v).ok_or_else(|| Dropped::BadRank(shown(v))),
    }
}

fn as_object(value: &Value) -> Result<&Map<String, Value>, Dropped> {
    value
        .as_object()
        .ok_or_else(|| Dropped::NotAnObject(kind_of(value)))
}

fn positive_int(value: &Value) -> Option<u32> {
    value
        .as_u64()
        .filter(|&n| n >= 1)
        .and_then(|n| u32::try_from(n).ok())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The longest key a finding's path shows, in characters.
const MAX_PATH_KEY: usize = 40;

/// An object key as a path component: `.key` for a plain name, else the key
/// as an escaped JSON string in brackets, shortened, so that a key from the
/// feed can never put an escape sequence or a line break into a log or a
/// terminal.
fn path_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key.len() <= MAX_PATH_KEY
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        return format!(".{key}");
    }
    let short: String = key.chars().take(MAX_PATH_KEY).collect();
    let more = if short.len() < key.len() { "…" } else { "" };
    // serde_json escapes every control character as \uXXXX.
    let quoted = serde_json::to_string(&short).unwrap_or_default();
    let quoted = quoted.replace(['\u{2028}', '\u{2029}', '\u{85}'], "?");
    format!("[{quoted}{more}]")
}

#[cfg(test)]
mod path_tests {
    use super::path_key;

    #[test]
    fn keys_in_paths_are_escaped_and_shortened() {
        assert_eq!(path_key("sanitation"), ".sanitation");
        assert_eq!(path_key("\u{1b}[2J"), "[\"\\u001b[2J\"]");
        assert_eq!(path_key("a\nERROR forged"), "[\"a\\nERROR forged\"]");
        let long = "键".repeat(100);
        assert!(path_key(&long).chars().count() < 50);
        assert!(!path_key("x\u{2028}y").contains('\u{2028}'));
    }
}

/// The longest value a message quotes, in characters.
const MAX_SHOWN: usize = 80;

/// A value from the feed as a message may quote it: JSON (every control
/// character escaped), cut to [`MAX_SHOWN`] characters with "…", so that a
/// 7 MiB value cannot make a 7 MiB `/status` or log line.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= MAX_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod shown_tests {
    use super::shown;

    #[test]
    fn quoted_values_are_escaped_and_shortened() {
        assert_eq!(shown(&serde_json::json!(2)), "2");
        assert_eq!(shown(&serde_json::json!("\u{1b}[2J")), "\"\\u001b[2J\"");
        let long = serde_json::json!("x".repeat(7 << 20));
        assert_eq!(shown(&long).chars().count(), 81);
    }
}
