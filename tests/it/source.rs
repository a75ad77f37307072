//! The feed source against real HTTP servers on 127.0.0.1: every fault leaves
//! the last good document in place and reports its own reason; the next good
//! response replaces it. Backoff timing runs on tokio's paused clock.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rankwall::demo::{demo_body, Reply, Request, TestServer};
use rankwall::net::{FetchError, FetchOutcome, Fetched, Fetcher, HttpFetcher, Validators};
use rankwall::source::{Cache, Outcome, Poller, SourceConfig, SourceEvent};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common;

use common::temp_dir;

fn body(version: u64) -> Vec<u8> {
    let t = chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap();
    demo_body(version, t + chrono::Duration::minutes(version as i64))
}

fn config(url: &str, dir: &std::path::Path) -> SourceConfig {
    let mut c = SourceConfig::new(url, dir.to_path_buf());
    c.interval = Duration::from_secs(1);
    c.http.connect_timeout = Duration::from_secs(1);
    c.http.read_timeout = Duration::from_secs(1);
    c.http.total_timeout = Duration::from_secs(3);
    c.http.screen_id = "screen-7".into();
    c
}

fn poller(url: &str, dir: &std::path::Path) -> Poller<HttpFetcher> {
    let c = config(url, dir);
    let fetcher = HttpFetcher::new(url, &c.http).unwrap();
    Poller::with_rng(c, fetcher, fastrand::Rng::with_seed(1))
}

