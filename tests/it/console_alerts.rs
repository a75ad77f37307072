//! Alerts (issue 23): a screen that stops reporting for longer than the
//! threshold gets exactly one alert on the webhook, and one recovery notice
//! when it reports again; a failing webhook is retried with backoff while
//! reports go on being accepted, and the 告警 page says how delivery went.
//! E-mail goes to a local SMTP sink (below), one message per alert.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_app::{console_with, Console, TOKEN};
use axum::extract::State;
use axum::http::StatusCode as AxumStatus;
use rankwall::console::store::{AlertSettings, MailSecurity, MailSettings, Store, WebhookFormat};
use reqwest::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A local webhook receiver: keeps every body; answers 500 to the first
/// `fail_first` posts.
#[derive(Default)]
struct Receiver {
    bodies: Mutex<Vec<serde_json::Value>>,
    posts: AtomicUsize,
    fail_first: usize,
}

async fn receive(State(r): State<Arc<Receiver>>, body: axum::body::Bytes) -> AxumStatus {
    let n = r.posts.fetch_add(1, Ordering::SeqCst);
    if n < r.fail_first {
        return AxumStatus::INTERNAL_SERVER_ERROR;
    }
    r.bodies
        .lock()
        .unwrap()
        .push(serde_json::from_slice(&body).unwrap());
    AxumStatus::OK
}

/// The receiver's URL.
async fn start_receiver(r: Arc<Receiver>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hook")
}

/// A local SMTP sink: accepts every message and keeps each one's DATA.
async fn start_smtp_sink(mails: Arc<Mutex<Vec<String>>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::spawn(smtp_session(socket, mails.clone()));
        }
    });
    port
}

