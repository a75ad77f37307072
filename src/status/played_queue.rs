//! Proof of play for the console: the lines of `played.jsonl` not yet
//! delivered, held in memory (bounded) until a report carries them. Each
//! report takes the oldest `PER_REPORT` lines with how long each was on
//! screen; the line on show now goes again with the next report (its
//! seconds grown), so the console's count of seconds stays within one
//! report interval of the wall's. A console that is down for a long time
//! costs the oldest lines beyond `KEPT`, counted in `played_dropped`.

use super::{PlayEntry, ScreenState};
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

/// Lines one report carries at most (~100 bytes each as JSON).
pub const PER_REPORT: usize = 500;

/// Lines kept for the console at most: about a day of 10-second pages.
pub const KEPT: usize = 10_000;

/// One line as a report carries it (`played` in the report's JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayedLine {
    /// When the picture appeared, as in `played.jsonl`.
    pub start: DateTime<FixedOffset>,
    /// A page, the idle slide, black.
    pub state: ScreenState,
    /// The playlist item (0-based), for a page.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
    /// The id of that item's slide.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub slide: Option<String>,
    /// 1-based page.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<usize>,
    /// The slide's page count.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pages: Option<usize>,
    /// How long it was on screen: to the next line's start, or to now for
    /// the line on show (sent again, longer, with the next report).
    pub seconds: f64,
}

/// The lines waiting for the console, shared by the proof-of-play writer
/// (which adds) and the reporter (which sends and acknowledges).
#[derive(Clone, Default)]
pub struct PlayQueue {
    inner: Arc<Mutex<Waiting>>,
}

#[derive(Default)]
struct Waiting {
    lines: VecDeque<PlayEntry>,
    dropped: u64,
    /// Lines taken from the front so far (sent or dropped): a batch in
    /// flight while the full queue drops its oldest lets go of fewer.
    gone: u64,
}

/// What one report carries: the lines and how many to let go of once the
/// console has them.
#[derive(Debug)]
pub struct Batch {
    /// The lines, oldest first.
    pub lines: Vec<PlayedLine>,
    /// Lines lost since start because the queue was full.
    pub dropped: u64,
    done: usize,
    gone: u64,
}

impl PlayQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds the line that just went on screen; the oldest goes when full.
    pub fn push(&self, entry: &PlayEntry) {
        let mut w = self.lock();
        if w.lines.len() >= KEPT {
            w.lines.pop_front();
            w.dropped += 1;
            w.gone += 1;
        }
        w.lines.push_back(entry.clone());
    }

    /// The oldest lines, at most `PER_REPORT`, with their seconds as of `now`.
    pub fn batch(&self, now: DateTime<Utc>) -> Batch {
        let w = self.lock();
        let n = w.lines.len().min(PER_REPORT);
        let lines = (0..n)
            .map(|i| {
                let entry = &w.lines[i];
                let end = w.lines.get(i + 1).map_or(now, |next| next.start.to_utc());
                line(entry, end)
            })
            .collect();
        // The line on show stays, to be sent again with its seconds grown.
        let done = if n == w.lines.len() {
            n.saturating_sub(1)
        } else {
            n
        };
        Batch {
            lines,
            dropped: w.dropped,
            done,
            gone: w.gone,
        }
    }

    /// The console has `batch`: its finished lines go.
    pub fn delivered(&self, batch: &Batch) {
        let mut w = self.lock();
        let since = usize::try_from(w.gone - batch.gone).unwrap_or(usize::MAX);
        let n = batch.done.saturating_sub(since).min(w.lines.len());
        w.lines.drain(..n);
        w.gone += n as u64;
    }
}

fn line(entry: &PlayEntry, end: DateTime<Utc>) -> PlayedLine {
    let millis = (end - entry.start.to_utc()).num_milliseconds().max(0);
    PlayedLine {
        start: entry.start,
        state: entry.state,
        item: entry.item,
        slide: entry.slide.clone(),
        page: entry.page,
        pages: entry.pages,
        seconds: millis as f64 / 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(second: u32) -> PlayEntry {
        PlayEntry {
            start: DateTime::parse_from_rfc3339(&format!("2026-11-03T10:00:{second:02}+08:00")).unwrap(),
            state: ScreenState::Page,
            item: Some(1),
            slide: Some("red".into()),
            page: Some(1),
            pages: Some(2),
            data_sha256: String::new(),
            config_sha256: String::new(),
            banner: None,
        }
    }

    fn at(second: u32) -> DateTime<Utc> {
        entry(second).start.to_utc()
    }

    #[test]
    fn the_line_on_show_goes_again_with_its_seconds_grown() {
        let q = PlayQueue::default();
        q.push(&entry(0));
        q.push(&entry(10));
        let b = q.batch(at(14));
        let seconds: Vec<f64> = b.lines.iter().map(|l| l.seconds).collect();
        assert_eq!(seconds, [10.0, 4.0]);
        q.delivered(&b);
        q.push(&entry(20));
        let b = q.batch(at(21));
        let starts: Vec<_> = b.lines.iter().map(|l| (l.start, l.seconds)).collect();
        assert_eq!(starts, [(entry(10).start, 10.0), (entry(20).start, 1.0)]);
    }

    #[test]
    fn a_report_carries_a_bounded_batch_and_a_full_queue_drops_the_oldest() {
        let q = PlayQueue::default();
        for n in 0..(KEPT + 3) {
            q.push(&entry((n % 60) as u32));
        }
        let b = q.batch(at(0));
        assert_eq!((b.lines.len(), b.dropped), (PER_REPORT, 3));
        q.delivered(&b);
        assert_eq!(q.lock().lines.len(), KEPT - PER_REPORT);
    }
}
