//! Writes the proof-of-play log on a thread of its own, so a slow or broken
//! disk never holds up the screen thread, and keeps what the fleet must know
//! about it: whether the last write worked, since when it fails and why.
//! A failure is logged once when writing starts to fail and once when it
//! works again, not once per page change.

use super::playlog::{PlayEntry, PlayLog};
use crate::write_health::{Change, WriteHealth};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};

/// Entries waiting for the disk before new ones are dropped (and counted).
const QUEUE: usize = 256;

/// The proof-of-play log's health, as `/status` shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlayLogStatus {
    /// The log file.
    pub path: String,
    /// Whether the log is written (`ok`, `failing_since`, `error` in the
    /// JSON).
    #[serde(flatten)]
    pub writes: WriteHealth,
    /// Entries lost since start: failed writes and entries dropped while the
    /// disk was too slow to keep up.
    pub lost_entries: u64,
}

/// The sending side: the screen thread hands entries over and never waits.
pub struct PlayLogWriter {
    tx: SyncSender<PlayEntry>,
    health: Arc<Mutex<PlayLogStatus>>,
    /// The lines the console has not had yet, when the screen reports.
    console: Option<super::PlayQueue>,
}

impl PlayLogWriter {
    /// Starts the writer thread for `log`.
    pub fn start(log: PlayLog) -> std::io::Result<Self> {
        let health = Arc::new(Mutex::new(PlayLogStatus {
            path: log.path().display().to_string(),
            ..PlayLogStatus::default()
        }));
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let shared = health.clone();
        std::thread::Builder::new()
            .name("rankwall-playlog".into())
            .spawn(move || write_all(log, rx, &shared))?;
        Ok(PlayLogWriter {
            tx,
            health,
            console: None,
        })
    }

    /// Also hands each entry to `queue`, for the reports to the console.
    pub fn with_console(self, queue: super::PlayQueue) -> Self {
        PlayLogWriter {
            console: Some(queue),
            ..self
        }
    }

    /// Queues `entry`; when the queue is full it is dropped and counted.
    pub fn send(&self, entry: PlayEntry) {
        if let Some(queue) = &self.console {
            queue.push(&entry);
        }
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) = self.tx.try_send(entry) {
            lock(&self.health).lost_entries += 1;
        }
    }

    /// The log's health now.
    pub fn status(&self) -> PlayLogStatus {
        lock(&self.health).clone()
    }
}

fn lock(health: &Mutex<PlayLogStatus>) -> std::sync::MutexGuard<'_, PlayLogStatus> {
    health.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The thread: writes each entry and records the outcome, until the screen
/// drops its sender.
fn write_all(mut log: PlayLog, rx: mpsc::Receiver<PlayEntry>, health: &Mutex<PlayLogStatus>) {
    for entry in rx {
        let result = log.record(&entry);
        let failed = result.is_err();
        let mut h = lock(health);
        match h.writes.record(result, Utc::now()) {
            Some(Change::Failing(e)) => {
                tracing::warn!(path = %h.path, "cannot write the proof-of-play log (said once until it works again): {e}")
            }
            Some(Change::Recovered) => {
                tracing::info!(path = %h.path, "the proof-of-play log is written again")
            }
            None => {}
        }
        if failed {
            h.lost_entries += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn entry(n: usize) -> PlayEntry {
        PlayEntry {
            start: chrono::DateTime::parse_from_rfc3339("2026-11-03T10:00:00+08:00").unwrap(),
            state: crate::status::ScreenState::Page,
            item: Some(0),
            slide: Some("red-2026-11".into()),
            page: Some(n),
            pages: Some(9),
            data_sha256: "d".into(),
            config_sha256: "c".into(),
            banner: None,
        }
    }

    /// Waits (at most 10 s) until the writer's status satisfies `done`.
    fn wait_for(w: &PlayLogWriter, what: &str, done: impl Fn(&PlayLogStatus) -> bool) -> PlayLogStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let s = w.status();
            if done(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "waited 10 s for {what}; last status {s:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn failures_show_in_the_status_and_recovery_is_automatic() {
        let dir = std::env::temp_dir().join(format!("rankwall-plw-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("played.jsonl");
        // A link planted at the log's name: refused (root included), so
        // every write fails until it goes.
        let victim = dir.join("victim");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        let w = PlayLogWriter::start(PlayLog::new(path.clone(), 1 << 20)).unwrap();
        for n in 0..3 {
            w.send(entry(n));
        }
        let failing = wait_for(&w, "three lost entries", |s| s.lost_entries == 3);
        assert!(
            !failing.writes.ok && failing.writes.failing_since.is_some(),
            "{failing:?}"
        );
        let status = crate::status::ScreenStatus {
            play_log: Some(failing.clone()),
            ..Default::default()
        };
        let metrics = crate::status::metrics_text(&status, Utc::now(), None);
        assert!(metrics.contains("rankwall_play_log_ok 0\n"), "{metrics}");
        assert!(
            metrics.contains("rankwall_play_log_lost_entries_total 3\n"),
            "{metrics}"
        );
        assert!(failing.writes.error.is_some());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        std::fs::remove_file(&path).unwrap();
        w.send(entry(4));
        let back = wait_for(&w, "a good write", |s| s.writes.ok);
        assert_eq!(
            (back.writes.error, back.writes.failing_since, back.lost_entries),
            (None, None, 3)
        );
        assert!(std::fs::read_to_string(&path).unwrap().contains("\"page\":4"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
