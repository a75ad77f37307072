//! The operators' console in process, over HTTP: a console on a free
//! loopback port with operator `admin`, screen `s1` in group `towns`, and
//! the requests the tests make of it.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rankwall::console::store::{Enrolment, Store};
use rankwall::console::{start, ConsoleOptions};
use reqwest::header;
use reqwest::StatusCode;
use std::net::SocketAddr;
use std::time::Duration;

pub const PASSWORD: &str = "correct-horse-battery";
pub const FORM: &str = "application/x-www-form-urlencoded";
pub const TOKEN: &str = "screen-token-0123456789abcdef";

pub struct Console {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    _data: tempfile::TempDir,
    pub database: std::path::PathBuf,
    task: tokio::task::JoinHandle<()>,
}

/// A console on a free loopback port with operator `admin`, screen `s1`
/// (token [`TOKEN`]) in group `towns`, and the group's playlist published.
pub async fn console(session_ttl: Duration) -> Console {
    console_behind(session_ttl, &[]).await
}

/// As [`console`], trusting the reverse proxies at `proxies`.
/// A console that believes `X-Forwarded-For` from `proxies`, each written
/// as `--trusted-proxy` takes it (an address or a CIDR network).
pub async fn console_behind(session_ttl: Duration, proxies: &[&str]) -> Console {
    console_with(session_ttl, proxies, Duration::from_secs(10)).await
}

/// As [`console_behind`], checking the screens for alerts every `alert_check`.
pub async fn console_with(session_ttl: Duration, proxies: &[&str], alert_check: Duration) -> Console {
    console_options(session_ttl, proxies, alert_check, |_| {}).await
}

/// As [`console_with`], with `more` set on the options (the scheme, the key).
pub async fn console_options(
    session_ttl: Duration,
    proxies: &[&str],
    alert_check: Duration,
    more: impl FnOnce(&mut ConsoleOptions),
) -> Console {
    let data = tempfile::tempdir().unwrap();
    let mut options = ConsoleOptions::new(data.path().to_path_buf());
    more(&mut options);
    options.alert_check = alert_check;
    options.addr = "127.0.0.1:0".parse().unwrap();
    options.session_ttl = session_ttl;
    options.trusted_proxies = proxies
        .iter()
        .map(|p| rankwall::net::parse_proxy(p).unwrap())
        .collect();
    std::fs::create_dir_all(&options.data).unwrap();
    let store = Store::open(&options.database()).unwrap();
    store
        .set_user("admin", &rankwall::console::hash_password(PASSWORD).unwrap())
        .unwrap();
    store.ensure_group("towns").unwrap();
    let n = store
        .add_version(
            "towns",
            "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n",
            "test",
        )
        .unwrap();
    store.publish("towns", n).unwrap();
    let screen = Enrolment {
        id: "s1".into(),
        name: "一号屏".into(),
        group: "towns".into(),
        place: "广场".into(),
    };
    store
        .enrol(&screen, &rankwall::digest::sha256_hex(TOKEN.as_bytes()))
        .unwrap();
    drop(store);
    let database = options.database();
    let running = start(options).await.unwrap();
    // No pooled connections: the console closes a connection whose body it
    // refused unread, and a request racing that close would fail.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    Console {
        addr: running.addr,
        http,
        _data: data,
        database,
        task: running.task,
    }
}

impl Console {
    /// Stops serving: the listener closes, so new connections are refused
    /// (as when the console's machine is down); returns once one is.
    pub async fn stop(&self) {
        self.task.abort();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(self.addr).await.is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the console still accepts connections"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn login(&self, password: &str) -> reqwest::Response {
        self.login_as("admin", password).await
    }

    pub async fn login_as(&self, name: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/login"))
            .header(header::CONTENT_TYPE, FORM)
            .body(serde_urlencoded::to_string([("username", name), ("password", password)]).unwrap())
            .send()
            .await
            .unwrap()
    }

    /// A session cookie and the CSRF token its pages carry.
    pub async fn session(&self) -> (String, String) {
        self.session_as("admin", PASSWORD).await
    }

    /// As [`Console::session`], for operator `name`.
    pub async fn session_as(&self, name: &str, password: &str) -> (String, String) {
        let r = self.login_as(name, password).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name} logs in");
        let cookie = r.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let page = self.get("/", &cookie).await.text().await.unwrap();
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        (cookie, csrf)
    }

    pub async fn get(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, FORM)
            .body(serde_urlencoded::to_string(form).unwrap())
            .send()
            .await
            .unwrap()
    }

    pub async fn report(
        &self,
        id: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.http
            .post(self.url("/api/report"))
            .bearer_auth(token)
            .header("x-rankwall-screen", id)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub fn rejected(&self) -> Vec<(String, i64)> {
        Store::open(&self.database).unwrap().rejected().unwrap()
    }
}
