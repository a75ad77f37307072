//! The real binary: `rankwall check` refuses what the contract refuses, each
//! with its own reason; `rankwall render` writes every page.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rankwall"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn check(path: &Path) -> (i32, String) {
    let out = bin().args(["check", "--feed"]).arg(path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn mutated(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v = common::example();
    change(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn check_accepts_the_example() {
    let dir = common::temp_dir("accept");
    let path = write(&dir, "feed.json", rankwall::feed::DEMO_FEED.as_bytes());
    let (code, out) = check(&path);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("accepted") && out.contains("3 boards, 2 lists, 1 notices"),
        "{out}"
    );
    assert!(
        out.contains("dropped: 0")
            && out.contains("cleaned: 0")
            && out.contains("characters no font covers: 0"),
        "{out}"
    );
}

#[test]
fn check_refuses_each_contract_case_with_a_distinct_reason() {
    let dir = common::temp_dir("refuse");
    let mut big = rankwall::feed::DEMO_FEED.as_bytes().to_vec();
    big.resize(rankwall::feed::MAX_BODY_BYTES + 10, b' ');
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not_utf8", vec![0xC1, 0xD9, 0xBD, 0xAD]),
        ("too_large", big),
        ("empty", Vec::new()),
        ("html_page", b"<html>502</html>".to_vec()),
        ("not_json", b"{\"schema_version\": 1,".to_vec()),
        ("not_object", b"[]".to_vec()),
        (
            "schema_version_missing",
            mutated(|v| {
                v.as_object_mut().unwrap().remove("schema_version");
            }),
        ),
        (
            "schema_version_unsupported",
            mutated(|v| v["schema_version"] = json!(2)),
        ),
        (
            "generated_at_missing",
            mutated(|v| {
                v.as_object_mut().unwrap().remove("generated_at");
            }),
        ),
        (
            "generated_at_malformed",
            mutated(|v| v["generated_at"] = json!("2026-11-28 10:00")),
        ),
        (
            "period_missing",
            mutated(|v| {
                v.as_object_mut().unwrap().remove("period");
            }),
        ),
        (
            "period_malformed",
            mutated(|v| v["period"]["kind"] = json!("week")),
        ),
    ];
    let mut reasons = std::collections::HashSet::new();
    for (code, body) in cases {
        let path = write(&dir, &format!("{code}.json"), &body);
        let (status, out) = check(&path);
        assert_eq!(status, 1, "{code}: {out}");
        assert!(out.starts_with("REFUSED"), "{code}: {out}");
        assert!(out.contains(&format!("[{code}]")), "{code}: {out}");
        assert!(
            reasons.insert(
                out.lines()
                    .next()
                    .unwrap()
                    .split(": ")
                    .nth(1)
                    .unwrap()
                    .to_string()
            ),
            "{code} reason not distinct"
        );
    }
}

#[test]
fn check_lists_dropped_cleaned_and_uncovered() {
    let dir = common::temp_dir("findings");
    let body = mutated(|v| {
        v["boards"][0]["entries"][0]["rank"] = json!(0);
        v["lists"][0]["entries"][0]["name"] = json!("王\u{0007}\u{20000}华");
    });
    let (code, out) = check(&write(&dir, "feed.json", &body));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("dropped: 1") && out.contains("$.boards[0].entries[0]: `rank` must be an integer ≥ 1"),
        "{out}"
    );
    assert!(
        out.contains("cleaned: 1")
            && out.contains("$.lists[0].entries[0].name: 1 control character(s) removed"),
        "{out}"
    );
    assert!(
        out.contains("characters no font covers: 1") && out.contains("U+20000"),
        "{out}"
    );
}

