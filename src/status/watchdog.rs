//! The systemd watchdog: `READY=1` once the first frame is presented, then
//! `WATCHDOG=1` at half the configured interval, but only while the screen
//! thread keeps the screen up to date. A frozen render loop stops the pings
//! and systemd restarts the service.

use std::time::{Duration, Instant};

/// Whether systemd is owed `READY=1` or a ping, decided from the screen
/// thread's checks.
pub struct Watchdog {
    /// Half of `WatchdogSec`, when systemd asked for pings.
    every: Option<Duration>,
    last_ping: Option<Instant>,
    ready_sent: bool,
}

/// What to tell systemd now.
#[derive(Debug, PartialEq, Eq)]
pub enum Notify {
    Nothing,
    Ready,
    Ping,
}

impl Watchdog {
    /// A watchdog for `WatchdogSec` = `interval` (`None`: no pings asked).
    pub fn new(interval: Option<Duration>) -> Self {
        Watchdog {
            every: interval.map(|i| i / 2),
            last_ping: None,
            ready_sent: false,
        }
    }

    /// From the environment systemd sets (`WATCHDOG_USEC`).
    pub fn from_env() -> Self {
        Watchdog::new(sd_notify::watchdog_enabled())
    }

    /// The longest the screen thread may sleep between two checks.
    pub fn max_sleep(&self) -> Option<Duration> {
        self.every
    }

    /// Decides at `now`; `in_sync`: the screen shows what it should (a frame
    /// was presented when one was due, or the display is off by schedule).
    pub fn check(&mut self, now: Instant, in_sync: bool, presented_any: bool) -> Notify {
        if !in_sync {
            return Notify::Nothing;
        }
        if !self.ready_sent {
            if !presented_any {
                return Notify::Nothing;
            }
            self.ready_sent = true;
            self.last_ping = Some(now);
            return Notify::Ready;
        }
        match (self.every, self.last_ping) {
            (Some(every), Some(last)) if now.duration_since(last) < every => Notify::Nothing,
            (Some(_), _) => {
                self.last_ping = Some(now);
                Notify::Ping
            }
            (None, _) => Notify::Nothing,
        }
    }

    /// Sends what [`Watchdog::check`] decided (no-op outside systemd).
    pub fn send(notify: Notify) {
        let state = match notify {
            Notify::Nothing => return,
            Notify::Ready => {
                tracing::info!("first frame presented: ready");
                sd_notify::NotifyState::Ready
            }
            Notify::Ping => sd_notify::NotifyState::Watchdog,
        };
        if let Err(e) = sd_notify::notify(&[state]) {
            tracing::warn!("cannot notify systemd: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_after_the_first_frame_then_pings_only_while_in_sync() {
        let t0 = Instant::now();
        let s = |n: u64| t0 + Duration::from_secs(n);
        let mut w = Watchdog::new(Some(Duration::from_secs(20)));
        assert_eq!(w.check(s(0), true, false), Notify::Nothing, "no frame yet");
        assert_eq!(w.check(s(1), true, true), Notify::Ready);
        assert_eq!(
            w.check(s(5), true, true),
            Notify::Nothing,
            "less than half the interval"
        );
        assert_eq!(w.check(s(11), true, true), Notify::Ping);
        assert_eq!(w.check(s(30), false, true), Notify::Nothing, "stuck: no ping");
        assert_eq!(w.check(s(40), false, true), Notify::Nothing);
        assert_eq!(w.check(s(41), true, true), Notify::Ping, "recovered");
        let mut quiet = Watchdog::new(None);
        assert_eq!(quiet.check(s(0), true, true), Notify::Ready);
        assert_eq!(
            quiet.check(s(100), true, true),
            Notify::Nothing,
            "no WatchdogSec: no pings"
        );
    }
}
