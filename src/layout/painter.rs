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

    /// A wrapped paragraph fitted into `rect`, from its top.
    pub fn paragraph(&mut self, text: &str, rect: Rect, size: f32, weight: Weight, color: Rgba) {
        let rect = rect.snapped();
        let fitted = self
            .fonts
            .fit_paragraph(text, rect.w, rect.h, size, self.min_text, weight);
        if fitted.text.is_empty() {
            return;
        }
        self.scene.texts.push(TextRun {
            text: fitted.text,
            clip: rect,
            origin_y: rect.y,
            size: fitted.size,
            line_height: fitted.line_height,
            weight,
            align: Align::Left,
            color,
            wrap: true,
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
