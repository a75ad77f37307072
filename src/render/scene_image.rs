//! Scenes to images: a GPU, the scene renderer and an offscreen target, for
//! tests and benchmarks that check one scene's pixels. Screens and `render`
//! draw through the player and `offscreen::paint` instead.

use super::{Gpu, GpuError, OffscreenTarget, ReadbackError, RenderError, Renderer, OFFSCREEN_FORMAT};
use crate::scene::Scene;
use crate::text::Fonts;
use image::RgbaImage;
use thiserror::Error;

/// Why a scene could not be turned into an image.
#[derive(Debug, Error)]
pub enum ImageRendererError {
    /// No device.
    #[error(transparent)]
    Gpu(#[from] GpuError),
    /// The scene could not be drawn.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The pixels could not be read back.
    #[error(transparent)]
    Readback(#[from] ReadbackError),
}

/// A GPU device, a renderer and an offscreen target that follows the scene's size.
pub struct ImageRenderer {
    /// The device scenes are drawn on.
    pub gpu: Gpu,
    renderer: Renderer,
    target: Option<OffscreenTarget>,
}

impl ImageRenderer {
    /// An offscreen device and renderer (no target until the first scene).
    pub fn new() -> Result<Self, ImageRendererError> {
        let gpu = Gpu::offscreen()?;
        let renderer = Renderer::new(&gpu, OFFSCREEN_FORMAT);
        Ok(ImageRenderer {
            gpu,
            renderer,
            target: None,
        })
    }

    /// Draws `scene` offscreen (no readback).
    pub fn draw(&mut self, fonts: &mut Fonts, scene: &Scene) -> Result<(), ImageRendererError> {
        let fits = self
            .target
            .as_ref()
            .is_some_and(|t| t.width == scene.width && t.height == scene.height);
        if !fits {
            self.target = Some(OffscreenTarget::new(&self.gpu, scene.width, scene.height));
        }
        if let Some(target) = &self.target {
            self.renderer.draw(&self.gpu, fonts, scene, &target.view)?;
        }
        Ok(())
    }

    /// Draws `scene` and reads the pixels back.
    pub fn render(&mut self, fonts: &mut Fonts, scene: &Scene) -> Result<RgbaImage, ImageRendererError> {
        self.draw(fonts, scene)?;
        match &self.target {
            Some(target) => Ok(target.read(&self.gpu)?),
            None => Err(ReadbackError::Size(scene.width, scene.height).into()),
        }
    }
}
