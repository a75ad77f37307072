//! The console's state in SQLite: operators and their sessions, groups of
//! screens with their playlist versions, enrolled screens with their latest
//! report and thumbnail, the audit trail.
//!
//! Every statement lives in this module and the rest of the console calls
//! typed methods, so a PostgreSQL store (for several console instances
//! behind a load balancer) is another implementation of the same methods
//! over the same schema (`store/migrations.rs`); nothing else changes. SQLite runs
//! in WAL mode with a busy timeout, one connection behind a mutex: the
//! console's writes are a few small rows per second.

mod alerts;
mod commands;
mod migrations;
mod plays;
mod screens;
mod users;

pub use alerts::{AlertRow, AlertSettings, MailSecurity, MailSettings, WebhookFormat};
pub use commands::Command;
pub use plays::{state_label, PlayCount, PlayFilter, PlayLine, DEFAULT_RETENTION_DAYS, MAX_COUNT_ROWS};
pub use screens::{Enrolment, ScreenRow};
pub use users::{Session, UserRow};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed: the file cannot be opened, a statement failed.
    #[error("the console database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Adding something whose key is taken (a screen's id).
    #[error("{0} already exists")]
    Exists(String),
    /// Asking for something that is not there (a version of a group).
    #[error("{0} does not exist")]
    Missing(String),
}

/// A playlist version of a group.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Version {
    /// 1, 2, 3… within the group, in the order they were saved.
    pub number: i64,
    /// The playlist, a config TOML text as the screens fetch it.
    pub text: String,
    /// The text's SHA-256, lower-case hex: what a screen reports it runs.
    pub sha256: String,
    /// The operator who saved it.
    pub author: String,
    /// When it was saved, in China Standard Time (see [`time_text`]).
    pub created_at: String,
}

/// A group of screens and the version it publishes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Group {
    /// The group's name, as in its config URL (`/c/<name>.toml`).
    pub name: String,
    /// The number of the version its screens fetch; `None` until one is published.
    pub published: Option<i64>,
}

/// One line of the audit trail.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditRow {
    /// When, in China Standard Time (see [`time_text`]).
    pub at: String,
    /// The operator (or `(console try)`) who did it.
    pub actor: String,
    /// What kind of thing was done: `edit`, `edit_refused`, `publish`, `enrol`.
    pub action: String,
    /// What it was done to, in words: the group and version, the screen.
    pub detail: String,
}

/// The database.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // Password and token hashes live here: the file is the console
        // user's alone (SQLite gives its WAL and shared-memory files the
        // same mode).
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            let _ = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(path);
        }
        let conn = Connection::open(path)?;
        Store::prepare(conn)
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::prepare(Connection::open_in_memory()?)
    }

    fn prepare(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let store = Store {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-statement leaves SQLite consistent (the transaction is
        // rolled back), so the connection stays usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self.lock();
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
            [],
        )?;
        let current: i64 =
            conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_version", [], |r| {
                r.get(0)
            })?;
        for (version, sql) in migrations::MIGRATIONS {
            if *version <= current {
                continue;
            }
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [version])?;
            tx.commit()?;
            tracing::info!(version, "console database migrated");
        }
        Ok(())
    }

    /// Creates `name` if it is new; whether it was.
    pub fn ensure_group(&self, name: &str) -> Result<bool, StoreError> {
        let added = self.lock().execute(
            "INSERT INTO groups (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![name, now_text()],
        )?;
        Ok(added > 0)
    }

    /// Every group, by name.
    pub fn groups(&self) -> Result<Vec<Group>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT name, published_version FROM groups ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Group {
                name: r.get(0)?,
                published: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a version of `group`'s playlist; its number.
    pub fn add_version(&self, group: &str, text: &str, author: &str) -> Result<i64, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let next: i64 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE group_name = ?1",
            [group],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO versions (group_name, number, text, sha256, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                group,
                next,
                text,
                crate::digest::sha256_hex(text.as_bytes()),
                author,
                now_text()
            ],
        )?;
        tx.commit()?;
        Ok(next)
    }

    /// Every version of `group`, newest first.
    pub fn versions(&self, group: &str) -> Result<Vec<Version>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT number, text, sha256, author, created_at FROM versions
             WHERE group_name = ?1 ORDER BY number DESC",
        )?;
        let rows = stmt.query_map([group], version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (number, SHA-256) of every version of `group`, newest first: what
    /// telling which version a screen runs needs, without the texts.
    pub fn version_hashes(&self, group: &str) -> Result<Vec<(i64, String)>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT number, sha256 FROM versions WHERE group_name = ?1 ORDER BY number DESC")?;
        let rows = stmt.query_map([group], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One version of `group`.
    pub fn version(&self, group: &str, number: i64) -> Result<Option<Version>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT number, text, sha256, author, created_at FROM versions
                 WHERE group_name = ?1 AND number = ?2",
                params![group, number],
                version_row,
            )
            .optional()?)
    }

    /// The version `group` publishes, if any.
    pub fn published(&self, group: &str) -> Result<Option<Version>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT v.number, v.text, v.sha256, v.author, v.created_at
                 FROM groups g JOIN versions v ON v.group_name = g.name AND v.number = g.published_version
                 WHERE g.name = ?1",
                [group],
                version_row,
            )
            .optional()?)
    }

    /// Makes `number` the version `group` publishes.
    pub fn publish(&self, group: &str, number: i64) -> Result<(), StoreError> {
        if self.version(group, number)?.is_none() {
            return Err(StoreError::Missing(format!("version {number} of {group}")));
        }
        self.lock().execute(
            "UPDATE groups SET published_version = ?2 WHERE name = ?1",
            params![group, number],
        )?;
        Ok(())
    }

    /// Appends to the audit trail.
    pub fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![now_text(), actor, action, detail],
        )?;
        Ok(())
    }

    /// The latest `limit` audit lines, newest first.
    pub fn audit_trail(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AuditRow {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        number: r.get(0)?,
        text: r.get(1)?,
        sha256: r.get(2)?,
        author: r.get(3)?,
        created_at: r.get(4)?,
    })
}

/// Now, as the database writes times people read: RFC 3339 in China Standard Time.
fn now_text() -> String {
    time_text(Utc::now())
}

/// `at` in China Standard Time, to the second.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::china_standard_time())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}
