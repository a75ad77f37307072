//! Times in a config: minutes of the day, daily spans, sets of weekdays and
//! time zones, each parsed once from the operator's text.

use super::diagnostic::{error, quoted, Diagnostic, Locator};
use chrono::FixedOffset;
use toml::Spanned;

/// Minutes after midnight, 0 to 1440 (`24:00` ends a day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinuteOfDay(u16);

impl MinuteOfDay {
    /// Midnight at the start of the day.
    pub const START: MinuteOfDay = MinuteOfDay(0);
    /// Midnight at the end of the day (`24:00`).
    pub const END: MinuteOfDay = MinuteOfDay(24 * 60);

    /// Parses 24-hour `HH:MM`; `24:00` is allowed as the end of a day.
    pub fn parse(text: &str) -> Option<MinuteOfDay> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 || h == 24 && m == 0).then_some(MinuteOfDay(h * 60 + m))
    }

    /// The minute of the day of `hour` and `minute` (clamped to the day).
    pub fn from_clock(hour: u32, minute: u32) -> MinuteOfDay {
        MinuteOfDay((hour * 60 + minute).min(24 * 60) as u16)
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }
}

impl std::fmt::Display for MinuteOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A daily span `[from, until)`; when `until` is before `from` it runs past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailySpan {
    /// The first minute inside the span.
    pub from: MinuteOfDay,
    /// The first minute after the span (exclusive); `24:00` for the end of the day.
    pub until: MinuteOfDay,
}

impl DailySpan {
    /// The whole day.
    pub const ALL_DAY: DailySpan = DailySpan {
        from: MinuteOfDay::START,
        until: MinuteOfDay::END,
    };

    /// Whether `now` is inside the span.
    pub fn contains(self, now: MinuteOfDay) -> bool {
        if self.from <= self.until {
            now >= self.from && now < self.until
        } else {
            now >= self.from || now < self.until
        }
    }

    /// Whether two spans share a minute (for overlap warnings; spans that
    /// run past midnight are compared as written).
    pub fn overlaps(self, other: DailySpan) -> bool {
        self.from < other.until && other.from < self.until
    }
}

/// A set of weekdays, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Weekdays(u8);

impl Weekdays {
    /// The names a config uses, Monday first.
    pub const NAMES: [&'static str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    /// Every day of the week.
    pub const ALL: Weekdays = Weekdays(0x7f);
    /// No day (the start of a set being built).
    pub const NONE: Weekdays = Weekdays(0);

    /// The day named `name` (`mon` … `sun`), 0 for Monday.
    pub fn index_of(name: &str) -> Option<u32> {
        Self::NAMES.iter().position(|n| *n == name).map(|i| i as u32)
    }

    /// This set with day `day` (0 = Monday) added.
    pub fn with(self, day: u32) -> Weekdays {
        Weekdays(self.0 | (1 << (day % 7)))
    }

    /// Whether day `day` (0 = Monday) is in the set.
    pub fn contains(self, day: u32) -> bool {
        self.0 & (1 << (day % 7)) != 0
    }

    /// Whether every day is in the set.
    pub fn is_all(self) -> bool {
        self == Self::ALL
    }

    /// The names of the days in the set, Monday first.
    pub fn names(self) -> Vec<&'static str> {
        (0..7)
            .filter(|d| self.contains(*d))
            .map(|d| Self::NAMES[d as usize])
            .collect()
    }
}

/// China Standard Time's names, all UTC+8.
const CHINA_ZONE_NAMES: [&str; 5] = ["Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC", "CST"];

/// The fixed offset of a configured time zone: `Asia/Shanghai` and the other
/// names of China Standard Time, `UTC`, or `+HH:MM` / `-HH:MM`.
pub fn parse_zone(name: &str) -> Option<FixedOffset> {
    if CHINA_ZONE_NAMES.contains(&name) {
        return Some(crate::china_standard_time());
    }
    if ["UTC", "Etc/UTC", "Z"].contains(&name) {
        return FixedOffset::east_opt(0);
    }
    let sign = match name.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let minutes = MinuteOfDay::parse(name.get(1..)?)?.minutes();
    FixedOffset::east_opt(sign * minutes as i32 * 60)
}

/// A time of day, or an error at its place.
pub(super) fn clock_time(
    loc: &Locator,
    t: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) -> Option<MinuteOfDay> {
    let minutes = MinuteOfDay::parse(t.get_ref());
    if minutes.is_none() {
        out.push(error(
            loc,
            t.span(),
            format!("`{}` is not a time of day", quoted(t.get_ref())),
            "write 24-hour HH:MM, e.g. \"08:00\" or \"17:30\"",
        ));
    }
    minutes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_and_print() {
        assert_eq!(MinuteOfDay::parse("08:30").map(|m| m.minutes()), Some(510));
        assert_eq!(MinuteOfDay::parse("24:00"), Some(MinuteOfDay::END));
        assert_eq!(MinuteOfDay::parse("24:01"), None);
        assert_eq!(MinuteOfDay::parse("8:30"), None);
        assert_eq!(MinuteOfDay::from_clock(7, 5).to_string(), "07:05");
    }

    #[test]
    fn spans_past_midnight_wrap() {
        let night = DailySpan {
            from: MinuteOfDay::from_clock(22, 0),
            until: MinuteOfDay::from_clock(6, 0),
        };
        assert!(night.contains(MinuteOfDay::from_clock(23, 0)));
        assert!(night.contains(MinuteOfDay::from_clock(5, 59)));
        assert!(!night.contains(MinuteOfDay::from_clock(6, 0)));
    }

    #[test]
    fn weekday_sets_and_zones() {
        let set = Weekdays::NONE.with(0).with(6);
        assert_eq!(set.names(), ["mon", "sun"]);
        assert!(!set.contains(3));
        assert_eq!(parse_zone("+05:30").map(|z| z.local_minus_utc()), Some(19800));
        assert_eq!(
            parse_zone("Asia/Shanghai").map(|z| z.local_minus_utc()),
            Some(28800)
        );
        assert_eq!(parse_zone("Mars/Olympus"), None);
    }
}
