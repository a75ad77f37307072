//! Keys read once at start: the window, the fonts, the feed source, the
//! status server and the proof-of-play log are built from them. A reload
//! that changes one is still applied (everything else takes effect), and
//! the keys that wait for a restart are named, so the status can say so
//! instead of pretending the change is live.

use super::Settings;

/// The start-only keys whose values differ between `running` (what the
/// process started with) and `new`, as `section.key`.
pub fn start_only_changes(running: &Settings, new: &Settings) -> Vec<&'static str> {
    let (a, b) = (running, new);
    let checks: [(&'static str, bool); 18] = [
        ("screen.size", a.screen.size != b.screen.size),
        ("screen.present", a.screen.present != b.screen.present),
        ("screen.monitor", a.screen.monitor != b.screen.monitor),
        ("feed.url", a.feed.url != b.feed.url),
        ("feed.poll_interval", a.feed.poll_interval != b.feed.poll_interval),
        ("feed.timeout", a.feed.timeout != b.feed.timeout),
        ("feed.backoff_max", a.feed.backoff_max != b.feed.backoff_max),
        ("feed.cache_dir", a.feed.cache_dir != b.feed.cache_dir),
        ("feed.ca_file", a.feed.ca_file != b.feed.ca_file),
        ("feed.public_key", a.feed.public_key != b.feed.public_key),
        ("theme.fonts", a.theme.fonts != b.theme.fonts),
        ("theme.system_fonts", a.theme.system_fonts != b.theme.system_fonts),
        ("status.addr", a.status.addr != b.status.addr),
        ("status.token", a.status.token != b.status.token),
        ("status.play_log", a.status.play_log != b.status.play_log),
        (
            "status.play_log_max_mb",
            a.status.play_log_max_bytes != b.status.play_log_max_bytes,
        ),
        ("screen.id (User-Agent)", a.screen.id != b.screen.id),
        ("report", a.report != b.report),
    ];
    checks
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(key, _)| key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_changed_start_only_key_and_nothing_else() {
        let running = Settings::default();
        let mut new = running.clone();
        assert!(start_only_changes(&running, &new).is_empty());
        new.screen.pixel_shift += 1;
        new.playlist.clear();
        assert!(
            start_only_changes(&running, &new).is_empty(),
            "live keys are not named"
        );
        new.feed.url = Some("https://elsewhere.example/feed.json".into());
        new.status.play_log = Some("/var/log/rankwall/played.jsonl".into());
        new.theme.system_fonts = !new.theme.system_fonts;
        assert_eq!(
            start_only_changes(&running, &new),
            ["feed.url", "theme.system_fonts", "status.play_log"]
        );
    }
}
