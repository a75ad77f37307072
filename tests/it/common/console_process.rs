//! A console in its own process, so its memory is its own: the peak RSS a
//! test reads is what the console needed, not what other tests did.

use rankwall::console::store::{Enrolment, Store};
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every screen's token.
pub const TOKEN: &str = "screen-token-0123456789abcdef";

/// A running console process; killed when dropped.
pub struct Running {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The port it listens on.
    pub port: u16,
    /// A client without a connection pool.
    pub http: reqwest::Client,
    /// The data folder.
    pub data: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How to start one.
#[derive(Default)]
pub struct Setup<'a> {
    /// Screens enrolled in group `towns`, each with [`TOKEN`].
    pub screens: &'a [&'a str],
    /// The soft limit on open files the console starts under (`ulimit -n`).
    pub open_files: Option<u32>,
    /// More arguments for `rankwall console`.
    pub args: &'a [&'a str],
}

/// Starts a console process on a free loopback port as `setup` says.
pub fn start(setup: Setup<'_>) -> Running {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("console.sqlite3")).unwrap();
    store.ensure_group("towns").unwrap();
    for id in setup.screens {
        let screen = Enrolment {
            id: (*id).into(),
            name: (*id).into(),
            group: "towns".into(),
            place: "广场".into(),
        };
        store
            .enrol(&screen, &rankwall::digest::sha256_hex(TOKEN.as_bytes()))
            .unwrap();
    }
    drop(store);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let limit = setup
        .open_files
        .map_or(String::new(), |n| format!("ulimit -n {n} && "));
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("{limit}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_rankwall"))
        .args(["console", "--data"])
        .arg(data.path())
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(setup.args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running {
        child,
        base: format!("http://127.0.0.1:{port}"),
        port,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap(),
        data,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return running;
        }
        assert!(
            Instant::now() < deadline,
            "the console did not listen within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Running {
    /// Posts a report from screen `id`: the answer's status and text.
    pub async fn report(&self, id: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
        let reply = (self.http.post(format!("{}/api/report", self.base)))
            .bearer_auth(TOKEN)
            .header("x-rankwall-screen", id)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        (reply.status(), reply.text().await.unwrap())
    }

    /// The process's memory figure `field` (`VmHWM`: peak, `VmRSS`: now) in MiB.
    pub fn memory_mib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(&format!("{field}:")))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
    }

    /// The process's peak resident memory so far, in MiB.
    pub fn peak_mib(&self) -> u64 {
        self.memory_mib("VmHWM")
    }
}
