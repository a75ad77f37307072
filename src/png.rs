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
