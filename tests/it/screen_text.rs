//! Issue 11: every name and notice shown as written, as large as the screen
//! allows. Layout-level checks (no GPU): a short board fills the body with
//! larger text and keeps one row height on every page; a 3,000-character
//! notice is paged on every screen shape and its pages give back the whole
//! text; a subtitle never repeats the title; uncovered characters become 〓.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use rankwall::feed::Feed;
use rankwall::layout::{self, Metrics, ScreenProfile, SlideRef};
use rankwall::scene::{Scene, TextRun};
use rankwall::text::{Fonts, PLACEHOLDER};

fn demo() -> Feed {
    common::parse(&common::example()).unwrap().0
}

/// The scenes of every page of `slide` on `size`.
fn pages_of(fonts: &mut Fonts, feed: &Feed, size: &str, slide: SlideRef) -> Vec<Scene> {
    let profile = ScreenProfile::parse(size).unwrap();
    common::all_pages(fonts, feed, &profile)
        .into_iter()
        .filter(|(p, _)| p.slide == slide)
        .map(|(_, s)| s)
        .collect()
}

fn run_of<'s>(scene: &'s Scene, text: &str) -> &'s TextRun {
    scene
        .texts
        .iter()
        .find(|t| t.text == text)
        .unwrap_or_else(|| panic!("no run {text:?}"))
}

/// The 7 townships of the demo's 乡镇 board: the table reaches at least 95 %
/// of the body's height and names are drawn at least 1.2 times the base row
/// text, on landscape, 4K and portrait screens.
#[test]
fn a_short_board_fills_the_body_with_larger_names() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let board = &feed.boards[0];
    assert_eq!(board.entries.len(), 7, "the demo's township board");
    for size in ["1920x1080", "3840x2160", "1080x1920"] {
        let profile = ScreenProfile::parse(size).unwrap();
        let base = Metrics::for_profile(&profile).row_size;
        let body = layout::body_rect(&profile);
        let scenes = pages_of(&mut fonts, &feed, size, SlideRef::Board(0));
        assert_eq!(scenes.len(), 1, "{size}: one page");
        let last = run_of(&scenes[0], &board.entries[6].name);
        let filled = (last.clip.y + last.clip.h - body.y) / body.h;
        assert!(
            filled >= 0.95,
            "{size}: the table fills {:.0} % of the body",
            filled * 100.0
        );
        for e in &board.entries {
            let run = run_of(&scenes[0], &e.name);
            assert!(
                run.size >= 1.2 * base,
                "{size}: {} drawn at {} px, base {base}",
                e.name,
                run.size
            );
        }
    }
}

/// The 70-village board pages; every page has the same row height and text
/// size, so paging never makes the text jump.
#[test]
fn every_page_of_a_board_uses_the_same_rows() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    for size in ["1920x1080", "1080x1920", "3840x2160"] {
        let scenes = pages_of(&mut fonts, &feed, size, SlideRef::Board(2));
        assert!(scenes.len() > 1, "{size}: the village board pages");
        let rows: Vec<(f32, f32)> = scenes
            .iter()
            .map(|s| {
                let names: Vec<&TextRun> = feed.boards[2]
                    .entries
                    .iter()
                    .filter_map(|e| s.texts.iter().find(|t| t.text == e.name))
                    .collect();
                (names[0].clip.h, names[0].size)
            })
            .collect();
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "{size}: {rows:?}");
    }
}

