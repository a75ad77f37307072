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
        let mut pixels = Vec::with_capacity(self.width as usize * 4 * self.height as usize);
        self.read_bands(gpu, |rows| {
            pixels.extend_from_slice(rows);
            Ok::<(), ReadbackError>(())
        })?;
        RgbaImage::from_raw(self.width, self.height, pixels)
            .ok_or(ReadbackError::Size(self.width, self.height))
    }

    /// Copies the texture to the CPU a band of rows at a time, top to bottom,
    /// handing each band (whole rows, RGBA, no padding) to `rows`. Only one
    /// band's staging buffer exists at a time, so a frame read this way and
    /// encoded as it arrives is never held whole (a 4K frame is 32 MiB).
    pub fn read_bands<E: From<ReadbackError>>(
        &self,
        gpu: &Gpu,
        rows: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.read_rows(gpu, self.height, rows)
    }

    /// As [`read_bands`](Self::read_bands), but only the first `count` rows.
    pub fn read_rows<E: From<ReadbackError>>(
        &self,
        gpu: &Gpu,
        count: u32,
        rows: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.read_span(gpu, (0, count), rows)
    }

    /// As [`read_bands`](Self::read_bands), but only rows `first..first +
    /// count` (a marquee's moving band).
    pub fn read_span<E: From<ReadbackError>>(
        &self,
        gpu: &Gpu,
        (first, count): (u32, u32),
        mut rows: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let first = first.min(self.height);
        let count = count.min(self.height - first);
        let unpadded = self.width * 4;
        let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let padded = unpadded.div_ceil(align) * align;
        let band_rows = BAND_ROWS.min(count.max(1));
        let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback band"),
            size: u64::from(padded) * u64::from(band_rows),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut compact = Vec::new();
        let mut top = 0;
        while top < count {
            let height = band_rows.min(count - top);
            self.copy_band(gpu, &buffer, (first + top, height), padded);
            let size = u64::from(padded) * u64::from(height);
            map_wait(gpu, &buffer, size)?;
            {
                let view = buffer
                    .slice(..size)
                    .get_mapped_range()
                    .map_err(|e| ReadbackError::Map(e.to_string()))?;
                if padded == unpadded {
                    rows(&view)?;
                } else {
                    compact.clear();
                    for row in view.chunks(padded as usize) {
                        compact.extend_from_slice(&row[..unpadded as usize]);
                    }
                    rows(&compact)?;
                }
            }
            buffer.unmap();
            top += height;
        }
        Ok(())
    }

    /// Records and submits the copy of rows `top..top + height` into `buffer`.
    fn copy_band(&self, gpu: &Gpu, buffer: &wgpu::Buffer, (top, height): (u32, u32), padded: u32) {
        let mut encoder = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("readback"),
            });
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                origin: wgpu::Origin3d { x: 0, y: top, z: 0 },
                ..self.texture.as_image_copy()
            },
            wgpu::TexelCopyBufferInfo {
                buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height,
                depth_or_array_layers: 1,
            },
        );
        gpu.queue.submit(Some(encoder.finish()));
    }
}

/// Rows per readback band: 128 rows of a 4K frame are 1.9 MiB of staging
/// where the whole frame is 31.6 MiB; a 1080p frame takes 9 round trips, and
/// a band drawn by `offscreen::banded` (128 rows too) one.
const BAND_ROWS: u32 = 128;

/// Maps the first `size` bytes of `buffer` for reading and waits for it.
fn map_wait(gpu: &Gpu, buffer: &wgpu::Buffer, size: u64) -> Result<(), ReadbackError> {
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.slice(..size).map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    gpu.poll_wait();
    rx.recv()
        .map_err(|e| ReadbackError::Map(e.to_string()))?
        .map_err(|e| ReadbackError::Map(e.to_string()))
}
