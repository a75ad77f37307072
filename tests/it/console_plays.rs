//! Proof of play in the console (issue 23, deliver 5): reports carry the
//! screen's `played.jsonl` lines, the console counts them per day, screen
//! and item, exports them as CSV, answers "what was on screen X at T" and
//! keeps them for the admin's retention. A real headless screen's counts
//! in the console equal those of its own `played.jsonl`.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::console_app::{console, Console, TOKEN};
use rankwall::console::store::{PlayFilter, Store};
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

async fn report(c: &Console, played: serde_json::Value) {
    let body = serde_json::json!({
        "screen_id": "s1", "showing": {"state": "page"}, "healthy": true,
        "report_interval_secs": 60, "played": played,
    });
    let r = c
        .report(
            "s1",
            TOKEN,
            "application/json",
            serde_json::to_vec(&body).unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "a report with its lines is accepted");
}

fn line(start: &str, item: usize, page: usize, seconds: f64) -> serde_json::Value {
    serde_json::json!({
        "start": start, "state": "page", "item": item, "slide": format!("slide-{item}"),
        "page": page, "pages": 2, "seconds": seconds,
    })
}

/// The CSV's rows as (day, item, plays, pages, seconds), its header checked.
fn csv_rows(text: &str) -> Vec<(String, String, i64, i64, f64)> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "日期");
    assert_eq!(header.len(), 10, "{header:?}");
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), 10, "every row has every column: {l}");
            (
                cells[0].to_string(),
                cells[5].to_string(),
                cells[7].parse().unwrap(),
                cells[8].parse().unwrap(),
                cells[9].parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reported_lines_are_counted_exported_asked_and_pruned() {
    let c = console(Duration::from_secs(3600)).await;
    // Yesterday at noon where the screens stand: far from any midnight.
    use chrono::TimeZone as _;
    let cst = rankwall::china_standard_time();
    let yesterday = chrono::Utc::now().with_timezone(&cst).date_naive() - chrono::Duration::days(1);
    let noon = cst
        .from_local_datetime(&yesterday.and_hms_opt(12, 0, 0).unwrap())
        .unwrap();
    let t = |s: i64| (noon + chrono::Duration::seconds(s)).to_rfc3339();
    let old = (noon - chrono::Duration::days(30)).to_rfc3339();
    report(
        &c,
        serde_json::json!([
            line(&old, 0, 1, 10.0),
            line(&t(0), 0, 1, 10.0),
            line(&t(10), 0, 2, 10.0),
            line(&t(20), 1, 1, 3.0),
            {"start": "not a time", "state": "page", "seconds": 1.0},
        ]),
    )
    .await;
    // The line that was on show comes again, longer; then the next ones.
    report(
        &c,
        serde_json::json!([line(&t(20), 1, 1, 10.0), line(&t(30), 0, 1, 4.0)]),
    )
    .await;
    let store = Store::open(&c.database).unwrap();
    let report_text = store.screens().unwrap()[0].report.clone().unwrap();
    assert!(
        !report_text.contains("played\":["),
        "the lines are not kept in the report"
    );
    let day = noon.format("%Y-%m-%d").to_string();
    let filter = PlayFilter {
        from: Some(day.clone()),
        to: Some(day.clone()),
        ..PlayFilter::default()
    };
    let counts = store.play_counts(&filter).unwrap();
    let got: Vec<_> = counts
        .iter()
        .map(|c| (c.item, c.plays, c.pages, c.seconds))
        .collect();
    assert_eq!(
        got,
        [(Some(0), 2, 3, 24.0), (Some(1), 1, 1, 10.0)],
        "a line sent twice counts once, with its longest seconds"
    );

    let (cookie, csrf) = c.session().await;
    let page = c
        .get(&format!("/plays?from={day}&to={day}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("第 1 项 <code>slide-0</code>") && page.contains("0:00:24"),
        "{page}"
    );
    let asked = format!(
        "/plays.csv?from={}&to={day}",
        (noon - chrono::Duration::days(40)).format("%Y-%m-%d")
    );
    let r = c.get(&asked, &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let rows = csv_rows(&r.text().await.unwrap());
    let old_day = (noon - chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    assert_eq!(
        rows,
        [
            (day.clone(), "1".into(), 2, 3, 24.0),
            (day.clone(), "2".into(), 1, 1, 10.0),
            (old_day.clone(), "1".into(), 1, 1, 10.0)
        ]
    );

    // What was on at t(25): the second item's first page, since t(20).
    let at = (noon + chrono::Duration::seconds(25))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let page = c
        .get(&format!("/plays?at_screen=s1&at={at}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("第 2 项 <code>slide-1</code> 第 1 页（共 2 页），显示 10 秒"),
        "{page}"
    );
    let bad = c.get("/plays?from=12/01/2026", &cookie).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("不是“年-月-日”的写法"));

    // The retention: refused when not a number of days, and a shorter one
    // removes the month-old line at once.
    for wrong in ["", "0", "三十", "99999"] {
        let r = c
            .post_form("/plays/retention", &cookie, &[("csrf", &csrf), ("days", wrong)])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{wrong:?}");
    }
    assert_eq!(store.plays_retention_days().unwrap(), 400, "the default stays");
    let r = c
        .post_form("/plays/retention", &cookie, &[("csrf", &csrf), ("days", "20")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(&asked, &cookie).await;
    let days: Vec<String> = csv_rows(&r.text().await.unwrap())
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert!(!days.contains(&old_day), "the old line went: {days:?}");
    let audit = store.audit_trail(10).unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "plays_retention" && a.detail.contains("20 天")));
}

/// Items, pages and whole-page seconds per item in a `played.jsonl`.
fn counted(lines: &[serde_json::Value]) -> BTreeMap<(String, Option<u64>), (i64, i64)> {
    let mut counts = BTreeMap::new();
    for l in lines {
        let key = (l["state"].as_str().unwrap().to_string(), l["item"].as_u64());
        let entry: &mut (i64, i64) = counts.entry(key).or_default();
        entry.0 += i64::from(l["page"].as_u64().unwrap_or(1) == 1 && l["state"] == "page");
        entry.1 += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_screens_counts_in_the_console_equal_its_played_jsonl() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let c = console(Duration::from_secs(3600)).await;
    // Two messages taking turns every second until an instant 40 s ahead;
    // then the idle slide, whose one line stays: played.jsonl stops growing.
    let end = (chrono::Utc::now() + chrono::Duration::seconds(40)).to_rfc3339();
    let playlist = format!(
        "[[playlist]]\nmessage = {{ title = \"停水通知\", body = \"明日停水\", until = \"{end}\" }}\nduration = 1\n\n\
         [[playlist]]\nmessage = {{ title = \"寒潮预警\", body = \"今夜降温\", until = \"{end}\" }}\nduration = 1\n"
    );
    let store = Store::open(&c.database).unwrap();
    let n = store.add_version("towns", &playlist, "test").unwrap();
    store.publish("towns", n).unwrap();
    let dir = common::temp_dir("plays-screen");
    let (_screen, port) = crate::console_push::start_screen_reporting(&c, &dir, 10);
    let log = dir.join("client.log");
    crate::console_push::playing(&c, port, &log).await;
    let played = dir.join("cache").join("played.jsonl");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&played)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let ended = lines.last().is_some_and(|l| l["state"] != "page");
        let expected = counted(&lines);
        let mut got = BTreeMap::new();
        for count in store.play_counts(&PlayFilter::default()).unwrap() {
            let key = (count.state.clone(), count.item.map(|i| i as u64));
            let entry: &mut (i64, i64) = got.entry(key).or_default();
            *entry = (entry.0 + count.plays, entry.1 + count.pages);
        }
        if ended && got == expected {
            let pages: i64 = expected.values().map(|v| v.1).sum();
            assert!(pages > 20, "the screen played a while: {expected:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the console's counts {got:?} did not come to played.jsonl's {expected:?} (ended: {ended})\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The CSV the page links to parses and says the same.
    let (cookie, _) = c.session().await;
    let csv = c.get("/plays.csv", &cookie).await.text().await.unwrap();
    let rows = csv_rows(&csv);
    let pages: i64 = rows.iter().map(|r| r.3).sum();
    let expected: i64 = std::fs::read_to_string(&played).unwrap().lines().count() as i64;
    assert_eq!(pages, expected, "{csv}");
}
