//! Frames from layers: each still picture (a page, the idle slide) is drawn
//! once into a layer texture with [`Renderer::draw`], then every frame is one
//! composition of the layers into the target. A transition or a burn-in step
//! therefore costs one full-screen pass, not a new layout; a static slide
//! costs nothing because nothing is drawn.

use super::compose::{Composition, Compositor};
use super::{Gpu, OffscreenTarget, RenderError, Renderer, OFFSCREEN_FORMAT};
use crate::scene::Scene;
use crate::text::Fonts;

struct Layer {
    key: Option<u64>,
    target: OffscreenTarget,
    /// When the layer was last filled (a counter).
    filled: u64,
}

/// Page layers and the compositor for one target format.
pub struct FrameRenderer {
    renderer: Renderer,
    compositor: Compositor,
    layers: Vec<Layer>,
    fills: u64,
}

impl FrameRenderer {
    /// Layers and a compositor writing to views of `target_format` (a non-sRGB
    /// format takes the composed sRGB bytes as they are; an sRGB one costs a
    /// conversion per pixel).
    pub fn new(gpu: &Gpu, target_format: wgpu::TextureFormat) -> Self {
        FrameRenderer {
            renderer: Renderer::new(gpu, OFFSCREEN_FORMAT),
            compositor: Compositor::new(&gpu.device, target_format),
            layers: Vec::new(),
            fills: 0,
        }
    }

    /// Whether a layer holds the picture with this key.
    pub fn holds(&self, key: u64) -> bool {
        self.layers.iter().any(|l| l.key == Some(key))
    }

    /// Draws `scene` into a layer under `key`, reusing a layer that does not
    /// hold `keep` (the other picture of a transition).
    pub fn fill(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        key: u64,
        keep: Option<u64>,
        scene: &Scene,
    ) -> Result<(), RenderError> {
        let index = if self.layers.len() < 2 {
            self.layers.push(Layer {
                key: None,
                target: OffscreenTarget::new(gpu, scene.width, scene.height),
                filled: 0,
            });
            self.layers.len() - 1
        } else {
            // The older layer, unless it holds the picture to keep.
            let (a, b) = (&self.layers[0], &self.layers[1]);
            let older = usize::from(b.filled < a.filled);
            if keep.is_some() && self.layers[older].key == keep {
                1 - older
            } else {
                older
            }
        };
        let layer = &mut self.layers[index];
        if (layer.target.width, layer.target.height) != (scene.width, scene.height) {
            layer.target = OffscreenTarget::new(gpu, scene.width, scene.height);
        }
        layer.key = None;
        self.renderer.draw(gpu, fonts, scene, &layer.target.view)?;
        layer.key = Some(key);
        self.fills += 1;
        layer.filled = self.fills;
        Ok(())
    }

    /// Forgets every layer (after a resize or a new device).
    pub fn clear(&mut self) {
        self.layers.clear();
    }

    fn layer(&self, key: u64) -> Option<&OffscreenTarget> {
        self.layers.iter().find(|l| l.key == Some(key)).map(|l| &l.target)
    }

    /// Composes the layer `to` (blended with `from` when given) into
    /// `target` and submits. Returns false when `to` is not in a layer.
    pub fn compose(
        &self,
        gpu: &Gpu,
        to: u64,
        from: Option<u64>,
        how: &Composition,
        target: &wgpu::TextureView,
    ) -> bool {
        let Some(to_layer) = self.layer(to) else {
            return false;
        };
        let from_layer = from
            .and_then(|k| self.layer(k))
            .filter(|f| (f.width, f.height) == (to_layer.width, to_layer.height));
        let how = match from_layer {
            Some(_) => *how,
            None => Composition { blend: 0, ..*how },
        };
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("rankwall compose"),
            });
        self.compositor.compose(
            gpu,
            &mut encoder,
            (&from_layer.unwrap_or(to_layer).raw_view, &to_layer.raw_view),
            (to_layer.width, to_layer.height),
            &how,
            target,
        );
        gpu.queue.submit(Some(encoder.finish()));
        true
    }
}
