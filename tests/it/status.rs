//! The fleet endpoints against a running `rankwall run --headless`: status
//! fields, metrics in Prometheus text, a screenshot equal to the frame of its
//! instant, health turning 503 when the data goes stale after the feed server
//! disappears, the token off loopback, and proof-of-play lines that match
//! the schedule.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::screen::get;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use rankwall::cli::Stage;
use rankwall::demo::{Reply, TestServer};
use rankwall::golden::{compare, half, Tolerance};
use rankwall::schedule::Frame;
use rankwall::status::PlayEntry;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

const SIZE: &str = "640x360";

fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&rankwall::china_standard_time())
}

struct Client(Child);

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a headless client whose config asks for status port 0; returns
/// it with the port its status server bound.
fn start(config: &std::path::Path, dir: &std::path::Path, extra: &[&str]) -> (Client, u16) {
    let log = dir.join("client.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["run", "--headless", "--size", SIZE, "--config"])
        .arg(config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(extra)
        .env("RUST_LOG", "rankwall=info")
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = common::screen::bound_port(&log, &mut child);
    (Client(child), port)
}

fn wait_until_up(port: u16) {
    for _ in 0..200 {
        if get(port, "/healthz", None).is_some_and(|r| r.0 == 200) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the headless client never answered /healthz with 200");
}

fn config_text(url: &str, log: &std::path::Path) -> String {
    format!(
        r#"
[screen]
id = "test-screen-7"

[feed]
url = "{url}"
poll_interval = 1
backoff_max = 2

[status]
addr = "127.0.0.1:0"
play_log = "{}"

[[playlist]]
select = {{ list = "red" }}
duration = 2
transition = {{ kind = "cut" }}

[[playlist]]
select = {{ list = "black" }}
duration = 2
transition = {{ kind = "cut" }}
"#,
        log.display()
    )
}

/// Checks that every line of the exposition is a comment or `name{labels} value`.
fn assert_prometheus(text: &str) -> usize {
    let mut samples = 0;
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# ") {
            assert!(
                rest.starts_with("HELP ") || rest.starts_with("TYPE "),
                "bad comment: {line}"
            );
            continue;
        }
        let (name, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("value is not a number: {line}"));
        let bare = name.split('{').next().unwrap();
        assert!(
            !bare.is_empty()
                && bare
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name: {line}"
        );
        if name.contains('{') {
            assert!(name.ends_with('}'), "unclosed labels: {line}");
        }
        samples += 1;
    }
    samples
}

#[test]
fn status_metrics_screenshot_health_and_proof_of_play() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut feed = common::example();
    let generated = now() - Duration::hours(48) + Duration::seconds(25);
    feed["generated_at"] = generated.to_rfc3339().into();
    let body = serde_json::to_vec(&feed).unwrap();
    let served = Arc::new(Mutex::new(body.clone()));
    let s = served.clone();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            Reply::json(s.lock().unwrap().clone())
        }))
        .unwrap();
    let dir = common::temp_dir("status");
    let log = dir.join("played.jsonl");
    let config = config_text(&server.url("/feed.json"), &log);
    let config_path = dir.join("rankwall.toml");
    std::fs::write(&config_path, &config).unwrap();
    let (_client, port) = start(&config_path, &dir, &[]);
    wait_until_up(port);
    let started = now();

    // /status: the fields an admin needs, and the figures are right.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let (code, kind, status) = get(port, "/status", None).unwrap();
    assert_eq!((code, kind.as_str()), (200, "application/json"));
    let status: serde_json::Value = serde_json::from_slice(&status).unwrap();
    assert_eq!(status["screen_id"], "test-screen-7");
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(status["data"]["sha256"], rankwall::source::sha256_hex(&body));
    assert_eq!(status["data"]["generated_at"], generated.to_rfc3339());
    assert_eq!(status["feed"]["consecutive_failures"], 0);
    assert_eq!(status["config"]["source"], config_path.display().to_string());
    assert!(status["frames_presented"].as_u64().unwrap() >= 2);
    assert!(status["rss_bytes"].as_u64().unwrap() > 1_000_000);
    assert!(status["adapter"].as_str().unwrap().len() > 3);
    assert_eq!(status["showing"]["state"], "page");
    for key in ["uptime_secs", "dropped_items", "uncovered_chars"] {
        assert!(status[key].is_number(), "{key} missing");
    }
    assert!(status["feed"]["next_attempt_at"].is_string() && status["feed"]["last_attempt_at"].is_string());

    // /metrics parses as Prometheus text.
    let (code, kind, metrics) = get(port, "/metrics", None).unwrap();
    assert_eq!(code, 200);
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = String::from_utf8(metrics).unwrap();
    assert!(assert_prometheus(&text) >= 10);
    assert!(text.contains("rankwall_healthy 1") && text.contains("screen=\"test-screen-7\""));

    // /screenshot.png is the frame of its instant.
    let mut parsed_config = rankwall::config::parse("t.toml", &config, None).settings.unwrap();
    parsed_config.screen.size = rankwall::config::ScreenSize::parse(SIZE).unwrap();
    let mut stage = Stage::new(parsed_config, common::parse(&feed).unwrap().0).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = Vec::new();
    let (t, shot) = loop {
        assert!(
            std::time::Instant::now() < deadline,
            "no settled screenshot within 60 s; answers and frames seen: {seen:?}"
        );
        let t0 = now();
        let (code, kind, png) = get(port, "/screenshot.png", None).unwrap();
        let t1 = now();
        seen.push(format!("{code} at {t0}"));
        if code == 429 {
            std::thread::sleep(std::time::Duration::from_millis(1100));
            continue;
        }
        assert_eq!((code, kind.as_str()), (200, "image/png"));
        let (f0, f1) = (stage.player().frame(t0), stage.player().frame(t1));
        let settled =
            matches!(&f0, Frame::Page { started, .. } if t0 - *started > Duration::milliseconds(900));
        if f0 == f1 && settled {
            break (t0, image::load_from_memory(&png).unwrap().to_rgba8());
        }
        std::thread::sleep(std::time::Duration::from_millis(1100));
    };
    let expected = stage.frame_image(t).unwrap();
    let c = compare(&half(&shot), &half(&expected), &Tolerance::default()).unwrap();
    assert!(
        c.passes(&Tolerance::default()),
        "screenshot differs: {} strong, mean {}",
        c.strong,
        c.mean_delta
    );
    let (code, _, _) = get(port, "/screenshot.png", None).unwrap();
    assert_eq!(code, 429, "screenshots are rate-limited");

    // The feed server goes away: healthy until the data passes the limit, then 503.
    server.stop();
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(
        get(port, "/healthz", None).unwrap().0,
        200,
        "a short outage keeps the last good data"
    );
    while now() < generated + Duration::hours(48) + Duration::seconds(6) {
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let (code, _, reason) = get(port, "/healthz", None).unwrap();
    let reason = String::from_utf8_lossy(&reason).to_string();
    assert_eq!(code, 503, "{reason}");
    assert!(reason.contains("stale"), "{reason}");
    let status: serde_json::Value = serde_json::from_slice(&get(port, "/status", None).unwrap().2).unwrap();
    assert!(status["feed"]["consecutive_failures"].as_u64().unwrap() >= 1);

    // Proof of play: every line after start-up is the schedule's page at its start.
    let text = std::fs::read_to_string(&log).unwrap();
    let entries: Vec<PlayEntry> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let pages: Vec<&PlayEntry> = entries
        .iter()
        .filter(|e| e.state == rankwall::status::ScreenState::Page && e.start > started)
        .collect();
    assert!(pages.len() >= 5, "{} page lines", pages.len());
    // Each page is drawn in the first half of its 2 s slot, and none is
    // skipped: each line's slot begins where the previous line's ended. The
    // fault this guards slept through a whole page (drawn a page late, or
    // never); half a page leaves room for a busy 2-core CI machine, where
    // five screens share the cores with lavapipe.
    let mut previous_end = None;
    for e in pages {
        let at = e.start + Duration::milliseconds(1);
        let Frame::Page {
            slot, started, ends, ..
        } = stage.player().frame(at)
        else {
            panic!("no page at {}", e.start)
        };
        let late = e.start - started;
        assert!(
            late < Duration::milliseconds(1000),
            "the page of {started} was drawn {} ms late; the log:\n{text}",
            late.num_milliseconds()
        );
        if let Some(end) = previous_end {
            assert_eq!(
                started, end,
                "a page between {end} and {started} was never drawn; the log:\n{text}"
            );
        }
        previous_end = Some(ends);
        assert_eq!(
            (e.item, e.page),
            (Some(slot.item), Some(slot.page.index + 1)),
            "line at {}",
            e.start
        );
        assert_eq!(e.slide.as_deref(), Some(slot.page.id.as_str()));
    }
    // `played` names the entry covering an instant: the middle of one page
    // line, with another line after it, so that the one before or after
    // would be a wrong answer.
    let shown_pages: Vec<&PlayEntry> = entries
        .iter()
        .filter(|e| e.state == rankwall::status::ScreenState::Page && e.start > started)
        .collect();
    let (entry, next) = (shown_pages[1], shown_pages[2]);
    let at = entry.start + (next.start - entry.start) / 2;
    let played = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["played", "--log"])
        .arg(&log)
        .args(["--at", &at.to_rfc3339()])
        .output()
        .unwrap();
    assert!(played.status.success());
    let answer = String::from_utf8_lossy(&played.stdout);
    let what = format!(
        "item {} · {} · page {}/{}",
        entry.item.unwrap() + 1,
        entry.slide.as_deref().unwrap(),
        entry.page.unwrap(),
        entry.pages.unwrap()
    );
    assert!(answer.contains(&what), "{what} not in:\n{answer}");
    assert!(
        answer.contains(&format!("shown from {} until {}", entry.start, next.start)),
        "{answer}"
    );
    assert!(
        answer.contains(&format!("data sha256 {}", entry.data_sha256)),
        "{answer}"
    );
}

