//! Enrolled screens: who they are, the hash of their token, their latest
//! report and thumbnail, and the reports refused (by reason).

use super::{now_text, Store, StoreError};
use rusqlite::{params, OptionalExtension};

/// A screen an operator enrols.
#[derive(Clone, Debug)]
pub struct Enrolment {
    /// The screen's id as the console knows it (its config's `screen.id`).
    pub id: String,
    /// A name for people, e.g. "镇政府大厅".
    pub name: String,
    /// The group whose playlist it plays.
    pub group: String,
    /// Where it stands, in words; may be empty.
    pub place: String,
}

/// A screen as the 屏幕 page lists it.
#[derive(Clone, Debug)]
pub struct ScreenRow {
    /// The screen's id as the console knows it (its config's `screen.id`).
    pub id: String,
    /// A name for people.
    pub name: String,
    /// The group whose playlist it plays.
    pub group: String,
    /// Where it stands, in words; may be empty.
    pub place: String,
    /// Unix seconds of the last accepted report.
    pub last_report_at: Option<i64>,
    /// The last report's JSON, as the screen sent it.
    pub report: Option<String>,
    /// Unix seconds of the latest thumbnail.
    pub thumbnail_at: Option<i64>,
    /// Unix seconds of its removal; a removed screen has no token.
    pub removed_at: Option<i64>,
    /// Whether a screenshot is asked for and has not come yet.
    pub screenshot_wanted: bool,
    /// A remote action queued and not yet sent to the screen.
    pub command: Option<super::Command>,
}

impl Store {
    /// Enrols a screen whose token hashes to `token_hash` in its group, which must exist.
    pub fn enrol(&self, screen: &Enrolment, token_hash: &str) -> Result<(), StoreError> {
        self.enrol_in_group(screen, token_hash, None).map(|_| ())
    }

