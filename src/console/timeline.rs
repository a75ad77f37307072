//! A day's timeline for the 预览 page: which items and pages play when, the
//! items' windows and the display hours, read off the schedule minute by
//! minute and grouped into spans that play the same cycle.

use crate::config::{MinuteOfDay, Settings};
use crate::play::Player;
use chrono::{Duration, NaiveDate, TimeZone};
use serde::Serialize;

/// One page of a cycle.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageCell {
    /// The item, from 1 as operators count.
    pub item: usize,
    /// Which slide and page, e.g. `board-towns-2026-11-p2of5`.
    pub page: String,
    /// The same for people: the slide's title and the page, e.g. `村级排名 第2/5页`.
    pub title: String,
    /// Seconds on screen, as people write them (`10`, `7.5`).
    pub secs: String,
}

/// A span of the day that plays one cycle (or is off).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub from: String,
    pub until: String,
    pub off: bool,
    pub pages: Vec<PageCell>,
    /// The cycle's length in words.
    pub cycle: String,
}

/// The timeline of `date` for `settings` as `player` plays them.
pub fn day(player: &Player, settings: &Settings, date: NaiveDate) -> Vec<Row> {
    let zone = settings.screen.time_zone;
    let Some(midnight) = date
        .and_hms_opt(0, 0, 0)
        .and_then(|t| zone.from_local_datetime(&t).single())
    else {
        return Vec::new();
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<(u32, Option<Vec<PageCell>>)> = None;
    for minute in 0..=24 * 60 {
        let state = (minute < 24 * 60).then(|| {
            let of_day = MinuteOfDay::from_clock(minute / 60, minute % 60);
            let off = settings.screen.display_hours.is_some_and(|h| !h.contains(of_day));
            (!off).then(|| cells(player, midnight + Duration::minutes(i64::from(minute))))
        });
        let same = match (&current, &state) {
            (Some((_, a)), Some(b)) => a == b,
            _ => false,
        };
        if same {
            continue;
        }
        if let Some((start, pages)) = current.take() {
            rows.push(row(start, minute, pages));
        }
        current = state.map(|s| (minute, s));
    }
    rows
}

fn cells(player: &Player, at: chrono::DateTime<chrono::FixedOffset>) -> Vec<PageCell> {
    player
        .cycle(at)
        .iter()
        .map(|slot| PageCell {
            item: slot.item + 1,
            page: slot.page.file_stem(),
            title: page_title(
                player.feed(),
                &slot.page.slide,
                slot.page.index + 1,
                slot.page.count,
            ),
            secs: (slot.millis as f64 / 1000.0).to_string(),
        })
        .collect()
}

/// A page as the operator reads it: its slide's title (the id when the
/// title is empty) and `第 n/m 页` when the slide has more than one page.
pub fn page_title(
    feed: &crate::feed::Feed,
    slide: &crate::slide::SlideRef,
    page: usize,
    pages: usize,
) -> String {
    use crate::slide::SlideRef;
    let named = |title: &str, id: &str| (title.to_string(), id.to_string());
    let (title, id) = match *slide {
        SlideRef::View(i, view) => feed
            .boards
            .get(i)
            .map(|b| named(&format!("{} · {}", b.title, view.title()), &b.id)),
        SlideRef::Board(i) => feed.boards.get(i).map(|b| named(&b.title, &b.id)),
        SlideRef::List(i) => feed.lists.get(i).map(|l| named(&l.title, &l.id)),
        SlideRef::Notice(i) => feed.notices.get(i).map(|n| named(&n.title, &n.id)),
    }
    .unwrap_or_default();
    let title = if title.trim().is_empty() { id } else { title };
    match pages {
        0 | 1 => title.to_string(),
        _ => format!("{title} 第{page}/{pages}页"),
    }
}

/// The title of the slide with `id` in `feed`, as [`page_title`] writes it;
/// the id itself when the feed has no such slide.
pub fn slide_title(feed: &crate::feed::Feed, id: &str, page: usize, pages: usize) -> String {
    use crate::slide::SlideRef;
    let slide = feed
        .boards
        .iter()
        .position(|b| b.id == id)
        .map(SlideRef::Board)
        .or_else(|| feed.lists.iter().position(|l| l.id == id).map(SlideRef::List))
        .or_else(|| feed.notices.iter().position(|n| n.id == id).map(SlideRef::Notice));
    match slide {
        Some(slide) => page_title(feed, &slide, page, pages),
        None if pages > 1 => format!("{id} 第{page}/{pages}页"),
        None => id.to_string(),
    }
}

fn row(start: u32, end: u32, pages: Option<Vec<PageCell>>) -> Row {
    let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    let off = pages.is_none();
    let pages = pages.unwrap_or_default();
    let total: f64 = pages.iter().filter_map(|p| p.secs.parse::<f64>().ok()).sum();
    Row {
        from: clock(start),
        until: clock(end),
        off,
        cycle: if off || pages.is_empty() {
            "—".into()
        } else {
            format!("{} 页，{total} 秒", pages.len())
        },
        pages,
    }
}