#[test]
fn check_config_prints_the_cycle_what_the_feed_dropped_and_uncovered_characters() {
    let dir = common::temp_dir("check-config");
    let body = mutated(|v| {
        v["boards"][0]["entries"][0]["rank"] = json!(0);
        v["lists"][0]["entries"][0]["name"] = json!("王\u{20000}华");
    });
    let feed = write(&dir, "feed.json", &body);
    let config = write(
        &dir,
        "rankwall.toml",
        concat!(
            "[screen]\nsize = \"1920x1080\"\n",
            "[[playlist]]\nselect = { list = \"red\" }\nduration = 8\nrows = 4\n",
            "[[playlist]]\nselect = { notices = true }\nduration = 15\n",
            "windows = [{ days = [\"mon\", \"fri\"], from = \"08:00\", until = \"18:00\" }]\n",
        )
        .as_bytes(),
    );
    let out = bin()
        .args(["check", "--config"])
        .arg(&config)
        .arg("--feed")
        .arg(&feed)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // 48 red entries, 4 rows per table, two tables: 6 pages (3 when as many as fit).
    assert!(
        text.contains("1. list red-2026-11: 6 page(s) × 8s = 48s, always"),
        "{text}"
    );
    assert!(
        text.contains("2. notice winter-2026: 1 page(s) × 15s = 15s, windows: mon,fri 08:00–18:00"),
        "{text}"
    );
    assert!(text.contains("cycle: 63s"), "{text}");
    assert!(
        text.contains("dropped: 1") && text.contains("$.boards[0].entries[0]"),
        "{text}"
    );
    assert!(
        text.contains("characters no font covers: 1") && text.contains("U+20000"),
        "{text}"
    );
}

/// Issue 11 acceptance: a red list naming 陈𠮷祥 and 王𡈼 has no uncovered
/// character, and `render` draws the names (as the bundled fonts cover them).
#[test]
fn rare_name_characters_are_covered() {
    let dir = common::temp_dir("rare-names");
    let body = mutated(|v| {
        v["lists"][0]["entries"][0]["name"] = json!("陈𠮷祥");
        v["lists"][0]["entries"][1]["name"] = json!("王𡈼");
    });
    let feed = write(&dir, "feed.json", &body);
    let out = bin().args(["check", "--feed"]).arg(&feed).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("characters no font covers: 0"), "{text}");
}

/// Issue 22: one catalogue, two renderings: under a Chinese locale the
/// CLI's check results and config diagnostics are Chinese.
#[test]
fn under_a_chinese_locale_check_speaks_chinese() {
    let dir = common::temp_dir("check-zh");
    let body = mutated(|v| {
        v["boards"][0]["entries"][0]["rank"] = json!(0);
        v["lists"][0]["entries"][0]["name"] = json!("王\u{0007}\u{20000}华");
    });
    let feed = write(&dir, "feed.json", &body);
    let zh = |args: &[&std::ffi::OsStr]| {
        let out = bin()
            .args(args)
            .env("LANG", "zh_CN.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = zh(&["check".as_ref(), "--feed".as_ref(), feed.as_os_str()]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("已接受 ") && text.contains("个榜单"), "{text}");
    assert!(
        text.contains("丢弃：1") && text.contains("应为不小于 1 的整数"),
        "{text}"
    );
    assert!(text.contains("清理：1") && text.contains("字库缺字：1"), "{text}");
    assert!(text.contains("U+20000") && text.contains("出现 1 次"), "{text}");
    assert!(!text.contains("accepted") && !text.contains("dropped"), "{text}");
    let config = write(
        &dir,
        "bad.toml",
        b"[[playlist]]\nselect = { level = \"township\" }\nduration = -3\n",
    );
    let (code, text) = zh(&["check".as_ref(), "--config".as_ref(), config.as_os_str()]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(":3:12: 错误") && text.contains("1 处错误"),
        "{text}"
    );
}

#[test]
fn check_reports_a_missing_file_with_its_path() {
    let out = bin()
        .args(["check", "--feed", "/nonexistent/feed.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/feed.json") && err.contains("check the path"),
        "{err}"
    );
}

#[test]
fn render_writes_every_page_of_every_slide() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/feed-linjiang-2026-11.json"
    );
    let mut fonts = rankwall::text::Fonts::bundled();
    let (parsed, _) = rankwall::feed::demo().unwrap();
    for size in ["1280x256", "1920x1080", "1080x1920"] {
        let dir = common::temp_dir(&format!("render-{size}"));
        let out = bin()
            .args([
                "render",
                "--feed",
                feed,
                "--size",
                size,
                "--at",
                "2026-11-28T10:00:05+08:00",
                "--out",
            ])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let profile = rankwall::layout::ScreenProfile::parse(size).unwrap();
        let mut pages = rankwall::layout::paginate(&mut fonts, &parsed, &profile, common::golden_instant());
        // Then one slide of each 比学赶超 view, of the first board with its data.
        for view in common::GOLDEN_VIEWS {
            let first = (0..parsed.boards.len())
                .map(|i| rankwall::layout::paginate_view(&parsed, &profile, i, view))
                .find(|p| !p.is_empty())
                .unwrap();
            pages.extend(first);
        }
        let expected: Vec<String> = pages
            .iter()
            .enumerate()
            .map(|(n, p)| format!("{:03}-{}.png", n + 1, p.file_stem()))
            .collect();
        assert_eq!(files, expected, "{size}");
        let first = image::open(dir.join(&files[0])).unwrap();
        assert_eq!(format!("{}x{}", first.width(), first.height()), size);
    }
}

