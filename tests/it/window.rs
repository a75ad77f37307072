//! The real binary in a real X server (Xvfb): `rankwall run` fills the screen,
//! plays the playlist in order over a feed served by this test, shows new
//! data, keeps the data and adds the stale marker when the server goes away,
//! and leaves cleanly on SIGTERM. Each screenshot of the X screen is compared
//! with the frame `render --config` draws for the same instant.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use common::x11::{screenshot, Xvfb};
use image::RgbaImage;
use rankwall::cli::Stage;
use rankwall::demo::{Reply, TestServer};
use rankwall::golden::{compare, Tolerance};
use rankwall::schedule::Frame;
use std::process::Command;
use std::sync::{Arc, Mutex};

const SIZE: (u32, u32) = (1280, 720);

fn start_xvfb() -> Option<Xvfb> {
    common::x11::start_xvfb(SIZE)
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&rankwall::china_standard_time())
}

fn feed_body(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn config_text(url: &str) -> String {
    format!(
        r#"
[screen]
size = "monitor"

[feed]
url = "{url}"
poll_interval = 1
backoff_max = 2

[[playlist]]
select = {{ list = "red" }}
duration = 4
transition = {{ kind = "cut" }}

[[playlist]]
select = {{ list = "black" }}
duration = 4
transition = {{ kind = "cut" }}
"#
    )
}

/// What a screen with `config` shows over `feed`: frames on demand.
/// As [`stage`], with staleness never marked (`stale_after_hours = 0`).
fn stage_never_stale(config: &str, feed: &serde_json::Value) -> Stage {
    let mut settings = rankwall::config::parse("window.toml", config, None)
        .settings
        .unwrap();
    settings.screen.size = rankwall::config::ScreenSize::Fixed(rankwall::config::PanelSize {
        width: SIZE.0,
        height: SIZE.1,
    });
    settings.feed.stale_after = None;
    Stage::new(settings, common::parse(feed).unwrap().0).unwrap()
}

fn stage(config: &str, feed: &serde_json::Value) -> Stage {
    let mut config = rankwall::config::parse("window.toml", config, None)
        .settings
        .unwrap();
    config.screen.size = rankwall::config::ScreenSize::Fixed(rankwall::config::PanelSize {
        width: SIZE.0,
        height: SIZE.1,
    });
    if config.feed.url.is_none() {
        // Such a screen plays the embedded demo, which never goes stale.
        config.feed.for_embedded_demo();
    }
    let feed = common::parse(feed).unwrap().0;
    Stage::new(config, feed).unwrap()
}

/// A screenshot taken well inside one page (not at a boundary, after the
/// page had time to be drawn), with its instant.
fn settled_shot(display: &str, stage: &Stage) -> (DateTime<FixedOffset>, Frame, RgbaImage) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = Vec::new();
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "no screenshot of a settled page within 60 s; frames at the shots: {seen:?}"
        );
        let t0 = now();
        let image = screenshot(display);
        let t1 = now();
        let (f0, f1) = (stage.player().frame(t0), stage.player().frame(t1));
        seen.push(format!("{t0}: {f0:?}"));
        if let Frame::Page { started, ends, .. } = &f0 {
            if f0 == f1
                && t0 - *started > Duration::milliseconds(1500)
                && *ends - t1 > Duration::milliseconds(100)
            {
                return (t0, f0, image);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
}

fn matches(actual: &RgbaImage, expected: &RgbaImage, name: &str) -> bool {
    let c = compare(
        &rankwall::golden::half(actual),
        &rankwall::golden::half(expected),
        &Tolerance::default(),
    )
    .expect("sizes");
    let ok = c.passes(&Tolerance::default());
    if !ok {
        let dir = std::env::temp_dir().join("rankwall-window-test");
        let _ = std::fs::create_dir_all(&dir);
        let _ = actual.save(dir.join(format!("{name}-actual.png")));
        let _ = expected.save(dir.join(format!("{name}-expected.png")));
        eprintln!(
            "{name}: {} strong, mean {:.3} (images in {})",
            c.strong,
            c.mean_delta,
            dir.display()
        );
    }
    ok
}

fn slot_of(frame: &Frame) -> (usize, usize) {
    match frame {
        Frame::Page { slot, .. } => (slot.item, slot.page.index),
        _ => (usize::MAX, 0),
    }
}

#[test]
fn the_window_plays_the_schedule_shows_new_data_goes_stale_and_exits_cleanly() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let Some(x) = start_xvfb() else { return };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut feed = common::example();
    // The data turns stale (48 h) 75 s into the test.
    let generated = now() - Duration::hours(48) + Duration::seconds(75);
    feed["generated_at"] = generated.to_rfc3339().into();
    let body = Arc::new(Mutex::new(feed_body(&feed)));
    let served = body.clone();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            Reply::json(served.lock().unwrap().clone())
        }))
        .unwrap();
    let dir = common::temp_dir("window");
    let config = config_text(&server.url("/feed.json"));
    let config_path = dir.join("rankwall.toml");
    std::fs::write(&config_path, &config).unwrap();
    let runtime_dir = dir.join("xdg");
    std::fs::create_dir_all(&runtime_dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["run", "--config"])
        .arg(&config_path)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("DISPLAY", &x.display)
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("RUST_LOG", "rankwall=info")
        .stderr(std::fs::File::create(dir.join("client.log")).unwrap())
        .spawn()
        .unwrap();

    // Shots start once the first frame is on screen; from then on every
    // mismatch counts.
    let log_path = dir.join("client.log");
    let up = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_to_string(&log_path)
        .unwrap_or_default()
        .contains("first frame presented")
    {
        assert!(std::time::Instant::now() < up, "no frame presented within 30 s");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // The playlist in order: consecutive pages, each the frame of its instant,
    // until both items have played.
    let mut old = stage(&config, &feed);
    let mut seen = Vec::new();
    let mut misses = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let both = |seen: &[(usize, usize)]| seen.iter().any(|s| s.0 == 0) && seen.iter().any(|s| s.0 == 1);
    while !(both(&seen) && seen.len() >= 3) {
        assert!(
            std::time::Instant::now() < deadline,
            "the window never played both items: {seen:?}"
        );
        let (t, frame, shot) = settled_shot(&x.display, &old);
        if seen.last() == Some(&slot_of(&frame)) {
            continue;
        }
        let expected = old.frame_image(t).unwrap();
        if matches(&shot, &expected, &format!("page-{}", seen.len())) {
            seen.push(slot_of(&frame));
        } else {
            // A loaded machine may draw a page late; a few misses are allowed,
            // a screen that shows the wrong pages is not.
            misses += 1;
            assert!(
                misses <= 3,
                "page {:?} at {t} is not the frame of its instant",
                slot_of(&frame)
            );
        }
    }

    // New data on the server appears on the screen.
    feed["lists"][0]["entries"][0]["name"] = "测试更新".into();
    *body.lock().unwrap() = feed_body(&feed);
    let mut new = stage(&config, &feed);
    let shown = wait_for_match(&x.display, &mut new, "new-data", |f| slot_of(f) == (0, 0));
    assert!(shown, "the new data never appeared");

    // The server goes away: the data stays, and the stale marker appears after the limit.
    server.stop();
    let stale_at = generated + Duration::hours(48);
    while now() < stale_at + Duration::seconds(1) {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let (t, _, shot) = settled_shot(&x.display, &new);
    let expected = new.frame_image(t).unwrap();
    assert!(
        matches(&shot, &expected, "stale"),
        "after the limit the screen shows the data with the stale marker"
    );
    // The same data at the same instant on a screen that never marks data
    // stale: the marker is the only difference, so the shot is not a match
    // for it.
    let mut unmarked = stage_never_stale(&config, &feed);
    let plain = unmarked.frame_image(t).unwrap();
    assert!(
        !matches(&shot, &plain, "stale-vs-unmarked"),
        "the screen shows no stale marker"
    );

    // SIGTERM: a clean exit within a second or two.
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "no exit 1 s after SIGTERM (the README promises a second)"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let log = std::fs::read_to_string(dir.join("client.log")).unwrap_or_default();
    assert!(status.success(), "exit status {status:?}; log:\n{log}");
    assert!(log.contains("SIGTERM"), "the exit is logged:\n{log}");
}

/// Takes settled screenshots until one of a page chosen by `want` matches
/// the frame of its instant (at most 30 s).
fn wait_for_match(display: &str, stage: &mut Stage, name: &str, want: impl Fn(&Frame) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let (t, frame, shot) = settled_shot(display, stage);
        if want(&frame) && matches(&shot, &stage.frame_image(t).unwrap(), name) {
            return true;
        }
    }
    false
}

