//! Clock sanity: screen boxes without a battery clock boot into 1970 when NTP
//! is unreachable. The server's `Date` header tells us; when it differs from
//! the local clock by more than a tolerance, the server's time is used (if
//! allowed) until the local clock agrees again.

use chrono::{DateTime, Duration, Utc};

/// How far the local clock is off the feed server's, and whether the
/// server's time is to be used meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    tolerance: Duration,
    trust_server: bool,
    /// Server time minus local time, when beyond the tolerance.
    skew: Option<Duration>,
    /// Server time minus local time at the last `Date` seen, whatever its size.
    offset: Option<Duration>,
}

impl Clock {
    /// A clock that trusts the local time until a server `Date` differs from
    /// it by more than `tolerance`; `trust_server` says whether the server's
    /// time is then used or only reported.
    pub fn new(tolerance: std::time::Duration, trust_server: bool) -> Self {
        Clock {
            tolerance: Duration::from_std(tolerance).unwrap_or(Duration::MAX),
            trust_server,
            skew: None,
            offset: None,
        }
    }

    /// Records a server `Date`; returns true when the skew state changed.
    pub fn observe(&mut self, server: DateTime<Utc>, local: DateTime<Utc>) -> bool {
        let diff = server - local;
        self.offset = Some(diff);
        let skew = (diff.abs() > self.tolerance).then_some(diff);
        let changed = skew.is_some() != self.skew.is_some();
        self.skew = skew;
        changed
    }

    /// The skew beyond tolerance, if any.
    pub fn skew(&self) -> Option<Duration> {
        self.skew
    }

    /// Server time minus local time at the last `Date` seen (to the
    /// second: a `Date` has no finer unit), for the tiles of a wall, which
    /// must agree within a frame.
    pub fn offset(&self) -> Option<Duration> {
        self.offset
    }

    /// Whether the schedule and age display use the server's time now.
    pub fn using_server_time(&self) -> bool {
        self.trust_server && self.skew.is_some()
    }

    /// The time to use for the schedule and the age display.
    pub fn now(&self, local: DateTime<Utc>) -> DateTime<Utc> {
        match self.skew {
            Some(skew) if self.trust_server => local + skew,
            _ => local,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1970_clock_is_corrected_until_it_agrees() {
        let mut c = Clock::new(std::time::Duration::from_secs(120), true);
        let server = DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
            .unwrap()
            .to_utc();
        let local = DateTime::<Utc>::UNIX_EPOCH;
        assert!(c.observe(server, local));
        assert!(c.using_server_time());
        assert_eq!(
            c.now(local + Duration::seconds(10)),
            server + Duration::seconds(10)
        );
        assert!(c.observe(server, server - Duration::seconds(30)), "agrees again");
        assert!(!c.using_server_time());
        let mut untrusting = Clock::new(std::time::Duration::from_secs(120), false);
        untrusting.observe(server, local);
        assert!(untrusting.skew().is_some() && !untrusting.using_server_time());
        assert_eq!(untrusting.now(local), local);
    }
}
