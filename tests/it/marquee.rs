//! A marquee frame is two copies (the page from its layer, the moving line
//! from a strip rasterised once); it must show exactly what drawing the
//! frame's scene in full shows, at every offset and on every screen shape.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{DateTime, Duration, FixedOffset};
use rankwall::cli::Stage;
use rankwall::config::{self, PanelSize, ScreenSize, Settings};
use rankwall::play::{Player, Still};
use rankwall::schedule::Frame;
use rankwall::text::Fonts;

const CONFIG: &str = r#"
[status]
addr = "off"
[[playlist]]
select = { list = "red" }
scroll = true
scroll_speed = 240
transition = { kind = "cut" }
"#;

fn settings(size: &str) -> Settings {
    let mut s = config::parse("marquee.toml", CONFIG, None).settings.unwrap();
    s.screen.size = ScreenSize::Fixed(PanelSize::parse(size).unwrap());
    s
}

/// The start of the marquee page that plays at `t`.
fn page_start(player: &Player, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match player.frame(t) {
        Frame::Page { started, .. } => started,
        other => panic!("no marquee page at {t}: {other:?}"),
    }
}

#[test]
fn marquee_frames_from_the_strip_equal_full_redraws() {
    let Some(mut reference) = common::gpu_or_skip() else {
        return;
    };
    let feed = rankwall::feed::demo().unwrap().0;
    let mut compared = 0;
    for size in ["1280x256", "1920x1080"] {
        let mut stage = Stage::new(settings(size), feed.clone()).unwrap();
        let physical = PanelSize::parse(size).unwrap().pair();
        let mut player = Player::new(Fonts::bundled(), settings(size), feed.clone(), physical).unwrap();
        let start = page_start(&player, common::golden_instant());
        let mut previous = None;
        // Into the page, across the body edges and a tile edge (4,096 px at
        // 19 s), far along.
        for millis in [40, 1_000, 2_500, 9_700, 19_000, 31_000] {
            let t = start + Duration::milliseconds(millis);
            let view = player.view_at(t);
            let Still::Page { scroll_px, .. } = view.still else {
                panic!("{size}: not a page at +{millis} ms");
            };
            assert!(scroll_px > 0 && view.previous.is_none(), "{size}: a moving frame");
            let fast = stage.frame_image(t).unwrap();
            let scene = player.scene(&view.still, t);
            let full = reference.render(player.fonts_mut(), &scene).unwrap();
            let differing = fast.pixels().zip(full.pixels()).filter(|(a, b)| a != b).count();
            assert_eq!(
                differing, 0,
                "{size} at +{millis} ms ({scroll_px} px): strip frame differs"
            );
            if let Some(before) = &previous {
                assert!(before != &fast, "{size}: the line moved by +{millis} ms");
            }
            previous = Some(fast);
            compared += 1;
        }
    }
    assert_eq!(compared, 12);
}