async fn smtp_session(socket: tokio::net::TcpStream, mails: Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    let mut data: Option<String> = None;
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(text) = data.as_mut() {
            if line == "." {
                mails.lock().unwrap().push(data.take().unwrap_or_default());
                write.write_all(b"250 kept\r\n").await.unwrap();
            } else {
                text.push_str(&line);
                text.push('\n');
            }
            continue;
        }
        let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
            "AUTH" => b"235 welcome\r\n",
            "DATA" => {
                data = Some(String::new());
                b"354 go on\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 ok\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
}

async fn report(c: &Console, healthy: bool) {
    let body = format!(
        r#"{{"screen_id":"s1","showing":{{"state":"page"}},"healthy":{healthy},"report_interval_secs":1}}"#
    );
    let r = c.report("s1", TOKEN, "application/json", body.into_bytes()).await;
    assert_eq!(r.status(), StatusCode::OK, "a report is accepted");
}

/// Waits until `ok` holds of the received bodies; fails after `within`.
async fn until_received(
    r: &Receiver,
    within: Duration,
    what: &str,
    ok: impl Fn(&[serde_json::Value]) -> bool,
) {
    let deadline = Instant::now() + within;
    loop {
        let bodies = r.bodies.lock().unwrap().clone();
        if ok(&bodies) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {within:?}; received {bodies:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn events(bodies: &[serde_json::Value]) -> Vec<&str> {
    bodies
        .iter()
        .map(|b| b["event"].as_str().unwrap_or("?"))
        .collect()
}

async fn alerting_console(url: &str, mail: Option<MailSettings>) -> Console {
    let c = console_with(Duration::from_secs(3600), &[], Duration::from_millis(200)).await;
    // One second: the form allows a minute at least; the test cannot wait.
    Store::open(&c.database)
        .unwrap()
        .set_alert_settings(&AlertSettings {
            threshold_secs: 1,
            webhook_url: Some(url.to_string()),
            format: WebhookFormat::Generic,
            mail,
        })
        .unwrap();
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_gone_dark_is_alerted_once_and_its_recovery_once() {
    let receiver = Arc::new(Receiver::default());
    let url = start_receiver(receiver.clone()).await;
    let mails = Arc::new(Mutex::new(Vec::new()));
    let port = start_smtp_sink(mails.clone()).await;
    let c = alerting_console(&url, Some(sink_settings(port))).await;
    report(&c, true).await;
    // Silent from now: 离线 after 3 × 1 s + 30 s, alerted a second later.
    until_received(&receiver, Duration::from_secs(60), "the alert", |b| !b.is_empty()).await;
    let first = receiver.bodies.lock().unwrap()[0].clone();
    assert_eq!(first["event"], "down");
    assert_eq!(first["screen"]["id"], "s1");
    assert_eq!(first["screen"]["state"], "离线");
    assert!(first["text"].as_str().unwrap().contains("一号屏"), "{first}");
    // Still dark for a few more checks: no second alert.
    tokio::time::sleep(Duration::from_secs(2)).await;
    report(&c, true).await;
    until_received(&receiver, Duration::from_secs(20), "the recovery", |b| {
        b.len() >= 2
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let bodies = receiver.bodies.lock().unwrap().clone();
    assert_eq!(
        events(&bodies),
        ["down", "up"],
        "exactly one alert and one recovery"
    );
    assert!(bodies[1]["text"].as_str().unwrap().contains("已恢复正常"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while mails.lock().unwrap().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "two e-mails: {:#?}",
            mails.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 2, "one mail per alert: {mails:#?}");
    for mail in &mails {
        assert!(
            mail.contains("To: it@example.cn") && mail.contains("Subject: "),
            "{mail}"
        );
    }
    let (cookie, _) = c.session().await;
    let audit = c.get("/audit", &cookie).await.text().await.unwrap();
    assert!(
        audit.contains("屏幕告警") && audit.contains("屏幕恢复"),
        "both audited"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_webhook_is_retried_without_holding_up_reports() {
    let receiver = Arc::new(Receiver {
        fail_first: 2,
        ..Receiver::default()
    });
    let url = start_receiver(receiver.clone()).await;
    let c = alerting_console(&url, None).await;
    report(&c, false).await;
    // While the sender backs off (1 s, then 2 s), reports are answered.
    for _ in 0..5 {
        report(&c, false).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    until_received(
        &receiver,
        Duration::from_secs(30),
        "the alert on its third try",
        |b| !b.is_empty(),
    )
    .await;
    assert_eq!(
        receiver.posts.load(Ordering::SeqCst),
        3,
        "two failures, then delivered"
    );
    let (cookie, _) = c.session().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = c.get("/alerts", &cookie).await.text().await.unwrap();
        if page.contains("已送达（第 3 次）") {
            assert!(page.contains("异常"), "the alert names the state");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the 告警 page does not say 已送达（第 3 次）:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alerts_page_saves_tests_and_refuses_bad_settings() {
    let receiver = Arc::new(Receiver::default());
    let url = start_receiver(receiver.clone()).await;
    let c = console_with(Duration::from_secs(3600), &[], Duration::from_secs(3600)).await;
    let (cookie, csrf) = c.session().await;
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
        form.extend(fields);
        let c = &c;
        let cookie = cookie.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form("/alerts", &cookie, &form).await
        }
    };
    let saved = post(vec![
        ("minutes", "5".into()),
        ("webhook", url.clone()),
        ("format", "wecom".into()),
        ("action", "save".into()),
    ])
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let kept = Store::open(&c.database).unwrap().alert_settings().unwrap();
    assert_eq!((kept.threshold_secs, kept.format), (300, WebhookFormat::WeCom));
    let tested = post(vec![
        ("minutes", "5".into()),
        ("webhook", url.clone()),
        ("format", "wecom".into()),
        ("action", "test".into()),
    ])
    .await;
    assert!(tested.text().await.unwrap().contains("测试消息已送达"));
    let body = receiver.bodies.lock().unwrap()[0].clone();
    assert_eq!(body["msgtype"], "text", "a 企业微信 robot's text message");
    assert!(body["text"]["content"].as_str().unwrap().contains("rankwall"));
    for (minutes, webhook, says) in [
        ("0", url.as_str(), "1 到 1440"),
        ("五", url.as_str(), "分钟数"),
        // (minijinja escapes the slashes of the https:// it names)
        ("5", "ftp://x", "Webhook 地址应以"),
    ] {
        let refused = post(vec![
            ("minutes", minutes.into()),
            ("webhook", webhook.into()),
            ("action", "save".into()),
        ])
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.text().await.unwrap().contains(says),
            "{minutes} {webhook}"
        );
    }
    let down = post(vec![
        ("minutes", "5".into()),
        ("webhook", "http://127.0.0.1:9/nothing-listens".into()),
        ("action", "test".into()),
    ])
    .await;
    assert!(down
        .text()
        .await
        .unwrap()
        .contains("测试消息没有全部送达：Webhook没有送达"));
    let unchanged = Store::open(&c.database).unwrap().alert_settings().unwrap();
    assert_eq!(unchanged, kept, "a refused or tested form changes nothing");
}

/// Plain SMTP to the sink on this machine.
fn sink_settings(port: u16) -> MailSettings {
    MailSettings {
        host: "127.0.0.1".into(),
        port,
        security: MailSecurity::None,
        user: String::new(),
        password: String::new(),
        from: "rankwall@example.cn".into(),
        to: vec!["it@example.cn".into()],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_settings_are_checked_kept_and_tested() {
    let mails = Arc::new(Mutex::new(Vec::new()));
    let port = start_smtp_sink(mails.clone()).await;
    let c = console_with(Duration::from_secs(3600), &[], Duration::from_secs(3600)).await;
    let (cookie, csrf) = c.session().await;
    let port = port.to_string();
    let form = |host: &'static str, security: &'static str, password: &'static str, action: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("minutes", "5".to_string()),
            ("smtp_host", host.to_string()),
            ("smtp_port", port.clone()),
            ("smtp_security", security.to_string()),
            ("smtp_user", "alerts".to_string()),
            ("smtp_password", password.to_string()),
            ("smtp_from", "rankwall@example.cn".to_string()),
            ("smtp_to", "it@example.cn，duty@example.cn".to_string()),
            ("action", action.to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let (c, cookie) = (&c, cookie.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form("/alerts", &cookie, &fields).await
        }
    };
    let refused = send(form("smtp.example.cn", "none", "pw", "save")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("本机的邮件中继"));
    let saved = send(form("127.0.0.1", "none", "pw-1", "save")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // Saved again with the password left empty: the stored one stays.
    send(form("127.0.0.1", "none", "", "save")).await;
    let kept = Store::open(&c.database)
        .unwrap()
        .alert_settings()
        .unwrap()
        .mail
        .unwrap();
    assert_eq!((kept.password.as_str(), kept.to.len()), ("pw-1", 2));
    let page = c.get("/alerts", &cookie).await.text().await.unwrap();
    assert!(!page.contains("pw-1"), "the password is never sent back");
    let tested = send(form("127.0.0.1", "none", "", "test"))
        .await
        .text()
        .await
        .unwrap();
    assert!(tested.contains("测试消息已送达：邮件已送达"), "{tested}");
    assert_eq!(mails.lock().unwrap().len(), 1);
}
