//! The compositor: one full-screen pass from finished page layers to the
//! target. It performs the cut, fade or slide between two layers, turns the
//! picture for a rotated panel and moves it for burn-in care.

use super::Gpu;
use bytemuck::{Pod, Zeroable};

/// How the compositor combines the old layer (`from`) and the new one (`to`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Blend {
    /// The new layer alone, as it is.
    #[default]
    Cut,
    /// The old layer fades into the new one: a mix of their sRGB values by
    /// the progress.
    Fade,
    /// The new layer pushes in from the right while the old one leaves to
    /// the left, by the (eased) progress.
    Slide,
}

impl Blend {
    /// The shader's `kind` for this blend (`compose.wgsl`): the one place
    /// that knows the numbers.
    fn kind(self) -> u32 {
        match self {
            Blend::Cut => 0,
            Blend::Fade => 1,
            Blend::Slide => 2,
        }
    }
}

/// How the layers are combined in one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Composition {
    /// Cut, fade or slide.
    pub blend: Blend,
    /// 0 to 1 (eased for a slide).
    pub progress: f32,
    /// Burn-in shift in target pixels.
    pub shift: (i32, i32),
    /// 0, 90, 180 or 270.
    pub rotation: u32,
    /// Brightness: every pixel's (sRGB) value is multiplied by it; 1 as drawn.
    pub level: f32,
}

impl Composition {
    /// One layer, as it is.
    pub const PLAIN: Composition = Composition {
        blend: Blend::Cut,
        progress: 1.0,
        shift: (0, 0),
        rotation: 0,
        level: 1.0,
    };
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Params {
    logical: [i32; 2],
    shift: [i32; 2],
    /// [`Blend::kind`].
    kind: u32,
    progress: f32,
    rotation: u32,
    decode: u32,
    level: f32,
    /// The uniform's size rounded up to 16 bytes.
    pad: [u32; 3],
}

pub(crate) struct Compositor {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    params: wgpu::Buffer,
    decode: bool,
}

impl Compositor {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let shader = device.create_shader_module(wgpu::include_wgsl!("compose.wgsl"));
        let texture = |binding| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::FRAGMENT,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: false },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
            count: None,
        };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("compose"),
            entries: &[
                texture(0),
                texture(1),
                wgpu::BindGroupLayoutEntry {
                    binding: 2,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("compose params"),
            size: std::mem::size_of::<Params>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let pipeline = pipeline(device, format, &shader, &layout);
        Compositor {
            pipeline,
            layout,
            params,
            decode: format.is_srgb(),
        }
    }

    /// Records the composition of `from` and `to` (raw views of layers of
    /// `logical` size) into `target`, a view of the format given to `new`:
    /// best a non-sRGB view, which takes the sRGB bytes as they are.
    pub fn compose(
        &self,
        gpu: &Gpu,
        encoder: &mut wgpu::CommandEncoder,
        layers: (&wgpu::TextureView, &wgpu::TextureView),
        logical: (u32, u32),
        how: &Composition,
        target: &wgpu::TextureView,
    ) {
        let params = Params {
            logical: [logical.0 as i32, logical.1 as i32],
            shift: [how.shift.0, how.shift.1],
            kind: how.blend.kind(),
            progress: how.progress,
            rotation: how.rotation,
            decode: u32::from(self.decode),
            level: how.level,
            pad: [0; 3],
        };
        gpu.queue
            .write_buffer(&self.params, 0, bytemuck::bytes_of(&params));
        let bind_group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("compose"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(layers.0),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(layers.1),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: self.params.as_entire_binding(),
                },
            ],
        });
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("compose"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.draw(0..3, 0..1);
    }
}

fn pipeline(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::BindGroupLayout,
) -> wgpu::RenderPipeline {
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("compose"),
        bind_group_layouts: &[Some(layout)],
        immediate_size: 0,
    });
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("compose"),
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: shader,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[],
        },
        fragment: Some(wgpu::FragmentState {
            module: shader,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: None,
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        cache: None,
        multiview_mask: None,
    })
}

#[cfg(test)]
mod tests {
    use super::Blend;

    #[test]
    fn each_blend_has_the_shaders_kind() {
        // compose.wgsl: 0 cut (show `to`), 1 fade, 2 slide.
        assert_eq!(Blend::default(), Blend::Cut);
        assert_eq!(
            [Blend::Cut, Blend::Fade, Blend::Slide].map(Blend::kind),
            [0, 1, 2]
        );
    }
}
