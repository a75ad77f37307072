//! The scene: positioned rectangles and text runs in whole screen pixels.
//!
//! A scene is the only thing the renderer consumes. Layout produces it on the
//! CPU, so everything about what goes where can be tested without a GPU.

use serde::Serialize;

/// An sRGB colour with straight alpha, 8 bits per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// An opaque colour from a 0xRRGGBB value.
    pub const fn hex(rgb: u32) -> Self {
        Rgba((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8, 255)
    }

    /// The relative luminance defined by WCAG 2, from 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The WCAG contrast ratio between two opaque colours (1 to 21).
    pub fn contrast(self, other: Rgba) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

/// An axis-aligned rectangle in pixels; `x`, `y` is the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rect {
    /// The left edge, in pixels from the scene's left.
    pub x: f32,
    /// The top edge, in pixels from the scene's top.
    pub y: f32,
    /// The width in pixels.
    pub w: f32,
    /// The height in pixels.
    pub h: f32,
}

impl Rect {
    /// The rectangle with its top-left corner at `x`, `y`, `w` by `h` pixels.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Rect { x, y, w, h }
    }

    /// The right edge, `x + w`.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The bottom edge, `y + h`.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Whether `inner` lies inside this rectangle, allowing `slack` pixels.
    pub fn contains(&self, inner: &Rect, slack: f32) -> bool {
        inner.x >= self.x - slack
            && inner.y >= self.y - slack
            && inner.right() <= self.right() + slack
            && inner.bottom() <= self.bottom() + slack
    }

    /// The same rectangle shrunk by `dx` on the left and right, `dy` on top and bottom.
    pub fn inset(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(
            self.x + dx,
            self.y + dy,
            (self.w - 2.0 * dx).max(0.0),
            (self.h - 2.0 * dy).max(0.0),
        )
    }

    /// The rectangle with every edge moved to a whole pixel.
    pub fn snapped(&self) -> Rect {
        let (x, y) = (self.x.round(), self.y.round());
        Rect::new(x, y, self.right().round() - x, self.bottom().round() - y)
    }
}

/// A filled rectangle, optionally with rounded corners.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quad {
    /// Where it is filled; [`Scene::fill`] snaps it to whole pixels.
    pub rect: Rect,
    /// The fill colour, alpha included.
    pub color: Rgba,
    /// The corner radius in pixels (0: square corners; at most half the shorter side).
    pub radius: f32,
}

/// The weight of a text run; the bundled fonts provide exactly these two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Weight {
    /// The bundled Noto Sans CJK SC Regular.
    Regular,
    /// The bundled Noto Sans CJK SC Bold.
    Bold,
}

/// Horizontal alignment of a text run inside its box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Align {
    /// Flush with the box's left edge.
    Left,
    /// Centred in the box.
    Center,
    /// Flush with the box's right edge.
    Right,
}

/// One run of text, already fitted: the renderer draws `text` as it is.
///
/// The text is shaped with the line box starting at `origin_y`, aligned
/// horizontally inside `clip`, and every pixel outside `clip` is discarded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextRun {
    /// The characters to draw, already cut to fit.
    pub text: String,
    /// The box the text belongs to; nothing is drawn outside it.
    pub clip: Rect,
    /// The top of the first line box, a whole pixel.
    pub origin_y: f32,
    /// The font size in pixels.
    pub size: f32,
    /// The height of one line box in pixels (the step between wrapped lines).
    pub line_height: f32,
    /// Which of the two bundled faces.
    pub weight: Weight,
    /// Where the text sits horizontally in `clip`.
    pub align: Align,
    /// The glyphs' colour.
    pub color: Rgba,
    /// Whether the text wraps at the box width (notice bodies).
    pub wrap: bool,
    /// How far right of its aligned place the text is drawn, in whole pixels
    /// (negative: left). Only a marquee moves text; everything else is 0.
    pub shift_x: f32,
}

