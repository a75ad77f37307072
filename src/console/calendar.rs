//! The week of a group's playlist, as a clerk reads a timetable: for each
//! day, the stretches of time in which the same items play (or the screens
//! are off, or an emergency holds them), computed from the config alone —
//! the items' windows, the display hours, the notices' and messages'
//! instants, priority — at every minute where one of those can change.

use crate::config::{resolve, Resolved, Settings};
use crate::feed::Feed;
use crate::schedule::{display_on, item_is_open};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Timelike};
use serde::Serialize;

/// One stretch of a day in which the same things play.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stretch {
    /// Its first minute, `HH:MM`.
    pub from: String,
    /// The minute after it, `HH:MM` (`24:00` at the day's end).
    pub until: String,
    /// The start as the preview takes it: `YYYY-MM-DDTHH:MM`.
    pub at: String,
    /// The screens are off (outside the display hours).
    pub off: bool,
    /// Only priority items play (an emergency or a priority notice).
    pub priority: bool,
    /// The items that play, by their labels, in playlist order.
    pub items: Vec<String>,
    /// The banner (提示) over them, by its item's label.
    pub banner: Option<String>,
}

/// One hour of a day, a link to the preview at its start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hour {
    /// `08`.
    pub label: String,
    /// `YYYY-MM-DDTHH:00`, as the preview takes it.
    pub at: String,
}

/// One day of the week.
#[derive(Clone, Debug, Serialize)]
pub struct Day {
    /// `12月7日 周一`.
    pub title: String,
    pub stretches: Vec<Stretch>,
    /// The day's 24 hours, each opening the preview at its start.
    pub hours: Vec<Hour>,
}

/// The seven days from `monday`, each item named by `labels[i]`.
pub fn week(settings: &Settings, feed: &Feed, monday: NaiveDate, labels: &[String]) -> Vec<Day> {
    let zone = settings.screen.time_zone;
    let shown = settings.shown_feed(&std::sync::Arc::new(feed.clone()));
    (0..7)
        .filter_map(|d| monday.checked_add_signed(Duration::days(d)))
        .map(|date| Day {
            title: format!(
                "{} {}",
                date.format("%-m月%-d日"),
                WEEKDAYS[date.weekday().num_days_from_monday() as usize]
            ),
            stretches: day(settings, &shown, (date, zone), labels),
            hours: (0..24)
                .map(|h| Hour {
                    label: format!("{h:02}"),
                    at: format!("{}T{h:02}:00", date.format("%Y-%m-%d")),
                })
                .collect(),
        })
        .collect()
}

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn day(
    settings: &Settings,
    feed: &Feed,
    (date, zone): (NaiveDate, FixedOffset),
    labels: &[String],
) -> Vec<Stretch> {
    let at = |minute: u32| -> Option<DateTime<FixedOffset>> {
        let midnight = zone.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).single()?;
        Some(midnight + Duration::minutes(i64::from(minute)))
    };
    let mut stretches: Vec<Stretch> = Vec::new();
    let edges = edges(settings, feed, date, zone);
    for pair in edges.windows(2) {
        let Some(t) = at(pair[0]) else { continue };
        let (off, priority, items) = state(settings, feed, t, labels);
        let banner = crate::schedule::banner_at(settings, t).and_then(|b| banner_label(settings, b, labels));
        match stretches.last_mut() {
            Some(last)
                if (last.off, last.priority, &last.items, &last.banner)
                    == (off, priority, &items, &banner) =>
            {
                last.until = clock(pair[1]);
            }
            _ => stretches.push(Stretch {
                from: clock(pair[0]),
                until: clock(pair[1]),
                at: format!("{}T{}", date.format("%Y-%m-%d"), clock(pair[0])),
                off,
                priority,
                items,
                banner,
            }),
        }
    }
    stretches
}

