//! Comparing rendered frames with golden images, with a tolerance.
//!
//! Golden images are stored at half resolution (2×2 box filter, RGB) to keep
//! the repository small. The metric counts "strong" pixels, whose largest
//! channel difference exceeds [`Tolerance::delta`]: faint anti-aliasing
//! noise stays below it, while a changed digit moves pixels far past it.
//! The goldens come from the same driver the tests run on (lavapipe), which
//! draws them exactly (0 strong pixels), so at most 2 are allowed: one digit
//! changed in the footer of a 640×360 screen moves 5.

use image::{Rgb, RgbImage, RgbaImage};
use thiserror::Error;

/// How different two images may be and still match.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// A pixel differs "strongly" when a channel differs by more than this.
    pub delta: u8,
    /// At most this many strongly differing pixels.
    pub max_strong: usize,
    /// At most this mean absolute channel difference (0–255).
    pub max_mean: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            delta: 40,
            max_strong: 2,
            max_mean: 0.35,
        }
    }
}

/// The two images cannot be compared: their sizes differ.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("image sizes differ: actual {actual:?}, golden {golden:?}")]
pub struct SizeMismatch {
    /// The rendered image's width and height.
    pub actual: (u32, u32),
    /// The golden image's width and height.
    pub golden: (u32, u32),
}

/// The result of a comparison, with a diff image (differences in red on a
/// dimmed copy of the golden image).
#[derive(Debug)]
pub struct Comparison {
    /// Pixels with a channel off by more than [`Tolerance::delta`].
    pub strong: usize,
    /// The largest channel difference of any pixel.
    pub max_delta: u8,
    /// The mean absolute channel difference over the image (0–255).
    pub mean_delta: f64,
    /// Strong pixels in red on the golden image dimmed to a quarter.
    pub diff: RgbImage,
}

impl Comparison {
    /// Whether the differences are within `tolerance` (strong pixels and mean).
    pub fn passes(&self, tolerance: &Tolerance) -> bool {
        self.strong <= tolerance.max_strong && self.mean_delta <= tolerance.max_mean
    }
}

/// Halves an image with a 2×2 box filter and drops alpha (frames are opaque).
pub fn half(image: &RgbaImage) -> RgbImage {
    let (w, h) = (image.width() / 2, image.height() / 2);
    RgbImage::from_fn(w, h, |x, y| {
        let mut sum = [0u32; 3];
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let p = image.get_pixel(2 * x + dx, 2 * y + dy);
            for c in 0..3 {
                sum[c] += u32::from(p[c]);
            }
        }
        Rgb(sum.map(|s| ((s + 2) / 4) as u8))
    })
}

/// Compares two images of the same size.
pub fn compare(
    actual: &RgbImage,
    golden: &RgbImage,
    tolerance: &Tolerance,
) -> Result<Comparison, SizeMismatch> {
    if actual.dimensions() != golden.dimensions() {
        return Err(SizeMismatch {
            actual: actual.dimensions(),
            golden: golden.dimensions(),
        });
    }
    let mut diff = RgbImage::new(golden.width(), golden.height());
    let (mut strong, mut max_delta, mut total) = (0usize, 0u8, 0u64);
    for ((a, g), d) in actual.pixels().zip(golden.pixels()).zip(diff.pixels_mut()) {
        let delta = (0..3).map(|c| a[c].abs_diff(g[c])).max().unwrap_or(0);
        total += (0..3).map(|c| u64::from(a[c].abs_diff(g[c]))).sum::<u64>();
        max_delta = max_delta.max(delta);
        *d = if delta > tolerance.delta {
            strong += 1;
            Rgb([255, 0, 0])
        } else {
            Rgb(g.0.map(|c| c / 4))
        };
    }
    let channels = (golden.width() * golden.height() * 3).max(1);
    Ok(Comparison {
        strong,
        max_delta,
        mean_delta: total as f64 / f64::from(channels),
        diff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_passes_and_a_block_fails() {
        let golden = RgbImage::from_pixel(64, 64, Rgb([20, 30, 40]));
        let mut noisy = golden.clone();
        for (i, p) in noisy.pixels_mut().enumerate() {
            p[0] = p[0].wrapping_add((i % 3) as u8);
        }
        let t = Tolerance::default();
        assert!(compare(&noisy, &golden, &t).unwrap().passes(&t));
        let mut changed = golden.clone();
        for y in 10..16 {
            for x in 10..16 {
                changed.put_pixel(x, y, Rgb([255, 255, 255]));
            }
        }
        let c = compare(&changed, &golden, &t).unwrap();
        assert_eq!(c.strong, 36);
        assert!(!c.passes(&t));
        assert_eq!(c.diff.get_pixel(12, 12), &Rgb([255, 0, 0]));
    }

    #[test]
    fn sizes_must_match() {
        let a = RgbImage::new(2, 2);
        let b = RgbImage::new(2, 3);
        assert!(compare(&a, &b, &Tolerance::default()).is_err());
    }

    #[test]
    fn half_averages_blocks() {
        let mut img = RgbaImage::new(2, 2);
        img.put_pixel(0, 0, image::Rgba([255, 0, 0, 255]));
        assert_eq!(half(&img).get_pixel(0, 0), &Rgb([64, 0, 0]));
    }
}
