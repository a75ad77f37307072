//! Proof of play in the database: the lines screens upload with their
//! reports (`status::PlayedLine`), counted per day, screen, item and slide
//! for the 播放记录 page and its CSV, asked "what was on screen X at T",
//! and pruned after the admin's retention.

use super::{Store, StoreError};
use crate::status::{PlayedLine, ScreenState};
use rusqlite::{params, OptionalExtension};

/// How long lines are kept until an admin sets otherwise.
pub const DEFAULT_RETENTION_DAYS: i64 = 400;

/// The settings key of the retention, in days.
const RETENTION_KEY: &str = "plays_retention_days";

/// The most rows one count returns (a page and its CSV stay bounded).
pub const MAX_COUNT_ROWS: i64 = 20_000;

/// What to count: every bound is optional; days are `YYYY-MM-DD`.
#[derive(Clone, Debug, Default)]
pub struct PlayFilter {
    /// One group.
    pub group: Option<String>,
    /// One screen.
    pub screen: Option<String>,
    /// The first day counted.
    pub from: Option<String>,
    /// The last day counted.
    pub to: Option<String>,
}

/// One row of the count: a slide (or the idle slide, or black) on one
/// screen on one day.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PlayCount {
    /// `YYYY-MM-DD`, where the screen stands.
    pub day: String,
    /// The screen's id.
    pub screen_id: String,
    /// Its name, when it is enrolled.
    pub screen_name: String,
    /// The group it was in.
    pub group: String,
    /// `page`, `idle` or `off`.
    pub state: String,
    /// The playlist item, 0-based, for a page.
    pub item: Option<i64>,
    /// The slide's id, for a page.
    pub slide: Option<String>,
    /// How many times it came on (its first page went up).
    pub plays: i64,
    /// How many pages went up.
    pub pages: i64,
    /// Seconds on screen in all.
    pub seconds: f64,
}

/// One line as it was uploaded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PlayLine {
    /// When it appeared, as the screen wrote it (RFC 3339 with its offset).
    pub start: String,
    /// `page`, `idle` or `off`.
    pub state: String,
    /// The playlist item, 0-based.
    pub item: Option<i64>,
    /// The slide's id.
    pub slide: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// The slide's page count.
    pub pages: Option<i64>,
    /// Seconds on screen (so far, for the line on show).
    pub seconds: f64,
}

impl Store {
    /// Keeps `lines` from screen `id` in `group`. A line sent again (the one
    /// that was on show at the last report) keeps its longest seconds.
    pub fn save_plays(&self, id: &str, group: &str, lines: &[PlayedLine]) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO plays (screen_id, group_name, start_ms, start, day, state, item, slide, page, pages, seconds)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (screen_id, start_ms) DO UPDATE SET seconds = max(seconds, excluded.seconds)",
            )?;
            for l in lines {
                let count = |n: Option<usize>| n.and_then(|n| i64::try_from(n).ok());
                insert.execute(params![
                    id,
                    group,
                    l.start.timestamp_millis(),
                    l.start.to_rfc3339(),
                    l.start.format("%Y-%m-%d").to_string(),
                    l.state.name(),
                    count(l.item),
                    l.slide,
                    count(l.page),
                    count(l.pages),
                    l.seconds,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The counts `filter` asks for, by day (newest first), screen, item.
    pub fn play_counts(&self, filter: &PlayFilter) -> Result<Vec<PlayCount>, StoreError> {
        let conn = self.lock();
        let mut q = conn.prepare_cached(
            "SELECT p.day, p.screen_id, coalesce(s.name, ''), p.group_name, p.state, p.item, p.slide,
                    sum(p.state = 'page' AND coalesce(p.page, 1) = 1), count(*), sum(p.seconds)
             FROM plays p LEFT JOIN screens s ON s.id = p.screen_id
             WHERE (?1 IS NULL OR p.group_name = ?1) AND (?2 IS NULL OR p.screen_id = ?2)
               AND (?3 IS NULL OR p.day >= ?3) AND (?4 IS NULL OR p.day <= ?4)
             GROUP BY p.day, p.screen_id, p.group_name, p.state, p.item, p.slide
             ORDER BY p.day DESC, p.screen_id, p.state <> 'page', p.item, p.slide
             LIMIT ?5",
        )?;
        let rows = q.query_map(
            params![
                filter.group,
                filter.screen,
                filter.from,
                filter.to,
                MAX_COUNT_ROWS
            ],
            |r| {
                Ok(PlayCount {
                    day: r.get(0)?,
                    screen_id: r.get(1)?,
                    screen_name: r.get(2)?,
                    group: r.get(3)?,
                    state: r.get(4)?,
                    item: r.get(5)?,
                    slide: r.get(6)?,
                    plays: r.get(7)?,
                    pages: r.get(8)?,
                    seconds: r.get(9)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The line screen `id` had on show at `at_ms` (the last that started
    /// at or before it) and the one after it.
    pub fn played_at(
        &self,
        id: &str,
        at_ms: i64,
    ) -> Result<(Option<PlayLine>, Option<PlayLine>), StoreError> {
        let conn = self.lock();
        let line = |r: &rusqlite::Row<'_>| {
            Ok(PlayLine {
                start: r.get(0)?,
                state: r.get(1)?,
                item: r.get(2)?,
                slide: r.get(3)?,
                page: r.get(4)?,
                pages: r.get(5)?,
                seconds: r.get(6)?,
            })
        };
        const COLUMNS: &str = "SELECT start, state, item, slide, page, pages, seconds FROM plays";
        let before = conn
            .query_row(
                &format!("{COLUMNS} WHERE screen_id = ?1 AND start_ms <= ?2 ORDER BY start_ms DESC LIMIT 1"),
                params![id, at_ms],
                line,
            )
            .optional()?;
        let after = conn
            .query_row(
                &format!("{COLUMNS} WHERE screen_id = ?1 AND start_ms > ?2 ORDER BY start_ms LIMIT 1"),
                params![id, at_ms],
                line,
            )
            .optional()?;
        Ok((before, after))
    }

    /// Removes lines that started before `before_ms`; how many went.
    pub fn prune_plays(&self, before_ms: i64) -> Result<usize, StoreError> {
        Ok(self
            .lock()
            .execute("DELETE FROM plays WHERE start_ms < ?1", [before_ms])?)
    }

    /// How many days lines are kept.
    pub fn plays_retention_days(&self) -> Result<i64, StoreError> {
        let value: Option<String> = self
            .lock()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [RETENTION_KEY],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Sets how many days lines are kept.
    pub fn set_plays_retention_days(&self, days: i64) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![RETENTION_KEY, days.to_string()],
        )?;
        Ok(())
    }
}

/// The state's words on the page.
pub fn state_label(state: &str) -> &'static str {
    match state {
        s if s == ScreenState::Page.name() => "节目",
        s if s == ScreenState::Idle.name() => "待机画面",
        s if s == ScreenState::Off.name() => "关屏",
        _ => "启动中",
    }
}