#[test]
fn render_refuses_a_bad_size_clearly() {
    let out = bin()
        .args(["render", "--size", "big", "--out", "/tmp/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WIDTHxHEIGHT"));
}

/// Serves `body` once to the first request on a loopback port.
fn serve_once(body: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}/feed.json")
}

#[test]
fn check_reads_a_feed_over_http() {
    let url = serve_once(rankwall::feed::DEMO_FEED.as_bytes().to_vec());
    let out = bin().args(["check", "--feed", &url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(&format!("accepted {url}")), "{text}");
    let url = serve_once(b"{\"schema_version\": 2}".to_vec());
    let out = bin().args(["check", "--feed", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[schema_version_unsupported]"));
}

#[test]
fn an_extra_font_file_that_is_missing_is_named() {
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/feed-linjiang-2026-11.json"
    );
    let out = bin()
        .args(["check", "--feed", feed, "--font", "/nonexistent/extra.ttf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/extra.ttf"));
}

#[test]
fn render_from_the_demo_server_then_from_the_cache_when_it_is_gone() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let cache = common::temp_dir("demo-cache");
    // Port 0: the server binds a free port itself and prints its URL.
    let mut server = bin()
        .args(["demo-server", "--addr", "127.0.0.1:0", "--change-every", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    // Kept open until the end: the server must not write into a closed pipe.
    let mut printed = std::io::BufReader::new(server.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut printed, &mut line).unwrap();
    let url = line
        .split_whitespace()
        .last()
        .filter(|u| u.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("the demo server did not print its URL: {line:?}"))
        .to_string();
    let render = |out: &Path| {
        bin()
            .args(["render", "--feed", &url, "--size", "1280x256", "--cache-dir"])
            .arg(&cache)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let first_dir = common::temp_dir("demo-first");
    let first = render(&first_dir);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let second_dir = common::temp_dir("demo-second");
    let second = render(&second_dir);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains("using the last good feed from the cache"),
        "{stderr}"
    );
    let a = std::fs::read(first_dir.join("001-board-towns-2026-11-p1of7.png")).unwrap();
    let b = std::fs::read(second_dir.join("001-board-towns-2026-11-p1of7.png")).unwrap();
    assert_eq!(a, b, "the cached data renders the same page");
    let empty_cache = common::temp_dir("demo-empty-cache");
    let out = bin()
        .args(["render", "--feed", &url, "--cache-dir"])
        .arg(&empty_cache)
        .args(["--out", "/tmp/never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no cached copy") && err.contains("cannot connect"),
        "{err}"
    );
}

#[test]
fn render_with_config_is_deterministic_and_shows_transitions() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    // The example's tables, without its 比学赶超 items: the instants below
    // are where its cycle of tables turns a page.
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/rankwall.toml")).unwrap();
    let tables: Vec<&str> = example
        .split("[[playlist]]")
        .filter(|item| {
            !item
                .lines()
                .any(|l| l.starts_with("select") && l.contains("view ="))
        })
        .collect();
    assert_eq!(tables.len(), 7, "the settings and six items of tables");
    let dir = common::temp_dir("cfg");
    let config = dir.join("tables.toml");
    std::fs::write(&config, tables.join("[[playlist]]")).unwrap();
    let config = config.to_str().unwrap();
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/feed-linjiang-2026-11.json"
    );
    let frame = |at: &str, dir: &Path| -> image::RgbaImage {
        let out = bin()
            .args(["render", "--config", config, "--feed", feed, "--at", at, "--out"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let path = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .to_string();
        image::open(path).unwrap().to_rgba8()
    };
    let (a, b) = (common::temp_dir("cfg-a"), common::temp_dir("cfg-b"));
    // Saturday 10:00:00 starts page 7 of the village board (cycle of 164 s from midnight).
    let first = frame("2026-11-28T10:00:05+08:00", &a);
    let second = frame("2026-11-28T10:00:05+08:00", &b);
    assert!(first == second, "same config and instant give identical PNGs");
    let before = frame("2026-11-28T09:59:59.900+08:00", &a);
    let middle = frame("2026-11-28T10:00:00.300+08:00", &a);
    assert!(
        middle != first && middle != before,
        "mid-fade differs from both pages"
    );
    let p = middle.get_pixel(1500, 300);
    let (x, y) = (before.get_pixel(1500, 300), first.get_pixel(1500, 300));
    for c in 0..3 {
        let (lo, hi) = (x[c].min(y[c]), x[c].max(y[c]));
        assert!(p[c] >= lo && p[c] <= hi, "a fade lies between the two frames");
    }
    let night = frame("2026-11-28T23:30:00+08:00", &a);
    assert!(
        night.pixels().all(|p| p.0 == [0, 0, 0, 255]),
        "outside display hours the frame is black"
    );
    let all_dir = common::temp_dir("cfg-all");
    let out = bin()
        .args([
            "render",
            "--config",
            config,
            "--feed",
            feed,
            "--at",
            "2026-11-28T10:00:05+08:00",
            "--all",
            "--out",
        ])
        .arg(&all_dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_dir(&all_dir).unwrap().count(),
        16,
        "1 + 1 + 9 + 3 + 2 pages"
    );
}

/// `run --status-addr` (HOST:PORT and `off`) parses and reaches the screen:
/// it once panicked in the argument parser for any value.
#[test]
fn run_takes_a_status_address_or_off() {
    let dir = common::temp_dir("status-addr");
    for value in ["off", "127.0.0.1:1"] {
        // An unknown config file stops `run` right after the arguments are
        // parsed: status 2 with the file named, not a panic (101).
        let out = bin()
            .args([
                "run",
                "--headless",
                "--size",
                "1280x256",
                "--status-addr",
                value,
                "--config",
            ])
            .arg(dir.join("missing.toml"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--status-addr {value}: {err}");
        assert!(err.contains("missing.toml"), "--status-addr {value}: {err}");
    }
    let out = bin().args(["run", "--status-addr", "nine"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not HOST:PORT or `off`"), "{err}");
}

/// A font a config or the command line names must be a regular file of at
/// most 32 MiB: `/dev/zero` once grew the process to 2 GB and out of memory.
#[test]
fn a_device_named_as_a_font_is_refused_at_once() {
    let out = bin()
        .args(["check", "--feed", "/dev/null", "--font", "/dev/zero"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("not a regular file"),
        "{err}"
    );
}

/// Issue 28, finding 5: `[report] url = "http://…"` sent the screen's token in
/// clear with no warning. Like a plain-http config URL it now needs
/// `--allow-http-config`; without it the screen refuses to start and says why.
#[test]
fn a_plain_http_report_url_needs_consent() {
    let dir = common::temp_dir("report-http");
    let config = write(
        &dir,
        "screen.toml",
        b"[screen]\nid = \"t1\"\nsize = \"640x360\"\n\n[status]\naddr = \"off\"\n\n\
          [report]\nurl = \"http://user:pw@127.0.0.1:9/api/report\"\ntoken = \"screen-token-0123456789abcdef\"\n",
    );
    let log = dir.join("stderr.log");
    let mut child = bin()
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("XDG_RUNTIME_DIR", &dir)
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    // A screen that starts anyway would play for ever: it gets 20 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let status =
        status.unwrap_or_else(|| panic!("the screen started with a plain-http report URL:\n{stderr}"));
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refused [report] url") && stderr.contains("--allow-http-config"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("pw@"),
        "the URL's credentials are shown: {stderr}"
    );
}

/// Issue 28 (test audit): `check` never prints the credentials of the URL
/// it fetched, whether the server answers or is gone.
#[test]
fn check_hides_the_credentials_of_a_feed_url() {
    use rankwall::demo::{Reply, TestServer};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body = serde_json::to_vec(&common::fresh_example()).unwrap();
    let server = runtime
        .block_on(TestServer::start("127.0.0.1:0", move |_| {
            Reply::json(body.clone())
        }))
        .unwrap();
    let url = server
        .url("/feed.json?access_token=TOKSECRET&month=11")
        .replace("http://", "http://feeduser:FEEDPASS@");
    let check = |url: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_rankwall"))
            .args(["check", "--feed", url])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (answered, text) = check(&url);
    assert!(answered, "{text}");
    server.stop();
    let (failed, gone) = check(&url);
    assert!(!failed, "{gone}");
    for (when, text) in [("answered", &text), ("gone", &gone)] {
        assert!(
            text.contains("access_token=***"),
            "{when}: the URL is not shown at all:\n{text}"
        );
        for secret in ["TOKSECRET", "FEEDPASS", "feeduser"] {
            assert!(!text.contains(secret), "{when}: {secret} in:\n{text}");
        }
    }
}
