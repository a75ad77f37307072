//! Schedule tables at chosen instants: cycle wrap, midnight, windows opening
//! mid-cycle, priority notice, display hours, idle.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, FixedOffset};
use rankwall::config;
use rankwall::feed::Feed;
use rankwall::layout::ScreenProfile;
use rankwall::schedule::{frame_at, plan, Frame, Pages};
use rankwall::text::Fonts;

const BASE: &str = r#"
[screen]
size = "1920x1080"

[[playlist]]
board = "towns-2026-11"
duration = 10

[[playlist]]
select = { level = "village" }
duration = 10

[[playlist]]
select = { list = "red" }
duration = 5
"#;

fn setup(extra: &str, feed: &Feed) -> (config::Settings, Pages) {
    let text = format!("{BASE}{extra}");
    let checked = config::parse("test.toml", &text, Some(feed));
    let config = checked
        .settings
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    let profile = ScreenProfile::parse("1920x1080").unwrap();
    let pages = rankwall::play::page_table(&mut Fonts::bundled(), &config, feed, &profile);
    (config, pages)
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// "item:page-stem" of the frame at `t`, or "off" / "idle".
fn shown(config: &config::Settings, feed: &Feed, pages: &Pages, t: &str) -> String {
    match frame_at(config, feed, pages, at(t)) {
        Frame::Off => "off".into(),
        Frame::Idle => "idle".into(),
        Frame::Page { slot, .. } => format!("{}:{}", slot.item, slot.page.file_stem()),
    }
}

fn demo() -> Feed {
    rankwall::feed::demo().unwrap().0
}

#[test]
fn a_cycle_plays_in_order_and_wraps() {
    let feed = demo();
    let (config, pages) = setup("", &feed);
    // towns 1 page × 10 s, villages 9 × 10 s, red 3 × 5 s: 115 s.
    let cycle: i64 = plan(&config, &feed, &pages, at("2026-11-28T00:00:00+08:00"), 0)
        .iter()
        .map(|s| s.millis)
        .sum();
    assert_eq!(cycle, 115_000);
    let table = [
        ("2026-11-28T00:00:00+08:00", "0:board-towns-2026-11-p1of1"),
        ("2026-11-28T00:00:09.999+08:00", "0:board-towns-2026-11-p1of1"),
        ("2026-11-28T00:00:10+08:00", "1:board-villages-2026-11-p1of9"),
        ("2026-11-28T00:01:39+08:00", "1:board-villages-2026-11-p9of9"),
        ("2026-11-28T00:01:40+08:00", "2:list-red-2026-11-p1of3"),
        ("2026-11-28T00:01:50+08:00", "2:list-red-2026-11-p3of3"),
        ("2026-11-28T00:01:55+08:00", "0:board-towns-2026-11-p1of1"),
        // 10:00:05 is 36005 s after midnight: 313 cycles (35995 s) + 10 s.
        ("2026-11-28T10:00:05+08:00", "1:board-villages-2026-11-p1of9"),
        // The same instant written in UTC shows the same page.
        ("2026-11-28T02:00:05Z", "1:board-villages-2026-11-p1of9"),
    ];
    for (t, expected) in table {
        assert_eq!(shown(&config, &feed, &pages, t), expected, "at {t}");
    }
}

#[test]
fn cycles_restart_at_midnight() {
    let feed = demo();
    let (config, pages) = setup("", &feed);
    // 86400 = 751 × 115 + 35: the last cycle of the day is cut after 35 s.
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T23:59:59+08:00"),
        "1:board-villages-2026-11-p3of9"
    );
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-29T00:00:00+08:00"),
        "0:board-towns-2026-11-p1of1"
    );
}

#[test]
fn a_window_opening_mid_cycle_takes_effect_at_the_next_boundary() {
    let feed = demo();
    let extra = r#"
[[playlist]]
select = { list = "black" }
duration = 10
windows = [{ from = "08:00", until = "09:00" }]
"#;
    let (config, pages) = setup(extra, &feed);
    // Cycles of 115 s from midnight: the 251st starts at 28750 s = 07:59:10.
    let plan_before = plan(&config, &feed, &pages, at("2026-11-28T07:59:10+08:00"), 0);
    assert!(
        plan_before.iter().all(|s| s.item != 3),
        "window closed at the cycle start"
    );
    // 08:00:30 is inside that cycle (07:59:10 + 115 s = 08:01:05): no black list yet.
    assert_ne!(
        shown(&config, &feed, &pages, "2026-11-28T08:00:30+08:00")
            .split(':')
            .next(),
        Some("3")
    );
    // The next cycle (from 08:01:05) includes it: towns, villages, red, then black at +115 s.
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T08:02:59+08:00"),
        "2:list-red-2026-11-p3of3"
    );
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T08:03:00+08:00"),
        "3:list-black-2026-11-p1of2"
    );
    // Once the window has closed (and the cycle that began inside it ended),
    // the black list never plays.
    for minute in 5..60 {
        let t = format!("2026-11-28T09:{minute:02}:17+08:00");
        assert!(!shown(&config, &feed, &pages, &t).starts_with("3:"), "at {t}");
    }
}

