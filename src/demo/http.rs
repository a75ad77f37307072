//! A deliberately small HTTP/1.1 server: one request per connection, replies
//! chosen by a handler, including faulty ones (cut off, endless, silent).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `GET`, `HEAD`, …, as sent.
    pub method: String,
    /// The request target, query included (`/feed.json?x=1`).
    pub path: String,
    /// Every header line, name and value trimmed, in the order sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete answer; `Content-Length` is added, and `Date` unless given.
    Full {
        /// The HTTP status code.
        status: u16,
        /// Headers to send, in this order.
        headers: Vec<(String, String)>,
        /// The whole body.
        body: Vec<u8>,
    },
    /// Declares `declared` bytes, sends `body`, then closes.
    Truncated {
        /// The `Content-Length` announced.
        declared: usize,
        /// What is actually sent, shorter than `declared`.
        body: Vec<u8>,
    },
    /// A 200 whose body never ends (until the client hangs up).
    Endless,
    /// Reads the request and never answers.
    Silent,
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    /// A 200 with `body` as `application/json`.
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// A bare `status` whose body just names it.
    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: format!("status {status}").into_bytes(),
        }
    }

    /// This reply with one more header; only a [`Reply::Full`] carries it.
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Full {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// A server on 127.0.0.1 that records the requests it receives.
pub struct TestServer {
    /// The address it listens on, with the port picked.
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts serving on `addr` (port 0 picks a free one).
    pub async fn start(
        addr: &str,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let handler: Handler = Arc::new(handler);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (handler, log) = (handler.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, handler, log).await;
                });
            }
        });
        Ok(TestServer { addr, requests, task })
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Stops accepting connections.
    pub fn stop(self) {
        self.task.abort();
    }

    /// Waits until the server stops (never, unless aborted).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: Handler,
    log: Arc<Mutex<Vec<Request>>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let reply = handler(&request);
    if let Ok(mut l) = log.lock() {
        l.push(request);
    }
    write_reply(&mut stream, reply).await
}

pub(crate) async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await?;
        if n == 0 || buf.len() > 64 * 1024 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("/").to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Some(Request {
        method,
        path,
        headers,
    }))
}

pub(crate) fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

pub(crate) fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        status_text(status)
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("date")) {
        h.push_str(&format!("Date: {}\r\n", http_date(chrono::Utc::now())));
    }
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(n) = length {
        h.push_str(&format!("Content-Length: {n}\r\n"));
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// An HTTP date (RFC 7231 IMF-fixdate).
pub fn http_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn write_reply(
    stream: &mut TcpStream,
    reply: Reply,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<()>> + Send + '_>> {
    Box::pin(async move {
        match reply {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                stream
                    .write_all(&head(status, &headers, Some(body.len())))
                    .await?;
                stream.write_all(&body).await?;
            }
            Reply::Truncated { declared, body } => {
                let headers = [("Content-Type".to_string(), "application/json".to_string())];
                stream.write_all(&head(200, &headers, Some(declared))).await?;
                stream.write_all(&body).await?;
            }
            Reply::Endless => {
                let headers = [("Content-Type".to_string(), "application/json".to_string())];
                stream.write_all(&head(200, &headers, None)).await?;
                stream
                    .write_all(b"{\"schema_version\": 1, \"padding\": \"")
                    .await?;
                let block = vec![b'x'; 64 * 1024];
                loop {
                    stream.write_all(&block).await?;
                }
            }
            Reply::Silent => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            Reply::Delayed(delay, inner) => {
                tokio::time::sleep(delay).await;
                write_reply(stream, *inner).await?;
            }
        }
        stream.flush().await?;
        stream.shutdown().await
    })
}
