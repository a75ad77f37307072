//! `rankwall render --config FILE [--at TIME] [--all] --out DIR`: exactly the
//! frame a screen with that config shows at that instant (mid-transition,
//! rotation and burn-in shift included), drawn by the same player and
//! compositor as the window, or every page of the cycle.

use crate::config::{self, Overrides, ScreenSize};
use crate::offscreen::{rss_mib, Stage};
use anyhow::{bail, Context as _};
use std::path::PathBuf;

/// What `rankwall render --config` was asked for.
pub struct ConfigRender {
    /// The screen's config file (rankwall.toml).
    pub config: PathBuf,
    /// Feed file or URL instead of the config's feed URL.
    pub feed: Option<String>,
    /// A size instead of the config's screen size.
    pub size: Option<ScreenSize>,
    /// The instant to render (RFC 3339); now when absent.
    pub at: Option<String>,
    /// Every page of the cycle at `at` instead of the one frame.
    pub all: bool,
    /// For a tile of a video wall: the whole canvas instead of the tile.
    pub canvas: bool,
    /// The folder the PNG files are written to (made when missing).
    pub out: PathBuf,
    /// Where the last good copy of a feed URL is kept.
    pub cache_dir: Option<PathBuf>,
}

/// Renders the frame at `--at` (or every page of its cycle); the files written.
pub fn render_config(opts: &ConfigRender) -> anyhow::Result<Vec<PathBuf>> {
    let started = std::time::Instant::now();
    let text = std::fs::read_to_string(&opts.config)
        .with_context(|| format!("cannot read config {}", opts.config.display()))?;
    let probe = config::parse("", &text, None).settings;
    let location = opts.feed.clone().or_else(|| probe.and_then(|c| c.feed.url));
    let loaded = super::load_feed(location.as_deref(), opts.cache_dir.as_deref())?;
    let checked = config::parse(&opts.config.display().to_string(), &text, Some(&loaded.feed));
    for d in &checked.diagnostics {
        eprintln!("{d}");
    }
    let Some(settings) = checked.settings else {
        bail!("{} has errors; nothing rendered", opts.config.display())
    };
    let overrides = Overrides {
        size: opts.size,
        feed_url: opts.feed.clone(),
        cache_dir: opts.cache_dir.clone(),
        ..Overrides::default()
    };
    let mut settings = overrides.apply(settings).map_err(anyhow::Error::msg)?;
    if loaded.embedded_demo {
        settings.feed.for_embedded_demo();
    }
    if opts.canvas {
        whole_canvas(&mut settings)?;
    }
    let now = super::parse_at(opts.at.as_deref(), loaded.clock_correction)?;
    tracing::debug!(elapsed = ?started.elapsed(), rss_mib = rss_mib(), "config and feed read");
    let mut stage = Stage::new(settings, loaded.feed)?;
    tracing::debug!(elapsed = ?started.elapsed(), rss_mib = rss_mib(), "stage ready");
    std::fs::create_dir_all(&opts.out).with_context(|| format!("cannot create {}", opts.out.display()))?;
    if opts.all {
        let named = |n: usize, slot: &crate::schedule::Slot| {
            format!("{:03}-item{}-{}.png", n + 1, slot.item + 1, slot.page.file_stem())
        };
        let slots = stage.player().cycle(now);
        return Ok(stage.render_pages(&slots, now, &opts.out, named)?);
    }
    let path = opts
        .out
        .join(format!("frame-{}.png", now.format("%Y%m%dT%H%M%S%.3f%z")));
    stage.save_frame(now, &path)?;
    tracing::debug!(elapsed = ?started.elapsed(), rss_mib = rss_mib(), "frame drawn, read back and written");
    Ok(vec![path])
}

/// A wall tile's settings turned into the whole canvas's: the viewport is
/// the canvas, drawn upright, unshifted.
fn whole_canvas(settings: &mut config::Settings) -> anyhow::Result<()> {
    let Some(wall) = settings.wall.as_mut() else {
        bail!("--canvas needs a config with a [wall] section")
    };
    let (w, h) = wall.canvas;
    wall.viewport = config::OutputRegion {
        x: 0,
        y: 0,
        width: w,
        height: h,
    };
    let panel = crate::panel::PanelSize::parse(&format!("{w}x{h}")).map_err(anyhow::Error::msg)?;
    settings.screen.size = ScreenSize::Fixed(panel);
    settings.screen.rotation = config::Rotation::None;
    settings.screen.pixel_shift = 0;
    Ok(())
}
