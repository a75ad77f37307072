//! Wiring a unit test cannot see, checked on a running `rankwall run
//! --headless`: the feed server's clock reaching `/status` (and leaving it
//! when the clocks agree again), and the burn-in walk moving the picture
//! between two successive `/screenshot.png`s of a static page.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{Duration, Utc};
use common::screen::{config, Screen};
use image::RgbaImage;
use rankwall::demo::http::http_date;
use rankwall::demo::{Reply, TestServer};
use std::sync::{Arc, Mutex};

/// A feed server whose `Date` header runs `offset` ahead of the real time.
fn feed_server(runtime: &tokio::runtime::Runtime, offset: Arc<Mutex<Duration>>) -> TestServer {
    let body = serde_json::to_vec(&common::example()).unwrap();
    runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            let date = http_date(Utc::now() + *offset.lock().unwrap());
            Reply::json(body.clone()).with_header("Date", &date)
        }))
        .unwrap()
}

#[test]
fn the_feed_servers_clock_reaches_the_status_and_leaves_it() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let offset = Arc::new(Mutex::new(Duration::hours(3)));
    let server = feed_server(&runtime, offset.clone());
    let text = config(&format!(
        "[feed]\nurl = \"{}\"\npoll_interval = 1\n\n[[playlist]]\nselect = {{ list = \"red\" }}\nduration = 30\n",
        server.url("/feed.json")
    ));
    let screen = Screen::start(&text, "320x180", &[], &[]);
    let within = std::time::Duration::from_secs(30);
    let skewed = screen.wait_status("a 3 h skew in /status", within, |s| {
        s["feed"]["clock_skew_secs"].as_i64().is_some()
    });
    let secs = skewed["feed"]["clock_skew_secs"].as_i64().unwrap();
    assert!(
        (10_790..=10_810).contains(&secs),
        "skew {secs} s, expected about 10800"
    );
    assert_eq!(skewed["feed"]["using_server_time"], true);
    screen.wait_log("local clock differs from the feed server's Date", within);

    *offset.lock().unwrap() = Duration::zero();
    assert!(
        (10_790..=10_810).contains(&skewed["feed"]["clock_offset_secs"].as_i64().unwrap_or(0)),
        "the measured offset is reported too: {}",
        skewed["feed"]
    );
    screen.wait_status("the skew gone once the clocks agree", within, |s| {
        s["feed"]["clock_skew_secs"].is_null() && s["feed"]["using_server_time"] == false
    });
    // Within the tolerance the offset is still measured (for a wall's tiles).
    let agreed = screen.wait_status("a small offset in /status", within, |s| {
        s["feed"]["clock_offset_secs"]
            .as_i64()
            .is_some_and(|o| o.abs() <= 2)
    });
    assert!(agreed["feed"]["clock_skew_secs"].is_null());
    screen.wait_log("local clock agrees with the feed server again", within);
}

/// The offset that moves `before` onto `after` by one pixel, if any: for
/// each candidate, how many interior pixels differ.
fn one_pixel_move(before: &RgbaImage, after: &RgbaImage) -> Vec<((i32, i32), usize)> {
    let (w, h) = before.dimensions();
    [(1, 0), (-1, 0), (0, 1), (0, -1)]
        .into_iter()
        .map(|(dx, dy)| {
            let mut differ = 0;
            for y in 4..h - 4 {
                for x in 4..w - 4 {
                    let moved = after.get_pixel((x as i32 + dx) as u32, (y as i32 + dy) as u32);
                    if moved != before.get_pixel(x, y) {
                        differ += 1;
                    }
                }
            }
            ((dx, dy), differ)
        })
        .collect()
}

#[test]
fn the_burn_in_walk_moves_successive_screenshots_by_one_pixel() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    // One static page; the walk steps every minute (the shortest setting).
    let text = config(
        "pixel_shift = 2\npixel_shift_minutes = 1\n\n[[playlist]]\nselect = { level = \"township\" }\nduration = 86400\n",
    );
    let screen = Screen::start(&text, "480x270", &[], &[]);
    screen.wait_log("first frame presented", std::time::Duration::from_secs(30));
    // Shots well inside one step, then well inside the next.
    let minute = |t: chrono::DateTime<Utc>| t.timestamp().div_euclid(60);
    let at = |m: i64| {
        chrono::DateTime::from_timestamp(m * 60 + 30, 0)
            .unwrap()
            .fixed_offset()
    };
    // Once per lap (25 steps of a 5×5 walk) the step jumps back to the
    // first row: a minute before that step is not one to start from.
    let steps_one_pixel = |m: i64| {
        let (a, b) = (
            rankwall::play::shift_at(2, 1, at(m)),
            rankwall::play::shift_at(2, 1, at(m + 1)),
        );
        (a.0 - b.0).abs() + (a.1 - b.1).abs() == 1
    };
    // Well inside a minute; when `start`, one whose next step is one pixel.
    let settled = |start: bool| loop {
        let t = Utc::now();
        let second = t.timestamp().rem_euclid(60);
        if (3..55).contains(&second) && (!start || steps_one_pixel(minute(t))) {
            return minute(t);
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    let mut first_minute = settled(true);
    let mut before = screen.screenshot();
    let mut tries = 0;
    let after = loop {
        tries += 1;
        // A static page presents nothing until the step (a screenshot may draw,
        // so none is asked for in between): the frame count shows the wake-up.
        std::thread::sleep(std::time::Duration::from_secs(1));
        let frames_before = screen.status()["frames_presented"].as_u64().unwrap();
        while minute(Utc::now()) == first_minute {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        // The status is published every few seconds: wait for it, not for luck.
        screen.wait_status(
            "a frame presented for the step (the wake-up)",
            std::time::Duration::from_secs(20),
            |s| s["frames_presented"].as_u64().unwrap_or(0) > frames_before,
        );
        let shot_minute = settled(false);
        let shot = screen.screenshot();
        if shot_minute == first_minute + 1 && minute(Utc::now()) == shot_minute {
            break shot;
        }
        // A loaded machine (CI, the whole suite at once) let a second step
        // pass before the shot: two steps are not one pixel. Start again
        // from this shot, at most three times.
        assert!(
            tries < 3,
            "three times a step passed before its screenshot was taken"
        );
        first_minute = settled(true);
        before = screen.screenshot();
    };
    assert!(before != after, "the picture did not move at the minute's step");
    let moves = one_pixel_move(&before, &after);
    let best = moves.iter().min_by_key(|m| m.1).unwrap();
    assert_eq!(
        best.1, 0,
        "the new frame is not the old one moved by one pixel: {moves:?}"
    );
    // The walk is a pure function of the time: the move is the one it predicts.
    let (x0, y0) = rankwall::play::shift_at(2, 1, at(first_minute));
    let (x1, y1) = rankwall::play::shift_at(2, 1, at(first_minute + 1));
    assert_eq!(
        best.0,
        (x1 - x0, y1 - y0),
        "moved {:?}, the walk predicts {:?}",
        best.0,
        (x1 - x0, y1 - y0)
    );
}