#[test]
fn off_loopback_the_status_server_requires_a_token() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("token");
    let open = "[[playlist]]\nselect = { list = \"red\" }\n";
    let no_token = dir.join("no-token.toml");
    std::fs::write(&no_token, format!("[status]\naddr = \"0.0.0.0:0\"\n{open}")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args(["run", "--headless", "--size", SIZE, "--config"])
        .arg(&no_token)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "started without a token");
    assert!(
        err.contains("no-token.toml:2:8") && err.contains("token"),
        "{err}"
    );

    let with_token = dir.join("token.toml");
    std::fs::write(
        &with_token,
        format!("[status]\naddr = \"0.0.0.0:0\"\ntoken = \"s3cret-s3cret-s3cret\"\n{open}"),
    )
    .unwrap();
    let (_client, port) = start(&with_token, &dir, &[]);
    let mut answered = None;
    for _ in 0..200 {
        answered = get(port, "/healthz", Some("s3cret-s3cret-s3cret"));
        if answered.as_ref().is_some_and(|r| r.0 == 200) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(answered.map(|r| r.0), Some(200), "the token opens every endpoint");
    assert_eq!(get(port, "/status", None).unwrap().0, 401);
    assert_eq!(get(port, "/metrics", Some("wrong")).unwrap().0, 401);
    assert_eq!(get(port, "/status", Some("s3cret-s3cret-s3cret")).unwrap().0, 200);
}

