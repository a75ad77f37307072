//! A fleet in one process, for `benches/fleet-sim.sh` (docs/fleet.md): N
//! screens, each a real `source::Poller` (its own cache folder, its real
//! jitter and backoff), polling one URL. All of them share one HTTP client
//! (one connection pool) so that thousands fit in one process; what each
//! screen asks and when is exactly what a screen does.
//!
//! Prints one line per second (polls, failures, updates, latency) and, at the
//! end, the times at which the screens first held each new document.
//!
//!   cargo run --release --example fleet_sim -- URL SCREENS INTERVAL_S SECONDS CACHE_DIR
// A measurement tool: a failed setup ends it with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rankwall::net::{FetchError, FetchOutcome, Fetcher, HttpFetcher, HttpOptions, Validators};
use rankwall::source::{Outcome, Poller, SourceConfig};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One HTTP client for every simulated screen.
#[derive(Clone)]
struct Shared(Arc<HttpFetcher>);

impl Fetcher for Shared {
    async fn fetch(&self, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        self.0.fetch(validators).await
    }

    fn location(&self) -> &str {
        self.0.location()
    }
}

/// What happened in one second of the run.
#[derive(Default)]
struct Second {
    polls: u32,
    failures: u32,
    latencies_ms: Vec<u32>,
}

#[derive(Default)]
struct Stats {
    seconds: BTreeMap<u64, Second>,
    /// For each document (by SHA-256): when each screen first held it, in
    /// seconds since the start.
    first_held: BTreeMap<String, Vec<f64>>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, screens, interval, seconds, cache] = args.as_slice() else {
        eprintln!("usage: fleet_sim URL SCREENS INTERVAL_S SECONDS CACHE_DIR");
        std::process::exit(2);
    };
    let screens: usize = screens.parse().expect("SCREENS");
    let interval = Duration::from_secs(interval.parse().expect("INTERVAL_S"));
    let run_for = Duration::from_secs(seconds.parse().expect("SECONDS"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let stats = Arc::new(Mutex::new(Stats::default()));
    let started = Instant::now();
    runtime.block_on(async {
        let options = HttpOptions {
            screen_id: "fleet-sim".into(),
            ..HttpOptions::default()
        };
        let fetcher = Shared(Arc::new(HttpFetcher::new(url, &options).unwrap()));
        let mut tasks = Vec::new();
        for i in 0..screens {
            let mut config = SourceConfig::new(url, std::path::Path::new(cache).join(i.to_string()));
            config.interval = interval;
            let poller = Poller::new(config, fetcher.clone());
            tasks.push(tokio::spawn(screen(poller, stats.clone(), started, run_for)));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    report(&stats.lock().unwrap(), screens);
}

/// One screen: poll, record, sleep the delay the poller chose, until the end.
async fn screen(mut poller: Poller<Shared>, stats: Arc<Mutex<Stats>>, started: Instant, run_for: Duration) {
    // FLEET_BOOT=cached: every screen starts with a cached document, as after
    // a power cut, and waits what `Poller::run` waits before its first poll.
    if std::env::var("FLEET_BOOT").as_deref() == Ok("cached") {
        tokio::time::sleep(poller.first_poll_delay()).await;
    }
    while started.elapsed() < run_for {
        let asked = Instant::now();
        let result = poller.poll_once().await;
        let took = asked.elapsed();
        let second = asked.duration_since(started).as_secs();
        let sha = poller.status().sha256.clone();
        record(
            &stats,
            second,
            &result.outcome,
            took,
            sha,
            asked.duration_since(started),
        );
        tokio::time::sleep(result.delay).await;
    }
}

fn record(
    stats: &Mutex<Stats>,
    second: u64,
    outcome: &Outcome,
    took: Duration,
    sha: Option<String>,
    at: Duration,
) {
    let mut s = stats.lock().unwrap();
    let bucket = s.seconds.entry(second).or_default();
    bucket.polls += 1;
    bucket.failures += u32::from(outcome.is_failure());
    bucket.latencies_ms.push(took.as_millis() as u32);
    if *outcome == Outcome::Updated {
        if let Some(sha) = sha {
            s.first_held
                .entry(sha)
                .or_default()
                .push((at + took).as_secs_f64());
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(stats: &Stats, screens: usize) {
    println!("second polls failures p50_ms p99_ms");
    let mut all = Vec::new();
    for (second, s) in &stats.seconds {
        let mut l = s.latencies_ms.clone();
        l.sort_unstable();
        println!(
            "{second} {} {} {} {}",
            s.polls,
            s.failures,
            percentile(&l, 0.5),
            percentile(&l, 0.99)
        );
        all.extend(l);
    }
    all.sort_unstable();
    println!(
        "total polls {}, p50 {} ms, p99 {} ms, max {} ms",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(0)
    );
    for (sha, times) in &stats.first_held {
        let mut t = times.clone();
        t.sort_by(f64::total_cmp);
        let first = t[0];
        let n99 = ((screens as f64) * 0.99).ceil() as usize;
        let at99 = t.get(n99.saturating_sub(1)).map_or(f64::NAN, |v| v - first);
        println!(
            "document {}: first held at {:.1} s; {} of {} screens hold it; 99 % within {:.1} s of the first",
            &sha[..12],
            first,
            t.len(),
            screens,
            at99
        );
    }
}
