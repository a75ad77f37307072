//! The quad pipeline: one instanced draw for all rectangles of a scene.

use super::instanced::{Instanced, Primitive};
use crate::scene::{Rgba, Scene};
use bytemuck::{Pod, Zeroable};

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct QuadInstance {
    rect: [f32; 4],
    color: [f32; 4],
    radius: f32,
    _pad: [f32; 3],
}

pub(crate) struct QuadPipeline(Instanced<QuadInstance>);

impl QuadPipeline {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let shader = device.create_shader_module(wgpu::include_wgsl!("quad.wgsl"));
        QuadPipeline(Instanced::new(device, format, &shader, Primitive::Quad))
    }

    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, scene: &Scene, srgb: bool) {
        let data: Vec<QuadInstance> = scene
            .quads
            .iter()
            .map(|q| QuadInstance {
                rect: [q.rect.x, q.rect.y, q.rect.w, q.rect.h],
                color: linear_color(q.color, srgb),
                radius: q.radius,
                _pad: [0.0; 3],
            })
            .collect();
        self.0.prepare(device, queue, (scene.width, scene.height), &data);
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.0.render(pass);
    }
}

/// A colour as the shader blends it: channels for the target, straight alpha.
pub(crate) fn linear_color(c: Rgba, srgb: bool) -> [f32; 4] {
    [
        super::channel(c.0, srgb) as f32,
        super::channel(c.1, srgb) as f32,
        super::channel(c.2, srgb) as f32,
        f32::from(c.3) / 255.0,
    ]
}
