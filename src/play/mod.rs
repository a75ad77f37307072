//! The player: the screen's state between the schedule and the renderer. It
//! holds the config and data on show, takes new ones at the right moments,
//! says what the screen shows at an instant ([`View`]), when that can next
//! change ([`Wake`]), and makes the scene for a [`Still`]. It knows nothing of
//! windows or GPUs, so the window, the headless client and `render --config`
//! share it and tests drive it with a fake clock.
//!
//! When new things take effect:
//! - a new config at the next slide boundary;
//! - new data at the next slide boundary when the current cycle keeps the same
//!   pages (same items, page counts and durations), otherwise at the next cycle
//!   boundary, so a list that grows a page never cuts a cycle short;
//! - a new screen size at once (the old layout no longer fits).

#![deny(missing_docs)]

mod brightness;
mod burnin;
mod canvas;
mod pages;
mod view;

pub use burnin::{next_step, shift_at};
pub use pages::{every_slide, page_table};
pub use view::{ease, Blend, Still, View, Wake};

use crate::config::{Settings, ThemeSettings};
use crate::feed::Feed;
use crate::layout::{ProfileError, ScreenProfile, Theme};
use crate::scene::Scene;
use crate::schedule::{self, Frame, Pages, Slot};
use crate::text::{FontOptions, Fonts};
use chrono::{DateTime, Duration, FixedOffset};
use std::sync::Arc;

/// A config and data with their pages.
struct Show {
    settings: Settings,
    /// The data as received, shared with the source and the config checker.
    data: Arc<Feed>,
    /// What is shown: the data with the config's own messages as notices
    /// (the same `Arc` as `data` when the config writes none).
    feed: Arc<Feed>,
    pages: Pages,
    version: u64,
    /// The cycle last looked up, for the many questions of one frame.
    memo: schedule::CycleMemo,
    /// SHA-256 of the data as shown, for proof of play.
    data_hash: String,
}

fn data_hash(feed: &Feed) -> String {
    crate::digest::sha256_hex(&serde_json::to_vec(feed).unwrap_or_default())
}

/// The fonts a theme asks for, after the bundled ones.
pub fn font_options(theme: &ThemeSettings) -> FontOptions {
    FontOptions {
        extra_files: theme.fonts.clone(),
        system_fallback: theme.system_fonts,
    }
}

/// Where the schedule stood at the last view, to notice boundaries.
#[derive(Clone, Debug, PartialEq)]
struct Mark {
    started: Option<DateTime<FixedOffset>>,
    cycle_start: Option<DateTime<FixedOffset>>,
}

impl Mark {
    fn of(frame: &Frame) -> Mark {
        match frame {
            Frame::Page {
                started, cycle_start, ..
            } => Mark {
                started: Some(*started),
                cycle_start: Some(*cycle_start),
            },
            _ => Mark {
                started: None,
                cycle_start: None,
            },
        }
    }
}

/// The screen's state: the config and data on show, any new ones waiting for their boundary, and
/// the fonts, theme and layout profile that scenes are made with.
pub struct Player {
    fonts: Fonts,
    theme: Theme,
    physical: (u32, u32),
    profile: ScreenProfile,
    show: Show,
    pending_settings: Option<Settings>,
    pending_feed: Option<Arc<Feed>>,
    last: Option<Mark>,
    versions: u64,
}

/// The layout profile for a panel of `physical` size under `settings`: the
/// rotation swaps the sides, the margins and minimum text come from the config.
pub fn profile_for(settings: &Settings, physical: (u32, u32)) -> Result<ScreenProfile, ProfileError> {
    // An LED controller's region is what the slide is laid out for.
    let physical = settings.screen.region.map_or(physical, |r| (r.width, r.height));
    let (w, h) = match (&settings.wall, settings.screen.rotation.swaps_sides()) {
        // A tile of a wall lays out the whole canvas (and draws its viewport).
        (Some(wall), _) => wall.canvas,
        (None, true) => (physical.1, physical.0),
        (None, false) => physical,
    };
    let mut profile = ScreenProfile::new(w, h)?;
    if let Some(m) = settings.screen.margin {
        profile.margin = m as f32;
    }
    if let Some(t) = settings.screen.min_text {
        profile.min_text = t as f32;
    }
    Ok(profile)
}