/// The `/status` JSON of the client on `port`.
fn status_of(port: u16) -> serde_json::Value {
    serde_json::from_slice(&get(port, "/status", None).unwrap().2).unwrap()
}

/// Polls `/status` until `ok` holds (at most 20 s).
fn wait_status(port: u16, what: &str, ok: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    for _ in 0..100 {
        let s = status_of(port);
        if ok(&s) {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("{what}: {:#}", status_of(port));
}

#[test]
fn a_remote_config_is_fetched_reloaded_refused_when_bad_and_kept_for_restarts() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = common::temp_dir("remote");
    let remote = |duration: u32| {
        format!("[screen]\nid = \"remote-id\"\n[feed]\npoll_interval = 1\n[status]\nplay_log_max_mb = 8\n[[playlist]]\nselect = {{ list = \"red\" }}\nduration = {duration}\n")
    };
    let served = Arc::new(Mutex::new(remote(5).into_bytes()));
    let s = served.clone();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            Reply::json(s.lock().unwrap().clone())
        }))
        .unwrap();
    let url = server.url("/rankwall.toml");
    let local = dir.join("screen.toml");
    // The status address is the screen's own business: a URL may not set it.
    let own = "[screen]\nid = \"hall-3\"\n[status]\naddr = \"127.0.0.1:0\"\n";
    std::fs::write(&local, own).unwrap();
    // A plain-http test server: the operator's consent is explicit.
    let args = ["--screen-config", local.to_str().unwrap(), "--allow-http-config"];
    let spawn = |log: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
            .args([
                "run",
                "--headless",
                "--size",
                SIZE,
                "--config",
                &url,
                "--cache-dir",
            ])
            .arg(dir.join("cache"))
            .args(args)
            .env("NO_COLOR", "1")
            .stderr(std::fs::File::create(dir.join(log)).unwrap())
            .spawn()
            .unwrap();
        let port = common::screen::bound_port(&dir.join(log), &mut child);
        (Client(child), port)
    };
    let (client, port) = spawn("client.log");
    wait_until_up(port);
    let first = status_of(port);
    assert_eq!(first["screen_id"], "hall-3", "the local [screen] wins");
    assert_eq!(first["config"]["source"], url);

    // A good change is applied; a bad one is refused with its location and the old config stays.
    *served.lock().unwrap() = remote(7).into_bytes();
    let second = wait_status(port, "the remote change was never applied", |s| {
        s["config"]["sha256"] != first["config"]["sha256"]
    });
    assert!(second["config"]["last_reload"]
        .as_str()
        .unwrap()
        .contains("accepted"));
    *served.lock().unwrap() = remote(7).replace("duration = 7", "duraton = 7").into_bytes();
    let refused = wait_status(port, "the bad change was never refused", |s| {
        s["config"]["last_reload"]
            .as_str()
            .is_some_and(|r| r.contains("refused"))
    });
    let reason = refused["config"]["last_reload"].as_str().unwrap();
    assert!(
        reason.contains(&format!("{url}:9:1")) && reason.contains("`duration`"),
        "{reason}"
    );
    assert_eq!(
        refused["config"]["sha256"], second["config"]["sha256"],
        "the old config keeps running"
    );

    // Without the server, a restart starts from the last good copy.
    drop(client);
    server.stop();
    let (again, port) = spawn("client2.log");
    wait_until_up(port);
    assert_eq!(status_of(port)["config"]["sha256"], second["config"]["sha256"]);
    drop(again);
}

