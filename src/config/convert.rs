//! The raw file into typed [`Settings`], section by section. Every value
//! whose validity serde cannot see is checked here, once; a bad value is
//! reported where it stands and the result is thrown away by the caller.

use super::diagnostic::{error, quoted, Diagnostic, Locator, Severity};
use super::items::item;
use super::raw::{FeedSection, RawConfig, ReportSection, Screen, StatusSection, ThemeSection};
use super::settings::{
    FeedSettings, Presentation, ReportSettings, Rotation, ScreenSettings, ScreenSize, Settings,
    StatusSettings, ThemeSettings,
};
use super::time::{clock_time, parse_zone, DailySpan};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// The whole config; `source_sha256` names the text it came from.
pub(super) fn settings(loc: &Locator, raw: &RawConfig, out: &mut Vec<Diagnostic>) -> Settings {
    let screen = screen(loc, &raw.screen, out);
    let wall = super::wall::wall(loc, &raw.wall, &screen, out);
    let (banners, messages) = super::message::messages(loc, &raw.playlist, out);
    let settings = Settings {
        screen,
        feed: feed(loc, &raw.feed, out),
        theme: theme(&raw.theme),
        status: status(loc, &raw.status, out),
        report: report(loc, &raw.report, out),
        wall,
        playlist: (raw.playlist.iter().enumerate())
            .map(|(n, i)| item(loc, n, i, out))
            .collect(),
        messages,
        banners,
        source_sha256: crate::digest::sha256_hex(loc.text.as_bytes()),
        remote_sha256: None,
    };
    super::paths::check_named_paths(loc, raw, out);
    if raw.playlist.is_empty() {
        let warning = "the playlist is empty: the screen shows the idle slide";
        out.push(loc.at(
            Severity::Warning,
            0..0,
            warning.into(),
            Some("add [[playlist]] items".into()),
        ));
    }
    settings
}

fn screen(loc: &Locator, s: &Screen, out: &mut Vec<Diagnostic>) -> ScreenSettings {
    let defaults = Settings::default().screen;
    let size = ScreenSize::parse(s.size.get_ref()).unwrap_or_else(|_| {
        out.push(error(
            loc,
            s.size.span(),
            format!("screen size `{}` is not usable", quoted(s.size.get_ref())),
            "write \"monitor\" or WIDTHxHEIGHT, e.g. \"1920x1080\"",
        ));
        defaults.size
    });
    let rotation = Rotation::from_degrees(*s.rotation.get_ref()).unwrap_or_else(|| {
        let message = format!("rotation {} is not a quarter turn", s.rotation.get_ref());
        out.push(error(loc, s.rotation.span(), message, "use 0, 90, 180 or 270"));
        Rotation::None
    });
    if let (Some(panel), true) = (size.fixed(), rotation.swaps_sides()) {
        // The layout is for the turned panel: it must be a size we lay out.
        if let Err(message) = crate::panel::PanelSize::parse(&format!("{}x{}", panel.height, panel.width)) {
            out.push(error(
                loc,
                s.rotation.span(),
                format!("turned a quarter, the panel is too narrow to lay out: {message}"),
                "a strip or very wide panel cannot be turned; use rotation 0 or 180",
            ));
        }
    }
    if *s.pixel_shift.get_ref() > 32 {
        out.push(error(
            loc,
            s.pixel_shift.span(),
            format!("pixel_shift {} is too large", s.pixel_shift.get_ref()),
            "a few pixels (0 to 32) are enough against burn-in",
        ));
    }
    if *s.pixel_shift_minutes.get_ref() == 0 {
        out.push(error(
            loc,
            s.pixel_shift_minutes.span(),
            "pixel_shift_minutes must be at least 1".into(),
            "e.g. pixel_shift_minutes = 4",
        ));
    }
    let time_zone = parse_zone(s.time_zone.get_ref()).unwrap_or_else(|| {
        out.push(error(
            loc,
            s.time_zone.span(),
            format!("unknown time zone `{}`", quoted(s.time_zone.get_ref())),
            "use \"Asia/Shanghai\", \"UTC\" or an offset like \"+08:00\"",
        ));
        defaults.time_zone
    });
    let (size, region) = super::region::output_region(loc, s, size, out);
    ScreenSettings {
        id: s.id.clone(),
        size,
        monitor: s.monitor.clone(),
        rotation,
        margin: s.margin,
        min_text: s.min_text,
        time_zone,
        display_hours: display_hours(loc, s, out),
        pixel_shift: *s.pixel_shift.get_ref(),
        pixel_shift_minutes: (*s.pixel_shift_minutes.get_ref()).max(1),
        region,
        brightness: super::region::brightness(loc, s, out),
        brightness_ramp: Duration::from_secs(u64::from((*s.brightness_ramp.get_ref()).min(3600))),
        present: present(loc, s, out),
    }
}

