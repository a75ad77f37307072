//! The screen thread's frame scheduling, without a GPU: which instants cause a
//! redraw, how long the loop sleeps, and when new data and configs take effect.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{DateTime, Duration, FixedOffset};
use rankwall::client::Driver;
use rankwall::config::{self, Settings};
use rankwall::feed::Feed;
use rankwall::play::{Player, Still, View, Wake};
use rankwall::schedule::Frame;
use rankwall::text::Fonts;

const TWO_LISTS: &str = r#"
[screen]
size = "1920x1080"

[[playlist]]
select = { list = "red" }
duration = 5
transition = { kind = "cut" }

[[playlist]]
select = { list = "black" }
duration = 5
transition = { kind = "fade", duration = 1.0 }
"#;

fn config(text: &str) -> Settings {
    let checked = config::parse("test.toml", text, None);
    checked
        .settings
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
}

fn demo_feed() -> Feed {
    common::parse(&common::example()).unwrap().0
}

fn driver(text: &str, feed: Feed) -> Driver {
    Driver::new(Player::new(Fonts::bundled(), config(text), feed, (1920, 1080)).unwrap())
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// The first page of `item` that starts at or after `from`: (started, ends).
fn page_of(
    d: &Driver,
    item: usize,
    from: DateTime<FixedOffset>,
) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let mut t = from;
    for _ in 0..10_000 {
        if let Frame::Page {
            slot, started, ends, ..
        } = d.player().frame(t)
        {
            if slot.item == item && started >= from {
                return (started, ends);
            }
            t = ends;
        } else {
            t += Duration::seconds(1);
        }
    }
    panic!("item {item} never plays");
}

fn show_of(view: &View) -> u64 {
    match &view.still {
        Still::Page { show, .. } => *show,
        other => panic!("not a page: {other:?}"),
    }
}

fn draw(d: &mut Driver, t: DateTime<FixedOffset>) -> Option<View> {
    let view = d.due(t)?;
    d.presented(view.clone(), t);
    Some(view)
}

#[test]
fn a_static_page_is_drawn_once_and_the_loop_sleeps_until_it_ends() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, ends) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    let t = started + Duration::milliseconds(1500);
    assert!(draw(&mut d, t).is_some(), "the first frame is drawn");
    for ms in [1, 100, 2000, 3000] {
        assert!(
            d.due(t + Duration::milliseconds(ms)).is_none(),
            "nothing changed {ms} ms later"
        );
    }
    let sleep = d.sleep(t).expect("a static page sleeps");
    assert_eq!(sleep.as_millis() as i64, (ends - t).num_milliseconds());
    let next = draw(&mut d, ends).expect("the page boundary redraws");
    assert!(
        next.previous.is_none(),
        "the next page of a cut item has no transition"
    );
}

#[test]
fn a_fade_redraws_every_frame_until_it_ends_then_sleeps() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, ends) = page_of(&d, 1, at("2026-11-28T10:00:00+08:00"));
    let mut last_progress = -1.0;
    for ms in [0, 16, 33, 500, 983] {
        let t = started + Duration::milliseconds(ms);
        let view = draw(&mut d, t).unwrap_or_else(|| panic!("frame {ms} ms into the fade is drawn"));
        assert!(
            view.previous.is_some() && view.progress > last_progress,
            "{view:?}"
        );
        last_progress = view.progress;
        assert_eq!(
            d.sleep(t),
            None,
            "during a transition the loop runs at the display's rate"
        );
    }
    let after = started + Duration::milliseconds(1000);
    let view = draw(&mut d, after).expect("the end of the fade is drawn");
    assert!(view.previous.is_none() && view.progress == 1.0);
    assert_eq!(
        d.sleep(after).map(|s| s.as_millis() as i64),
        Some((ends - after).num_milliseconds())
    );
    assert!(d.due(after + Duration::milliseconds(500)).is_none());
}

