//! A marquee's moving line rasterised once: the line is drawn into a strip
//! texture (in tiles where it is longer than the largest texture) over the
//! band's own background, and every frame copies the visible part of the
//! strip onto the page at the frame's offset. A marquee frame then costs two
//! texture copies, not a text redraw, and the strip is rebuilt only when its
//! text changes.

use super::{Gpu, OffscreenTarget, RenderError, Renderer};
use crate::scene::{Rect, Rgba, Scene, TextRun};
use crate::text::Fonts;

/// The widest tile, whatever the device allows: keeps each tile's memory
/// (and glyphon's viewport) moderate.
const MAX_TILE_WIDTH: u32 = 8192;

/// One tile of the strip and where it starts in the strip.
struct Tile {
    target: OffscreenTarget,
    start: u32,
}

/// Where the moving line sits on the page, in whole pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripPlacement {
    /// The body's columns the line is visible in: `x` and width.
    pub clip_x: u32,
    pub clip_w: u32,
    /// The band's rows: the line box with room for the ink.
    pub band_y: u32,
    pub band_h: u32,
    /// The screen x of the strip's first pixel at scroll offset 0.
    pub origin_at_zero: i64,
}

/// The strip of one moving line.
pub struct MarqueeStrip {
    /// The marquee picture this strip belongs to (its key without the offset).
    pub family: u64,
    placement: StripPlacement,
    tiles: Vec<Tile>,
}

impl MarqueeStrip {
    /// Rasterises `run` (the moving line of `scene`, drawn `scroll_px` into
    /// its travel) over `background` into tiles of at most `max_width`.
    pub fn build(
        gpu: &Gpu,
        renderer: &mut Renderer,
        fonts: &mut Fonts,
        (family, scroll_px): (u64, i64),
        (run, band): (&TextRun, Rect),
        background: Rgba,
        format: wgpu::TextureFormat,
    ) -> Result<MarqueeStrip, RenderError> {
        let width = fonts.line_width(&run.text, run.size, run.weight).ceil().max(1.0) as u32;
        let placement = StripPlacement {
            clip_x: run.clip.x.max(0.0) as u32,
            clip_w: run.clip.w.max(0.0) as u32,
            band_y: band.y.max(0.0) as u32,
            band_h: band.h.max(1.0) as u32,
            origin_at_zero: (run.clip.x + run.shift_x) as i64 + scroll_px,
        };
        let limit = gpu.device.limits().max_texture_dimension_2d.min(MAX_TILE_WIDTH);
        let mut tiles = Vec::new();
        let mut start = 0;
        while start < width {
            let w = (width - start).min(limit);
            let target = OffscreenTarget::with_format(gpu, w, placement.band_h, format);
            let scene = tile_scene(run, &placement, (start, w), background);
            renderer.draw(gpu, fonts, &scene, &target.view)?;
            tiles.push(Tile { target, start });
            start += w;
        }
        Ok(MarqueeStrip {
            family,
            placement,
            tiles,
        })
    }

    /// Records the copies that put the strip at `scroll_px` onto `texture`
    /// (which already holds the page without the line).
    pub fn copy_onto(&self, encoder: &mut wgpu::CommandEncoder, texture: &wgpu::Texture, scroll_px: i64) {
        let p = &self.placement;
        let size = texture.size();
        let left = i64::from(p.clip_x);
        let right = (left + i64::from(p.clip_w)).min(i64::from(size.width));
        let origin = p.origin_at_zero - scroll_px;
        for tile in &self.tiles {
            // The tile's screen columns, cut to the body.
            let from = (origin + i64::from(tile.start)).max(left);
            let to = (origin + i64::from(tile.start) + i64::from(tile.target.width)).min(right);
            if to <= from || p.band_y + p.band_h > size.height {
                continue;
            }
            let src_x = (from - origin - i64::from(tile.start)) as u32;
            encoder.copy_texture_to_texture(
                wgpu::TexelCopyTextureInfo {
                    origin: wgpu::Origin3d { x: src_x, y: 0, z: 0 },
                    ..tile.target.texture.as_image_copy()
                },
                wgpu::TexelCopyTextureInfo {
                    origin: wgpu::Origin3d {
                        x: from as u32,
                        y: p.band_y,
                        z: 0,
                    },
                    ..texture.as_image_copy()
                },
                wgpu::Extent3d {
                    width: (to - from) as u32,
                    height: p.band_h,
                    depth_or_array_layers: 1,
                },
            );
        }
    }
}

/// The scene of one tile: the band's background and the part of the line
/// from `start`, at the same sub-pixel positions as on the page.
fn tile_scene(run: &TextRun, p: &StripPlacement, (start, width): (u32, u32), background: Rgba) -> Scene {
    let mut scene = Scene::new(width, p.band_h, background);
    scene.texts.push(TextRun {
        clip: Rect::new(0.0, 0.0, width as f32, p.band_h as f32),
        origin_y: run.origin_y - p.band_y as f32,
        shift_x: -(start as f32),
        ..run.clone()
    });
    scene
}