fn present(loc: &Locator, s: &Screen, out: &mut Vec<Diagnostic>) -> Presentation {
    let word = s.present.get_ref();
    match word.as_str() {
        "auto" => Presentation::Auto,
        "gpu" => Presentation::Gpu,
        "cpu" => Presentation::Cpu,
        _ => {
            out.push(error(
                loc,
                s.present.span(),
                format!("present `{}` is not auto, gpu or cpu", quoted(word)),
                "e.g. present = \"auto\" (the CPU on a software adapter, else the GPU)",
            ));
            Presentation::Auto
        }
    }
}

fn display_hours(loc: &Locator, s: &Screen, out: &mut Vec<Diagnostic>) -> Option<DailySpan> {
    let h = s.display_hours.as_ref()?;
    let (from, until) = (clock_time(loc, &h.from, out), clock_time(loc, &h.until, out));
    let (from, until) = (from?, until?);
    if from == until {
        out.push(error(
            loc,
            h.from.span(),
            "display hours are empty".into(),
            "`from` and `until` must differ",
        ));
    }
    Some(DailySpan { from, until })
}

/// Zero seconds would poll in a busy loop: the least is one second; more
/// than a day would overflow the backoff's arithmetic.
fn seconds(n: u64) -> Duration {
    Duration::from_secs(n.clamp(1, 86_400))
}

fn feed(loc: &Locator, f: &FeedSection, out: &mut Vec<Diagnostic>) -> FeedSettings {
    let public_key = f.public_key.as_ref().and_then(|k| {
        crate::signing::PublicKey::parse(k.get_ref())
            .map_err(|e| {
                out.push(error(
                    loc,
                    k.span(),
                    e.to_string(),
                    "paste the key `rankwall feed keygen` printed (44 characters of base64)",
                ))
            })
            .ok()
    });
    FeedSettings {
        public_key,
        url: f.url.clone(),
        poll_interval: seconds(f.poll_interval),
        timeout: seconds(f.timeout),
        backoff_max: seconds(f.backoff_max),
        stale_after: (f.stale_after_hours > 0)
            .then(|| chrono::Duration::hours(f.stale_after_hours.min(1 << 20) as i64)),
        cache_dir: f.cache_dir.as_ref().map(|p| PathBuf::from(p.get_ref())),
        ca_file: f.ca_file.as_ref().map(|p| PathBuf::from(p.get_ref())),
    }
}

fn theme(t: &ThemeSection) -> ThemeSettings {
    ThemeSettings {
        fonts: t.fonts.iter().map(|p| PathBuf::from(p.get_ref())).collect(),
        system_fonts: t.system_fonts,
    }
}

fn status(loc: &Locator, s: &StatusSection, out: &mut Vec<Diagnostic>) -> StatusSettings {
    let token = s.token.as_ref().and_then(|t| status_token(loc, t, out));
    let addr = match s.addr.get_ref().as_str() {
        "off" => None,
        text => match text.parse::<SocketAddr>() {
            Err(_) => {
                out.push(error(
                    loc,
                    s.addr.span(),
                    format!("status address `{}` is not HOST:PORT", quoted(text)),
                    "e.g. addr = \"127.0.0.1:9470\", or \"off\"",
                ));
                None
            }
            Ok(a) => {
                if let Err(exposed) = check_bind(&a, token.as_deref()) {
                    out.push(error(
                        loc,
                        s.addr.span(),
                        exposed.to_string(),
                        "add token = \"…\" to [status]",
                    ));
                }
                Some(a)
            }
        },
    };
    let max_mb = *s.play_log_max_mb.get_ref();
    if !(1..=1024).contains(&max_mb) {
        // A size past u64's range once wrapped to 0: the log rotated on every line.
        out.push(error(
            loc,
            s.play_log_max_mb.span(),
            format!("play_log_max_mb {max_mb} is out of range"),
            "give 1 to 1024 (MiB); 16 keeps months of entries",
        ));
    }
    StatusSettings {
        addr,
        token,
        play_log: s.play_log.as_ref().map(|p| PathBuf::from(p.get_ref())),
        play_log_max_bytes: max_mb.clamp(1, 1024) * 1024 * 1024,
    }
}

