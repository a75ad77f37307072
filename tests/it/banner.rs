//! Issue 23, the 提示 level of 紧急插播: a message written with `banner =
//! true` is no page of the rotation but a band over whatever plays, from
//! its start to its end (fixed clock), laid out within the screen on every
//! shape, over the footer so that a marquee's moving line never crosses
//! it; taken at once when offered or withdrawn mid-page. The 紧急 level
//! (a priority message) is drawn in the warning look.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use chrono::{DateTime, FixedOffset};
use rankwall::config;
use rankwall::feed::Feed;
use rankwall::layout::{banner_rect, Theme};
use rankwall::play::{Player, Still};
use rankwall::scene::Scene;
use rankwall::schedule::Frame;
use rankwall::text::Fonts;

const BASE: &str = r#"
[screen]
size = "1920x1080"

[[playlist]]
select = { level = "township" }
duration = 10

[[playlist]]
select = { list = "red" }
duration = 5
"#;

const BANNER: &str = "\n[[playlist]]\nmessage = { title = \"停水通知\", body = \"明日 8:00 至 12:00 停水，请提前储水。\", \
                      from = \"2026-11-28T09:00:00+08:00\", until = \"2026-11-28T12:00:00+08:00\", banner = true }\n\
                      priority = true\n";

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn demo() -> Feed {
    rankwall::feed::demo().unwrap().0
}

fn player(text: &str, size: (u32, u32)) -> Player {
    let feed = demo();
    let checked = config::parse("t.toml", text, Some(&feed));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    Player::new(Fonts::bundled(), checked.settings.unwrap(), feed, size).unwrap()
}

fn banner_of(still: &Still) -> Option<usize> {
    match still {
        Still::Page { banner, .. } | Still::Idle { banner, .. } => *banner,
        Still::Black => None,
    }
}

