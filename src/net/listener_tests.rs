//! The listener with a toy router and tiny limits, over real loopback sockets.

use super::*;
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Limits small enough to hit in a unit test.
const TINY: Limits = Limits {
    max_connections: 4,
    per_address: 4,
    header_read_timeout: Duration::from_secs(10),
    max_buf_size: 16 * 1024,
    lifetime: Duration::from_secs(30),
    grace: Duration::from_millis(200),
};

/// Serves `router` under `limits` on a free loopback port.
pub(crate) async fn start(router: Router, limits: Limits) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, router, limits));
    addr
}

/// A `Connection: close` request for `method path` with `headers`.
pub(crate) fn request(method: &str, path: &str, headers: &str) -> Vec<u8> {
    format!("{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n{headers}\r\n").into_bytes()
}

/// Sends `request` on a fresh connection and reads until the server closes
/// it: the answer, or the error that ended it and what came before.
pub(crate) async fn exchange(addr: SocketAddr, request: &[u8]) -> Result<String, (io::Error, String)> {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut out = Vec::new();
    let result = async {
        s.write_all(request).await?;
        s.read_to_end(&mut out).await
    };
    let result = tokio::time::timeout(Duration::from_secs(5), result).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    match result {
        Ok(Ok(_)) => Ok(text),
        Ok(Err(e)) => Err((e, text)),
        Err(_) => panic!("the server kept the connection open 5 s; sent {text:?}"),
    }
}

fn hello() -> Router {
    Router::new().route("/", get(|| async { "hi" }))
}

/// Waits at most `limit` for the server to close `s`; how long it took.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> Result<Duration, String> {
    let start = Instant::now();
    let mut sink = Vec::new();
    match tokio::time::timeout(limit, s.read_to_end(&mut sink)).await {
        Ok(_) => Ok(start.elapsed()),
        Err(_) => Err(format!(
            "still open after {limit:?}; got {:?}",
            String::from_utf8_lossy(&sink)
        )),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_the_oldest_connection_makes_room_for_a_new_one() {
    let addr = start(hello(), TINY).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let started = Instant::now();
    let answer = exchange(addr, &request("GET", "/", "")).await;
    let took = started.elapsed();
    assert!(
        matches!(&answer, Ok(a) if a.starts_with("HTTP/1.1 200") && a.ends_with("hi")),
        "{answer:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // Connections that send nothing would last the 10 s header timeout;
    // the oldest were closed long before, to make room.
    let first = closed_within(&mut idle[0], Duration::from_secs(2)).await;
    assert!(first.is_ok(), "the oldest idle connection: {first:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_that_never_ends_is_cut_off_after_the_header_timeout() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        ..TINY
    };
    let addr = start(hello(), limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n").await.unwrap();
    let took = closed_within(&mut s, Duration::from_secs(3)).await;
    assert!(
        took.as_ref().is_ok_and(|t| *t >= Duration::from_millis(250)),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_head_is_refused() {
    let addr = start(hello(), TINY).await;
    let padding = format!("X-Padding: {}\r\n", "a".repeat(64 * 1024));
    match exchange(addr, &request("GET", "/", &padding)).await {
        Ok(answer) => assert!(answer.starts_with("HTTP/1.1 431"), "{answer}"),
        // Closed with the rest of our head unread: a reset may overtake the 431.
        Err((e, answer)) => assert!(
            e.kind() == io::ErrorKind::ConnectionReset && !answer.contains(" 200 "),
            "{e}: {answer}"
        ),
    }
    let answer = exchange(addr, &request("GET", "/", "")).await;
    assert!(matches!(&answer, Ok(a) if a.ends_with("hi")), "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_keep_alive_connection_ends_after_its_lifetime() {
    let limits = Limits {
        lifetime: Duration::from_millis(800),
        ..TINY
    };
    let addr = start(hello(), limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    let mut answered = 0;
    let mut buf = [0u8; 4096];
    let ended = loop {
        if started.elapsed() > Duration::from_secs(3) {
            break None;
        }
        let asked = s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").await;
        let read = tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf)).await;
        match (asked, read) {
            (Ok(()), Ok(Ok(n))) if n > 0 => answered += 1,
            _ => break Some(started.elapsed()),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(answered >= 3, "keep-alive served {answered} requests");
    assert!(
        ended.is_some_and(|t| t < Duration::from_secs(2)),
        "ended after {ended:?} with {answered} answers"
    );
}
