//! Benchmarks: shaping + layout of a 100-entry list, and prepare + render +
//! readback of a 1920×1080 page on whatever adapter wgpu picks (lavapipe on
//! a machine without a GPU). Run with `cargo bench --bench render`.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use rankwall::feed::{self, Feed, ListEntry};
use rankwall::layout::{self, Context, ScreenProfile, Theme};
use rankwall::render::ImageRenderer;
use rankwall::text::Fonts;
use std::hint::black_box;
use std::time::Duration;

/// The demo feed with its red list grown to 100 entries.
fn feed_with_100_entry_list() -> Feed {
    let mut feed = feed::demo().expect("demo feed").0;
    let base = feed.lists[0].entries.clone();
    feed.lists[0].entries = (0..100)
        .map(|i| {
            let e = &base[i % base.len()];
            ListEntry {
                name: format!("{}{}", e.name, i),
                place: e.place.clone(),
                reason: e.reason.clone(),
            }
        })
        .collect();
    feed
}

fn at() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:05+08:00").expect("instant")
}

fn layout_benches(c: &mut Criterion) {
    let feed = feed_with_100_entry_list();
    let theme = Theme::default();
    let mut fonts = Fonts::bundled();
    for size in ["1920x1080", "1280x256"] {
        let profile = ScreenProfile::parse(size).expect("size");
        let ctx = Context {
            feed: &feed,
            profile: &profile,
            theme: &theme,
            now: at(),
            stale_after: None,
            mask_names: None,
        };
        let pages: Vec<_> = layout::paginate(&mut fonts, &feed, &profile, at())
            .into_iter()
            .filter(|p| p.id == feed.lists[0].id)
            .collect();
        c.bench_function(&format!("layout/list-100-entries-{size}/cold"), |b| {
            b.iter(|| {
                fonts.clear_caches();
                for page in &pages {
                    black_box(layout::layout_page(&mut fonts, &ctx, page));
                }
            })
        });
        c.bench_function(&format!("layout/list-100-entries-{size}/warm"), |b| {
            b.iter(|| {
                for page in &pages {
                    black_box(layout::layout_page(&mut fonts, &ctx, page));
                }
            })
        });
    }
    c.bench_function("fonts/load-bundled", |b| b.iter(|| black_box(Fonts::bundled())));
}

fn render_benches(c: &mut Criterion) {
    let mut headless = match ImageRenderer::new() {
        Ok(h) => h,
        Err(e) => panic!("no GPU adapter for the render benchmark: {e}"),
    };
    eprintln!("adapter: {}", headless.gpu.describe());
    let feed = feed::demo().expect("demo").0;
    let theme = Theme::default();
    let profile = ScreenProfile::parse("1920x1080").expect("size");
    let mut fonts = Fonts::bundled();
    let ctx = Context {
        feed: &feed,
        profile: &profile,
        theme: &theme,
        now: at(),
        stale_after: None,
        mask_names: None,
    };
    let pages = layout::paginate(&mut fonts, &feed, &profile, at());
    let board = layout::layout_page(&mut fonts, &ctx, &pages[0]);
    let list = layout::layout_page(&mut fonts, &ctx, &pages[pages.len() - 3]);
    c.bench_function("render/1920x1080-same-page+readback", |b| {
        b.iter(|| black_box(headless.render(&mut fonts, &board).expect("render")))
    });
    let mut flip = false;
    c.bench_function("render/1920x1080-page-change+readback", |b| {
        b.iter(|| {
            flip = !flip;
            let scene = if flip { &board } else { &list };
            black_box(headless.render(&mut fonts, scene).expect("render"))
        })
    });
    c.bench_function("render/1920x1080-same-page-no-readback", |b| {
        b.iter(|| {
            headless.draw(&mut fonts, &board).expect("draw");
            headless.gpu.poll_wait();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = layout_benches, render_benches
}
criterion_main!(benches);