#[test]
fn with_no_arguments_the_demo_plays_full_screen_as_rendered() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let Some(x) = start_xvfb() else { return };
    let dir = common::temp_dir("demo");
    let runtime_dir = dir.join("xdg");
    std::fs::create_dir_all(&runtime_dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .env("DISPLAY", &x.display)
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("RANKWALL_CACHE_DIR", dir.join("cache"))
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(dir.join("client.log")).unwrap())
        .spawn()
        .unwrap();
    let config = rankwall::config::DEMO_CONFIG;
    let mut demo = stage(config, &common::example());
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while seen.len() < 2 {
        if let Some(status) = child.try_wait().unwrap() {
            let log = std::fs::read_to_string(dir.join("client.log")).unwrap_or_default();
            panic!("rankwall exited ({status:?}):\n{log}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the demo never showed two pages: {seen:?}"
        );
        let (t, frame, shot) = settled_shot(&x.display, &demo);
        if seen.last() == Some(&slot_of(&frame)) {
            continue;
        }
        let expected = demo.frame_image(t).unwrap();
        // The whole X screen matches a full-size frame: the window covers it.
        if matches(&shot, &expected, &format!("demo-{}", seen.len())) {
            seen.push(slot_of(&frame));
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // And the window itself has the screen's size (xwd reads the root,
    // which always has it).
    let log = std::fs::read_to_string(dir.join("client.log")).unwrap_or_default();
    let opened = log
        .lines()
        .find(|l| l.contains("window open"))
        .unwrap_or_default();
    let (w, h) = (format!("width={}", SIZE.0), format!("height={}", SIZE.1));
    assert!(
        opened.contains(&w) && opened.contains(&h),
        "the window is not {SIZE:?}: {opened:?}"
    );
}