impl Player {
    /// A player showing `settings` over `feed` on a panel of `physical` size.
    pub fn new(
        mut fonts: Fonts,
        settings: Settings,
        feed: Feed,
        physical: (u32, u32),
    ) -> Result<Self, ProfileError> {
        let profile = profile_for(&settings, physical)?;
        let data = Arc::new(feed);
        let feed = settings.shown_feed(&data);
        let pages = page_table(&mut fonts, &settings, &feed, &profile);
        Ok(Player {
            fonts,
            theme: Theme::default(),
            physical,
            profile,
            show: Show {
                data_hash: data_hash(&data),
                settings,
                data,
                feed,
                pages,
                version: 0,
                memo: schedule::CycleMemo::default(),
            },
            pending_settings: None,
            pending_feed: None,
            last: None,
            versions: 0,
        })
    }

    /// The settings on show.
    pub fn settings(&self) -> &Settings {
        &self.show.settings
    }

    /// The data on show (not new data still waiting for its boundary).
    pub fn feed(&self) -> &Feed {
        &self.show.feed
    }

    /// The layout profile of the panel: its size as laid out (after rotation), margin and minimum
    /// text.
    pub fn profile(&self) -> &ScreenProfile {
        &self.profile
    }

    /// The panel's own size in pixels, (width, height), before rotation.
    pub fn physical(&self) -> (u32, u32) {
        self.physical
    }

    /// SHA-256 of the data on show (normalised, as laid out).
    pub fn data_hash(&self) -> &str {
        &self.show.data_hash
    }

    /// SHA-256 of the config text on show.
    pub fn config_hash(&self) -> &str {
        &self.show.settings.source_sha256
    }

    /// Whether the fonts cover `c`.
    pub fn covers(&self, c: char) -> bool {
        self.fonts.covers(c)
    }

    /// The fonts, for the renderer to shape and draw the scene's text with.
    pub fn fonts_mut(&mut self) -> &mut Fonts {
        &mut self.fonts
    }

    /// Whether a new config or new data waits for its boundary.
    pub fn has_pending(&self) -> bool {
        self.pending_settings.is_some() || self.pending_feed.is_some()
    }

    /// New data: shown at the next boundary (at once before the first view).
    /// An `Arc` is shared, not copied.
    pub fn offer_feed(&mut self, feed: impl Into<Arc<Feed>>) {
        let feed = feed.into();
        if self.last.is_none() {
            self.install(None, Some(feed));
        } else {
            self.pending_feed = Some(feed);
        }
    }

    /// A new valid config: applied at the next slide boundary.
    pub fn offer_settings(&mut self, settings: Settings) {
        if self.last.is_none() {
            self.install(Some(settings), None);
        } else {
            self.pending_settings = Some(settings);
        }
    }

    /// The panel's size changed: lay out again at once.
    pub fn resize(&mut self, physical: (u32, u32)) -> Result<(), ProfileError> {
        self.profile = profile_for(&self.show.settings, physical)?;
        self.physical = physical;
        self.install(None, None);
        Ok(())
    }

    fn install(&mut self, settings: Option<Settings>, feed: Option<Arc<Feed>>) {
        if let Some(settings) = settings {
            if let Ok(profile) = profile_for(&settings, self.physical) {
                self.profile = profile;
            }
            self.show.settings = settings;
        }
        if let Some(feed) = feed {
            self.show.data_hash = data_hash(&feed);
            self.show.data = feed;
        }
        self.show.feed = self.show.settings.shown_feed(&self.show.data);
        self.versions += 1;
        self.show.version = self.versions;
        self.show.pages = page_table(
            &mut self.fonts,
            &self.show.settings,
            &self.show.feed,
            &self.profile,
        );
        self.show.memo.clear();
    }

    /// The schedule's frame at `now` under what is on show, without taking
    /// anything new (for status and `render --config`).
    pub fn frame(&self, now: DateTime<FixedOffset>) -> Frame {
        let show = &self.show;
        schedule::frame_at_memo(&show.settings, &show.feed, &show.pages, now, &show.memo)
    }

