//! The schedule: which page is on screen at an instant, as a pure function of
//! (settings, the page table the player made, data, wall-clock time in the
//! screen's zone). It knows nothing of layout or fonts: pages are counted
//! and timed here, made elsewhere.
//!
//! The rule: cycles start at midnight in the screen's zone and run back to
//! back. Each cycle's plan (items, pages, durations) is fixed at its start,
//! from the items whose windows are open then; a window that opens or closes
//! mid-cycle, or a notice whose `from` passes, takes effect at the next
//! cycle boundary. A notice in the plan whose `until` passes ends its cycle
//! at that instant (an operator's 停水通知 is not shown past its end), and
//! the next cycle starts there. While a priority item has content, only priority items
//! play. Screens with the same config and data therefore show the same page
//! at the same moment without talking to each other, and a restart resumes
//! where the cycle is. (A client that receives new data mid-cycle keeps the
//! cycle it is in and applies the new data from the next boundary.)
//!
//! An item plays at most its `max_time` per cycle (at least one page). A
//! longer one shows the next stretch of its pages at its next turn, chosen
//! from the cycle's index since midnight, so screens stay in step and a
//! list of thousands cannot starve the rest of the playlist.

#![deny(missing_docs)]

mod turn;
mod window;

pub(crate) use window::display_on;
pub use window::{banner_at, item_is_open, window_contains};

use crate::config::{Item, Settings};
use crate::feed::Feed;
use crate::slide::{PageRef, SlideRef};
use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone};

/// One page of the cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// Index of the playlist item.
    pub item: usize,
    /// Which slide, and which of its entries, the page shows.
    pub page: PageRef,
    /// How long the page stays, in milliseconds.
    pub millis: i64,
    /// A marquee's speed in pixels per second; `None` for a still page.
    pub scroll: Option<u32>,
    /// How far into its pass a marquee starts, in milliseconds: a pass
    /// longer than the item's `max_time` plays one stretch per turn.
    pub scroll_from: i64,
}

/// What the screen shows at an instant.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    /// Outside the display hours: black, nothing rendered.
    Off,
    /// Nothing can play: the idle slide with the clock.
    Idle,
    /// A page, since `started`, until `ends`.
    Page {
        /// The page on screen and how long it stays.
        slot: Slot,
        /// When the page came on screen (in the screen's zone).
        started: DateTime<FixedOffset>,
        /// When the next page of the cycle (or of the next cycle) takes over: `started` plus the
        /// slot's time.
        ends: DateTime<FixedOffset>,
        /// When the cycle this page belongs to began; new data that changes the pages waits for the
        /// next such boundary.
        cycle_start: DateTime<FixedOffset>,
    },
}

/// A page of an item with, for a marquee, how long it takes to pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// Which slide, and which of its entries, the page shows.
    pub page: PageRef,
    /// For a marquee page, the time its line takes to pass once.
    pub marquee_millis: Option<i64>,
}

/// Every page of every item for the data on show (windows ignored), in
/// playlist order. The player makes it with the layout; the schedule only
/// counts and times its pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pages {
    per_item: Vec<Vec<Planned>>,
}

impl Pages {
    /// The table from each item's pages, in playlist order.
    pub fn new(per_item: Vec<Vec<Planned>>) -> Self {
        Pages { per_item }
    }

    /// Whether item `i` plays as a marquee.
    pub fn item_scrolls(&self, i: usize) -> bool {
        self.per_item
            .get(i)
            .is_some_and(|pages| pages.iter().any(|p| p.marquee_millis.is_some()))
    }

    /// Item `i`'s slide ids, page count and time for one pass through all its
    /// pages (every notice counted, whatever its window).
    pub fn item_summary(&self, i: usize, item: &Item) -> (Vec<String>, usize, i64) {
        let Some(pages) = self.per_item.get(i) else {
            return (Vec::new(), 0, 0);
        };
        let mut ids: Vec<String> = Vec::new();
        for p in pages {
            if !ids.contains(&p.page.id) {
                ids.push(p.page.id.clone());
            }
        }
        let per_page = item.page_millis();
        let millis = pages
            .iter()
            .map(|p| p.marquee_millis.map_or(per_page, |m| m.max(1000)))
            .sum();
        (ids, pages.len(), millis)
    }

    /// Whether any page of any item is a marquee.
    pub fn has_marquee(&self) -> bool {
        self.per_item.iter().flatten().any(|p| p.marquee_millis.is_some())
    }
}

/// The plan of cycle number `cycle` (counted from midnight) starting at
/// `at`: the open items' pages, in order, each item within its `max_time`.
pub fn plan(
    settings: &Settings,
    feed: &Feed,
    pages: &Pages,
    at: DateTime<FixedOffset>,
    cycle: u64,
) -> Vec<Slot> {
    let live = |i: usize| -> Vec<&Planned> {
        pages
            .per_item
            .get(i)
            .into_iter()
            .flatten()
            .filter(|p| match p.page.slide {
                SlideRef::Notice(n) => feed.notices.get(n).is_some_and(|n| n.is_active(at)),
                _ => true,
            })
            .collect()
    };
    let open: Vec<usize> = (0..settings.playlist.len())
        .filter(|&i| item_is_open(&settings.playlist[i], at))
        .collect();
    let priority: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&i| settings.playlist[i].priority && !live(i).is_empty())
        .collect();
    let chosen = if priority.is_empty() { open } else { priority };
    chosen
        .into_iter()
        .flat_map(|i| {
            let item = &settings.playlist[i];
            let millis = item.page_millis();
            let speed = item.scroll_speed;
            let slots: Vec<Slot> = live(i)
                .into_iter()
                .map(|p| Slot {
                    item: i,
                    page: p.page.clone(),
                    millis: p.marquee_millis.map_or(millis, |m| m.max(1000)),
                    scroll: p.marquee_millis.map(|_| speed),
                    scroll_from: 0,
                })
                .collect();
            turn::within(slots, item.max_millis(), cycle)
        })
        .collect()
}

