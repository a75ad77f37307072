//! Proof of play: an append-only JSON-lines log of what was on screen, one
//! line each time the picture changes to another page, the idle slide or
//! black, rotated by size (`played.jsonl`, then `.1` … `.4`). `rankwall
//! played --at T` answers "what was on the wall at T?" from it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// How many rotated files are kept besides the current one.
const KEEP: usize = 4;

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayEntry {
    /// When the picture appeared on screen.
    pub start: DateTime<FixedOffset>,
    /// A page, the idle slide or black; the fields below are set for a page.
    pub state: super::ScreenState,
    /// The playlist item (0-based).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
    /// The id of that item's slide.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub slide: Option<String>,
    /// 1-based page and the slide's page count.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<usize>,
    /// How many pages the slide had with the data on show.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pages: Option<usize>,
    /// The banner (提示) shown over it: its message's id (`message.N`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub banner: Option<String>,
    /// SHA-256 of the data as shown (normalised), as the status's `content_sha256`.
    pub data_sha256: String,
    /// SHA-256 of the config text in force, as the status's `config.sha256`.
    pub config_sha256: String,
}

/// The log file, appended to by the [`PlayLogWriter`](super::PlayLogWriter)'s thread.
pub struct PlayLog {
    path: PathBuf,
    max_bytes: u64,
}

impl PlayLog {
    /// The log at `path`, rotated once it reaches `max_bytes`.
    pub fn new(path: PathBuf, max_bytes: u64) -> Self {
        PlayLog { path, max_bytes }
    }

    /// The current file (`played.jsonl`); the rotated ones are beside it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry`, rotating first when the file is full.
    pub fn record(&mut self, entry: &PlayEntry) -> std::io::Result<()> {
        if std::fs::metadata(&self.path).is_ok_and(|m| m.len() >= self.max_bytes) {
            self.rotate()?;
        }
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        // Private, and never through a link planted at the log's name.
        let mut file = crate::private_file::open_append(&self.path)?;
        file.write_all(line.as_bytes())
    }

    fn rotate(&self) -> std::io::Result<()> {
        for n in (1..KEEP).rev() {
            let from = rotated(&self.path, n);
            if from.exists() {
                std::fs::rename(&from, rotated(&self.path, n + 1))?;
            }
        }
        std::fs::rename(&self.path, rotated(&self.path, 1))
    }
}

fn rotated(path: &Path, n: usize) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// The entry in effect at `at` (the last one that started at or before it)
/// and the one after it, if any, from the log and its rotated files.
pub fn find_played(
    path: &Path,
    at: DateTime<FixedOffset>,
) -> std::io::Result<Option<(PlayEntry, Option<PlayEntry>)>> {
    let mut files: Vec<PathBuf> = (1..=KEEP).rev().map(|n| rotated(path, n)).collect();
    files.push(path.to_path_buf());
    let mut found: Option<PlayEntry> = None;
    for file in files.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(file)?;
        for line in text.lines() {
            let Ok(entry) = serde_json::from_str::<PlayEntry>(line) else {
                continue;
            };
            if entry.start <= at {
                found = Some(entry);
            } else if let Some(current) = found.take() {
                return Ok(Some((current, Some(entry))));
            } else {
                return Ok(None);
            }
        }
    }
    Ok(found.map(|e| (e, None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(start: &str, page: usize) -> PlayEntry {
        PlayEntry {
            start: DateTime::parse_from_rfc3339(start).unwrap(),
            state: crate::status::ScreenState::Page,
            item: Some(0),
            slide: Some("red-2026-11".into()),
            page: Some(page),
            pages: Some(3),
            data_sha256: "d".into(),
            config_sha256: "c".into(),
            banner: None,
        }
    }

    #[test]
    fn answers_what_was_on_screen_across_rotated_files() {
        let dir = std::env::temp_dir().join(format!("rankwall-playlog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("played.jsonl");
        let mut log = PlayLog::new(path.clone(), 1200);
        for s in 0..20 {
            log.record(&entry(&format!("2026-11-03T10:{:02}:00+08:00", s * 2), s))
                .unwrap();
        }
        assert!(rotated(&path, 1).exists(), "the log rotated");
        let at = DateTime::parse_from_rfc3339("2026-11-03T10:05:30+08:00").unwrap();
        let (now, next) = find_played(&path, at).unwrap().unwrap();
        assert_eq!(now.page, Some(2), "10:04 entry is in effect at 10:05:30");
        assert_eq!(next.unwrap().page, Some(3));
        let before = DateTime::parse_from_rfc3339("2026-11-03T09:00:00+08:00").unwrap();
        assert_eq!(find_played(&path, before).unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