#[test]
fn a_local_config_file_is_reloaded_when_it_changes() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("reload");
    // The file names a feed and a size; the command line's --feed and
    // --size win, at start and after every reload.
    let text = |duration: &str| {
        format!("[screen]\nsize = \"1920x1080\"\n[feed]\nurl = \"http://127.0.0.1:9/never.json\"\n[status]\naddr = \"127.0.0.1:0\"\nplay_log = \"{}\"\n[[playlist]]\nselect = {{ list = \"red\" }}\n{duration}\n", dir.join("p.jsonl").display())
    };
    let feed = dir.join("feed.json");
    std::fs::write(&feed, serde_json::to_vec(&common::fresh_example()).unwrap()).unwrap();
    let path = dir.join("rankwall.toml");
    std::fs::write(&path, text("duration = 5")).unwrap();
    let (_client, port) = start(&path, &dir, &["--feed", feed.to_str().unwrap()]);
    wait_until_up(port);
    let first = status_of(port);
    std::fs::write(&path, text("duration = 6")).unwrap();
    let second = wait_status(port, "the edited file was never applied", |s| {
        s["config"]["sha256"] != first["config"]["sha256"]
    });
    let (w, h) = SIZE.split_once('x').unwrap();
    for (when, s) in [("at start", &first), ("after a reload", &second)] {
        assert_eq!(
            (s["width"].to_string(), s["height"].to_string()),
            (w.to_string(), h.to_string()),
            "{when}: --size {SIZE} lost: {s}"
        );
        assert_eq!(s["healthy"], true, "{when}: the file's feed replaced --feed: {s}");
    }
    // Size and feed are read at start only: a reload that dropped the
    // overrides would list them as waiting for a restart.
    let waiting = &second["config"]["applies_after_restart"];
    assert!(
        waiting.is_null() || waiting.as_array().is_some_and(Vec::is_empty),
        "after a reload the file's values wait to replace the command line's: {waiting}"
    );
    std::thread::sleep(std::time::Duration::from_secs(3));
    let later = status_of(port);
    assert_eq!(
        later["healthy"], true,
        "after a reload the file's feed replaced --feed: {later}"
    );
    assert!(
        !later.to_string().contains("never.json"),
        "the file's feed URL is in use: {later}"
    );
    std::fs::write(&path, text("duration = \"six\"")).unwrap();
    let refused = wait_status(port, "the broken file was never refused", |s| {
        s["config"]["last_reload"]
            .as_str()
            .is_some_and(|r| r.contains("refused"))
    });
    let reason = refused["config"]["last_reload"].as_str().unwrap();
    assert!(reason.contains(&format!("{}:10:12", path.display())), "{reason}");
    assert_eq!(refused["config"]["sha256"], second["config"]["sha256"]);
    assert_eq!(
        get(port, "/healthz", None).unwrap().0,
        200,
        "a bad edit never blanks the wall"
    );
}

