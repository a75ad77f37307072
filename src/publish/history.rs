//! The months published: one JSON file per month in a history folder
//! (`2026-11.json`), holding each board's results (rank, score, areas) and
//! who published it when. Next month's `previous_rank`, every board's
//! `history` and the quarters are computed from them. A published month is
//! not written again unless it is corrected, and a correction is recorded
//! in the month's own file (when, who, why).

use super::month::Month;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One unit's result in a published month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// The unit.
    pub name: String,
    /// Its rank on the board.
    pub rank: u32,
    /// Its total, rounded.
    pub score: f64,
    /// Each area's score by key.
    #[serde(default)]
    pub areas: BTreeMap<String, f64>,
}

/// A correction of a published month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// When it was published again, RFC 3339.
    pub at: String,
    /// Who did it.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// A published month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRecord {
    /// `2026-11`.
    pub period: String,
    /// When it was published (last), RFC 3339.
    pub published_at: String,
    /// Who published it.
    pub published_by: String,
    /// Each monthly board's results by the board's key, in rank order.
    pub boards: BTreeMap<String, Vec<UnitResult>>,
    /// Its corrections, oldest first.
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// The months kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// By month, oldest first.
    pub months: BTreeMap<Month, MonthRecord>,
}

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A file of the folder could not be read or written.
    #[error("历史数据 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A month's file is not what this program writes.
    #[error("历史数据 {path} 无法读取：{why}")]
    Bad {
        /// The file.
        path: String,
        /// Why.
        why: String,
    },
    /// The month was published already and no correction was asked for.
    #[error("{0} 已经发布过：如需更正，请注明更正原因（--correct \"原因\"）")]
    Published(Month),
}

impl History {
    /// The months in `dir` (none when it does not exist).
    pub fn load(dir: &Path) -> Result<History, HistoryError> {
        let mut history = History::default();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(history),
            Err(source) => return Err(io(dir, source)),
        };
        for entry in entries {
            let path = entry.map_err(|e| io(dir, e))?.path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let is_json = path.extension().is_some_and(|e| e == "json");
            let Some(month) = Month::parse(stem).filter(|_| is_json) else {
                continue;
            };
            let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
            let record: MonthRecord = serde_json::from_slice(&bytes).map_err(|e| HistoryError::Bad {
                path: path.display().to_string(),
                why: e.to_string(),
            })?;
            history.months.insert(month, record);
        }
        Ok(history)
    }

    /// Writes `record` as `month`'s file in `dir`; refuses a published month
    /// unless `correction` says why, which is then recorded in it.
    pub fn save(
        dir: &Path,
        month: Month,
        mut record: MonthRecord,
        correction: Option<&str>,
    ) -> Result<MonthRecord, HistoryError> {
        let path = dir.join(format!("{month}.json"));
        let before = Self::load(dir)?.months.remove(&month);
        match (before, correction) {
            (Some(_), None) => return Err(HistoryError::Published(month)),
            (Some(old), Some(why)) => {
                record.corrections = old.corrections;
                record.corrections.push(Correction {
                    at: record.published_at.clone(),
                    by: record.published_by.clone(),
                    reason: why.to_string(),
                });
            }
            (None, _) => {}
        }
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let body = serde_json::to_vec_pretty(&record).map_err(|e| HistoryError::Bad {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        crate::private_file::write_atomic(&path, &[&body]).map_err(|e| io(&path, e))?;
        Ok(record)
    }

    /// The results of board `key` in `month`, if kept.
    pub fn board(&self, month: Month, key: &str) -> Option<&[UnitResult]> {
        self.months.get(&month)?.boards.get(key).map(Vec::as_slice)
    }
}

fn io(path: &Path, source: std::io::Error) -> HistoryError {
    HistoryError::Io {
        path: path.display().to_string(),
        source,
    }
}
