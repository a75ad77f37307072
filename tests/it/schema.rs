//! The shipped JSON Schema accepts the example and rejects every document
//! the contract refuses.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use serde_json::{json, Value};

/// A change that turns the example into a refused document.
type Change = Box<dyn Fn(&mut Value)>;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/ranking-feed.schema.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

#[test]
fn example_feed_passes_the_schema() {
    let v = validator();
    let errors: Vec<String> = v.iter_errors(&common::example()).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_amendment_2_example_passes_the_schema_and_its_faults_fail() {
    let v = validator();
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/feed-linjiang-2026-11-amendment2.json")).unwrap();
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    doc["boards"][0]["entries"][0]["history"][0]["rank"] = serde_json::json!(0);
    assert!(!v.is_valid(&doc), "a history rank of 0");
    doc["boards"][0]["entries"][0]["history"][0]["rank"] = serde_json::json!(1);
    doc["boards"][0]["awards"][0]["count"] = serde_json::json!(-1);
    assert!(!v.is_valid(&doc), "an award count of -1");
    doc["boards"][0]["awards"][0]["count"] = serde_json::json!(3);
    doc["boards"][0]["columns"][0]["max"] = serde_json::json!(0);
    assert!(!v.is_valid(&doc), "full marks of 0");
}

#[test]
fn refused_documents_fail_the_schema() {
    let v = validator();
    let cases: Vec<(&str, Change)> = vec![
        (
            "no schema_version",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("schema_version");
            }),
        ),
        ("schema_version 2", Box::new(|d| d["schema_version"] = json!(2))),
        (
            "no generated_at",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("generated_at");
            }),
        ),
        (
            "generated_at without offset",
            Box::new(|d| d["generated_at"] = json!("2026-11-28T10:00:00")),
        ),
        (
            "no period",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("period");
            }),
        ),
        (
            "period kind week",
            Box::new(|d| d["period"]["kind"] = json!("week")),
        ),
        ("not an object", Box::new(|d| *d = json!([]))),
    ];
    for (name, change) in cases {
        let mut doc = common::example();
        change(&mut doc);
        assert!(!v.is_valid(&doc), "{name} should fail the schema");
        assert!(
            common::parse(&doc).is_err(),
            "{name} should be refused by the client"
        );
    }
}

#[test]
fn item_level_faults_fail_the_schema_too() {
    let v = validator();
    let mut doc = common::example();
    doc["boards"][0]["entries"][0]["rank"] = json!(0);
    assert!(!v.is_valid(&doc));
    let mut doc = common::example();
    doc["boards"][0]["id"] = json!("Bad Id");
    assert!(!v.is_valid(&doc));
}
