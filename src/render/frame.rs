//! Frames from layers: each still picture (a page, the idle slide) is drawn
//! once into a layer texture with [`Renderer::draw`], then every frame is one
//! composition of the layers into the target. A transition or a burn-in step
//! therefore costs one full-screen pass, not a new layout; a static slide
//! costs nothing because nothing is drawn.

use super::compose::{Blend, Composition, Compositor};
use super::marquee::MarqueeStrip;
use super::{Gpu, OffscreenTarget, RenderError, Renderer};
use crate::scene::{Rect, Rgba, Scene};
use crate::text::Fonts;

struct Layer {
    key: Option<u64>,
    /// For a marquee: the picture's key without its scroll offset.
    family: Option<u64>,
    target: OffscreenTarget,
    /// When the layer was last filled (a counter).
    filled: u64,
}

/// Where a frame goes: a view to draw into, and the texture behind it when
/// copies into it are allowed (a plain frame or a marquee is then a copy).
/// The window makes one from its surface, an offscreen target from itself.
#[derive(Clone, Copy)]
pub struct FrameTarget<'a> {
    view: &'a wgpu::TextureView,
    texture: Option<&'a wgpu::Texture>,
}

impl<'a> FrameTarget<'a> {
    /// `view`, and `texture` when frames may be copied into it.
    pub fn new(view: &'a wgpu::TextureView, texture: Option<&'a wgpu::Texture>) -> Self {
        FrameTarget { view, texture }
    }

    /// Whether the target has a texture to copy into.
    pub fn takes_copies(&self) -> bool {
        self.texture.is_some()
    }
}

/// Page layers and the compositor for one target format.
pub struct FrameRenderer {
    renderer: Renderer,
    compositor: Compositor,
    /// The layers' format: the sRGB form of the target's, so a plain frame
    /// can be a texture copy.
    layer_format: wgpu::TextureFormat,
    layers: Vec<Layer>,
    fills: u64,
    /// The moving line of the marquee on show, rasterised once.
    marquee: Option<MarqueeStrip>,
}

impl FrameRenderer {
    /// Layers and a compositor writing to views of `target_format` (a non-sRGB
    /// format takes the composed sRGB bytes as they are; an sRGB one costs a
    /// conversion per pixel).
    pub fn new(gpu: &Gpu, target_format: wgpu::TextureFormat) -> Self {
        let layer_format = target_format.add_srgb_suffix();
        FrameRenderer {
            renderer: Renderer::new(gpu, layer_format),
            compositor: Compositor::new(&gpu.device, target_format),
            layer_format,
            layers: Vec::new(),
            fills: 0,
            marquee: None,
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
                family: None,
                target: OffscreenTarget::with_format(gpu, scene.width, scene.height, self.layer_format),
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
            layer.target = OffscreenTarget::with_format(gpu, scene.width, scene.height, self.layer_format);
        }
        layer.key = None;
        layer.family = None;
        self.renderer.draw(gpu, fonts, scene, &layer.target.view)?;
        layer.key = Some(key);
        self.fills += 1;
        layer.filled = self.fills;
        Ok(())
    }

    /// Draws `scene` straight into `target`, with no layer: a one-shot frame
    /// of one still picture (a render, a preview) needs no second
    /// full-frame texture to compose from.
    pub fn draw_into(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        scene: &Scene,
        target: &OffscreenTarget,
    ) -> Result<(), RenderError> {
        self.renderer.draw(gpu, fonts, scene, &target.view)
    }

    /// Marks the layer holding `key` as a frame of the marquee `family`.
    pub fn tag_family(&mut self, key: u64, family: u64) {
        if let Some(layer) = self.layers.iter_mut().find(|l| l.key == Some(key)) {
            layer.family = Some(family);
        }
    }

    /// Turns the layer holding another frame of the marquee `family` into
    /// `key` by redrawing only `band` of `scene` (the moving line); false
    /// when no layer holds one.
    pub fn refill_band(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        (family, key): (u64, u64),
        scene: &Scene,
        band: crate::scene::Rect,
    ) -> Result<bool, RenderError> {
        let Some(layer) = self.layers.iter_mut().find(|l| l.family == Some(family)) else {
            return Ok(false);
        };
        if (layer.target.width, layer.target.height) != (scene.width, scene.height) {
            return Ok(false);
        }
        layer.key = None;
        self.renderer
            .draw_band(gpu, fonts, scene, &layer.target.view, band)?;
        layer.key = Some(key);
        self.fills += 1;
        layer.filled = self.fills;
        Ok(true)
    }

    /// Forgets every layer (after a resize or a new device).
    pub fn clear(&mut self) {
        self.layers.clear();
        self.marquee = None;
    }

    /// The rows the moving line of the marquee `family` covers (top and
    /// count), when its strip is made: the only rows one frame of it
    /// changes from the last.
    pub fn marquee_rows(&self, family: u64) -> Option<(u32, u32)> {
        let strip = self.marquee.as_ref().filter(|m| m.family == family)?;
        Some(strip.rows())
    }

    /// Whether the marquee `family` is ready to be composed at any offset:
    /// the page without its moving line in a layer, and the line's strip.
    pub fn holds_marquee(&self, family: u64) -> bool {
        self.marquee.as_ref().is_some_and(|m| m.family == family) && self.holds(family)
    }

