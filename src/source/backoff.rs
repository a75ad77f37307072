//! When to poll next: the interval with jitter after a success; exponential
//! backoff with full jitter after failures, capped; `Retry-After` honoured.

use std::time::Duration;

/// Backoff state: the number of consecutive failures and a random source.
pub struct Backoff {
    interval: Duration,
    max: Duration,
    jitter: f64,
    failures: u32,
    rng: fastrand::Rng,
}

impl Backoff {
    /// `interval` between successful polls (±`jitter`, a fraction such as
    /// 0.1), at most `max` between retries after failures.
    pub fn new(interval: Duration, max: Duration, jitter: f64, rng: fastrand::Rng) -> Self {
        Backoff {
            interval,
            max: max.max(interval),
            jitter: jitter.clamp(0.0, 0.5),
            failures: 0,
            rng,
        }
    }

    /// Failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The delay after a success (resets the failure count): the interval
    /// spread by ±jitter so many screens do not poll in step.
    pub fn success(&mut self) -> Duration {
        self.failures = 0;
        let spread = 1.0 + self.jitter * (2.0 * self.rng.f64() - 1.0);
        self.interval.mul_f64(spread)
    }

    /// How long a screen that starts with a cached document waits before its
    /// first poll: a random part of the interval. Screens that start
    /// together (a township's power comes back) then poll spread over the
    /// whole interval instead of in one wave that the ±jitter of later
    /// polls would take hours to smooth out.
    pub fn first_poll(&mut self) -> Duration {
        self.interval.mul_f64(self.rng.f64())
    }

    /// The delay after a failure: the interval plus a uniformly random part of
    /// the exponential extra `interval × (2ⁿ − 1)`, never more than the cap.
    /// `retry_after` from the server is a lower bound.
    pub fn failure(&mut self, retry_after: Option<Duration>) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let span = self.ceiling(self.failures).saturating_sub(self.interval);
        let delay = self.interval + span.mul_f64(self.rng.f64());
        delay.max(retry_after.unwrap_or_default())
    }

    /// The largest delay `failure` can give after `n` failures, without Retry-After.
    pub fn ceiling(&self, n: u32) -> Duration {
        let extra = self.interval.mul_f64(2f64.powi(n.min(30) as i32) - 1.0);
        (self.interval + extra).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff() -> Backoff {
        Backoff::new(
            Duration::from_secs(30),
            Duration::from_secs(300),
            0.1,
            fastrand::Rng::with_seed(7),
        )
    }

    /// Screens that start together spread their first polls over the whole
    /// interval (the fleet simulation found the boot wave; docs/fleet.md).
    #[test]
    fn first_polls_spread_over_the_whole_interval() {
        let mut b = backoff();
        let mut tenths = [0u32; 10];
        for _ in 0..2000 {
            let d = b.first_poll().as_secs_f64();
            assert!((0.0..30.0).contains(&d), "{d}");
            tenths[(d / 3.0) as usize] += 1;
        }
        assert!(tenths.iter().all(|&n| (150..=250).contains(&n)), "{tenths:?}");
    }

    #[test]
    fn success_stays_within_jitter() {
        let mut b = backoff();
        for _ in 0..1000 {
            let d = b.success().as_secs_f64();
            assert!((27.0..=33.0).contains(&d), "{d}");
        }
    }

    #[test]
    fn failures_grow_to_the_cap_and_success_resets() {
        let mut b = backoff();
        let mut worst = Duration::ZERO;
        for n in 1..=12 {
            let d = b.failure(None);
            assert!(d >= Duration::from_secs(30) && d <= b.ceiling(n), "n={n} {d:?}");
            assert!(d <= Duration::from_secs(300));
            worst = worst.max(d);
        }
        assert_eq!(b.failures(), 12);
        assert!(
            worst > Duration::from_secs(200),
            "reaches near the cap: {worst:?}"
        );
        b.success();
        assert_eq!(b.failures(), 0);
        assert!(b.failure(None) <= Duration::from_secs(60));
    }

    #[test]
    fn retry_after_is_a_lower_bound() {
        let mut b = backoff();
        assert!(b.failure(Some(Duration::from_secs(600))) >= Duration::from_secs(600));
    }
}
