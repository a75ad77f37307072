//! Every rule of the contract's "Validation" section: refused whole, item
//! dropped (with its JSON path, counted), cleaned.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::{example, parse};
use rankwall::feed::{self, Change, Refusal, MAX_BODY_BYTES};
use serde_json::{json, Value};

fn refusal(v: &Value) -> Refusal {
    parse(v).expect_err("document should be refused")
}

fn refusal_of_bytes(bytes: &[u8]) -> Refusal {
    feed::parse(bytes).expect_err("body should be refused")
}

#[test]
fn example_is_accepted_without_findings() {
    let (feed, report) = parse(&example()).expect("example accepted");
    assert_eq!(feed.boards.len(), 3);
    assert_eq!(feed.lists.len(), 2);
    assert_eq!(feed.notices.len(), 1);
    assert_eq!(feed.boards[2].entries.len(), 70);
    assert!(report.dropped.is_empty(), "{:?}", report.dropped);
    assert!(report.cleaned.is_empty(), "{:?}", report.cleaned);
    assert_eq!(feed.period.label, "2026年11月");
}

#[test]
fn refuses_bodies_that_are_not_utf8_json() {
    let gbk = [0xC1u8, 0xD9, 0xBD, 0xAD]; // "临江" in GBK
    assert!(matches!(refusal_of_bytes(&gbk), Refusal::NotUtf8 { offset: 0 }));
    assert_eq!(refusal_of_bytes(b""), Refusal::Empty);
    assert_eq!(refusal_of_bytes(b"  \n"), Refusal::Empty);
    let html = b"<html><body>502 Bad Gateway</body></html>";
    assert_eq!(refusal_of_bytes(html), Refusal::HtmlPage);
    assert!(matches!(
        refusal_of_bytes(b"{\"a\": tru"),
        Refusal::NotJson { line: 1, .. }
    ));
    let truncated = &feed::DEMO_FEED.as_bytes()[..1000];
    assert!(matches!(refusal_of_bytes(truncated), Refusal::NotJson { .. }));
    assert_eq!(refusal(&json!([1, 2])), Refusal::NotAnObject);
}

#[test]
fn refuses_bodies_over_the_size_limit() {
    let mut big = feed::DEMO_FEED.as_bytes().to_vec();
    big.resize(MAX_BODY_BYTES + 1, b' ');
    assert_eq!(
        refusal_of_bytes(&big),
        Refusal::TooLarge {
            limit: MAX_BODY_BYTES
        }
    );
    big.truncate(MAX_BODY_BYTES);
    assert!(feed::parse(&big).is_ok(), "exactly the limit is accepted");
}

#[test]
fn refuses_missing_or_wrong_schema_version() {
    let mut v = example();
    v.as_object_mut().unwrap().remove("schema_version");
    assert_eq!(refusal(&v), Refusal::MissingSchemaVersion);
    for bad in [json!(2), json!("1"), json!(1.5), json!(0)] {
        let mut v = example();
        v["schema_version"] = bad.clone();
        assert!(
            matches!(refusal(&v), Refusal::UnsupportedSchemaVersion { .. }),
            "{bad}"
        );
    }
}

#[test]
fn refuses_missing_or_malformed_generated_at() {
    let mut v = example();
    v.as_object_mut().unwrap().remove("generated_at");
    assert_eq!(refusal(&v), Refusal::MissingGeneratedAt);
    for bad in [
        json!("2026-11-28 10:00"),
        json!("2026-11-28T10:00:00"),
        json!(1764295200),
        json!("yesterday"),
    ] {
        let mut v = example();
        v["generated_at"] = bad.clone();
        assert!(matches!(refusal(&v), Refusal::BadGeneratedAt { .. }), "{bad}");
    }
    let mut v = example();
    v["generated_at"] = json!("2026-11-28T02:00:00Z");
    assert!(parse(&v).is_ok(), "Z is an offset");
}