    /// Prepares the marquee `family` from `scene`, a frame `scroll_px` into
    /// its travel whose moving line lies in `band`: the page without the line
    /// into a layer under `family`, and the line into its strip. False when
    /// the scene has no moving line.
    pub fn fill_marquee(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        (family, scroll_px): (u64, i64),
        scene: &Scene,
        band: Rect,
    ) -> Result<bool, RenderError> {
        let Some(index) = scene.texts.iter().position(|t| t.shift_x != 0.0) else {
            return Ok(false);
        };
        self.marquee = None;
        if !self.holds(family) {
            let mut base = scene.clone();
            base.texts.remove(index);
            self.fill(gpu, fonts, family, None, &base)?;
        }
        let run = &scene.texts[index];
        let strip = MarqueeStrip::new(
            gpu,
            fonts,
            (family, scroll_px),
            (run, band),
            background_under(scene, band),
            self.layer_format,
        );
        self.marquee = Some(strip);
        Ok(true)
    }

    /// A marquee frame into `texture`: the page copied from its layer, then
    /// the strip at `scroll_px` (drawing the tiles that come into view). False when the marquee is not ready or the
    /// texture takes no copies (the caller then draws the frame in full).
    pub fn compose_marquee(
        &mut self,
        gpu: &Gpu,
        fonts: &mut Fonts,
        (family, scroll_px): (u64, i64),
        target: FrameTarget<'_>,
    ) -> Result<bool, RenderError> {
        let Some(texture) = target.texture else {
            return Ok(false);
        };
        if let Some(strip) = self.marquee.as_mut().filter(|m| m.family == family) {
            strip.prepare(gpu, &mut self.renderer, fonts, scroll_px)?;
        }
        let (Some(strip), Some(base)) = (&self.marquee, self.layer(family)) else {
            return Ok(false);
        };
        if strip.family != family || !self.copies_whole(base, texture) {
            return Ok(false);
        }
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("rankwall marquee"),
            });
        encoder.copy_texture_to_texture(
            base.texture.as_image_copy(),
            texture.as_image_copy(),
            texture.size(),
        );
        strip.copy_onto(&mut encoder, texture, scroll_px);
        gpu.queue.submit(Some(encoder.finish()));
        Ok(true)
    }

    fn layer(&self, key: u64) -> Option<&OffscreenTarget> {
        self.layers.iter().find(|l| l.key == Some(key)).map(|l| &l.target)
    }

    /// Composes the layer `to` (blended with `from` when given) into
    /// `target` and submits. A plain frame (no blend, shift or rotation) into
    /// a `texture` that takes copies is a texture copy instead of a pass.
    /// Returns false when `to` is not in a layer.
    pub fn compose(
        &self,
        gpu: &Gpu,
        to: u64,
        from: Option<u64>,
        how: &Composition,
        target: FrameTarget<'_>,
    ) -> bool {
        let Some(to_layer) = self.layer(to) else {
            return false;
        };
        let from_layer = from
            .and_then(|k| self.layer(k))
            .filter(|f| (f.width, f.height) == (to_layer.width, to_layer.height));
        let how = match from_layer {
            Some(_) => *how,
            None => Composition {
                blend: Blend::Cut,
                ..*how
            },
        };
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("rankwall compose"),
            });
        match target.texture.filter(|t| self.can_copy(to_layer, t, &how)) {
            Some(texture) => encoder.copy_texture_to_texture(
                to_layer.texture.as_image_copy(),
                texture.as_image_copy(),
                texture.size(),
            ),
            None => self.compositor.compose(
                gpu,
                &mut encoder,
                (&from_layer.unwrap_or(to_layer).raw_view, &to_layer.raw_view),
                (to_layer.width, to_layer.height),
                &how,
                target.view,
            ),
        }
        gpu.queue.submit(Some(encoder.finish()));
        true
    }

    /// Whether frames can be copied into `texture` (its format and usage
    /// allow it): where not, every frame is a composition pass.
    pub fn takes_copies(&self, target: FrameTarget<'_>) -> bool {
        target.texture.is_some_and(|t| self.copies_into(t))
    }

    fn copies_into(&self, texture: &wgpu::Texture) -> bool {
        texture.format().add_srgb_suffix() == self.layer_format
            && texture.usage().contains(wgpu::TextureUsages::COPY_DST)
    }

    /// Whether `layer` can simply be copied into `texture` for `how`.
    fn can_copy(&self, layer: &OffscreenTarget, texture: &wgpu::Texture, how: &Composition) -> bool {
        let plain = how.blend == Blend::Cut && how.shift == (0, 0) && how.rotation == 0 && how.level == 1.0;
        plain && self.copies_whole(layer, texture)
    }

    /// Whether `layer` fills `texture` and the texture takes its bytes as they are.
    fn copies_whole(&self, layer: &OffscreenTarget, texture: &wgpu::Texture) -> bool {
        let size = texture.size();
        (size.width, size.height) == (layer.width, layer.height) && self.copies_into(texture)
    }
}

/// The colour painted last under the centre of `band`: the background the
/// moving line is drawn over.
fn background_under(scene: &Scene, band: Rect) -> Rgba {
    let (cx, cy) = (band.x + band.w / 2.0, band.y + band.h / 2.0);
    scene
        .quads
        .iter()
        .rev()
        .find(|q| cx >= q.rect.x && cx < q.rect.right() && cy >= q.rect.y && cy < q.rect.bottom())
        .map_or(scene.background, |q| q.color)
}