/// A good reply for `version`, with validators, honouring If-None-Match.
fn good(req: &Request, version: u64) -> Reply {
    let etag = format!("\"v{version}\"");
    if req.header("If-None-Match") == Some(etag.as_str()) {
        return Reply::Full {
            status: 304,
            headers: vec![("ETag".into(), etag)],
            body: vec![],
        };
    }
    Reply::json(body(version))
        .with_header("ETag", &etag)
        .with_header("Last-Modified", "Sat, 28 Nov 2026 02:00:00 GMT")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ok_then_not_modified_with_the_validators_seen_by_the_server() {
    let dir = temp_dir("304");
    let server = TestServer::start("127.0.0.1:0", |req| good(req, 1))
        .await
        .unwrap();
    let mut p = poller(&server.url("/feed.json"), &dir);
    let first = p.poll_once().await;
    assert_eq!(first.outcome, Outcome::Updated);
    assert!(first.accepted.is_some());
    let second = p.poll_once().await;
    assert_eq!(second.outcome, Outcome::Unchanged);
    assert!(second.accepted.is_none());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("If-None-Match"), None);
    assert_eq!(requests[1].header("If-None-Match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("If-Modified-Since"),
        Some("Sat, 28 Nov 2026 02:00:00 GMT")
    );
    let agent = requests[0].header("User-Agent").unwrap();
    assert_eq!(
        agent,
        format!("rankwall/{} (screen-7)", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(p.status().etag.as_deref(), Some("\"v1\""));
    assert_eq!(p.status().consecutive_failures, 0);
}

/// Server modes for the fault table.
const GOOD: usize = 0;

fn fault_reply(mode: usize, req: &Request) -> Reply {
    match mode {
        GOOD => good(req, 1),
        1 => Reply::status(500),
        2 => Reply::status(503).with_header("Retry-After", "120"),
        3 => Reply::Silent,
        4 => {
            let b = body(2);
            Reply::Truncated {
                declared: b.len(),
                body: b[..b.len() / 3].to_vec(),
            }
        }
        5 => Reply::Endless,
        6 => Reply::json(b"{\"schema_version\": 1, \"generated_at\": ".to_vec()),
        7 => Reply::json(serde_json::to_vec(&serde_json::json!({"schema_version": 2})).unwrap()),
        8 => Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: b"<!DOCTYPE html><html><body>Bad gateway</body></html>".to_vec(),
        },
        9 => Reply::json(vec![0xC1, 0xD9, 0xBD, 0xAD, 0xCA, 0xD0]),
        10 => Reply::json(Vec::new()),
        // Too many requests, come back in an hour, said as an HTTP date.
        11 => Reply::status(429).with_header(
            "Retry-After",
            &rankwall::demo::http::http_date(chrono::Utc::now() + chrono::Duration::hours(1)),
        ),
        _ => good(req, 3),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_keeps_the_last_good_document_and_reports_its_own_reason() {
    let dir = temp_dir("faults");
    let mode = Arc::new(AtomicUsize::new(GOOD));
    let m = mode.clone();
    let server = TestServer::start("127.0.0.1:0", move |req| {
        fault_reply(m.load(Ordering::SeqCst), req)
    })
    .await
    .unwrap();
    let url = server.url("/feed.json");
    let mut p = poller(&url, &dir);
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated);
    let good_sha = p.status().sha256.clone().unwrap();
    let cases = [
        (1, "http_status"),
        (2, "retry_later"),
        (3, "timeout"),
        (4, "truncated"),
        (5, "too_large"),
        (6, "not_json"),
        (7, "schema_version_unsupported"),
        (8, "html_page"),
        (9, "not_utf8"),
        (10, "empty"),
        (11, "retry_later"),
    ];
    let mut report = Vec::new();
    for (n, (case, code)) in cases.iter().enumerate() {
        mode.store(*case, Ordering::SeqCst);
        let result = p.poll_once().await;
        assert_eq!(result.outcome.code(), *code, "case {case}: {:?}", result.outcome);
        assert!(result.accepted.is_none());
        assert_eq!(
            p.status().sha256.as_deref(),
            Some(good_sha.as_str()),
            "case {case} replaced the data"
        );
        assert_eq!(p.status().consecutive_failures, n as u32 + 1);
        let cached = Cache::new(&dir, &url).load().unwrap().unwrap();
        assert_eq!(cached.meta.sha256, good_sha, "case {case} replaced the cache");
        if *case == 2 {
            assert!(
                result.delay >= Duration::from_secs(120),
                "Retry-After honoured: {:?}",
                result.delay
            );
        }
        if *case == 11 {
            // Past the backoff's ceiling: only the header can ask for this.
            assert!(
                result.delay >= Duration::from_secs(3590) && result.delay <= Duration::from_secs(3600),
                "a 429's Retry-After date honoured: {:?}",
                result.delay
            );
        }
        report.push(format!("{code}: {:?}", result.outcome));
    }
    println!("{}", report.join("\n"));
    mode.store(12, Ordering::SeqCst);
    let recovered = p.poll_once().await;
    assert_eq!(recovered.outcome, Outcome::Updated);
    assert_ne!(p.status().sha256.as_deref(), Some(good_sha.as_str()));
    assert_eq!(p.status().consecutive_failures, 0);
    assert_eq!(
        Cache::new(&dir, &url).load().unwrap().unwrap().meta.sha256,
        p.status().sha256.clone().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_then_recovery() {
    let dir = temp_dir("refused");
    let server = TestServer::start("127.0.0.1:0", |req| good(req, 1))
        .await
        .unwrap();
    let addr = server.addr;
    let url = server.url("/feed.json");
    let mut p = poller(&url, &dir);
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated);
    server.stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let failed = p.poll_once().await;
    assert_eq!(failed.outcome.code(), "connect", "{:?}", failed.outcome);
    assert!(p.status().sha256.is_some());
    let again = TestServer::start(&addr.to_string(), |req| good(req, 2))
        .await
        .unwrap();
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated);
    again.stop();
}

/// The most an endless body may cost above the 8 MiB it is cut at: the
/// client's buffers, the test server's, the runtime's.
const ENDLESS_SLACK_KIB: u64 = 3 * 1024;

/// An endless body is cut at the limit, and the process that read it (this
/// test alone in a child, see `common::alone`) peaks at most 8 MiB and a
/// little above where it started.
#[test]
fn an_endless_body_is_cut_at_the_limit_with_bounded_memory() {
    if common::alone::in_child() {
        return read_an_endless_body();
    }
    let grown =
        common::alone::peak_growth_kib("source::an_endless_body_is_cut_at_the_limit_with_bounded_memory");
    eprintln!("reading an endless body: peak +{grown} KiB");
    let limit = (rankwall::feed::MAX_BODY_BYTES as u64 >> 10) + ENDLESS_SLACK_KIB;
    assert!(
        grown < limit,
        "the peak rose {grown} KiB reading an endless body (limit {limit} KiB)"
    );
}

fn read_an_endless_body() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = temp_dir("endless");
        let server = TestServer::start("127.0.0.1:0", |_| Reply::Endless)
            .await
            .unwrap();
        let fetcher = HttpFetcher::new(&server.url("/"), &config("", &dir).http).unwrap();
        // A first request to warm the client (its pool, its TLS setup) and
        // the allocator: what is measured is the body's cost alone.
        let small = TestServer::start("127.0.0.1:0", |_| Reply::json("{}"))
            .await
            .unwrap();
        let warm = HttpFetcher::new(&small.url("/"), &config("", &dir).http).unwrap();
        let _ = warm.fetch(&Validators::default()).await;
        let (start, _) = common::alone::rss_and_peak_kib();
        let result = fetcher.fetch(&Validators::default()).await;
        assert!(matches!(result, Err(FetchError::TooLarge)), "{result:?}");
        common::alone::report(start);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_survives_a_restart_and_a_corrupt_one_is_set_aside() {
    let dir = temp_dir("restart");
    let server = TestServer::start("127.0.0.1:0", |req| good(req, 1))
        .await
        .unwrap();
    let url = server.url("/feed.json");
    let mut first = poller(&url, &dir);
    first.poll_once().await;
    let sha = first.status().sha256.clone();
    drop(first);
    server.stop();
    let mut second = poller(&url, &dir);
    let cached = second.load_cache().expect("cached document after restart");
    assert!(cached.from_cache);
    assert_eq!(Some(cached.sha256.clone()), sha);
    assert_eq!(second.status().sha256, sha);
    let failed = second.poll_once().await;
    assert!(failed.outcome.is_failure());
    assert_eq!(second.status().sha256, sha, "still showing the cached data");

    let path = Cache::new(&dir, &url).path().to_path_buf();
    std::fs::write(&path, b"{\"url\":\ngarbage").unwrap();
    let mut third = poller(&url, &dir);
    assert!(third.load_cache().is_none());
    assert!(!path.exists(), "the corrupt file is moved away");
    let reported = third.status().cache.load_error.clone().unwrap_or_default();
    assert!(
        reported.contains("unreadable") && reported.contains("moved aside"),
        "the status says why the cache was not used: {reported:?}"
    );
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
        .collect();
    assert_eq!(aside.len(), 1);
}

/// Issue 14: cache files are private (0600 in a 0700 folder), a link
/// planted at the cache's name is replaced, not written through, and the
/// set-asides and temporary files a crash leaves are pruned to the newest 3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_is_private_refuses_links_and_is_pruned() {
    use std::os::unix::fs::PermissionsExt as _;
    let root = temp_dir("private");
    let dir = root.join("cache");
    let server = TestServer::start("127.0.0.1:0", |req| good(req, 1))
        .await
        .unwrap();
    let url = server.url("/feed.json");
    let cache = Cache::new(&dir, &url).path().to_path_buf();
    let name = cache.file_name().unwrap().to_string_lossy().to_string();
    let stem = cache.file_stem().unwrap().to_string_lossy().to_string();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let victim = root.join("important.conf");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, &cache).unwrap();
    for n in 0..5 {
        std::fs::write(dir.join(format!("{stem}.corrupt-{n}")), "old").unwrap();
        std::fs::write(dir.join(format!(".{name}.crash{n}.tmp")), "half").unwrap();
    }
    let mut p = poller(&url, &dir);
    assert!(p.load_cache().is_none(), "a link to a non-cache file is corrupt");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    p.poll_once().await;
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "precious",
        "not written through"
    );
    let meta = std::fs::symlink_metadata(&cache).unwrap();
    assert!(meta.is_file(), "the cache is a plain file now");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let count = |needle: &str| {
        std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(needle))
            .count()
    };
    assert_eq!(count(".corrupt-"), 3, "set-asides pruned to the newest 3");
    assert_eq!(count(".tmp"), 3, "crashed temporary files pruned to the newest 3");
    let fresh = root.join("made-by-the-screen");
    let mut q = poller(&url, &fresh);
    q.poll_once().await;
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_date_far_from_the_local_clock_is_detected_and_used() {
    let dir = temp_dir("clock");
    let skewed = Arc::new(AtomicUsize::new(1));
    let s = skewed.clone();
    let server = TestServer::start("127.0.0.1:0", move |req| {
        let reply = good(req, 1);
        if s.load(Ordering::SeqCst) == 1 {
            reply.with_header("Date", "Tue, 01 Jan 2030 00:00:00 GMT")
        } else {
            reply
        }
    })
    .await
    .unwrap();
    let mut p = poller(&server.url("/feed.json"), &dir);
    p.poll_once().await;
    let skew = p.status().clock_skew_secs.expect("skew detected");
    assert!(skew > 86_400 * 365, "{skew}");
    assert!(p.status().using_server_time);
    let now = p.clock().now(chrono::Utc::now());
    assert_eq!(now.format("%Y").to_string(), "2030");
    skewed.store(0, Ordering::SeqCst);
    p.poll_once().await;
    assert_eq!(p.status().clock_skew_secs, None);
    assert!(!p.status().using_server_time);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_urls_and_missing_files() {
    let dir = temp_dir("file");
    let path = dir.join("feed.json");
    std::fs::write(&path, body(1)).unwrap();
    let url = format!("file://{}", path.display());
    let mut p = poller(&url, &dir);
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated);
    assert_eq!(
        p.poll_once().await.outcome,
        Outcome::Unchanged,
        "same bytes again"
    );
    std::fs::remove_file(&path).unwrap();
    assert_eq!(p.poll_once().await.outcome.code(), "file");
}