/// A straight stroke between two points with round ends, anti-aliased: a
/// polyline is its segments one after the other (the round ends make its
/// joins), a dot is a segment of no length. Charts draw with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    /// Where the stroke starts, in pixels (x, y).
    pub from: (f32, f32),
    /// Where it ends, in pixels (x, y).
    pub to: (f32, f32),
    /// The stroke's width in pixels (a dot's diameter).
    pub width: f32,
    /// The stroke's colour, alpha included.
    pub color: Rgba,
}

impl Line {
    /// The smallest rectangle that holds the whole stroke, ends included.
    pub fn bounds(&self) -> Rect {
        let r = self.width / 2.0;
        let (x0, x1) = (self.from.0.min(self.to.0), self.from.0.max(self.to.0));
        let (y0, y1) = (self.from.1.min(self.to.1), self.from.1.max(self.to.1));
        Rect::new(x0 - r, y0 - r, x1 - x0 + 2.0 * r, y1 - y0 + 2.0 * r)
    }

    fn moved(&self, dx: f32, dy: f32) -> Line {
        Line {
            from: (self.from.0 + dx, self.from.1 + dy),
            to: (self.to.0 + dx, self.to.1 + dy),
            ..self.clone()
        }
    }
}

/// A whole frame: background, rectangles in painting order, then text on top.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scene {
    /// The frame's width in pixels.
    pub width: u32,
    /// The frame's height in pixels.
    pub height: u32,
    /// The colour the frame is cleared to, under everything.
    pub background: Rgba,
    /// Filled rectangles in painting order (a later one covers an earlier one).
    pub quads: Vec<Quad>,
    /// Strokes of charts, drawn over every quad.
    pub lines: Vec<Line>,
    /// Text runs, drawn over every quad and line.
    pub texts: Vec<TextRun>,
}

impl Scene {
    /// An empty `width` × `height` frame of `background`.
    pub fn new(width: u32, height: u32, background: Rgba) -> Self {
        Scene {
            width,
            height,
            background,
            quads: Vec::new(),
            lines: Vec::new(),
            texts: Vec::new(),
        }
    }

    /// The whole screen as a rectangle.
    pub fn bounds(&self) -> Rect {
        Rect::new(0.0, 0.0, self.width as f32, self.height as f32)
    }

    /// Adds a quad over the ones before it, `rect` snapped to whole pixels.
    pub fn fill(&mut self, rect: Rect, color: Rgba, radius: f32) {
        self.quads.push(Quad {
            rect: rect.snapped(),
            color,
            radius,
        });
    }

    /// Adds a stroke from `from` to `to` over the quads (see [`Line`]).
    pub fn stroke(&mut self, from: (f32, f32), to: (f32, f32), width: f32, color: Rgba) {
        self.lines.push(Line {
            from,
            to,
            width,
            color,
        });
    }

    /// Rows `top..top + rows` of this scene as a scene of their own: the
    /// quads and text runs that reach into them, moved up by `top` (whole
    /// pixels, so every edge and glyph lands on the same pixel grid). Drawn
    /// band after band, a frame needs a target of one band, not of its
    /// whole height; rows below the frame's bottom stay background.
    pub fn band(&self, top: u32, rows: u32) -> Scene {
        let (from, to) = (top as f32, top.saturating_add(rows) as f32);
        self.cut((0.0, from), |r| r.bottom() > from && r.y < to, (self.width, rows))
    }

    /// The quads and text runs whose boxes `keep` holds, moved by
    /// (−`dx`, −`dy`), as a `width` × `height` scene.
    fn cut(&self, (dx, dy): (f32, f32), keep: impl Fn(&Rect) -> bool, (width, height): (u32, u32)) -> Scene {
        let moved = |r: &Rect| Rect::new(r.x - dx, r.y - dy, r.w, r.h);
        Scene {
            width,
            height,
            background: self.background,
            quads: (self.quads.iter())
                .filter(|q| keep(&q.rect))
                .map(|q| Quad {
                    rect: moved(&q.rect),
                    ..q.clone()
                })
                .collect(),
            lines: (self.lines.iter())
                .filter(|l| keep(&l.bounds()))
                .map(|l| l.moved(-dx, -dy))
                .collect(),
            texts: (self.texts.iter())
                .filter(|t| keep(&t.clip))
                .map(|t| TextRun {
                    clip: moved(&t.clip),
                    origin_y: t.origin_y - dy,
                    ..t.clone()
                })
                .collect(),
        }
    }
}

