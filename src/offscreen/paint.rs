//! Drawing a [`View`]: its still pictures into layers (only those not
//! already there), then one composition into the target.

use crate::play::{Blend, Player, Still, View};
use crate::render::{Composition, FrameRenderer, FrameTarget, Gpu, OffscreenTarget, RenderError, RAW_FORMAT};
use crate::scene::{Rect, Scene};
use chrono::{DateTime, FixedOffset};
use image::RgbaImage;

/// Draws `view` into `target` (a view, and the texture when copies into it
/// are allowed) with `frames`.
pub fn paint(
    frames: &mut FrameRenderer,
    gpu: &Gpu,
    player: &mut Player,
    view: &View,
    now: DateTime<FixedOffset>,
    target: FrameTarget<'_>,
) -> Result<(), RenderError> {
    if target.takes_copies() && paint_marquee(frames, gpu, player, view, now, target)? {
        return Ok(());
    }
    if let Some(scene) = player.slid_scene(view, now) {
        // A slide across a wall: one scene a frame, drawn and shown as it is.
        let key = slide_key(view);
        frames.fill(gpu, player.fonts_mut(), key, None, &scene)?;
        let how = Composition {
            blend: crate::render::Blend::Cut,
            progress: 1.0,
            ..composition(view)
        };
        frames.compose(gpu, key, None, &how, target);
        return Ok(());
    }
    let to = view.still.key();
    let from = view.previous.as_ref().map(|p| p.key());
    if let (Some(previous), Some(key)) = (&view.previous, from) {
        if !frames.holds(key) {
            let scene = player.scene(previous, now);
            frames.fill(gpu, player.fonts_mut(), key, Some(to), &scene)?;
        }
    }
    if !frames.holds(to) {
        let scene = player.scene(&view.still, now);
        let family = marquee_family(&view.still);
        let band = family.and(moving_band(&scene));
        let moved = match (family, band) {
            (Some(f), Some(b)) => frames.refill_band(gpu, player.fonts_mut(), (f, to), &scene, b)?,
            _ => false,
        };
        if !moved {
            frames.fill(gpu, player.fonts_mut(), to, from, &scene)?;
        }
        if let Some(f) = family {
            frames.tag_family(to, f);
        }
    }
    frames.compose(gpu, to, from, &composition(view), target);
    Ok(())
}

/// A marquee frame with nothing else moving, as two copies: the page from
/// its layer and the moving line from its strip (both made on the first
/// such frame). False when the frame is not one (a transition, a shift or a
/// rotation runs, or the texture takes no copies): it is then drawn in full.
fn paint_marquee(
    frames: &mut FrameRenderer,
    gpu: &Gpu,
    player: &mut Player,
    view: &View,
    now: DateTime<FixedOffset>,
    target: FrameTarget<'_>,
) -> Result<bool, RenderError> {
    let (Some(family), Still::Page { scroll_px, .. }) = (marquee_family(&view.still), &view.still) else {
        return Ok(false);
    };
    if !plain_still(view) || !frames.takes_copies(target) {
        return Ok(false);
    }
    if !frames.holds_marquee(family) {
        let scene = player.scene(&view.still, now);
        let Some(band) = moving_band(&scene) else {
            return Ok(false);
        };
        if !frames.fill_marquee(gpu, player.fonts_mut(), (family, *scroll_px), &scene, band)? {
            return Ok(false);
        }
    }
    frames.compose_marquee(gpu, player.fonts_mut(), (family, *scroll_px), target)
}

/// The key of one frame of a slide across a wall: its two pages and how far it has gone.
fn slide_key(view: &View) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        "wall slide",
        view.still.key(),
        view.previous.as_ref().map(Still::key),
    )
        .hash(&mut hasher);
    view.progress.to_bits().hash(&mut hasher);
    hasher.finish()
}

/// For a marquee frame, the key of its picture without the scroll offset:
/// frames of one family differ only in the moving line.
pub fn marquee_family(still: &Still) -> Option<u64> {
    match still {
        Still::Page { scroll_px, .. } if *scroll_px > 0 => {
            let mut base = still.clone();
            if let Still::Page { scroll_px, .. } = &mut base {
                *scroll_px = 0;
            }
            Some(base.key())
        }
        _ => None,
    }
}

