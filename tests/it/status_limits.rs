//! The status server under abuse, against a running `rankwall run --headless`
//! limited to 1024 file descriptors: 2,000 connections that never finish a
//! request must not keep `/healthz` from answering, nor the screen from
//! presenting frames, nor take the descriptors the rest of the client needs;
//! a 1 MiB header and a request trickling in a byte per second are cut off,
//! and the server answers afterwards.
//!
//! Every wait has a deadline and fails with what it saw.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SIZE: &str = "640x360";

/// The descriptor limit the server runs under, as on a screen's default.
const SERVER_FD_LIMIT: u64 = 1024;

/// Idle connections opened against it: twice its descriptor limit.
const FLOOD: usize = 2000;

/// Descriptors a flood must leave to the rest of the client.
const FD_HEADROOM: usize = 256;

/// How long `/healthz` may take, flood or not.
const HEALTHZ_LIMIT: Duration = Duration::from_secs(2);

/// The headless client; killed when dropped. Keeps its folder for the log.
struct Client {
    child: Child,
    dir: PathBuf,
}

impl Client {
    /// The last lines of the client's log, for failure messages.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("client.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

/// A connection to the server from `127.0.0.<host>` (blocking).
fn connect_from(runtime: &tokio::runtime::Runtime, host: u8, port: u16) -> std::io::Result<TcpStream> {
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from(([127, 0, 0, host], 0)))?;
        let stream = tokio::time::timeout(Duration::from_secs(5), socket.connect(addr(port)))
            .await
            .map_err(|_| std::io::Error::new(ErrorKind::TimedOut, "connect timed out"))??;
        let stream = stream.into_std()?;
        stream.set_nonblocking(false)?;
        Ok(stream)
    })
}

/// How many descriptors process `pid` has open now.
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A config with the embedded demo feed (no network) and one-second pages,
/// so that frames keep being presented.
fn config(dir: &Path) -> PathBuf {
    let text = format!(
        r#"
[status]
addr = "127.0.0.1:0"
play_log = "{}"

[[playlist]]
select = {{ list = "red" }}
duration = 1
transition = {{ kind = "cut" }}

[[playlist]]
select = {{ list = "black" }}
duration = 1
transition = {{ kind = "cut" }}
"#,
        dir.join("played.jsonl").display()
    );
    let path = dir.join("rankwall.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts the client with at most [`SERVER_FD_LIMIT`] descriptors.
/// Returns it with the port its status server bound.
fn start_limited(dir: &Path) -> (Client, u16) {
    let config = config(dir);
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(r#"ulimit -n {SERVER_FD_LIMIT} && exec "$0" "$@""#))
        .arg(env!("CARGO_BIN_EXE_rankwall"))
        .args(["run", "--headless", "--size", SIZE, "--config"])
        .arg(&config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .env("RUST_LOG", "rankwall=info")
        .env("NO_COLOR", "1")
        .stderr(std::fs::File::create(dir.join("client.log")).unwrap())
        .spawn()
        .unwrap();
    let port = common::screen::bound_port(&dir.join("client.log"), &mut child);
    let client = Client {
        child,
        dir: dir.to_path_buf(),
    };
    (client, port)
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// One GET on a fresh connection (`Connection: close`), all of it within
/// `limit`: the status code and body, or what went wrong and when.
fn get(port: u16, path: &str, limit: Duration) -> Result<(u16, String), String> {
    let start = Instant::now();
    let deadline = start + limit;
    let fail = |what: String| format!("{what} after {:?}", start.elapsed());
    let mut s = TcpStream::connect_timeout(&addr(port), limit).map_err(|e| fail(format!("connect: {e}")))?;
    s.set_write_timeout(Some(limit))
        .map_err(|e| fail(e.to_string()))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes())
        .map_err(|e| fail(format!("write: {e}")))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(fail(format!(
                "no complete answer; had {:?}",
                String::from_utf8_lossy(&buf)
            )));
        }
        s.set_read_timeout(Some(left)).map_err(|e| fail(e.to_string()))?;
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {}
            Err(e) => {
                return Err(fail(format!(
                    "read: {e}; had {:?}",
                    String::from_utf8_lossy(&buf)
                )))
            }
        }
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| fail(format!("no header end in {text:?}")))?;
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| fail(format!("no status in {head:?}")))?;
    Ok((code, body.to_string()))
}

