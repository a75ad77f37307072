//! An offscreen render target and its readback to an RGBA image.
//!
//! Rows are copied with `bytes_per_row` padded to
//! `COPY_BYTES_PER_ROW_ALIGNMENT`, then the padding is dropped.

use super::Gpu;
use image::RgbaImage;
use thiserror::Error;

/// Why the pixels of a target could not be read.
#[derive(Debug, Error)]
pub enum ReadbackError {
    /// The staging buffer could not be mapped (device lost or busy).
    #[error("mapping the readback buffer failed: {0}")]
    Map(String),
    /// The bytes read do not make an image of the target's size.
    #[error("the read back pixels do not form a {0}x{1} image")]
    Size(u32, u32),
}

/// A texture to render into instead of a window.
pub struct OffscreenTarget {
    /// The texture itself (copies go to and from it).
    pub texture: wgpu::Texture,
    /// The sRGB view: scenes are drawn through it (blending in linear light).
    pub view: wgpu::TextureView,
    /// The same bytes without sRGB conversion: the compositor reads and writes
    /// through it, so copying and fading cost no conversion per pixel.
    pub raw_view: wgpu::TextureView,
    /// The size in pixels.
    pub width: u32,
    /// The height in pixels.
    pub height: u32,
}

/// The format of [`OffscreenTarget::raw_view`].
pub const RAW_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// The format of offscreen targets: the PNG holds sRGB bytes as the screen does.
pub const OFFSCREEN_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

impl OffscreenTarget {
    /// This target as a frame target: its raw view, and its texture for copies.
    pub fn frame_target(&self) -> super::FrameTarget<'_> {
        super::FrameTarget::new(&self.raw_view, Some(&self.texture))
    }

    /// A target of [`OFFSCREEN_FORMAT`] (RGBA, sRGB).
    pub fn new(gpu: &Gpu, width: u32, height: u32) -> Self {
        Self::with_format(gpu, width, height, OFFSCREEN_FORMAT)
    }

    /// A target of an 8-bit sRGB `format` (RGBA or BGRA); readback assumes RGBA.
    pub fn with_format(gpu: &Gpu, width: u32, height: u32, format: wgpu::TextureFormat) -> Self {
        let raw_format = format.remove_srgb_suffix();
        let texture = gpu.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("offscreen"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::COPY_DST
                | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[raw_format],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let raw_view = texture.create_view(&wgpu::TextureViewDescriptor {
            format: Some(raw_format),
            ..Default::default()
        });
        OffscreenTarget {
            texture,
            view,
            raw_view,
            width,
            height,
        }
    }

    /// Copies the texture to the CPU and returns it as an image.
    pub fn read(&self, gpu: &Gpu) -> Result<RgbaImage, ReadbackError> {
        let unpadded = self.width * 4;
        let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let padded = unpadded.div_ceil(align) * align;
        let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: u64::from(padded) * u64::from(self.height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("readback"),
            });
        encoder.copy_texture_to_buffer(
            self.texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(self.height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
        );
        gpu.queue.submit(Some(encoder.finish()));
        let (tx, rx) = std::sync::mpsc::channel();
        buffer.slice(..).map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        gpu.poll_wait();
        rx.recv()
            .map_err(|e| ReadbackError::Map(e.to_string()))?
            .map_err(|e| ReadbackError::Map(e.to_string()))?;
        let pixels = {
            let view = buffer
                .slice(..)
                .get_mapped_range()
                .map_err(|e| ReadbackError::Map(e.to_string()))?;
            let mut pixels = Vec::with_capacity((unpadded * self.height) as usize);
            for row in view.chunks(padded as usize) {
                pixels.extend_from_slice(&row[..unpadded as usize]);
            }
            pixels
        };
        buffer.unmap();
        RgbaImage::from_raw(self.width, self.height, pixels)
            .ok_or(ReadbackError::Size(self.width, self.height))
    }
}
