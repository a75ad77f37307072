//! Golden images of the example feed on the four screen sizes: a board page,
//! a red-list page, a black-list page and a notice. GPU tests: they run on
//! lavapipe in CI and fail without an adapter unless RANKWALL_SKIP_GPU_TESTS=1.
//!
//! RANKWALL_UPDATE_GOLDEN=1 rewrites the golden files. On a mismatch the test
//! writes `<name>-actual.png` and `<name>-diff.png` beside the golden file.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{all_pages, gpu_or_skip, SIZES};
use rankwall::golden::{compare, half, Tolerance};
use rankwall::layout::ScreenProfile;
use rankwall::scene::{Align, Rect, Rgba, Scene, TextRun, Weight};
use rankwall::text::Fonts;
use std::path::PathBuf;

/// The pages that have golden images: first page of each kind of slide.
const PAGES: [&str; 4] = [
    "board-towns-2026-11-p1of",
    "list-red-2026-11-p1of",
    "list-black-2026-11-p1of",
    "notice-winter-2026-p1of",
];

/// The sizes with golden images of the 比学赶超 views too.
const VIEW_SIZES: [&str; 2] = ["1920x1080", "1280x256"];

fn golden_dir(size: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(size)
}

#[test]
fn example_pages_match_golden_images() {
    let Some(mut gpu) = gpu_or_skip() else { return };
    let update = std::env::var("RANKWALL_UPDATE_GOLDEN").as_deref() == Ok("1");
    let mut fonts = Fonts::bundled();
    let feed = rankwall::feed::demo().unwrap().0;
    let mut failures = Vec::new();
    let mut compared = 0;
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        let dir = golden_dir(size);
        std::fs::create_dir_all(&dir).unwrap();
        let mut golden: Vec<(String, rankwall::scene::Scene)> = Vec::new();
        for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
            let stem = page.file_stem();
            if let Some(prefix) = PAGES.iter().find(|p| stem.starts_with(*p)) {
                golden.push((prefix.trim_end_matches("-p1of").to_string(), scene));
            }
        }
        // The first page of each 比学赶超 view (issue 25) on the two sizes
        // that have them.
        if VIEW_SIZES.contains(&size) {
            for view in common::GOLDEN_VIEWS {
                let (page, scene) = common::view_pages(&mut fonts, &feed, &profile, view).remove(0);
                golden.push((format!("{}-{}", view.word(), page.id), scene));
            }
        }
        for (name, scene) in golden {
            let actual = half(&gpu.render(&mut fonts, &scene).unwrap());
            let path = dir.join(format!("{name}.png"));
            if update {
                rankwall::png::save_png(&actual, &path).unwrap();
                continue;
            }
            let golden = image::open(&path)
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: {e}; run with RANKWALL_UPDATE_GOLDEN=1 to create it",
                        path.display()
                    )
                })
                .to_rgb8();
            let tolerance = Tolerance::default();
            let cmp = compare(&actual, &golden, &tolerance).unwrap();
            eprintln!(
                "{size}/{name}: {} strong pixels, mean {:.4}",
                cmp.strong, cmp.mean_delta
            );
            compared += 1;
            if !cmp.passes(&tolerance) {
                rankwall::png::save_png(&actual, &dir.join(format!("{name}-actual.png"))).unwrap();
                rankwall::png::save_png(&cmp.diff, &dir.join(format!("{name}-diff.png"))).unwrap();
                failures.push(format!(
                    "{size}/{name}: {} strong pixels, mean {:.3}, max {}",
                    cmp.strong, cmp.mean_delta, cmp.max_delta
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (see -actual/-diff images):\n{}",
        failures.join("\n")
    );
    // A renamed page must not pass by comparing nothing; an update run
    // rewrites instead of comparing, and says so by failing here too.
    assert_eq!(
        compared,
        PAGES.len() * SIZES.len() + common::GOLDEN_VIEWS.len() * VIEW_SIZES.len(),
        "every golden page of every size was compared (RANKWALL_UPDATE_GOLDEN=1 rewrites them instead)"
    );
}

#[test]
fn a_changed_score_fails_the_comparison() {
    let Some(mut gpu) = gpu_or_skip() else { return };
    let mut fonts = Fonts::bundled();
    let mut feed = rankwall::feed::demo().unwrap().0;
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let scene = all_pages(&mut fonts, &feed, &profile).remove(0).1;
    let before = half(&gpu.render(&mut fonts, &scene).unwrap());
    feed.boards[0].entries[3].score = Some(78.3);
    let scene = all_pages(&mut fonts, &feed, &profile).remove(0).1;
    let after = half(&gpu.render(&mut fonts, &scene).unwrap());
    let tolerance = Tolerance::default();
    let cmp = compare(&after, &before, &tolerance).unwrap();
    assert!(
        !cmp.passes(&tolerance),
        "77.3 → 78.3 must be caught: {} strong pixels",
        cmp.strong
    );
    let same = compare(&before, &before, &tolerance).unwrap();
    assert_eq!(same.strong, 0);
}

/// Issue 11, on pixels: a name holding a character no font covers
/// (U+31350) renders exactly like the same name with 〓 typed in its place.
#[test]
fn an_uncovered_character_is_drawn_as_the_geta_mark() {
    let Some(mut gpu) = gpu_or_skip() else { return };
    let mut fonts = Fonts::bundled();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let mut draw = |name: &str| {
        let mut v = common::example();
        v["lists"][0]["entries"][0]["name"] = serde_json::json!(name);
        let feed = common::parse(&v).unwrap().0;
        let (_, scene) = all_pages(&mut fonts, &feed, &profile)
            .into_iter()
            .find(|(p, _)| p.slide == rankwall::layout::SlideRef::List(0))
            .unwrap();
        gpu.render(&mut fonts, &scene).unwrap()
    };
    let missing = draw("陈\u{31350}祥");
    let marked = draw("陈\u{3013}祥");
    let blank = draw("陈 祥");
    assert!(missing.as_raw() == marked.as_raw(), "not drawn as 〓");
    assert!(missing.as_raw() != blank.as_raw(), "the comparison sees the name");
}

#[test]
fn quads_text_and_background_land_where_the_scene_says() {
    let Some(mut gpu) = gpu_or_skip() else { return };
    let mut fonts = Fonts::bundled();
    let mut scene = Scene::new(400, 200, Rgba::hex(0x0B1F3A));
    scene.fill(Rect::new(10.0, 10.0, 100.0, 50.0), Rgba::hex(0xF2C14E), 0.0);
    scene.fill(Rect::new(200.0, 20.0, 120.0, 120.0), Rgba::hex(0x7A0E0E), 30.0);
    let clip = Rect::new(20.0, 100.0, 150.0, 60.0);
    let top = fonts.line_top_for_center(40.0, 130.0);
    scene.texts.push(TextRun {
        text: "闹枝镇 85.0 超出框外的文字".into(),
        clip,
        origin_y: top,
        size: 40.0,
        line_height: rankwall::text::line_height(40.0),
        weight: Weight::Bold,
        align: Align::Left,
        color: Rgba::hex(0xFFFFFF),
        wrap: false,
        shift_x: 0.0,
    });
    let img = gpu.render(&mut fonts, &scene).unwrap();
    let px = |x: u32, y: u32| img.get_pixel(x, y).0;
    assert_eq!(px(390, 190), [0x0B, 0x1F, 0x3A, 255], "background");
    assert_eq!(px(50, 30), [0xF2, 0xC1, 0x4E, 255], "square quad");
    assert_eq!(px(260, 80), [0x7A, 0x0E, 0x0E, 255], "rounded quad centre");
    assert_eq!(
        px(201, 21),
        [0x0B, 0x1F, 0x3A, 255],
        "rounded corner stays background"
    );
    let bright = |x0: u32, x1: u32, y0: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y)[0] > 200)
            .count()
    };
    assert!(bright(20, 170, 100, 160) > 300, "text is drawn inside its box");
    assert_eq!(
        bright(170, 200, 95, 165),
        0,
        "nothing is drawn right of the clip box"
    );
}

