//! The systemd protocol as the binary speaks it, received on a test socket
//! (`NOTIFY_SOCKET`): `READY=1` once, before any `WATCHDOG=1`, after the
//! first frame; `WATCHDOG=1` at half of `WATCHDOG_USEC` while frames are
//! presented; no ping at all once the screen thread is frozen (the test hook
//! `RANKWALL_TEST_HOOKS=freeze-on-sigusr2`, as a hung GPU driver would).
//! Under a real systemd the same unit is exercised by
//! `assets/debian/systemd-vm.sh` (docs/deploy.md).
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::net::UnixDatagram;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

struct Client(Child);

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless demo screen whose systemd messages go to a socket bound at
/// `dir/notify.sock`, with `env` added; the socket, the screen, its log and
/// its status port.
fn headless(dir: &std::path::Path, env: &[(&str, &str)]) -> (UnixDatagram, Client, std::path::PathBuf, u16) {
    let path = dir.join("notify.sock");
    let socket = UnixDatagram::bind(&path).unwrap();
    let log = dir.join("client.log");
    let mut command = Command::new(env!("CARGO_BIN_EXE_rankwall"));
    command
        .args([
            "run",
            "--headless",
            "--size",
            "640x360",
            "--status-addr",
            "127.0.0.1:0",
            "--cache-dir",
        ])
        .arg(dir.join("cache"))
        .env("NOTIFY_SOCKET", &path)
        .env_remove("WATCHDOG_PID")
        .env("RUST_LOG", "rankwall=info")
        .stderr(std::fs::File::create(&log).unwrap());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let port = crate::common::screen::bound_port(&log, &mut child);
    (socket, Client(child), log, port)
}

/// Every message that arrives on `socket` within `window`.
fn messages_within(socket: &UnixDatagram, window: Duration) -> Vec<String> {
    let end = Instant::now() + window;
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        socket
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match socket.recv(&mut buf) {
            Ok(n) => out.push(String::from_utf8_lossy(&buf[..n]).trim().to_string()),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break
            }
            Err(e) => panic!("notify socket: {e}"),
        }
    }
    out
}

#[test]
fn ready_after_the_first_frame_then_pings_only_while_frames_are_presented() {
    let dir = tempfile::tempdir().unwrap();
    let (socket, client, log, port) = headless(
        dir.path(),
        &[
            ("WATCHDOG_USEC", "1000000"),
            ("RANKWALL_TEST_HOOKS", "freeze-on-sigusr2"),
        ],
    );
    let shown = || std::fs::read_to_string(&log).unwrap_or_default();
    // The first message, within a minute (lavapipe's first frame is slow on 2 cores).
    socket.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut buf = [0u8; 1024];
    let n = socket
        .recv(&mut buf)
        .unwrap_or_else(|e| panic!("no message within 60 s ({e}); client log:\n{}", shown()));
    let first = String::from_utf8_lossy(&buf[..n]).trim().to_string();
    assert_eq!(first, "READY=1", "READY=1 comes first\n{}", shown());
    // The frame counter the status server publishes is updated before the
    // watchdog decides, so at READY it already counts the first frame.
    let status = crate::common::screen::get(port, "/status", None)
        .map(|(_, _, body)| serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default())
        .unwrap_or_default();
    assert!(
        status["frames_presented"].as_u64().is_some_and(|n| n >= 1),
        "READY=1 before a frame was presented: {status}\n{}",
        shown()
    );
    // With WATCHDOG_USEC = 1 s the screen pings every 0.5 s while it presents.
    let pings = messages_within(&socket, Duration::from_secs(3));
    let count = pings.iter().filter(|m| *m == "WATCHDOG=1").count();
    assert!(count >= 3, "pings while playing: {pings:?}\n{}", shown());
    assert!(
        !pings.iter().any(|m| m == "READY=1"),
        "READY=1 only once: {pings:?}"
    );
    // The hook freezes the screen thread: the pings stop.
    assert_eq!(send_signal(client.0.id(), "USR2"), 0);
    let _in_flight = messages_within(&socket, Duration::from_millis(800));
    let after = messages_within(&socket, Duration::from_secs(3));
    assert!(
        after.is_empty(),
        "no ping from a frozen screen thread, got {after:?}\n{}",
        shown()
    );
    assert!(
        shown().contains("test hook: the screen thread stops"),
        "{}",
        shown()
    );
}

/// Sends `signal` (a name such as `USR2`) to `pid` with the `kill` command.
fn send_signal(pid: u32, signal: &str) -> i32 {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    status.code().unwrap_or(-1)
}

#[test]
fn sigterm_ends_a_headless_screen_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let (socket, mut client, log, _) = headless(dir.path(), &[]);
    let shown = || std::fs::read_to_string(&log).unwrap_or_default();
    socket.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut buf = [0u8; 256];
    let n = socket
        .recv(&mut buf)
        .unwrap_or_else(|e| panic!("not ready within 60 s ({e}):\n{}", shown()));
    assert_eq!(String::from_utf8_lossy(&buf[..n]).trim(), "READY=1");
    // Playing: a page is on show and the loop sleeps until its next change.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(send_signal(client.0.id(), "TERM"), 0);
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = client.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(1),
            "still running 1 s after SIGTERM:\n{}",
            shown()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        status.success(),
        "exit status {status:?} after SIGTERM:\n{}",
        shown()
    );
    eprintln!("exited {:?} after SIGTERM", sent.elapsed());
}
