//! Many screens reporting to one console, for `benches/console-load.sh`
//! (docs/performance.md). Two steps:
//!
//!   console_load enrol DATA SCREENS
//!       enrols screens `load-0` … in the console's database at DATA (group
//!       `load`, token `load-token-<n>-0123456789`), before the console starts;
//!   console_load run URL SCREENS INTERVAL_S SECONDS PID
//!       runs the screens: each posts a real `/status` document (the same
//!       [`status_document`](rankwall::status::status_document) a screen
//!       sends) every INTERVAL_S from a random start, over its own
//!       connection, and uploads a 1280x720 PNG when the console asks for a
//!       screenshot. It samples the console's RSS (process PID) every second
//!       and prints report latencies (p50, p99, max) and the peak RSS;
//!   console_load push BASE SCREENS SECONDS PID
//!       the push channel ([`push`]): the same reports, every 10 s, and each
//!       screen holding `GET /api/wait` as `rankwall run` does; once all
//!       hold it, an operator publishes an emergency to their group, and the
//!       time until each screen has fetched the new config is measured.
//!
//! Screen `n` connects from its own loopback address (127.1.x.y), as a
//! fleet comes from many: the console admits at most 64 connections from
//! one address.
// A measurement tool: a failed setup ends it with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod push;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The operator the bench publishes the emergency as.
const ADMIN: (&str, &str) = ("load-admin", "load-admin-password-0123");

fn token(n: usize) -> String {
    format!("load-token-{n}-0123456789")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("enrol") => enrol(&args[1], args[2].parse().unwrap()),
        Some("run") => {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(run(
                args[1].clone(),
                args[2].parse().unwrap(),
                Duration::from_secs(args[3].parse().unwrap()),
                Duration::from_secs(args[4].parse().unwrap()),
                args[5].parse().unwrap(),
            ));
        }
        Some("push") => {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(push::run(
                args[1].clone(),
                args[2].parse().unwrap(),
                Duration::from_secs(args[3].parse().unwrap()),
                args[4].parse().unwrap(),
            ));
        }
        _ => eprintln!(
            "usage: console_load enrol DATA SCREENS | run URL SCREENS INTERVAL_S SECONDS PID | push BASE SCREENS SECONDS PID"
        ),
    }
}

fn enrol(data: &str, screens: usize) {
    let options = rankwall::console::ConsoleOptions::new(data.into());
    std::fs::create_dir_all(data).unwrap();
    let store = rankwall::console::store::Store::open(&options.database()).unwrap();
    store.ensure_group("load").unwrap();
    let playlist = "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n";
    let version = store.add_version("load", playlist, "console_load").unwrap();
    store.publish("load", version).unwrap();
    let hash = rankwall::console::hash_password(ADMIN.1).unwrap();
    store.set_user(ADMIN.0, &hash).unwrap();
    for n in 0..screens {
        let screen = rankwall::console::store::Enrolment {
            id: format!("load-{n}"),
            name: format!("负载屏 {n}"),
            group: "load".into(),
            place: "模拟".into(),
        };
        store
            .enrol(&screen, &rankwall::digest::sha256_hex(token(n).as_bytes()))
            .unwrap();
    }
    println!("enrolled {screens} screens in {data}");
}

/// Latencies of status reports and of screenshot uploads, in microseconds.
#[derive(Default)]
struct Tally {
    reports: Vec<u64>,
    shots: Vec<u64>,
    failures: u64,
}

async fn run(url: String, screens: usize, interval: Duration, seconds: Duration, pid: u32) {
    let png = Arc::new(frame_png());
    let tally = Arc::new(Mutex::new(Tally::default()));
    let end = Instant::now() + seconds;
    let mut tasks = Vec::new();
    for n in 0..screens {
        let (url, png, tally) = (url.clone(), png.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            screen(n, url, png, tally, interval, end).await
        }));
    }
    let mut peak_rss = 0;
    while Instant::now() < end {
        peak_rss = peak_rss.max(rss_kib(pid));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    for t in tasks {
        let _ = t.await;
    }
    peak_rss = peak_rss.max(rss_kib(pid));
    let tally = tally.lock().unwrap();
    report("status reports", &tally.reports);
    report("screenshot uploads", &tally.shots);
    println!("failures: {}", tally.failures);
    println!("console peak RSS: {:.1} MiB", peak_rss as f64 / 1024.0);
}