#[test]
fn a_marquee_moves_with_time_not_with_frames() {
    let text = TWO_LISTS.replace(
        "duration = 5\ntransition = { kind = \"cut\" }",
        "scroll = true\nscroll_speed = 120\ntransition = { kind = \"cut\" }",
    );
    let mut d = driver(&text, demo_feed());
    let (started, _) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    let px = |v: &View| match &v.still {
        Still::Page { scroll_px, .. } => *scroll_px,
        _ => panic!("not a page"),
    };
    // A pass longer than the item's max_time starts a turn part-way in.
    let from = px(&draw(&mut d, started).unwrap());
    let a = draw(&mut d, started + Duration::milliseconds(1000)).unwrap();
    assert_eq!(px(&a) - from, 120, "120 px/s for one second");
    assert_eq!(d.sleep(started + Duration::milliseconds(1000)), None);
    let b = draw(&mut d, started + Duration::milliseconds(2500)).unwrap();
    assert_eq!(
        px(&b) - from,
        300,
        "the position depends on the time, however many frames were drawn"
    );
}

#[test]
fn idle_and_off_redraw_each_minute() {
    let closed = TWO_LISTS
        .replace(
            "duration = 5\ntransition = { kind = \"cut\" }",
            "duration = 5\nwindows = [{ from = \"00:00\", until = \"00:01\" }]",
        )
        .replace(
            "transition = { kind = \"fade\", duration = 1.0 }",
            "windows = [{ from = \"00:00\", until = \"00:01\" }]",
        );
    let mut d = driver(&closed, demo_feed());
    let t = at("2026-11-28T10:00:20+08:00");
    let view = draw(&mut d, t).unwrap();
    assert!(matches!(view.still, Still::Idle { .. }), "{view:?}");
    assert_eq!(
        d.player().next_wake(&view, t),
        Wake::At(t + Duration::seconds(40)),
        "the clock changes next minute"
    );
    assert_eq!(
        d.sleep(t).map(|s| s.as_secs()),
        Some(5),
        "the loop still wakes for its heartbeat"
    );
    assert!(d.due(t + Duration::seconds(39)).is_none());
    assert!(d.due(t + Duration::seconds(40)).is_some(), "the clock changed");

    let off = TWO_LISTS.replace(
        "size = \"1920x1080\"",
        "size = \"1920x1080\"\ndisplay_hours = { from = \"06:00\", until = \"22:00\" }",
    );
    let mut d = driver(&off, demo_feed());
    let night = at("2026-11-28T23:00:30+08:00");
    let black = draw(&mut d, night).unwrap();
    assert_eq!(black.still, Still::Black);
    assert!(
        d.due(night + Duration::seconds(20)).is_none(),
        "a black screen is not redrawn"
    );
    assert_eq!(
        d.player().next_wake(&black, night),
        Wake::At(night + Duration::seconds(30))
    );
}

/// The loop sleeps exactly until the next page, to the microsecond: a wait
/// rounded down to whole milliseconds woke just before the boundary, saw the
/// old page still due, and slept through the new one (the soak found pages
/// drawn a page late or never).
#[test]
fn the_sleep_ends_at_the_boundary_to_the_microsecond() {
    let (_, ends) = page_of(
        &driver(TWO_LISTS, demo_feed()),
        0,
        at("2026-11-28T10:00:00+08:00"),
    );
    let mut d = driver(TWO_LISTS, demo_feed());
    let t = ends - Duration::microseconds(300);
    draw(&mut d, t).expect("the first frame");
    assert_eq!(
        d.sleep(t),
        Some(std::time::Duration::from_micros(300)),
        "the wait to the page boundary 300 µs away"
    );
}