    /// The frame at `now`, first taking a pending config or data whose
    /// boundary has come.
    pub fn advance(&mut self, now: DateTime<FixedOffset>) -> Frame {
        let mut frame = self.frame(now);
        let mark = Mark::of(&frame);
        if let Some(last) = self.last.clone() {
            // Nothing of the data is on screen while idle or off: take news at once.
            let boundary = last != mark || mark.started.is_none() || self.pending_takes_over(now);
            if boundary && self.has_pending() && self.take_pending(&last, &mark, now) {
                frame = self.frame(now);
            }
        }
        self.last = Some(Mark::of(&frame));
        frame
    }

    /// Whether the config waiting for its boundary brings a priority item
    /// with something to show now that the one on show lacks (an emergency
    /// message), or withdraws one that is open now (撤销): it is taken at
    /// once, not after the page on show.
    fn pending_takes_over(&self, now: DateTime<FixedOffset>) -> bool {
        let Some(pending) = &self.pending_settings else {
            return false;
        };
        let showing = &self.show.settings;
        let withdrawn = (showing.playlist.iter()).any(|item| {
            item.priority && !pending.playlist.contains(item) && schedule::item_is_open(item, now)
        });
        withdrawn || self.brings_priority(pending, now)
    }

    /// Whether `pending` has a priority item with something to show now that
    /// the config on show lacks.
    fn brings_priority(&self, pending: &Settings, now: DateTime<FixedOffset>) -> bool {
        let showing = &self.show.settings;
        pending.playlist.iter().any(|item| {
            if !item.priority || showing.playlist.contains(item) || !schedule::item_is_open(item, now) {
                return false;
            }
            match &item.content {
                crate::config::Content::Notice(id) if crate::config::is_message_id(id) => {
                    let shown = |m| showing.messages.contains(m) || showing.banners.contains(m);
                    (pending.messages.iter().chain(&pending.banners))
                        .any(|m| &m.id == id && m.is_active(now) && !shown(m))
                }
                content => match crate::config::resolve(content, &self.show.data) {
                    crate::config::Resolved::Notices(v) => v
                        .iter()
                        .any(|&n| self.show.data.notices.get(n).is_some_and(|n| n.is_active(now))),
                    other => !other.is_empty(),
                },
            }
        })
    }

    fn take_pending(&mut self, last: &Mark, mark: &Mark, now: DateTime<FixedOffset>) -> bool {
        if let Some(settings) = self.pending_settings.take() {
            let feed = self.pending_feed.take();
            self.install(Some(settings), feed);
            return true;
        }
        let Some(feed) = self.pending_feed.take() else {
            return false;
        };
        let new_cycle = mark.cycle_start.is_none() || last.cycle_start != mark.cycle_start;
        let shown = self.show.settings.shown_feed(&feed);
        let pages = page_table(&mut self.fonts, &self.show.settings, &shown, &self.profile);
        if new_cycle || self.same_plan(&shown, &pages, mark, now) {
            self.show.data_hash = data_hash(&feed);
            self.show.data = feed;
            self.show.feed = shown;
            self.show.pages = pages;
            self.show.memo.clear();
            self.versions += 1;
            self.show.version = self.versions;
            return true;
        }
        self.pending_feed = Some(feed);
        false
    }

    /// Whether `feed` keeps the current cycle's pages and durations.
    fn same_plan(&self, feed: &Feed, pages: &Pages, mark: &Mark, now: DateTime<FixedOffset>) -> bool {
        let at = mark.cycle_start.unwrap_or(now);
        let shape = |slots: Vec<Slot>| -> Vec<(usize, usize, usize, i64)> {
            slots
                .into_iter()
                .map(|s| (s.item, s.page.index, s.page.count, s.millis))
                .collect()
        };
        // Compared under the same turn: what matters is whether the data
        // changes the pages and their times, not which stretch plays.
        let old = schedule::plan(&self.show.settings, &self.show.feed, &self.show.pages, at, 0);
        shape(old) == shape(schedule::plan(&self.show.settings, feed, pages, at, 0))
    }