#[test]
fn refuses_missing_or_malformed_period() {
    let mut v = example();
    v.as_object_mut().unwrap().remove("period");
    assert_eq!(refusal(&v), Refusal::MissingPeriod);
    let bad_periods = [
        json!("2026-11"),
        json!({"id": "2026-11", "label": "2026年11月", "kind": "week"}),
        json!({"id": "2026-11", "kind": "month"}),
        json!({"label": "2026年11月", "kind": "month"}),
        json!({"id": "2026-11", "label": "", "kind": "month"}),
    ];
    for bad in bad_periods {
        let mut v = example();
        v["period"] = bad.clone();
        assert!(matches!(refusal(&v), Refusal::BadPeriod { .. }), "{bad}");
    }
}

#[test]
fn every_refusal_has_a_distinct_code() {
    let codes = [
        Refusal::TooLarge { limit: 1 },
        Refusal::NotUtf8 { offset: 0 },
        Refusal::Empty,
        Refusal::NotJson {
            line: 1,
            column: 1,
            message: String::new(),
        },
        Refusal::HtmlPage,
        Refusal::NotAnObject,
        Refusal::MissingSchemaVersion,
        Refusal::UnsupportedSchemaVersion { found: "2".into() },
        Refusal::MissingGeneratedAt,
        Refusal::BadGeneratedAt { found: String::new() },
        Refusal::MissingPeriod,
        Refusal::BadPeriod {
            reason: String::new(),
        },
    ]
    .map(|r| r.code());
    let unique: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len());
}

/// Applies `change` to the example, parses, and returns the dropped paths.
fn dropped_after(change: impl FnOnce(&mut Value)) -> (rankwall::feed::Feed, Vec<String>) {
    let mut v = example();
    change(&mut v);
    let (feed, report) = parse(&v).expect("accepted with drops");
    (feed, report.dropped.iter().map(|f| f.path.clone()).collect())
}

#[test]
fn drops_items_without_valid_id_title_level_or_kind() {
    let (feed, paths) = dropped_after(|v| {
        v["boards"][0].as_object_mut().unwrap().remove("id");
        v["boards"][1]["id"] = json!("Streets 2026");
        v["boards"][2]["level"] = json!("county");
        v["lists"][0].as_object_mut().unwrap().remove("title");
        v["lists"][1]["kind"] = json!("grey");
        v["notices"][0]["id"] = json!("x".repeat(65));
    });
    assert_eq!(
        paths,
        [
            "$.boards[0]",
            "$.boards[1]",
            "$.boards[2]",
            "$.lists[0]",
            "$.lists[1]",
            "$.notices[0]"
        ]
    );
    assert!(feed.boards.is_empty() && feed.lists.is_empty() && feed.notices.is_empty());
}

#[test]
fn drops_duplicate_ids_keeping_the_first() {
    let (feed, paths) = dropped_after(|v| {
        v["boards"][1]["id"] = v["boards"][0]["id"].clone();
        v["notices"][0]["id"] = json!("red-2026-11");
    });
    assert_eq!(paths, ["$.boards[1]", "$.notices[0]"]);
    assert_eq!(feed.boards[0].title, "乡镇农村人居环境整治月度排名");
    assert_eq!(feed.boards.len(), 2);
}

#[test]
fn drops_entries_without_name_or_valid_rank() {
    let (feed, paths) = dropped_after(|v| {
        let e = &mut v["boards"][0]["entries"];
        e[0].as_object_mut().unwrap().remove("name");
        e[1].as_object_mut().unwrap().remove("rank");
        e[2]["rank"] = json!(0);
        e[3]["rank"] = json!(-2);
        e[4]["rank"] = json!(1.5);
        v["lists"][0]["entries"][3]["name"] = json!(null);
    });
    assert_eq!(
        paths,
        [
            "$.boards[0].entries[0]",
            "$.boards[0].entries[1]",
            "$.boards[0].entries[2]",
            "$.boards[0].entries[3]",
            "$.boards[0].entries[4]",
            "$.lists[0].entries[3]"
        ]
    );
    assert_eq!(feed.boards[0].entries.len(), 2);
    assert_eq!(feed.lists[0].entries.len(), 47);
}

