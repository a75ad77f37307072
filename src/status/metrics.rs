//! `/metrics`: the status figures in the Prometheus text format (0.0.4).

use super::ScreenStatus;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// Escapes a label value.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn metric(out: &mut String, name: &str, help: &str, kind: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    let _ = writeln!(out, "{name} {value}");
}

/// The metrics text for `s` at `now`.
pub fn metrics_text(s: &ScreenStatus, now: DateTime<Utc>, rss: Option<u64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# HELP rankwall_info Build and screen identity.");
    let _ = writeln!(out, "# TYPE rankwall_info gauge");
    let _ = writeln!(
        out,
        "rankwall_info{{version=\"{}\",screen=\"{}\",adapter=\"{}\"}} 1",
        label(&s.version),
        label(&s.screen_id),
        label(&s.adapter)
    );
    let healthy = u8::from(super::health(s, now).is_ok());
    metric(
        &mut out,
        "rankwall_healthy",
        "1 when /healthz answers 200.",
        "gauge",
        healthy,
    );
    let uptime = (now - s.started_at).num_seconds();
    metric(
        &mut out,
        "rankwall_uptime_seconds",
        "Seconds since start.",
        "gauge",
        uptime,
    );
    let frames = s.frames_presented;
    metric(
        &mut out,
        "rankwall_frames_presented_total",
        "Frames presented.",
        "counter",
        frames,
    );
    let age = s.data.age_secs.unwrap_or(-1);
    metric(
        &mut out,
        "rankwall_data_age_seconds",
        "Age of the data shown (-1: none).",
        "gauge",
        age,
    );
    metric(
        &mut out,
        "rankwall_data_stale",
        "1 when the data is past the staleness limit.",
        "gauge",
        u8::from(s.data.stale),
    );
    let failures = s.feed.as_ref().map_or(0, |f| f.consecutive_failures);
    metric(
        &mut out,
        "rankwall_feed_consecutive_failures",
        "Failed feed polls in a row.",
        "gauge",
        failures,
    );
    let success = s
        .feed
        .as_ref()
        .and_then(|f| f.last_success_at)
        .map_or(0, |t| t.timestamp());
    metric(
        &mut out,
        "rankwall_feed_last_success_timestamp_seconds",
        "Last successful poll (0: never).",
        "gauge",
        success,
    );
    let signature_failures = s.feed.as_ref().map_or(0, |f| f.signature_failures);
    metric(
        &mut out,
        "rankwall_feed_signature_failures_total",
        "Documents refused for a missing or wrong signature.",
        "counter",
        signature_failures,
    );
    let cache_ok = s.feed.as_ref().is_none_or(|f| f.cache.writes.ok);
    metric(
        &mut out,
        "rankwall_feed_cache_ok",
        "1 while the last good feed is written to the disk cache.",
        "gauge",
        u8::from(cache_ok),
    );
    metric(
        &mut out,
        "rankwall_dropped_items",
        "Feed items left out by validation.",
        "gauge",
        s.dropped_items,
    );
    metric(
        &mut out,
        "rankwall_uncovered_chars",
        "Characters the fonts do not cover.",
        "gauge",
        s.uncovered_chars,
    );
    let off = u8::from(s.showing.state == super::ScreenState::Off);
    metric(
        &mut out,
        "rankwall_display_off",
        "1 outside the display hours.",
        "gauge",
        off,
    );
    if let Some(log) = &s.play_log {
        metric(
            &mut out,
            "rankwall_play_log_ok",
            "1 while the proof-of-play log is written.",
            "gauge",
            u8::from(log.writes.ok),
        );
        metric(
            &mut out,
            "rankwall_play_log_lost_entries_total",
            "Proof-of-play entries not written.",
            "counter",
            log.lost_entries,
        );
    }
    if let Some(rss) = rss {
        metric(
            &mut out,
            "rankwall_resident_memory_bytes",
            "Resident memory.",
            "gauge",
            rss,
        );
    }
    out
}
