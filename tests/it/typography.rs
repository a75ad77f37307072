//! Typography (issue 29), on the scene without a GPU: one size per table
//! column on a page, a short notice set as a poster, Chinese line breaks, a
//! board's grades kept at every screen size, the parent named on the strip.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{all_pages, SIZES};
use proptest::prelude::*;
use rankwall::feed::{self, Feed};
use rankwall::layout::{body_rect, Metrics, ScreenProfile, SlideRef};
use rankwall::scene::Scene;
use rankwall::text::breaks::{is_closing, is_opening};
use rankwall::text::Fonts;
use std::collections::BTreeMap;

fn demo() -> Feed {
    feed::demo().unwrap().0
}

/// The columns (text runs sharing a box's left edge, width and height, and
/// a weight: a strip stacks a list entry's place and reason in boxes of one
/// shape) of a scene that mix sizes, each with the sizes and texts it holds.
pub fn mixed_columns(scene: &Scene) -> Vec<String> {
    /// A box's left edge, width and height, and whether its text is bold.
    type ColumnKey = (i64, i64, i64, bool);
    let mut columns: BTreeMap<ColumnKey, Vec<(f32, &str)>> = BTreeMap::new();
    for t in &scene.texts {
        let bold = t.weight == rankwall::scene::Weight::Bold;
        let key = (t.clip.x as i64, t.clip.w as i64, t.clip.h as i64, bold);
        columns.entry(key).or_default().push((t.size, &t.text));
    }
    columns
        .into_iter()
        .filter(|(_, runs)| runs.iter().any(|(s, _)| *s != runs[0].0))
        .map(|(key, runs)| format!("column at x {} (w {}, h {}): {runs:?}", key.0, key.1, key.2))
        .collect()
}

#[test]
fn every_column_on_every_demo_page_is_set_in_one_size() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
            let mixed = mixed_columns(&scene);
            assert!(mixed.is_empty(), "{size} {}: {mixed:#?}", page.file_stem());
        }
    }
}

/// The notice's body lines: the runs inside the body area.
fn body_lines<'s>(scene: &'s Scene, profile: &ScreenProfile) -> Vec<&'s rankwall::scene::TextRun> {
    let body = body_rect(profile);
    scene
        .texts
        .iter()
        .filter(|t| t.clip.y >= body.y && t.clip.bottom() <= body.bottom())
        .collect()
}

#[test]
fn a_short_notice_is_set_as_a_poster() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    for size in ["1920x1080", "1080x1920"] {
        let profile = ScreenProfile::parse(size).unwrap();
        let pages = all_pages(&mut fonts, &feed, &profile);
        let (_, scene) = pages
            .iter()
            .find(|(p, _)| matches!(p.slide, SlideRef::Notice(_)))
            .unwrap();
        let lines = body_lines(scene, &profile);
        assert!(lines.len() >= 2, "{size}: {lines:#?}");
        let m = Metrics::for_profile(&profile);
        // The size notices were set in before (issue 29): the row size × 1.1.
        let before = (m.row_size * 1.1).round();
        for l in &lines {
            assert!(
                l.size >= 2.0 * before,
                "{size}: {} px, before {before} px",
                l.size
            );
        }
        // The body area: the body between the header and footer rules.
        let area_h = body_rect(&profile).h;
        let top = lines.iter().map(|l| l.clip.y).fold(f32::MAX, f32::min);
        let bottom = lines.iter().map(|l| l.clip.bottom()).fold(0.0, f32::max);
        let covered = (bottom - top) / area_h;
        eprintln!(
            "{size}: notice body at {} px (before {before} px), covering {covered:.2} of the body's height",
            lines[0].size
        );
        assert!(
            covered >= 0.6,
            "{size}: the block covers {covered:.2} of the body's height"
        );
    }
}

#[test]
fn a_board_with_grades_shows_every_grade_in_portrait() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1080x1920").unwrap();
    for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
        let SlideRef::Board(i) = page.slide else { continue };
        let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
        for e in &feed.boards[i].entries[page.rows.clone()] {
            if let Some(grade) = &e.grade {
                assert!(
                    texts.contains(&grade.as_str()),
                    "{}: no {grade} for {}",
                    page.file_stem(),
                    e.name
                );
            }
        }
    }
}

#[test]
fn a_strip_board_page_names_the_parent() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1280x256").unwrap();
    let mut seen = 0;
    for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
        let SlideRef::Board(i) = page.slide else { continue };
        let e = &feed.boards[i].entries[page.rows.start];
        if let Some(parent) = &e.parent {
            let wanted = format!("{} · {parent}", e.name);
            assert!(
                scene.texts.iter().any(|t| t.text == wanted),
                "{}: no {wanted}",
                page.file_stem()
            );
            seen += 1;
        }
    }
    assert!(seen > 0, "the demo has villages with parents");
}