#[test]
fn drops_sub_scores_that_are_not_numbers() {
    let (feed, paths) = dropped_after(|v| {
        v["boards"][0]["entries"][0]["scores"]["garbage"] = json!("18.7");
    });
    assert_eq!(paths, ["$.boards[0].entries[0].scores.garbage"]);
    let entry = &feed.boards[0].entries[0];
    assert!(!entry.scores.contains_key("garbage"));
    assert_eq!(entry.scores.len(), 5, "the other sub-scores stay");
}

#[test]
fn sorts_by_rank_keeping_ties_in_document_order() {
    let mut v = example();
    v["boards"][0]["entries"] = json!([
        {"rank": 2, "name": "乙"}, {"rank": 1, "name": "甲"}, {"rank": 2, "name": "丙"}
    ]);
    let (feed, _) = parse(&v).unwrap();
    let names: Vec<_> = feed.boards[0].entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["甲", "乙", "丙"]);
    assert_eq!(feed.boards[0].entries[0].change(), Change::New);
}

#[test]
fn cleans_control_characters_and_keeps_newlines_only_in_notice_bodies() {
    let mut v = example();
    v["lists"][0]["entries"][0]["name"] = json!("宋\u{0007}*丽\n");
    v["notices"][0]["body"] = json!("第一行\r\n第二行\u{0000}");
    v["notices"][0]["title"] = json!("冬季\n提示");
    let (feed, report) = parse(&v).unwrap();
    assert_eq!(feed.lists[0].entries[0].name, "宋*丽");
    assert_eq!(feed.notices[0].body, "第一行\n第二行");
    assert_eq!(feed.notices[0].title, "冬季提示");
    let paths: Vec<_> = report.cleaned.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.lists[0].entries[0].name",
            "$.notices[0].title",
            "$.notices[0].body"
        ]
    );
    assert!(report.dropped.is_empty());
}

#[test]
fn cuts_strings_longer_than_200_characters() {
    let mut v = example();
    v["boards"][0]["title"] = json!("很长的标题".repeat(50));
    let (feed, report) = parse(&v).unwrap();
    // The first 200 characters, and "…" so the cut shows on screen.
    let title = &feed.boards[0].title;
    assert_eq!(title.chars().count(), 201);
    assert!(title.ends_with("标题…"), "{title}");
    assert_eq!(report.cleaned[0].path, "$.boards[0].title");
    assert!(report.cleaned[0].message.contains("250"));
}

/// Contract Amendment 1: a notice body keeps up to 4,000 characters (it is
/// paged on screen); a longer one is cut at 4,000, marked "…" and reported.
#[test]
fn notice_bodies_keep_4000_characters_and_mark_a_cut() {
    let mut v = example();
    let body: String = "各村每月25日前完成自查，结果报镇街汇总。"
        .chars()
        .cycle()
        .take(3_000)
        .collect();
    v["notices"][0]["body"] = json!(body);
    let (feed, report) = parse(&v).unwrap();
    assert_eq!(feed.notices[0].body, body, "3,000 characters kept whole");
    assert!(report.cleaned.is_empty(), "{:?}", report.cleaned);
    let long: String = "第一段。\n".chars().cycle().take(4_500).collect();
    v["notices"][0]["body"] = json!(long);
    let (feed, report) = parse(&v).unwrap();
    let kept = &feed.notices[0].body;
    assert_eq!(kept.chars().count(), 4_001);
    assert!(kept.ends_with('…'));
    assert_eq!(report.cleaned[0].path, "$.notices[0].body");
    assert!(report.cleaned[0].message.contains("4500") && report.cleaned[0].message.contains("4000"));
}

