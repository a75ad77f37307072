//! The painter: appends fitted text runs and snapped quads to a scene.

use super::profile::ScreenProfile;
use crate::scene::{Align, Rect, Rgba, Scene, TextRun, Weight};
use crate::text::Fonts;

pub(crate) struct Painter<'f> {
    pub fonts: &'f mut Fonts,
    pub scene: Scene,
    pub min_text: f32,
}

impl<'f> Painter<'f> {
    pub fn new(fonts: &'f mut Fonts, profile: &ScreenProfile) -> Self {
        Painter {
            fonts,
            scene: Scene::new(profile.width, profile.height, Rgba::hex(0)),
            min_text: profile.min_text,
        }
    }

    pub fn finish(self) -> Scene {
        self.scene
    }

    pub fn fill(&mut self, rect: Rect, color: Rgba, radius: f32) {
        self.scene.fill(rect, color, radius);
    }

    /// One line of text fitted into `rect` (shrunk, then cut with "…") and
    /// centred vertically on it. Returns the width drawn.
    pub fn line(
        &mut self,
        text: &str,
        rect: Rect,
        size: f32,
        weight: Weight,
        align: Align,
        color: Rgba,
    ) -> f32 {
        let rect = rect.snapped();
        if text.is_empty() || rect.w < 1.0 || rect.h < 1.0 {
            return 0.0;
        }
        // Never below the minimum text size; layout keeps boxes tall enough for it.
        let size = size.max(self.min_text).min(rect.h).floor().max(1.0);
        let fitted = self.fonts.fit_line(text, rect.w, size, self.min_text, weight);
        if fitted.text.is_empty() {
            return 0.0;
        }
        let top = self.fonts.line_top_for_center(fitted.size, rect.y + rect.h / 2.0);
        self.scene.texts.push(TextRun {
            text: fitted.text,
            clip: rect,
            origin_y: top,
            size: fitted.size,
            line_height: crate::text::line_height(fitted.size),
            weight,
            align,
            color,
            wrap: false,
            shift_x: 0.0,
        });
        fitted.width
    }

    /// The one size a table column is set in on a page: the largest, up to
    /// `size`, at which every one of `texts` fits `w` on one line, and not
    /// below `min_text` (a cell that does not fit there is wrapped or cut
    /// by [`Painter::cell`]). Signage sets a column in one size.
    pub fn column_size<'t>(
        &mut self,
        texts: impl IntoIterator<Item = &'t str>,
        w: f32,
        h: f32,
        size: f32,
        weight: Weight,
    ) -> f32 {
        let size = size.max(self.min_text).min(h).floor().max(1.0);
        texts
            .into_iter()
            .filter(|t| !t.is_empty())
            .map(|t| {
                self.fonts
                    .fit_line(t, w.floor(), size, self.min_text, weight)
                    .size
            })
            .fold(size, f32::min)
    }

    /// A table cell at its column's `size` ([`Painter::column_size`]): one
    /// line when it fits; else two lines at the same size where the row has
    /// room for them, the second cut with "…" if need be; else one line cut.
    pub fn cell(&mut self, text: &str, rect: Rect, size: f32, weight: Weight, align: Align, color: Rgba) {
        let rect = rect.snapped();
        let size = size.max(self.min_text).min(rect.h).floor().max(1.0);
        let step = crate::text::line_height(size);
        let fits = self.fonts.line_width(text, size, weight) <= rect.w;
        if fits || rect.h < 2.0 * step || text.is_empty() {
            self.line(text, rect, size, weight, align, color);
            return;
        }
        let lines = self.fonts.wrapped_lines(text, rect.w, size, weight);
        let (first, rest) = match lines.split_first() {
            Some((first, rest)) if !rest.is_empty() => (first.clone(), rest.concat()),
            _ => {
                self.line(text, rect, size, weight, align, color);
                return;
            }
        };
        let top = (rect.y + (rect.h - 2.0 * step) / 2.0).round();
        for (k, line) in [first, rest].iter().enumerate() {
            let half = Rect::new(rect.x, top + k as f32 * step, rect.w, step);
            self.line_in(line, half, rect, size, weight, align, color);
        }
    }

    /// One line of body text at exactly `size` in `rect` (cut with "…" only
    /// if it does not fit: the caller broke it to fit).
    pub fn text_line(&mut self, text: &str, rect: Rect, size: f32, weight: Weight, color: Rgba) {
        let rect = rect.snapped();
        self.line_in(text, rect, rect, size, weight, Align::Left, color);
    }

    /// One line fitted into `line` at exactly `size` (cut with "…" if need
    /// be), drawn within the cell `clip` it belongs to.
    #[allow(clippy::too_many_arguments)]
    fn line_in(
        &mut self,
        text: &str,
        line: Rect,
        clip: Rect,
        size: f32,
        weight: Weight,
        align: Align,
        color: Rgba,
    ) {
        let fitted = self.fonts.fit_line(text, line.w, size, size, weight);
        if fitted.text.is_empty() {
            return;
        }
        let top = self.fonts.line_top_for_center(fitted.size, line.y + line.h / 2.0);
        self.scene.texts.push(TextRun {
            text: fitted.text,
            clip,
            origin_y: top,
            size: fitted.size,
            line_height: crate::text::line_height(fitted.size),
            weight,
            align,
            color,
            wrap: false,
            shift_x: 0.0,
        });
    }

    /// A rounded badge with centred text.
    pub fn badge(&mut self, text: &str, rect: Rect, size: f32, fill: Rgba, color: Rgba) {
        let rect = rect.snapped();
        self.fill(rect, fill, (rect.h * 0.22).round());
        let pad = (rect.h * 0.12).round();
        self.line(
            text,
            rect.inset(pad, 0.0),
            size,
            Weight::Bold,
            Align::Center,
            color,
        );
    }
}