impl Scene {
    /// This scene's quads and text runs moved right by `dx` whole pixels
    /// (left when negative), painted over `under`'s: one frame of a slide
    /// across a wall's canvas is the old page moved left and the new one
    /// coming in from the right.
    pub fn over_shifted(&self, under: Scene, dx: i32) -> Scene {
        let dx = dx as f32;
        let mut out = under;
        out.quads.extend(self.quads.iter().map(|q| Quad {
            rect: Rect::new(q.rect.x + dx, q.rect.y, q.rect.w, q.rect.h),
            ..q.clone()
        }));
        out.lines.extend(self.lines.iter().map(|l| l.moved(dx, 0.0)));
        out.texts.extend(self.texts.iter().map(|t| TextRun {
            clip: Rect::new(t.clip.x + dx, t.clip.y, t.clip.w, t.clip.h),
            ..t.clone()
        }));
        out
    }

    /// The `w` × `h` window of this scene whose top left is at (`x`, `y`),
    /// as a scene of its own: the quads and text runs that reach into it,
    /// moved by (−`x`, −`y`) in whole pixels. A tile of a video wall draws
    /// its window of the canvas's scene, so it rasterises no more than a
    /// lone screen of its size.
    pub fn window(&self, x: u32, y: u32, w: u32, h: u32) -> Scene {
        let area = Rect::new(x as f32, y as f32, w as f32, h as f32);
        let reaches =
            |r: &Rect| r.right() > area.x && r.x < area.right() && r.bottom() > area.y && r.y < area.bottom();
        self.cut((area.x, area.y), reaches, (w, h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(clip: Rect, origin_y: f32) -> TextRun {
        TextRun {
            text: "排名".into(),
            clip,
            origin_y,
            size: 40.0,
            line_height: 48.0,
            weight: Weight::Regular,
            align: Align::Left,
            color: Rgba::hex(0xffffff),
            wrap: false,
            shift_x: 0.0,
        }
    }

    #[test]
    fn a_band_keeps_what_reaches_into_it_moved_up_by_whole_rows() {
        let mut scene = Scene::new(100, 300, Rgba::hex(0));
        scene.fill(Rect::new(0.0, 0.0, 100.0, 50.0), Rgba::hex(1), 0.0); // rows 0..50
        scene.fill(Rect::new(0.0, 90.0, 100.0, 120.0), Rgba::hex(2), 4.0); // rows 90..210
        scene.fill(Rect::new(0.0, 250.0, 100.0, 50.0), Rgba::hex(3), 0.0); // rows 250..300
        scene.texts.push(run(Rect::new(0.0, 120.0, 100.0, 48.0), 124.5));
        scene.texts.push(run(Rect::new(0.0, 0.0, 100.0, 48.0), 2.0));
        let band = scene.band(100, 100);
        assert_eq!(
            (band.width, band.height, band.background),
            (100, 100, scene.background)
        );
        assert_eq!(band.quads.len(), 1, "{:?}", band.quads);
        assert_eq!(band.quads[0].rect, Rect::new(0.0, -10.0, 100.0, 120.0));
        assert_eq!(band.quads[0].radius, 4.0);
        assert_eq!(band.texts.len(), 1);
        assert_eq!(band.texts[0].clip, Rect::new(0.0, 20.0, 100.0, 48.0));
        assert_eq!(band.texts[0].origin_y, 24.5);
        // The last band may reach past the bottom: only what is there comes along.
        let last = scene.band(280, 100);
        assert_eq!(last.quads.len(), 1);
        assert_eq!(last.quads[0].rect.y, -30.0);
        // Edges are exclusive: a quad ending where the band starts is not in it.
        assert!(scene.band(50, 40).quads.is_empty());
    }
}