/// The strip of the screen a marquee's moving line covers (its line box with
/// a margin for the ink, inside its clip). Public so the compositor's test
/// checks the very band `paint` redraws.
pub fn moving_band(scene: &Scene) -> Option<Rect> {
    let run = scene.texts.iter().find(|t| t.shift_x != 0.0)?;
    let pad = (run.size * 0.2).ceil();
    let top = (run.origin_y - pad).max(run.clip.y);
    let bottom = (run.origin_y + run.line_height + pad).min(run.clip.bottom());
    (bottom > top).then(|| Rect::new(run.clip.x, top, run.clip.w, bottom - top).snapped())
}

/// The compositor's settings for a view.
pub fn composition(view: &View) -> Composition {
    Composition {
        blend: match view.blend {
            Blend::Cut => crate::render::Blend::Cut,
            Blend::Fade => crate::render::Blend::Fade,
            Blend::Slide => crate::render::Blend::Slide,
        },
        progress: view.progress,
        shift: view.shift,
        rotation: view.rotation,
        level: view.level,
    }
}

/// Whether `view` is one still picture as it is: no transition, burn-in
/// shift, rotation or dimming, so its scene is the frame.
pub(super) fn plain_still(view: &View) -> bool {
    view.previous.is_none() && view.shift == (0, 0) && view.rotation == 0 && view.level == 1.0
}

/// An offscreen screen: what `run --headless` draws into and what
/// `render --config` reads back, through the same [`paint`] as a window.
pub struct OffscreenScreen {
    /// The headless device it draws with; its adapter goes into the status.
    pub gpu: Gpu,
    pub(super) frames: FrameRenderer,
    target: OffscreenTarget,
    /// A target of one band's rows, for stills written band by band
    /// (`banded.rs`); made on first use.
    pub(super) band: Option<OffscreenTarget>,
}

impl OffscreenScreen {
    /// A screen of `physical` pixels (width, height) on a headless device.
    pub fn new(physical: (u32, u32)) -> Result<Self, crate::render::GpuError> {
        let started = std::time::Instant::now();
        let gpu = Gpu::offscreen()?;
        let device_ready = started.elapsed();
        let frames = FrameRenderer::new(&gpu, RAW_FORMAT);
        let target = OffscreenTarget::new(&gpu, physical.0, physical.1);
        tracing::debug!(?device_ready, pipelines = ?(started.elapsed() - device_ready), "offscreen screen ready");
        Ok(OffscreenScreen {
            gpu,
            frames,
            target,
            band: None,
        })
    }

    /// Draws `view`, then polls the device so freed resources go.
    pub fn draw(
        &mut self,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
    ) -> Result<(), RenderError> {
        self.fit(player.physical());
        let target = self.target.frame_target();
        paint(&mut self.frames, &self.gpu, player, view, now, target)?;
        self.gpu.poll_freed();
        Ok(())
    }

    /// Draws `view` once, as [`draw`](Self::draw) does, but a still
    /// picture (no transition, shift or rotation) goes straight into the
    /// target: a one-shot picture needs no layer to compose from, and keeps
    /// none (a cold `render --config` held four full frames where it now
    /// holds the target and one band).
    pub fn draw_once(
        &mut self,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
    ) -> Result<(), RenderError> {
        if !plain_still(view) {
            return self.draw(player, view, now);
        }
        self.fit(player.physical());
        let scene = player.scene(&view.still, now);
        self.frames
            .draw_into(&self.gpu, player.fonts_mut(), &scene, &self.target)?;
        self.gpu.poll_freed();
        Ok(())
    }

    /// A new target when the player's size changed.
    fn fit(&mut self, physical: (u32, u32)) {
        if (self.target.width, self.target.height) != physical {
            self.target = OffscreenTarget::new(&self.gpu, physical.0, physical.1);
        }
    }

    /// The pixels last drawn.
    pub fn read(&self) -> Result<RgbaImage, crate::render::ReadbackError> {
        self.target.read(&self.gpu)
    }

    /// Writes the pixels last drawn to `path` as a PNG, encoding each band
    /// of rows as it is read back: the frame is never whole on the CPU.
    pub fn write_png(
        &self,
        path: &std::path::Path,
        effort: crate::png::Effort,
    ) -> Result<(), super::OffscreenError> {
        let saving = |source| super::OffscreenError::encoding(path, source);
        let mut png = crate::png::RowsPng::create(path, self.target.width, self.target.height, effort)
            .map_err(saving)?;
        self.target
            .read_bands(&self.gpu, |rows| png.write_rows(rows).map_err(saving))?;
        png.finish().map_err(saving)
    }
}
