//! A remote config with the screen's own file laid over it: the `[screen]`
//! keys and the local-only keys (status, play log, cache, CA, fonts, report)
//! the local file sets win over the served text's. Pure: the caller reads
//! both texts.

use super::{local_only, parse, screen_keys, Checked, Settings, Severity};

/// `checked` (the remote `text`, already checked) with the local file
/// `local_name` (its text `local_text`) laid over it; the local file's
/// errors are added and refuse the whole.
pub fn overlay_local(mut checked: Checked, text: &str, local_name: &str, local_text: &str) -> Checked {
    let local_checked = parse(local_name, local_text, None);
    checked.diagnostics.extend(
        local_checked
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error),
    );
    match (checked.settings.as_mut(), local_checked.settings) {
        (Some(settings), Some(over)) => {
            overlay_screen(settings, &over, &screen_keys(local_text));
            overlay_local_only(settings, &over, &local_only::keys_set(local_text));
            // A box's place in a wall is its own: a local [wall] replaces the served one.
            if over.wall.is_some() {
                settings.wall = over.wall;
            }
            // Proof of play names what was in force: the remote text
            // followed by the local file's.
            let both = [text.as_bytes(), local_text.as_bytes()].concat();
            settings.source_sha256 = crate::digest::sha256_hex(&both);
        }
        (Some(_), None) => checked.settings = None,
        _ => {}
    }
    checked
}

/// Copies the `[screen]` keys a local file sets over the remote config's.
fn overlay_screen(settings: &mut Settings, local: &Settings, keys: &[String]) {
    let (to, from) = (&mut settings.screen, &local.screen);
    for key in keys {
        match key.as_str() {
            "id" => to.id = from.id.clone(),
            "size" => to.size = from.size,
            "monitor" => to.monitor = from.monitor.clone(),
            "rotation" => to.rotation = from.rotation,
            "margin" => to.margin = from.margin,
            "min_text" => to.min_text = from.min_text,
            "time_zone" => to.time_zone = from.time_zone,
            "display_hours" => to.display_hours = from.display_hours,
            "pixel_shift" => to.pixel_shift = from.pixel_shift,
            "pixel_shift_minutes" => to.pixel_shift_minutes = from.pixel_shift_minutes,
            "brightness" => to.brightness = from.brightness.clone(),
            "brightness_ramp" => to.brightness_ramp = from.brightness_ramp,
            "present" => to.present = from.present,
            "output" | "region" => {
                to.size = from.size;
                to.region = from.region;
            }
            _ => {}
        }
    }
}

/// Copies the local-only keys (status address and token, play log, cache
/// folder, CA file, fonts) the local file sets: only it may set them.
fn overlay_local_only(settings: &mut Settings, local: &Settings, keys: &[(&str, &str)]) {
    for key in keys {
        match *key {
            ("status", "addr") => settings.status.addr = local.status.addr,
            ("status", "token") => settings.status.token = local.status.token.clone(),
            ("status", "play_log") => settings.status.play_log = local.status.play_log.clone(),
            ("feed", "cache_dir") => settings.feed.cache_dir = local.feed.cache_dir.clone(),
            ("feed", "ca_file") => settings.feed.ca_file = local.feed.ca_file.clone(),
            ("feed", "public_key") => settings.feed.public_key = local.feed.public_key.clone(),
            ("theme", "fonts") => settings.theme.fonts = local.theme.fonts.clone(),
            ("theme", "system_fonts") => settings.theme.system_fonts = local.theme.system_fonts,
            ("report", _) => settings.report = local.report.clone(),
            _ => {}
        }
    }
}