/// The embedded demo feed has no source to stop delivering: a screen playing
/// it is never marked stale, whatever its data's date, even after a reload
/// brings a stale limit (the console's browser test failed five days after
/// the demo data's date when it was).
#[test]
fn a_screen_without_a_source_never_goes_stale() {
    let feed = demo_feed();
    let t = feed.generated_at + Duration::days(30);
    let mut d = driver(TWO_LISTS, feed).without_source();
    assert_eq!(d.player().stale_at(), None);
    let first = draw(&mut d, t).unwrap();
    assert!(
        matches!(first.still, Still::Page { stale: false, .. }),
        "{first:?}"
    );
    let limited = format!("{TWO_LISTS}\n[feed]\nstale_after_hours = 48\n");
    d.handle(rankwall::client::ClientEvent::Settings(Box::new(config(
        &limited,
    ))));
    let later = page_of(&d, 1, t).1 + Duration::seconds(1);
    draw(&mut d, later);
    assert_eq!(
        d.player().stale_at(),
        None,
        "a reloaded config brought a stale limit back"
    );
}

#[test]
fn the_stale_marker_appears_on_time_without_a_page_change() {
    let mut feed = demo_feed();
    let (started, ends) = page_of(
        &driver(TWO_LISTS, demo_feed()),
        0,
        at("2026-11-28T10:00:00+08:00"),
    );
    let t = started + Duration::milliseconds(500);
    feed.generated_at = t - Duration::hours(48) + Duration::seconds(2);
    let mut d = driver(TWO_LISTS, feed);
    let first = draw(&mut d, t).unwrap();
    assert!(matches!(first.still, Still::Page { stale: false, .. }));
    assert!(ends - t > Duration::seconds(2));
    assert_eq!(
        d.sleep(t).map(|s| s.as_millis()),
        Some(2000),
        "wakes when the data turns stale"
    );
    let stale = draw(&mut d, t + Duration::seconds(2)).expect("redrawn when the data turns stale");
    assert!(matches!(stale.still, Still::Page { stale: true, .. }));
}

#[test]
fn new_data_with_the_same_pages_shows_from_the_next_slide() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, ends) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    let t = started + Duration::seconds(1);
    let before = show_of(&draw(&mut d, t).unwrap());
    let mut v = common::example();
    v["lists"][0]["entries"][0]["name"] = "测试更新".into();
    d.handle(rankwall::client::ClientEvent::Feed(accepted(&v)));
    assert!(
        d.due(t + Duration::seconds(1)).is_none(),
        "the page on screen is not replaced mid-way"
    );
    let next = draw(&mut d, ends).unwrap();
    assert!(show_of(&next) > before, "new data from the next slide boundary");
    assert_eq!(d.player().feed().lists[0].entries[0].name, "测试更新");
}

#[test]
fn new_data_that_changes_page_counts_waits_for_the_next_cycle() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, ends) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    let Frame::Page { cycle_start, .. } = d.player().frame(started) else {
        panic!()
    };
    let cycle: i64 = d.player().cycle(started).iter().map(|s| s.millis).sum();
    let cycle_end = cycle_start + Duration::milliseconds(cycle);
    let t = started + Duration::seconds(1);
    let before = show_of(&draw(&mut d, t).unwrap());
    let mut v = common::example();
    let entries = v["lists"][0]["entries"].as_array().unwrap().clone();
    let more: Vec<_> = (0..6).flat_map(|_| entries.clone()).collect();
    v["lists"][0]["entries"] = more.into();
    d.handle(rankwall::client::ClientEvent::Feed(accepted(&v)));
    let mut boundary = ends;
    while boundary < cycle_end {
        let view = draw(&mut d, boundary).unwrap();
        assert_eq!(
            show_of(&view),
            before,
            "old data until the cycle ends (at {boundary})"
        );
        let Frame::Page { ends, .. } = d.player().frame(boundary) else {
            panic!()
        };
        boundary = ends;
    }
    let view = draw(&mut d, cycle_end).unwrap();
    assert!(show_of(&view) > before, "new data from the cycle boundary");
}

