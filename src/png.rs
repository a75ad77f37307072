//! Writing PNG files: renders, previews and golden images.

use image::EncodableLayout;

/// How hard to compress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// The smallest file: golden images, kept in the repository for years.
    Smallest,
    /// Quick to write (a 1080p frame in ~10 ms instead of ~150 ms, about a
    /// third larger): renders and previews, written once and looked at.
    Fast,
}

/// Writes an image as a PNG with the strongest compression.
pub fn save_png<P, C>(image: &image::ImageBuffer<P, C>, path: &std::path::Path) -> image::ImageResult<()>
where
    P: image::PixelWithColorType,
    [P::Subpixel]: image::EncodableLayout,
    C: std::ops::Deref<Target = [P::Subpixel]>,
{
    save_png_with(image, path, Effort::Smallest)
}

/// Writes an image as a PNG with the given compression effort.
pub fn save_png_with<P, C>(
    image: &image::ImageBuffer<P, C>,
    path: &std::path::Path,
    effort: Effort,
) -> image::ImageResult<()>
where
    P: image::PixelWithColorType,
    [P::Subpixel]: image::EncodableLayout,
    C: std::ops::Deref<Target = [P::Subpixel]>,
{
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (compression, filter) = match effort {
        Effort::Smallest => (CompressionType::Best, FilterType::Adaptive),
        Effort::Fast => (CompressionType::Fast, FilterType::Adaptive),
    };
    let encoder = PngEncoder::new_with_quality(file, compression, filter);
    encoder.write_image(
        image.as_raw().as_bytes(),
        image.width(),
        image.height(),
        P::COLOR_TYPE,
    )
}

/// A PNG written row by row as the rows arrive (RGBA, 8 bits), so a frame
/// read back from the GPU in bands is never held whole on the CPU.
pub struct RowsPng {
    writer: png::StreamWriter<'static, std::io::BufWriter<std::fs::File>>,
}

impl RowsPng {
    /// Starts `path` for an image of `width` × `height` at `effort`.
    pub fn create(
        path: &std::path::Path,
        width: u32,
        height: u32,
        effort: Effort,
    ) -> Result<Self, png::EncodingError> {
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut encoder = png::Encoder::new(file, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(match effort {
            Effort::Smallest => png::Compression::High,
            Effort::Fast => png::Compression::Fast,
        });
        encoder.set_filter(png::Filter::Adaptive);
        let writer = encoder.write_header()?.into_stream_writer()?;
        Ok(RowsPng { writer })
    }

    /// Appends rows of pixels (a whole number of rows, top to bottom).
    pub fn write_rows(&mut self, rows: &[u8]) -> Result<(), png::EncodingError> {
        use std::io::Write as _;
        self.writer.write_all(rows).map_err(png::EncodingError::from)
    }

    /// Ends the image (all rows written) and flushes the file.
    pub fn finish(self) -> Result<(), png::EncodingError> {
        self.writer.finish()
    }
}