#[test]
fn a_priority_notice_takes_over_inside_its_window() {
    let mut feed = demo();
    feed.notices[0].from = Some(at("2026-11-28T09:00:00+08:00"));
    feed.notices[0].until = Some(at("2026-11-28T12:00:00+08:00"));
    let extra = r#"
[[playlist]]
select = { notices = true }
duration = 20
priority = true
"#;
    let (config, pages) = setup(extra, &feed);
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T10:00:05+08:00"),
        "3:notice-winter-2026-p1of1"
    );
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T11:30:00+08:00"),
        "3:notice-winter-2026-p1of1"
    );
    assert_ne!(
        shown(&config, &feed, &pages, "2026-11-28T13:00:00+08:00"),
        "3:notice-winter-2026-p1of1"
    );
    assert!(!shown(&config, &feed, &pages, "2026-11-28T08:00:00+08:00").starts_with("3:"));
}

#[test]
fn display_hours_and_idle() {
    let feed = demo();
    let text = format!(
        "{}\n",
        BASE.replace(
            "size = \"1920x1080\"",
            "size = \"1920x1080\"\ndisplay_hours = { from = \"06:30\", until = \"22:00\" }"
        )
    );
    let checked = config::parse("t.toml", &text, Some(&feed));
    let config = checked.settings.unwrap();
    let pages = rankwall::play::page_table(
        &mut Fonts::bundled(),
        &config,
        &feed,
        &ScreenProfile::parse("1920x1080").unwrap(),
    );
    assert_eq!(shown(&config, &feed, &pages, "2026-11-28T06:29:59+08:00"), "off");
    assert_ne!(shown(&config, &feed, &pages, "2026-11-28T06:30:00+08:00"), "off");
    assert_eq!(shown(&config, &feed, &pages, "2026-11-28T22:00:00+08:00"), "off");

    let only_windowed = r#"
[[playlist]]
board = "towns-2026-11"
windows = [{ days = ["sat"], from = "08:00", until = "09:00" }]
"#;
    let config = config::parse("t.toml", only_windowed, Some(&feed))
        .settings
        .unwrap();
    let pages = rankwall::play::page_table(
        &mut Fonts::bundled(),
        &config,
        &feed,
        &ScreenProfile::parse("1920x1080").unwrap(),
    );
    // 2026-11-28 is a Saturday.
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-28T08:30:00+08:00"),
        "0:board-towns-2026-11-p1of1"
    );
    assert_eq!(shown(&config, &feed, &pages, "2026-11-28T10:00:00+08:00"), "idle");
    assert_eq!(
        shown(&config, &feed, &pages, "2026-11-29T08:30:00+08:00"),
        "idle",
        "Sunday"
    );
}

#[test]
fn more_pages_in_new_data_lengthen_the_cycle() {
    let mut feed = demo();
    let (config, pages) = setup("", &feed);
    let before: i64 = plan(&config, &feed, &pages, at("2026-11-28T00:00:00+08:00"), 0)
        .iter()
        .map(|s| s.millis)
        .sum();
    let extra = feed.lists[0].entries.clone();
    feed.lists[0].entries.extend(extra);
    let pages = rankwall::play::page_table(
        &mut Fonts::bundled(),
        &config,
        &feed,
        &ScreenProfile::parse("1920x1080").unwrap(),
    );
    let after: i64 = plan(&config, &feed, &pages, at("2026-11-28T00:00:00+08:00"), 0)
        .iter()
        .map(|s| s.millis)
        .sum();
    assert_eq!(after - before, 3 * 5_000, "96 red entries: 6 pages instead of 3");
}

#[test]
fn the_cycle_memo_gives_the_same_frames_as_the_walk_from_midnight() {
    let feed = demo();
    let (config, pages) = setup(
        "\n[[playlist]]\nselect = { notices = true }\nduration = 7\nwindows = [{ from = \"23:59\", until = \"00:02\" }]\n",
        &feed,
    );
    let memo = rankwall::schedule::CycleMemo::default();
    // Steps of 1.7 s from before midnight to after it, and a jump back.
    let start = at("2026-11-28T23:57:00+08:00");
    let mut instants: Vec<_> = (0..300)
        .map(|k| start + chrono::Duration::milliseconds(k * 1700))
        .collect();
    instants.push(at("2026-11-28T10:00:05+08:00"));
    instants.push(start);
    for t in instants {
        let walked = frame_at(&config, &feed, &pages, t);
        let remembered = rankwall::schedule::frame_at_memo(&config, &feed, &pages, t, &memo);
        assert_eq!(walked, remembered, "at {t}");
    }
}

