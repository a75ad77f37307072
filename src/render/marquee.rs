//! A marquee's moving line rasterised once per pass: the line is drawn into
//! strip tiles over the band's own background as it comes into view, and
//! every frame copies the visible part of the tiles onto the page at the
//! frame's offset. A marquee frame then costs two texture copies, not a text
//! redraw. Only the tiles in view and the next one are kept: a whole list's
//! line (98,000 px at 1080p for the demo's red list) would hold 60 MB.

use super::{Gpu, OffscreenTarget, RenderError, Renderer};
use crate::scene::{Rect, Rgba, Scene, TextRun};
use crate::text::Fonts;

/// The widest tile, whatever the device allows: one tile is drawn in a few
/// milliseconds, and a 1080p line's tile holds 2.4 MB.
const MAX_TILE_WIDTH: u32 = 4096;

/// One tile of the strip: columns `index × tile width` onwards.
struct Tile {
    target: OffscreenTarget,
    index: u32,
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
    run: TextRun,
    background: Rgba,
    format: wgpu::TextureFormat,
    /// The line's advance in pixels, and the width of every tile but the last.
    width: u32,
    tile_width: u32,
    tiles: Vec<Tile>,
}

impl MarqueeStrip {
    /// The strip of `run`, the moving line of a frame `scroll_px` into its
    /// travel, over `background`; no tile is drawn yet.
    pub fn new(
        gpu: &Gpu,
        fonts: &mut Fonts,
        (family, scroll_px): (u64, i64),
        (run, band): (&TextRun, Rect),
        background: Rgba,
        format: wgpu::TextureFormat,
    ) -> MarqueeStrip {
        let width = fonts.line_width(&run.text, run.size, run.weight).ceil().max(1.0) as u32;
        let placement = StripPlacement {
            clip_x: run.clip.x.max(0.0) as u32,
            clip_w: run.clip.w.max(0.0) as u32,
            band_y: band.y.max(0.0) as u32,
            band_h: band.h.max(1.0) as u32,
            origin_at_zero: (run.clip.x + run.shift_x) as i64 + scroll_px,
        };
        let tile_width = gpu
            .device
            .limits()
            .max_texture_dimension_2d
            .clamp(1, MAX_TILE_WIDTH);
        MarqueeStrip {
            family,
            placement,
            run: run.clone(),
            background,
            format,
            width,
            tile_width,
            tiles: Vec::new(),
        }
    }

    /// The rows of the page the strip covers: top and count.
    pub fn rows(&self) -> (u32, u32) {
        (self.placement.band_y, self.placement.band_h)
    }

    /// The tiles whose columns show at `scroll_px`, and the next one.
    fn wanted(&self, scroll_px: i64) -> std::ops::Range<u32> {
        let p = &self.placement;
        let origin = p.origin_at_zero - scroll_px;
        let first = (i64::from(p.clip_x) - origin).max(0);
        let last = (i64::from(p.clip_x) + i64::from(p.clip_w) - origin).min(i64::from(self.width));
        if last <= first {
            return 0..0;
        }
        let tile = i64::from(self.tile_width);
        let count = i64::from(self.width.div_ceil(self.tile_width));
        (first / tile) as u32..((last - 1) / tile + 2).min(count) as u32
    }

    /// Draws the tiles `scroll_px` needs that are not drawn yet and drops
    /// those the line has left behind.
    pub fn prepare(
        &mut self,
        gpu: &Gpu,
        renderer: &mut Renderer,
        fonts: &mut Fonts,
        scroll_px: i64,
    ) -> Result<(), RenderError> {
        let wanted = self.wanted(scroll_px);
        self.tiles.retain(|t| wanted.contains(&t.index));
        for index in wanted {
            if self.tiles.iter().any(|t| t.index == index) {
                continue;
            }
            let start = index * self.tile_width;
            let w = (self.width - start).min(self.tile_width);
            let target = OffscreenTarget::with_format(gpu, w, self.placement.band_h, self.format);
            let scene = tile_scene(&self.run, &self.placement, (start, w), self.background);
            renderer.draw(gpu, fonts, &scene, &target.view)?;
            self.tiles.push(Tile { target, index });
        }
        Ok(())
    }

    /// Records the copies that put the strip at `scroll_px` onto `texture`
    /// (which already holds the page without the line). The tiles must have
    /// been prepared for `scroll_px`.
    pub fn copy_onto(&self, encoder: &mut wgpu::CommandEncoder, texture: &wgpu::Texture, scroll_px: i64) {
        let p = &self.placement;
        let size = texture.size();
        let left = i64::from(p.clip_x);
        let right = (left + i64::from(p.clip_w)).min(i64::from(size.width));
        let origin = p.origin_at_zero - scroll_px;
        for tile in &self.tiles {
            // The tile's screen columns, cut to the body.
            let start = origin + i64::from(tile.index * self.tile_width);
            let from = start.max(left);
            let to = (start + i64::from(tile.target.width)).min(right);
            if to <= from || p.band_y + p.band_h > size.height {
                continue;
            }
            encoder.copy_texture_to_texture(
                wgpu::TexelCopyTextureInfo {
                    origin: wgpu::Origin3d {
                        x: (from - start) as u32,
                        y: 0,
                        z: 0,
                    },
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
