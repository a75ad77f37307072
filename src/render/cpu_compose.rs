//! The compositor on the CPU, for screens whose adapter is the CPU itself
//! (lavapipe, llvmpipe): the same cut, fade, slide, rotation, burn-in shift
//! and brightness as `compose.wgsl`, from two cached page pictures into a
//! frame of `0x00RRGGBB` pixels (what `softbuffer` presents through shared
//! memory). A fade mixes sRGB values with 8-bit weights two channels at a
//! time in one `u32` (red and blue, then green), within one step of the
//! shader's float mix; a slide and a cut are row copies.

use super::compose::{Blend, Composition};

/// A picture as `0x00RRGGBB` pixels, row after row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` pixels, the top row first.
    pub data: Vec<u32>,
}

impl Pixels {
    /// The pixels of an RGBA image (alpha dropped).
    pub fn from_rgba(image: &image::RgbaImage) -> Pixels {
        let mut data = vec![0; image.pixels().len()];
        Pixels::write_rgba(image.as_raw(), &mut data);
        Pixels {
            width: image.width(),
            height: image.height(),
            data,
        }
    }

    /// Writes RGBA bytes (four to a pixel) into `out` as `0x00RRGGBB`
    /// (alpha dropped), as far as both reach; returns the pixels written.
    pub fn write_rgba(rgba: &[u8], out: &mut [u32]) -> usize {
        let mut written = 0;
        for (o, p) in out.iter_mut().zip(rgba.chunks_exact(4)) {
            *o = u32::from(p[0]) << 16 | u32::from(p[1]) << 8 | u32::from(p[2]);
            written += 1;
        }
        written
    }

    /// As an RGBA image (opaque), for comparisons and screenshots.
    pub fn to_rgba(&self) -> image::RgbaImage {
        let mut out = image::RgbaImage::new(self.width, self.height);
        for (p, &c) in out.pixels_mut().zip(&self.data) {
            *p = image::Rgba([(c >> 16) as u8, (c >> 8) as u8, c as u8, 255]);
        }
        out
    }
}

/// Composes `to` (with `from`, for a fade or a slide) into `out`, a frame
/// `width` × `height` (the target: for a quarter turn, the layers' height
/// by their width). `from` and `to` have one size; pixels no layer covers
/// (a burn-in shift's edge) are black.
pub fn compose_cpu(
    from: &Pixels,
    to: &Pixels,
    how: &Composition,
    (width, height): (u32, u32),
    out: &mut [u32],
) {
    let (w, h) = (to.width as i64, to.height as i64);
    let level = weight(how.level);
    let mix = match how.blend {
        Blend::Fade => Some(weight(how.progress)),
        _ => None,
    };
    let slide = match how.blend {
        Blend::Slide => (w as f32 * how.progress).round() as i64,
        _ => 0,
    };
    let plain = how.rotation == 0 && how.shift == (0, 0) && level == 256 && mix.is_none() && slide == 0;
    if plain && (to.width, to.height) == (width, height) {
        out.copy_from_slice(&to.data);
        return;
    }
    let (sx, sy) = (i64::from(how.shift.0), i64::from(how.shift.1));
    for ty in 0..i64::from(height) {
        let row = &mut out[(ty * i64::from(width)) as usize..((ty + 1) * i64::from(width)) as usize];
        if how.rotation == 0 {
            logical_row(from, to, (ty - sy, sx), (mix, slide, level), row);
            continue;
        }
        for (tx, px) in row.iter_mut().enumerate() {
            let (qx, qy) = logical_of(how.rotation, (tx as i64 - sx, ty - sy), (w, h));
            *px = if (0..w).contains(&qx) && (0..h).contains(&qy) {
                scaled(page_pixel(from, to, (qx, qy), (mix, slide)), level)
            } else {
                0
            };
        }
    }
}

/// One target row of an unturned frame: logical row `y`, moved right by
/// `dx`, black where no layer covers it.
fn logical_row(
    from: &Pixels,
    to: &Pixels,
    (y, dx): (i64, i64),
    (mix, slide, level): (Option<u32>, i64, u32),
    row: &mut [u32],
) {
    let (w, h) = (i64::from(to.width), i64::from(to.height));
    if !(0..h).contains(&y) {
        row.fill(0);
        return;
    }
    let span = (y * w) as usize..((y + 1) * w) as usize;
    let (old, new) = (&from.data[span.clone()], &to.data[span]);
    for (tx, px) in row.iter_mut().enumerate() {
        let x = tx as i64 - dx;
        *px = if !(0..w).contains(&x) {
            0
        } else {
            let c = match (mix, slide) {
                (Some(m), _) => blend(old[x as usize], new[x as usize], m),
                (None, s) if s > 0 && x + s < w => old[(x + s) as usize],
                (None, s) if s > 0 => new[(x + s - w) as usize],
                _ => new[x as usize],
            };
            scaled(c, level)
        };
    }
}

