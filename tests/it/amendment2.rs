//! Contract Amendment 2 (issue 25, deliver 1): history, responsibility,
//! full marks and awards parsed from the contract's own example, and each
//! malformed part dropped with its JSON path while the rest stays.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use rankwall::feed::{Change, Feed, Report};
use serde_json::{json, Value};

/// The contract's own example with every Amendment 2 field (a copy of
/// `shared/examples/feed-linjiang-2026-11-amendment2.json`).
const EXAMPLE: &str = include_str!("../fixtures/feed-linjiang-2026-11-amendment2.json");

fn example() -> Value {
    serde_json::from_str(EXAMPLE).unwrap()
}

fn parse(v: &Value) -> (Feed, Report) {
    common::parse(v).unwrap()
}

/// The paths of the report's dropped findings.
fn dropped(report: &Report) -> Vec<String> {
    report.dropped.iter().map(|f| f.path.clone()).collect()
}

#[test]
fn the_example_with_every_new_field_is_read_whole() {
    let (feed, report) = parse(&example());
    assert!(dropped(&report).is_empty(), "{:?}", report.dropped);
    let towns = &feed.boards[0];
    assert_eq!(towns.columns[0].max, Some(20.0));
    assert_eq!(towns.awards.len(), 2);
    assert_eq!(
        (towns.awards[0].grade.as_str(), towns.awards[0].count),
        ("一类", 3)
    );
    assert_eq!(towns.awards[0].reward.as_deref(), Some("奖励40万元"));
    let first = &towns.entries[0];
    assert_eq!(first.history.len(), 11);
    assert_eq!(first.history.last().unwrap().period, "2026-10");
    assert_eq!(first.responsible[1].name, "市交通运输局");
}

#[test]
fn malformed_parts_are_dropped_with_their_paths_and_the_rest_kept() {
    let mut v = example();
    let entry = &mut v["boards"][0]["entries"][0];
    entry["history"][1]["rank"] = json!(0);
    entry["responsible"][0] = json!({ "role": "包保部门" });
    v["boards"][0]["awards"][1]["count"] = json!(-1);
    v["boards"][0]["columns"][0]["max"] = json!(0);
    let (feed, report) = parse(&v);
    let paths = dropped(&report);
    for wanted in [
        "$.boards[0].entries[0].history[1]",
        "$.boards[0].entries[0].responsible[0]",
        "$.boards[0].awards[1]",
        "$.boards[0].columns[0].max",
    ] {
        assert!(paths.iter().any(|p| p == wanted), "{wanted} not in {paths:?}");
    }
    let towns = &feed.boards[0];
    assert_eq!(
        towns.entries[0].history.len(),
        10,
        "one point dropped, the others kept"
    );
    assert_eq!(towns.entries[0].responsible.len(), 1);
    assert_eq!(towns.awards.len(), 1);
    assert_eq!(
        (towns.columns.len(), towns.columns[0].max),
        (6, None),
        "the column stays"
    );
}

#[test]
fn a_history_longer_than_36_keeps_the_newest_36() {
    let mut v = example();
    let points: Vec<Value> = (0..40)
        .map(|i| json!({ "period": format!("p{i:02}"), "rank": i + 1, "score": 80.0 }))
        .collect();
    v["boards"][0]["entries"][0]["history"] = json!(points);
    let (feed, report) = parse(&v);
    let history = &feed.boards[0].entries[0].history;
    assert_eq!(history.len(), 36);
    assert_eq!(
        (history[0].period.as_str(), history[35].period.as_str()),
        ("p04", "p39")
    );
    assert!(
        dropped(&report)
            .iter()
            .any(|p| p == "$.boards[0].entries[0].history[0..4]"),
        "{:?}",
        report.dropped
    );
}

#[test]
fn previous_rank_wins_over_the_last_history_point() {
    let mut v = example();
    let entry = &mut v["boards"][0]["entries"][2];
    entry["rank"] = json!(3);
    entry["previous_rank"] = json!(5);
    entry["history"] = json!([{ "period": "2026-10", "rank": 1, "score": 80.0 }]);
    let (feed, _) = parse(&v);
    let e = feed.boards[0].entries.iter().find(|e| e.rank == 3).unwrap();
    assert_eq!(e.change(), Change::Up(2), "previous_rank 5 → 3");
    let mut v = example();
    let entry = &mut v["boards"][0]["entries"][2];
    entry["rank"] = json!(3);
    entry["previous_rank"] = Value::Null;
    entry["history"] = json!([{ "period": "2026-09", "rank": 9, "score": null }, { "period": "2026-10", "rank": 1, "score": 80.0 }]);
    let (feed, _) = parse(&v);
    let e = feed.boards[0].entries.iter().find(|e| e.rank == 3).unwrap();
    assert_eq!(
        e.change(),
        Change::Down(2),
        "without previous_rank, the last point (1 → 3)"
    );
}