#[test]
fn a_new_config_applies_at_the_next_slide_boundary() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, ends) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    draw(&mut d, started + Duration::seconds(1)).unwrap();
    d.handle(rankwall::client::ClientEvent::Settings(Box::new(config(
        &TWO_LISTS.replace("duration = 5", "duration = 7"),
    ))));
    draw(&mut d, started + Duration::seconds(2));
    assert_eq!(
        d.player().settings().playlist[0].duration.as_secs_f64(),
        5.0,
        "not mid-slide"
    );
    draw(&mut d, ends).unwrap();
    assert_eq!(
        d.player().settings().playlist[0].duration.as_secs_f64(),
        7.0,
        "at the boundary"
    );
}

/// Issue 14: a reload that changes a key read only at start (here the feed
/// URL and the status address) is applied for the rest, and the status
/// names the keys that wait for a restart instead of saying all is live.
#[test]
fn start_only_keys_changed_at_run_time_are_named_in_the_status() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let now = at("2026-11-28T10:00:00+08:00");
    assert!(d.status(now).config.applies_after_restart.is_empty());
    let changed = format!(
        "{TWO_LISTS}\n[feed]\nurl = \"https://elsewhere.example/feed.json\"\n[status]\naddr = \"127.0.0.1:9999\"\n"
    );
    d.handle(rankwall::client::ClientEvent::Settings(Box::new(config(
        &changed,
    ))));
    let status = d.status(now);
    assert_eq!(status.config.applies_after_restart, ["feed.url", "status.addr"]);
    let said = status.config.last_reload.unwrap();
    assert!(
        said.contains("feed.url, status.addr apply after restart"),
        "{said}"
    );
    d.handle(rankwall::client::ClientEvent::Settings(Box::new(config(
        TWO_LISTS,
    ))));
    assert!(
        d.status(now).config.applies_after_restart.is_empty(),
        "back as started"
    );
}

fn accepted(v: &serde_json::Value) -> std::sync::Arc<rankwall::source::Accepted> {
    let (feed, report) = common::parse(v).unwrap();
    std::sync::Arc::new(rankwall::source::Accepted {
        feed: feed.into(),
        report,
        sha256: String::new(),
        from_cache: false,
    })
}

#[test]
fn data_arriving_while_idle_shows_at_once() {
    let mut placeholder = demo_feed();
    placeholder.boards.clear();
    placeholder.lists.clear();
    placeholder.notices.clear();
    let mut d = driver(TWO_LISTS, placeholder);
    let t = at("2026-11-28T10:00:20+08:00");
    assert!(matches!(draw(&mut d, t).unwrap().still, Still::Idle { .. }));
    d.handle(rankwall::client::ClientEvent::Feed(accepted(&common::example())));
    let view = draw(&mut d, t + Duration::milliseconds(100)).expect("redrawn at once");
    assert!(matches!(view.still, Still::Page { .. }), "{view:?}");
}

#[test]
fn rows_per_page_splits_an_item_into_smaller_pages() {
    let fit = driver(TWO_LISTS, demo_feed());
    let three = driver(
        &TWO_LISTS.replacen("duration = 5", "duration = 5\nrows = 3", 1),
        demo_feed(),
    );
    let t = at("2026-11-28T10:00:00+08:00");
    let red = |d: &Driver| -> Vec<rankwall::layout::PageRef> {
        d.player()
            .cycle(t)
            .into_iter()
            .filter(|s| s.item == 0)
            .map(|s| s.page)
            .collect()
    };
    let (fit, three) = (red(&fit), red(&three));
    assert!(
        three.len() > fit.len(),
        "{} pages with rows = 3, {} with fit",
        three.len(),
        fit.len()
    );
    let columns = rankwall::layout::list_columns(&rankwall::layout::ScreenProfile::new(1920, 1080).unwrap());
    for p in &three {
        assert_eq!(p.per_column, 3);
        assert!(p.rows.len() <= 3 * columns, "{p:?}");
    }
    let covered: usize = three.iter().map(|p| p.rows.len()).sum();
    assert_eq!(
        covered,
        fit.iter().map(|p| p.rows.len()).sum::<usize>(),
        "no entry lost"
    );
    let bad = config::parse(
        "t.toml",
        &TWO_LISTS.replacen("duration = 5", "duration = 5\nrows = \"all\"", 1),
        None,
    );
    let message = bad.diagnostics[0].to_string();
    assert!(
        bad.settings.is_none() && message.starts_with("t.toml:8:8: error: rows must be"),
        "{message}"
    );
}