// ---- backoff timing on tokio's paused clock, with a scripted fetcher ----

struct Scripted {
    /// true = succeed (with a new document each time), false = fail.
    plan: Vec<bool>,
    calls: Arc<Mutex<Vec<tokio::time::Instant>>>,
}

impl Fetcher for Scripted {
    async fn fetch(&self, _: &Validators) -> Result<FetchOutcome, FetchError> {
        let n = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(tokio::time::Instant::now());
            calls.len() - 1
        };
        if self.plan.get(n).copied().unwrap_or(true) {
            let fetched = Fetched {
                body: body(n as u64),
                validators: Validators::default(),
                server_date: None,
                content_type_warning: None,
            };
            Ok(FetchOutcome::Body(fetched))
        } else {
            Err(FetchError::Status { status: 500 })
        }
    }

    fn location(&self) -> &str {
        "scripted"
    }
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_is_capped_and_resets_on_the_paused_clock() {
    let dir = temp_dir("backoff");
    let mut plan = vec![true];
    plan.extend([false; 9]);
    plan.extend([true, true]);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut c = SourceConfig::new("scripted", dir.to_path_buf());
    c.interval = Duration::from_secs(10);
    c.backoff_max = Duration::from_secs(300);
    let poller = Poller::with_rng(
        c,
        Scripted {
            plan,
            calls: calls.clone(),
        },
        fastrand::Rng::with_seed(3),
    );
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let task = tokio::spawn(poller.run(tx));
    let mut statuses = Vec::new();
    // On the paused clock a virtual day is the deadline; a poller that
    // stops closes the channel, which fails the test instead of spinning.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(86_400);
    while statuses.len() < 12 {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(SourceEvent::Status(s))) => statuses.push(s),
            Ok(Some(_)) => {}
            Ok(None) => panic!("the poller stopped after {} statuses", statuses.len()),
            Err(_) => panic!("only {} statuses in a virtual day", statuses.len()),
        }
    }
    task.abort();
    let calls = calls.lock().unwrap().clone();
    let gaps: Vec<f64> = calls.windows(2).map(|w| (w[1] - w[0]).as_secs_f64()).collect();
    println!("gaps between attempts (s): {gaps:.1?}");
    // After the first success: interval ± 10 %.
    assert!((9.0..=11.0).contains(&gaps[0]), "{gaps:?}");
    // After n failures: at least the interval, at most min(cap, interval × 2ⁿ).
    for n in 1..=9 {
        let ceiling = (10.0 * 2f64.powi(n)).min(300.0);
        let gap = gaps[n as usize];
        assert!(
            (10.0..=ceiling + 0.001).contains(&gap),
            "after {n} failures: {gap} not in 10..={ceiling}"
        );
    }
    assert!(gaps[5..10].iter().any(|g| *g > 100.0), "backoff grows: {gaps:?}");
    assert!(
        gaps.iter().all(|g| *g <= 300.001),
        "capped at 5 minutes: {gaps:?}"
    );
    // The success after the failures resets to the interval.
    assert!((9.0..=11.0).contains(&gaps[10]), "reset: {gaps:?}");
    assert_eq!(statuses[9].consecutive_failures, 9);
    assert_eq!(statuses[10].consecutive_failures, 0);
}

