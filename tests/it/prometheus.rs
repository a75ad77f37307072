//! The Prometheus rules and dashboard (assets/prometheus) name only metrics
//! a screen's /metrics really exposes: renaming a metric breaks this test,
//! not a city's alerting. (promtool checks and unit-tests the rules
//! themselves in .ci/run: assets/prometheus/check.sh.)
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

/// Every `rankwall_…` name in `text`.
fn names_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("rankwall_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        names.insert(tail[..end].to_string());
        rest = &tail[end..];
    }
    names
}

fn exposed() -> BTreeSet<String> {
    let status = rankwall::status::ScreenStatus {
        feed: Some(rankwall::source::FeedStatus::default()),
        play_log: Some(rankwall::status::PlayLogStatus::default()),
        ..Default::default()
    };
    let text = rankwall::status::metrics_text(&status, chrono::Utc::now(), Some(1));
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_string)
        .collect()
}

#[test]
fn rules_and_dashboard_name_only_exposed_metrics() {
    let exposed = exposed();
    assert!(exposed.len() > 10, "{exposed:?}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/prometheus");
    for file in [
        "rankwall.rules.yml",
        "rankwall.rules.test.yml",
        "grafana-dashboard.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let used = names_in(&text);
        assert!(!used.is_empty(), "{file} names no metric");
        let unknown: Vec<&String> = used.difference(&exposed).collect();
        assert!(
            unknown.is_empty(),
            "{file} names metrics /metrics lacks: {unknown:?}"
        );
    }
}
