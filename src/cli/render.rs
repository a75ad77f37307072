//! `rankwall render`: every page of every slide to PNG files.

use crate::layout::{self, Context, ScreenProfile, Theme};
use crate::render::Headless;
use crate::text::{FontOptions, Fonts};
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// What `rankwall render` was asked for.
pub struct RenderOptions {
    pub feed: Option<String>,
    pub size: String,
    pub out: PathBuf,
    pub at: Option<String>,
    pub fonts: FontOptions,
    /// Where the last good copy of a feed URL is kept.
    pub cache_dir: Option<PathBuf>,
}

/// Renders every page and returns the files written.
pub fn render(opts: &RenderOptions) -> anyhow::Result<Vec<PathBuf>> {
    let profile = ScreenProfile::parse(&opts.size).context("--size")?;
    let loaded = super::load_feed(opts.feed.as_deref(), opts.cache_dir.as_deref())?;
    let (feed, report) = (loaded.feed, loaded.report);
    let now = super::parse_at(opts.at.as_deref(), loaded.clock_correction)?;
    report.log();
    let mut fonts = Fonts::load(&opts.fonts)?;
    crate::feed::uncovered_chars(&feed, &|c| fonts.covers(c)).log();
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create output folder {}", opts.out.display()))?;
    let mut headless = Headless::new()?;
    tracing::info!(adapter = %headless.gpu.describe(), "rendering");
    let theme = Theme::default();
    let ctx = Context {
        feed: &feed,
        profile: &profile,
        theme: &theme,
        now,
        stale_after: Some(chrono::Duration::hours(48)),
        mask_names: None,
    };
    let mut written = Vec::new();
    for (n, page) in layout::paginate(&mut fonts, &feed, &profile, now)
        .iter()
        .enumerate()
    {
        let scene = layout::layout_page(&mut fonts, &ctx, page);
        let image = headless.render(&mut fonts, &scene)?;
        let path = opts.out.join(format!("{:03}-{}.png", n + 1, page.file_stem()));
        save_png(&image, &path)?;
        written.push(path);
    }
    Ok(written)
}

fn save_png(image: &image::RgbaImage, path: &Path) -> anyhow::Result<()> {
    crate::snapshot::save_png(image, path).with_context(|| format!("cannot write {}", path.display()))
}
