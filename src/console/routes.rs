//! The console's routes. Everything but the login page, the stylesheet,
//! the screens' two endpoints and `/healthz` needs an operator's session;
//! every POST from a page must carry the session's CSRF token. Both are
//! checked in one middleware, so a new page cannot forget them.

use super::operator::Operator;
use super::{api, auth, bodies, db, pages, templates, Shared};
use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

/// The largest form a page may post (a playlist's TOML is a few KiB).
pub const FORM_LIMIT: usize = 1024 * 1024;

/// The whole router.
pub fn router(console: Shared) -> Router {
    let protected = Router::new()
        .route("/", get(pages::screens::list))
        .route("/screens/new", get(pages::screens::new_form))
        .route("/screens", post(pages::screens::enrol))
        .route("/screens/{id}/screenshot", post(pages::screens::ask_screenshot))
        .route("/screens/{id}/thumb.png", get(pages::screens::thumbnail))
        .route(
            "/playlists",
            get(pages::playlists::list).post(pages::playlists::create),
        )
        .route(
            "/playlists/{group}",
            get(pages::playlists::edit).post(pages::playlists::save),
        )
        .route("/publish", get(pages::publish::list))
        .route(
            "/publish/{group}/{number}",
            get(pages::publish::confirm).post(pages::publish::publish),
        )
        .route("/preview", get(pages::preview::show))
        .route("/preview.png", get(pages::preview::frame))
        .route("/data", get(pages::data::show))
        .route("/data/slide/{file}", get(pages::data::slide))
        .route("/audit", get(pages::audit::show))
        .route("/logout", post(pages::login::logout))
        .layer(middleware::from_fn_with_state(console.clone(), require_operator));
    Router::new()
        .route(
            "/login",
            get(pages::login::form)
                .post(pages::login::login)
                .layer(DefaultBodyLimit::max(bodies::LOGIN_LIMIT)),
        )
        .route("/static/console.css", get(stylesheet))
        .route("/api/report", post(api::report))
        .route("/c/{file}", get(api::group_config))
        .route("/healthz", get(|| async { "ok\n" }))
        .merge(protected)
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found\n") })
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new(bodies::Budget::default()),
            bodies::bounded,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(console)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        templates::STYLESHEET,
    )
        .into_response()
}

/// No framing (clickjacking), no inline script, no sniffing.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

/// Lets a request through only with a live session, and a POST only with
/// the session's CSRF token in its form; the operator goes into the
/// request for the handler.
async fn require_operator(State(console): State<Shared>, request: Request, next: Next) -> Response {
    let now = chrono::Utc::now().timestamp();
    let session = match auth::session_from(request.headers()) {
        Some(token) => {
            let hash = auth::token_hash(&token);
            db(&console, move |s| s.session(&hash, now)).await.ok().flatten()
        }
        None => None,
    };
    let Some(session) = session else {
        return Redirect::to("/login").into_response();
    };
    let operator = Operator {
        user: session.user,
        csrf: session.csrf,
    };
    let mut request = if request.method() == Method::POST {
        match with_checked_csrf(request, &operator.csrf).await {
            Ok(r) => r,
            Err(response) => return response,
        }
    } else {
        request
    };
    request.extensions_mut().insert(operator);
    next.run(request).await
}

/// The request with its body read back in, when its form's `csrf` field is
/// the session's token; else the refusal.
async fn with_checked_csrf(request: Request, expected: &str) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT).await.map_err(|e| {
        if super::bodies::timed_out(&e) {
            (StatusCode::REQUEST_TIMEOUT, "表单没有按时送达，请重试。\n").into_response()
        } else {
            (StatusCode::PAYLOAD_TOO_LARGE, "表单太大。\n").into_response()
        }
    })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let given = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    if !given.is_some_and(|g| auth::same_secret(g, expected)) {
        return Err((
            StatusCode::FORBIDDEN,
            "the form's CSRF token is missing or wrong: reload the page and try again\n",
        )
            .into_response());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
