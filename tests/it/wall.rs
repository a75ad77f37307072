//! A video wall (issue 24, deliver 1 and 5), through the real binary on
//! lavapipe: six tiles of a 3×2 wall of 1920×1080 panels with bezels, each
//! rendered from its own config at one instant mid-fade, equal the whole
//! canvas (`render --canvas`) cut at their viewports; `check --config`
//! refuses a tile outside its grid, at its line.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use image::RgbaImage;
use std::path::Path;
use std::process::Command;

/// 0.5 s into the fade from the 街道 board to the 乡镇 board.
const MID_FADE: &str = "2026-11-28T10:00:00.500+08:00";

/// A tile's config: panel (col, row) of a 3×2 wall with 3.5 mm bezels on
/// 55-inch panels (1209.6 × 680.4 mm): 6 hidden pixels across and down.
fn tile_config(col: u32, row: u32) -> String {
    format!(
        "[screen]\nid = \"wall-{col}-{row}\"\nsize = \"1920x1080\"\n\n[wall]\ngrid = \"3x2\"\n\
         tile = {{ col = {col}, row = {row} }}\nbezel_mm = {{ h = 3.5, v = 3.5 }}\n\
         panel_mm = {{ width = 1209.6, height = 680.4 }}\n\n[[playlist]]\n\
         select = {{ level = \"township\" }}\nduration = 10\ntransition = {{ kind = \"fade\", duration = 1.0 }}\n"
    )
}

/// The one frame `render --config` (with `extra` arguments) writes.
fn render(dir: &Path, name: &str, config: &str, at: &str, extra: &[&str]) -> RgbaImage {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, config).unwrap();
    let out = dir.join(name);
    let status = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["render", "--config"])
        .arg(&path)
        .args(["--at", at, "--out"])
        .arg(&out)
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success(), "render {name}");
    let file = std::fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    image::open(file).unwrap().to_rgba8()
}

/// Pixels of `tile` that differ from `canvas` at (x, y) by more than 2 in a channel.
fn unlike(canvas: &RgbaImage, tile: &RgbaImage, (x, y): (u32, u32)) -> usize {
    tile.enumerate_pixels()
        .filter(|(px, py, p)| {
            let c = canvas.get_pixel(px + x, py + y);
            (0..3).any(|k| (i32::from(p.0[k]) - i32::from(c.0[k])).abs() > 2)
        })
        .count()
}

#[test]
fn the_tiles_of_a_wall_are_the_canvas_cut_at_their_viewports() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("wall");
    let canvas = render(&dir, "canvas", &tile_config(0, 0), MID_FADE, &["--canvas"]);
    // 3 × 1920 + 2 × 6 across, 2 × 1080 + 6 down.
    assert_eq!(canvas.dimensions(), (5772, 2166));
    let after = render(
        &dir,
        "after",
        &tile_config(0, 0),
        "2026-11-28T10:00:03+08:00",
        &[],
    );
    for row in 0..2 {
        for col in 0..3 {
            let tile = render(
                &dir,
                &format!("tile-{col}-{row}"),
                &tile_config(col, row),
                MID_FADE,
                &[],
            );
            assert_eq!(tile.dimensions(), (1920, 1080));
            let at = (col * 1926, row * 1086);
            let off = unlike(&canvas, &tile, at);
            assert_eq!(
                off, 0,
                "tile ({col}, {row}) differs from the canvas at {at:?} in {off} pixels"
            );
            if (col, row) == (0, 0) {
                assert!(
                    tile != after,
                    "the instant is mid-fade: the tile differs from the page after it"
                );
            }
        }
    }
}