#[test]
fn a_missing_ca_file_is_named() {
    let options = rankwall::net::HttpOptions {
        ca_file: Some("/nonexistent/city-ca.pem".into()),
        ..Default::default()
    };
    let err = HttpFetcher::new("https://feed.example/", &options)
        .err()
        .expect("refused");
    assert!(err.to_string().contains("/nonexistent/city-ca.pem"), "{err}");
}

#[test]
fn the_cache_folder_follows_config_then_environment() {
    use rankwall::source::cache_dir_with;
    use std::ffi::OsString;
    use std::path::Path;
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    };
    let all = env(&[
        ("RANKWALL_CACHE_DIR", "/var/cache/rw"),
        ("XDG_CACHE_HOME", "/xdg"),
        ("HOME", "/home/screen"),
    ]);
    let configured = Path::new("/srv/rankwall-cache");
    assert_eq!(cache_dir_with(Some(configured), &all).unwrap(), configured);
    assert_eq!(cache_dir_with(None, &all).unwrap(), Path::new("/var/cache/rw"));
    let xdg = env(&[
        ("RANKWALL_CACHE_DIR", ""),
        ("XDG_CACHE_HOME", "/xdg"),
        ("HOME", "/home/screen"),
    ]);
    assert_eq!(cache_dir_with(None, &xdg).unwrap(), Path::new("/xdg/rankwall"));
    let home = env(&[("HOME", "/home/screen")]);
    assert_eq!(
        cache_dir_with(None, &home).unwrap(),
        Path::new("/home/screen/.cache/rankwall")
    );
    // With no HOME either there is no shared fallback under /tmp (issue 14):
    // another local user could plant links there.
    let none = cache_dir_with(None, &env(&[])).unwrap_err();
    assert!(none.to_string().contains("--cache-dir"), "{none}");
}

/// Issue 28 (test audit): a document that begins with a UTF-8 byte-order
/// mark is accepted from a server and from a file, the same document as
/// without it; a BOM alone is still refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leading_byte_order_mark_is_tolerated_over_http_and_from_a_file() {
    let dir = temp_dir("bom");
    let plain = rankwall::feed::DEMO_FEED.as_bytes().to_vec();
    let mut marked = "\u{feff}".as_bytes().to_vec();
    marked.extend_from_slice(&plain);
    let served = marked.clone();
    let server = TestServer::start("127.0.0.1:0", move |_| Reply::json(served.clone()))
        .await
        .unwrap();
    let mut p = poller(&server.url("/feed.json"), &dir.join("http"));
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated);
    let (without, _) = rankwall::feed::parse(&plain).unwrap();
    let cached = p.load_cache().expect("the marked document was cached");
    assert_eq!(*cached.feed, without, "the BOM changed the document");
    let file = dir.join("feed.json");
    std::fs::write(&file, &marked).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["check", "--feed"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.starts_with("accepted"), "{text}");
    std::fs::write(&file, "\u{feff}").unwrap();
    let only = std::process::Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["check", "--feed"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!only.status.success(), "a BOM alone was accepted");
}
