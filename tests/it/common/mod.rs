//! Helpers shared by the integration tests.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

pub mod alone;
pub mod console_app;
pub mod console_process;
pub mod screen;
pub mod tls;
pub mod x11;

use rankwall::feed::{self, Feed, Refusal, Report};
use rankwall::render::ImageRenderer;
use serde_json::Value;

/// The example feed as generic JSON, to be modified by a test.
pub fn example() -> Value {
    serde_json::from_str(feed::DEMO_FEED).expect("demo feed is JSON")
}

/// The demo feed generated now: fresh for 48 h, so that a test whose screen
/// must be healthy passes whatever today's date (the example's own date
/// turns it stale two days after it was written).
pub fn fresh_example() -> Value {
    let mut feed = example();
    feed["generated_at"] = chrono::Utc::now().to_rfc3339().into();
    feed
}

/// Serialises `v` and runs the real parser on the bytes.
pub fn parse(v: &Value) -> Result<(Feed, Report), Refusal> {
    feed::parse(serde_json::to_string(v).expect("serialise").as_bytes())
}

/// The environment variable that (only when set to 1) lets GPU tests skip
/// on a machine without an adapter. CI never sets it.
pub const SKIP_GPU: &str = "RANKWALL_SKIP_GPU_TESTS";

/// A headless renderer, or `None` when there is no adapter and skipping was
/// asked for explicitly. Without the variable, a missing adapter fails the test.
pub fn gpu_or_skip() -> Option<ImageRenderer> {
    match ImageRenderer::new() {
        Ok(h) => Some(h),
        Err(e) if std::env::var(SKIP_GPU).as_deref() == Ok("1") => {
            eprintln!("SKIPPED: no GPU adapter ({e}); {SKIP_GPU}=1 asked to skip");
            None
        }
        Err(e) => panic!(
            "no GPU adapter for the GPU tests: {e}.\n\
             Install lavapipe (Debian: apt-get install mesa-vulkan-drivers), \
             or set {SKIP_GPU}=1 to skip these tests explicitly."
        ),
    }
}

use rankwall::layout::{self, Context, PageRef, ScreenProfile, Theme};
use rankwall::scene::{Rect, Scene};
use rankwall::text::Fonts;

/// The screen sizes every slide must work on.
pub const SIZES: [&str; 4] = ["1920x1080", "1080x1920", "3840x2160", "1280x256"];

/// The instant the golden images show.
pub fn golden_instant() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:05+08:00").unwrap()
}

/// Lays out every page of `feed` on `profile`.
pub fn all_pages(fonts: &mut Fonts, feed: &Feed, profile: &ScreenProfile) -> Vec<(PageRef, Scene)> {
    let theme = Theme::default();
    let now = golden_instant();
    let ctx = Context {
        feed,
        profile,
        theme: &theme,
        now,
        stale_after: None,
        mask_names: None,
    };
    layout::paginate(fonts, feed, profile, now)
        .into_iter()
        .map(|p| {
            let s = layout::layout_page(fonts, &ctx, &p);
            (p, s)
        })
        .collect()
}

