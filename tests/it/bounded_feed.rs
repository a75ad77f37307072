//! Issue 14, "A large feed starves the screen": an 8 MiB feed with about
//! 645,000 list entries once held 660 MB (876 MB while swapping versions),
//! and its list took the whole cycle for about 28 hours. Now entries past
//! 10,000 are skipped while the JSON is read and reported as one range, the
//! document is shared (not copied) between the source and the screen, and
//! an item plays at most its `max_time` per cycle, continuing at its next
//! turn.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::{DateTime, Duration, FixedOffset};
use rankwall::feed::MAX_ENTRIES;
use rankwall::play::Player;
use rankwall::schedule::Frame;
use rankwall::text::Fonts;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The example feed with its red list grown to fill 8 MiB with one-letter
/// names (about 645,000 entries), and `generated_at` set to `stamp`.
fn huge_feed(stamp: &str) -> (Vec<u8>, usize) {
    let mut v = common::example();
    v["generated_at"] = Value::from(stamp);
    let red = v["lists"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l["kind"] == "red")
        .unwrap();
    v["lists"][red]["entries"] = Value::Array(Vec::new());
    let base = serde_json::to_vec(&v).unwrap().len();
    let n = (rankwall::feed::MAX_BODY_BYTES - base - 64) / 13;
    v["lists"][red]["entries"] = Value::Array(vec![serde_json::json!({"name": "a"}); n]);
    let body = serde_json::to_vec(&v).unwrap();
    assert!(
        body.len() <= rankwall::feed::MAX_BODY_BYTES,
        "{} bytes",
        body.len()
    );
    (body, n)
}

#[test]
fn entries_past_the_limit_are_skipped_while_read_and_reported_as_a_range() {
    let (body, n) = huge_feed("2026-11-28T10:00:00+08:00");
    assert!(n > 600_000, "{n} entries");
    let (feed, report) = rankwall::feed::parse(&body).unwrap();
    let red = feed.lists.iter().find(|l| l.id.starts_with("red")).unwrap();
    assert_eq!(red.entries.len(), MAX_ENTRIES);
    let cut: Vec<_> = report
        .dropped
        .iter()
        .filter(|f| f.path.contains("entries[10000.."))
        .collect();
    assert_eq!(cut.len(), 1, "{:?}", report.dropped);
    assert!(cut[0].path.ends_with(&format!("[10000..{n}]")), "{}", cut[0].path);
    assert!(cut[0].message.contains("left out"), "{}", cut[0].message);
}

