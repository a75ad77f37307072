//! Time windows: days of the week, times of day, date ranges, display hours.

use crate::config::{Item, MinuteOfDay, Settings, Window};
use chrono::{DateTime, Datelike, FixedOffset, Timelike};

fn minute_of_day(t: DateTime<FixedOffset>) -> MinuteOfDay {
    MinuteOfDay::from_clock(t.hour(), t.minute())
}

/// Whether `w` contains the instant `t` (already in the screen's zone).
pub fn window_contains(w: &Window, t: DateTime<FixedOffset>) -> bool {
    w.contains(
        t.date_naive(),
        t.weekday().num_days_from_monday(),
        minute_of_day(t),
    )
}

/// Whether an item may play at `t`: no windows, or any window open.
pub fn item_is_open(item: &Item, t: DateTime<FixedOffset>) -> bool {
    item.windows.is_empty() || item.windows.iter().any(|w| window_contains(w, t))
}

/// Whether the screen is inside its display hours at `t`.
pub(crate) fn display_on(settings: &Settings, t: DateTime<FixedOffset>) -> bool {
    settings
        .screen
        .display_hours
        .is_none_or(|hours| hours.contains(minute_of_day(t)))
}

/// The banner (提示) shown at `t`, as its index in `settings.banners`: the
/// first whose message runs at `t` and whose item is open then, while the
/// screen is inside its display hours.
pub fn banner_at(settings: &Settings, t: DateTime<FixedOffset>) -> Option<usize> {
    let t = t.with_timezone(&settings.screen.time_zone);
    if !display_on(settings, t) {
        return None;
    }
    settings.banners.iter().position(|b| {
        let item = (b.id.strip_prefix("message."))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| settings.playlist.get(n.checked_sub(1)?));
        b.is_active(t) && item.is_none_or(|item| item_is_open(item, t))
    })
}
