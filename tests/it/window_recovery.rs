//! The window in a real X server (Xvfb) recovering from what a unit test
//! cannot cause: the GPU device destroyed under it (a test hook standing in
//! for a driver reset), after which frames resume with the same picture, and
//! the window resized by another X client, after which the page is laid out
//! again for the new size, not stretched or cropped.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::screen::{config, temp_dir, Screen};
use common::x11::{screenshot, start_xvfb};
use image::RgbaImage;
use rankwall::golden::{compare, half, Tolerance};
use std::process::Command;
use std::time::Duration;

const SIZE: (u32, u32) = (1280, 720);
const SMALLER: (u32, u32) = (1024, 576);
/// How long each wait of these tests may take before it fails with what it saw.
const WITHIN: Duration = Duration::from_secs(30);

/// One board page that stays: nothing moves unless the test moves it;
/// frames presented as `present` says (`gpu`: the swapchain, `cpu`: shared
/// memory).
fn static_config(present: &str) -> String {
    config(&format!(
        "size = \"monitor\"\npresent = \"{present}\"\n\n[[playlist]]\nselect = {{ level = \"township\" }}\nduration = 86400\n"
    ))
}

/// The frame `render --config` draws for the same config at `size`.
fn expected(size: (u32, u32)) -> RgbaImage {
    let mut settings = rankwall::config::parse("recovery.toml", &static_config("gpu"), None)
        .settings
        .unwrap();
    settings.screen.size = rankwall::config::ScreenSize::Fixed(rankwall::config::PanelSize {
        width: size.0,
        height: size.1,
    });
    // The screen plays the embedded demo feed, which never goes stale.
    settings.feed.for_embedded_demo();
    let feed = rankwall::feed::demo().unwrap().0;
    let mut stage = rankwall::cli::Stage::new(settings, feed).unwrap();
    let now = chrono::Utc::now().with_timezone(&rankwall::china_standard_time());
    stage.frame_image(now).unwrap()
}

/// Whether `actual` matches `expected` within the golden tolerance, and
/// how many pixels differ strongly.
fn matches(actual: &RgbaImage, expected: &RgbaImage) -> (bool, usize) {
    let tolerance = Tolerance::default();
    let c = compare(&half(actual), &half(expected), &tolerance).unwrap();
    (c.passes(&tolerance), c.strong)
}

fn frames(screen: &Screen) -> u64 {
    screen.status()["frames_presented"].as_u64().unwrap_or(0)
}

/// The static page in a window filling a new Xvfb screen, with the test
/// hook `hook` (`RANKWALL_TEST_HOOKS`); `None` only where the GPU tests are
/// skipped on purpose.
fn launch(hook: &str, present: &str) -> Option<(common::x11::Xvfb, Screen)> {
    common::gpu_or_skip()?;
    let x = start_xvfb(SIZE)?;
    let dir = temp_dir();
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(&xdg).unwrap();
    let xdg = xdg.to_str().unwrap().to_string();
    let env = [
        ("DISPLAY", x.display.as_str()),
        ("XDG_RUNTIME_DIR", xdg.as_str()),
        ("RANKWALL_TEST_HOOKS", hook),
    ];
    let screen = Screen::launch(dir, &static_config(present), &[], &env);
    Some((x, screen))
}

/// Sends the test hook's SIGUSR2, waits for each line of `said` in the log
/// and for a newly presented frame, and checks the screen still shows
/// `shown` after `fault`.
fn fault_and_recover(screen: &mut Screen, display: &str, shown: &RgbaImage, said: &[&str], fault: &str) {
    let presented = frames(screen);
    screen.signal("-USR2");
    for line in said {
        screen.wait_log(line, WITHIN);
    }
    screen.wait_status(&format!("a frame presented after {fault}"), WITHIN, |s| {
        s["frames_presented"].as_u64().unwrap_or(0) > presented
    });
    screen.assert_running();
    let (ok, strong) = matches(&screenshot(display), shown);
    assert!(ok, "after {fault} the picture differs ({strong} strong pixels)");
}