#[test]
fn a_failed_frame_is_tried_again() {
    let mut d = driver(TWO_LISTS, demo_feed());
    let (started, _) = page_of(&d, 0, at("2026-11-28T10:00:00+08:00"));
    let t = started + Duration::seconds(1);
    draw(&mut d, t).unwrap();
    assert!(d.due(t + Duration::milliseconds(10)).is_none());
    d.frame_failed("surface lost");
    d.frame_failed("surface lost");
    assert!(
        draw(&mut d, t + Duration::milliseconds(20)).is_some(),
        "the same view is drawn again"
    );
    assert!(d.due(t + Duration::milliseconds(30)).is_none());
}

/// Dimmed hours (issue 24, deliver 3): a still under a constant level is
/// not redrawn before its page ends; during a ramp every frame is drawn; the
/// wake comes at the edge of the dimmed hours.
#[test]
fn a_dimmed_still_is_not_redrawn_and_a_brightness_ramp_is() {
    let dim = TWO_LISTS.replace(
        "size = \"1920x1080\"",
        "size = \"1920x1080\"\nbrightness = [{ from = \"19:00\", until = \"06:30\", level = 0.5 }]\nbrightness_ramp = 60",
    )
    // Pages of 11 s, so that one spans the minute at 19:00.
    .replace("duration = 5\ntransition = { kind = \"cut\" }", "duration = 11\ntransition = { kind = \"cut\" }");
    let mut d = driver(&dim, demo_feed());
    // A red-list page (cut in) at night: level 0.5 and no redraw until it ends.
    let (started, ends) = page_of(&d, 0, at("2026-11-28T23:00:00+08:00"));
    let t = started + Duration::seconds(1);
    let view = draw(&mut d, t).unwrap();
    assert_eq!(view.level, 0.5);
    assert_eq!(d.player().next_wake(&view, t), Wake::At(ends));
    assert!(
        d.due(t + Duration::seconds(5)).is_none(),
        "a dimmed still presents no frame before its page ends"
    );
    // The same kind of page in the first minute after 19:00: ramping.
    let (started, _) = page_of(&d, 0, at("2026-11-28T19:00:00+08:00"));
    let t = started + Duration::seconds(1);
    assert!(
        t < at("2026-11-28T19:01:00+08:00"),
        "a red page starts in the ramp"
    );
    let view = draw(&mut d, t).unwrap();
    assert!(view.level < 1.0 && view.level > 0.5, "{}", view.level);
    assert_eq!(d.player().next_wake(&view, t), Wake::EveryFrame);
    // On the page that spans 19:00, the wake is at the edge, before the
    // page ends (a new driver: time does not run backwards on a screen).
    let mut d = driver(&dim, demo_feed());
    let edge = at("2026-11-28T19:00:00+08:00");
    let Frame::Page { started, ends, .. } = d.player().frame(edge) else {
        panic!("a page plays at 19:00");
    };
    assert!(
        started + Duration::seconds(2) < edge,
        "the page at 19:00 started before it, after its fade"
    );
    let t = started + (edge - started) / 2;
    let view = draw(&mut d, t).unwrap();
    assert_eq!(view.level, 1.0);
    assert!(ends > edge);
    assert_eq!(d.player().next_wake(&view, t), Wake::At(edge));
}
