//! The console's routes. Everything but the login page, the stylesheet,
//! the screens' two endpoints and `/healthz` needs an operator's session;
//! every POST from a page must carry the session's CSRF token. Both are
//! checked in one middleware, so a new page cannot forget them.

use super::operator::Operator;
use super::{access, api, auth, bodies, db, pages, templates, Shared};
use axum::body::{to_bytes, Body};
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::request::Parts;
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
        .route("/screens/{id}/shot.png", get(pages::screens::screenshot))
        .route("/screens/{id}/command", post(pages::remote::screen))
        .route("/groups/{group}/command", post(pages::remote::group))
        .route("/screens/{id}/{action}", post(pages::screen_admin::change))
        .route("/users", get(pages::users::list).post(pages::users::add))
        .route("/alerts", get(pages::alerts::show).post(pages::alerts::change))
        .route("/users/{name}/{action}", post(pages::users::change))
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
        .route("/preview/message.png", get(pages::preview::message))
        .route("/data", get(pages::data::show))
        .route("/data/slide/{file}", get(pages::data::slide))
        .route("/audit", get(pages::audit::show))
        .route("/calendar", get(pages::calendar::show))
        .route("/plays", get(pages::plays::show))
        .route("/plays.csv", get(pages::plays::csv))
        .route("/plays/retention", post(pages::plays::retention))
        .route(
            "/emergency",
            get(pages::emergency::show).post(pages::emergency::publish),
        )
        .route("/emergency/withdraw", post(pages::emergency::withdraw))
        .route("/entry", get(pages::entry::show))
        .route("/entry/template.xlsx", get(pages::entry::template))
        .route(
            "/entry/check",
            post(pages::entry::check).layer(DefaultBodyLimit::max(bodies::SHEETS_LIMIT)),
        )
        .route("/entry/draft/{id}/{file}", get(pages::entry::draft_page))
        .route("/entry/publish", post(pages::entry::publish_draft))
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
        .route("/static/console.js", get(script))
        .route("/api/report", post(api::report))
        .route("/api/wait", get(super::push::wait))
        .route("/feed.json", get(super::published::feed))
        .route("/feed.json.sig", get(super::published::signature))
        .route("/c/{file}", get(api::group_config))
        .route("/c/screen/{file}", get(api::screen_config))
        .route("/healthz", get(|| async { "ok\n" }))
        // No icon: an empty answer the browser caches, not a 404 in every log.
        .route(
            "/favicon.ico",
            get(|| async { (StatusCode::NO_CONTENT, [(header::CACHE_CONTROL, "max-age=86400")]) }),
        )
        .merge(protected)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(middleware::from_fn_with_state(
            std::sync::Arc::new(bodies::Budget::default()),
            bodies::bounded,
        ))
        .layer(middleware::from_fn_with_state(
            console.clone(),
            super::refusals::as_pages,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(console)
}

/// Any path the console does not have: a page in the console's look.
async fn not_found(State(console): State<Shared>) -> Response {
    let context =
        serde_json::json!({"title": "找不到页面", "message": "没有这个页面：地址可能有误，或页面已移走。"});
    console
        .templates
        .page(StatusCode::NOT_FOUND, "error.html", &context)
}

/// The one script: drag and drop for the playlist form (the pages work
/// without it; ↑/↓ buttons are the keyboard's way).
async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        templates::SCRIPT,
    )
        .into_response()
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
        // Back to the page asked for after logging in (a GET only: a form
        // posted without a session is not replayed).
        let next = match request.method() {
            &Method::GET => request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/"),
            _ => "/",
        };
        let to = match next {
            "/" => "/login".to_string(),
            next => format!("/login?next={}", pages::encode_segment(next)),
        };
        return Redirect::to(&to).into_response();
    };
    let operator = Operator {
        user: session.user,
        csrf: session.csrf,
        role: session.role,
    };
    // Only what the role check reads, so that no reference to the request
    // (whose body is not `Sync`) lives across its awaits.
    let (mut parts, ()) = Request::new(()).into_parts();
    parts.method = request.method().clone();
    parts.uri = request.uri().clone();
    parts.extensions = request.extensions().clone();
    if let Err(refused) = check_role(&console, &operator, parts).await {
        return refused;
    }
    let mut request = if request.method() == Method::POST {
        match with_checked_csrf(&console, &operator, request).await {
            Ok(r) => r,
            Err(response) => return response,
        }
    } else {
        request
    };
    request.extensions_mut().insert(operator);
    next.run(request).await
}

/// Refuses (403, a page in the console's look) a request the operator's
/// role does not allow; see [`access`].
async fn check_role(console: &Shared, operator: &Operator, mut parts: Parts) -> Result<(), Response> {
    let template = MatchedPath::from_request_parts(&mut parts, &())
        .await
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let params = RawPathParams::from_request_parts(&mut parts, &()).await.ok();
    let param = |name: &str| {
        params
            .as_ref()
            .and_then(|p| p.iter().find(|(k, _)| *k == name).map(|(_, v)| v))
    };
    let need = access::need(&parts.method, &template, param);
    let screen_group = match &need {
        access::Need::Screen(id) => {
            let id = id.clone();
            db(console, move |s| s.screen_group(&id)).await.ok().flatten()
        }
        _ => None,
    };
    if access::allows(&operator.role, &need, screen_group.as_deref()) {
        return Ok(());
    }
    Err(pages::error_page(
        console,
        operator,
        StatusCode::FORBIDDEN,
        &format!(
            "你的账号是“{}”，不能做这件事。需要时请联系管理员。",
            operator.role.label()
        ),
    ))
}

/// The request with its body read back in, when its form's `csrf` field is
/// the session's token; else the refusal, as a page in the console's look.
async fn with_checked_csrf(
    console: &Shared,
    operator: &Operator,
    request: Request,
) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let refused = |code, message| pages::error_page(console, operator, code, message);
    let multipart = (parts.headers.get(header::CONTENT_TYPE))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        // An upload is not read here (its files may be many MiB): its form
        // carries the token in its address instead.
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or_default()).unwrap_or_default();
        let given = query.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
        if !given.is_some_and(|g| auth::same_secret(g, &operator.csrf)) {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "表单已过期或不是从本控制台提交的：请刷新页面后再试。",
            ));
        }
        return Ok(Request::from_parts(parts, body));
    }
    let bytes = match to_bytes(body, FORM_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) if super::bodies::timed_out(&e) => {
            return Err(refused(StatusCode::REQUEST_TIMEOUT, "表单没有按时送达，请重试。"))
        }
        Err(_) => return Err(refused(StatusCode::PAYLOAD_TOO_LARGE, "表单太大。")),
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let given = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    if !given.is_some_and(|g| auth::same_secret(g, &operator.csrf)) {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "表单已过期或不是从本控制台提交的：请刷新页面后再试。",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
