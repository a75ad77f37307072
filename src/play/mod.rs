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

mod burnin;
mod view;

pub use burnin::{next_step, shift_at};
pub use view::{ease, Blend, Still, View, Wake};

use crate::config::Config;
use crate::feed::Feed;
use crate::layout::{self, Context, ProfileError, ScreenProfile, Theme};
use crate::scene::Scene;
use crate::schedule::{self, Frame, Pages, Slot};
use crate::text::Fonts;
use chrono::{DateTime, Duration, FixedOffset};

/// A config and data with their pages.
struct Show {
    config: Config,
    feed: Feed,
    pages: Pages,
    version: u64,
    /// The cycle last looked up, for the many questions of one frame.
    memo: schedule::CycleMemo,
    /// SHA-256 of the data as shown and of the config, for proof of play.
    data_hash: String,
    config_hash: String,
}

fn data_hash(feed: &Feed) -> String {
    crate::source::sha256_hex(&serde_json::to_vec(feed).unwrap_or_default())
}

fn config_hash(config: &Config) -> String {
    crate::source::sha256_hex(format!("{config:?}").as_bytes())
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

pub struct Player {
    fonts: Fonts,
    theme: Theme,
    physical: (u32, u32),
    profile: ScreenProfile,
    show: Show,
    pending_config: Option<Config>,
    pending_feed: Option<Feed>,
    last: Option<Mark>,
    versions: u64,
}

/// The layout profile for a panel of `physical` size under `config`: the
/// rotation swaps the sides, the margins and minimum text come from the config.
pub fn profile_for(config: &Config, physical: (u32, u32)) -> Result<ScreenProfile, ProfileError> {
    let (w, h) = match config.screen.rotation.get_ref() {
        90 | 270 => (physical.1, physical.0),
        _ => physical,
    };
    let mut profile = ScreenProfile::new(w, h)?;
    if let Some(m) = config.screen.margin {
        profile.margin = m as f32;
    }
    if let Some(t) = config.screen.min_text {
        profile.min_text = t as f32;
    }
    Ok(profile)
}

impl Player {
    pub fn new(
        mut fonts: Fonts,
        config: Config,
        feed: Feed,
        physical: (u32, u32),
    ) -> Result<Self, ProfileError> {
        let profile = profile_for(&config, physical)?;
        let pages = Pages::new(&mut fonts, &config, &feed, &profile);
        Ok(Player {
            fonts,
            theme: Theme::default(),
            physical,
            profile,
            show: Show {
                data_hash: data_hash(&feed),
                config_hash: config_hash(&config),
                config,
                feed,
                pages,
                version: 0,
                memo: schedule::CycleMemo::default(),
            },
            pending_config: None,
            pending_feed: None,
            last: None,
            versions: 0,
        })
    }

    pub fn config(&self) -> &Config {
        &self.show.config
    }

    pub fn feed(&self) -> &Feed {
        &self.show.feed
    }

    pub fn profile(&self) -> &ScreenProfile {
        &self.profile
    }

    pub fn physical(&self) -> (u32, u32) {
        self.physical
    }

    /// SHA-256 of the data on show (normalised, as laid out).
    pub fn data_hash(&self) -> &str {
        &self.show.data_hash
    }

    /// SHA-256 of the config on show.
    pub fn config_hash(&self) -> &str {
        &self.show.config_hash
    }

    /// Whether the fonts cover `c`.
    pub fn covers(&self, c: char) -> bool {
        self.fonts.covers(c)
    }

    pub fn fonts_mut(&mut self) -> &mut Fonts {
        &mut self.fonts
    }

    /// Whether a new config or new data waits for its boundary.
    pub fn has_pending(&self) -> bool {
        self.pending_config.is_some() || self.pending_feed.is_some()
    }

    /// New data: shown at the next boundary (at once before the first view).
    pub fn offer_feed(&mut self, feed: Feed) {
        if self.last.is_none() {
            self.install(None, Some(feed));
        } else {
            self.pending_feed = Some(feed);
        }
    }

    /// A new valid config: applied at the next slide boundary.
    pub fn offer_config(&mut self, config: Config) {
        if self.last.is_none() {
            self.install(Some(config), None);
        } else {
            self.pending_config = Some(config);
        }
    }

    /// The panel's size changed: lay out again at once.
    pub fn resize(&mut self, physical: (u32, u32)) -> Result<(), ProfileError> {
        self.profile = profile_for(&self.show.config, physical)?;
        self.physical = physical;
        self.install(None, None);
        Ok(())
    }

    fn install(&mut self, config: Option<Config>, feed: Option<Feed>) {
        if let Some(config) = config {
            if let Ok(profile) = profile_for(&config, self.physical) {
                self.profile = profile;
            }
            self.show.config_hash = config_hash(&config);
            self.show.config = config;
        }
        if let Some(feed) = feed {
            self.show.data_hash = data_hash(&feed);
            self.show.feed = feed;
        }
        self.versions += 1;
        self.show.version = self.versions;
        self.show.pages = Pages::new(&mut self.fonts, &self.show.config, &self.show.feed, &self.profile);
        self.show.memo.clear();
    }

    /// The schedule's frame at `now` under what is on show, without taking
    /// anything new (for status and `render --config`).
    pub fn frame(&self, now: DateTime<FixedOffset>) -> Frame {
        let show = &self.show;
        schedule::frame_at_memo(&show.config, &show.feed, &show.pages, now, &show.memo)
    }

    /// The frame at `now`, first taking a pending config or data whose
    /// boundary has come.
    pub fn advance(&mut self, now: DateTime<FixedOffset>) -> Frame {
        let mut frame = self.frame(now);
        let mark = Mark::of(&frame);
        if let Some(last) = self.last.clone() {
            // Nothing of the data is on screen while idle or off: take news at once.
            let boundary = last != mark || mark.started.is_none();
            if boundary && self.has_pending() && self.take_pending(&last, &mark, now) {
                frame = self.frame(now);
            }
        }
        self.last = Some(Mark::of(&frame));
        frame
    }

    fn take_pending(&mut self, last: &Mark, mark: &Mark, now: DateTime<FixedOffset>) -> bool {
        if let Some(config) = self.pending_config.take() {
            let feed = self.pending_feed.take();
            self.install(Some(config), feed);
            return true;
        }
        let Some(feed) = self.pending_feed.take() else {
            return false;
        };
        let new_cycle = mark.cycle_start.is_none() || last.cycle_start != mark.cycle_start;
        let pages = Pages::new(&mut self.fonts, &self.show.config, &feed, &self.profile);
        if new_cycle || self.same_plan(&feed, &pages, mark, now) {
            self.show.data_hash = data_hash(&feed);
            self.show.feed = feed;
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
        let old = schedule::plan(&self.show.config, &self.show.feed, &self.show.pages, at);
        shape(old) == shape(schedule::plan(&self.show.config, feed, pages, at))
    }

    /// What the screen shows at `now`.
    pub fn view_at(&mut self, now: DateTime<FixedOffset>) -> View {
        let frame = self.advance(now);
        let screen = &self.show.config.screen;
        let shift = shift_at(
            *screen.pixel_shift.get_ref(),
            *screen.pixel_shift_minutes.get_ref(),
            now,
        );
        let rotation = *screen.rotation.get_ref();
        let still = self.still_of(&frame, now);
        let (previous, blend, progress) = self.transition(&frame, now);
        View {
            still,
            previous,
            blend,
            progress,
            shift,
            rotation,
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
            },
            previous: None,
            blend: Blend::Cut,
            progress: 1.0,
            shift: (0, 0),
            rotation: *self.show.config.screen.rotation.get_ref(),
        }
    }

    /// Every page of the cycle that contains `now`.
    pub fn cycle(&self, now: DateTime<FixedOffset>) -> Vec<Slot> {
        schedule::cycle_at(&self.show.config, &self.show.feed, &self.show.pages, now)
    }

    fn still_of(&self, frame: &Frame, now: DateTime<FixedOffset>) -> Still {
        match frame {
            Frame::Off => Still::Black,
            Frame::Idle => Still::Idle {
                minute: now.timestamp().div_euclid(60),
            },
            Frame::Page { slot, started, .. } => Still::Page {
                show: self.show.version,
                item: slot.item,
                page: slot.page.clone(),
                stale: self.stale_at().is_some_and(|at| now >= at),
                scroll_px: slot.scroll.map_or(0, |speed| {
                    let elapsed = (now - *started).num_milliseconds().max(0);
                    elapsed * i64::from(speed) / 1000
                }),
            },
        }
    }

    /// The picture being left, the blend and its progress at `now`.
    fn transition(&self, frame: &Frame, now: DateTime<FixedOffset>) -> (Option<Still>, Blend, f32) {
        let Frame::Page { slot, started, .. } = frame else {
            return (None, Blend::Cut, 1.0);
        };
        let transition = &self.show.config.playlist[slot.item].transition;
        let blend = Blend::parse(transition.kind.get_ref());
        let length = Duration::milliseconds((transition.duration * 1000.0).round() as i64);
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
        let hours = self.show.config.feed.stale_after_hours;
        (hours > 0).then(|| self.show.feed.generated_at + Duration::hours(hours as i64))
    }

    /// When the view shown at `now` can next change.
    pub fn next_wake(&self, view: &View, now: DateTime<FixedOffset>) -> Wake {
        let moving = matches!(&view.still, Still::Page { item, .. } if self.show.pages.item_scrolls(*item));
        if view.previous.is_some() || moving {
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
        if *self.show.config.screen.pixel_shift.get_ref() > 0 {
            next = next.min(next_step(
                *self.show.config.screen.pixel_shift_minutes.get_ref(),
                now,
            ));
        }
        Wake::At(next)
    }

    /// The scene for a still (layout at `now`).
    pub fn scene(&mut self, still: &Still, now: DateTime<FixedOffset>) -> Scene {
        match still {
            Still::Black => Scene::new(
                self.profile.width,
                self.profile.height,
                crate::scene::Rgba::hex(0),
            ),
            Still::Idle { .. } => {
                let issuer = self.show.feed.issuer.clone();
                layout::idle(
                    &mut self.fonts,
                    &self.profile,
                    &self.theme,
                    now,
                    issuer.as_deref(),
                )
            }
            Still::Page {
                item,
                page,
                scroll_px,
                ..
            } => {
                let mask_names = self.show.config.playlist.get(*item).and_then(|i| i.mask_names);
                let hours = self.show.config.feed.stale_after_hours;
                let ctx = Context {
                    feed: &self.show.feed,
                    profile: &self.profile,
                    theme: &self.theme,
                    now,
                    stale_after: (hours > 0).then(|| Duration::hours(hours as i64)),
                    mask_names,
                };
                if self.show.pages.item_scrolls(*item) {
                    layout::ticker(&mut self.fonts, &ctx, page, *scroll_px as f32)
                } else {
                    layout::layout_page(&mut self.fonts, &ctx, page)
                }
            }
        }
    }
}
