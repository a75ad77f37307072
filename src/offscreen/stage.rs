//! A player and an offscreen screen: any frame of the schedule on demand,
//! drawn by the same [`paint`](crate::offscreen::paint) as the window. Every
//! offscreen picture of the program (`render`, `render --config` and the
//! console's previews) comes from here; `run --headless` and
//! `/screenshot.png` share the screen type.

use super::{OffscreenError, OffscreenScreen};
use crate::config::Settings;
use crate::feed::Feed;
use crate::play::{font_options, Player};
use crate::schedule::Slot;
use crate::text::Fonts;
use chrono::{DateTime, FixedOffset};
use image::RgbaImage;
use std::path::{Path, PathBuf};

/// A player and an offscreen screen.
pub struct Stage {
    player: Player,
    screen: OffscreenScreen,
}

impl Stage {
    /// A stage for `settings` over `feed`, at the settings' size.
    pub fn new(settings: Settings, feed: Feed) -> Result<Self, OffscreenError> {
        let started = std::time::Instant::now();
        let fonts = Fonts::load(&font_options(&settings.theme))?;
        tracing::debug!(elapsed = ?started.elapsed(), rss_mib = rss_mib(), "fonts loaded");
        Stage::with_fonts(settings, feed, fonts)
    }

    /// A stage with fonts already loaded.
    pub fn with_fonts(settings: Settings, feed: Feed, fonts: Fonts) -> Result<Self, OffscreenError> {
        let Some(size) = settings.screen.size.fixed() else {
            return Err(OffscreenError::MonitorSize);
        };
        let started = std::time::Instant::now();
        let player = Player::new(fonts, settings, feed, size.pair())?;
        tracing::debug!(elapsed = ?started.elapsed(), rss_mib = rss_mib(), "page table made");
        let screen = OffscreenScreen::new(size.pair())?;
        tracing::info!(adapter = %screen.gpu.describe(), "rendering");
        Ok(Stage { player, screen })
    }

    /// The player, for the schedule's frames.
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// The frame a screen shows at `now`.
    pub fn frame_image(&mut self, now: DateTime<FixedOffset>) -> Result<RgbaImage, OffscreenError> {
        let view = self.player.view_at(now);
        self.screen.draw_once(&mut self.player, &view, now)?;
        Ok(self.screen.read()?)
    }

    /// The frame a screen shows at `now`, written to `path` as a PNG as it
    /// is read back (never whole in memory).
    pub fn save_frame(&mut self, now: DateTime<FixedOffset>, path: &Path) -> Result<(), OffscreenError> {
        let view = self.player.view_at(now);
        self.screen
            .write_view_png(&mut self.player, &view, now, path, crate::png::Effort::Fast)
    }

    /// One slot on its own (no transition, a marquee at its start).
    pub fn page_image(
        &mut self,
        slot: &Slot,
        now: DateTime<FixedOffset>,
    ) -> Result<RgbaImage, OffscreenError> {
        let view = self.player.page_view(slot, now);
        self.screen.draw_once(&mut self.player, &view, now)?;
        Ok(self.screen.read()?)
    }

    /// Each of `slots` on its own (no transition, a marquee at its start),
    /// written to `out` under the name `name` gives it; the files written.
    pub fn render_pages(
        &mut self,
        slots: &[Slot],
        now: DateTime<FixedOffset>,
        out: &Path,
        name: impl Fn(usize, &Slot) -> String,
    ) -> Result<Vec<PathBuf>, OffscreenError> {
        let mut written = Vec::new();
        for (n, slot) in slots.iter().enumerate() {
            let view = self.player.page_view(slot, now);
            let path = out.join(name(n, slot));
            self.screen
                .write_view_png(&mut self.player, &view, now, &path, crate::png::Effort::Fast)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The resident memory now, in MiB (for the start-up figures in debug logs).
pub fn rss_mib() -> u64 {
    crate::status::rss_bytes().unwrap_or(0) >> 20
}
