//! `/healthz`: is the screen alive and is its data fresh?

use super::{ScreenState, ScreenStatus};
use chrono::{DateTime, Duration, Utc};

/// How long the screen thread may go without finding the screen up to date.
pub const LOOP_LIMIT: Duration = Duration::seconds(15);

/// Why the screen is not healthy: the reason `/healthz` gives in its 503 body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unhealthy {
    /// Nothing has been on screen yet.
    #[error("no frame presented yet")]
    NoFrame,
    /// The screen thread has not found the screen up to date for `seconds`.
    #[error("the screen has not been up to date for {seconds} s (render loop stuck or frames failing)")]
    Behind {
        /// Seconds since it last was.
        seconds: i64,
    },
    /// A local setup fault keeps the feed from being fetched at all.
    #[error("the feed cannot be fetched: {message}")]
    FeedSetup {
        /// The fetch's own message.
        message: String,
    },
    /// The data on screen is older than the staleness limit.
    #[error("data is stale: generated at {generated}, older than {hours} h")]
    Stale {
        /// The data's `generated_at` (RFC 3339), or `unknown`.
        generated: String,
        /// The limit in hours.
        hours: u64,
    },
}

/// `Ok` when the screen thread found the screen up to date within
/// `LOOP_LIMIT` (15 s) and the data is within the staleness limit (or the display
/// is off by schedule); otherwise the reason, for the 503 body.
pub fn health(s: &ScreenStatus, now: DateTime<Utc>) -> Result<(), Unhealthy> {
    let Some(in_sync) = s.in_sync_at else {
        return Err(Unhealthy::NoFrame);
    };
    let behind = now - in_sync;
    if behind > LOOP_LIMIT {
        return Err(Unhealthy::Behind {
            seconds: behind.num_seconds(),
        });
    }
    if let Some(crate::source::Outcome::Failed { code, message }) =
        s.feed.as_ref().and_then(|f| f.last_outcome.as_ref())
    {
        // A local setup fault (a missing CA file) never heals by itself:
        // the screen plays its last good data, but someone must act.
        if code == "setup" {
            return Err(Unhealthy::FeedSetup {
                message: message.clone(),
            });
        }
    }
    if s.showing.state != ScreenState::Off && s.data.stale {
        let generated = s
            .data
            .generated_at
            .map_or("unknown".to_string(), |g| g.to_rfc3339());
        return Err(Unhealthy::Stale {
            generated,
            hours: s.data.stale_after_hours,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(in_sync: Option<DateTime<Utc>>, state: ScreenState, stale: bool) -> ScreenStatus {
        let mut s = ScreenStatus {
            in_sync_at: in_sync,
            ..ScreenStatus::default()
        };
        s.showing.state = state;
        s.data.stale = stale;
        s
    }

    #[test]
    fn healthy_only_when_in_sync_and_fresh_or_off() {
        let now = Utc::now();
        assert!(health(&status(Some(now), ScreenState::Page, false), now).is_ok());
        assert!(health(&status(None, ScreenState::Page, false), now).is_err());
        let late = health(
            &status(Some(now - Duration::seconds(20)), ScreenState::Page, false),
            now,
        );
        assert_eq!(late, Err(Unhealthy::Behind { seconds: 20 }));
        assert!(late.unwrap_err().to_string().contains("20 s"));
        assert!(health(&status(Some(now), ScreenState::Page, true), now)
            .unwrap_err()
            .to_string()
            .contains("stale"));
        assert!(
            health(&status(Some(now), ScreenState::Off, true), now).is_ok(),
            "off hours: stale data is not shown"
        );
    }
}