/// Every minute of the day where what plays may change, with 0 and 1440.
fn edges(settings: &Settings, feed: &Feed, date: NaiveDate, zone: FixedOffset) -> Vec<u32> {
    let mut edges = vec![0, 1440];
    let spans = (settings.playlist.iter())
        .flat_map(|i| i.windows.iter().map(|w| w.hours))
        .chain(settings.screen.display_hours);
    for span in spans {
        edges.extend([span.from.minutes(), span.until.minutes()]);
    }
    for n in feed.notices.iter().chain(&settings.banners) {
        for t in [n.from, n.until].into_iter().flatten() {
            let local = t.with_timezone(&zone);
            if local.date_naive() == date {
                edges.push(local.hour() * 60 + local.minute());
            }
        }
    }
    edges.retain(|m| *m <= 1440);
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Off, priority, and the labels of the items that play at `t`.
fn state(
    settings: &Settings,
    feed: &Feed,
    t: DateTime<FixedOffset>,
    labels: &[String],
) -> (bool, bool, Vec<String>) {
    if !display_on(settings, t) {
        return (true, false, Vec::new());
    }
    let live = |i: usize| {
        let item = &settings.playlist[i];
        item_is_open(item, t)
            && match resolve(&item.content, feed) {
                Resolved::Notices(v) => v
                    .iter()
                    .any(|&n| feed.notices.get(n).is_some_and(|n| n.is_active(t))),
                other => !other.is_empty(),
            }
    };
    let open: Vec<usize> = (0..settings.playlist.len()).filter(|&i| live(i)).collect();
    let priority: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&i| settings.playlist[i].priority)
        .collect();
    let chosen = if priority.is_empty() { &open } else { &priority };
    let names = chosen.iter().map(|&i| {
        labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("第 {} 项", i + 1))
    });
    (false, !priority.is_empty(), names.collect())
}

/// The label of banner `b`'s item.
fn banner_label(settings: &Settings, b: usize, labels: &[String]) -> Option<String> {
    let id = &settings.banners.get(b)?.id;
    let item = (settings.playlist.iter())
        .position(|i| matches!(&i.content, crate::config::Content::Notice(n) if n == id))?;
    Some(
        labels
            .get(item)
            .cloned()
            .unwrap_or_else(|| format!("第 {} 项", item + 1)),
    )
}

/// `HH:MM` of a minute of the day.
fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_week_is_told_in_stretches_of_what_plays() {
        let text = "[screen]\ndisplay_hours = { from = \"06:30\", until = \"22:00\" }\n\n\
                    [[playlist]]\nselect = { level = \"township\" }\n\n\
                    [[playlist]]\nselect = { list = \"red\" }\nwindows = [{ days = [\"sat\", \"sun\"], from = \"08:00\", until = \"18:00\" }]\n\n\
                    [[playlist]]\nmessage = { title = \"停水通知\", body = \"明日停水\", from = \"2026-12-07T09:00:00+08:00\", until = \"2026-12-07T12:00:00+08:00\" }\npriority = true\n";
        let settings = crate::config::parse("g.toml", text, None).settings.unwrap();
        let feed = crate::feed::demo().unwrap().0;
        let labels: Vec<String> = ["乡镇榜", "红榜", "停水通知"].map(String::from).to_vec();
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let week = week(&settings, &feed, monday, &labels);
        assert_eq!(week.len(), 7);
        assert_eq!(week[0].title, "12月7日 周一");
        let monday: Vec<(String, String, bool, bool, Vec<String>)> = week[0]
            .stretches
            .iter()
            .map(|s| {
                (
                    s.from.clone(),
                    s.until.clone(),
                    s.off,
                    s.priority,
                    s.items.clone(),
                )
            })
            .collect();
        assert_eq!(
            monday,
            vec![
                ("00:00".into(), "06:30".into(), true, false, vec![]),
                (
                    "06:30".into(),
                    "09:00".into(),
                    false,
                    false,
                    vec!["乡镇榜".to_string()]
                ),
                (
                    "09:00".into(),
                    "12:00".into(),
                    false,
                    true,
                    vec!["停水通知".to_string()]
                ),
                (
                    "12:00".into(),
                    "22:00".into(),
                    false,
                    false,
                    vec!["乡镇榜".to_string()]
                ),
                ("22:00".into(), "24:00".into(), true, false, vec![]),
            ]
        );
        let saturday = &week[5].stretches;
        assert!(
            saturday
                .iter()
                .any(|s| s.from == "08:00" && s.until == "18:00" && s.items == ["乡镇榜", "红榜"]),
            "{saturday:?}"
        );
        assert_eq!(week[0].stretches[1].at, "2026-12-07T06:30");
    }
}