#[test]
fn check_config_refuses_a_tile_outside_its_grid_at_its_line() {
    let dir = common::temp_dir("wall-check");
    let path = dir.join("tile.toml");
    let cases = [
        (
            tile_config(3, 0),
            "7:8: error: tile (3, 0) is outside the 3x2 grid",
        ),
        (
            tile_config(0, 0).replace(
                "bezel_mm = { h = 3.5, v = 3.5 }\npanel_mm = { width = 1209.6, height = 680.4 }\n",
                "canvas = \"3000x2000\"\n",
            ),
            "8:10: error: the grid with its bezels needs a 5760x2160 canvas",
        ),
        (
            tile_config(0, 0).replace("panel_mm = { width = 1209.6, height = 680.4 }\n", ""),
            "8:12: error: bezels need the panel's visible size in mm",
        ),
        (
            "[screen]\nid = \"v\"\nsize = \"1920x1080\"\n\n[wall]\ncanvas = \"3840x1080\"\n\
             viewport = { x = 3000, y = 0, width = 1920, height = 1080 }\n"
                .to_string(),
            "7:12: error: the viewport 1920x1080 at (3000, 0) lies outside the 3840x1080 canvas",
        ),
        (
            // Five 1080p panels across: more than one box lays out.
            tile_config(0, 0)
                .replace("grid = \"3x2\"", "grid = \"5x1\"")
                .replace("bezel_mm = { h = 3.5, v = 3.5 }\npanel_mm = { width = 1209.6, height = 680.4 }\n", ""),
            "6:8: error: the grid with its bezels makes a 9600x1080 canvas, more than 8192 pixels a side",
        ),
        (
            // A bezel of 10^30 mm: no number wraps into a small canvas.
            tile_config(0, 0).replace("h = 3.5", "h = 1e30"),
            "6:8: error: the grid with its bezels makes a ",
        ),
        (
            "[screen]\nid = \"v\"\noutput = \"1920x1080\"\nregion = { x = 0, y = 0, width = 1280, height = 256 }\n\n\
             [wall]\ngrid = \"2x1\"\ntile = { col = 0, row = 0 }\n"
                .to_string(),
            "8:8: error: a tile of a wall cannot also take a region of its output",
        ),
        (
            "[screen]\nid = \"v\"\nsize = \"1920x1080\"\n\n[wall]\ncanvas = \"3840x1080\"\n\
             viewport = { x = 4294967295, y = 0, width = 1920, height = 1080 }\n"
                .to_string(),
            "7:12: error: the viewport 1920x1080 at (4294967295, 0) lies outside the 3840x1080 canvas",
        ),
    ];
    for (config, wanted) in cases {
        std::fs::write(&path, &config).unwrap();
        let (code, text) = common::check_config(&path);
        assert_eq!(code, Some(1), "{config}: {text}");
        let wanted = format!("{}:{wanted}", path.display());
        assert!(text.lines().any(|l| l.starts_with(&wanted)), "{wanted}\n{text}");
    }
}

/// Three `run --headless` boxes, the tiles of a 3×1 wall of 1280×720
/// panels, show side by side what `render --canvas` shows of that page.
#[test]
fn three_running_tiles_show_the_canvas_side_by_side() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    // One still page an hour: the three screenshots and the render fall on it.
    let config = |col: u32| {
        format!(
            "[screen]\nid = \"tile-{col}\"\nsize = \"1280x720\"\n\n[wall]\ngrid = \"3x1\"\n\
             tile = {{ col = {col}, row = 0 }}\n\n[[playlist]]\nboard = \"towns-2026-11\"\n\
             duration = 3600\n"
        )
    };
    let screens: Vec<_> = (0..3)
        .map(|col| common::screen::Screen::start(&config(col), "1280x720", &[], &[]))
        .collect();
    let shots: Vec<RgbaImage> = screens.iter().map(|s| s.screenshot()).collect();
    let now = chrono::Local::now().to_rfc3339();
    let dir = common::temp_dir("wall-run");
    let canvas = render(&dir, "canvas", &config(0), &now, &["--canvas"]);
    assert_eq!(canvas.dimensions(), (3840, 720));
    for (col, shot) in shots.iter().enumerate() {
        assert_eq!(shot.dimensions(), (1280, 720), "tile {col}'s screenshot");
        let off = unlike(&canvas, shot, (col as u32 * 1280, 0));
        assert_eq!(off, 0, "tile {col} differs from the canvas in {off} pixels");
    }
}

/// The peak memory (VmHWM, KiB) of a running screen's process.
fn peak_kib(screen: &common::screen::Screen) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", screen.pid())).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A tile of a 3×2 wall of 1920×1080 panels draws only its window of the
/// 5760×2160 canvas: its peak memory is within 10 % of a lone 1920×1080
/// screen's on the same page.
#[test]
fn a_tile_needs_no_more_memory_than_a_lone_screen() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let playlist = "[[playlist]]\nboard = \"towns-2026-11\"\nduration = 3600\n";
    let lone = format!("[screen]\nid = \"lone\"\nsize = \"1920x1080\"\n\n{playlist}");
    let tile = format!(
        "[screen]\nid = \"tile\"\nsize = \"1920x1080\"\n\n[wall]\ngrid = \"3x2\"\ntile = {{ col = 1, row = 1 }}\n\n{playlist}"
    );
    let mut peaks = Vec::new();
    for config in [lone, tile] {
        let screen = common::screen::Screen::start(&config, "1920x1080", &[], &[]);
        let _ = screen.screenshot();
        peaks.push(peak_kib(&screen));
    }
    let (lone, tile) = (peaks[0] as f64, peaks[1] as f64);
    eprintln!(
        "peak RSS: lone 1920x1080 {:.1} MiB, tile of 5760x2160 {:.1} MiB",
        lone / 1024.0,
        tile / 1024.0
    );
    assert!(
        tile <= lone * 1.10,
        "the tile peaks at {tile} KiB, the lone screen at {lone} KiB"
    );
}

