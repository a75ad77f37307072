//! Layout tests on the scene, without a GPU: every page of the example feed
//! on every screen size, pagination, and a property test over random feeds
//! and screen sizes.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{all_pages, scene_problems, SIZES};
use proptest::prelude::*;
use rankwall::feed::{
    self, Board, BoardEntry, Column, Feed, Level, ListEntry, ListKind, Notice, Period, PeriodKind, RankList,
};
use rankwall::layout::{self, ScreenProfile, Shape, SlideRef};
use rankwall::text::Fonts;
use std::collections::BTreeMap;

fn demo() -> Feed {
    feed::demo().unwrap().0
}

#[test]
fn every_example_page_fits_on_every_screen() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
            let problems = scene_problems(&mut fonts, &scene, profile.min_text);
            assert!(problems.is_empty(), "{size} {}: {problems:#?}", page.file_stem());
            assert!(!scene.texts.is_empty());
        }
    }
}

#[test]
fn pages_cover_every_entry_exactly_once() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        let pages = layout::paginate(&mut fonts, &feed, &profile, common::golden_instant());
        // Every entry on exactly one page, in order: no gap, no overlap
        // (nothing is deduplicated), boards and lists alike.
        let rows_of = |slide: SlideRef| -> Vec<usize> {
            pages
                .iter()
                .filter(|p| p.slide == slide)
                .flat_map(|p| p.rows.clone())
                .collect()
        };
        for (i, board) in feed.boards.iter().enumerate() {
            let expected: Vec<usize> = (0..board.entries.len()).collect();
            assert_eq!(rows_of(SlideRef::Board(i)), expected, "{size} {}", board.id);
        }
        for (i, list) in feed.lists.iter().enumerate() {
            let expected: Vec<usize> = (0..list.entries.len()).collect();
            assert_eq!(rows_of(SlideRef::List(i)), expected, "{size} {}", list.id);
        }
        if profile.shape == Shape::Strip {
            assert!(
                pages
                    .iter()
                    .filter(|p| !matches!(p.slide, SlideRef::Notice(_)))
                    .all(|p| p.rows.len() == 1),
                "one entry per strip page"
            );
        }
    }
}

#[test]
fn every_entry_name_appears_on_its_page() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    for (page, scene) in all_pages(&mut fonts, &feed, &profile) {
        let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
        let names: Vec<&str> = match page.slide {
            SlideRef::Board(i) => feed.boards[i].entries[page.rows.clone()]
                .iter()
                .map(|e| e.name.as_str())
                .collect(),
            SlideRef::List(i) => feed.lists[i].entries[page.rows.clone()]
                .iter()
                .map(|e| e.name.as_str())
                .collect(),
            SlideRef::Notice(_) | SlideRef::View(..) => vec![],
        };
        for name in names {
            assert!(texts.contains(&name), "{} lacks {name}", page.file_stem());
        }
        if page.count > 1 {
            let marker = format!("第 {}/{} 页", page.index + 1, page.count);
            assert!(
                texts.contains(&marker.as_str()),
                "{} lacks {marker}",
                page.file_stem()
            );
        }
    }
}

#[test]
fn board_rows_show_score_change_and_grade() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let (_, scene) = all_pages(&mut fonts, &feed, &profile).remove(0);
    let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
    for expected in [
        "闹枝镇",
        "85.0",
        "↑3",
        "↓4",
        "—",
        "一类",
        "数据更新于 2026-11-28 10:00",
    ] {
        assert!(texts.contains(&expected), "missing {expected} in {texts:?}");
    }
    let up = scene.texts.iter().find(|t| t.text == "↑3").unwrap();
    let theme = rankwall::layout::Theme::default();
    assert_eq!(up.color, theme.up, "a rise is red");
}

/// Sub-score columns come only beside names at full size: the 7-row board's
/// rows grow to fill a 1920×1080 body (issue 11), and six sub-scores no
/// longer fit beside the larger names there; a 21:9 panel has the room.
#[test]
fn sub_score_columns_only_where_there_is_room() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let has_sub = |size: &str, fonts: &mut Fonts| {
        let profile = ScreenProfile::parse(size).unwrap();
        let (_, scene) = all_pages(fonts, &feed, &profile).remove(0);
        scene.texts.iter().any(|t| t.text == "垃圾治理")
    };
    assert!(has_sub("2560x1080", &mut fonts));
    assert!(!has_sub("1920x1080", &mut fonts));
    assert!(!has_sub("1080x1920", &mut fonts));
    assert!(!has_sub("1280x256", &mut fonts));
}

#[test]
fn long_text_is_cut_with_an_ellipsis_inside_its_box() {
    let mut fonts = Fonts::bundled();
    let mut feed = demo();
    feed.boards[0].entries[0].name = "非常非常长的乡镇名称用来测试省略号的显示效果".repeat(3);
    feed.lists[0].entries[0].reason = Some("原因".repeat(90));
    let profile = ScreenProfile::parse("1080x1920").unwrap();
    let pages = all_pages(&mut fonts, &feed, &profile);
    let cut = pages
        .iter()
        .flat_map(|(_, s)| &s.texts)
        .filter(|t| t.text.ends_with('…'))
        .count();
    assert!(cut >= 2, "expected ellipses, found {cut}");
    for (page, scene) in &pages {
        let problems = scene_problems(&mut fonts, scene, profile.min_text);
        assert!(problems.is_empty(), "{}: {problems:#?}", page.file_stem());
    }
}