/// The colour of logical pixel `(x, y)` of the page picture.
fn page_pixel(from: &Pixels, to: &Pixels, (x, y): (i64, i64), (mix, slide): (Option<u32>, i64)) -> u32 {
    let w = i64::from(to.width);
    let at = |p: &Pixels, x: i64| p.data[(y * w + x) as usize];
    match (mix, slide) {
        (Some(m), _) => blend(at(from, x), at(to, x), m),
        (None, s) if s > 0 && x + s < w => at(from, x + s),
        (None, s) if s > 0 => at(to, x + s - w),
        _ => at(to, x),
    }
}

/// The logical pixel a target pixel shows on a panel turned by `rotation`
/// (clockwise: its top edge on the viewer's right), as in the shader.
fn logical_of(rotation: u32, (x, y): (i64, i64), (w, h): (i64, i64)) -> (i64, i64) {
    match rotation {
        90 => (w - 1 - y, x),
        180 => (w - 1 - x, h - 1 - y),
        270 => (y, h - 1 - x),
        _ => (x, y),
    }
}

/// A share from 0 to 1 as a weight out of 256.
fn weight(share: f32) -> u32 {
    (share.clamp(0.0, 1.0) * 256.0).round() as u32
}

/// `a` mixed into `b` by `m` / 256, red and blue in one multiply, green in another.
fn blend(a: u32, b: u32, m: u32) -> u32 {
    let n = 256 - m;
    let rb = ((a & 0xFF00FF) * n + (b & 0xFF00FF) * m + 0x800080) >> 8;
    let g = ((a & 0x00FF00) * n + (b & 0x00FF00) * m + 0x008000) >> 8;
    (rb & 0xFF00FF) | (g & 0x00FF00)
}

/// `c` with every channel multiplied by `level` / 256 (256: as it is).
fn scaled(c: u32, level: u32) -> u32 {
    if level >= 256 {
        return c;
    }
    let rb = ((c & 0xFF00FF) * level + 0x800080) >> 8;
    let g = ((c & 0x00FF00) * level + 0x008000) >> 8;
    (rb & 0xFF00FF) | (g & 0x00FF00)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(w: u32, h: u32, f: impl Fn(u32, u32) -> u32) -> Pixels {
        Pixels {
            width: w,
            height: h,
            data: (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| f(x, y))
                .collect(),
        }
    }

    fn frame(from: &Pixels, to: &Pixels, how: Composition, size: (u32, u32)) -> Vec<u32> {
        let mut out = vec![0xDEADBEEF; (size.0 * size.1) as usize];
        compose_cpu(from, to, &how, size, &mut out);
        out
    }

    #[test]
    fn a_fade_mixes_each_channel_within_one_step_of_the_float_mix() {
        let (a, b) = (0x00_10_80_F0u32, 0x00_F0_20_00u32);
        for p in [0.0f32, 0.25, 0.5, 0.731, 1.0] {
            let c = blend(a, b, weight(p));
            for shift in [16, 8, 0] {
                let (x, y, z) = ((a >> shift) & 255, (b >> shift) & 255, (c >> shift) & 255);
                let want = x as f32 + (y as f32 - x as f32) * p;
                assert!(
                    (z as f32 - want).abs() <= 1.0,
                    "p {p} channel {shift}: {z} vs {want}"
                );
            }
        }
        assert_eq!(blend(a, b, 0), a);
        assert_eq!(blend(a, b, 256), b);
    }

    #[test]
    fn a_slide_pushes_the_new_picture_in_from_the_right() {
        let from = picture(10, 2, |x, _| x);
        let to = picture(10, 2, |x, _| 100 + x);
        let how = Composition {
            blend: Blend::Slide,
            progress: 0.3,
            ..Composition::PLAIN
        };
        let out = frame(&from, &to, how, (10, 2));
        assert_eq!(&out[..10], &[3, 4, 5, 6, 7, 8, 9, 100, 101, 102]);
    }

    #[test]
    fn shift_rotation_and_level_follow_the_shader() {
        let to = picture(4, 2, |x, y| y * 4 + x + 1);
        let shifted = frame(
            &to,
            &to,
            Composition {
                shift: (1, 1),
                ..Composition::PLAIN
            },
            (4, 2),
        );
        assert_eq!(shifted, [0, 0, 0, 0, 0, 1, 2, 3]);
        // A quarter turn: the target is 2 wide and 4 high; its first row is
        // the logical picture's last column, read bottom to top… as the shader has it.
        let turned = frame(
            &to,
            &to,
            Composition {
                rotation: 90,
                ..Composition::PLAIN
            },
            (2, 4),
        );
        assert_eq!(turned, [4, 8, 3, 7, 2, 6, 1, 5]);
        let half = frame(
            &to,
            &to,
            Composition {
                level: 0.5,
                ..Composition::PLAIN
            },
            (4, 2),
        );
        assert_eq!(half[7], 4);
    }
}