    /// What the screen shows at `now`.
    pub fn view_at(&mut self, now: DateTime<FixedOffset>) -> View {
        let frame = self.advance(now);
        let screen = &self.show.settings.screen;
        let walk = shift_at(screen.pixel_shift, screen.pixel_shift_minutes, now);
        let at = region_offset(screen);
        let shift = (walk.0 + at.0, walk.1 + at.1);
        let rotation = screen.rotation.degrees();
        let still = self.still_of(&frame, now);
        let (previous, blend, progress) = self.transition(&frame, now);
        let (level, _) = brightness::level_at(screen, now);
        View {
            still,
            previous,
            blend,
            progress,
            shift,
            rotation,
            level,
        }
    }

    /// A page of the cycle on its own, as `render --all` shows it: no
    /// transition, no shift, a marquee at its start.
    pub fn page_view(&self, slot: &Slot, now: DateTime<FixedOffset>) -> View {
        View {
            still: Still::Page {
                show: self.show.version,
                item: slot.item,
                page: slot.page.clone(),
                stale: self.stale_at().is_some_and(|at| now >= at),
                scroll_px: 0,
                banner: schedule::banner_at(&self.show.settings, now),
            },
            previous: None,
            blend: Blend::Cut,
            progress: 1.0,
            shift: region_offset(&self.show.settings.screen),
            rotation: self.show.settings.screen.rotation.degrees(),
            level: 1.0,
        }
    }

    /// Every page of every open item at `now`, whole (no item's `max_time`
    /// applies), for `render` without a config.
    pub fn plan_at(&self, now: DateTime<FixedOffset>) -> Vec<Slot> {
        let mut settings = self.show.settings.clone();
        for item in &mut settings.playlist {
            item.max_time = std::time::Duration::MAX;
        }
        schedule::plan(&settings, &self.show.feed, &self.show.pages, now, 0)
    }

    /// Every page of the cycle that contains `now`.
    pub fn cycle(&self, now: DateTime<FixedOffset>) -> Vec<Slot> {
        schedule::cycle_at(&self.show.settings, &self.show.feed, &self.show.pages, now)
    }

    fn still_of(&self, frame: &Frame, now: DateTime<FixedOffset>) -> Still {
        match frame {
            Frame::Off => Still::Black,
            Frame::Idle => Still::Idle {
                minute: now.timestamp().div_euclid(60),
                banner: schedule::banner_at(&self.show.settings, now),
            },
            Frame::Page { slot, started, .. } => Still::Page {
                show: self.show.version,
                item: slot.item,
                page: slot.page.clone(),
                stale: self.stale_at().is_some_and(|at| now >= at),
                scroll_px: slot.scroll.map_or(0, |speed| {
                    let elapsed = slot.scroll_from + (now - *started).num_milliseconds().max(0);
                    elapsed * i64::from(speed) / 1000
                }),
                banner: schedule::banner_at(&self.show.settings, now),
            },
        }
    }

    /// The picture being left, the blend and its progress at `now`.
    fn transition(&self, frame: &Frame, now: DateTime<FixedOffset>) -> (Option<Still>, Blend, f32) {
        let Frame::Page { slot, started, .. } = frame else {
            return (None, Blend::Cut, 1.0);
        };
        let Some(transition) = self.show.settings.playlist.get(slot.item).map(|i| i.transition) else {
            return (None, Blend::Cut, 1.0);
        };
        let blend = Blend::from(transition.kind);
        let length = Duration::milliseconds(transition.duration.as_millis() as i64);
        let elapsed = now - *started;
        if blend == Blend::Cut || length <= Duration::zero() || elapsed >= length {
            return (None, Blend::Cut, 1.0);
        }
        let before = *started - Duration::milliseconds(1);
        let previous = self.still_of(&self.frame(before), before);
        let p = elapsed.num_milliseconds() as f32 / length.num_milliseconds() as f32;
        let progress = if blend == Blend::Slide {
            ease(p)
        } else {
            p.clamp(0.0, 1.0)
        };
        (Some(previous), blend, progress)
    }