/// Asserts that `/healthz` answers 200 within [`HEALTHZ_LIMIT`]; returns how long it took.
fn healthz_in_time(client: &Client, port: u16, when: &str) -> Duration {
    let start = Instant::now();
    let answer = get(port, "/healthz", HEALTHZ_LIMIT);
    let took = start.elapsed();
    assert!(
        matches!(&answer, Ok((200, _))) && took <= HEALTHZ_LIMIT,
        "{when}: /healthz gave {answer:?} in {took:?} (limit {HEALTHZ_LIMIT:?}); client log:\n{}",
        client.log_tail()
    );
    took
}

/// Waits (at most 60 s: lavapipe starts slowly) for `/healthz` to answer 200.
fn wait_until_up(client: &Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = Err("never asked".to_string());
    while Instant::now() < deadline {
        last = get(port, "/healthz", Duration::from_secs(2));
        if matches!(last, Ok((200, _))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!(
        "the client never answered /healthz with 200; last: {last:?}; log:\n{}",
        client.log_tail()
    );
}

/// Asserts that the client really runs under the descriptor limit.
fn assert_fd_limit(client: &Client) {
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", client.child.id())).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap_or("");
    let soft: Option<u64> = line.split_whitespace().nth(3).and_then(|v| v.parse().ok());
    assert_eq!(soft, Some(SERVER_FD_LIMIT), "{line}");
}

/// `frames_presented` from `/status`.
fn frames_presented(client: &Client, port: u16) -> u64 {
    let (code, body) = get(port, "/status", Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("/status: {e}; log:\n{}", client.log_tail()));
    assert_eq!(code, 200, "{body}");
    let status: serde_json::Value = serde_json::from_str(&body).unwrap();
    status["frames_presented"]
        .as_u64()
        .unwrap_or_else(|| panic!("no frames_presented in {status}"))
}

/// Waits (at most 10 s) until the screen has presented more than `than` frames.
fn assert_frames_grow(client: &Client, port: u16, than: u64, when: &str) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = frames_presented(client, port);
        if now > than {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "{when}: frames_presented stayed at {now} (was {than}) for 10 s; log:\n{}",
            client.log_tail()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn healthz_answers_while_two_thousand_idle_connections_are_open() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    // The flood needs more descriptors than the server has, in this process.
    let ours = rlimit::increase_nofile_limit(4096).unwrap();
    assert!(
        ours >= FLOOD as u64 + 100,
        "cannot raise our own fd limit: {ours}"
    );
    let dir = common::temp_dir("limits-flood");
    let (client, port) = start_limited(&dir);
    wait_until_up(&client, port);
    assert_fd_limit(&client);
    let quiet = healthz_in_time(&client, port, "before the flood");
    let frames_before = frames_presented(&client, port);
    let fds_before = open_fds(client.child.id());

    // The server's descriptors, sampled while the flood lasts.
    let sampling = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicUsize::new(0));
    let sampler = {
        let (sampling, peak, pid) = (sampling.clone(), peak.clone(), client.child.id());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                peak.fetch_max(open_fds(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };

    // Connections that never finish a request: half send nothing, half stop
    // before the blank line that ends the head. `/healthz` is asked every
    // 500 of them, while they come in: the server would be out of
    // descriptors from about 900 on.
    let opening = Instant::now();
    let mut flood = Vec::with_capacity(FLOOD);
    let mut refused = Vec::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut during = Vec::new();
    for i in 1..=FLOOD {
        // From 40 addresses, 50 each: under the per-address cap (64), so
        // what holds the flood is the server's total cap.
        match connect_from(&runtime, 10 + (i % 40) as u8, port) {
            Ok(mut s) => {
                if i % 2 == 0 {
                    // A write may fail when the server has already let go of
                    // the connection; that is its business.
                    let _ = s.write_all(b"GET /healthz HTTP/1.1\r\n");
                }
                flood.push(s);
            }
            Err(e) => refused.push(format!("#{i}: {e}")),
        }
        if i % 500 == 0 {
            let when = format!(
                "with {} idle connections opened in {:?} ({} refused, first: {:?})",
                flood.len(),
                opening.elapsed(),
                refused.len(),
                refused.first()
            );
            during.push(healthz_in_time(&client, port, &when));
        }
    }
    let opened = opening.elapsed();
    assert!(refused.is_empty(), "connections refused: {refused:?}");
    let frames_during = assert_frames_grow(&client, port, frames_before, "during the flood");
    // Still all open on our side, and the server still answers.
    assert_eq!(flood.len(), FLOOD);
    during.push(healthz_in_time(&client, port, "later in the flood"));
    let frames_later = assert_frames_grow(&client, port, frames_during, "later in the flood");
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    let peak = peak.load(Ordering::Relaxed);

    drop(flood);
    let after = healthz_in_time(&client, port, "after the flood");
    eprintln!(
        "opened {FLOOD} idle connections in {opened:?}; the server went from {fds_before} \
         to at most {peak} fds (limit {SERVER_FD_LIMIT}); /healthz took {quiet:?} before, {during:?} during, \
         {after:?} after; frames {frames_before} -> {frames_during} -> {frames_later} \
         during the flood"
    );
    assert!(
        peak <= SERVER_FD_LIMIT as usize - FD_HEADROOM,
        "the flood took the server to {peak} of its {SERVER_FD_LIMIT} descriptors, leaving \
         fewer than {FD_HEADROOM} to the rest of the client (feed, play log, config reloads)"
    );
}

/// Reads until the server closes the connection or `limit` passes: what it
/// sent, and whether (and when) it closed.
fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, Option<Duration>) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    while start.elapsed() < limit {
        let left = limit
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(1));
        if s.set_read_timeout(Some(left)).is_err() {
            return (got, Some(start.elapsed()));
        }
        match s.read(&mut chunk) {
            Ok(0) => return (got, Some(start.elapsed())),
            Ok(n) => got.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {}
            // Reset: closed, possibly before we read its answer.
            Err(_) => return (got, Some(start.elapsed())),
        }
    }
    (got, None)
}

