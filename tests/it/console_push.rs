//! The console's push channel (issue 23): `GET /api/wait` answers at once
//! when the screen's group publishes another version than the one named, as
//! soon as one is published while it waits, and `changed: false` at its end
//! otherwise; a real headless screen reporting to the console shows an
//! emergency well before its next config poll (a minute away) and leaves it
//! as quickly after 撤销. How quickly is measured by the push benchmark
//! (`benches/console-load.sh push`), not here: this suite runs beside
//! others on two cores, and a test does not time. Remote actions ride the
//! same channel: a queued 重新加载配置 or 重启程序 is sent once, and a real
//! screen told to restart leaves with status 75 for systemd to start again.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::console_app::{console, Console, TOKEN};
use rankwall::console::store::Store;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

async fn wait(c: &Console, sha: &str, secs: u64, token: &str) -> (StatusCode, serde_json::Value) {
    let r = c
        .http
        .get(c.url(&format!("/api/wait?sha={sha}&wait={secs}")))
        .bearer_auth(token)
        .header("x-rankwall-screen", "s1")
        .send()
        .await
        .unwrap();
    let status = r.status();
    (
        status,
        serde_json::from_slice(&r.bytes().await.unwrap()).unwrap_or_default(),
    )
}

async fn emergency(c: &Console, cookie: &str, csrf: &str) {
    emergency_at(c, cookie, csrf, "full").await;
}