/// Issue 23: a message the operator writes in the playlist plays as a
/// notice inside its instants (here a priority one, taking over) and is gone
/// at its end, on the screen's own path (the player adds it to the feed).
#[test]
fn an_operators_message_plays_inside_its_instants_and_is_gone_at_its_end() {
    let feed = demo();
    let extra = "\n[[playlist]]\nmessage = { title = \"停水通知\", body = \"明日 8:00 至 12:00 停水，请提前储水。\", \
                 from = \"2026-11-28T09:00:00+08:00\", until = \"2026-11-28T12:00:00+08:00\" }\n\
                 duration = 20\npriority = true\n";
    let text = format!("{BASE}{extra}");
    let checked = config::parse("t.toml", &text, Some(&feed));
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let settings = checked.settings.unwrap();
    let mut player = rankwall::play::Player::new(Fonts::bundled(), settings, feed, (1920, 1080)).unwrap();
    let shown = |t: &str| match player.frame(at(t)) {
        Frame::Page { slot, .. } => format!("{}:{}", slot.item, slot.page.file_stem()),
        other => format!("{other:?}"),
    };
    assert!(!shown("2026-11-28T08:59:59+08:00").starts_with("3:"));
    assert_eq!(shown("2026-11-28T10:00:05+08:00"), "3:notice-message.4-p1of1");
    assert_eq!(shown("2026-11-28T11:59:59+08:00"), "3:notice-message.4-p1of1");
    assert!(
        !shown("2026-11-28T12:00:00+08:00").starts_with("3:"),
        "gone at its end"
    );
    let scene = player_scene(&mut player, "2026-11-28T10:00:00+08:00");
    assert!(scene.contains("停水通知") && scene.contains("前储水"), "{scene}");
}

/// The text of the scene the player shows at `t`.
fn player_scene(player: &mut rankwall::play::Player, t: &str) -> String {
    let view = player.view_at(at(t));
    let scene = player.scene(&view.still, at(t));
    scene
        .texts
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

/// Issue 23: on a 1280×256 strip an operator's message is a marquee line
/// (as lists are), unless the item says `scroll = false`.
#[test]
fn on_a_strip_a_message_runs_as_a_marquee() {
    let feed = demo();
    let text = "[screen]\nsize = \"1280x256\"\n\n[[playlist]]\nmessage = { title = \"寒潮预警\", \
                body = \"今夜至明日气温骤降，请注意防寒保暖。\" }\n";
    let settings = config::parse("t.toml", text, Some(&feed)).settings.unwrap();
    let player = rankwall::play::Player::new(Fonts::bundled(), settings, feed.clone(), (1280, 256)).unwrap();
    match player.frame(at("2026-11-28T10:00:00+08:00")) {
        Frame::Page { slot, .. } => assert!(slot.scroll.is_some(), "{slot:?}"),
        other => panic!("{other:?}"),
    }
    let paged = config::parse("t.toml", &format!("{text}scroll = false\n"), Some(&feed))
        .settings
        .unwrap();
    let player = rankwall::play::Player::new(Fonts::bundled(), paged, feed, (1280, 256)).unwrap();
    match player.frame(at("2026-11-28T10:00:00+08:00")) {
        Frame::Page { slot, .. } => assert!(slot.scroll.is_none(), "{slot:?}"),
        other => panic!("{other:?}"),
    }
}

/// Issue 23: a config that brings an emergency (a priority message with
/// something to show now) is taken at once; any other change still waits
/// for the page on show to end.
#[test]
fn an_emergency_offered_or_withdrawn_mid_page_takes_over_at_once() {
    let feed = demo();
    let parse = |text: &str| config::parse("t.toml", text, Some(&feed)).settings.unwrap();
    let mut player =
        rankwall::play::Player::new(Fonts::bundled(), parse(BASE), feed.clone(), (1920, 1080)).unwrap();
    let t0 = at("2026-11-28T10:00:02+08:00");
    let stem = |f: Frame| match f {
        Frame::Page { slot, .. } => slot.page.file_stem(),
        other => format!("{other:?}"),
    };
    let before = stem(player.advance(t0));
    // A plain change waits for the boundary.
    player.offer_settings(parse(&BASE.replace("duration = 5", "duration = 6")));
    assert_eq!(
        stem(player.advance(t0 + chrono::Duration::milliseconds(500))),
        before
    );
    let emergency = format!(
        "{BASE}\n[[playlist]]\nmessage = {{ title = \"寒潮预警\", body = \"今夜气温骤降\" }}\npriority = true\nduration = 30\n"
    );
    player.offer_settings(parse(&emergency));
    assert_eq!(
        stem(player.advance(t0 + chrono::Duration::seconds(1))),
        "notice-message.4-p1of1"
    );
    // 撤销: withdrawn mid-page (29 s of its 30 left), it goes at once.
    player.offer_settings(parse(BASE));
    assert_ne!(
        stem(player.advance(t0 + chrono::Duration::seconds(2))),
        "notice-message.4-p1of1"
    );
}