/// Everything wrong with a scene: boxes off screen, text wider than its box
/// or outside it vertically, fractional positions, text below the minimum
/// size, uncovered characters, contrast under 7:1.
pub fn scene_problems(fonts: &mut Fonts, scene: &Scene, min_text: f32) -> Vec<String> {
    let screen = scene.bounds();
    let mut out = Vec::new();
    for q in &scene.quads {
        if !screen.contains(&q.rect, 0.0) {
            out.push(format!("quad {:?} leaves the screen", q.rect));
        }
    }
    for run in &scene.texts {
        let r = &run.clip;
        let name = format!("{:?}", run.text);
        if !screen.contains(r, 0.0) {
            out.push(format!("{name}: box {r:?} leaves the screen"));
        }
        if [r.x, r.y, r.w, r.h, run.origin_y]
            .iter()
            .any(|v| v.fract() != 0.0)
        {
            out.push(format!(
                "{name}: not on whole pixels: {r:?} origin {}",
                run.origin_y
            ));
        }
        if run.size < min_text {
            out.push(format!("{name}: size {} below the minimum {min_text}", run.size));
        }
        if run.wrap {
            let (lines, widest) = fonts.wrap_lines(&run.text, r.w, run.size, run.weight);
            if lines as f32 * run.line_height > r.h || widest > r.w {
                out.push(format!("{name}: paragraph of {lines} lines overflows {r:?}"));
            }
        } else {
            let w = fonts.line_width(&run.text, run.size, run.weight);
            if w > r.w {
                out.push(format!("{name}: width {w} exceeds box {r:?}"));
            }
            let (top, bottom) = fonts.ink_extent(run.size, run.origin_y);
            if top < r.y - 1.0 || bottom > r.bottom() + 1.0 {
                out.push(format!("{name}: ink {top}..{bottom} outside box {r:?}"));
            }
        }
        if let Some(c) = run.text.chars().find(|c| !c.is_whitespace() && !fonts.covers(*c)) {
            out.push(format!("{name}: {c:?} not covered by the fonts"));
        }
        let under = background_under(scene, r);
        let ratio = run.color.contrast(under);
        if ratio < 7.0 {
            out.push(format!("{name}: contrast {ratio:.2} against {under:?}"));
        }
    }
    out
}

/// The colour painted last under the centre of `r`.
pub fn background_under(scene: &Scene, r: &Rect) -> rankwall::scene::Rgba {
    let (cx, cy) = (r.x + r.w / 2.0, r.y + r.h / 2.0);
    scene
        .quads
        .iter()
        .rev()
        .find(|q| cx >= q.rect.x && cx < q.rect.right() && cy >= q.rect.y && cy < q.rect.bottom())
        .map_or(scene.background, |q| q.color)
}

/// A fresh folder for one test, named after it, removed when the test ends
/// (also when it fails). It derefs to its path.
pub fn temp_dir(name: &str) -> TestDir {
    TestDir(
        tempfile::Builder::new()
            .prefix(&format!("rankwall-test-{name}-"))
            .tempdir()
            .unwrap(),
    )
}

/// A test's temporary folder (see [`temp_dir`]).
pub struct TestDir(tempfile::TempDir);

impl std::ops::Deref for TestDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl AsRef<std::path::Path> for TestDir {
    fn as_ref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl AsRef<std::ffi::OsStr> for TestDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.path().as_os_str()
    }
}

/// `rankwall check --config PATH` under `LANG=C` (messages in English):
/// its exit code and what it printed.
pub fn check_config(path: &std::path::Path) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["check", "--config"])
        .arg(path)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The 比学赶超 views the golden images show (退步较大 is 进步最快's variant).
pub const GOLDEN_VIEWS: [rankwall::slide::BoardView; 5] = {
    use rankwall::slide::BoardView::*;
    [Improved, Trend, Scores, Awards, Roster]
};

/// Every page of `view` of the first board of `feed` that has its data,
/// laid out on `profile` at the golden instant.
pub fn view_pages(
    fonts: &mut Fonts,
    feed: &Feed,
    profile: &ScreenProfile,
    view: rankwall::slide::BoardView,
) -> Vec<(PageRef, Scene)> {
    let pages = (0..feed.boards.len())
        .map(|i| layout::paginate_view(feed, profile, i, view))
        .find(|p| !p.is_empty())
        .unwrap_or_default();
    pages
        .into_iter()
        .map(|p| {
            let s = lay_out(fonts, feed, profile, &p);
            (p, s)
        })
        .collect()
}

/// One page laid out on `profile` at the golden instant, default theme.
pub fn lay_out(fonts: &mut Fonts, feed: &Feed, profile: &ScreenProfile, page: &PageRef) -> Scene {
    let theme = Theme::default();
    let ctx = Context {
        feed,
        profile,
        theme: &theme,
        now: golden_instant(),
        stale_after: None,
        mask_names: None,
    };
    layout::layout_page(fonts, &ctx, page)
}