/// Publishes 寒潮预警 to `towns` at `level` (`full`: 紧急, `banner`: 提示).
async fn emergency_at(c: &Console, cookie: &str, csrf: &str, level: &str) {
    let sent = c
        .post_form(
            "/emergency",
            cookie,
            &[
                ("csrf", csrf),
                ("title", "寒潮预警"),
                ("body", "今夜气温骤降"),
                ("level", level),
                ("open", "on"),
                ("group", "towns"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
}

/// 撤销 on the 紧急插播 page for `towns`.
async fn withdraw(c: &Console, cookie: &str, csrf: &str) {
    let withdrawn = c
        .post_form(
            "/emergency/withdraw",
            cookie,
            &[("csrf", csrf), ("group", "towns")],
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_screen_hears_of_a_publish_at_once() {
    let c = console(Duration::from_secs(3600)).await;
    let sha = Store::open(&c.database)
        .unwrap()
        .published("towns")
        .unwrap()
        .unwrap()
        .sha256;
    assert_eq!(
        wait(&c, &sha, 5, "wrong-token-0123456789").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        wait(&c, "an-older-one", 5, TOKEN).await.1["changed"],
        true,
        "another version: at once"
    );
    assert_eq!(
        wait(&c, &sha, 1, TOKEN).await.1["changed"],
        false,
        "nothing new: false at its end"
    );
    let (cookie, csrf) = c.session().await;
    let ((code, reply), ()) = tokio::join!(wait(&c, &sha, 15, TOKEN), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        emergency(&c, &cookie, &csrf).await;
    });
    assert_eq!(
        (code, reply["changed"].clone()),
        (StatusCode::OK, serde_json::json!(true)),
        "woken by the publish"
    );
}

/// The screen process, killed when the test ends, passed or failed.
pub(crate) struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The screen process and the port of its status server.
fn start_screen(c: &Console, dir: &std::path::Path) -> (Running, u16) {
    start_screen_reporting(c, dir, 60)
}

/// As [`start_screen`], reporting every `interval` seconds.
pub(crate) fn start_screen_reporting(c: &Console, dir: &std::path::Path, interval: u64) -> (Running, u16) {
    let screen_config = dir.join("screen.toml");
    std::fs::write(
        &screen_config,
        format!(
            "[screen]\nid = \"s1\"\n\n[report]\nurl = \"{}\"\ntoken = \"{TOKEN}\"\ninterval = {interval}\n",
            c.url("/api/report")
        ),
    )
    .unwrap();
    let log = dir.join("client.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rankwall"))
        .args([
            "run",
            "--headless",
            "--size",
            "1280x720",
            "--status-addr",
            "127.0.0.1:0",
            "--allow-http-config",
        ])
        .arg("--config")
        .arg(c.url("/c/screen/s1.toml"))
        .arg("--screen-config")
        .arg(&screen_config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("RUST_LOG", "rankwall=info")
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = common::screen::bound_port(&log, &mut child);
    (Running(child), port)
}

/// Far under the screen's config poll (60 s), far over the push's few
/// hundred milliseconds on a loaded two-core machine.
const BY_PUSH: Duration = Duration::from_secs(20);

async fn showing(c: &Console, port: u16) -> String {
    let asked = c
        .http
        .get(format!("http://127.0.0.1:{port}/status"))
        .timeout(Duration::from_secs(2))
        .send();
    match asked.await {
        // Without blanks: the status is pretty-printed.
        Ok(r) => r.text().await.unwrap_or_default().split_whitespace().collect(),
        Err(_) => String::new(),
    }
}

/// Waits until the screen plays its group's playlist (a minute at most: it
/// starts cold beside other tests).
pub(crate) async fn playing(c: &Console, port: u16, log: &std::path::Path) {
    let what = "the screen plays its group's playlist";
    until(
        c,
        port,
        what,
        Duration::from_secs(60),
        |s| s.contains("\"state\":\"page\""),
        log,
    )
    .await;
}

/// Polls the screen's `/status` until `ok` holds; fails after `within`.
async fn until(
    c: &Console,
    port: u16,
    what: &str,
    within: Duration,
    ok: impl Fn(&str) -> bool,
    log: &std::path::Path,
) {
    let deadline = Instant::now() + within;
    loop {
        let status = showing(c, port).await;
        if ok(&status) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {within:?}\n{status}\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_screen_shows_an_emergency_within_five_seconds_and_leaves_it() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let c = console(Duration::from_secs(3600)).await;
    let dir = common::temp_dir("push-screen");
    let (_screen, port) = start_screen(&c, &dir);
    let log = dir.join("client.log");
    playing(&c, port, &log).await;
    // Its config poll is a minute away: only the push can be this quick.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = screenshot(&c, port).await;
    let (cookie, csrf) = c.session().await;
    emergency(&c, &cookie, &csrf).await;
    until(
        &c,
        port,
        "the emergency on screen",
        BY_PUSH,
        |s| s.contains("message.2"),
        &log,
    )
    .await;
    assert_ne!(
        screenshot(&c, port).await,
        before,
        "the picture changed with the emergency"
    );
    withdraw(&c, &cookie, &csrf).await;
    until(
        &c,
        port,
        "the emergency gone",
        BY_PUSH,
        |s| !s.contains("message.2") && s.contains("\"state\":\"page\""),
        &log,
    )
    .await;
    // 提示: a banner over the page that plays, by the same push.
    let plain = screenshot(&c, port).await;
    emergency_at(&c, &cookie, &csrf, "banner").await;
    until(
        &c,
        port,
        "the banner over the page",
        BY_PUSH,
        |s| s.contains("\"banner\":\"message.2\"") && s.contains("\"state\":\"page\""),
        &log,
    )
    .await;
    assert_ne!(screenshot(&c, port).await, plain, "the picture has the banner");
    withdraw(&c, &cookie, &csrf).await;
    until(
        &c,
        port,
        "the banner gone",
        BY_PUSH,
        |s| !s.contains("\"banner\"") && s.contains("\"state\":\"page\""),
        &log,
    )
    .await;
}

async fn command(c: &Console, cookie: &str, csrf: &str, path: &str, word: &str) -> reqwest::Response {
    c.post_form(path, cookie, &[("csrf", csrf), ("command", word)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_action_is_sent_once_on_the_channel_and_audited() {
    let c = console(Duration::from_secs(3600)).await;
    let sha = Store::open(&c.database)
        .unwrap()
        .published("towns")
        .unwrap()
        .unwrap()
        .sha256;
    let (cookie, csrf) = c.session().await;
    let queued = command(&c, &cookie, &csrf, "/screens/s1/command", "reload").await;
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    let page = c.get("/?sent=reload&n=1", &cookie).await.text().await.unwrap();
    assert!(
        page.contains("待执行：重新加载配置"),
        "the 屏幕 page shows it queued"
    );
    assert!(
        page.contains("已向 1 块屏幕发出“重新加载配置”"),
        "and acknowledges it"
    );
    let (_, reply) = wait(&c, &sha, 5, TOKEN).await;
    assert_eq!(reply["command"], "reload", "a queued action: at once");
    let (_, reply) = wait(&c, &sha, 1, TOKEN).await;
    assert_eq!(reply, serde_json::json!({"changed": false}), "sent once");
    // A held wait is woken by the action, as by a publish.
    let ((_, reply), ()) = tokio::join!(wait(&c, &sha, 15, TOKEN), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let r = command(&c, &cookie, &csrf, "/groups/towns/command", "restart").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    });
    assert_eq!(reply["command"], "restart");
    let refused = command(&c, &cookie, &csrf, "/screens/s1/command", "format-disk").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("请选择"));
    let missing = command(&c, &cookie, &csrf, "/screens/nobody/command", "reload").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let audit = c.get("/audit", &cookie).await.text().await.unwrap();
    for line in [
        "对屏幕 s1：重新加载配置",
        "重新加载配置已送达屏幕 s1",
        "重启程序已送达屏幕 s1",
    ] {
        assert!(audit.contains(line), "audit trail lacks {line}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_screen_told_to_restart_leaves_with_status_75() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let c = console(Duration::from_secs(3600)).await;
    let dir = common::temp_dir("push-restart");
    let (mut screen, port) = start_screen(&c, &dir);
    let log = dir.join("client.log");
    playing(&c, port, &log).await;
    let (cookie, csrf) = c.session().await;
    let queued = command(&c, &cookie, &csrf, "/screens/s1/command", "restart").await;
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    let deadline = Instant::now() + BY_PUSH;
    let status = loop {
        if let Some(status) = screen.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the screen did not leave within {BY_PUSH:?}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        status.code(),
        Some(75),
        "{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

/// The frame the screen shows, as its status server gives it (one a
/// second: a 429 is asked again after its Retry-After).
async fn screenshot(c: &Console, port: u16) -> Vec<u8> {
    for _ in 0..10 {
        let r = c
            .http
            .get(format!("http://127.0.0.1:{port}/screenshot.png"))
            .send()
            .await
            .unwrap();
        match r.status() {
            StatusCode::OK => return r.bytes().await.unwrap().to_vec(),
            StatusCode::TOO_MANY_REQUESTS => tokio::time::sleep(Duration::from_millis(1100)).await,
            other => panic!("/screenshot.png answered {other}"),
        }
    }
    panic!("/screenshot.png answered 429 ten times");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_comes_back_after_a_restart_with_the_console_stopped() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let c = console(Duration::from_secs(3600)).await;
    let dir = common::temp_dir("push-offline-restart");
    let (screen, port) = start_screen(&c, &dir);
    let log = dir.join("client.log");
    let (cookie, csrf) = c.session().await;
    emergency(&c, &cookie, &csrf).await;
    let within = Duration::from_secs(60);
    until(
        &c,
        port,
        "the emergency on screen",
        within,
        |s| s.contains("message.2"),
        &log,
    )
    .await;
    drop(screen);
    c.stop().await;
    let (_screen, port) = start_screen(&c, &dir);
    until(
        &c,
        port,
        "the emergency again, from the last good config, with no console",
        within,
        |s| s.contains("message.2"),
        &log,
    )
    .await;
}
