//! `[wall]`: one canvas across the panels of a video wall. Every box lays
//! out the whole canvas and draws its own window of it (its viewport), so
//! the tiles agree by construction; bezels become gaps of hidden pixels, so
//! a line crossing two panels stays straight.

use super::diagnostic::{error, quoted, Diagnostic, Locator};
use super::raw::WallSection;
use super::settings::{OutputRegion, ScreenSettings, WallSettings};
use crate::panel::parse_pair;
use toml::Spanned;

/// The wall's canvas and this box's viewport; `None` without `[wall]` or
/// when it is wrong (each error is located in `out`).
pub(super) fn wall(
    loc: &Locator,
    w: &WallSection,
    screen: &ScreenSettings,
    out: &mut Vec<Diagnostic>,
) -> Option<WallSettings> {
    if !w.given() {
        return None;
    }
    // The tile's picture, as laid out: a panel mounted portrait is turned.
    let Some(panel) = screen.size.fixed() else {
        let message = "a tile of a wall needs its panel's size".to_string();
        out.push(error(loc, 0..0, message, "set [screen] size, e.g. \"1920x1080\""));
        return None;
    };
    if screen.region.is_some() {
        // A wall lays out its canvas at the tiles' size; a region lays out at
        // its own and shifts the frame. Both at once is not a picture anyone
        // could predict, so it is refused rather than drawn wrong.
        let span = (w.tile.as_ref().map(Spanned::span))
            .or_else(|| w.viewport.as_ref().map(Spanned::span))
            .unwrap_or(0..0);
        let message = "a tile of a wall cannot also take a region of its output".to_string();
        out.push(error(
            loc,
            span,
            message,
            "leave [screen] region out: each box of a wall drives its panel whole",
        ));
        return None;
    }
    let (tw, th) = if screen.rotation.swaps_sides() {
        (panel.height, panel.width)
    } else {
        (panel.width, panel.height)
    };
    let placed = match (&w.tile, &w.viewport) {
        (Some(tile), None) => from_grid(loc, w, tile, (tw, th), out)?,
        (None, Some(v)) => {
            let r = v.get_ref();
            if (r.width, r.height) != (tw, th) {
                let message = format!(
                    "the viewport is {}x{} but the panel shows {tw}x{th}",
                    r.width, r.height
                );
                out.push(error(
                    loc,
                    v.span(),
                    message,
                    "a viewport is the panel's own size",
                ));
                return None;
            }
            Placed {
                viewport: OutputRegion {
                    x: r.x,
                    y: r.y,
                    width: r.width,
                    height: r.height,
                },
                canvas: None,
            }
        }
        _ => {
            let message = "give the tile's place: tile = { col, row } with grid, or viewport".to_string();
            out.push(error(
                loc,
                0..0,
                message,
                "e.g. grid = \"3x2\" and tile = { col = 0, row = 1 }",
            ));
            return None;
        }
    };
    let canvas = canvas(loc, w, placed.canvas, out)?;
    let v = placed.viewport;
    // In 64 bits: a viewport's x and width are each up to 2^32.
    let end = |at: u32, len: u32| u64::from(at) + u64::from(len);
    let inside = end(v.x, v.width) <= u64::from(canvas.0) && end(v.y, v.height) <= u64::from(canvas.1);
    if !inside {
        let message = format!(
            "the viewport {}x{} at ({}, {}) lies outside the {}x{} canvas",
            v.width, v.height, v.x, v.y, canvas.0, canvas.1
        );
        let span = w.viewport.as_ref().map_or(0..0, Spanned::span);
        out.push(error(loc, span, message, "check canvas, grid, tile and bezels"));
        return None;
    }
    Some(WallSettings { canvas, viewport: v })
}

/// A viewport, and the canvas the grid implies.
struct Placed {
    viewport: OutputRegion,
    canvas: Option<(u32, u32)>,
}

