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
    ];
    for (config, wanted) in cases {
        std::fs::write(&path, &config).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_rankwall"))
            .args(["check", "--config"])
            .arg(&path)
            .env("LANG", "C")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{config}: {text}");
        let wanted = format!("{}:{wanted}", path.display());
        assert!(text.lines().any(|l| l.starts_with(&wanted)), "{wanted}\n{text}");
    }
}
