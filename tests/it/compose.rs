//! The compositor on the GPU: a plain copy is exact, a fade lies between the
//! two pages, a slide moves the old page out to the left, a rotated panel gets
//! the picture turned, and the burn-in shift moves the whole frame.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use rankwall::render::{Blend, Composition, FrameRenderer, Gpu, OffscreenTarget, RAW_FORMAT};
use rankwall::scene::{Rect, Rgba, Scene};
use rankwall::text::Fonts;

const RED: [u8; 4] = [200, 30, 30, 255];
const BLUE: [u8; 4] = [20, 40, 220, 255];

/// A page that is `color` with a white 10x10 square in its top-left corner.
fn page(color: [u8; 4], w: u32, h: u32) -> Scene {
    let mut scene = Scene::new(w, h, Rgba(color[0], color[1], color[2], 255));
    scene.fill(Rect::new(0.0, 0.0, 10.0, 10.0), Rgba::hex(0xFFFFFF), 0.0);
    scene
}

fn composed(how: Composition, out: (u32, u32)) -> image::RgbaImage {
    let gpu = Gpu::offscreen().expect("a GPU adapter (lavapipe in CI)");
    let mut fonts = Fonts::bundled();
    let mut frames = FrameRenderer::new(&gpu, RAW_FORMAT);
    let (w, h) = match how.rotation {
        90 | 270 => (out.1, out.0),
        _ => out,
    };
    frames.fill(&gpu, &mut fonts, 1, None, &page(RED, w, h)).unwrap();
    frames
        .fill(&gpu, &mut fonts, 2, Some(1), &page(BLUE, w, h))
        .unwrap();
    let target = OffscreenTarget::new(&gpu, out.0, out.1);
    assert!(frames.compose(&gpu, 2, Some(1), &how, target.frame_target()));
    target.read(&gpu).unwrap()
}

fn plain() -> Composition {
    Composition::PLAIN
}

#[test]
fn a_plain_copy_is_exact_and_a_fade_lies_between() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let copy = composed(plain(), (64, 32));
    assert_eq!(copy.get_pixel(40, 20).0, BLUE);
    assert_eq!(copy.get_pixel(5, 5).0, [255, 255, 255, 255]);
    let half = composed(
        Composition {
            blend: Blend::Fade,
            progress: 0.5,
            ..plain()
        },
        (64, 32),
    );
    let p = half.get_pixel(40, 20).0;
    for c in 0..3 {
        let mid = (i32::from(RED[c]) + i32::from(BLUE[c])) / 2;
        assert!((i32::from(p[c]) - mid).abs() <= 2, "fade halfway {p:?}");
    }
}

#[test]
fn a_slide_moves_the_old_page_out_to_the_left() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let img = composed(
        Composition {
            blend: Blend::Slide,
            progress: 0.25,
            ..plain()
        },
        (64, 32),
    );
    // A quarter of the way: the old page's x = 16.. shows at 0..48, the new page at 48..64.
    assert_eq!(img.get_pixel(0, 20).0, RED);
    assert_eq!(img.get_pixel(47, 20).0, RED);
    assert_eq!(
        img.get_pixel(48, 5).0,
        [255, 255, 255, 255],
        "the new page's corner enters at 48"
    );
    assert_eq!(img.get_pixel(60, 20).0, BLUE);
}

#[test]
fn rotation_turns_the_picture_and_the_shift_moves_it() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    // Panel turned clockwise: its left edge is the viewer's top and its bottom
    // edge the viewer's left, so the picture's top-left corner is drawn at the
    // framebuffer's bottom-left.
    let turned = composed(
        Composition {
            rotation: 90,
            ..plain()
        },
        (32, 64),
    );
    assert_eq!(turned.get_pixel(0, 63).0, [255, 255, 255, 255]);
    assert_eq!(turned.get_pixel(31, 0).0, BLUE);
    assert_eq!(turned.get_pixel(0, 0).0, BLUE);
    let upside = composed(
        Composition {
            rotation: 180,
            ..plain()
        },
        (64, 32),
    );
    assert_eq!(upside.get_pixel(63, 31).0, [255, 255, 255, 255]);
    let shifted = composed(
        Composition {
            shift: (3, 2),
            ..plain()
        },
        (64, 32),
    );
    assert_eq!(
        shifted.get_pixel(1, 1).0,
        [0, 0, 0, 255],
        "uncovered edge is black"
    );
    assert_eq!(shifted.get_pixel(3, 2).0, [255, 255, 255, 255]);
    assert_eq!(shifted.get_pixel(13, 12).0, BLUE);
}

/// A marquee-like page: a header bar and one long line moved by `shift`.
fn moving(shift: f32, fonts: &mut Fonts) -> Scene {
    let mut scene = Scene::new(400, 120, Rgba::hex(0x0B1F3A));
    scene.fill(Rect::new(0.0, 0.0, 400.0, 30.0), Rgba::hex(0x7A0E0E), 0.0);
    let clip = Rect::new(10.0, 40.0, 380.0, 70.0);
    scene.texts.push(rankwall::scene::TextRun {
        text: "王*华 花山镇 · 垃圾分类到位　◆　李*明 闹枝镇 · 庭院整洁有序　◆　".repeat(3),
        clip,
        origin_y: fonts.line_top_for_center(40.0, 75.0),
        size: 40.0,
        line_height: rankwall::text::line_height(40.0),
        weight: rankwall::scene::Weight::Bold,
        align: rankwall::scene::Align::Left,
        color: Rgba::hex(0xFFFFFF),
        wrap: false,
        shift_x: shift,
    });
    scene
}

#[test]
fn a_marquee_frame_redrawn_in_its_band_equals_a_full_redraw() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let gpu = Gpu::offscreen().unwrap();
    let mut fonts = Fonts::bundled();
    let read = |frames: &FrameRenderer, key: u64| {
        let target = OffscreenTarget::new(&gpu, 400, 120);
        assert!(frames.compose(
            &gpu,
            key,
            None,
            &plain(),
            rankwall::render::FrameTarget::new(&target.raw_view, None)
        ));
        target.read(&gpu).unwrap()
    };
    let mut banded = FrameRenderer::new(&gpu, RAW_FORMAT);
    let first = moving(300.0, &mut fonts);
    banded.fill(&gpu, &mut fonts, 1, None, &first).unwrap();
    banded.tag_family(1, 99);
    let later = moving(-150.0, &mut fonts);
    // The very band `paint` redraws for this scene.
    let band = rankwall::offscreen::moving_band(&later).expect("a moving line has a band");
    assert!(band.h < 70.0, "the band is narrower than the clip");
    assert!(banded
        .refill_band(&gpu, &mut fonts, (99, 2), &later, band)
        .unwrap());
    let mut full = FrameRenderer::new(&gpu, RAW_FORMAT);
    full.fill(&gpu, &mut fonts, 2, None, &later).unwrap();
    let (a, b) = (read(&banded, 2), read(&full, 2));
    assert!(a == b, "band redraw differs from a full redraw");
    assert!(
        read(&banded, 2)
            != read(
                &{
                    let mut f = FrameRenderer::new(&gpu, RAW_FORMAT);
                    f.fill(&gpu, &mut fonts, 3, None, &first).unwrap();
                    f
                },
                3
            ),
        "the line moved"
    );
}
