//! Contract Amendment 2: an entry's `history` and `responsible`, a column's
//! `max`, a board's `awards`. Validated like version 1: a malformed point,
//! person or tier is dropped with its JSON path; a history longer than 36
//! keeps the newest 36; strings are cleaned and cut like any other.

use super::{as_object, kind_of, shown, Dropped, Validator};
use crate::feed::{Award, HistoryPoint, Responsible};
use serde_json::{Map, Value};

/// At most this many earlier periods are kept, the newest.
pub const MAX_HISTORY: usize = 36;
/// At most this many people or departments answer for a unit.
pub const MAX_RESPONSIBLE: usize = 8;
/// At most this many award tiers a board.
pub const MAX_AWARDS: usize = 16;

impl Validator {
    /// The newest 36 valid points of `history` (oldest first).
    pub(super) fn history(&mut self, obj: &Map<String, Value>, path: &str) -> Vec<HistoryPoint> {
        let Some(Value::Array(items)) = obj.get("history") else {
            if let Some(other) = obj.get("history").filter(|v| !v.is_null()) {
                let found = kind_of(other);
                self.report.drop(
                    format!("{path}.history"),
                    format!("expected an array, found {found}"),
                );
            }
            return Vec::new();
        };
        let skip = items.len().saturating_sub(MAX_HISTORY);
        if skip > 0 {
            self.report.drop(
                format!("{path}.history[0..{skip}]"),
                format!(
                    "{skip} of {} left out: at most {MAX_HISTORY} are shown",
                    items.len()
                ),
            );
        }
        let mut out = Vec::new();
        for (i, value) in items.iter().enumerate().skip(skip) {
            let at = format!("{path}.history[{i}]");
            match self.history_point(value, &at) {
                Ok(point) => out.push(point),
                Err(reason) => self.report.drop(at, reason.to_string()),
            }
        }
        out
    }

    fn history_point(&mut self, value: &Value, path: &str) -> Result<HistoryPoint, Dropped> {
        let obj = as_object(value)?;
        let period = self.required_string(obj, "period", path, false)?;
        let rank = super::required_rank(obj)?;
        let score = self.number(obj.get("score"), &format!("{path}.score"));
        Ok(HistoryPoint { period, rank, score })
    }

    /// One person or department of `responsible`.
    pub(super) fn responsible(&mut self, value: &Value, path: &str) -> Result<Responsible, Dropped> {
        let obj = as_object(value)?;
        let role = self.required_string(obj, "role", path, false)?;
        let name = self.required_string(obj, "name", path, false)?;
        Ok(Responsible { role, name })
    }

    /// One tier of `awards`.
    pub(super) fn award(&mut self, value: &Value, path: &str) -> Result<Award, Dropped> {
        let obj = as_object(value)?;
        let grade = self.required_string(obj, "grade", path, false)?;
        let count = match obj.get("count") {
            None | Some(Value::Null) => return Err(Dropped::Missing("count")),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| Dropped::BadCount(shown(v)))?,
        };
        let reward = self.optional_string(obj.get("reward"), &format!("{path}.reward"), false);
        Ok(Award { grade, count, reward })
    }

    /// A column's full marks: a number above 0, else dropped (the column stays).
    pub(super) fn column_max(&mut self, obj: &Map<String, Value>, path: &str) -> Option<f64> {
        let max = self.number(obj.get("max"), &format!("{path}.max"))?;
        if max > 0.0 && max.is_finite() {
            return Some(max);
        }
        self.report.drop(
            format!("{path}.max"),
            format!("must be a number > 0, found {max}"),
        );
        None
    }
}