/// Chinese text with punctuation of every kind, in paragraphs.
fn notice_text() -> impl Strategy<Value = String> {
    let chars: Vec<char> =
        "乡镇村街道花山整治垃圾污水厕所庭院清理，。、；：！？）」』】》（「『【《“”…\n2026-11%"
            .chars()
            .collect();
    prop::collection::vec(prop::sample::select(chars), 1..400).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_notice_line_starts_with_closing_or_ends_with_opening_punctuation(
        body in notice_text(),
        size in prop::sample::select(SIZES.to_vec()),
    ) {
        let mut fonts = Fonts::bundled();
        let mut feed = demo();
        feed.notices[0].body = body.clone();
        let profile = ScreenProfile::parse(size).unwrap();
        for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
            if !matches!(page.slide, SlideRef::Notice(_)) {
                continue;
            }
            for line in body_lines(&scene, &profile) {
                let text = line.text.trim();
                let (first, last) = (text.chars().next(), text.chars().last());
                // A line of nothing but punctuation, a paragraph that starts
                // with a closing mark or ends with an opening one: nothing
                // else could be done with those.
                if text.chars().all(|c| is_closing(c) || is_opening(c)) {
                    continue;
                }
                let starts_paragraph = body.split('\n').any(|p| p.trim_start().starts_with(text));
                let ends_paragraph = body.split('\n').any(|p| p.trim_end().ends_with(text));
                prop_assert!(starts_paragraph || !first.is_some_and(is_closing), "{size}: {text:?} in {body:?}");
                prop_assert!(ends_paragraph || !last.is_some_and(is_opening), "{size}: {text:?} in {body:?}");
            }
        }
    }
}

#[test]
fn the_notice_breaks_are_common_to_the_layout_and_the_page_count() {
    // A long notice pages as before: at the body size, whole lines per page.
    let mut fonts = Fonts::bundled();
    let mut feed = demo();
    feed.notices[0].body = "请各村于每月底前完成清理，逐户检查。".repeat(40);
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let pages: Vec<_> = all_pages(&mut fonts, &feed, &profile)
        .into_iter()
        .filter(|(p, _)| matches!(p.slide, SlideRef::Notice(_)))
        .collect();
    assert!(pages.len() > 1, "a long notice takes several pages");
    let shown: String = pages
        .iter()
        .flat_map(|(_, s)| body_lines(s, &profile))
        .map(|t| t.text.clone())
        .collect();
    assert_eq!(shown, feed.notices[0].body, "every character on exactly one page");
}

#[test]
fn check_config_says_what_a_board_leaves_out_on_its_screen() {
    let feed = demo();
    let towns = &feed.boards[0];
    let portrait = rankwall::layout::dropped(towns, &ScreenProfile::parse("1080x1920").unwrap());
    assert_eq!(portrait.sub_scores, towns.columns.len(), "{portrait:?}");
    assert!(portrait.change_number && !portrait.parent, "{portrait:?}");
    let wide = rankwall::layout::dropped(towns, &ScreenProfile::parse("2560x1080").unwrap());
    assert_eq!(wide, rankwall::layout::Dropped::default());

    let dir = crate::common::temp_dir("typography");
    let config = std::fs::read_to_string("assets/rankwall.toml")
        .unwrap()
        .replace("size = \"1920x1080\"", "size = \"1080x1920\"");
    assert!(config.contains("1080x1920"), "the example config names its size");
    // The example playlist has a 分项得分 slide of each township board: the
    // sub-scores are shown there, and only the change number is left out.
    let path = dir.join("portrait.toml");
    std::fs::write(&path, &config).unwrap();
    let (_, text) = crate::common::check_config(&path);
    assert!(
        text.contains("warning: on 1080x1920 board towns-2026-11 leaves out the number of places changed"),
        "{text}"
    );
    assert!(!text.contains("sub-score columns"), "{text}");
    // Without it, check --config names the slide that would show them.
    let without = config.replace(
        "select = { level = \"township\", group = \"乡镇\", view = \"scores\" }",
        "select = { level = \"township\", group = \"乡镇\", view = \"trend\" }",
    );
    assert_ne!(without, config);
    std::fs::write(&path, without).unwrap();
    let (_, text) = crate::common::check_config(&path);
    assert!(
        text.contains(
            "warning: on 1080x1920 board towns-2026-11 leaves out its 6 sub-score columns: \
             no 分项得分 slide of this playlist shows them \
             (add an item with select = { level = \"township\", group = \"乡镇\", view = \"scores\" })"
        ),
        "{text}"
    );
    assert!(
        !text.contains("board streets-2026-11 leaves out its 6 sub-score"),
        "{text}"
    );
}