/// The viewport of tile (col, row) of `grid`, the bezels skipped.
fn from_grid(
    loc: &Locator,
    w: &WallSection,
    tile: &Spanned<super::raw::TilePos>,
    (tw, th): (u32, u32),
    out: &mut Vec<Diagnostic>,
) -> Option<Placed> {
    let Some(grid) = &w.grid else {
        out.push(error(
            loc,
            tile.span(),
            "a tile needs the wall's grid".into(),
            "e.g. grid = \"3x2\"",
        ));
        return None;
    };
    let Some((cols, rows)) = parse_pair(grid.get_ref()).filter(|(c, r)| *c >= 1 && *r >= 1) else {
        let message = format!("grid `{}` is not COLUMNSxROWS", quoted(grid.get_ref()));
        out.push(error(loc, grid.span(), message, "e.g. grid = \"3x2\""));
        return None;
    };
    let t = tile.get_ref();
    if t.col >= cols || t.row >= rows {
        let message = format!("tile ({}, {}) is outside the {cols}x{rows} grid", t.col, t.row);
        out.push(error(loc, tile.span(), message, "columns and rows count from 0"));
        return None;
    }
    let (gx, gy) = gaps(loc, w, (tw, th), out)?;
    // In 64 bits, so that no grid or bezel wraps: the canvas is then held
    // to what one box lays out.
    let length = |n: u32, t: u32, g: u32| {
        let gaps = u64::from(n - 1).saturating_mul(u64::from(g));
        (u64::from(n) * u64::from(t)).saturating_add(gaps)
    };
    let (cw, ch) = (length(cols, tw, gx), length(rows, th, gy));
    let max = u64::from(crate::panel::MAX_SIDE);
    let (Ok(cw), Ok(ch)) = (u32::try_from(cw), u32::try_from(ch)) else {
        return too_large(loc, grid, (cw, ch), out);
    };
    if u64::from(cw) > max || u64::from(ch) > max {
        return too_large(loc, grid, (u64::from(cw), u64::from(ch)), out);
    }
    let viewport = OutputRegion {
        x: t.col * (tw + gx),
        y: t.row * (th + gy),
        width: tw,
        height: th,
    };
    let canvas = (cw, ch);
    Some(Placed {
        viewport,
        canvas: Some(canvas),
    })
}

/// Refuses a grid whose canvas is larger than one box lays out.
fn too_large(
    loc: &Locator,
    grid: &Spanned<String>,
    (w, h): (u64, u64),
    out: &mut Vec<Diagnostic>,
) -> Option<Placed> {
    let message = format!(
        "the grid with its bezels makes a {w}x{h} canvas, more than {} pixels a side",
        crate::panel::MAX_SIDE
    );
    out.push(error(
        loc,
        grid.span(),
        message,
        "split the wall into walls of at most 8192 pixels a side",
    ));
    None
}

/// The bezels as pixels hidden between two panels, across and down.
fn gaps(
    loc: &Locator,
    w: &WallSection,
    (tw, th): (u32, u32),
    out: &mut Vec<Diagnostic>,
) -> Option<(u32, u32)> {
    let Some(bezel) = &w.bezel_mm else {
        return Some((0, 0));
    };
    let Some(panel) = &w.panel_mm else {
        let message = "bezels need the panel's visible size in mm".to_string();
        out.push(error(
            loc,
            bezel.span(),
            message,
            "add panel_mm = { width = 1209.6, height = 680.4 }",
        ));
        return None;
    };
    let (b, p) = (bezel.get_ref(), panel.get_ref());
    let sane = |v: f64| v.is_finite() && v >= 0.0;
    if !(sane(b.h)
        && sane(b.v)
        && p.width > 0.0
        && p.height > 0.0
        && p.width.is_finite()
        && p.height.is_finite())
    {
        let message = "bezel and panel sizes must be positive millimetres".to_string();
        out.push(error(
            loc,
            bezel.span(),
            message,
            "e.g. bezel_mm = { h = 3.5, v = 3.5 }",
        ));
        return None;
    }
    let gx = (b.h * f64::from(tw) / p.width).round() as u32;
    let gy = (b.v * f64::from(th) / p.height).round() as u32;
    Some((gx, gy))
}

/// The canvas: as given (it must hold the grid), else the grid's.
fn canvas(
    loc: &Locator,
    w: &WallSection,
    from_grid: Option<(u32, u32)>,
    out: &mut Vec<Diagnostic>,
) -> Option<(u32, u32)> {
    let Some(text) = &w.canvas else {
        if from_grid.is_none() {
            out.push(error(
                loc,
                0..0,
                "a viewport needs the wall's canvas".into(),
                "e.g. canvas = \"5760x2160\"",
            ));
        }
        return from_grid;
    };
    let Some(size) = crate::panel::PanelSize::parse(text.get_ref()).ok() else {
        let message = format!(
            "canvas `{}` is not a size rankwall lays out",
            quoted(text.get_ref())
        );
        out.push(error(
            loc,
            text.span(),
            message,
            "WIDTHxHEIGHT: 320 to 8192 wide, 128 to 8192 high",
        ));
        return None;
    };
    let given = (size.width, size.height);
    if let Some(need) = from_grid.filter(|n| n.0 > given.0 || n.1 > given.1) {
        let message = format!("the grid with its bezels needs a {}x{} canvas", need.0, need.1);
        out.push(error(
            loc,
            text.span(),
            message,
            "leave canvas out to use the grid's size",
        ));
        return None;
    }
    Some(given)
}