/// `check --feed` on the 8 MiB document, in a child allowed 100 MiB of
/// data memory (`prlimit --data`, util-linux): reading the whole array as
/// generic JSON took 483 MB and fails under that limit.
#[test]
fn checking_the_huge_feed_stays_small() {
    let dir = common::temp_dir("bounded-check");
    let (body, _) = huge_feed("2026-11-28T10:00:00+08:00");
    let path = dir.join("huge.json");
    std::fs::write(&path, &body).unwrap();
    let out = Command::new("prlimit")
        .arg(format!("--data={}", 100 << 20))
        .arg(env!("CARGO_BIN_EXE_rankwall"))
        .args(["check", "--feed"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}\n{text}\n{err}", out.status);
    assert!(
        text.contains("left out: at most 10000 are shown"),
        "{text}\n{err}"
    );
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// The red list of 10,000 entries pages for far longer than 5 minutes; with
/// the default `max_time` the board item still comes on within each cycle,
/// and the list's next turn starts on the page after the last one shown.
#[test]
fn a_long_list_plays_its_max_time_and_continues_at_its_next_turn() {
    let (body, _) = huge_feed("2026-11-28T10:00:00+08:00");
    let feed = rankwall::feed::parse(&body).unwrap().0;
    let text = "[screen]\nsize = \"1920x1080\"\n\n[[playlist]]\nselect = { list = \"red\" }\nduration = 10\ntransition = { kind = \"cut\" }\n\n[[playlist]]\nselect = { level = \"township\" }\nduration = 10\ntransition = { kind = \"cut\" }\n";
    let settings = rankwall::config::parse("t.toml", text, None).settings.unwrap();
    let player = Player::new(Fonts::bundled(), settings, feed, (1920, 1080)).unwrap();
    let midnight = at("2026-11-28T00:00:00+08:00");
    // (item, page index) of each 10-second step over the first 15 minutes.
    let steps: Vec<(usize, usize, usize)> = (0..90)
        .filter_map(|i| match player.frame(midnight + Duration::seconds(i * 10)) {
            Frame::Page { slot, .. } => Some((slot.item, slot.page.index, slot.page.count)),
            _ => None,
        })
        .collect();
    let count = steps[0].2;
    assert!(count > 100, "the list has {count} pages");
    let first_board = steps
        .iter()
        .position(|s| s.0 == 1)
        .expect("the board never played");
    assert_eq!(
        first_board, 30,
        "the list played 30 pages (300 s), then the board"
    );
    let list_turns: Vec<Vec<usize>> = steps
        .split(|s| s.0 != 0)
        .filter(|run| !run.is_empty())
        .map(|run| run.iter().map(|s| s.1).collect())
        .collect();
    assert!(list_turns.len() >= 2, "{list_turns:?}");
    assert_eq!(list_turns[0], (0..30).collect::<Vec<_>>());
    assert_eq!(
        list_turns[1][0], 30,
        "the second turn continues where the first stopped"
    );
}

/// The screen itself holding the huge feed, twice (a new version arrives):
/// its resident memory stays under 300 MiB, at its peak (the process's
/// `VmHWM` read before it is stopped) as well as in `/metrics` after each
/// version.
#[test]
fn the_screen_holds_the_huge_feed_within_300_mib() {
    let dir = common::temp_dir("bounded-run");
    let feed_path = dir.join("huge.json");
    std::fs::write(&feed_path, huge_feed("2026-11-28T10:00:00+08:00").0).unwrap();
    let config = dir.join("screen.toml");
    // On the strip the list is a marquee whose pass takes hours; max_time
    // = 10 ends its stretch every 10 s, the boundary where new data shows.
    std::fs::write(
        &config,
        format!(
            "[feed]\nurl = \"{}\"\npoll_interval = 1\n\n[status]\naddr = \"127.0.0.1:0\"\n\n[[playlist]]\nselect = {{ list = \"red\" }}\nduration = 5\nmax_time = 10\n\n[[playlist]]\nselect = {{ level = \"township\" }}\nduration = 5\n",
            feed_path.display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["run", "--headless", "--size", "1280x256", "--config"])
        .arg(&config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(dir.join("client.log")).unwrap())
        .spawn()
        .unwrap();
    let port = common::screen::bound_port(&dir.join("client.log"), &mut child);
    let pid = child.id();
    let outcome = std::panic::catch_unwind(|| {
        let first = wait_for_generated(port, "2026-11-28T10:00:00+08:00");
        std::fs::write(&feed_path, huge_feed("2026-11-28T11:00:00+08:00").0).unwrap();
        let second = wait_for_generated(port, "2026-11-28T11:00:00+08:00");
        (first, second, peak_bytes(pid))
    });
    let _ = child.kill();
    let _ = child.wait();
    let (first, second, peak) = outcome.unwrap_or_else(|e| std::panic::resume_unwind(e));
    for (when, rss) in [
        ("first version", first),
        ("second version", second),
        ("peak", peak),
    ] {
        eprintln!("resident memory with the huge feed, {when}: {} MiB", rss >> 20);
        assert!(rss < 300 << 20, "{when}: {} MiB resident", rss >> 20);
    }
}

/// The peak resident memory of process `pid` so far (`VmHWM`), in bytes.
fn peak_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// Waits (at most 60 s) until `/status` shows data generated at `stamp`, then
/// returns the resident memory `/metrics` reports.
fn wait_for_generated(port: u16, stamp: &str) -> u64 {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let want = DateTime::parse_from_rfc3339(stamp).unwrap();
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Some(status) = http_get(port, "/status") {
            let v: Value = serde_json::from_str(&status).unwrap_or(Value::Null);
            let generated = v["data"]["generated_at"]
                .as_str()
                .and_then(|g| DateTime::parse_from_rfc3339(g).ok());
            if generated == Some(want) && v["frames_presented"].as_u64() > Some(0) {
                let metrics = http_get(port, "/metrics").unwrap();
                let line = metrics
                    .lines()
                    .find(|l| l.starts_with("rankwall_resident_memory_bytes "))
                    .unwrap();
                return line.rsplit(' ').next().unwrap().parse().unwrap();
            }
            seen = status;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("no data generated at {stamp} within 60 s; last status: {seen}");
}

fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    text.split_once("\r\n\r\n").map(|(_, body)| body.to_string())
}
