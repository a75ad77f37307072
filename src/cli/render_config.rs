//! `rankwall render --config FILE [--at TIME] [--all] --out DIR`: exactly the
//! frame a screen with that config shows at that instant (mid-transition
//! included), or every page of the cycle.

use crate::config::{self, Config, Item};
use crate::feed::Feed;
use crate::layout::{self, Context, ScreenProfile, Theme};
use crate::render::Headless;
use crate::schedule::{self, Frame, Pages, Slot};
use crate::text::{FontOptions, Fonts};
use anyhow::{bail, Context as _};
use chrono::{DateTime, Duration, FixedOffset};
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

/// Everything needed to draw any frame of the schedule.
struct Stage {
    config: Config,
    feed: Feed,
    profile: ScreenProfile,
    theme: Theme,
    fonts: Fonts,
    pages: Pages,
    headless: Headless,
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

impl Stage {
    fn new(config: Config, feed: Feed, size: Option<&str>) -> anyhow::Result<Self> {
        let size = match size {
            Some(s) => s.to_string(),
            None if config.screen.size.get_ref() == "monitor" => {
                bail!("the config says size = \"monitor\"; give --size WIDTHxHEIGHT to render without a monitor")
            }
            None => config.screen.size.get_ref().clone(),
        };
        let mut profile = ScreenProfile::parse(&size).context("screen size")?;
        if let Some(m) = config.screen.margin {
            profile.margin = m as f32;
        }
        if let Some(t) = config.screen.min_text {
            profile.min_text = t as f32;
        }
        let font_options = FontOptions {
            extra_files: config.theme.fonts.iter().map(PathBuf::from).collect(),
            system_fallback: config.theme.system_fonts,
        };
        let mut fonts = Fonts::load(&font_options)?;
        let pages = Pages::new(&mut fonts, &config, &feed, &profile);
        let headless = Headless::new()?;
        Ok(Stage {
            config,
            feed,
            profile,
            theme: Theme::default(),
            fonts,
            pages,
            headless,
        })
    }

    /// The scene of a slot at `now`.
    fn slot_image(&mut self, slot: &Slot, now: DateTime<FixedOffset>) -> anyhow::Result<RgbaImage> {
        let item: &Item = &self.config.playlist[slot.item];
        let ctx = Context {
            feed: &self.feed,
            profile: &self.profile,
            theme: &self.theme,
            now,
            stale_after: Some(Duration::hours(self.config.feed.stale_after_hours as i64)),
            mask_names: item.mask_names,
        };
        let scene = layout::layout_page(&mut self.fonts, &ctx, &slot.page);
        Ok(self.headless.render(&mut self.fonts, &scene)?)
    }

    fn still_image(&mut self, frame: &Frame, now: DateTime<FixedOffset>) -> anyhow::Result<RgbaImage> {
        match frame {
            Frame::Off => Ok(RgbaImage::from_pixel(
                self.profile.width,
                self.profile.height,
                image::Rgba([0, 0, 0, 255]),
            )),
            Frame::Idle => {
                let issuer = self.feed.issuer.as_deref();
                let scene = layout::idle(&mut self.fonts, &self.profile, &self.theme, now, issuer);
                Ok(self.headless.render(&mut self.fonts, &scene)?)
            }
            Frame::Page { slot, .. } => self.slot_image(slot, now),
        }
    }

    /// The frame at `now`, blending with the previous page during a transition.
    fn frame_image(&mut self, now: DateTime<FixedOffset>) -> anyhow::Result<RgbaImage> {
        let frame = schedule::frame_at(&self.config, &self.feed, &self.pages, now);
        let image = self.still_image(&frame, now)?;
        let Frame::Page { slot, started, .. } = &frame else {
            return Ok(image);
        };
        let transition = &self.config.playlist[slot.item].transition;
        let length = Duration::milliseconds((transition.duration * 1000.0) as i64);
        let kind = transition.kind.get_ref().clone();
        let elapsed = now - *started;
        if kind == "cut" || length <= Duration::zero() || elapsed >= length {
            return Ok(image);
        }
        let before = *started - Duration::milliseconds(1);
        let previous = schedule::frame_at(&self.config, &self.feed, &self.pages, before);
        let previous_image = self.still_image(&previous, before)?;
        let progress = elapsed.num_milliseconds() as f32 / length.num_milliseconds() as f32;
        Ok(crate::render::transition::blend(
            &previous_image,
            &image,
            &kind,
            progress,
        ))
    }

    fn render_cycle(&mut self, now: DateTime<FixedOffset>, out: &Path) -> anyhow::Result<Vec<PathBuf>> {
        let slots = schedule::cycle_at(&self.config, &self.feed, &self.pages, now);
        let mut written = Vec::new();
        for (n, slot) in slots.iter().enumerate() {
            let image = self.slot_image(slot, now)?;
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
