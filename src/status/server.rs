//! The status server: `/healthz`, `/status`, `/metrics` and
//! `/screenshot.png` over plain HTTP/1.1 on the tokio side. Bound to
//! 127.0.0.1 by default; on any other address it requires a bearer token and
//! refuses to start without one.

use super::{health, metrics_text, rss_bytes, ScreenStatus};
use crate::demo::http::{head, read_request, Request};
use chrono::Utc;
use image::RgbaImage;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// A screenshot asked of the screen thread: it answers with the frame last presented.
pub type ScreenshotRequest = oneshot::Sender<Result<RgbaImage, String>>;

/// At most one screenshot per this interval (read-back costs the screen a frame's work).
const SCREENSHOT_EVERY: Duration = Duration::from_secs(1);

/// Whether the server may listen on `addr` with `token`.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), String> {
    if addr.ip().is_loopback() || token.is_some_and(|t| !t.trim().is_empty()) {
        Ok(())
    } else {
        Err(format!(
            "the status server would listen on {addr}, beyond this machine, without a token: \
             set [status] token = \"…\" in the config, or listen on 127.0.0.1"
        ))
    }
}

/// What the server reads and whom it asks for screenshots.
pub struct StatusServer {
    pub status: watch::Receiver<Arc<ScreenStatus>>,
    pub token: Option<String>,
    /// Passes a screenshot request to the screen thread; false when it is gone.
    pub ask_screenshot: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    last_shot: Mutex<Option<Instant>>,
}

impl StatusServer {
    pub fn new(
        status: watch::Receiver<Arc<ScreenStatus>>,
        token: Option<String>,
        ask_screenshot: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    ) -> Self {
        StatusServer {
            status,
            token,
            ask_screenshot,
            last_shot: Mutex::new(None),
        }
    }
}

/// Serves on `listener` for ever.
pub async fn serve_status(listener: TcpListener, server: Arc<StatusServer>) {
    while let Ok((stream, _)) = listener.accept().await {
        let server = server.clone();
        tokio::spawn(async move {
            if let Err(e) = answer(stream, &server).await {
                tracing::debug!("status request failed: {e}");
            }
        });
    }
}

/// A response: status, content type, body, extra headers.
struct Response(u16, &'static str, Vec<u8>, Vec<(String, String)>);

impl Response {
    fn text(status: u16, body: impl Into<String>) -> Self {
        Response(
            status,
            "text/plain; charset=utf-8",
            body.into().into_bytes(),
            Vec::new(),
        )
    }
}

async fn answer(mut stream: TcpStream, server: &StatusServer) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let response = route(&request, server).await;
    let mut headers = vec![("Content-Type".to_string(), response.1.to_string())];
    headers.extend(response.3);
    stream
        .write_all(&head(response.0, &headers, Some(response.2.len())))
        .await?;
    if request.method != "HEAD" {
        stream.write_all(&response.2).await?;
    }
    stream.shutdown().await
}

async fn route(request: &Request, server: &StatusServer) -> Response {
    if let Some(token) = &server.token {
        let expected = format!("Bearer {token}");
        if request.header("authorization") != Some(expected.as_str()) {
            let mut r = Response::text(401, "a bearer token is required\n");
            r.3.push(("WWW-Authenticate".into(), "Bearer".into()));
            return r;
        }
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "only GET\n");
    }
    let status = server.status.borrow().clone();
    let now = Utc::now();
    match request.path.split('?').next().unwrap_or("") {
        "/healthz" => match health(&status, now) {
            Ok(()) => Response::text(200, "ok\n"),
            Err(reason) => Response::text(503, format!("{reason}\n")),
        },
        "/status" => status_json(&status, now),
        "/metrics" => Response(
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics_text(&status, now, rss_bytes()).into_bytes(),
            Vec::new(),
        ),
        "/screenshot.png" => screenshot(server).await,
        _ => Response::text(404, "try /healthz, /status, /metrics or /screenshot.png\n"),
    }
}

fn status_json(status: &ScreenStatus, now: chrono::DateTime<Utc>) -> Response {
    let mut value = serde_json::to_value(status).unwrap_or_default();
    value["uptime_secs"] = (now - status.started_at).num_seconds().into();
    value["rss_bytes"] = rss_bytes().into();
    value["healthy"] = health(status, now).is_ok().into();
    let body = serde_json::to_vec_pretty(&value).unwrap_or_default();
    Response(200, "application/json", body, Vec::new())
}

async fn screenshot(server: &StatusServer) -> Response {
    {
        let Ok(mut last) = server.last_shot.lock() else {
            return Response::text(500, "internal error\n");
        };
        if last.is_some_and(|l| l.elapsed() < SCREENSHOT_EVERY) {
            let mut r = Response::text(429, "one screenshot per second\n");
            r.3.push(("Retry-After".into(), "1".into()));
            return r;
        }
        *last = Some(Instant::now());
    }
    let (tx, rx) = oneshot::channel();
    if !(server.ask_screenshot)(tx) {
        return Response::text(503, "the screen is shutting down\n");
    }
    let image = match tokio::time::timeout(Duration::from_secs(10), rx).await {
        Ok(Ok(Ok(image))) => image,
        Ok(Ok(Err(e))) => return Response::text(503, format!("no screenshot: {e}\n")),
        _ => return Response::text(503, "the screen did not answer\n"),
    };
    let png = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
        image.write_with_encoder(encoder).map(|()| bytes)
    })
    .await;
    match png {
        Ok(Ok(bytes)) => Response(
            200,
            "image/png",
            bytes,
            vec![("Cache-Control".into(), "no-store".into())],
        ),
        _ => Response::text(500, "cannot encode the screenshot\n"),
    }
}
