//! The 比学赶超 slides (issue 25) on the scene, without a GPU: bars against
//! full marks and the mean, the bump chart through each rank, the movers'
//! order and its tie rule, a unit without history left out, and a property
//! test over random Amendment 2 feeds. The OCR check of 进步最快 needs the
//! GPU and tesseract.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{lay_out, scene_problems, view_pages, SIZES};
use proptest::prelude::*;
use rankwall::feed::{
    self, Award, Board, BoardEntry, Column, Feed, HistoryPoint, Level, Period, PeriodKind, Responsible,
};
use rankwall::layout::{self, ScreenProfile, SlideRef, Theme};
use rankwall::scene::{Line, Quad, Rect, Scene};
use rankwall::slide::BoardView;
use rankwall::text::Fonts;
use serde_json::json;
use std::collections::BTreeMap;

fn demo() -> Feed {
    feed::demo().unwrap().0
}

fn board_of(page: &layout::PageRef) -> usize {
    match page.slide {
        SlideRef::View(i, _) => i,
        other => panic!("not a view: {other:?}"),
    }
}

/// Quads of exactly `color`, in painting order.
fn quads_of(scene: &Scene, colors: &[rankwall::scene::Rgba]) -> Vec<Rect> {
    scene
        .quads
        .iter()
        .filter(|q: &&Quad| colors.contains(&q.color))
        .map(|q| q.rect)
        .collect()
}

#[test]
fn each_bar_is_its_score_over_full_marks_and_its_tick_the_boards_mean() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let c = Theme::default().chart;
    let mut bars = 0;
    for size in SIZES {
        let profile = ScreenProfile::parse(size).unwrap();
        let pages = view_pages(&mut fonts, &feed, &profile, BoardView::Scores);
        assert!(!pages.is_empty(), "{size}: no 分项得分 pages");
        let board = &feed.boards[board_of(&pages[0].0)];
        let mean = |key: &str| {
            let v: Vec<f64> = board
                .entries
                .iter()
                .filter_map(|e| e.scores.get(key).copied())
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        for (page, scene) in &pages {
            let tracks = quads_of(scene, &[c.track]);
            let fills = quads_of(scene, &[c.bar, c.weak]);
            let ticks = quads_of(scene, &[c.mean]);
            let cells: Vec<(f64, f64, f64)> = board.entries[page.rows.clone()]
                .iter()
                .flat_map(|e| {
                    board
                        .columns
                        .iter()
                        .map(move |col| (e.scores[&col.key], col.max.unwrap(), mean(&col.key)))
                })
                .collect();
            let stem = format!("{size} {}", page.file_stem());
            assert_eq!(tracks.len(), cells.len(), "{stem}: a track per sub-score");
            assert_eq!(fills.len(), cells.len(), "{stem}: a bar per sub-score");
            assert_eq!(ticks.len(), cells.len(), "{stem}: a mean per sub-score");
            for (k, (value, max, mean)) in cells.into_iter().enumerate() {
                let (track, fill, tick) = (tracks[k], fills[k], ticks[k]);
                assert_eq!(
                    (fill.x, fill.y, fill.h),
                    (track.x, track.y, track.h),
                    "{stem} bar {k}"
                );
                let want = track.w * (value / max) as f32;
                assert!(
                    (fill.w - want).abs() <= 1.0,
                    "{stem} bar {k}: {} px, want {want}",
                    fill.w
                );
                let at = track.x + track.w * (mean / max) as f32;
                let centre = tick.x + tick.w / 2.0;
                assert!(
                    (centre - at).abs() <= 1.0,
                    "{stem} mean {k}: at {centre}, want {at}"
                );
                bars += 1;
            }
            // The weakest area of each unit is named in the warning colour.
            for e in &board.entries[page.rows.clone()] {
                let weakest = (board.columns.iter())
                    .min_by(|a, b| {
                        (e.scores[&a.key] / a.max.unwrap()).total_cmp(&(e.scores[&b.key] / b.max.unwrap()))
                    })
                    .unwrap();
                assert!(
                    scene
                        .texts
                        .iter()
                        .any(|t| t.color == c.weak && t.text.contains(&weakest.label)),
                    "{stem}: {} lacks 最需改进 {}",
                    e.name,
                    weakest.label
                );
            }
        }
    }
    assert!(bars >= 4 * 7 * 6, "every size's bars were checked ({bars})");
}