/// `rankwall render` draws through the player and `offscreen::paint` (the
/// screen's path), not the scene renderer above: its pages must match the
/// same golden images.
#[test]
fn render_through_the_screen_path_matches_the_golden_images() {
    if gpu_or_skip().is_none() {
        return;
    }
    let out = common::temp_dir("golden-render");
    let mut compared = 0;
    for size in ["1920x1080", "1280x256"] {
        let opts = rankwall::cli::RenderOptions {
            feed: None,
            size: rankwall::config::PanelSize::parse(size).unwrap(),
            out: out.join(size),
            at: Some(common::golden_instant().to_rfc3339()),
            theme: rankwall::config::ThemeSettings::default(),
            cache_dir: None,
        };
        let files = rankwall::cli::render(&opts).unwrap();
        // The golden pages, and the first page of each 比学赶超 view.
        let views: Vec<String> = common::GOLDEN_VIEWS
            .iter()
            .map(|v| format!("{}-", v.word()))
            .collect();
        let prefixes = PAGES.iter().map(|p| p.to_string()).chain(views);
        for prefix in prefixes {
            let file = files
                .iter()
                .find(|f| {
                    let name = &f.file_name().unwrap().to_string_lossy()[4..];
                    name.starts_with(&prefix) && name.contains("-p1of")
                })
                .unwrap_or_else(|| panic!("{size}: no page {prefix}* among {files:?}"));
            let stem = file.file_name().unwrap().to_string_lossy()[4..].to_string();
            let name = &stem[..stem.find("-p1of").unwrap()];
            let actual = half(&image::open(file).unwrap().to_rgba8());
            let golden = image::open(golden_dir(size).join(format!("{name}.png")))
                .unwrap()
                .to_rgb8();
            let tolerance = Tolerance::default();
            let cmp = compare(&actual, &golden, &tolerance).unwrap();
            assert!(
                cmp.passes(&tolerance),
                "{size}/{name} through the screen path: {} strong pixels, mean {:.3}",
                cmp.strong,
                cmp.mean_delta
            );
            compared += 1;
        }
    }
    assert_eq!(
        compared,
        2 * (PAGES.len() + common::GOLDEN_VIEWS.len()),
        "every golden page was compared"
    );
}