/// The frame at instant `t`.
pub fn frame_at(settings: &Settings, feed: &Feed, pages: &Pages, t: DateTime<FixedOffset>) -> Frame {
    let zone = settings.screen.time_zone;
    let t = t.with_timezone(&zone);
    if !window::display_on(settings, t) {
        return Frame::Off;
    }
    match cycle_containing(settings, feed, pages, t) {
        Some((_, start, slots)) => {
            let end = cycle_end(feed, &slots, start);
            locate(slots, (start, end), t)
        }
        None => Frame::Idle,
    }
}

/// The cycle that contains `t` (display on): its index since midnight, its
/// start and its plan; `None` when nothing can play at `t`.
fn cycle_containing(
    settings: &Settings,
    feed: &Feed,
    pages: &Pages,
    t: DateTime<FixedOffset>,
) -> Option<(u64, DateTime<FixedOffset>, Vec<Slot>)> {
    let zone = settings.screen.time_zone;
    let midnight = zone
        .from_local_datetime(&t.date_naive().and_time(NaiveTime::MIN))
        .single()
        .unwrap_or(t);
    let mut start = midnight;
    let mut cycle = 0;
    while start <= t {
        let slots = plan(settings, feed, pages, start, cycle);
        let length: i64 = slots.iter().map(|s| s.millis).sum();
        if length == 0 {
            // Nothing open: look again at the next whole minute.
            start = next_minute(start);
            continue;
        }
        let end = cycle_end(feed, &slots, start);
        if t < end {
            return Some((cycle, start, slots));
        }
        start = end;
        cycle += 1;
    }
    None
}

/// The next whole minute after `t` (the idle clock, closed windows, display hours).
pub fn next_minute(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let secs = t.timestamp();
    let next = (secs.div_euclid(60) + 1) * 60;
    DateTime::from_timestamp(next, 0).map_or(t + Duration::minutes(1), |d| d.with_timezone(t.offset()))
}

/// When the cycle of `slots` starting at `start` ends: after its pages, or
/// at the first `until` of a notice it shows that falls before that.
fn cycle_end(feed: &Feed, slots: &[Slot], start: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let natural = start + Duration::milliseconds(slots.iter().map(|s| s.millis).sum());
    slots
        .iter()
        .filter_map(|s| match s.page.slide {
            SlideRef::Notice(n) => feed.notices.get(n)?.until,
            _ => None,
        })
        .filter(|u| *u > start && *u < natural)
        .min()
        .unwrap_or(natural)
}

fn locate(
    slots: Vec<Slot>,
    (cycle_start, cycle_end): (DateTime<FixedOffset>, DateTime<FixedOffset>),
    t: DateTime<FixedOffset>,
) -> Frame {
    let mut started = cycle_start;
    for slot in slots {
        if started >= cycle_end {
            break;
        }
        let ends = (started + Duration::milliseconds(slot.millis)).min(cycle_end);
        if t < ends {
            return Frame::Page {
                slot,
                started,
                ends,
                cycle_start,
            };
        }
        started = ends;
    }
    Frame::Idle
}

/// The last cycle [`frame_at`] found, so that questions about instants in the
/// same cycle (every frame of a transition or a marquee) do not walk the day's
/// cycles from midnight again. Clear it when the config or data change.
#[derive(Debug, Default)]
pub struct CycleMemo {
    cycle: std::cell::RefCell<Option<Cycle>>,
}

/// A cycle: its start, its end and its plan.
type Cycle = (DateTime<FixedOffset>, DateTime<FixedOffset>, Vec<Slot>);

impl CycleMemo {
    /// Forgets the cycle held, so the next question walks the day from midnight again; call it when
    /// the config or data change.
    pub fn clear(&self) {
        self.cycle.replace(None);
    }
}

/// [`frame_at`], answered from `memo` when `t` falls in the cycle it holds.
pub fn frame_at_memo(
    settings: &Settings,
    feed: &Feed,
    pages: &Pages,
    t: DateTime<FixedOffset>,
    memo: &CycleMemo,
) -> Frame {
    let zone = settings.screen.time_zone;
    let t = t.with_timezone(&zone);
    if !window::display_on(settings, t) {
        return Frame::Off;
    }
    if let Some((start, end, slots)) = memo.cycle.borrow().as_ref() {
        // Cycles restart at midnight, so a remembered cycle only serves its own day.
        if *start <= t && t < *end && start.date_naive() == t.date_naive() {
            return locate(slots.clone(), (*start, *end), t);
        }
    }
    let Some((_, start, slots)) = cycle_containing(settings, feed, pages, t) else {
        return Frame::Idle;
    };
    let end = cycle_end(feed, &slots, start);
    let frame = locate(slots.clone(), (start, end), t);
    memo.cycle.replace(Some((start, end, slots)));
    frame
}

/// Every page of the cycle that contains `t` (for `render --all`).
pub fn cycle_at(settings: &Settings, feed: &Feed, pages: &Pages, t: DateTime<FixedOffset>) -> Vec<Slot> {
    let t = t.with_timezone(&settings.screen.time_zone);
    if !window::display_on(settings, t) {
        return Vec::new();
    }
    cycle_containing(settings, feed, pages, t).map_or(Vec::new(), |(_, _, slots)| slots)
}
