//! Drawing a [`View`]: its still pictures into layers (only those not
//! already there), then one composition into the target.

use crate::play::{Blend, Player, View};
use crate::render::{Composition, FrameRenderer, Gpu, OffscreenTarget, RenderError, RAW_FORMAT};
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
    target: (&wgpu::TextureView, Option<&wgpu::Texture>),
) -> Result<(), RenderError> {
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
        frames.fill(gpu, player.fonts_mut(), to, from, &scene)?;
    }
    frames.compose(gpu, to, from, &composition(view), target);
    Ok(())
}

/// The compositor's settings for a view.
pub fn composition(view: &View) -> Composition {
    Composition {
        blend: match view.blend {
            Blend::Cut => 0,
            Blend::Fade => 1,
            Blend::Slide => 2,
        },
        progress: view.progress,
        shift: view.shift,
        rotation: view.rotation,
    }
}

/// An offscreen screen: what `run --headless` draws into and what
/// `render --config` reads back, through the same [`paint`] as a window.
pub struct OffscreenScreen {
    pub gpu: Gpu,
    frames: FrameRenderer,
    target: OffscreenTarget,
}

impl OffscreenScreen {
    pub fn new(physical: (u32, u32)) -> Result<Self, crate::render::GpuError> {
        let gpu = Gpu::headless()?;
        let frames = FrameRenderer::new(&gpu, RAW_FORMAT);
        let target = OffscreenTarget::new(&gpu, physical.0, physical.1);
        Ok(OffscreenScreen { gpu, frames, target })
    }

    /// Draws `view`, then polls the device so freed resources go.
    pub fn draw(
        &mut self,
        player: &mut Player,
        view: &View,
        now: DateTime<FixedOffset>,
    ) -> Result<(), RenderError> {
        let physical = player.physical();
        if (self.target.width, self.target.height) != physical {
            self.target = OffscreenTarget::new(&self.gpu, physical.0, physical.1);
        }
        let target = (&self.target.raw_view, Some(&self.target.texture));
        paint(&mut self.frames, &self.gpu, player, view, now, target)?;
        let _ = self.gpu.device.poll(wgpu::PollType::Poll);
        Ok(())
    }

    /// The pixels last drawn.
    pub fn read(&self) -> Result<RgbaImage, crate::render::ReadbackError> {
        self.target.read(&self.gpu)
    }
}
