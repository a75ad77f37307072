//! Whether writes to a file keep working: the feed cache and the
//! proof-of-play log each keep one, shown in `/status`. A failing write is a
//! state, not an event: it is logged when it starts and when it ends, never
//! at every attempt, so a full disk does not flood the journal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The health of one file's writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WriteHealth {
    /// False while writes fail.
    pub ok: bool,
    /// When the current run of failures began.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failing_since: Option<DateTime<Utc>>,
    /// The last write error, while failing.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

impl Default for WriteHealth {
    /// Nothing has failed yet.
    fn default() -> Self {
        WriteHealth {
            ok: true,
            failing_since: None,
            error: None,
        }
    }
}

/// A change of state worth one log line.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Writes started to fail, with the first error.
    Failing(String),
    /// Writes work again.
    Recovered,
}

impl WriteHealth {
    /// Records the outcome of a write at `now` (a failure is kept as its
    /// message, as `/status` shows it); returns the change of state, if any,
    /// for the caller to log in its own words.
    pub fn record<E: std::fmt::Display>(
        &mut self,
        result: Result<(), E>,
        now: DateTime<Utc>,
    ) -> Option<Change> {
        match (result, self.ok) {
            (Ok(()), true) => None,
            (Ok(()), false) => {
                *self = WriteHealth::default();
                Some(Change::Recovered)
            }
            (Err(e), was_ok) => {
                let e = e.to_string();
                self.ok = false;
                self.error = Some(e.clone());
                was_ok.then(|| {
                    self.failing_since = Some(now);
                    Change::Failing(e)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_a_state_said_once_until_it_ends() {
        let mut h = WriteHealth::default();
        let t = Utc::now();
        assert_eq!(h.record(Ok::<(), &str>(()), t), None);
        assert_eq!(h.record(Err("full"), t), Some(Change::Failing("full".into())));
        assert_eq!(h.record(Err("still full"), t), None);
        assert_eq!(
            (h.ok, h.failing_since, h.error.as_deref()),
            (false, Some(t), Some("still full"))
        );
        assert_eq!(h.record(Ok::<(), &str>(()), t), Some(Change::Recovered));
        assert_eq!(h, WriteHealth::default());
    }
}
