//! Remote actions waiting for their screen: an operator's 重新加载配置 or
//! 重启程序 is kept on the screen's row until the screen next asks on its
//! push channel, so a screen that is offline gets it when it comes back.
//! One is kept per screen; a newer one replaces it.

use super::{Store, StoreError};
use rusqlite::OptionalExtension;

/// What an operator can ask a screen to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Fetch its config (and apply it) now.
    Reload,
    /// Leave, so that systemd starts it again.
    Restart,
}

impl Command {
    /// The word the push channel and the database carry.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Reload => "reload",
            Command::Restart => "restart",
        }
    }

    /// The command a form or a row names, if any.
    pub fn parse(word: &str) -> Option<Command> {
        match word {
            "reload" => Some(Command::Reload),
            "restart" => Some(Command::Restart),
            _ => None,
        }
    }

    /// What the console calls it.
    pub fn label(self) -> &'static str {
        match self {
            Command::Reload => "重新加载配置",
            Command::Restart => "重启程序",
        }
    }
}

impl Store {
    /// Keeps `command` for each screen (not removed) among `ids`; the ids
    /// it was kept for.
    pub fn queue_command(&self, ids: &[String], command: Command) -> Result<Vec<String>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut kept = Vec::new();
        for id in ids {
            let n = tx.execute(
                "UPDATE screens SET command = ?2 WHERE id = ?1 AND removed_at IS NULL",
                [id.as_str(), command.as_str()],
            )?;
            if n > 0 {
                kept.push(id.clone());
            }
        }
        tx.commit()?;
        Ok(kept)
    }

    /// The ids of the screens (not removed) in `group`.
    pub fn screens_in_group(&self, group: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.lock();
        let mut q =
            conn.prepare("SELECT id FROM screens WHERE group_name = ?1 AND removed_at IS NULL ORDER BY id")?;
        let ids = q
            .query_map([group], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// The command waiting for screen `id`, taken (cleared) as it is read.
    pub fn take_command(&self, id: &str) -> Result<Option<Command>, StoreError> {
        let mut conn = self.lock();
        // RETURNING gives the row after the update (NULL): read, then clear,
        // in one transaction.
        let tx = conn.transaction()?;
        let word: Option<Option<String>> = tx
            .query_row("SELECT command FROM screens WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let word = word.flatten();
        if word.is_some() {
            tx.execute("UPDATE screens SET command = NULL WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(word.as_deref().and_then(Command::parse))
    }

    /// The command waiting for screen `id`, left in place.
    pub fn pending_command(&self, id: &str) -> Result<Option<Command>, StoreError> {
        let word: Option<Option<String>> = self
            .lock()
            .query_row("SELECT command FROM screens WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        Ok(word.flatten().as_deref().and_then(Command::parse))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::store::Enrolment;

    fn store_with(ids: &[&str]) -> Store {
        let store = Store::in_memory().unwrap();
        for id in ids {
            let screen = Enrolment {
                id: id.to_string(),
                name: id.to_string(),
                group: "乡镇".into(),
                place: String::new(),
            };
            store
                .enrol_in_group(&screen, "hash", Some(("", "admin")))
                .unwrap();
        }
        store
    }

    #[test]
    fn a_command_waits_until_taken_once_and_the_latest_wins() {
        let store = store_with(&["a", "b"]);
        let ids = store.screens_in_group("乡镇").unwrap();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(store.queue_command(&ids, Command::Reload).unwrap(), ids);
        store.queue_command(&["a".into()], Command::Restart).unwrap();
        assert_eq!(store.pending_command("a").unwrap(), Some(Command::Restart));
        assert_eq!(store.take_command("a").unwrap(), Some(Command::Restart));
        assert_eq!(store.take_command("a").unwrap(), None);
        assert_eq!(store.take_command("b").unwrap(), Some(Command::Reload));
        assert!(store
            .queue_command(&["nobody".into()], Command::Reload)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_removed_screen_gets_no_command() {
        let store = store_with(&["a"]);
        store.remove_screen("a", 1).unwrap();
        assert!(store
            .queue_command(&["a".into()], Command::Restart)
            .unwrap()
            .is_empty());
        assert!(store.screens_in_group("乡镇").unwrap().is_empty());
    }
}