/// Issue 15: the same page at the same instant, fresh and stale, differs
/// only in the footer, where the stale marker replaces the update line, on
/// every screen shape; and it does differ there.
#[test]
fn fresh_and_stale_differ_only_in_the_markers_footer() {
    use rankwall::layout::{body_rect, layout_page, Context, Theme};
    let Some(mut gpu) = gpu_or_skip() else { return };
    let mut fonts = Fonts::bundled();
    let feed = rankwall::feed::demo().unwrap().0;
    for size in common::SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        let page = all_pages(&mut fonts, &feed, &profile).remove(0).0;
        let theme = Theme::default();
        let draw = |fonts: &mut Fonts, gpu: &mut rankwall::render::ImageRenderer, stale: bool| {
            let ctx = Context {
                feed: &feed,
                profile: &profile,
                theme: &theme,
                now: common::golden_instant(),
                // The demo data is 5 s old at the golden instant: a 1 s
                // limit makes it stale, no limit keeps it fresh.
                stale_after: stale.then(|| chrono::Duration::seconds(1)),
                mask_names: None,
            };
            let scene = layout_page(fonts, &ctx, &page);
            gpu.render(fonts, &scene).unwrap()
        };
        let fresh = draw(&mut fonts, &mut gpu, false);
        let stale = draw(&mut fonts, &mut gpu, true);
        let changed_rows: Vec<u32> = fresh
            .enumerate_pixels()
            .filter(|(x, y, p)| *p != stale.get_pixel(*x, *y))
            .map(|(_, y, _)| y)
            .collect();
        let footer_top = (body_rect(&profile).y + body_rect(&profile).h).floor() as u32;
        assert!(
            !changed_rows.is_empty(),
            "{size}: the stale marker changed nothing"
        );
        let first = *changed_rows.iter().min().unwrap();
        assert!(
            first >= footer_top,
            "{size}: stale and fresh differ at row {first}, above the footer (from row {footer_top})"
        );
    }
}

/// Issue 15: the footer's minute (数据更新于 … 10:00 → 10:08) and the page
/// marker (第 1/3 页 → 第 2/3 页) each change one glyph; the golden
/// comparison must catch either change at every screen size, so a wrong
/// minute or page number on the wall cannot pass as anti-aliasing noise.
#[test]
fn a_changed_footer_minute_or_page_marker_fails_at_every_size() {
    use rankwall::layout::{layout_page, Context, PageRef, Theme};
    let Some(mut gpu) = gpu_or_skip() else { return };
    let mut fonts = Fonts::bundled();
    let feed = rankwall::feed::demo().unwrap().0;
    let mut later = feed.clone();
    later.generated_at += chrono::Duration::minutes(8);
    let tolerance = Tolerance::default();
    let mut caught = Vec::new();
    let mut missed = Vec::new();
    // The golden sizes and a small monitor, where a digit has fewest pixels.
    let sizes: Vec<&str> = SIZES.iter().copied().chain(["640x360"]).collect();
    for size in &sizes {
        let profile = ScreenProfile::parse(size).unwrap();
        let theme = Theme::default();
        let page = all_pages(&mut fonts, &feed, &profile)
            .into_iter()
            .map(|(p, _)| p)
            .find(|p| p.count > 1)
            .unwrap_or_else(|| panic!("{size}: no slide with more than one page"));
        let mut draw = |feed: &rankwall::feed::Feed, page: &PageRef| {
            let ctx = Context {
                feed,
                profile: &profile,
                theme: &theme,
                now: common::golden_instant(),
                stale_after: None,
                mask_names: None,
            };
            let scene = layout_page(&mut fonts, &ctx, page);
            half(&gpu.render(&mut fonts, &scene).unwrap())
        };
        let base = draw(&feed, &page);
        let minute = draw(&later, &page);
        // The same rows under the next page's number: only the marker differs.
        let renumbered = PageRef {
            index: page.index + 1,
            ..page.clone()
        };
        let marker = draw(&feed, &renumbered);
        for (what, changed) in [("footer minute", &minute), ("page marker", &marker)] {
            let cmp = compare(changed, &base, &tolerance).unwrap();
            let line = format!(
                "{size} {what}: {} strong pixels, mean {:.4}",
                cmp.strong, cmp.mean_delta
            );
            if cmp.passes(&tolerance) {
                missed.push(line);
            } else {
                caught.push(line);
            }
        }
    }
    eprintln!("caught:\n{}", caught.join("\n"));
    assert!(
        missed.is_empty(),
        "changes the golden compare let through:\n{}",
        missed.join("\n")
    );
    assert_eq!(caught.len(), 2 * sizes.len());
}
