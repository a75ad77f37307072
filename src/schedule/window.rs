//! Time windows: days of the week, times of day, date ranges, display hours.

use crate::config::{parse_clock_time, Config, Item, Window};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

fn minutes_of_day(t: DateTime<FixedOffset>) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Whether `now` (minutes after midnight) is in [from, until); a span whose
/// `until` is earlier than `from` runs past midnight.
fn in_span(now: u32, from: u32, until: u32) -> bool {
    if from <= until {
        now >= from && now < until
    } else {
        now >= from || now < until
    }
}

/// Whether `w` contains the instant `t` (already in the screen's zone).
pub fn window_contains(w: &Window, t: DateTime<FixedOffset>) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let day = DAYS[t.weekday().num_days_from_monday() as usize];
    if !w.days.is_empty() && !w.days.iter().any(|d| d.get_ref() == day) {
        return false;
    }
    let date = t.date_naive();
    let parse = |d: &toml::Spanned<String>| NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d").ok();
    if w.start_date.as_ref().and_then(parse).is_some_and(|s| date < s) {
        return false;
    }
    if w.end_date.as_ref().and_then(parse).is_some_and(|e| date > e) {
        return false;
    }
    let from = w
        .from
        .as_ref()
        .and_then(|f| parse_clock_time(f.get_ref()))
        .unwrap_or(0);
    let until = w
        .until
        .as_ref()
        .and_then(|u| parse_clock_time(u.get_ref()))
        .unwrap_or(24 * 60);
    in_span(minutes_of_day(t), from, until)
}

/// Whether an item may play at `t`: no windows, or any window open.
pub fn item_is_open(item: &Item, t: DateTime<FixedOffset>) -> bool {
    item.windows.is_empty() || item.windows.iter().any(|w| window_contains(w, t))
}

/// Whether the screen is inside its display hours at `t`.
pub(crate) fn display_on(config: &Config, t: DateTime<FixedOffset>) -> bool {
    let Some(hours) = &config.screen.display_hours else {
        return true;
    };
    match (
        parse_clock_time(hours.from.get_ref()),
        parse_clock_time(hours.until.get_ref()),
    ) {
        (Some(f), Some(u)) => in_span(minutes_of_day(t), f, u),
        _ => true,
    }
}
