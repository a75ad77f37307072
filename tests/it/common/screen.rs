//! A headless `rankwall run` for process-level tests: its own temporary
//! folder (removed when the test ends), a status port the client binds itself
//! (`127.0.0.1:0`) and reports in its log, and waits that fail with what they
//! saw when their deadline passes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running headless client, killed when dropped.
pub struct Screen {
    child: Child,
    /// The client's folder: its config, cache and log.
    pub dir: tempfile::TempDir,
    /// The status server's port, read back from the client's log.
    pub port: u16,
}

impl Screen {
    /// Starts `rankwall run --headless --size SIZE` on `config` (the text
    /// of `rankwall.toml`, written into the test's own folder) with `extra`
    /// arguments and environment.
    pub fn start(config: &str, size: &str, extra: &[&str], env: &[(&str, &str)]) -> Screen {
        let mut args = vec!["--headless", "--size", size];
        args.extend_from_slice(extra);
        Screen::launch(temp_dir(), config, &args, env)
    }

    /// Starts `rankwall run ARGS` on `config` in `dir` (a folder the test
    /// made). The cache is `dir/cache` unless `args` name another, and the
    /// status server listens on a port the kernel picks.
    pub fn launch(dir: tempfile::TempDir, config: &str, args: &[&str], env: &[(&str, &str)]) -> Screen {
        let config_path = dir.path().join("rankwall.toml");
        std::fs::write(&config_path, config).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rankwall"));
        command
            .args(["run", "--status-addr", "127.0.0.1:0", "--config"])
            .arg(&config_path);
        if !args.contains(&"--cache-dir") {
            command.arg("--cache-dir").arg(dir.path().join("cache"));
        }
        let child = command
            .args(args)
            .env("RUST_LOG", "rankwall=info")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stderr(std::fs::File::create(dir.path().join("client.log")).unwrap())
            .spawn()
            .unwrap();
        let mut screen = Screen { child, dir, port: 0 };
        screen.port = screen.wait_for_port();
        screen
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (such as `-USR2`) to the client.
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill {signal} failed");
    }

    /// Fails with the log when the client has exited.
    pub fn assert_running(&mut self) {
        if let Ok(Some(exit)) = self.child.try_wait() {
            panic!("the client exited ({exit}):\n{}", self.log());
        }
    }

    /// The client's log so far, without terminal colours.
    pub fn log(&self) -> String {
        strip_ansi(&std::fs::read_to_string(self.path("client.log")).unwrap_or_default())
    }

    /// Lines of the log that contain `text`.
    pub fn log_lines(&self, text: &str) -> Vec<String> {
        self.log()
            .lines()
            .filter(|l| l.contains(text))
            .map(str::to_string)
            .collect()
    }

    fn wait_for_port(&mut self) -> u16 {
        bound_port(&self.path("client.log"), &mut self.child)
    }

    /// GET `path` from the status server: (status, content type, body).
    pub fn get(&self, path: &str) -> Option<(u16, String, Vec<u8>)> {
        get(self.port, path, None)
    }

    /// `/status` as JSON (`Null` while it does not answer).
    pub fn status(&self) -> serde_json::Value {
        self.get("/status")
            .filter(|r| r.0 == 200)
            .and_then(|r| serde_json::from_slice(&r.2).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    /// Polls `/status` until `ok` holds; fails after `within` with the last
    /// document seen and the log.
    pub fn wait_status(
        &self,
        what: &str,
        within: Duration,
        ok: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + within;
        loop {
            let status = self.status();
            if ok(&status) {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: not within {within:?}; last /status:\n{status:#}\nlog:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until the log has a line with `text`; fails after `within`.
    pub fn wait_log(&self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            if let Some(line) = self.log_lines(text).pop() {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {text:?} within {within:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The frame on show, from `/screenshot.png` (retried while the server
    /// answers 429, its limit on screenshots; fails after 30 s).
    pub fn screenshot(&self) -> image::RgbaImage {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let reply = self.get("/screenshot.png");
            if let Some((200, _, png)) = &reply {
                return image::load_from_memory(png).unwrap().to_rgba8();
            }
            let seen = reply.map(|r| r.0);
            assert!(
                Instant::now() < deadline,
                "no screenshot within 30 s (last answer {seen:?})"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `path` from the status server on `port`, with an optional bearer
/// token: (status, content type, body), or `None` when it does not answer
/// within 20 s.
pub fn get(port: u16, path: &str, token: Option<&str>) -> Option<(u16, String, Vec<u8>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        let mut request = client.get(format!("http://127.0.0.1:{port}{path}"));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.ok()?;
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Some((status, kind, response.bytes().await.ok()?.to_vec()))
    })
}

/// The port a client's status server bound (configured as port 0), read
/// from the `status server listening addr=…` line of its log at `log`
/// (written with `NO_COLOR=1`); fails after 30 s or when the client exits.
pub fn bound_port(log: &Path, child: &mut Child) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = strip_ansi(&std::fs::read_to_string(log).unwrap_or_default());
        if let Some(port) = text
            .lines()
            .filter(|l| l.contains("status server listening"))
            .find_map(|l| {
                l.split("addr=")
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .rsplit(':')
                    .next()?
                    .parse()
                    .ok()
            })
        {
            return port;
        }
        if let Ok(Some(exit)) = child.try_wait() {
            panic!("the client exited ({exit}) before its status server listened:\n{text}");
        }
        assert!(
            Instant::now() < deadline,
            "no `status server listening` line within 30 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A temporary folder, removed when the test ends.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("rankwall-test-")
        .tempdir()
        .unwrap()
}

/// Removes terminal colour sequences (`ESC [ … m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A config for a test screen: `body` is appended after a `[screen]` id.
pub fn config(body: &str) -> String {
    format!("[screen]\nid = \"test-screen\"\n\n{body}\n")
}
