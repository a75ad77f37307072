//! The wgpu renderer: rounded quads, chart strokes and glyphon text, drawn
//! from a [`Scene`].
//!
//! Three entry points as in glyphon: [`Renderer::prepare`] uploads a scene,
//! [`Renderer::render`] records it into a render pass, [`Renderer::trim`]
//! lets the glyph atlas evict what the last frame did not use. [`Renderer::draw`]
//! does all three into any texture view, and is what both the window and the
//! PNG path call, so a PNG shows exactly what a screen shows.

#![deny(missing_docs)]

mod compose;
mod cpu_compose;
mod frame;
mod gpu;
mod instanced;
mod line;
mod marquee;
mod quad;
mod readback;
mod scene_image;
mod text;

pub use compose::{Blend, Composition};
pub use cpu_compose::{compose_cpu, Pixels};
pub use frame::{FrameRenderer, FrameTarget};
pub use gpu::{Gpu, GpuError};
pub use readback::{OffscreenTarget, ReadbackError, OFFSCREEN_FORMAT, RAW_FORMAT};
pub use scene_image::{ImageRenderer, ImageRendererError};

use crate::scene::{Rect, Rgba, Scene};
use crate::text::Fonts;
use thiserror::Error;

/// Why a scene could not be drawn.
#[derive(Debug, Error)]
pub enum RenderError {
    /// glyphon could not shape, rasterise or upload the text (atlas full).
    #[error("text preparation failed: {0}")]
    Text(#[from] glyphon::PrepareError),
    /// glyphon could not record the prepared text into the pass.
    #[error("text rendering failed: {0}")]
    TextRender(#[from] glyphon::RenderError),
}

/// Draws scenes to textures of one format.
pub struct Renderer {
    quads: quad::QuadPipeline,
    lines: line::LinePipeline,
    text: text::TextLayer,
    srgb: bool,
    background: wgpu::Color,
}

impl Renderer {
    /// The quad and text pipelines for views of `format`.
    pub fn new(gpu: &Gpu, format: wgpu::TextureFormat) -> Self {
        Renderer {
            quads: quad::QuadPipeline::new(&gpu.device, format),
            lines: line::LinePipeline::new(&gpu.device, format),
            text: text::TextLayer::new(&gpu.device, &gpu.queue, format),
            srgb: format.is_srgb(),
            background: wgpu::Color::BLACK,
        }
    }

    /// Uploads the scene's quads and shapes and rasterises its text.
    pub fn prepare(&mut self, gpu: &Gpu, fonts: &mut Fonts, scene: &Scene) -> Result<(), RenderError> {
        self.background = clear_color(scene.background, self.srgb);
        self.quads.prepare(&gpu.device, &gpu.queue, scene, self.srgb);
        self.lines.prepare(&gpu.device, &gpu.queue, scene, self.srgb);
        self.text.prepare(&gpu.device, &gpu.queue, fonts, scene)?;
        Ok(())
    }

    /// Records the prepared scene into `pass`: quads first, then strokes,
    /// text on top.
    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) -> Result<(), RenderError> {
        self.quads.render(pass);
        self.lines.render(pass);
        self.text.render(pass)?;
        Ok(())
    }

    /// Lets the glyph atlas drop glyphs the last frame did not use.
    pub fn trim(&mut self) {
        self.text.trim();
    }

    /// Prepares, renders into `view` (cleared to the scene's background),
    /// submits and trims.
    pub fn draw(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        scene: &Scene,
        view: &wgpu::TextureView,
    ) -> Result<(), RenderError> {
        self.draw_in(gpu, fonts, scene, view, None)
    }

    /// Like [`Renderer::draw`], but only inside `band` (whole pixels): the
    /// rest of `view` keeps what it held. The band is first filled with the
    /// scene's background. A marquee frame redraws just its moving line.
    pub fn draw_band(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        scene: &Scene,
        view: &wgpu::TextureView,
        band: Rect,
    ) -> Result<(), RenderError> {
        let mut banded = Scene::new(scene.width, scene.height, scene.background);
        banded.fill(band, scene.background, 0.0);
        banded.quads.extend(scene.quads.iter().cloned());
        banded.lines = scene.lines.clone();
        banded.texts = scene.texts.clone();
        self.draw_in(gpu, fonts, &banded, view, Some(band))
    }

    fn draw_in(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        scene: &Scene,
        view: &wgpu::TextureView,
        band: Option<Rect>,
    ) -> Result<(), RenderError> {
        self.prepare(gpu, fonts, scene)?;
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("rankwall frame"),
            });
        {
            let load = match band {
                Some(_) => wgpu::LoadOp::Load,
                None => wgpu::LoadOp::Clear(self.background),
            };
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("rankwall scene"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load,
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            if let Some(b) = band {
                let (x, y) = (b.x.max(0.0) as u32, b.y.max(0.0) as u32);
                let w = (b.w as u32).min(scene.width.saturating_sub(x));
                let h = (b.h as u32).min(scene.height.saturating_sub(y));
                pass.set_scissor_rect(x, y, w, h);
            }
            self.render(&mut pass)?;
        }
        gpu.queue.submit(Some(encoder.finish()));
        self.trim();
        Ok(())
    }
}

/// Converts an sRGB byte channel to the value a render target expects.
pub(crate) fn channel(c: u8, srgb_target: bool) -> f64 {
    let v = f64::from(c) / 255.0;
    if !srgb_target {
        v
    } else if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn clear_color(c: Rgba, srgb: bool) -> wgpu::Color {
    wgpu::Color {
        r: channel(c.0, srgb),
        g: channel(c.1, srgb),
        b: channel(c.2, srgb),
        a: f64::from(c.3) / 255.0,
    }
}