#[test]
fn the_window_recovers_a_lost_device_and_relayouts_when_resized() {
    // On the swapchain and on the shared-memory path (issue 30) alike.
    lost_device_and_resize("gpu");
}

fn lost_device_and_resize(present: &str) {
    let Some((x, mut screen)) = launch("lose-device-on-sigusr2", present) else {
        return;
    };
    let opened = screen.wait_log("window open", WITHIN);
    assert!(
        opened.contains(&format!("presentation=\"{present}\"")),
        "{opened}"
    );
    assert!(
        opened.contains(&format!("width={}", SIZE.0)) && opened.contains(&format!("height={}", SIZE.1)),
        "the window does not fill the {SIZE:?} screen: {opened}"
    );
    screen.wait_log("first frame presented", WITHIN);
    let shown = expected(SIZE);
    let before = screenshot(&x.display);
    let (ok, strong) = matches(&before, &shown);
    assert!(
        ok,
        "the page on show is not the rendered frame ({strong} strong pixels)"
    );

    // The device goes: the next frame notices (lavapipe's surface refuses
    // the destroyed device), the redraw rebuilds it, and the same picture
    // comes back in newly presented frames.
    let said = [
        "test hook: destroying the GPU device",
        "creating a new device and every GPU resource",
    ];
    fault_and_recover(&mut screen, &x.display, &shown, &said, "the device loss");

    // Another X client shrinks the window: it is laid out for the new size.
    let found = Command::new("xdotool")
        .args(["search", "--sync", "--pid", &screen.pid().to_string()])
        .env("DISPLAY", &x.display)
        .output()
        .expect("xdotool (Debian: apt-get install xdotool)");
    let window = String::from_utf8_lossy(&found.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!window.is_empty(), "no X window of the client's pid");
    let (w, h) = (SMALLER.0.to_string(), SMALLER.1.to_string());
    let resized = Command::new("xdotool")
        .args(["windowsize", &window, &w, &h])
        .env("DISPLAY", &x.display)
        .status()
        .unwrap();
    assert!(resized.success(), "xdotool windowsize failed");
    let line = screen.wait_log("screen resized; laying out again", WITHIN);
    assert!(
        line.contains(&format!("width={w}")) && line.contains(&format!("height={h}")),
        "{line}"
    );
    let relaid = expected(SMALLER);
    let deadline = std::time::Instant::now() + WITHIN;
    let mut last = (false, usize::MAX);
    while std::time::Instant::now() < deadline && !last.0 {
        let shot = screenshot(&x.display);
        let region = image::imageops::crop_imm(&shot, 0, 0, SMALLER.0, SMALLER.1).to_image();
        last = matches(&region, &relaid);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        last.0,
        "the resized window does not show the page laid out for {SMALLER:?} ({} strong pixels)",
        last.1
    );
    let cropped = image::imageops::crop_imm(&shown, 0, 0, SMALLER.0, SMALLER.1).to_image();
    assert!(
        !matches(&cropped, &relaid).0,
        "the test cannot tell a relayout from a crop"
    );
    screen.assert_running();
}

/// The window meets a surface that is out of date and then lost (the
/// answers a driver gives after a mode change or a compositor restart; a
/// test hook gives them in place of lavapipe's, which cannot be made to from
/// outside): it configures the surface, makes a new one, and the same
/// picture comes back in newly presented frames without a restart.
#[test]
fn the_window_recovers_an_outdated_and_a_lost_surface() {
    // The swapchain's faults: the shared-memory path has no surface to lose.
    let Some((x, mut screen)) = launch("lose-surface-on-sigusr2", "gpu") else {
        return;
    };
    screen.wait_log("first frame presented", WITHIN);
    let shown = expected(SIZE);
    let said = [
        "test hook: the surface will be out of date, then lost",
        "surface out of date; configuring it again",
        "surface lost; creating it again",
    ];
    fault_and_recover(&mut screen, &x.display, &shown, &said, "the surface faults");
}