/// The periods a bump chart spans, as the layout picks them.
fn chart_periods(units: &[&BoardEntry], current: &str) -> Vec<String> {
    let mut all: Vec<String> = units
        .iter()
        .flat_map(|e| e.history.iter().map(|h| h.period.clone()))
        .collect();
    all.sort();
    all.dedup();
    let skip = all.len().saturating_sub(12);
    let mut out: Vec<String> = all.into_iter().skip(skip).collect();
    out.push(current.to_string());
    out
}

/// Per unit of the bump chart, in drawing order (lowest rank first, the top
/// three last), the points of its line: the segments' ends and its end dot.
fn unit_lines<'s>(
    scene: &'s Scene,
    units: &[&BoardEntry],
    periods: &[String],
    current: &str,
) -> Vec<Vec<&'s Line>> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units[i].rank));
    let mut lines = scene.lines.iter();
    order
        .into_iter()
        .map(|i| {
            let ranks: Vec<Option<u32>> = periods
                .iter()
                .map(|p| {
                    if p == current {
                        Some(units[i].rank)
                    } else {
                        units[i].history.iter().find(|h| &h.period == p).map(|h| h.rank)
                    }
                })
                .collect();
            let segments = ranks
                .windows(2)
                .filter(|w| w[0].is_some() && w[1].is_some())
                .count();
            lines.by_ref().take(segments + 1).collect()
        })
        .collect()
}

#[test]
fn the_bump_chart_passes_through_each_units_rank_in_each_period() {
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let board = &feed.boards[0];
    let pages = layout::paginate_view(&feed, &profile, 0, BoardView::Trend);
    assert_eq!(pages.len(), 1, "seven townships make one chart");
    let scene = lay_out(&mut fonts, &feed, &profile, &pages[0]);
    let units: Vec<&BoardEntry> = board.entries.iter().collect();
    let current = feed.period.id.as_str();
    let periods = chart_periods(&units, current);
    let lines = unit_lines(&scene, &units, &periods, current);
    assert_eq!(lines.iter().map(Vec::len).sum::<usize>(), scene.lines.len());
    // Where ranks 1 and the last lie, from the points that have them.
    let max_rank = units
        .iter()
        .flat_map(|e| e.history.iter().map(|h| h.rank).chain([e.rank]))
        .max()
        .unwrap();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units[i].rank));
    let mut points = Vec::new();
    for (unit_lines, &i) in lines.iter().zip(&order) {
        let e = units[i];
        let ranks: Vec<u32> = periods
            .iter()
            .map(|p| {
                if p == current {
                    e.rank
                } else {
                    e.history.iter().find(|h| &h.period == p).unwrap().rank
                }
            })
            .collect();
        let (dot, segments) = unit_lines.split_last().unwrap();
        assert_eq!(dot.from, dot.to, "{}: the line ends in a dot", e.name);
        assert_eq!(segments.len(), ranks.len() - 1);
        for (k, s) in segments.iter().enumerate() {
            points.push((s.from, ranks[k], e));
            points.push((s.to, ranks[k + 1], e));
        }
        let wide = if e.rank <= 3 { 2.0 } else { 1.0 };
        assert!(
            segments.iter().all(|s| s.width >= 3.0 * wide),
            "{}: lines at least 3 px",
            e.name
        );
    }
    let top = points.iter().find(|p| p.1 == 1).unwrap().0 .1;
    let bottom = points.iter().find(|p| p.1 == max_rank).unwrap().0 .1;
    for ((_, y), rank, e) in &points {
        let want = layout::rank_y(*rank, max_rank, top, bottom - top);
        assert!(
            (y - want).abs() < 0.01,
            "{}: rank {rank} at y {y}, want {want}",
            e.name
        );
    }
    // The periods are evenly spaced, oldest at the left.
    let xs: Vec<f32> = lines[0]
        .iter()
        .take(periods.len() - 1)
        .map(|l| l.from.0)
        .collect();
    let step = xs[1] - xs[0];
    assert!(
        step > 0.0 && xs.windows(2).all(|w| (w[1] - w[0] - step).abs() < 0.01),
        "{xs:?}"
    );
    // Every unit is named at its line's end with its rank.
    let texts: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
    for e in &units {
        let label = format!("{} {}", e.rank, e.name);
        assert!(texts.contains(&label.as_str()), "no {label} in {texts:?}");
    }
}

