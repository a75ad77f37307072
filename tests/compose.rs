//! The compositor on the GPU: a plain copy is exact, a fade lies between the
//! two pages, a slide moves the old page out to the left, a rotated panel gets
//! the picture turned, and the burn-in shift moves the whole frame.

mod common;

use rankwall::render::{Composition, FrameRenderer, Gpu, OffscreenTarget, RAW_FORMAT};
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
    let gpu = Gpu::headless().expect("a GPU adapter (lavapipe in CI)");
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
    assert!(frames.compose(&gpu, 2, Some(1), &how, (&target.raw_view, Some(&target.texture))));
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
            blend: 1,
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
            blend: 2,
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