/// A 3,000-character notice: several pages at 1920×1080 and on the
/// 1280×256 strip, each marked 第 k/n 页, and the pages read in order give
/// back the whole text.
#[test]
fn a_long_notice_is_paged_and_nothing_is_lost() {
    let mut fonts = Fonts::bundled();
    let mut v = common::example();
    let body: String = "各村每月25日前完成环境整治自查，发现问题立行立改，结果报镇（街道）汇总。\n"
        .chars()
        .cycle()
        .take(3_000)
        .collect();
    v["notices"][0]["body"] = serde_json::json!(body);
    let feed = common::parse(&v).unwrap().0;
    let wanted: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    for size in ["1920x1080", "1280x256", "1080x1920"] {
        let scenes = pages_of(&mut fonts, &feed, size, SlideRef::Notice(0));
        let n = scenes.len();
        assert!(n > 1, "{size}: {n} page(s)");
        let mut read = String::new();
        for (k, scene) in scenes.iter().enumerate() {
            let marker = format!("第 {}/{n} 页", k + 1);
            assert!(
                scene.texts.iter().any(|t| t.text.contains(&marker)),
                "{size}: no {marker}"
            );
            // The body's lines: one run each, inside the body, top to bottom.
            let body = layout::body_rect(&ScreenProfile::parse(size).unwrap());
            let mut lines: Vec<_> = scene
                .texts
                .iter()
                .filter(|t| t.clip.y >= body.y && t.clip.y + t.clip.h <= body.y + body.h)
                .collect();
            lines.sort_by(|a, b| a.clip.y.total_cmp(&b.clip.y));
            assert!(!lines.is_empty(), "{size}: page {} has no body lines", k + 1);
            for line in lines {
                read.extend(line.text.chars().filter(|c| !c.is_whitespace()));
            }
        }
        assert_eq!(read, wanted, "{size}: the pages in order give back the text");
    }
}

/// "2026年11月 红榜" is not subtitled "2026年11月" again; the 乡镇 board, whose
/// title says 乡镇 but not the period, is subtitled with the period alone.
#[test]
fn a_subtitle_does_not_repeat_the_title() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let red = feed
        .lists
        .iter()
        .position(|l| l.title == "2026年11月 红榜")
        .unwrap();
    let list = &pages_of(&mut fonts, &feed, "1920x1080", SlideRef::List(red))[0];
    let period = &feed.period.label;
    let said = list
        .texts
        .iter()
        .filter(|t| t.text.contains(period.as_str()))
        .count();
    assert_eq!(
        said,
        1,
        "the period once, in the title: {:?}",
        list.texts.iter().map(|t| &t.text).collect::<Vec<_>>()
    );
    let board = &pages_of(&mut fonts, &feed, "1920x1080", SlideRef::Board(0))[0];
    assert!(board.texts.iter().any(|t| &t.text == period), "board subtitle");
    assert!(
        !board.texts.iter().any(|t| t.text.contains(" · 乡镇")),
        "乡镇 said twice"
    );
}

/// Names with rare characters: 𠮷 and 𡈼 are covered by the bundled fonts;
/// a character no font has (U+31350, CJK Extension H, newer than Noto) is
/// laid out as 〓, exactly like the name typed with 〓.
#[test]
fn rare_names_are_covered_and_the_rest_become_the_geta_mark() {
    let mut fonts = Fonts::bundled();
    for c in ['𠮷', '𡈼'] {
        assert!(fonts.covers(c), "{c} U+{:X}", c as u32);
    }
    let uncovered = '\u{31350}';
    assert!(!fonts.covers(uncovered));
    let mut v = common::example();
    v["lists"][0]["entries"][0]["name"] = serde_json::json!(format!("陈{uncovered}祥"));
    let with_missing = common::parse(&v).unwrap().0;
    v["lists"][0]["entries"][0]["name"] = serde_json::json!(format!("陈{PLACEHOLDER}祥"));
    let with_mark = common::parse(&v).unwrap().0;
    for size in common::SIZES {
        let a = pages_of(&mut fonts, &with_missing, size, SlideRef::List(0));
        let b = pages_of(&mut fonts, &with_mark, size, SlideRef::List(0));
        assert_eq!(a, b, "{size}: laid out as if 〓 were typed");
        assert!(
            a[0].texts.iter().any(|t| t.text.contains(PLACEHOLDER)),
            "{size}: 〓 drawn"
        );
    }
}