#[test]
fn a_unit_without_history_is_left_out_of_the_trend_and_nothing_is_drawn_blank() {
    let mut fonts = Fonts::bundled();
    let mut v = common::example();
    v["boards"][0]["entries"][2]["history"] = json!([]);
    let feed = common::parse(&v).unwrap().0;
    let gone = feed.boards[0].entries[2].name.clone();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let pages = layout::paginate_view(&feed, &profile, 0, BoardView::Trend);
    assert_eq!(pages[0].rows, 0..6, "six units with history");
    let scene = lay_out(&mut fonts, &feed, &profile, &pages[0]);
    let dots = scene.lines.iter().filter(|l| l.from == l.to).count();
    assert_eq!(dots, 6, "a line per unit with history");
    assert!(
        scene.texts.iter().all(|t| !t.text.contains(&gone)),
        "{gone} has no history and is not on the chart"
    );
    // A strip pages the same six units, one per page.
    let strip = ScreenProfile::parse("1280x256").unwrap();
    assert_eq!(layout::paginate_view(&feed, &strip, 0, BoardView::Trend).len(), 6);
}

/// The towns board replaced by one built to tie.
fn tied_feed() -> Feed {
    let mut v = common::example();
    let entry = |rank: u32, name: &str, score: f64, previous: Option<u32>| {
        let mut e = json!({ "rank": rank, "name": name, "score": score });
        if let Some(p) = previous {
            e["previous_rank"] = json!(p);
        }
        e
    };
    v["boards"][0]["entries"] = json!([
        entry(1, "甲镇", 90.0, Some(6)), // ↑5
        entry(2, "乙镇", 85.0, Some(5)), // ↑3, the higher score of three
        entry(3, "丙镇", 80.0, Some(6)), // ↑3, tied with 丁镇 on score: document order
        entry(4, "丁镇", 80.0, Some(7)), // ↑3
        entry(5, "戊镇", 70.0, Some(2)), // ↓3
        entry(6, "己镇", 60.0, Some(6)), // —
        entry(7, "庚镇", 50.0, None),    // 新
    ]);
    common::parse(&v).unwrap().0
}

#[test]
fn the_movers_are_in_order_of_their_move_then_score_then_document_order() {
    let feed = tied_feed();
    let board = &feed.boards[0];
    let names =
        |v: Vec<usize>| -> Vec<&str> { v.into_iter().map(|i| board.entries[i].name.as_str()).collect() };
    assert_eq!(
        names(layout::movers(board, false)),
        ["甲镇", "乙镇", "丙镇", "丁镇"]
    );
    assert_eq!(names(layout::movers(board, true)), ["戊镇"]);
    // The slide shows them in that order, top to bottom, with ↑n位.
    let mut fonts = Fonts::bundled();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let pages = layout::paginate_view(&feed, &profile, 0, BoardView::Improved);
    let scene = lay_out(&mut fonts, &feed, &profile, &pages[0]);
    let y_of = |text: &str| scene.texts.iter().find(|t| t.text == text).map(|t| t.clip.y);
    let ys: Vec<f32> = ["甲镇", "乙镇", "丙镇", "丁镇"]
        .iter()
        .map(|n| y_of(n).unwrap())
        .collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
    assert!(
        y_of("戊镇").is_none() && y_of("庚镇").is_none(),
        "only risers on 进步最快"
    );
    assert!(y_of("↑5位").is_some() && y_of("↑3位").is_some());
}

// ---- property test over random Amendment 2 feeds ----

fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(
        "乡镇村街道花山闹枝蚂蚁河苇沙垃圾治理污水厕所王李张·（）ABCxyz0123456789"
            .chars()
            .collect::<Vec<_>>(),
    );
    prop::collection::vec(chars, 1..max).prop_map(|v| v.into_iter().collect::<String>())
}

