//! One instanced draw of six vertices per instance, shared by the quad and
//! line pipelines: each has its own shader and instance type, and the same
//! screen-size uniform, alpha blending and instance buffer that grows when
//! a scene needs more.

use bytemuck::Pod;
use std::marker::PhantomData;
use wgpu::util::DeviceExt;

/// What a pipeline is for: names its GPU objects in debuggers and errors.
#[derive(Clone, Copy)]
pub(crate) enum Primitive {
    Quad,
    Line,
}

impl Primitive {
    fn label(self) -> &'static str {
        match self {
            Primitive::Quad => "quad",
            Primitive::Line => "line",
        }
    }
}

/// A pipeline drawing instances of `T` (each read by the shader's
/// `vs_main` at locations 0, 1 and 2: two `vec4<f32>` and one `f32`).
pub(crate) struct Instanced<T: Pod> {
    primitive: Primitive,
    pipeline: wgpu::RenderPipeline,
    screen: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    instances: Option<wgpu::Buffer>,
    count: u32,
    _instance: PhantomData<T>,
}

impl<T: Pod> Instanced<T> {
    pub fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        shader: &wgpu::ShaderModule,
        primitive: Primitive,
    ) -> Self {
        let label = Some(primitive.label());
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label,
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let screen = device.create_buffer(&wgpu::BufferDescriptor {
            label,
            size: 16,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label,
            layout: &layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: screen.as_entire_binding(),
            }],
        });
        let pipeline = create_pipeline::<T>(device, format, shader, &layout, primitive);
        Instanced {
            primitive,
            pipeline,
            screen,
            bind_group,
            instances: None,
            count: 0,
            _instance: PhantomData,
        }
    }

    /// Uploads the screen's size and `data`, reusing the buffer when it is
    /// large enough.
    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, size: (u32, u32), data: &[T]) {
        let size = [size.0 as f32, size.1 as f32, 0.0, 0.0];
        queue.write_buffer(&self.screen, 0, bytemuck::cast_slice(&size));
        self.count = data.len() as u32;
        let bytes: &[u8] = bytemuck::cast_slice(data);
        let fits = self
            .instances
            .as_ref()
            .is_some_and(|b| b.size() >= bytes.len() as u64);
        match &self.instances {
            Some(buffer) if fits => queue.write_buffer(buffer, 0, bytes),
            _ if data.is_empty() => {}
            _ => {
                self.instances = Some(device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some(self.primitive.label()),
                    contents: bytes,
                    usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                }));
            }
        }
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        let Some(instances) = &self.instances else {
            return;
        };
        if self.count == 0 {
            return;
        }
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.set_vertex_buffer(0, instances.slice(..));
        pass.draw(0..6, 0..self.count);
    }
}

fn create_pipeline<T: Pod>(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::BindGroupLayout,
    primitive: Primitive,
) -> wgpu::RenderPipeline {
    let label = Some(primitive.label());
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label,
        bind_group_layouts: &[Some(layout)],
        immediate_size: 0,
    });
    let attributes = wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4, 2 => Float32];
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label,
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: shader,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<T>() as u64,
                step_mode: wgpu::VertexStepMode::Instance,
                attributes: &attributes,
            })],
        },
        fragment: Some(wgpu::FragmentState {
            module: shader,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState::ALPHA_BLENDING),
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