/// Credentials in a feed URL (`user:pass@`, `?api_key=`, a name written
/// percent-encoded as `%74oken=`, `pwd=`) never reach `/status`, the log or
/// the cache's metadata, whether the feed answers or the connection fails.
#[test]
fn credentials_in_the_feed_url_are_never_shown() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body = serde_json::to_vec(&common::fresh_example()).unwrap();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            Reply::json(body.clone())
        }))
        .unwrap();
    let dir = common::temp_dir("status-secrets");
    let url = server
        .url("/feed.json?api_key=SECRETKEY&month=11&%74oken=ENCODEDSECRET&pwd=PWDSECRET")
        .replace("http://", "http://feeduser:PA55WORD@");
    let config_path = dir.join("rankwall.toml");
    std::fs::write(&config_path, config_text(&url, &dir.join("played.jsonl"))).unwrap();
    let (_client, port) = start(&config_path, &dir, &[]);
    wait_until_up(port);
    wait_status(port, "the feed was accepted", |s| s["feed"]["sha256"].is_string());
    server.stop();
    let failed = wait_status(port, "the feed server is gone", |s| {
        s["feed"]["consecutive_failures"].as_u64().is_some_and(|n| n > 0)
    });
    let mut seen = vec![("/status".to_string(), failed.to_string())];
    seen.push((
        "client.log".into(),
        std::fs::read_to_string(dir.join("client.log")).unwrap(),
    ));
    for entry in std::fs::read_dir(dir.join("cache")).unwrap().flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).to_string();
        seen.push((entry.path().display().to_string(), text));
    }
    for (place, text) in &seen {
        for secret in ["PA55WORD", "feeduser", "SECRETKEY", "ENCODEDSECRET", "PWDSECRET"] {
            assert!(!text.contains(secret), "{secret} appears in {place}:\n{text}");
        }
    }
    let shown = failed["feed"]["url"].as_str().unwrap_or_default();
    assert!(
        shown.starts_with("http://***@127.0.0.1:") && shown.contains("/feed.json?api_key=***&month=11&"),
        "{shown}"
    );
    assert!(
        seen.len() >= 3,
        "the cache holds the document and its metadata: {seen:?}"
    );
}

