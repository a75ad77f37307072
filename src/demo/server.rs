//! `rankwall demo-server`: serves the embedded demo feed with `ETag` and
//! `Last-Modified`, changes some scores every N seconds so a live demo visibly
//! updates, and can be told to misbehave for manual testing.

use super::http::{http_date, Reply, Request, TestServer};
use crate::feed::DEMO_FEED;
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The ways the demo server can misbehave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Fault {
    /// Answer 500.
    #[value(name = "500")]
    Error500,
    /// Answer 503 with `Retry-After: 30`.
    #[value(name = "503")]
    Unavailable503,
    /// Answer after 90 seconds.
    Slow,
    /// Declare the full length, send half, hang up.
    Truncated,
    /// Send bytes that are not JSON.
    Garbage,
    /// Send a body that never ends.
    Oversized,
}

/// What `rankwall demo-server` was asked for.
pub struct DemoOptions {
    /// The address to listen on, e.g. `127.0.0.1:8080`.
    pub addr: String,
    /// Seconds between score changes (0: never change).
    pub change_every: u64,
    /// How to misbehave on every request; well-behaved when `None`.
    pub fault: Option<Fault>,
}

/// The demo document at `version`: scores nudged, boards re-ranked with the
/// previous ranks kept, `generated_at` set to `generated_at`.
pub fn demo_body(version: u64, generated_at: DateTime<FixedOffset>) -> Vec<u8> {
    let mut doc: Value = serde_json::from_str(DEMO_FEED).unwrap_or(Value::Null);
    doc["generated_at"] = Value::String(generated_at.to_rfc3339());
    if version > 0 {
        if let Some(boards) = doc["boards"].as_array_mut() {
            for board in boards {
                nudge_board(board, version);
            }
        }
    }
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

fn nudge_board(board: &mut Value, version: u64) {
    let Some(entries) = board["entries"].as_array_mut() else {
        return;
    };
    for (i, e) in entries.iter_mut().enumerate() {
        let delta = ((version * 7 + i as u64 * 3) % 11) as f64 - 5.0;
        if let Some(score) = e["score"].as_f64() {
            e["score"] = serde_json::json!(((score + delta * 0.3) * 10.0).round() / 10.0);
        }
        e["previous_rank"] = e["rank"].clone();
    }
    entries.sort_by(|a, b| {
        let (a, b) = (
            a["score"].as_f64().unwrap_or(0.0),
            b["score"].as_f64().unwrap_or(0.0),
        );
        b.total_cmp(&a)
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e["rank"] = serde_json::json!(i + 1);
    }
}

struct DemoState {
    start: Instant,
    started_at: DateTime<Utc>,
    change_every: u64,
}

impl DemoState {
    fn version(&self) -> u64 {
        self.start
            .elapsed()
            .as_secs()
            .checked_div(self.change_every)
            .unwrap_or(0)
    }

    fn reply(&self, request: &Request, fault: Option<Fault>) -> Reply {
        let version = self.version();
        let changed_at = self.started_at + chrono::Duration::seconds((version * self.change_every) as i64);
        let body = demo_body(version, changed_at.with_timezone(&crate::china_standard_time()));
        let etag = format!("\"v{version}-{}\"", &crate::source::sha256_hex(&body)[..12]);
        match fault {
            Some(Fault::Error500) => return Reply::status(500),
            Some(Fault::Unavailable503) => return Reply::status(503).with_header("Retry-After", "30"),
            Some(Fault::Truncated) => {
                return Reply::Truncated {
                    declared: body.len(),
                    body: body[..body.len() / 2].to_vec(),
                }
            }
            Some(Fault::Garbage) => return Reply::json(b"\x00\x01garbage<<<".to_vec()),
            Some(Fault::Oversized) => return Reply::Endless,
            Some(Fault::Slow) => {
                return Reply::Delayed(Duration::from_secs(90), Box::new(self.reply(request, None)));
            }
            None => {}
        }
        if request.header("If-None-Match") == Some(etag.as_str()) {
            return Reply::Full {
                status: 304,
                headers: vec![("ETag".into(), etag)],
                body: vec![],
            };
        }
        Reply::json(body)
            .with_header("ETag", &etag)
            .with_header("Last-Modified", &http_date(changed_at))
    }
}

/// Runs the demo server until Ctrl-C.
pub async fn run_demo_server(options: DemoOptions) -> std::io::Result<()> {
    let state = DemoState {
        start: Instant::now(),
        started_at: Utc::now(),
        change_every: options.change_every,
    };
    let fault = options.fault;
    let server = TestServer::start(&options.addr, move |req| {
        tracing::info!(path = %req.path, if_none_match = ?req.header("If-None-Match"), "request");
        state.reply(req, fault)
    })
    .await?;
    println!("serving the demo feed at {}", server.url("/feed.json"));
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = server.wait() => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_change_scores_and_stay_valid() {
        let t = DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap();
        let v0 = demo_body(0, t);
        let v1 = demo_body(1, t);
        assert_ne!(v0, v1);
        let (feed, report) = crate::feed::parse(&v1).unwrap();
        assert!(report.dropped.is_empty());
        let ranks: Vec<u32> = feed.boards[0].entries.iter().map(|e| e.rank).collect();
        assert_eq!(ranks, (1..=7).collect::<Vec<_>>());
    }
}
