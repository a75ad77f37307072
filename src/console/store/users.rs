//! Operators and their sessions: passwords (as hashes), roles, the groups
//! an editor may change, and whether an account is disabled. Disabling an
//! operator or resetting a password ends their sessions at once.

use super::{now_text, Store, StoreError};
use crate::console::operator::Role;
use rusqlite::{params, OptionalExtension};

/// A logged-in operator's session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The operator's login name.
    pub user: String,
    /// The token every form of this session must send back.
    pub csrf: String,
    /// What the operator may do, read with the session so a changed role
    /// counts from the next request.
    pub role: Role,
}

/// An operator as the 用户 page lists them.
#[derive(Clone, Debug)]
pub struct UserRow {
    /// The login name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Whether they may log in.
    pub disabled: bool,
    /// When the account was made, in China Standard Time.
    pub created_at: String,
}

impl Store {
    /// Adds an operator (a 管理员 unless [`Store::set_role`] says
    /// otherwise), or sets a new password for one and ends its sessions (a
    /// password is reset because it may be known to someone else).
    pub fn set_user(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            params![name, password_hash, now_text()],
        )?;
        tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new password for an existing operator and ends their
    /// sessions; `Missing` when there is no such operator.
    pub fn reset_password(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        if changed == 0 {
            return Err(StoreError::Missing(format!("user {name}")));
        }
        tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a new operator with `role`; `Exists` when the name is taken.
    pub fn add_user(&self, name: &str, password_hash: &str, role: &Role) -> Result<(), StoreError> {
        let added = self.lock().execute(
            "INSERT INTO users (name, password_hash, created_at, role, groups)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING",
            params![name, password_hash, now_text(), role.kind(), role.stored_groups()],
        )?;
        match added {
            0 => Err(StoreError::Exists(format!("user {name}"))),
            _ => Ok(()),
        }
    }

    /// Gives `name` a new role; `Missing` when there is no such operator.
    pub fn set_role(&self, name: &str, role: &Role) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE users SET role = ?2, groups = ?3 WHERE name = ?1",
            params![name, role.kind(), role.stored_groups()],
        )?;
        match changed {
            0 => Err(StoreError::Missing(format!("user {name}"))),
            _ => Ok(()),
        }
    }

    /// Disables (ending every session) or enables `name`.
    pub fn set_disabled(&self, name: &str, disabled: bool) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE users SET disabled = ?2 WHERE name = ?1",
            params![name, disabled],
        )?;
        if changed == 0 {
            return Err(StoreError::Missing(format!("user {name}")));
        }
        if disabled {
            tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every operator, by name.
    pub fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT name, role, groups, disabled, created_at FROM users ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(UserRow {
                name: r.get(0)?,
                role: Role::from_stored(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?),
                disabled: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many enabled 管理员 there are other than `except`: the last one
    /// cannot be disabled or made less, or nobody could manage the console.
    pub fn other_admins(&self, except: &str) -> Result<i64, StoreError> {
        Ok(self.lock().query_row(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name <> ?1",
            [except],
            |r| r.get(0),
        )?)
    }

    /// An enabled operator's password hash (PHC string); `None` for a
    /// disabled one too, so a disabled account cannot log in.
    pub fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT password_hash FROM users WHERE name = ?1 AND disabled = 0",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How many operators there are.
    pub fn user_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .lock()
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    /// Records a session, valid until `expires_at` (Unix seconds).
    pub fn add_session(
        &self,
        token_hash: &str,
        user: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let conn = self.lock();
        conn.execute(
            "DELETE FROM sessions WHERE expires_at < ?1",
            [chrono::Utc::now().timestamp()],
        )?;
        conn.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user, csrf, expires_at],
        )?;
        Ok(())
    }

    /// The session with this token hash if it has not expired at `now` and
    /// its operator is enabled, with the operator's role as it is now.
    pub fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT s.user_name, s.csrf, u.role, u.groups
                 FROM sessions s JOIN users u ON u.name = s.user_name
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
                params![token_hash, now],
                |r| {
                    Ok(Session {
                        user: r.get(0)?,
                        csrf: r.get(1)?,
                        role: Role::from_stored(&r.get::<_, String>(2)?, &r.get::<_, String>(3)?),
                    })
                },
            )
            .optional()?)
    }

    /// Ends a session.
    pub fn remove_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }
}
