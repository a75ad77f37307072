//! Writing PNG files: renders, previews and golden images.

use image::EncodableLayout;

/// Writes an image as a PNG with the strongest compression (golden files
/// and renders are written once and read many times).
pub fn save_png<P, C>(image: &image::ImageBuffer<P, C>, path: &std::path::Path) -> image::ImageResult<()>
where
    P: image::PixelWithColorType,
    [P::Subpixel]: image::EncodableLayout,
    C: std::ops::Deref<Target = [P::Subpixel]>,
{
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let encoder = PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive);
    encoder.write_image(
        image.as_raw().as_bytes(),
        image.width(),
        image.height(),
        P::COLOR_TYPE,
    )
}
