//! The banner (提示): an operator's message over whatever plays. It takes
//! the footer's band, from the body's bottom edge to the screen's, so that
//! nothing of a slide's body is hidden and a marquee's moving line (which
//! runs in the body) never crosses it. One line in amber with dark bold
//! text, shrunk and then cut with "…" to fit; the footer's own text (issuer,
//! update time, page marker) gives way while it is up.

use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile};
use super::theme::Theme;
use crate::feed::Notice;
use crate::scene::{Align, Rect, Scene, Weight};
use crate::text::Fonts;

/// The share of the footer's height the banner's text may take.
const TEXT_SHARE: f32 = 0.72;

/// The band a banner covers on `profile`: the footer's, margin included.
pub fn banner_rect(profile: &ScreenProfile) -> Rect {
    let m = Metrics::for_profile(profile);
    let (w, h) = (profile.width as f32, profile.height as f32);
    let top = (h - profile.margin - m.footer_h).max(0.0).round();
    Rect::new(0.0, top, w, h - top)
}

/// The line a banner reads: `title：body`, the body's line breaks as spaces.
pub fn banner_text(notice: &Notice) -> String {
    let body = notice.body.split_whitespace().collect::<Vec<_>>().join("　");
    match notice.title.trim() {
        "" => body,
        title => format!("{title}：{body}"),
    }
}

/// `scene` with `notice` as a banner over its footer band.
pub fn with_banner(
    fonts: &mut Fonts,
    profile: &ScreenProfile,
    theme: &Theme,
    notice: &Notice,
    mut scene: Scene,
) -> Scene {
    let band = banner_rect(profile);
    // Text and strokes are drawn over every quad: what reaches into the
    // band would show through it, so it goes.
    scene.texts.retain(|t| t.clip.bottom() <= band.y);
    scene.lines.retain(|l| l.bounds().bottom() <= band.y);
    let m = Metrics::for_profile(profile);
    let mut p = Painter::new(fonts, profile);
    p.fill(band, theme.banner.fill, 0.0);
    let margin = profile.margin;
    let text = Rect::new(
        margin,
        band.y,
        (band.w - 2.0 * margin).max(1.0),
        m.footer_h.min(band.h),
    );
    let size = (m.footer_h * TEXT_SHARE).min(m.row_size).floor();
    p.line(
        &banner_text(notice),
        text,
        size,
        Weight::Bold,
        Align::Left,
        theme.banner.text,
    );
    let drawn = p.finish();
    scene.quads.extend(drawn.quads);
    scene.texts.extend(drawn.texts);
    scene
}
