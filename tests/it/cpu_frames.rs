//! The CPU path (issue 30): a frame composed in memory from the read-back
//! page pictures equals the GPU path's frame at the same instant within the
//! golden tolerance: three instants of a fade and three of a slide, at
//! 1920×1080 and 1280×256, with the burn-in shift and a dimmed level on;
//! and a marquee's next frame, read back and put as its moving band only,
//! leaves the buffer as the whole frame would.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{DateTime, Duration, FixedOffset};
use rankwall::golden::{compare, half, Tolerance};
use rankwall::offscreen::{CpuFrames, OffscreenScreen};
use rankwall::play::{Blend, Player, View};
use rankwall::render::Pixels;
use rankwall::text::Fonts;

fn player(size: &str) -> Player {
    let text = format!(
        "[screen]\nsize = \"{size}\"\npixel_shift = 2\n\
         brightness = [{{ from = \"00:00\", until = \"23:59\", level = 0.7 }}]\n\n\
         [[playlist]]\nboard = \"towns-2026-11\"\nduration = 3\n\
         transition = {{ kind = \"fade\", duration = 1.0 }}\n\n\
         [[playlist]]\nnotice = \"winter-2026\"\nduration = 3\nscroll = false\n\
         transition = {{ kind = \"slide\", duration = 1.0 }}\n"
    );
    let feed = rankwall::feed::demo().unwrap().0;
    let checked = rankwall::config::parse("cpu.toml", &text, Some(&feed));
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    let settings = checked.settings.unwrap();
    let pair = settings.screen.size.fixed().unwrap().pair();
    Player::new(Fonts::bundled(), settings, feed, pair).unwrap()
}

/// Three instants each of a fade and of a slide, well apart and well inside
/// each (a slide's progress is eased), found by walking the schedule.
fn transition_instants(player: &mut Player) -> Vec<(DateTime<FixedOffset>, View)> {
    let start = DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap();
    let mut found: Vec<(DateTime<FixedOffset>, View)> = Vec::new();
    for step in 0..1200 {
        let now = start + Duration::milliseconds(step * 50);
        let view = player.view_at(now);
        let kind = view.blend;
        let inside = (0.1..0.9).contains(&view.progress);
        let same: Vec<f32> = found
            .iter()
            .filter(|(_, v)| v.blend == kind)
            .map(|(_, v)| v.progress)
            .collect();
        let apart = same.iter().all(|p| (p - view.progress).abs() >= 0.15);
        if view.previous.is_some() && kind != Blend::Cut && inside && apart && same.len() < 3 {
            found.push((now, view));
        }
    }
    found
}

#[test]
fn a_cpu_frame_equals_the_gpu_frame_of_a_fade_and_a_slide() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let tolerance = Tolerance::default();
    let mut compared = 0;
    for size in ["1920x1080", "1280x256"] {
        let mut player = player(size);
        let (w, h) = player.physical();
        let mut screen = OffscreenScreen::new((w, h)).unwrap();
        let mut cpu = CpuFrames::new(&screen.gpu);
        let instants = transition_instants(&mut player);
        let kinds = |b: Blend| instants.iter().filter(|(_, v)| v.blend == b).count();
        assert_eq!(
            (kinds(Blend::Fade), kinds(Blend::Slide)),
            (3, 3),
            "{size}: {instants:?}"
        );
        assert!(instants.iter().all(|(_, v)| v.level < 1.0), "{size}: dimmed");
        assert!(instants.iter().any(|(_, v)| v.shift != (0, 0)), "{size}: shifted");
        for (now, view) in instants {
            screen.draw_once(&mut player, &view, now).unwrap();
            let gpu = screen.read().unwrap();
            let mut data = vec![0u32; (w * h) as usize];
            cpu.paint(&screen.gpu, &mut player, &view, now, ((w, h), 0), &mut data)
                .unwrap();
            let cpu = Pixels {
                width: w,
                height: h,
                data,
            }
            .to_rgba();
            let cmp = compare(&half(&cpu), &half(&gpu), &tolerance).unwrap();
            assert!(
                cmp.passes(&tolerance),
                "{size} {:?} at {:.2}: {} strong pixels, mean {:.3}, max {}",
                view.blend,
                view.progress,
                cmp.strong,
                cmp.mean_delta,
                cmp.max_delta
            );
            // Not one picture twice: the frame is the mix the instant asks for.
            assert!(cmp.max_delta <= 2, "{size}: max {}", cmp.max_delta);
            compared += 1;
        }
    }
    assert_eq!(compared, 12);
}

const MARQUEE: &str = "[status]\naddr = \"off\"\n[[playlist]]\nselect = { list = \"red\" }\n\
    scroll = true\nscroll_speed = 240\ntransition = { kind = \"cut\" }\n";

#[test]
fn a_marquee_frame_put_as_its_band_equals_the_whole_frame() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let feed = rankwall::feed::demo().unwrap().0;
    let mut checked = 0;
    for size in ["1280x256", "1920x1080"] {
        let mut settings = rankwall::config::parse("marquee.toml", MARQUEE, None)
            .settings
            .unwrap();
        settings.screen.size =
            rankwall::config::ScreenSize::Fixed(rankwall::config::PanelSize::parse(size).unwrap());
        let (w, h) = rankwall::config::PanelSize::parse(size).unwrap().pair();
        let mut player = Player::new(Fonts::bundled(), settings, feed.clone(), (w, h)).unwrap();
        let screen = OffscreenScreen::new((w, h)).unwrap();
        let (mut banded, mut whole) = (CpuFrames::new(&screen.gpu), CpuFrames::new(&screen.gpu));
        // The buffer a window keeps: each frame is written over the last.
        let mut kept = vec![0u32; (w * h) as usize];
        let start = match player.frame(common::golden_instant()) {
            rankwall::schedule::Frame::Page { started, .. } => started,
            other => panic!("{size}: no marquee page: {other:?}"),
        };
        // Into the page, across a tile edge (4,096 px at 19 s), far along.
        for (i, millis) in [40i64, 1_000, 2_500, 19_000, 31_000].into_iter().enumerate() {
            let now = start + Duration::milliseconds(millis);
            let view = player.view_at(now);
            let age = u8::from(i > 0);
            let rows = banded
                .paint(&screen.gpu, &mut player, &view, now, ((w, h), age), &mut kept)
                .unwrap();
            let mut fresh = vec![0u32; (w * h) as usize];
            let all = whole
                .paint(&screen.gpu, &mut player, &view, now, ((w, h), 0), &mut fresh)
                .unwrap();
            assert_eq!(all, None, "{size}: a buffer of age 0 is written whole");
            match (i, rows) {
                (0, None) => {}
                (0, Some(r)) => panic!("{size}: the first frame put only rows {r:?}"),
                (_, Some((_, count))) => assert!(count < h, "{size}: a band of {count} rows"),
                (_, None) => panic!("{size}: the next marquee frame was put whole"),
            }
            let differing = kept.iter().zip(&fresh).filter(|(a, b)| a != b).count();
            assert_eq!(differing, 0, "{size} at +{millis} ms: the kept buffer differs");
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}
