//! Burn-in care: the whole frame walks slowly over a small square of
//! offsets, one pixel per step, so no edge stays lit on the same LEDs for
//! months. The walk is a pure function of the time, like the schedule.

use chrono::{DateTime, FixedOffset};

/// The offset `(dx, dy)` at `t` for a walk of up to `max` pixels that steps
/// every `minutes`. Rows are walked back and forth (boustrophedon), so each
/// step moves one pixel except once per lap.
pub fn shift_at(max: u32, minutes: u32, t: DateTime<FixedOffset>) -> (i32, i32) {
    if max == 0 {
        return (0, 0);
    }
    let side = i64::from(2 * max + 1);
    let step = t.timestamp().div_euclid(i64::from(minutes.max(1)) * 60);
    let cell = step.rem_euclid(side * side);
    let row = cell / side;
    let col = if row % 2 == 0 {
        cell % side
    } else {
        side - 1 - cell % side
    };
    (col as i32 - max as i32, row as i32 - max as i32)
}

/// The next instant after `t` at which the offset may change.
pub fn next_step(minutes: u32, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let period = i64::from(minutes.max(1)) * 60;
    let next = (t.timestamp().div_euclid(period) + 1) * period;
    DateTime::from_timestamp(next, 0).map_or(t, |d| d.with_timezone(t.offset()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<FixedOffset> {
        DateTime::from_timestamp(secs, 0)
            .unwrap()
            .with_timezone(&crate::china_standard_time())
    }

    #[test]
    fn walks_every_offset_once_per_lap_one_pixel_at_a_time() {
        let mut seen = std::collections::HashSet::new();
        let mut previous = shift_at(2, 1, at(0));
        for step in 0..25 {
            let now = shift_at(2, 1, at(step * 60 + 30));
            assert!(now.0.abs() <= 2 && now.1.abs() <= 2, "{now:?}");
            let moved = (now.0 - previous.0).abs() + (now.1 - previous.1).abs();
            assert!(step == 0 || moved == 1, "step {step} moved {moved}");
            seen.insert(now);
            previous = now;
        }
        assert_eq!(seen.len(), 25);
        assert_eq!(shift_at(0, 1, at(12345)), (0, 0));
        assert_eq!(next_step(4, at(250)), at(480));
    }
}
