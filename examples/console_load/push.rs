//! `console_load push`: SCREENS simulated screens report every 10 s and
//! hold the console's push channel (`GET /api/wait`) as `rankwall run`
//! does; once every one holds it, an operator logs in and publishes an
//! emergency to their group through the 紧急插播 form, and each screen's
//! delay from that moment until it has fetched the new config is kept.
//! Prints the delays (p50, p99, max), how many screens got the new config,
//! the failures of reports and of waits, and the console's peak RSS.

use super::{client_for, note_failure, report, rss_kib, token, Tally, ADMIN};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What the screens and the operator share.
#[derive(Default)]
struct Fleet {
    /// Screens that have their first config and hold the channel.
    holding: AtomicUsize,
    /// When the operator pressed 立即插播.
    published_at: OnceLock<Instant>,
    /// Each screen's delay to the new config, in microseconds.
    delays: Mutex<Vec<u64>>,
    wait_failures: AtomicUsize,
}

pub async fn run(base: String, screens: usize, seconds: Duration, pid: u32) {
    let fleet = Arc::new(Fleet::default());
    let tally = Arc::new(Mutex::new(Tally::default()));
    let png = Arc::new(super::frame_png());
    let end = Instant::now() + seconds;
    let mut tasks = Vec::new();
    for n in 0..screens {
        let (base, fleet, tally, png) = (base.clone(), fleet.clone(), tally.clone(), png.clone());
        tasks.push(tokio::spawn(async move {
            screen(n, base, fleet, tally, png, end).await
        }));
    }
    let mut peak_rss = 0;
    let mut published = false;
    while Instant::now() < end {
        peak_rss = peak_rss.max(rss_kib(pid));
        if !published && fleet.holding.load(Ordering::Relaxed) == screens {
            // Let the first fetches' answers settle into held waits.
            tokio::time::sleep(Duration::from_secs(3)).await;
            publish_emergency(&base, &fleet).await;
            published = true;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for t in tasks {
        let _ = t.await;
    }
    let delays = fleet.delays.lock().unwrap().clone();
    println!(
        "holding the channel: {} of {screens}",
        fleet.holding.load(Ordering::Relaxed)
    );
    println!("new config fetched by {} of {screens} screens", delays.len());
    report("delay from 立即插播 to the new config", &delays);
    let tally = tally.lock().unwrap();
    report("status reports", &tally.reports);
    println!("report failures: {}", tally.failures);
    println!("wait failures: {}", fleet.wait_failures.load(Ordering::Relaxed));
    println!("console peak RSS: {:.1} MiB", peak_rss as f64 / 1024.0);
}

/// The content type of the console's forms (reqwest's `form` feature is off).
const FORM: &str = "application/x-www-form-urlencoded";

/// Logs in as the bench's operator and presses 立即插播 for group `load`.
async fn publish_emergency(base: &str, fleet: &Fleet) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = http
        .post(format!("{base}/login"))
        .header("content-type", FORM)
        .body(serde_urlencoded::to_string([("username", ADMIN.0), ("password", ADMIN.1)]).unwrap())
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = http
        .get(format!("{base}/emergency"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "寒潮预警"),
        ("body", "今夜气温骤降，请注意防寒"),
        ("open", "on"),
        ("group", "load"),
    ];
    let _ = fleet.published_at.set(Instant::now());
    let sent = http
        .post(format!("{base}/emergency"))
        .header("cookie", &cookie)
        .header("content-type", FORM)
        .body(serde_urlencoded::to_string(form).unwrap())
        .send()
        .await
        .unwrap();
    println!(
        "立即插播 answered {} in {:.1} ms",
        sent.status(),
        fleet.published_at.get().unwrap().elapsed().as_secs_f64() * 1000.0
    );
}

/// One screen: its reports, and its push channel until `end`.
async fn screen(
    n: usize,
    base: String,
    fleet: Arc<Fleet>,
    tally: Arc<Mutex<Tally>>,
    png: Arc<Vec<u8>>,
    end: Instant,
) {
    let client = client_for(n);
    let reports = super::screen(
        n,
        format!("{base}/api/report"),
        png,
        tally,
        Duration::from_secs(10),
        end,
    );
    let channel = hold(n, &client, &base, &fleet);
    let until_end = tokio::time::sleep_until(end.into());
    tokio::select! {
        _ = async { tokio::join!(reports, channel) } => {}
        _ = until_end => {}
    }
}

/// The screen's wait loop, as `rankwall run`'s (`src/client/push.rs`).
async fn hold(n: usize, client: &reqwest::Client, base: &str, fleet: &Fleet) {
    let config = format!("{base}/c/screen/load-{n}.toml");
    let mut sha = loop {
        match fetch(client, &config).await {
            Some(sha) => break sha,
            None => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    };
    fleet.holding.fetch_add(1, Ordering::Relaxed);
    loop {
        let asked = client
            .get(format!("{base}/api/wait?sha={sha}"))
            .bearer_auth(token(n))
            .header("x-rankwall-screen", format!("load-{n}"))
            .send()
            .await;
        let changed = match asked {
            Ok(r) if r.status().is_success() => {
                r.text().await.unwrap_or_default().contains("\"changed\":true")
            }
            Ok(r) => {
                note_failure(&format!("wait: {}", r.status()));
                fleet.wait_failures.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            Err(e) => {
                note_failure(&format!("wait: {e:?}"));
                fleet.wait_failures.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if !changed {
            continue;
        }
        if let Some(new) = fetch(client, &config).await.filter(|new| *new != sha) {
            if let Some(at) = fleet.published_at.get() {
                fleet.delays.lock().unwrap().push(at.elapsed().as_micros() as u64);
            }
            sha = new;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

/// The SHA-256 of the config the console serves the screen now.
async fn fetch(client: &reqwest::Client, url: &str) -> Option<String> {
    let r = client.get(url).send().await.ok()?;
    if !r.status().is_success() {
        note_failure(&format!("config: {}", r.status()));
        return None;
    }
    Some(rankwall::digest::sha256_hex(&r.bytes().await.ok()?))
}
