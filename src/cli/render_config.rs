//! `rankwall render --config FILE [--at TIME] [--all] --out DIR`: exactly the
//! frame a screen with that config shows at that instant (mid-transition,
//! rotation and burn-in shift included), drawn by the same player and
//! compositor as the window, or every page of the cycle.

use crate::client::OffscreenScreen;
use crate::config::{self, Config};
use crate::feed::Feed;
use crate::play::Player;
use crate::text::Fonts;
use anyhow::{bail, Context as _};
use chrono::{DateTime, FixedOffset};
use image::RgbaImage;
use std::path::{Path, PathBuf};

/// What `rankwall render --config` was asked for.
pub struct ConfigRender {
    pub config: PathBuf,
    pub feed: Option<String>,
    pub size: Option<String>,
    pub at: Option<String>,
    pub all: bool,
    pub out: PathBuf,
    pub cache_dir: Option<PathBuf>,
}

pub fn render_config(opts: &ConfigRender) -> anyhow::Result<Vec<PathBuf>> {
    let text = std::fs::read_to_string(&opts.config)
        .with_context(|| format!("cannot read config {}", opts.config.display()))?;
    let probe = config::parse("", &text, None).config;
    let location = opts.feed.clone().or_else(|| probe.and_then(|c| c.feed.url));
    let cache_dir = opts.cache_dir.clone();
    let loaded = super::load_feed(location.as_deref(), cache_dir.as_deref())?;
    let checked = config::parse(&opts.config.display().to_string(), &text, Some(&loaded.feed));
    for d in &checked.diagnostics {
        eprintln!("{d}");
    }
    let Some(config) = checked.config else {
        bail!("{} has errors; nothing rendered", opts.config.display())
    };
    let now = super::parse_at(opts.at.as_deref(), loaded.clock_correction)?;
    let mut stage = Stage::new(config, loaded.feed, opts.size.as_deref())?;
    std::fs::create_dir_all(&opts.out).with_context(|| format!("cannot create {}", opts.out.display()))?;
    if opts.all {
        return stage.render_cycle(now, &opts.out);
    }
    let image = stage.frame_image(now)?;
    let path = opts
        .out
        .join(format!("frame-{}.png", now.format("%Y%m%dT%H%M%S%.3f%z")));
    crate::snapshot::save_png(&image, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(vec![path])
}

/// A player and an offscreen screen: any frame of the schedule on demand.
pub struct Stage {
    player: Player,
    screen: OffscreenScreen,
}

impl Stage {
    /// A stage for `config` over `feed` at `size` (else the config's size).
    pub fn new(config: Config, feed: Feed, size: Option<&str>) -> anyhow::Result<Self> {
        let size = match size {
            Some(s) => s.to_string(),
            None if config.screen.size.get_ref() == "monitor" => {
                bail!("the config says size = \"monitor\"; give --size WIDTHxHEIGHT to render without a monitor")
            }
            None => config.screen.size.get_ref().clone(),
        };
        let physical = crate::layout::ScreenProfile::parse(&size).context("screen size")?;
        let physical = (physical.width, physical.height);
        let fonts = Fonts::load(&config.theme.font_options())?;
        let player = Player::new(fonts, config, feed, physical)?;
        let screen = OffscreenScreen::new(physical)?;
        Ok(Stage { player, screen })
    }

    /// The player, for the schedule's frames.
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// The frame a screen shows at `now`.
    pub fn frame_image(&mut self, now: DateTime<FixedOffset>) -> anyhow::Result<RgbaImage> {
        let view = self.player.view_at(now);
        self.screen.draw(&mut self.player, &view, now)?;
        Ok(self.screen.read()?)
    }

    fn render_cycle(&mut self, now: DateTime<FixedOffset>, out: &Path) -> anyhow::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (n, slot) in self.player.cycle(now).iter().enumerate() {
            let view = self.player.page_view(slot, now);
            self.screen.draw(&mut self.player, &view, now)?;
            let image = self.screen.read()?;
            let path = out.join(format!(
                "{:03}-item{}-{}.png",
                n + 1,
                slot.item + 1,
                slot.page.file_stem()
            ));
            crate::snapshot::save_png(&image, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}