/// The id of the period `back` months before 2026-11.
fn month_back(back: usize) -> String {
    let m = 2026 * 12 + 10 - back as i64;
    format!("{}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

const GRADES: [&str; 3] = ["标兵村", "先进村", "达标村"];

fn entry() -> impl Strategy<Value = BoardEntry> {
    (
        (
            1u32..80,
            text(21),
            prop::option::of(0.0f64..100.0),
            prop::option::of(1u32..80),
        ),
        (prop::option::of(0usize..3), prop::option::of(text(12))),
        prop::collection::vec((1u32..80, prop::option::of(0.0f64..100.0)), 0..=36),
        prop::collection::vec((text(10), text(20)), 0..=4),
        prop::collection::vec(0.0f64..20.0, 7),
    )
        .prop_map(
            |((rank, name, score, previous_rank), (grade, parent), history, responsible, values)| {
                let n = history.len();
                BoardEntry {
                    rank,
                    name,
                    score,
                    previous_rank,
                    grade: grade.map(|g| GRADES[g].to_string()),
                    parent,
                    scores: (0..7)
                        .map(|k| (format!("c{k}"), values[k]))
                        .collect::<BTreeMap<_, _>>(),
                    note: None,
                    history: (history.into_iter().enumerate())
                        .map(|(k, (rank, score))| HistoryPoint {
                            period: month_back(n - k),
                            rank,
                            score,
                        })
                        .collect(),
                    responsible: responsible
                        .into_iter()
                        .map(|(role, name)| Responsible { role, name })
                        .collect(),
                }
            },
        )
}

fn amendment2_feed() -> impl Strategy<Value = Feed> {
    (
        prop::collection::vec(entry(), 1..=70),
        0usize..8,
        any::<bool>(),
        text(40),
    )
        .prop_map(|(mut entries, ncols, with_max, title)| {
            entries.sort_by_key(|e| e.rank);
            let board = Board {
                id: "villages".into(),
                title,
                level: Level::Village,
                group: None,
                columns: (0..ncols)
                    .map(|k| Column {
                        key: format!("c{k}"),
                        label: format!("指标{k}"),
                        max: with_max.then_some(20.0),
                    })
                    .collect(),
                entries,
                awards: GRADES
                    .iter()
                    .enumerate()
                    .map(|(k, g)| Award {
                        grade: g.to_string(),
                        count: k as u32 * 5,
                        reward: Some(format!("奖补{}万元", 20 / (k + 1))),
                    })
                    .collect(),
            };
            Feed {
                generated_at: common::golden_instant(),
                issuer: Some("临江市".into()),
                period: Period {
                    id: "2026-11".into(),
                    label: "2026年11月".into(),
                    kind: PeriodKind::Month,
                },
                boards: vec![board],
                lists: Vec::new(),
                notices: Vec::new(),
            }
        })
}

/// Pairs of text runs whose boxes overlap (runs sharing one box, the lines
/// of a wrapped cell, are one box).
fn overlaps(scene: &Scene) -> Vec<String> {
    let t = &scene.texts;
    let mut out = Vec::new();
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            let (a, b) = (&t[i].clip, &t[j].clip);
            let apart = a.right() <= b.x || b.right() <= a.x || a.bottom() <= b.y || b.bottom() <= a.y;
            if a != b && !apart {
                out.push(format!("{:?} {a:?} overlaps {:?} {b:?}", t[i].text, t[j].text));
            }
        }
    }
    out
}

proptest! {
    // 24 cases by default (each lays out every view of a board of up to 70
    // villages); PROPTEST_CASES chooses another number.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).map_or(24, |c: u32| c / 4),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_view_of_random_feeds_fits_without_overlap(feed in amendment2_feed(), size in 0usize..4, w in 320u32..4096, h in 128u32..4096) {
        let mut fonts = Fonts::bundled();
        // The four screens of the product half the time, random ones else.
        let profile = match size {
            0 => ScreenProfile::new(w, h).unwrap(),
            k => ScreenProfile::parse(SIZES[k]).unwrap(),
        };
        for view in BoardView::ALL {
            let pages = layout::paginate_view(&feed, &profile, 0, view);
            for page in pages.iter().filter(|p| p.index == 0 || p.index + 1 == p.count) {
                let scene = lay_out(&mut fonts, &feed, &profile, page);
                let stem = format!("{}x{} {}", profile.width, profile.height, page.file_stem());
                let problems = scene_problems(&mut fonts, &scene, profile.min_text);
                prop_assert!(problems.is_empty(), "{stem}: {problems:#?}");
                let overlapping = overlaps(&scene);
                prop_assert!(overlapping.is_empty(), "{stem}: {overlapping:#?}");
                let screen = scene.bounds();
                for l in &scene.lines {
                    prop_assert!(screen.contains(&l.bounds(), 0.5), "{stem}: stroke {l:?} leaves the screen");
                }
            }
        }
    }
}

