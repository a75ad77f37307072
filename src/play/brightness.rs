//! Dimmed hours (`[screen] brightness`): the level the compositor scales
//! every pixel by at an instant, with a linear ramp of `brightness_ramp`
//! after each edge of the hours, and when the level next starts to move.
//! Pure: settings and an instant in, numbers out.

use crate::config::{Dimmed, MinuteOfDay, ScreenSettings};
use chrono::{DateTime, Duration, FixedOffset, Timelike};

const DAY: f64 = 86_400.0;

/// The level `dimmed` asks for at second `s` of the day, without a ramp:
/// the lowest of the hours that hold `s`, else full.
fn target(dimmed: &[Dimmed], s: f64) -> f32 {
    let s = s.rem_euclid(DAY) as u32;
    let minute = MinuteOfDay::from_clock(s / 3600, (s / 60) % 60);
    dimmed
        .iter()
        .filter(|d| d.hours.contains(minute))
        .map(|d| d.level)
        .fold(1.0, f32::min)
}

/// The seconds of the day at which some dimmed hours begin or end.
fn edges(dimmed: &[Dimmed]) -> impl Iterator<Item = f64> + '_ {
    dimmed
        .iter()
        .flat_map(|d| [d.hours.from, d.hours.until])
        .map(|m| (f64::from(m.minutes()) * 60.0).rem_euclid(DAY))
}

/// The second of the day `now` is, in the screen's zone.
fn second_of_day(screen: &ScreenSettings, now: DateTime<FixedOffset>) -> f64 {
    let local = now.with_timezone(&screen.time_zone);
    f64::from(local.num_seconds_from_midnight()) + f64::from(local.nanosecond()) / 1e9
}

/// The level at `now` (0.05 to 1), and whether it is still ramping.
pub fn level_at(screen: &ScreenSettings, now: DateTime<FixedOffset>) -> (f32, bool) {
    if screen.brightness.is_empty() {
        return (1.0, false);
    }
    let s = second_of_day(screen, now);
    let ramp = screen.brightness_ramp.as_secs_f64();
    let after = target(&screen.brightness, s);
    // The latest edge less than a ramp ago.
    let since = edges(&screen.brightness)
        .map(|e| (s - e).rem_euclid(DAY))
        .filter(|d| *d < ramp)
        .fold(None, |best: Option<f64>, d| Some(best.map_or(d, |b| b.min(d))));
    match since {
        Some(d) => {
            let before = target(&screen.brightness, s - d - 1.0);
            let p = (d / ramp) as f32;
            (before + (after - before) * p, true)
        }
        None => (after, false),
    }
}

/// When the level next starts to move: the next edge of the dimmed hours.
pub fn next_edge(screen: &ScreenSettings, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let s = second_of_day(screen, now);
    let wait = edges(&screen.brightness)
        .map(|e| (e - s).rem_euclid(DAY))
        .map(|w| if w < 0.001 { DAY } else { w })
        .fold(None, |best: Option<f64>, w| Some(best.map_or(w, |b| b.min(w))))?;
    Some(now + Duration::milliseconds((wait * 1000.0).ceil() as i64))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::config::{DailySpan, Settings};

    fn screen() -> ScreenSettings {
        let mut screen = Settings::default().screen;
        screen.brightness = vec![Dimmed {
            hours: DailySpan {
                from: MinuteOfDay::parse("19:00").unwrap(),
                until: MinuteOfDay::parse("06:30").unwrap(),
            },
            level: 0.5,
        }];
        screen.brightness_ramp = std::time::Duration::from_secs(10);
        screen
    }

    fn at(clock: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-12-04T{clock}+08:00")).unwrap()
    }

    #[test]
    fn dimmed_at_night_full_by_day_and_ramped_at_each_edge() {
        let s = screen();
        assert_eq!(level_at(&s, at("12:00:00")), (1.0, false));
        assert_eq!(level_at(&s, at("23:00:00")), (0.5, false));
        assert_eq!(level_at(&s, at("03:00:00")), (0.5, false), "past midnight");
        let (mid, ramping) = level_at(&s, at("19:00:05"));
        assert!(ramping && (mid - 0.75).abs() < 1e-3, "{mid}");
        let (mid, ramping) = level_at(&s, at("06:30:05"));
        assert!(ramping && (mid - 0.75).abs() < 1e-3, "{mid}");
        assert_eq!(level_at(&s, at("19:00:10")), (0.5, false));
        assert_eq!(next_edge(&s, at("12:00:00")), Some(at("19:00:00")));
        assert_eq!(
            next_edge(&s, at("23:00:00")),
            Some(at("06:30:00") + Duration::days(1))
        );
        assert_eq!(
            level_at(&Settings::default().screen, at("23:00:00")),
            (1.0, false)
        );
    }
}