#[test]
fn stale_data_is_marked_on_every_slide() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let theme = rankwall::layout::Theme::default();
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        for (now, stale) in [
            ("2026-11-30T10:00:01+08:00", true),
            ("2026-11-30T09:59:59+08:00", false),
        ] {
            let now = chrono::DateTime::parse_from_rfc3339(now).unwrap();
            let ctx = rankwall::layout::Context {
                feed: &feed,
                profile: &profile,
                theme: &theme,
                now,
                stale_after: Some(chrono::Duration::hours(48)),
                mask_names: None,
            };
            for page in layout::paginate(&mut fonts, &feed, &profile, now) {
                let scene = layout::layout_page(&mut fonts, &ctx, &page);
                let marked = scene
                    .texts
                    .iter()
                    .any(|t| t.text == "数据未更新 · 最后更新于 2026-11-28 10:00");
                let updated = scene.texts.iter().any(|t| t.text.starts_with("数据更新于"));
                assert_eq!((marked, updated), (stale, !stale), "{size} {}", page.file_stem());
                let problems = scene_problems(&mut fonts, &scene, profile.min_text);
                assert!(problems.is_empty(), "{size} {}: {problems:#?}", page.file_stem());
            }
        }
    }
}

#[test]
fn layout_is_deterministic() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let a = all_pages(&mut fonts, &feed, &profile);
    let b = all_pages(&mut Fonts::bundled(), &feed, &profile);
    assert_eq!(a, b);
}

// ---- property test over random feeds and screens ----

fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(
        "乡镇村街道花山闹枝蚂蚁河苇沙垃圾治理污水厕所改造红榜黑榜王李张*·—…ABCxyz0123456789 ，。"
            .chars()
            .collect::<Vec<_>>(),
    );
    prop::collection::vec(chars, 1..max).prop_map(|v| {
        let s: String = v.into_iter().collect();
        if s.trim().is_empty() {
            "村".to_string()
        } else {
            s.trim().to_string()
        }
    })
}

fn board_entry() -> impl Strategy<Value = BoardEntry> {
    (
        1u32..200,
        text(30),
        prop::option::of(0.0f64..100.0),
        prop::option::of(1u32..200),
        prop::option::of(text(8)),
        prop::option::of(text(12)),
    )
        .prop_map(|(rank, name, score, previous_rank, grade, parent)| BoardEntry {
            rank,
            name,
            score,
            previous_rank,
            grade,
            parent,
            scores: (0..8)
                .map(|k| (format!("c{k}"), f64::from(rank) * 0.7))
                .collect::<BTreeMap<_, _>>(),
            note: None,
            history: Vec::new(),
            responsible: Vec::new(),
        })
}

fn random_feed() -> impl Strategy<Value = Feed> {
    let board = (text(60), 0usize..9, prop::collection::vec(board_entry(), 0..40)).prop_map(
        |(title, ncols, mut entries)| {
            entries.sort_by_key(|e| e.rank);
            Board {
                id: "b".into(),
                title,
                level: Level::Village,
                group: Some("乡镇".into()),
                columns: (0..ncols)
                    .map(|k| Column {
                        key: format!("c{k}"),
                        label: format!("指标{k}"),
                        max: Some(20.0),
                    })
                    .collect(),
                entries,
                awards: Vec::new(),
            }
        },
    );
    let entry = (text(20), prop::option::of(text(40)), prop::option::of(text(120)))
        .prop_map(|(name, place, reason)| ListEntry { name, place, reason });
    let list =
        (any::<bool>(), text(40), prop::collection::vec(entry, 0..30)).prop_map(|(red, title, entries)| {
            RankList {
                id: "l".into(),
                kind: if red { ListKind::Red } else { ListKind::Black },
                title,
                entries,
            }
        });
    let notice = (text(40), text(200)).prop_map(|(title, body)| Notice {
        id: "n".into(),
        title,
        body,
        from: None,
        until: None,
    });
    (board, list, notice, text(60), text(16), 0i64..4).prop_map(
        |(board, list, notice, issuer, label, age)| Feed {
            generated_at: common::golden_instant() - chrono::Duration::minutes(age * 40),
            issuer: Some(issuer),
            period: Period {
                id: "p".into(),
                label,
                kind: PeriodKind::Month,
            },
            boards: vec![board],
            lists: vec![list],
            notices: vec![notice],
        },
    )
}