/// Seconds allowed between two reports: often enough to see a screen go
/// dark within minutes, seldom enough for thousands of screens on 4G.
const REPORT_INTERVAL: std::ops::RangeInclusive<u64> = 10..=3600;

/// The `[report]` section: `None` without a URL (no console), else a URL,
/// a token and an interval, each checked where it stands.
fn report(loc: &Locator, r: &ReportSection, out: &mut Vec<Diagnostic>) -> Option<ReportSettings> {
    let Some(url) = r.url.as_ref() else {
        if let Some(token) = &r.token {
            out.push(loc.at(
                Severity::Warning,
                token.span(),
                "a report token without a url: this screen reports nowhere".into(),
                Some("add url = \"https://console…/api/report\" to [report], or remove the section".into()),
            ));
        }
        return None;
    };
    let text = url.get_ref().trim();
    let mut ok = true;
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        out.push(error(
            loc,
            url.span(),
            format!(
                "report url `{}` is not an http:// or https:// address",
                quoted(text)
            ),
            "give the console's address, e.g. url = \"https://console.example/api/report\"",
        ));
        ok = false;
    }
    let token = match &r.token {
        Some(t) => status_token(loc, t, out),
        None => {
            out.push(error(
                loc,
                url.span(),
                "a report url needs the screen's token".into(),
                "add token = \"…\" to [report]: the console shows it once when the screen is enrolled",
            ));
            None
        }
    };
    let seconds = *r.interval.get_ref();
    if !REPORT_INTERVAL.contains(&seconds) {
        out.push(error(
            loc,
            r.interval.span(),
            format!("report interval {seconds} s is out of range"),
            "give 10 to 3600 seconds; 60 suits most screens",
        ));
        ok = false;
    }
    Some(ReportSettings {
        url: text.to_string(),
        token: token?,
        interval: Duration::from_secs(seconds),
    })
    .filter(|_| ok)
}

/// The shortest status token accepted: a short one is guessed in minutes by
/// anyone on the LAN.
pub const MIN_TOKEN_CHARS: usize = 16;

/// The token, trimmed (spaces around it are a copy-and-paste accident), or
/// an error at its place when it is too short to keep anyone out.
fn status_token(loc: &Locator, token: &Spanned<String>, out: &mut Vec<Diagnostic>) -> Option<String> {
    let text = token.get_ref().trim();
    if text.is_empty() {
        return None;
    }
    let chars = text.chars().count();
    if chars < MIN_TOKEN_CHARS {
        out.push(error(
            loc,
            token.span(),
            format!("the token has {chars} characters; at least {MIN_TOKEN_CHARS} are needed"),
            "use a long random one, e.g. the output of `openssl rand -hex 16`",
        ));
        return None;
    }
    Some(text.to_string())
}

/// A status server that would listen beyond this machine without a token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the status server would listen on {addr}, beyond this machine, without a token: \
     set [status] token = \"…\" in the config, or listen on 127.0.0.1"
)]
pub struct ExposedWithoutToken {
    /// The address it would listen on.
    pub addr: SocketAddr,
}

/// Whether the status server may listen on `addr` with `token`: beyond
/// this machine only with a token.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), ExposedWithoutToken> {
    if addr.ip().is_loopback() || token.is_some_and(|t| !t.trim().is_empty()) {
        Ok(())
    } else {
        Err(ExposedWithoutToken { addr: *addr })
    }
}