fn texts(scene: &Scene) -> String {
    scene
        .texts
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn a_banner_goes_up_over_whatever_plays_and_down_at_its_end() {
    let mut plain = player(BASE, (1920, 1080));
    let mut with = player(&format!("{BASE}{BANNER}"), (1920, 1080));
    for t in [
        "2026-11-28T08:59:59+08:00",
        "2026-11-28T10:00:03+08:00",
        "2026-11-28T10:00:12+08:00",
        "2026-11-28T12:00:00+08:00",
    ] {
        // It takes no turn: the same pages play at the same instants.
        assert_eq!(plain.frame(at(t)), with.frame(at(t)), "at {t}");
        let up = (at("2026-11-28T09:00:00+08:00")..at("2026-11-28T12:00:00+08:00")).contains(&at(t));
        let view = with.view_at(at(t));
        assert_eq!(banner_of(&view.still), up.then_some(0), "at {t}");
        assert_eq!(banner_of(&plain.view_at(at(t)).still), None);
    }
    // The screen wakes for it: a static page's next redraw is no later
    // than the banner's start or end.
    let before = at("2026-11-28T08:59:58+08:00");
    let view = with.view_at(before);
    match with.next_wake(&view, before) {
        rankwall::play::Wake::At(t) => assert!(t <= at("2026-11-28T09:00:00+08:00"), "{t}"),
        other => panic!("{other:?}"),
    }
    let t = at("2026-11-28T10:00:03+08:00");
    let view = with.view_at(t);
    let scene = with.scene(&view.still, t);
    let said = texts(&scene);
    assert!(said.contains("停水通知：明日"), "{said}");
    let band = banner_rect(with.profile());
    let theme = Theme::default();
    assert!(
        scene
            .quads
            .iter()
            .any(|q| q.rect == band && q.color == theme.banner.fill),
        "the band over the footer"
    );
    // Nothing of the footer shows through it.
    for run in &scene.texts {
        assert!(
            run.clip.bottom() <= band.y || run.text.starts_with("停水通知"),
            "{:?} under the banner",
            run.text
        );
    }
    // The page itself is the same as without the banner, above the band.
    let plain_view = plain.view_at(t);
    let plain_scene = plain.scene(&plain_view.still, t);
    let above = |s: &Scene| -> Vec<String> {
        (s.texts.iter())
            .filter(|r| r.clip.bottom() <= band.y)
            .map(|r| r.text.clone())
            .collect()
    };
    assert_eq!(above(&scene), above(&plain_scene));
}

#[test]
fn a_banner_is_laid_out_within_every_screen_shape() {
    let t = "2026-11-28T10:00:03+08:00";
    for (size, text) in [
        ((1920, 1080), BASE.to_string()),
        ((1080, 1920), BASE.replace("1920x1080", "1080x1920")),
        ((3840, 2160), BASE.replace("1920x1080", "3840x2160")),
        // A strip plays the red list as a marquee.
        ((1280, 256), BASE.replace("1920x1080", "1280x256")),
    ] {
        let mut p = player(&format!("{text}{BANNER}"), size);
        let mut marquees = 0;
        // Through a whole cycle, a marquee included on the strip.
        for s in (0..120).step_by(7) {
            let when = at(t) + chrono::Duration::seconds(s);
            let view = p.view_at(when);
            let scene = p.scene(&view.still, when);
            let min_text = p.profile().min_text;
            let marquee = matches!(view.still, Still::Page { scroll_px, .. } if scroll_px > 0);
            let mut problems = common::scene_problems(p.fonts_mut(), &scene, min_text);
            // A marquee's line is wider than its box by design.
            problems.retain(|p| !(marquee && p.contains("exceeds box")));
            assert!(problems.is_empty(), "{size:?} +{s}s: {problems:#?}");
            let band = banner_rect(p.profile());
            let banner = scene.texts.iter().find(|r| r.text.starts_with("停水通知"));
            let banner = banner.unwrap_or_else(|| panic!("{size:?} +{s}s: no banner in {}", texts(&scene)));
            assert!(
                band.contains(&banner.clip, 0.0),
                "{size:?}: {:?} outside {band:?}",
                banner.clip
            );
            assert!(banner.size >= min_text, "{size:?}: {} px", banner.size);
            if marquee {
                // The moving line runs in the body, above the band.
                let moving: Vec<_> = scene.texts.iter().filter(|r| r.shift_x != 0.0).collect();
                assert!(!moving.is_empty(), "{size:?} +{s}s: the moving line is drawn");
                for r in moving {
                    assert!(
                        r.clip.bottom() <= band.y,
                        "{size:?}: {:?} crosses the banner",
                        r.text
                    );
                }
                marquees += 1;
            }
        }
        assert_eq!(
            marquees > 0,
            size == (1280, 256),
            "{size:?}: {marquees} marquee frames"
        );
    }
}

#[test]
fn a_banner_offered_or_withdrawn_mid_page_is_taken_at_once() {
    let feed = demo();
    let parse = |text: &str| config::parse("t.toml", text, Some(&feed)).settings.unwrap();
    let open = BANNER.replace(
        ", from = \"2026-11-28T09:00:00+08:00\", until = \"2026-11-28T12:00:00+08:00\"",
        "",
    );
    let mut p = Player::new(Fonts::bundled(), parse(BASE), feed.clone(), (1920, 1080)).unwrap();
    let t0 = at("2026-11-28T10:00:02+08:00");
    assert_eq!(banner_of(&p.view_at(t0).still), None);
    p.offer_settings(parse(&format!("{BASE}{open}")));
    let t1 = t0 + chrono::Duration::milliseconds(500);
    assert_eq!(banner_of(&p.view_at(t1).still), Some(0), "up at once");
    p.offer_settings(parse(BASE));
    let t2 = t0 + chrono::Duration::seconds(1);
    assert_eq!(banner_of(&p.view_at(t2).still), None, "down at once");
    assert!(matches!(p.frame(t2), Frame::Page { .. }));
}

#[test]
fn an_emergency_is_drawn_in_the_warning_look_and_a_plain_message_is_not() {
    let theme = Theme::default();
    let t = at("2026-11-28T10:00:02+08:00");
    let message = "\n[[playlist]]\nmessage = { title = \"寒潮预警\", body = \"今夜气温骤降\" }\n";
    for (extra, background) in [
        ("priority = true\n", theme.warning.background),
        ("", theme.normal.background),
    ] {
        let text = format!("[screen]\nsize = \"1920x1080\"\n{message}{extra}");
        let mut p = player(&text, (1920, 1080));
        let view = p.view_at(t);
        let scene = p.scene(&view.still, t);
        assert!(texts(&scene).contains("寒潮预警"));
        assert_eq!(scene.background, background, "{extra:?}");
        let min_text = p.profile().min_text;
        let problems = common::scene_problems(p.fonts_mut(), &scene, min_text);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