proptest! {
    // 40 cases by default (each lays out a whole random feed); PROPTEST_CASES
    // chooses another number, as proptest documents.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(40),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_feeds_fit_random_screens(feed in random_feed(), w in 320u32..4096, h in 128u32..4096) {
        let mut fonts = Fonts::bundled();
        let profile = ScreenProfile::new(w, h).unwrap();
        let theme = rankwall::layout::Theme::default();
        let now = common::golden_instant();
        let ctx = rankwall::layout::Context { feed: &feed, profile: &profile, theme: &theme, now, stale_after: Some(chrono::Duration::hours(1)), mask_names: None };
        let pages = layout::paginate(&mut fonts, &feed, &profile, now);
        // First, last and one middle page of every slide.
        let mut sample = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            if p.index == 0 || p.index + 1 == p.count || p.index == p.count / 2 {
                sample.push(i);
            }
        }
        for i in sample {
            let scene = layout::layout_page(&mut fonts, &ctx, &pages[i]);
            let problems = scene_problems(&mut fonts, &scene, profile.min_text);
            prop_assert!(problems.is_empty(), "{}x{} {}: {:#?}", w, h, pages[i].file_stem(), problems);
            // One size per column (issue 29), and a board never loses its grades.
            let mixed = crate::typography::mixed_columns(&scene);
            prop_assert!(mixed.is_empty(), "{}x{} {}: {:#?}", w, h, pages[i].file_stem(), mixed);
            if let SlideRef::Board(b) = pages[i].slide {
                let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
                for e in &feed.boards[b].entries[pages[i].rows.clone()] {
                    if let Some(grade) = e.grade.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
                        prop_assert!(
                            texts.iter().any(|t| t.starts_with(grade.chars().next().unwrap_or(' '))),
                            "{}x{} {}: no grade {:?}", w, h, pages[i].file_stem(), grade
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn black_lists_mask_names_by_default_and_items_can_choose() {
    let mut fonts = Fonts::bundled();
    let mut feed = demo();
    feed.lists[0].entries[0].name = "宋小丽".into();
    feed.lists[1].entries[0].name = "陆大桂".into();
    let theme = rankwall::layout::Theme::default();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let now = common::golden_instant();
    let names = |mask: Option<bool>, slide: SlideRef, fonts: &mut Fonts| {
        let ctx = rankwall::layout::Context {
            feed: &feed,
            profile: &profile,
            theme: &theme,
            now,
            stale_after: None,
            mask_names: mask,
        };
        let page = layout::paginate(fonts, &feed, &profile, now)
            .into_iter()
            .find(|p| p.slide == slide)
            .unwrap();
        layout::layout_page(fonts, &ctx, &page)
            .texts
            .into_iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
    };
    assert!(names(None, SlideRef::List(1), &mut fonts).contains(&"陆*桂".to_string()));
    assert!(names(None, SlideRef::List(0), &mut fonts).contains(&"宋小丽".to_string()));
    assert!(names(Some(true), SlideRef::List(0), &mut fonts).contains(&"宋*丽".to_string()));
    assert!(names(Some(false), SlideRef::List(1), &mut fonts).contains(&"陆大桂".to_string()));
}

/// Issue 28 (test audit): lists scroll on strips by default, and the moving
/// line masks a black list's names as its pages do; a red list's stay whole.
#[test]
fn black_lists_scroll_masked_on_a_strip() {
    let mut fonts = Fonts::bundled();
    let mut feed = demo();
    feed.lists[0].entries[0].name = "宋小丽".into();
    feed.lists[1].entries[0].name = "陆大桂".into();
    assert_eq!(feed.lists[1].kind, ListKind::Black);
    let theme = rankwall::layout::Theme::default();
    let profile = ScreenProfile::parse("1280x256").unwrap();
    let now = common::golden_instant();
    let line = |mask: Option<bool>, slide: SlideRef, fonts: &mut Fonts| {
        let ctx = rankwall::layout::Context {
            feed: &feed,
            profile: &profile,
            theme: &theme,
            now,
            stale_after: None,
            mask_names: mask,
        };
        let page = layout::paginate(fonts, &feed, &profile, now)
            .into_iter()
            .find(|p| p.slide == slide)
            .unwrap();
        // The moving line is the page's longest text.
        layout::ticker(fonts, &ctx, &page, 0.0)
            .texts
            .into_iter()
            .map(|t| t.text)
            .max_by_key(|t| t.chars().count())
            .unwrap_or_default()
    };
    let black = line(None, SlideRef::List(1), &mut fonts);
    assert!(black.starts_with("陆*桂"), "{black}");
    assert!(!black.contains("陆大桂"), "{black}");
    // Every entry begins with its masked name, never the whole one.
    let heads: Vec<&str> = black
        .split("　　◆　　")
        .map(|e| e.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(heads.len(), feed.lists[1].entries.len(), "{black}");
    for (head, entry) in heads.iter().zip(&feed.lists[1].entries) {
        assert_eq!(*head, layout::mask_name(&entry.name), "{black}");
    }
    assert!(line(None, SlideRef::List(0), &mut fonts).starts_with("宋小丽"));
    assert!(line(Some(false), SlideRef::List(1), &mut fonts).starts_with("陆大桂"));
}