/// Issue 25's OCR check: tesseract (chi_sim) reads every name and every
/// move of 进步最快 at 1920×1080 back from its pixels. tesseract's Chinese
/// model has no ↑, which it reads as a letter: the move is found as its
/// number and 位.
#[test]
fn ocr_reads_every_name_and_move_of_the_most_improved_slide() {
    let Some(mut gpu) = common::gpu_or_skip() else {
        return;
    };
    let tesseract = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output();
    let langs = match tesseract {
        Ok(out) => String::from_utf8_lossy(&out.stdout).to_string(),
        Err(e) if std::env::var(SKIP_OCR).as_deref() == Ok("1") => {
            eprintln!("SKIPPED: no tesseract ({e}); {SKIP_OCR}=1 asked to skip");
            return;
        }
        Err(e) => panic!("no tesseract for the OCR test: {e}; apt-get install tesseract-ocr tesseract-ocr-chi-sim, or set {SKIP_OCR}=1"),
    };
    assert!(
        langs.contains("chi_sim"),
        "tesseract lacks chi_sim: apt-get install tesseract-ocr-chi-sim"
    );
    let mut fonts = Fonts::bundled();
    let feed = demo();
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let (page, scene) = view_pages(&mut fonts, &feed, &profile, BoardView::Improved).remove(0);
    let dir = common::temp_dir("ocr");
    let png = dir.join("improved.png");
    rankwall::png::save_png(&gpu.render(&mut fonts, &scene).unwrap(), &png).unwrap();
    let out = std::process::Command::new("tesseract")
        .arg(&png)
        .args(["-", "-l", "chi_sim", "--psm", "3"])
        .output()
        .unwrap();
    let read: String = String::from_utf8_lossy(&out.stdout).split_whitespace().collect();
    let board = &feed.boards[board_of(&page)];
    let movers = layout::movers(board, false);
    assert!(!movers.is_empty());
    for &i in &movers[page.rows.clone()] {
        let e = &board.entries[i];
        let n = e.previous_rank.unwrap() - e.rank;
        assert!(read.contains(&e.name), "OCR lacks {}: {read}", e.name);
        assert!(
            read.contains(&format!("{n}位{}", e.name)),
            "OCR lacks ↑{n}位 before {}: {read}",
            e.name
        );
    }
}

/// Set to 1 (never in CI) to let the OCR test skip where tesseract is missing.
const SKIP_OCR: &str = "RANKWALL_SKIP_OCR_TESTS";

/// The shapes random feeds once broke (CI found a screen where a board of
/// one row gave a bar track narrower than its mean tick, and the layout
/// panicked): wide, low screens, every view, kept as a fixed sweep so that a
/// regression fails every run, not one in a hundred.
#[test]
fn every_view_fits_on_wide_low_screens() {
    let mut fonts = Fonts::bundled();
    for (rows, cols) in [(70, 6), (1, 1), (1, 7), (3, 5)] {
        let feed = demo_with(rows, cols);
        for w in [1280, 1402, 2000, 2701, 4096] {
            for h in [128, 256, 275, 522, 700] {
                let profile = ScreenProfile::new(w, h).unwrap();
                for view in BoardView::ALL {
                    let pages = layout::paginate_view(&feed, &profile, 0, view);
                    for page in pages.iter().filter(|p| p.index == 0 || p.index + 1 == p.count) {
                        let scene = lay_out(&mut fonts, &feed, &profile, page);
                        let stem = format!("{rows}×{cols} {w}x{h} {}", page.file_stem());
                        let problems = scene_problems(&mut fonts, &scene, profile.min_text);
                        assert!(problems.is_empty(), "{stem}: {problems:#?}");
                        let overlapping = overlaps(&scene);
                        assert!(overlapping.is_empty(), "{stem}: {overlapping:#?}");
                    }
                }
            }
        }
    }
}

/// The demo with its first board cut to `rows` entries scored on `cols`
/// columns of 20 marks each.
fn demo_with(rows: usize, cols: usize) -> Feed {
    let mut feed = demo();
    let board = &mut feed.boards[0];
    board.entries.truncate(rows);
    board.columns = (0..cols)
        .map(|k| Column {
            key: format!("c{k}"),
            label: format!("指标{k}"),
            max: Some(20.0),
        })
        .collect();
    for (i, e) in board.entries.iter_mut().enumerate() {
        e.scores = (0..cols)
            .map(|k| (format!("c{k}"), ((i + k) % 20) as f64))
            .collect();
    }
    feed
}