#[test]
fn an_oversized_header_and_a_trickling_request_are_cut_off() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("limits-slow");
    let (client, port) = start_limited(&dir);
    wait_until_up(&client, port);

    // A 1 MiB header: refused (431) or the connection closed, never served.
    let mut s = TcpStream::connect_timeout(&addr(port), Duration::from_secs(5)).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".to_vec();
    request.resize(request.len() + 1024 * 1024, b'a');
    request.extend_from_slice(b"\r\n\r\n");
    // The server stops reading early, so the write may fail (reset, broken
    // pipe) or time out against a full window: all mean "not taken".
    let written = s.write_all(&request);
    let (got, closed) = read_until_closed(&mut s, Duration::from_secs(5));
    let answer = String::from_utf8_lossy(&got);
    let status = answer.split(' ').nth(1).unwrap_or("");
    assert!(
        closed.is_some(),
        "the 1 MiB header kept the connection open 5 s (write: {written:?}, got {answer:?})"
    );
    assert!(
        status.is_empty() || status.starts_with('4'),
        "the 1 MiB header was answered with {answer:?}"
    );
    eprintln!(
        "1 MiB header: write {written:?}, answer {:?}, closed after {closed:?}",
        answer.lines().next()
    );

    // A request trickling one byte per second: closed within 10 s.
    let mut s = TcpStream::connect_timeout(&addr(port), Duration::from_secs(5)).unwrap();
    let start = Instant::now();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let trickle = b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut sent = 0;
    let mut got = Vec::new();
    let closed = loop {
        if start.elapsed() > Duration::from_secs(10) {
            break None;
        }
        // The pause between bytes doubles as the wait for the server to close.
        let (more, closed) = read_until_closed(&mut s, Duration::from_secs(1));
        got.extend_from_slice(&more);
        if closed.is_some() {
            break Some(start.elapsed());
        }
        if s.write_all(&trickle[sent % trickle.len()..][..1]).is_err() {
            break Some(start.elapsed());
        }
        sent += 1;
    };
    let answer = String::from_utf8_lossy(&got);
    assert!(
        closed.is_some(),
        "a request trickling a byte per second was still open after {:?} and {sent} bytes \
         (got {answer:?})",
        start.elapsed()
    );
    assert!(
        !answer.contains(" 200 "),
        "the trickling request was served: {answer:?}"
    );
    eprintln!(
        "trickle: closed after {closed:?} and {sent} bytes, answer {:?}",
        answer.lines().next()
    );

    let took = healthz_in_time(&client, port, "after the oversized and trickling requests");
    eprintln!("/healthz afterwards took {took:?}");
}