async fn screen(
    n: usize,
    url: String,
    png: Arc<Vec<u8>>,
    tally: Arc<Mutex<Tally>>,
    interval: Duration,
    end: Instant,
) {
    let client = client_for(n);
    let status = rankwall::status::ScreenStatus {
        screen_id: format!("load-{n}"),
        version: env!("CARGO_PKG_VERSION").into(),
        width: 1920,
        height: 1080,
        ..Default::default()
    };
    tokio::time::sleep(interval.mul_f64(fastrand::f64())).await;
    while Instant::now() < end {
        let mut doc = rankwall::status::status_document(&status, chrono::Utc::now());
        doc["report_interval_secs"] = interval.as_secs().into();
        let started = Instant::now();
        let reply = post(&client, &url, n, "application/json", doc.to_string().into_bytes()).await;
        let took = started.elapsed().as_micros() as u64;
        let wants_shot = match reply {
            Some(body) => {
                tally.lock().unwrap().reports.push(took);
                body.contains("\"screenshot\":true")
            }
            None => {
                tally.lock().unwrap().failures += 1;
                false
            }
        };
        if wants_shot {
            let started = Instant::now();
            let ok = post(&client, &url, n, "image/png", png.as_ref().clone())
                .await
                .is_some();
            let mut t = tally.lock().unwrap();
            if ok {
                t.shots.push(started.elapsed().as_micros() as u64);
            } else {
                t.failures += 1;
            }
        }
        tokio::time::sleep(interval).await;
    }
}

/// Screen `n`'s HTTP client, connecting from its own loopback address.
fn client_for(n: usize) -> reqwest::Client {
    let address = std::net::Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250 + 1) as u8);
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .local_address(std::net::IpAddr::V4(address))
        .build()
        .unwrap()
}

/// Posts as the screens' reporter does, retrying once on a connection
/// closed under it.
async fn post(client: &reqwest::Client, url: &str, n: usize, kind: &str, body: Vec<u8>) -> Option<String> {
    let send = |body: Vec<u8>| {
        client
            .post(url)
            .bearer_auth(token(n))
            .header("x-rankwall-screen", format!("load-{n}"))
            .header("content-type", kind)
            .body(body)
            .send()
    };
    let result = match send(body.clone()).await {
        Err(e) if !e.is_timeout() && !e.is_connect() => send(body).await,
        other => other,
    };
    let r = result.map_err(|e| note_failure(&format!("{e:?}"))).ok()?;
    if !r.status().is_success() {
        note_failure(&r.status().to_string());
        return None;
    }
    r.text().await.ok()
}

/// Prints the first few failures, so a run that fails says why.
fn note_failure(what: &str) {
    static SHOWN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    if SHOWN.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 5 {
        eprintln!("failure: {what}");
    }
}

/// A 1280x720 frame with some structure, as a screen's PNG (~tens of KiB).
fn frame_png() -> Vec<u8> {
    let image = image::RgbaImage::from_fn(1280, 720, |x, y| {
        let band = (y / 48) % 2 == 0;
        image::Rgba([if band { 140 } else { 120 }, 20, (x % 64) as u8, 255])
    });
    let mut out = Vec::new();
    image
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        .unwrap();
    out
}

fn report(what: &str, micros: &[u64]) {
    let mut v = micros.to_vec();
    v.sort_unstable();
    let at = |q: f64| {
        v.get(((v.len() as f64 * q) as usize).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{what}: {} — p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        v.len(),
        at(0.5) as f64 / 1000.0,
        at(0.99) as f64 / 1000.0,
        v.last().copied().unwrap_or(0) as f64 / 1000.0
    );
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}