#[test]
fn ignores_unknown_fields_and_drops_wrongly_typed_optional_fields() {
    let mut v = example();
    v["future_field"] = json!({"anything": true});
    v["boards"][0]["entries"][0]["score"] = json!("85");
    v["boards"][0]["entries"][0]["previous_rank"] = json!(0);
    let (feed, report) = parse(&v).unwrap();
    let e = &feed.boards[0].entries[0];
    assert_eq!((e.score, e.previous_rank), (None, None));
    let paths: Vec<_> = report.dropped.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.boards[0].entries[0].previous_rank",
            "$.boards[0].entries[0].score"
        ]
    );
}

#[test]
fn notice_windows_are_validated_and_applied() {
    let mut v = example();
    v["notices"][0]["from"] = json!("2026-12-01T00:00:00+08:00");
    v["notices"][0]["until"] = json!("2026-12-08T00:00:00+08:00");
    let (feed, _) = parse(&v).unwrap();
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    assert!(!feed.notices[0].is_active(at("2026-11-30T23:59:59+08:00")));
    assert!(feed.notices[0].is_active(at("2026-12-01T00:00:00+08:00")));
    assert!(!feed.notices[0].is_active(at("2026-12-08T00:00:00+08:00")));
    v["notices"][0]["from"] = json!("next monday");
    let (feed, report) = parse(&v).unwrap();
    assert!(feed.notices.is_empty());
    assert_eq!(report.dropped[0].path, "$.notices[0]");
}

#[test]
fn reports_characters_no_font_covers() {
    let mut v = example();
    v["lists"][0]["entries"][0]["name"] = json!("王\u{20000}华"); // CJK Extension B
    v["lists"][0]["entries"][1]["name"] = json!("李\u{20000}");
    let (feed, _) = parse(&v).unwrap();
    let fonts = rankwall::text::Fonts::bundled();
    let uncovered = feed::uncovered_chars(&feed, &|c| fonts.covers(c));
    assert_eq!(uncovered.chars.len(), 1);
    let (path, count) = &uncovered.chars[&'\u{20000}'];
    assert_eq!(path, "$.lists[0].entries[0].name");
    assert_eq!(*count, 2);
    let (feed, _) = parse(&example()).unwrap();
    assert!(feed::uncovered_chars(&feed, &|c| fonts.covers(c)).is_empty());
}

/// A key inside `scores` is the feed's text: it reaches `check`'s output and
/// the run log only escaped, so it cannot clear a terminal or forge a line.
#[test]
fn keys_in_finding_paths_cannot_inject_into_a_terminal() {
    let (_, dropped) = dropped_after(|v| {
        v["boards"][0]["entries"][0]["scores"] =
            serde_json::json!({ "\u{1b}[2J\nERROR forged": "x", "ok_key": "y" });
    });
    assert_eq!(dropped.len(), 2, "{dropped:?}");
    for path in &dropped {
        assert!(
            !path.chars().any(|c| c.is_control()),
            "raw control character in {path:?}"
        );
    }
    assert!(
        dropped
            .iter()
            .any(|p| p.ends_with(".scores[\"\\u001b[2J\\nERROR forged\"]")),
        "{dropped:?}"
    );
    assert!(
        dropped.iter().any(|p| p.ends_with(".scores.ok_key")),
        "{dropped:?}"
    );
}

/// A refusal quotes the offending value shortened: a 7 MiB `schema_version`
/// once made a 7 MiB message (and `/status`).
#[test]
fn refusals_quote_values_shortened() {
    let mut v = common::example();
    v["schema_version"] = serde_json::Value::String("9".repeat(7 << 20));
    let message = refusal(&v).to_string();
    assert!(message.len() < 300, "{} bytes", message.len());
    assert!(message.contains("99999…"), "{message}");
}
