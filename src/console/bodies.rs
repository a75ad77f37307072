//! Request bodies under bounds: a limit per route, a budget of body bytes
//! in flight across all requests, and a deadline to finish sending.
//!
//! Every handler reads its body into memory (a form, a report, a
//! screenshot), so what clients send is what the console holds. Without
//! bounds, 850 anonymous connections each sending a 1 MiB login form took
//! the console from 396 MB to 1.2 GB. Hence, before a handler runs:
//!
//! - a body declared larger than its route allows is refused at once (413)
//!   without reading it: a login form is a few hundred bytes;
//! - the declared size (or, undeclared, the route's limit) is taken from a
//!   budget shared by all requests and given back when the response is
//!   ready; when the budget is spent the request is turned away (503 with
//!   `Retry-After`) rather than queued;
//! - the body must arrive within the route's deadline, or reading it fails
//!   and the request ends (408), so a client trickling a byte a second
//!   holds neither memory nor a budget share for long.

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The largest login form (a name and a password of at most a few hundred
/// characters, and the CSRF-free fields around them).
pub const LOGIN_LIMIT: usize = 4 * 1024;

/// Body bytes in flight at most, all requests together: two 4K screenshots
/// and many forms at once, and far below what would strain the machine.
pub const BUDGET_BYTES: usize = 48 * 1024 * 1024;

/// The largest upload of the month's sheets (each file at most 20 MB).
pub const SHEETS_LIMIT: usize = 24 * 1024 * 1024;

/// The budget is counted in units of this many bytes.
const UNIT: usize = 1024;

/// How long a client has to send a login or a form.
const FORM_DEADLINE: Duration = Duration::from_secs(20);

/// How long a screen has to send a report or a screenshot (a 6 MiB PNG at
/// 1 Mbit/s takes 50 s), within the connection's 120 s life.
const REPORT_DEADLINE: Duration = Duration::from_secs(100);

/// The budget of body bytes in flight.
pub struct Budget(Arc<Semaphore>);

impl Default for Budget {
    fn default() -> Self {
        Budget(Arc::new(Semaphore::new(BUDGET_BYTES / UNIT)))
    }
}

/// The limit and the deadline of a route's body.
fn bounds(path: &str) -> (usize, Duration) {
    match path {
        "/login" => (LOGIN_LIMIT, FORM_DEADLINE),
        "/api/report" => (super::api::MAX_SCREENSHOT_BYTES, REPORT_DEADLINE),
        "/entry/check" => (SHEETS_LIMIT, REPORT_DEADLINE),
        _ => (super::routes::FORM_LIMIT, FORM_DEADLINE),
    }
}

/// The middleware: bounds the request's body as the module says.
pub async fn bounded(State(budget): State<Arc<Budget>>, request: Request, next: Next) -> Response {
    let (limit, deadline) = bounds(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let has_body =
        declared.is_some_and(|n| n > 0) || request.headers().contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return next.run(request).await;
    }
    let size = match declared {
        // The report endpoint refuses an oversized body itself, after it
        // knows the screen, so that the refusal is counted and a screenshot
        // asked for is not asked again; it reads none of it either way.
        Some(n) if n > limit as u64 && path_refuses_itself(request.uri().path()) => {
            return next.run(request).await;
        }
        Some(n) if n > limit as u64 => return too_large(),
        Some(n) => usize::try_from(n).unwrap_or(limit),
        None => limit,
    };
    let units = u32::try_from(size.div_ceil(UNIT).max(1)).unwrap_or(u32::MAX);
    let Ok(_share) = budget.0.clone().try_acquire_many_owned(units) else {
        return busy();
    };
    let request = request.map(|body| Body::new(Deadline::new(body, deadline)));
    next.run(request).await
}

/// Routes whose handler checks the declared length itself.
fn path_refuses_itself(path: &str) -> bool {
    path == "/api/report"
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONNECTION, "close")],
        "the request body is too large\n",
    )
        .into_response()
}

fn busy() -> Response {
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        "控制台正忙，请稍后再试。\n".to_string(),
    )
        .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// The error a body gives when its deadline passes before its end.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct TooSlow;

/// Whether reading a body failed because its deadline passed.
pub fn timed_out(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<TooSlow>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A body that fails with [`TooSlow`] once its deadline has passed.
struct Deadline {
    inner: Body,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(inner: Body, after: Duration) -> Self {
        Deadline {
            inner,
            timer: Box::pin(tokio::time::sleep(after)),
        }
    }
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        if self.timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(axum::Error::new(TooSlow))));
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        http_body::Body::is_end_stream(&self.inner)
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::Body::size_hint(&self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt as _;

    /// A router whose handlers read their whole body: 200, or 408 / 413.
    fn router(budget_bytes: usize) -> Router {
        async fn read(body: Body) -> StatusCode {
            match to_bytes(body, usize::MAX).await {
                Ok(_) => StatusCode::OK,
                Err(e) if timed_out(&e) => StatusCode::REQUEST_TIMEOUT,
                Err(_) => StatusCode::BAD_REQUEST,
            }
        }
        let budget = Arc::new(Budget(Arc::new(Semaphore::new(budget_bytes / UNIT))));
        Router::new()
            .route("/login", post(read))
            .route("/playlists/towns", post(read))
            .layer(axum::middleware::from_fn_with_state(budget, bounded))
    }

    /// A POST to `path` declaring `length` bytes that never arrive.
    fn stalled(path: &str, length: usize) -> Request {
        let never = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
        Request::post(path)
            .header(header::CONTENT_LENGTH, length)
            .body(Body::from_stream(never))
            .unwrap()
    }

    fn sent(path: &str, body: &'static str) -> Request {
        Request::post(path)
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap()
    }

    #[tokio::test]
    async fn a_body_beyond_its_route_limit_is_refused_before_it_is_read() {
        let app = router(BUDGET_BYTES);
        let login = app
            .clone()
            .oneshot(stalled("/login", LOGIN_LIMIT + 1))
            .await
            .unwrap();
        assert_eq!(login.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let form = app
            .clone()
            .oneshot(sent("/login", "username=a&password=b"))
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::OK);
        let playlist = app.oneshot(stalled("/playlists/towns", 1 << 21)).await.unwrap();
        assert_eq!(playlist.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_does_not_arrive_in_time_ends_its_request() {
        let started = tokio::time::Instant::now();
        let response = router(BUDGET_BYTES)
            .oneshot(stalled("/login", 100))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(started.elapsed() >= FORM_DEADLINE);
    }

    #[tokio::test(start_paused = true)]
    async fn when_the_budget_is_spent_a_request_is_turned_away_until_it_is_back() {
        let app = router(8 * UNIT);
        let holder = tokio::spawn(app.clone().oneshot(stalled("/playlists/towns", 6 * UNIT)));
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        let turned = app.clone().oneshot(sent("/login", "a=b&c=d1234567890123")).await;
        let big = app.clone().oneshot(stalled("/login", 3 * UNIT)).await.unwrap();
        assert_eq!(big.status(), StatusCode::SERVICE_UNAVAILABLE, "6 + 3 KiB > 8 KiB");
        assert!(big.headers().contains_key(header::RETRY_AFTER));
        assert_eq!(turned.unwrap().status(), StatusCode::OK, "6 + 1 KiB fit");
        // The holder times out and gives its share back.
        assert_eq!(
            holder.await.unwrap().unwrap().status(),
            StatusCode::REQUEST_TIMEOUT
        );
        let after = app
            .oneshot(sent("/login", "username=a&password=b"))
            .await
            .unwrap();
        assert_eq!(after.status(), StatusCode::OK);
    }
}
