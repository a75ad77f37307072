//! The console under floods, in its own process (issue 28, findings 2 and
//! 4): connection churn from other addresses never cuts a screen's upload
//! in progress, and anonymous request bodies are refused by size before
//! they are held, so 850 connections sending 1 MiB login forms leave the
//! console's memory where it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_process::{self, Running, Setup, TOKEN};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// The console's peak RSS must stay under this through the floods.
const PEAK_MIB: u64 = 200;

/// A connection to the console from `127.0.0.<host>`.
async fn connect_from(console: &Running, host: u8) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)), 0))?;
    socket
        .connect(SocketAddr::from(([127, 0, 0, 1], console.port)))
        .await
}

/// Reads until the console closes `s` (at most 20 s): what it answered.
async fn answer(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "no end of answer within 20 s");
    String::from_utf8_lossy(&out).into_owned()
}

/// A status report from screen `id` whose body takes `over` to arrive, in
/// ten pieces: the console's answer, or what cut it.
async fn slow_report(console: &Running, id: &str, over: Duration) -> Result<String, String> {
    let body = format!("{{\"screen\":\"{id}\",\"padding\":\"{}\"}}", "x".repeat(4000));
    let head = format!(
        "POST /api/report HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\
         Authorization: Bearer {TOKEN}\r\nX-Rankwall-Screen: {id}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut s = connect_from(console, 1).await.map_err(|e| e.to_string())?;
    s.write_all(head.as_bytes()).await.map_err(|e| e.to_string())?;
    for piece in body.as_bytes().chunks(body.len().div_ceil(10)) {
        tokio::time::sleep(over / 10).await;
        s.write_all(piece)
            .await
            .map_err(|e| format!("cut while sending: {e}"))?;
    }
    let mut out = Vec::new();
    match tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await {
        Ok(Ok(_)) => Ok(String::from_utf8_lossy(&out).into_owned()),
        Ok(Err(e)) => Err(format!("cut while reading: {e}")),
        Err(_) => Err("no answer within 20 s".into()),
    }
}

/// Opens connections from `127.0.0.<host>` as fast as it can until `stop`,
/// keeping the last `keep` open and sending nothing; counts those the
/// console closed while they were held.
async fn churn(console: &Running, host: u8, keep: usize, stop: Arc<AtomicBool>, closed: Arc<AtomicUsize>) {
    let mut held = std::collections::VecDeque::new();
    while !stop.load(Ordering::Relaxed) {
        match connect_from(console, host).await {
            Ok(s) => held.push_back(s),
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
        if held.len() > keep {
            let mut oldest: TcpStream = held.pop_front().unwrap();
            let mut byte = [0u8; 1];
            // Closed by the console (read gives 0 or an error at once)?
            if let Ok(Ok(0) | Err(_)) =
                tokio::time::timeout(Duration::from_millis(1), oldest.read(&mut byte)).await
            {
                closed.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn churn_from_other_addresses_never_cuts_an_upload_in_progress() {
    rlimit::increase_nofile_limit(4096).unwrap();
    // 400 descriptors: the console caps itself at 144 connections, 64 from
    // one address, so the churn below hits both caps many times over.
    let screens: Vec<String> = (0..8).map(|i| format!("s{i}")).collect();
    let ids: Vec<&str> = screens.iter().map(String::as_str).collect();
    let console = console_process::start(Setup {
        screens: &ids,
        open_files: Some(400),
        ..Setup::default()
    });
    let stop = Arc::new(AtomicBool::new(false));
    let closed = Arc::new(AtomicUsize::new(0));
    let console = Arc::new(console);
    let churners: Vec<_> = (2..10u8)
        .map(|host| {
            let (console, stop, closed) = (console.clone(), stop.clone(), closed.clone());
            tokio::spawn(async move { churn(&console, host, 60, stop, closed).await })
        })
        .collect();
    // The uploads start once the churn has met a cap (on a busy machine
    // that takes longer than on an idle one), so that they run under it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while closed.load(Ordering::Relaxed) == 0 {
        assert!(
            Instant::now() < deadline,
            "the churn never met a cap in 30 s: the test would prove nothing"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = closed.load(Ordering::Relaxed);
    let started = Instant::now();
    let uploads = ids
        .iter()
        .map(|id| slow_report(&console, id, Duration::from_secs(2)));
    let results = futures_util::future::join_all(uploads).await;
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for c in churners {
        c.await.unwrap();
    }
    let cut: Vec<_> = results
        .iter()
        .filter(|r| !r.as_ref().is_ok_and(|a| a.starts_with("HTTP/1.1 200")))
        .collect();
    assert!(
        cut.is_empty(),
        "{} of {} uploads did not complete: {cut:?}",
        cut.len(),
        results.len()
    );
    assert!(
        closed.load(Ordering::Relaxed) > before,
        "the churn met no cap during the {took:?} of the uploads: the test proves nothing"
    );
}

/// Sends a login form of `declared` bytes from `127.0.0.<host>`, its first
/// `sent` bytes, then waits for the answer.
async fn big_login(console: &Running, host: u8, declared: usize, sent: usize) -> String {
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {declared}\r\n\r\n"
    );
    let Ok(mut s) = connect_from(console, host).await else {
        return String::from("(refused)");
    };
    let _ = s.write_all(head.as_bytes()).await;
    // A well-formed login whose password is the padding: held, it would
    // wait its turn for the password check.
    let mut form = b"username=admin&password=".to_vec();
    form.resize(sent.max(form.len()), b'a');
    let _ = s.write_all(&form).await;
    answer(&mut s).await
}

/// A chunked login form of about `total` bytes in 8 KiB chunks: the answer.
async fn chunked_login(console: &Running, host: u8, total: usize) -> String {
    let head = "POST /login HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
    let Ok(mut s) = connect_from(console, host).await else {
        return String::from("(refused)");
    };
    let _ = s.write_all(head.as_bytes()).await;
    let _ = s.write_all(b"18\r\nusername=admin&password=\r\n").await;
    let chunk = format!("2000\r\n{}\r\n", "a".repeat(0x2000));
    for _ in 0..total / 0x2000 {
        if s.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    answer(&mut s).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_bodies_are_refused_by_size_and_not_held() {
    rlimit::increase_nofile_limit(4096).unwrap();
    let console = Arc::new(console_process::start(Setup::default()));
    // Settle first: the baseline is the console at rest, not starting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = console.memory_mib("VmRSS");
    // 850 connections from 14 addresses, each sending a 1 MiB − 1 login form.
    let declared = (0..850).map(|i| {
        let console = console.clone();
        let size = (1 << 20) - 1;
        tokio::spawn(async move { big_login(&console, 2 + (i % 14) as u8, size, size).await })
    });
    // And 100 more without a length, sending 1 MiB in chunks.
    let chunked = (0..100).map(|i| {
        let console = console.clone();
        tokio::spawn(async move { chunked_login(&console, 20 + (i % 5) as u8, 1 << 20).await })
    });
    let mut answers = Vec::new();
    for task in declared.chain(chunked).collect::<Vec<_>>() {
        answers.push(task.await.unwrap());
    }
    let peak = console.peak_mib();
    assert!(
        peak < PEAK_MIB,
        "the console peaked at {peak} MiB (limit {PEAK_MIB})"
    );
    let refused = answers.iter().filter(|a| a.starts_with("HTTP/1.1 413")).count();
    let other: Vec<_> = answers
        .iter()
        .filter(|a| !a.starts_with("HTTP/1.1 413") && !a.is_empty())
        .take(3)
        .collect();
    assert!(other.is_empty(), "a big login form got another answer: {other:?}");
    // The console answers 413 and closes; the rest of a form still on its
    // way may reset the connection before the client reads the answer.
    assert!(refused >= 475, "only {refused} of 950 were answered 413");
    eprintln!("flood: {refused} answered 413, RSS {before} MiB before, peak {peak} MiB");
    // Memory comes back once they are gone.
    let deadline = Instant::now() + Duration::from_secs(10);
    let after = loop {
        let now = console.memory_mib("VmRSS");
        if now <= before + 32 || Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        after <= before + 32,
        "RSS {before} MiB before the flood, {after} MiB 10 s after it"
    );
    // A real login form is still read.
    let reply = console
        .http
        .post(format!("{}/login", console.base))
        .header("origin", &console.base)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("username=nobody&password=wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), reqwest::StatusCode::UNAUTHORIZED);
}
