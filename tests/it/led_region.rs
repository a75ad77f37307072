//! What an LED wall's controller needs (issue 24, deliver 2 and 3), through
//! the real binary on lavapipe: `[screen] output` and `region` lay the slide
//! out at the region's size and draw it at its place in the frame, black
//! elsewhere; `check --config` refuses a region that does not fit, at its
//! line; `brightness` dims every pixel by its level at night.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use image::RgbaImage;
use std::path::Path;
use std::process::Command;

const AT: &str = "2026-11-28T10:00:05+08:00";
const PLAYLIST: &str = "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n";

/// The one frame `render --config` writes for `screen` (a `[screen]` section).
fn frame(dir: &Path, name: &str, screen: &str) -> RgbaImage {
    frame_at(dir, name, screen, AT)
}

/// The same at the instant `at`.
fn frame_at(dir: &Path, name: &str, screen: &str, at: &str) -> RgbaImage {
    let config = dir.join(format!("{name}.toml"));
    std::fs::write(
        &config,
        format!("[screen]\nid = \"{name}\"\n{screen}\n{PLAYLIST}"),
    )
    .unwrap();
    let out = dir.join(name);
    let status = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["render", "--config"])
        .arg(&config)
        .args(["--at", at, "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "render --config {name}");
    let file = std::fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    image::open(file).unwrap().to_rgba8()
}

/// The pixels of `frame` that differ from `plain` drawn at (x, y), and those
/// outside it that are not black.
fn differences(frame: &RgbaImage, plain: &RgbaImage, (x, y): (u32, u32)) -> (usize, usize) {
    let mut inside = 0;
    let mut outside = 0;
    for (px, py, p) in frame.enumerate_pixels() {
        let within = px >= x && py >= y && px < x + plain.width() && py < y + plain.height();
        if within {
            inside += usize::from(p != plain.get_pixel(px - x, py - y));
        } else {
            outside += usize::from(p.0[..3] != [0, 0, 0]);
        }
    }
    (inside, outside)
}

#[test]
fn a_region_is_the_plain_strip_drawn_at_its_place_in_a_black_frame() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("led-region");
    let plain = frame(&dir, "plain", "size = \"1280x256\"");
    assert_eq!(plain.dimensions(), (1280, 256));
    for (x, y) in [(0, 0), (320, 412)] {
        let screen =
            format!("output = \"1920x1080\"\nregion = {{ x = {x}, y = {y}, width = 1280, height = 256 }}");
        let led = frame(&dir, &format!("led-{x}-{y}"), &screen);
        assert_eq!(
            led.dimensions(),
            (1920, 1080),
            "the frame is the output's video mode"
        );
        let (inside, outside) = differences(&led, &plain, (x, y));
        assert_eq!(
            (inside, outside),
            (0, 0),
            "region at ({x}, {y}): pixels unlike the plain strip, non-black outside"
        );
    }
}

#[test]
fn check_config_refuses_a_region_that_does_not_fit_at_its_line() {
    let dir = common::temp_dir("led-check");
    let cases = [
        (
            "output = \"1920x1080\"\nregion = { x = 800, y = 0, width = 1280, height = 256 }",
            "4:10: error: region 1280x256 at (800, 0) lies outside the 1920x1080 output",
        ),
        (
            "region = { x = 0, y = 0, width = 1280, height = 256 }",
            "3:10: error: a region needs the output's size",
        ),
        (
            "size = \"1280x256\"\noutput = \"1920x1080\"\nregion = { x = 0, y = 0, width = 1280, height = 256 }",
            "4:10: error: give `output` or `size`, not both",
        ),
        (
            "output = \"1920x1080\"\nregion = { x = 0, y = 0, width = 100, height = 20 }",
            "4:10: error: the region is too small to lay out",
        ),
    ];
    for (screen, wanted) in cases {
        let path = dir.join("led.toml");
        let wanted = format!("{}:{wanted}", path.display());
        std::fs::write(&path, format!("[screen]\nid = \"led\"\n{screen}\n{PLAYLIST}")).unwrap();
        let (code, text) = common::check_config(&path);
        assert_eq!(code, Some(1), "{screen}: {text}");
        let said = text.lines().find(|l| l.contains("error:")).unwrap_or_default();
        assert!(said.starts_with(&wanted), "{screen}: {text}");
    }
}

#[test]
fn at_level_one_half_every_pixel_is_half_its_value() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("led-dim");
    let night = "2026-11-28T23:00:05+08:00";
    let plain = frame_at(&dir, "plain", "size = \"1280x256\"", night);
    let dimmed = frame_at(
        &dir,
        "dimmed",
        "size = \"1280x256\"\nbrightness = [{ from = \"19:00\", until = \"06:30\", level = 0.5 }]",
        night,
    );
    let mut worst = 0;
    let mut lit = 0;
    for (p, d) in plain.pixels().zip(dimmed.pixels()) {
        for c in 0..3 {
            let want = (f32::from(p.0[c]) * 0.5).round() as i32;
            worst = worst.max((i32::from(d.0[c]) - want).abs());
            lit += usize::from(p.0[c] > 100);
        }
    }
    assert!(lit > 1000, "the plain frame has bright pixels to halve");
    assert!(worst <= 1, "a pixel is {worst} levels from half its value");
    // By day the same config draws the plain frame.
    let day = frame_at(
        &dir,
        "day",
        "size = \"1280x256\"\nbrightness = [{ from = \"19:00\", until = \"06:30\", level = 0.5 }]",
        AT,
    );
    assert!(
        day == frame(&dir, "plain-day", "size = \"1280x256\""),
        "by day nothing is dimmed"
    );
}
