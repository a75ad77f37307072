//! The line pipeline: every stroke of a scene's charts in one instanced
//! draw. Each instance is a capsule (a segment with round ends) filled by
//! its signed distance in the fragment shader, so edges are anti-aliased
//! and consecutive segments of a polyline meet in round joins.

use super::instanced::{Instanced, Primitive};
use super::quad::linear_color;
use crate::scene::Scene;
use bytemuck::{Pod, Zeroable};

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct LineInstance {
    /// from.x, from.y, to.x, to.y in pixels.
    ends: [f32; 4],
    color: [f32; 4],
    width: f32,
    _pad: [f32; 3],
}

pub(crate) struct LinePipeline(Instanced<LineInstance>);

impl LinePipeline {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let shader = device.create_shader_module(wgpu::include_wgsl!("line.wgsl"));
        LinePipeline(Instanced::new(device, format, &shader, Primitive::Line))
    }

    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, scene: &Scene, srgb: bool) {
        let data: Vec<LineInstance> = scene
            .lines
            .iter()
            .map(|l| LineInstance {
                ends: [l.from.0, l.from.1, l.to.0, l.to.1],
                color: linear_color(l.color, srgb),
                width: l.width,
                _pad: [0.0; 3],
            })
            .collect();
        self.0.prepare(device, queue, (scene.width, scene.height), &data);
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.0.render(pass);
    }
}
