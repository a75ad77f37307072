//! What an LED wall's controller needs of the picture. `[screen] output`
//! and `region`: the controller takes a standard video mode and maps a fixed
//! rectangle of it to its cabinets, so the slide is laid out at the
//! region's size and drawn at its place, the rest of the frame black
//! (`output` is the frame's size and stands for `size`). `brightness`:
//! hours shown dimmed, e.g. at night.

use super::diagnostic::{error, quoted, Diagnostic, Locator};
use super::raw::Screen;
use super::settings::{Dimmed, OutputRegion, ScreenSize};
use super::time::{clock_time, DailySpan};
use crate::panel::PanelSize;

/// The frame size and the region of `s`; `size` is the `size` key's value.
pub(super) fn output_region(
    loc: &Locator,
    s: &Screen,
    size: ScreenSize,
    out: &mut Vec<Diagnostic>,
) -> (ScreenSize, Option<OutputRegion>) {
    let output = match &s.output {
        Some(text) => match PanelSize::parse(text.get_ref()) {
            Ok(panel) if size_given(s) && size != ScreenSize::Fixed(panel) => {
                let message = "give `output` or `size`, not both".to_string();
                out.push(error(
                    loc,
                    text.span(),
                    message,
                    "with a region, output is the frame's size",
                ));
                return (size, None);
            }
            Ok(panel) => Some(panel),
            Err(_) => {
                let message = format!("output `{}` is not a video mode", quoted(text.get_ref()));
                out.push(error(
                    loc,
                    text.span(),
                    message,
                    "write WIDTHxHEIGHT, e.g. \"1920x1080\"",
                ));
                return (size, None);
            }
        },
        None => size.fixed(),
    };
    let Some(raw) = &s.region else {
        return (output.map_or(size, ScreenSize::Fixed), None);
    };
    let r = raw.get_ref();
    let Some(frame) = output else {
        let hint = "add output = \"1920x1080\" (the video mode the controller takes)";
        out.push(error(
            loc,
            raw.span(),
            "a region needs the output's size".into(),
            hint,
        ));
        return (size, None);
    };
    let inside = r.x.checked_add(r.width).is_some_and(|right| right <= frame.width)
        && r.y
            .checked_add(r.height)
            .is_some_and(|bottom| bottom <= frame.height);
    if !inside {
        let message = format!(
            "region {}x{} at ({}, {}) lies outside the {}x{} output",
            r.width, r.height, r.x, r.y, frame.width, frame.height
        );
        out.push(error(loc, raw.span(), message, "move or shrink the region"));
        return (ScreenSize::Fixed(frame), None);
    }
    if let Err(e) = PanelSize::parse(&format!("{}x{}", r.width, r.height)) {
        let message = format!("the region is too small to lay out: {e}");
        out.push(error(loc, raw.span(), message, "a region of at least 320x128"));
        return (ScreenSize::Fixed(frame), None);
    }
    let region = OutputRegion {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    };
    (ScreenSize::Fixed(frame), Some(region))
}

/// Whether the file writes `size` itself (its default spans nothing).
fn size_given(s: &Screen) -> bool {
    !s.size.span().is_empty()
}

/// The dimmed hours of `s`, each checked where it stands.
pub(super) fn brightness(loc: &Locator, s: &Screen, out: &mut Vec<Diagnostic>) -> Vec<Dimmed> {
    if *s.brightness_ramp.get_ref() > 3600 {
        let message = format!("brightness_ramp {} s is too long", s.brightness_ramp.get_ref());
        out.push(error(
            loc,
            s.brightness_ramp.span(),
            message,
            "give 0 to 3600 seconds, e.g. 10",
        ));
    }
    let mut dimmed = Vec::new();
    for d in &s.brightness {
        let level = *d.level.get_ref();
        if !(0.05..=1.0).contains(&level) {
            let message = format!("brightness level {level} is outside 0.05 to 1");
            let hint = "e.g. level = 0.55 (outside display_hours the screen is off anyway)";
            out.push(error(loc, d.level.span(), message, hint));
            continue;
        }
        let (from, until) = (clock_time(loc, &d.from, out), clock_time(loc, &d.until, out));
        let (Some(from), Some(until)) = (from, until) else {
            continue;
        };
        if from == until {
            out.push(error(
                loc,
                d.from.span(),
                "dimmed hours are empty".into(),
                "`from` and `until` must differ",
            ));
            continue;
        }
        dimmed.push(Dimmed {
            hours: DailySpan { from, until },
            level: level as f32,
        });
    }
    dimmed
}
