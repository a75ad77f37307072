//! The console behind a real nginx (issue 22, deliver 7): with
//! `--trusted-proxy` the login limit counts each client by the address
//! nginx saw, and the audit trail names it; without the flag every client is
//! nginx, and an `X-Forwarded-For` written by a client changes nothing.
//! nginx is started here on a free loopback port with a throwaway config;
//! without nginx the test fails and says what to install.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_app::{console_behind, Console, FORM, PASSWORD};
use rankwall::console::store::Store;
use reqwest::{header, StatusCode};
use std::net::IpAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// nginx in front of `upstream`, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The nginx snippet docs/console.md gives, in a config of its own.
fn start_nginx(upstream: u16) -> Nginx {
    let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("nginx is needed for this test: apt-get install nginx-light");
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let d = dir.path().display();
    let config = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
           server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
               proxy_pass http://127.0.0.1:{upstream};\n\
               proxy_set_header Host $http_host;\n\
               proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
               proxy_set_header X-Forwarded-Proto $scheme;\n    }}\n  }}\n}}\n"
    );
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, config).unwrap();
    let child = Command::new(binary)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&path)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    Nginx {
        child,
        port,
        _dir: dir,
    }
}

/// A client whose connections come from `ip` (any 127.x address is ours).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn wait_ready(nginx: &Nginx) {
    let url = format!("http://127.0.0.1:{}/healthz", nginx.port);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(r) = reqwest::get(&url).await {
            if r.status() == StatusCode::OK {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "nginx did not proxy /healthz within 15 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn login(nginx: &Nginx, client: &reqwest::Client, forged: Option<&str>, password: &str) -> StatusCode {
    let mut request = client
        .post(format!("http://127.0.0.1:{}/login", nginx.port))
        .header(header::CONTENT_TYPE, FORM)
        .body(serde_urlencoded::to_string([("username", "admin"), ("password", password)]).unwrap());
    if let Some(forged) = forged {
        request = request.header("x-forwarded-for", forged);
    }
    request.send().await.unwrap().status()
}

/// Five wrong passwords from 127.0.0.2 through nginx; then whether the
/// right one from 127.0.0.3 (with a forged header, if given) gets in.
async fn guesser_then_operator(c: &Console, forged: Option<&str>) -> (StatusCode, Nginx) {
    let nginx = start_nginx(c.addr.port());
    wait_ready(&nginx).await;
    let (guesser, operator) = (client_from("127.0.0.2"), client_from("127.0.0.3"));
    for _ in 0..5 {
        assert_eq!(
            login(&nginx, &guesser, None, "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(&nginx, &guesser, None, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guesser waits"
    );
    (login(&nginx, &operator, forged, PASSWORD).await, nginx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_trusted_proxy_counts_each_client_and_an_untrusted_one_counts_nginx() {
    // As a network, as a site would give its proxies' subnet.
    let trusted = console_behind(Duration::from_secs(3600), &["127.0.0.0/8"]).await;
    let (operator, _nginx) = guesser_then_operator(&trusted, None).await;
    assert_eq!(
        operator,
        StatusCode::SEE_OTHER,
        "another client behind nginx is not the guesser"
    );
    let audit = Store::open(&trusted.database).unwrap().audit_trail(50).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "login_failed" && a.detail.contains("127.0.0.2")),
        "the audit trail names the client nginx saw: {audit:?}"
    );
    // Without --trusted-proxy nginx is the only client there is, and a
    // header the client writes itself is not believed.
    let untrusted = console_behind(Duration::from_secs(3600), &[]).await;
    let (operator, _nginx) = guesser_then_operator(&untrusted, Some("198.51.100.9")).await;
    assert_eq!(operator, StatusCode::TOO_MANY_REQUESTS, "every client is nginx");
    let audit = Store::open(&untrusted.database).unwrap().audit_trail(50).unwrap();
    assert!(
        audit.iter().all(|a| !a.detail.contains("198.51.100.9")),
        "a forged header reached the audit trail: {audit:?}"
    );
}
