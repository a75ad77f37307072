//! The status endpoints as an axum [`Router`]: the bearer token is checked
//! first (every path, every method), then only GET and HEAD pass, then the
//! four paths; anything else is a 404 with a hint. The bodies, codes and
//! headers are the ones fleet tools (and `tests/it/status.rs`) already rely on.

use super::server::StatusServer;
use super::{health, metrics_text, rss_bytes, ScreenStatus};
use aws_lc_rs::digest::{digest, SHA256};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// At most one screenshot per this interval (read-back costs the screen a frame's work).
const SCREENSHOT_EVERY: Duration = Duration::from_secs(1);

const TEXT: &str = "text/plain; charset=utf-8";
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The router for `server`.
pub(super) fn router(server: Arc<StatusServer>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/status", get(status))
        .route("/metrics", get(metrics))
        .route("/screenshot.png", get(screenshot))
        .fallback(not_found)
        // The layer added last runs first: the token before the method, so
        // that without the token nothing at all is revealed. `layer` (unlike
        // `route_layer`) also wraps the fallback.
        .layer(middleware::from_fn(only_get_and_head))
        .layer(middleware::from_fn_with_state(server.clone(), require_token))
        .with_state(server)
}

/// A response with `content_type` (replacing whatever the body type implies).
fn reply(code: StatusCode, content_type: &'static str, body: impl IntoResponse) -> Response {
    (code, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn text(code: StatusCode, body: impl Into<String>) -> Response {
    reply(code, TEXT, body.into())
}

/// Whether `authorization` holds `Bearer <token>`.
///
/// The credentials are compared in constant time, after hashing both sides
/// with SHA-256 so that neither the position of the first wrong byte nor the
/// token's length shows in the timing. The scheme is no secret and is
/// case-insensitive (RFC 9110 §11.1).
pub(super) fn token_matches(token: &str, authorization: Option<&HeaderValue>) -> bool {
    let Some(value) = authorization else {
        return false;
    };
    let Some(space) = value.as_bytes().iter().position(|&b| b == b' ') else {
        return false;
    };
    let (scheme, credentials) = value.as_bytes().split_at(space);
    if !scheme.eq_ignore_ascii_case(b"Bearer") {
        return false;
    }
    let given = digest(&SHA256, credentials.trim_ascii_start());
    let expected = digest(&SHA256, token.as_bytes());
    given.as_ref().ct_eq(expected.as_ref()).into()
}

async fn require_token(State(server): State<Arc<StatusServer>>, request: Request, next: Next) -> Response {
    if let Some(token) = &server.token {
        if !token_matches(token, request.headers().get(header::AUTHORIZATION)) {
            let mut r = text(StatusCode::UNAUTHORIZED, "a bearer token is required\n");
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    next.run(request).await
}

/// Everything is read-only: other methods get 405 on every path, known or
/// not (as before the move to axum, whose own 405 has no body).
async fn only_get_and_head(request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        next.run(request).await
    } else {
        text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n")
    }
}

async fn not_found() -> Response {
    text(
        StatusCode::NOT_FOUND,
        "try /healthz, /status, /metrics or /screenshot.png\n",
    )
}

/// The latest status the screen thread published.
fn latest(server: &StatusServer) -> Arc<ScreenStatus> {
    server.status.borrow().clone()
}

async fn healthz(State(server): State<Arc<StatusServer>>) -> Response {
    match health(&latest(&server), Utc::now()) {
        Ok(()) => text(StatusCode::OK, "ok\n"),
        Err(reason) => text(StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n")),
    }
}

async fn status(State(server): State<Arc<StatusServer>>) -> Response {
    let value = super::status_document(&latest(&server), Utc::now());
    let body = serde_json::to_vec_pretty(&value).unwrap_or_default();
    reply(StatusCode::OK, "application/json", body)
}

async fn metrics(State(server): State<Arc<StatusServer>>) -> Response {
    let body = metrics_text(&latest(&server), Utc::now(), rss_bytes());
    reply(StatusCode::OK, PROMETHEUS_TEXT, body)
}

async fn screenshot(State(server): State<Arc<StatusServer>>) -> Response {
    {
        let Ok(mut last) = server.last_shot.lock() else {
            return text(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n");
        };
        if last.is_some_and(|l| l.elapsed() < SCREENSHOT_EVERY) {
            let mut r = text(StatusCode::TOO_MANY_REQUESTS, "one screenshot per second\n");
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        }
        *last = Some(Instant::now());
    }
    match super::capture_png(server.ask_screenshot.as_ref()).await {
        Ok(bytes) => {
            let mut r = reply(StatusCode::OK, "image/png", bytes);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(super::CaptureError::Encode) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the screenshot\n",
        ),
        Err(e) => text(StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")),
    }
}

/// Serves on `listener` for ever: accept errors are retried, never fatal.
/// Connections are accepted, capped and timed out by `crate::net::listener`
/// and served by hyper.
pub async fn serve_status(listener: tokio::net::TcpListener, server: Arc<StatusServer>) {
    crate::net::listener::serve(listener, router(server), crate::net::listener::LIMITS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(v: &str) -> HeaderValue {
        HeaderValue::from_str(v).unwrap()
    }

    #[test]
    fn the_right_bearer_token_matches() {
        assert!(token_matches("s3cret", Some(&header("Bearer s3cret"))));
        assert!(
            token_matches("s3cret", Some(&header("bearer  s3cret"))),
            "the scheme is case-insensitive and may be followed by several spaces"
        );
    }

    #[test]
    fn a_wrong_token_does_not_match() {
        for wrong in [
            "Bearer s3cre",
            "Bearer s3cret2",
            "Bearer S3CRET",
            "Bearer ",
            "Bearer",
        ] {
            assert!(!token_matches("s3cret", Some(&header(wrong))), "{wrong}");
        }
    }

    #[test]
    fn a_missing_header_does_not_match() {
        assert!(!token_matches("s3cret", None));
    }

    #[test]
    fn another_scheme_does_not_match() {
        assert!(!token_matches("s3cret", Some(&header("Basic s3cret"))));
        assert!(!token_matches("s3cret", Some(&header("Token s3cret"))));
        assert!(!token_matches("s3cret", Some(&header("s3cret"))));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_token_then_the_method_then_the_path_as_before() {
        use crate::net::listener::tests::{exchange, request, start};
        use crate::net::listener::LIMITS;
        let (_tx, rx) = tokio::sync::watch::channel(Arc::new(ScreenStatus::default()));
        let server = StatusServer::new(rx, Some("s3cret".into()), Arc::new(|_| false));
        let addr = start(router(Arc::new(server)), LIMITS).await;
        let ask = |method: &str, path: &str, auth: &str| {
            let r = request(method, path, auth);
            async move { exchange(addr, &r).await.unwrap().to_lowercase() }
        };
        let auth = "Authorization: Bearer s3cret\r\n";
        let denied = ask("POST", "/nowhere", "").await;
        assert!(denied.starts_with("http/1.1 401"), "{denied}");
        assert!(denied.contains("www-authenticate: bearer\r\n"), "{denied}");
        assert!(
            denied.ends_with("\r\n\r\na bearer token is required\n"),
            "{denied}"
        );
        let wrong = ask("GET", "/healthz", "Authorization: Bearer s3cre\r\n").await;
        assert!(wrong.starts_with("http/1.1 401"), "{wrong}");
        let post = ask("POST", "/healthz", auth).await;
        assert!(
            post.starts_with("http/1.1 405") && post.ends_with("only get\n"),
            "{post}"
        );
        let lost = ask("GET", "/nowhere?x=1", auth).await;
        assert!(lost.starts_with("http/1.1 404"), "{lost}");
        assert!(
            lost.ends_with("try /healthz, /status, /metrics or /screenshot.png\n"),
            "{lost}"
        );
        let sick = ask("GET", "/healthz?probe=1", auth).await;
        assert!(sick.starts_with("http/1.1 503"), "{sick}");
        assert!(
            sick.contains("content-type: text/plain; charset=utf-8\r\n"),
            "{sick}"
        );
        assert!(sick.ends_with("no frame presented yet\n"), "{sick}");
        let head = ask("HEAD", "/healthz", auth).await;
        assert!(
            head.starts_with("http/1.1 503") && head.ends_with("\r\n\r\n"),
            "{head}"
        );
        let metrics = ask("GET", "/metrics", auth).await;
        assert!(metrics.contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"));
        let shot = ask("GET", "/screenshot.png", auth).await;
        assert!(
            shot.starts_with("http/1.1 503") && shot.ends_with("shutting down\n"),
            "{shot}"
        );
        let again = ask("GET", "/screenshot.png", auth).await;
        assert!(
            again.starts_with("http/1.1 429") && again.contains("retry-after: 1\r\n"),
            "{again}"
        );
    }
}