/// Issue 28 (test audit): credentials in a config URL and in the `[report]
/// url` are hidden like the feed's, in `/status`, the log and the caches,
/// whether the server answers or fails.
#[test]
fn credentials_in_the_config_and_report_urls_are_never_shown() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let feed = serde_json::to_vec(&common::fresh_example()).unwrap();
    let remote = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let served = remote.clone();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |req| {
            if req.path.starts_with("/screen.toml") {
                Reply::json(served.lock().unwrap().clone())
            } else if req.path.starts_with("/api/report") {
                Reply::status(500)
            } else {
                Reply::json(feed.clone())
            }
        }))
        .unwrap();
    let dir = common::temp_dir("status-secrets-config");
    let feed_url = server.url("/feed.json");
    *remote.lock().unwrap() = format!(
        "[feed]\nurl = \"{feed_url}\"\npoll_interval = 1\n\n[[playlist]]\nselect = {{ list = \"red\" }}\nduration = 2\n"
    );
    let config_url = server
        .url("/screen.toml?token=CFGSECRET&v=1")
        .replace("http://", "http://cfguser:CFGPASS@");
    let report_url = server.url("/api/report?key=REPSECRET");
    let local = dir.join("local.toml");
    std::fs::write(
        &local,
        format!(
            "[screen]\nid = \"secret-test\"\n\n[status]\naddr = \"127.0.0.1:0\"\nplay_log = \"{}\"\n\n\
             [report]\nurl = \"{report_url}\"\ntoken = \"a-long-report-token-REPTOKEN\"\ninterval = 10\n",
            dir.join("played.jsonl").display()
        ),
    )
    .unwrap();
    let log = dir.join("client.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args([
            "run",
            "--headless",
            "--size",
            SIZE,
            "--allow-http-config",
            "--config",
            &config_url,
        ])
        .arg("--screen-config")
        .arg(&local)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("RUST_LOG", "rankwall=info")
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = common::screen::bound_port(&log, &mut child);
    let _client = Client(child);
    wait_until_up(port);
    wait_status(port, "the feed was accepted", |s| s["feed"]["sha256"].is_string());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_to_string(&log)
        .unwrap()
        .contains("cannot report to the console")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no failed report logged within 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // Now the config server fails too.
    server.stop();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let status = String::from_utf8(get(port, "/status", None).unwrap().2).unwrap();
    assert!(
        status.contains("/screen.toml?token=***"),
        "the config source is not in /status: {status}"
    );
    let mut seen = vec![
        ("/status".to_string(), status),
        ("client.log".into(), std::fs::read_to_string(&log).unwrap()),
    ];
    for entry in std::fs::read_dir(dir.join("cache")).unwrap().flatten() {
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).to_string();
        seen.push((entry.path().display().to_string(), text));
    }
    for (place, text) in &seen {
        for secret in ["CFGSECRET", "CFGPASS", "cfguser", "REPSECRET", "REPTOKEN"] {
            assert!(!text.contains(secret), "{secret} appears in {place}:\n{text}");
        }
    }
    let log_text = &seen[1].1;
    assert!(
        log_text.contains("token=***"),
        "the config URL is not in the log at all:\n{log_text}"
    );
    assert!(
        log_text.contains("key=***"),
        "the report URL is not in the log at all:\n{log_text}"
    );
}
