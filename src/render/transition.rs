//! Transition frames: a fade or a slide between two finished frames.
//!
//! The same formula is what a window must show mid-transition: `fade` mixes
//! linearly in sRGB bytes; `slide` moves the old page out to the left and the
//! new one in from the right, eased (smoothstep), whole pixels only.

use image::RgbaImage;

/// The frame `progress` (0 to 1) of the way from `from` to `to`.
pub fn blend(from: &RgbaImage, to: &RgbaImage, kind: &str, progress: f32) -> RgbaImage {
    let p = progress.clamp(0.0, 1.0);
    if from.dimensions() != to.dimensions() {
        return to.clone();
    }
    match kind {
        "fade" => fade(from, to, p),
        "slide" => slide(from, to, p * p * (3.0 - 2.0 * p)),
        _ => to.clone(),
    }
}

fn fade(from: &RgbaImage, to: &RgbaImage, p: f32) -> RgbaImage {
    let mut out = to.clone();
    for (o, (a, b)) in out.pixels_mut().zip(from.pixels().zip(to.pixels())) {
        for c in 0..4 {
            o[c] = (f32::from(a[c]) * (1.0 - p) + f32::from(b[c]) * p).round() as u8;
        }
    }
    out
}

fn slide(from: &RgbaImage, to: &RgbaImage, p: f32) -> RgbaImage {
    let (w, h) = from.dimensions();
    let shift = (w as f32 * p).round() as u32;
    RgbaImage::from_fn(w, h, |x, y| {
        if x + shift < w {
            *from.get_pixel(x + shift, y)
        } else {
            *to.get_pixel(x + shift - w, y)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    #[test]
    fn fade_and_slide_go_from_one_frame_to_the_other() {
        let a = RgbaImage::from_pixel(10, 2, Rgba([0, 0, 0, 255]));
        let b = RgbaImage::from_pixel(10, 2, Rgba([200, 100, 50, 255]));
        assert_eq!(blend(&a, &b, "fade", 0.0), a);
        assert_eq!(blend(&a, &b, "fade", 1.0), b);
        assert_eq!(
            blend(&a, &b, "fade", 0.5).get_pixel(3, 1),
            &Rgba([100, 50, 25, 255])
        );
        let half = blend(&a, &b, "slide", 0.5);
        assert_eq!(half.get_pixel(4, 0), &Rgba([0, 0, 0, 255]));
        assert_eq!(half.get_pixel(5, 0), &Rgba([200, 100, 50, 255]));
        assert_eq!(blend(&a, &b, "cut", 0.1), b);
    }
}