    /// Enrols a screen and, given `starter` (text, author), creates its
    /// group when it is new with that text as version 1, published: all or
    /// nothing. Whether the group is new.
    pub fn enrol_in_group(
        &self,
        screen: &Enrolment,
        token_hash: &str,
        starter: Option<(&str, &str)>,
    ) -> Result<bool, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let exists: Option<String> = tx
            .query_row(
                "SELECT id FROM screens WHERE id = ?1 AND removed_at IS NULL",
                [&screen.id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Exists(format!("screen {}", screen.id)));
        }
        // A removed screen's id may be enrolled again, as a new screen.
        tx.execute("DELETE FROM screens WHERE id = ?1", [&screen.id])?;
        let now = now_text();
        let new_group = match starter {
            Some(_) => {
                tx.execute(
                    "INSERT INTO groups (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                    params![screen.group, now],
                )? > 0
            }
            None => false,
        };
        if let (true, Some((starter, author))) = (new_group, starter) {
            tx.execute(
                "INSERT INTO versions (group_name, number, text, sha256, author, created_at)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5)",
                params![
                    screen.group,
                    starter,
                    crate::digest::sha256_hex(starter.as_bytes()),
                    author,
                    now
                ],
            )?;
            tx.execute(
                "UPDATE groups SET published_version = 1 WHERE name = ?1",
                [&screen.group],
            )?;
        }
        tx.execute(
            "INSERT INTO screens (id, name, group_name, place, token_hash, enrolled_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                screen.id,
                screen.name,
                screen.group,
                screen.place,
                token_hash,
                now
            ],
        )?;
        tx.commit()?;
        Ok(new_group)
    }

    /// Gives an enrolled screen a new token (the old one stops working);
    /// `Missing` for an unknown or removed screen.
    pub fn replace_token(&self, id: &str, token_hash: &str) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE screens SET token_hash = ?2 WHERE id = ?1 AND removed_at IS NULL",
            params![id, token_hash],
        )?;
        one_changed(changed, id)
    }

    /// Renames a screen and says where it stands.
    pub fn rename_screen(&self, id: &str, name: &str, place: &str) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE screens SET name = ?2, place = ?3 WHERE id = ?1",
            params![id, name, place],
        )?;
        one_changed(changed, id)
    }

    /// Moves a screen to `group` (which must exist): it plays that group's
    /// playlist from its next fetch.
    pub fn move_screen(&self, id: &str, group: &str) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE screens SET group_name = ?2 WHERE id = ?1 AND removed_at IS NULL",
            params![id, group],
        )?;
        one_changed(changed, id)
    }

    /// Removes a screen at `now` (Unix seconds): its token is forgotten, so
    /// its next report is refused; the row stays so the page can say so.
    pub fn remove_screen(&self, id: &str, now: i64) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE screens SET token_hash = '', removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
            params![id, now],
        )?;
        one_changed(changed, id)
    }

    /// The group of a screen that is enrolled and not removed.
    pub fn screen_group(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT group_name FROM screens WHERE id = ?1 AND removed_at IS NULL",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every screen, by group then id.
    pub fn screens(&self) -> Result<Vec<ScreenRow>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, name, group_name, place, last_report_at, report, thumbnail_at,
                    removed_at, screenshot_wanted, command
             FROM screens ORDER BY removed_at IS NOT NULL, group_name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ScreenRow {
                id: r.get(0)?,
                name: r.get(1)?,
                group: r.get(2)?,
                place: r.get(3)?,
                last_report_at: r.get(4)?,
                report: r.get(5)?,
                thumbnail_at: r.get(6)?,
                removed_at: r.get(7)?,
                screenshot_wanted: r.get::<_, i64>(8)? != 0,
                command: r
                    .get::<_, Option<String>>(9)?
                    .as_deref()
                    .and_then(super::Command::parse),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The hash of a screen's token; `None` for a screen never enrolled.
    pub fn screen_token_hash(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT token_hash FROM screens WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Keeps a screen's latest report; whether the console wants a
    /// screenshot now (see [`Store::screenshot_due`]).
    pub fn save_report(
        &self,
        id: &str,
        report: &str,
        now: i64,
        refresh: Option<i64>,
    ) -> Result<bool, StoreError> {
        self.lock().execute(
            "UPDATE screens SET report = ?2, last_report_at = ?3 WHERE id = ?1",
            params![id, report, now],
        )?;
        self.screenshot_due(id, now, refresh)
    }

    /// Whether a screenshot of screen `id` is wanted: an operator asked, it
    /// has none yet, or (with `refresh`, while someone watches the 屏幕
    /// page) its thumbnail is older than `refresh` seconds.
    pub fn screenshot_due(&self, id: &str, now: i64, refresh: Option<i64>) -> Result<bool, StoreError> {
        let due: Option<bool> = self
            .lock()
            .query_row(
                "SELECT screenshot_wanted <> 0 OR thumbnail_at IS NULL OR (?3 AND thumbnail_at < ?2)
                 FROM screens WHERE id = ?1",
                params![id, now - refresh.unwrap_or(0), refresh.is_some()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(due.unwrap_or(false))
    }

    /// Keeps a screen's thumbnail and the screenshot it was made from (both
    /// PNG) and clears its screenshot request.
    pub fn save_thumbnail(
        &self,
        id: &str,
        (thumb, shot): (&[u8], &[u8]),
        now: i64,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE screens SET thumbnail = ?2, screenshot = ?3, thumbnail_at = ?4, screenshot_wanted = 0
             WHERE id = ?1",
            params![id, thumb, shot, now],
        )?;
        Ok(())
    }

    /// A screen's last screenshot, whole, if it has one.
    pub fn screenshot(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT screenshot FROM screens WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Whether an operator asked for a screenshot of screen `id` that has not come yet.
    pub fn screenshot_asked(&self, id: &str) -> Result<bool, StoreError> {
        let asked: Option<bool> = self
            .lock()
            .query_row(
                "SELECT screenshot_wanted <> 0 FROM screens WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(asked.unwrap_or(false))
    }

    /// Drops the request for a screenshot of screen `id` (its upload failed:
    /// it is not asked again until an operator asks or the next refresh).
    pub fn clear_screenshot_request(&self, id: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("UPDATE screens SET screenshot_wanted = 0 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// A screen's thumbnail, if it has one.
    pub fn thumbnail(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT thumbnail FROM screens WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Asks for a screenshot at the screen's next report.
    pub fn want_screenshot(&self, id: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("UPDATE screens SET screenshot_wanted = 1 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Counts a refused report under `reason`.
    pub fn count_rejected(&self, reason: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO rejected_reports (reason, count) VALUES (?1, 1)
             ON CONFLICT (reason) DO UPDATE SET count = count + 1",
            [reason],
        )?;
        Ok(())
    }

    /// Refused reports by reason.
    pub fn rejected(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT reason, count FROM rejected_reports ORDER BY reason")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn one_changed(changed: usize, id: &str) -> Result<(), StoreError> {
    match changed {
        0 => Err(StoreError::Missing(format!("screen {id}"))),
        _ => Ok(()),
    }
}
