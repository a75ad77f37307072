//! The idle slide: shown when nothing in the playlist can play. Plain and
//! branded, with the clock, never a blank screen or an error.

use super::painter::Painter;
use super::profile::{Metrics, ScreenProfile, Shape};
use super::theme::Theme;
use crate::scene::{Align, Rect, Scene, Weight};
use crate::text::Fonts;
use chrono::{DateTime, Datelike, FixedOffset};

/// "2026年11月28日 星期六".
fn date_line(now: DateTime<FixedOffset>) -> String {
    const DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    let day = DAYS[now.weekday().num_days_from_monday() as usize];
    format!("{}年{}月{}日 星期{day}", now.year(), now.month(), now.day())
}

/// The idle slide at `now`, signed by `issuer` when known.
pub fn idle(
    fonts: &mut Fonts,
    profile: &ScreenProfile,
    theme: &Theme,
    now: DateTime<FixedOffset>,
    issuer: Option<&str>,
) -> Scene {
    let mut p = Painter::new(fonts, profile);
    let pal = &theme.normal;
    p.scene.background = pal.background;
    let (w, h, margin) = (profile.width as f32, profile.height as f32, profile.margin);
    let m = Metrics::for_profile(profile);
    let clock = now.format("%H:%M").to_string();
    let area = Rect::new(margin, margin, w - 2.0 * margin, h - 2.0 * margin);
    if profile.shape == Shape::Strip {
        let half = (area.w * 0.4).round();
        p.line(
            &clock,
            Rect::new(area.x, area.y, half, area.h),
            area.h * 0.7,
            Weight::Bold,
            Align::Left,
            pal.title,
        );
        let right = Rect::new(area.x + half, area.y, area.w - half, area.h);
        p.line(
            &date_line(now),
            right,
            m.title_size,
            Weight::Regular,
            Align::Right,
            pal.text,
        );
        return p.finish();
    }
    let s = profile.short_side();
    let clock_h = (s * 0.3).round();
    let top = (area.y + area.h * 0.3).round();
    p.line(
        &clock,
        Rect::new(area.x, top, area.w, clock_h),
        s * 0.26,
        Weight::Bold,
        Align::Center,
        pal.title,
    );
    let date = Rect::new(area.x, top + clock_h, area.w, (m.title_size * 1.6).round());
    p.line(
        &date_line(now),
        date,
        m.title_size,
        Weight::Regular,
        Align::Center,
        pal.text,
    );
    if let Some(issuer) = issuer {
        let footer = Rect::new(area.x, area.bottom() - m.footer_h, area.w, m.footer_h);
        p.line(
            issuer,
            footer,
            m.footer_size,
            Weight::Regular,
            Align::Center,
            pal.muted,
        );
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_clock_and_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T10:05:00+08:00").unwrap();
        let profile = ScreenProfile::new(1920, 1080).unwrap();
        let scene = idle(
            &mut Fonts::bundled(),
            &profile,
            &Theme::default(),
            now,
            Some("临江市"),
        );
        let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["10:05", "2026年11月28日 星期六", "临江市"]);
    }
}
