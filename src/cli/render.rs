//! `rankwall render`: every page of every slide of a feed to PNG files,
//! through the same player, compositor and paint as a screen (a playlist of
//! every slide, default settings at the asked size).

use crate::config::{PanelSize, ScreenSize, Settings, ThemeSettings};
use crate::offscreen::Stage;
use crate::play::{every_slide, font_options, profile_for};
use crate::text::Fonts;
use anyhow::Context as _;
use std::path::PathBuf;

/// What `rankwall render` was asked for.
pub struct RenderOptions {
    /// Feed file or URL; the embedded demo feed when absent.
    pub feed: Option<String>,
    /// The screen size every page is drawn at.
    pub size: PanelSize,
    /// The folder the PNG files are written to (made when missing).
    pub out: PathBuf,
    /// The instant to render (RFC 3339), which decides the active notices; now when absent.
    pub at: Option<String>,
    /// Fonts besides the bundled ones.
    pub theme: ThemeSettings,
    /// Where the last good copy of a feed URL is kept.
    pub cache_dir: Option<PathBuf>,
}

/// Renders every page and returns the files written.
pub fn render(opts: &RenderOptions) -> anyhow::Result<Vec<PathBuf>> {
    let loaded = super::load_feed(opts.feed.as_deref(), opts.cache_dir.as_deref())?;
    let (feed, report, loaded_demo) = (loaded.feed, loaded.report, loaded.embedded_demo);
    let now = super::parse_at(opts.at.as_deref(), loaded.clock_correction)?;
    report.log();
    let mut settings = Settings::default();
    settings.screen.size = ScreenSize::Fixed(opts.size);
    settings.theme = opts.theme.clone();
    if loaded_demo {
        settings.feed.for_embedded_demo();
    }
    let mut fonts = Fonts::load(&font_options(&settings.theme))?;
    crate::feed::uncovered_chars(&feed, &|c| fonts.covers(c)).log();
    let profile = profile_for(&settings, opts.size.pair())?;
    settings.playlist = every_slide(&mut fonts, &feed, &profile);
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create output folder {}", opts.out.display()))?;
    let mut stage = Stage::with_fonts(settings, feed, fonts)?;
    let slots = stage.player().plan_at(now);
    let named =
        |n: usize, slot: &crate::schedule::Slot| format!("{:03}-{}.png", n + 1, slot.page.file_stem());
    Ok(stage.render_pages(&slots, now, &opts.out, named)?)
}
