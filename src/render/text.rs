//! The text layer: glyphon buffers, atlas and renderer for a scene's runs.
//!
//! Shaped buffers are kept between frames and reused while a run is
//! unchanged, so a static slide costs no shaping.

use crate::scene::{Align, Scene, TextRun, Weight};
use crate::text::Fonts;
use glyphon::{
    Buffer, Cache, Color, Metrics, Resolution, Shaping, SwashCache, TextArea, TextAtlas, TextBounds,
    TextRenderer, Viewport, Wrap,
};
use std::collections::{HashMap, HashSet};

/// What makes two runs shape identically.
#[derive(Clone, PartialEq, Eq, Hash)]
struct RunKey {
    text: String,
    size: u32,
    line_height: u32,
    weight: Weight,
    align: Align,
    wrap: bool,
    width: u32,
}

impl RunKey {
    fn of(run: &TextRun) -> Self {
        RunKey {
            text: run.text.clone(),
            size: run.size.to_bits(),
            line_height: run.line_height.to_bits(),
            weight: run.weight,
            align: run.align,
            wrap: run.wrap,
            width: run.clip.w.to_bits(),
        }
    }
}

pub(crate) struct TextLayer {
    swash: SwashCache,
    viewport: Viewport,
    atlas: TextAtlas,
    renderer: TextRenderer,
    buffers: HashMap<RunKey, Buffer>,
}

impl TextLayer {
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue, format: wgpu::TextureFormat) -> Self {
        let cache = Cache::new(device);
        let viewport = Viewport::new(device, &cache);
        let mut atlas = TextAtlas::new(device, queue, &cache, format);
        let renderer = TextRenderer::new(&mut atlas, device, wgpu::MultisampleState::default(), None);
        TextLayer {
            swash: SwashCache::new(),
            viewport,
            atlas,
            renderer,
            buffers: HashMap::new(),
        }
    }

    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        fonts: &mut Fonts,
        scene: &Scene,
    ) -> Result<(), glyphon::PrepareError> {
        self.viewport.update(
            queue,
            Resolution {
                width: scene.width,
                height: scene.height,
            },
        );
        let keys: Vec<RunKey> = scene.texts.iter().map(RunKey::of).collect();
        for (key, run) in keys.iter().zip(&scene.texts) {
            if !self.buffers.contains_key(key) {
                let buffer = shape(fonts, run);
                self.buffers.insert(key.clone(), buffer);
            }
        }
        let used: HashSet<&RunKey> = keys.iter().collect();
        self.buffers.retain(|k, _| used.contains(k));
        let areas = keys.iter().zip(&scene.texts).filter_map(|(key, run)| {
            let buffer = self.buffers.get(key)?;
            Some(TextArea {
                buffer,
                left: run.clip.x + run.shift_x,
                top: run.origin_y,
                scale: 1.0,
                bounds: TextBounds {
                    left: run.clip.x as i32,
                    top: run.clip.y as i32,
                    right: run.clip.right() as i32,
                    bottom: run.clip.bottom() as i32,
                },
                default_color: Color::rgba(run.color.0, run.color.1, run.color.2, run.color.3),
                custom_glyphs: &[],
            })
        });
        self.renderer.prepare(
            device,
            queue,
            fonts.font_system(),
            &mut self.atlas,
            &self.viewport,
            areas,
            &mut self.swash,
        )
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) -> Result<(), glyphon::RenderError> {
        self.renderer.render(&self.atlas, &self.viewport, pass)
    }

    pub fn trim(&mut self) {
        self.atlas.trim();
    }
}

/// Shapes a run exactly as layout measured it.
fn shape(fonts: &mut Fonts, run: &TextRun) -> Buffer {
    let system = fonts.font_system();
    let mut buffer = Buffer::new(system, Metrics::new(run.size, run.line_height));
    buffer.set_wrap(if run.wrap { Wrap::WordOrGlyph } else { Wrap::None });
    buffer.set_size(Some(run.clip.w), None);
    let align = match run.align {
        Align::Left => glyphon::cosmic_text::Align::Left,
        Align::Center => glyphon::cosmic_text::Align::Center,
        Align::Right => glyphon::cosmic_text::Align::Right,
    };
    buffer.set_text(
        &run.text,
        &Fonts::attrs(run.weight),
        Shaping::Advanced,
        Some(align),
    );
    buffer.shape_until_scroll(system, false);
    buffer
}