/// Panels mounted portrait: each box turns its window of the canvas to
/// read upright on the turned panel.
#[test]
fn a_portrait_tile_is_its_window_of_the_canvas_turned() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let config = |col: u32| {
        format!(
            "[screen]\nid = \"p{col}\"\nsize = \"1920x1080\"\nrotation = 90\n\n[wall]\ngrid = \"2x1\"\n\
             tile = {{ col = {col}, row = 0 }}\n\n[[playlist]]\nboard = \"towns-2026-11\"\nduration = 3600\n"
        )
    };
    let dir = common::temp_dir("wall-portrait");
    let at = "2026-11-28T10:00:05+08:00";
    let canvas = render(&dir, "canvas", &config(0), at, &["--canvas"]);
    assert_eq!(
        canvas.dimensions(),
        (2160, 1920),
        "two 1080×1920 windows side by side"
    );
    for col in 0..2 {
        let tile = render(&dir, &format!("tile-{col}"), &config(col), at, &[]);
        assert_eq!(tile.dimensions(), (1920, 1080), "the panel's own pixels");
        // Turned a quarter clockwise, as the panel is mounted, it reads as the window.
        let upright = image::imageops::rotate90(&tile);
        let off = unlike(&canvas, &upright, (col * 1080, 0));
        assert_eq!(
            off, 0,
            "portrait tile {col} differs from its window in {off} pixels"
        );
    }
}

/// A strip wall of three 1280×256 panels: the red list scrolls across the
/// 3840×256 canvas as one line, each tile showing its window of it.
#[test]
fn the_marquee_runs_across_the_tiles_as_one_line() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let config = |col: u32| {
        format!(
            "[screen]\nid = \"m{col}\"\nsize = \"1280x256\"\n\n[wall]\ngrid = \"3x1\"\n\
             tile = {{ col = {col}, row = 0 }}\n\n[[playlist]]\nselect = {{ list = \"red\" }}\nduration = 600\n"
        )
    };
    let dir = common::temp_dir("wall-marquee");
    let mut differ = false;
    for (k, at) in ["2026-11-28T10:00:07+08:00", "2026-11-28T10:00:09.250+08:00"]
        .iter()
        .enumerate()
    {
        let canvas = render(&dir, &format!("canvas-{k}"), &config(0), at, &["--canvas"]);
        assert_eq!(canvas.dimensions(), (3840, 256));
        for col in 0..3 {
            let tile = render(&dir, &format!("tile-{k}-{col}"), &config(col), at, &[]);
            let off = unlike(&canvas, &tile, (col * 1280, 0));
            assert_eq!(
                off, 0,
                "at {at} tile {col} differs from its window of the line in {off} pixels"
            );
        }
        if k == 1 {
            let before = image::open(
                std::fs::read_dir(dir.join("canvas-0"))
                    .unwrap()
                    .next()
                    .unwrap()
                    .unwrap()
                    .path(),
            )
            .unwrap()
            .to_rgba8();
            differ = before != canvas;
        }
    }
    assert!(differ, "the line moved between the two instants");
}

/// A slide crosses the wall as one picture: mid-slide, each tile of a 3×1
/// wall is its window of the canvas, the old page leaving on the left and
/// the new one coming in from the right across all three panels.
#[test]
fn a_slide_crosses_the_wall_as_one_picture() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let config = |col: u32| {
        format!(
            "[screen]\nid = \"s{col}\"\nsize = \"1280x720\"\n\n[wall]\ngrid = \"3x1\"\n\
             tile = {{ col = {col}, row = 0 }}\n\n[[playlist]]\nselect = {{ level = \"township\" }}\n\
             duration = 10\ntransition = {{ kind = \"slide\", duration = 1.0 }}\n"
        )
    };
    let dir = common::temp_dir("wall-slide");
    let mid = "2026-11-28T10:00:00.500+08:00";
    let canvas = render(&dir, "canvas", &config(0), mid, &["--canvas"]);
    let settled = render(
        &dir,
        "settled",
        &config(0),
        "2026-11-28T10:00:05+08:00",
        &["--canvas"],
    );
    assert!(canvas != settled, "the instant is mid-slide");
    for col in 0..3 {
        let tile = render(&dir, &format!("tile-{col}"), &config(col), mid, &[]);
        let off = unlike(&canvas, &tile, (col * 1280, 0));
        assert_eq!(
            off, 0,
            "tile {col} differs from its window of the slide in {off} pixels"
        );
    }
    // Halfway in time is halfway in distance (ease(0.5) = 0.5): the new
    // page's left half fills the canvas's right half, one picture across
    // tiles 1 and 2.
    let arrived = image::imageops::crop_imm(&canvas, 1920, 0, 1920, 720).to_image();
    let left_half = image::imageops::crop_imm(&settled, 0, 0, 1920, 720).to_image();
    let off = unlike(&left_half, &arrived, (0, 0));
    assert_eq!(
        off, 0,
        "the canvas's right half is not the new page's left half in {off} pixels"
    );
}