    /// When the data turns stale, if a limit applies.
    pub fn stale_at(&self) -> Option<DateTime<FixedOffset>> {
        let limit = self.show.settings.feed.stale_after?;
        Some(self.show.feed.generated_at + limit)
    }

    /// When the view shown at `now` can next change.
    pub fn next_wake(&self, view: &View, now: DateTime<FixedOffset>) -> Wake {
        let moving = matches!(&view.still, Still::Page { item, .. } if self.show.pages.item_scrolls(*item));
        let screen = &self.show.settings.screen;
        let ramping = brightness::level_at(screen, now).1;
        if view.previous.is_some() || moving || ramping {
            return Wake::EveryFrame;
        }
        let frame = self.frame(now);
        let mut next = match &frame {
            Frame::Page { ends, .. } => *ends,
            _ => schedule::next_minute(now),
        };
        if let Some(at) = self.stale_at().filter(|at| *at > now) {
            next = next.min(at);
        }
        if screen.pixel_shift > 0 {
            next = next.min(next_step(screen.pixel_shift_minutes, now));
        }
        if let Some(edge) = brightness::next_edge(screen, now) {
            next = next.min(edge);
        }
        if let Some(edge) = self.next_banner_edge(now) {
            next = next.min(edge);
        }
        Wake::At(next)
    }

    /// When a banner may next go up or down: its message's start or end,
    /// or the next minute while its item has windows.
    fn next_banner_edge(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let settings = &self.show.settings;
        let instants = (settings.banners.iter())
            .flat_map(|b| [b.from, b.until])
            .flatten()
            .filter(|t| *t > now);
        let windowed = settings.playlist.iter().any(|i| {
            !i.windows.is_empty()
                && matches!(&i.content, crate::config::Content::Notice(id)
                    if settings.banners.iter().any(|b| &b.id == id))
        });
        let minute = windowed.then(|| schedule::next_minute(now));
        instants.chain(minute).min()
    }

    /// The scene for a still (layout at `now`).
    pub fn scene(&mut self, still: &Still, now: DateTime<FixedOffset>) -> Scene {
        let scene = self.canvas_scene(still, now);
        // A tile of a wall draws its window of the canvas, no more.
        match self.show.settings.wall {
            Some(wall) => {
                let v = wall.viewport;
                scene.window(v.x, v.y, v.width, v.height)
            }
            None => scene,
        }
    }

    /// For a tile of a wall, a frame of a slide as one picture across the
    /// wall: the old page moved left by the eased share of the canvas's
    /// width and the new one coming in from the right, cut to the tile's
    /// viewport. `None` when no slide runs on a wall (the compositor then
    /// slides the layers, as on a lone screen).
    pub fn slid_scene(&mut self, view: &View, now: DateTime<FixedOffset>) -> Option<Scene> {
        let wall = self.show.settings.wall?;
        let previous = view.previous.as_ref().filter(|_| view.blend == Blend::Slide)?;
        let from = backed(self.canvas_scene(previous, now));
        let to = backed(self.canvas_scene(&view.still, now));
        let width = i32::try_from(from.width).unwrap_or(i32::MAX);
        let moved = (from.width as f32 * view.progress).round() as i32;
        let empty = Scene::new(from.width, from.height, from.background);
        let slid = to.over_shifted(from.over_shifted(empty, -moved), width - moved);
        let v = wall.viewport;
        Some(slid.window(v.x, v.y, v.width, v.height))
    }
}

/// Where an LED controller's region starts in the frame; (0, 0) without one.
fn region_offset(screen: &crate::config::ScreenSettings) -> (i32, i32) {
    screen.region.map_or((0, 0), |r| {
        (
            i32::try_from(r.x).unwrap_or(i32::MAX),
            i32::try_from(r.y).unwrap_or(i32::MAX),
        )
    })
}

/// `scene` with its background as a first quad over the whole frame, so
/// that it keeps its colour when moved beside another page.
fn backed(mut scene: Scene) -> Scene {
    let bounds = scene.bounds();
    scene.quads.insert(
        0,
        crate::scene::Quad {
            rect: bounds,
            color: scene.background,
            radius: 0.0,
        },
    );
    scene
}
