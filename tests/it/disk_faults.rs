//! Disk faults under a running `rankwall run --headless`, on a small tmpfs
//! of the test's own: the disk full, the disk read-only, the cache folder
//! deleted. Each time the screen plays on, `/status` says what failed and the
//! log says it once per change of state, and when the disk comes back the
//! cache and the proof-of-play log are written again without a restart.
//!
//! Mounting needs root (CAP_SYS_ADMIN), as CI has: file permissions alone do
//! not stop root, a read-only mount and a full one do. Without it the test
//! fails and says so, unless RANKWALL_SKIP_MOUNT_TESTS=1 asks to skip.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::screen::{config, temp_dir, Screen};
use rankwall::demo::{Reply, TestServer};
use serde_json::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SKIP: &str = "RANKWALL_SKIP_MOUNT_TESTS";

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "rankwall-test",
            ])
            .arg(at)
            .output()
            .expect("mount (util-linux)");
        if out.status.success() {
            return Some(Tmpfs(at.to_path_buf()));
        }
        let why = String::from_utf8_lossy(&out.stderr);
        if std::env::var(SKIP).as_deref() == Ok("1") {
            eprintln!("SKIPPED: cannot mount a tmpfs ({why}) and {SKIP}=1 asked to skip");
            return None;
        }
        panic!("the disk-fault test mounts a tmpfs and needs root (CI runs as root): {why}; set {SKIP}=1 to skip it explicitly");
    }

    fn remount(&self, options: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success(), "remount {options} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system under `dir` until it refuses another byte.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    path
}

fn cache_of(s: &Value) -> &Value {
    &s["feed"]["cache"]
}

fn both_failing(s: &Value, error: &str) -> bool {
    cache_of(s)["ok"] == false
        && cache_of(s)["error"].as_str().is_some_and(|e| e.contains(error))
        && s["play_log"]["ok"] == false
        && s["play_log"]["error"].as_str().is_some_and(|e| e.contains(error))
}

fn both_ok(s: &Value) -> bool {
    cache_of(s)["ok"] == true && s["play_log"]["ok"] == true
}

fn frames(screen: &Screen) -> u64 {
    screen.status()["frames_presented"].as_u64().unwrap_or(0)
}

/// How often the log has said `text`.
fn said(screen: &Screen, text: &str) -> usize {
    screen.log_lines(text).len()
}

#[test]
fn a_full_a_read_only_and_a_deleted_cache_folder_are_reported_and_recovered() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let disk_dir = temp_dir();
    let Some(disk) = Tmpfs::mount(disk_dir.path(), "2m") else {
        return;
    };
    let cache = disk_dir.path().join("cache");

    // A feed that changes at every request while `changing` holds, so every
    // poll writes the cache; then the same bytes, so only a repair writes it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let changing = Arc::new(AtomicBool::new(true));
    let served = Arc::new(AtomicU64::new(0));
    let (c, n) = (changing.clone(), served.clone());
    // Fresh data, so that /healthz answers 200 whatever today's date.
    let fresh = common::fresh_example();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            let count = n.fetch_add(1, Ordering::SeqCst);
            let mut feed = fresh.clone();
            if c.load(Ordering::SeqCst) {
                feed["lists"][0]["entries"][0]["name"] = format!("测试{count}").into();
            }
            Reply::json(serde_json::to_vec(&feed).unwrap())
        }))
        .unwrap();
    let text = config(&format!(
        "[feed]\nurl = \"{}\"\npoll_interval = 1\nbackoff_max = 1\n\n\
         [[playlist]]\nselect = {{ list = \"red\" }}\nduration = 1\ntransition = {{ kind = \"cut\" }}\n\n\
         [[playlist]]\nselect = {{ list = \"black\" }}\nduration = 1\ntransition = {{ kind = \"cut\" }}\n",
        server.url("/feed.json")
    ));
    let cache_arg = cache.to_str().unwrap().to_string();
    let mut screen = Screen::start(&text, "320x180", &["--cache-dir", &cache_arg], &[]);
    let within = Duration::from_secs(30);
    screen.wait_status("cache and play log written", within, |s| {
        both_ok(s) && s["feed"]["last_outcome"]["kind"] == "updated"
    });
    assert!(
        cache.join("played.jsonl").exists(),
        "the play log is on the test's disk"
    );

    // Full: both fail, the screen plays on, each is said once.
    let filler = fill(disk_dir.path());
    let failing = screen.wait_status("both failing on a full disk", within, |s| {
        both_failing(s, "No space left")
    });
    let (frames_then, polls_then) = (frames(&screen), served.load(Ordering::SeqCst));
    screen.wait_status("more polls and frames while full", within, |s| {
        served.load(Ordering::SeqCst) >= polls_then + 3
            && s["frames_presented"].as_u64().unwrap_or(0) >= frames_then + 3
    });
    assert!(cache_of(&failing)["failing_since"].is_string(), "{failing:#}");
    assert_eq!(
        said(&screen, "cannot write the feed cache"),
        1,
        "said once:\n{}",
        screen.log()
    );
    assert_eq!(
        said(&screen, "cannot write the proof-of-play log"),
        1,
        "said once:\n{}",
        screen.log()
    );
    assert!(
        screen.get("/healthz").is_some_and(|r| r.0 == 200),
        "the data is fresh: healthy"
    );

    // Space again: both are written again by themselves.
    std::fs::remove_file(&filler).unwrap();
    let back = screen.wait_status("both written again after the disk freed", within, both_ok);
    assert!(cache_of(&back)["error"].is_null() && back["play_log"]["error"].is_null());
    screen.wait_log("the feed cache is written again", within);
    screen.wait_log("the proof-of-play log is written again", within);

    // Read-only: the same, with the file system's own words.
    disk.remount("ro");
    screen.wait_status("both failing on a read-only disk", within, |s| {
        both_failing(s, "Read-only file system")
    });
    assert_eq!(
        said(&screen, "cannot write the feed cache"),
        2,
        "{}",
        screen.log()
    );
    disk.remount("rw");
    screen.wait_status("both written again after the disk is writable", within, both_ok);
    assert_eq!(
        said(&screen, "the feed cache is written again"),
        2,
        "{}",
        screen.log()
    );

    // The folder deleted while the data no longer changes: the cache file
    // is written again from memory, and the play log goes on.
    changing.store(false, Ordering::SeqCst);
    screen.wait_status("the same document twice", within, |s| {
        s["feed"]["last_outcome"]["kind"] == "unchanged"
    });
    std::fs::remove_dir_all(&cache).unwrap();
    screen.wait_log("the feed cache file has disappeared; writing it again", within);
    let deadline = std::time::Instant::now() + within;
    while !(cache.join("played.jsonl").exists() && std::fs::read_dir(&cache).unwrap().count() >= 2) {
        assert!(
            std::time::Instant::now() < deadline,
            "the cache folder was not written again"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    screen.wait_status("healthy after the deletion", within, both_ok);
    screen.assert_running();
    assert_eq!(screen.status()["showing"]["state"], "page", "the screen plays on");
}
