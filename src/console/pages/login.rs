//! Logging in and out. Failed attempts are rate-limited per name and per
//! address and audited; a good one gets a fresh session and CSRF token.

use super::super::operator::Operator;
use super::super::{auth, db, Shared};
use super::audit;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::json;
use std::net::SocketAddr;

/// The login form's fields.
#[derive(serde::Deserialize)]
pub struct Login {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The page to go to after logging in.
    #[serde(default)]
    next: String,
}

/// The login page's query: where to go after, or that the operator just left.
#[derive(serde::Deserialize)]
pub struct Arrival {
    #[serde(default)]
    next: String,
    #[serde(default)]
    bye: Option<String>,
}

/// `GET /login`.
pub async fn form(State(console): State<Shared>, Query(q): Query<Arrival>) -> Response {
    let context = json!({ "title": "登录", "next": local_path(&q.next), "bye": q.bye.is_some() });
    console.templates.page(StatusCode::OK, "login.html", &context)
}

/// `next` when it is a path of this console (not `//host`, not a URL), else `/`.
fn local_path(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local {
        next
    } else {
        "/"
    }
}

/// The login page again with `error`, keeping the page asked for (`next`)
/// so that a mistyped password does not lose the operator's link.
fn refused(console: &Shared, next: &str, code: StatusCode, username: &str, error: &str) -> Response {
    let context = json!({ "title": "登录", "error": error, "username": username, "next": local_path(next) });
    console.templates.page(code, "login.html", &context)
}

/// `POST /login`.
pub async fn login(
    State(console): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Login>,
) -> Response {
    if !auth::same_origin(&headers) {
        return refused(
            &console,
            &form.next,
            StatusCode::FORBIDDEN,
            "",
            "请从本控制台的登录页登录。",
        );
    }
    let user = form.username.trim().to_string();
    if user.is_empty() || user.chars().count() > auth::MAX_NAME_CHARS {
        return refused(
            &console,
            &form.next,
            StatusCode::UNAUTHORIZED,
            "",
            "用户名或密码不对。",
        );
    }
    let peer_ip = auth::peer_key(peer.ip());
    if let Some(wait) = console.logins.attempt(&user, &peer_ip) {
        let secs = u64::try_from(wait.as_millis().div_ceil(1000))
            .unwrap_or(u64::MAX)
            .max(1);
        let when = if secs < 60 {
            format!("{secs} 秒")
        } else {
            format!("{} 分钟", secs.div_ceil(60))
        };
        let mut r = refused(
            &console,
            &form.next,
            StatusCode::TOO_MANY_REQUESTS,
            &user,
            &format!("失败次数过多，请 {when}后再试。"),
        );
        if let Ok(v) = secs.to_string().parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    let Ok(_permit) = console.verifications.acquire().await else {
        return refused(
            &console,
            &form.next,
            StatusCode::SERVICE_UNAVAILABLE,
            &user,
            "控制台正在关闭。",
        );
    };
    let name = user.clone();
    let stored = db(&console, move |s| s.password_hash(&name)).await.ok().flatten();
    let password = form.password;
    let ok = tokio::task::spawn_blocking(move || {
        // An unknown name costs the same argon2 work as a wrong password.
        let hash = stored.as_deref().unwrap_or(auth::decoy_hash());
        auth::verify_password(&password, hash) && stored.is_some()
    })
    .await
    .unwrap_or(false);
    if !ok {
        audit(&console, &user, "login_failed", format!("来自 {}", peer.ip())).await;
        return refused(
            &console,
            &form.next,
            StatusCode::UNAUTHORIZED,
            &user,
            "用户名或密码不对。",
        );
    }
    console.logins.succeeded(&user, &peer_ip);
    let (token, csrf) = match (auth::random_token(), auth::random_token()) {
        (Ok(token), Ok(csrf)) => (token, csrf),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(user = %user, "console login refused: {e}");
            return refused(
                &console,
                &form.next,
                StatusCode::INTERNAL_SERVER_ERROR,
                &user,
                super::NO_RANDOMNESS,
            );
        }
    };
    let expires = chrono::Utc::now().timestamp() + console.options.session_ttl.as_secs() as i64;
    let (hash, name) = (auth::token_hash(&token), user.clone());
    if let Err(e) = db(&console, move |s| s.add_session(&hash, &name, &csrf, expires)).await {
        tracing::error!("console login: {e}");
        return refused(
            &console,
            &form.next,
            StatusCode::SERVICE_UNAVAILABLE,
            &user,
            "数据库出错，请稍后再试。",
        );
    }
    audit(&console, &user, "login", format!("来自 {}", peer.ip())).await;
    let cookie = auth::session_cookie(&token, console.options.session_ttl, console.secure);
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(local_path(&form.next)),
    )
        .into_response()
}

/// `POST /logout`.
pub async fn logout(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = auth::session_from(&headers) {
        let hash = auth::token_hash(&token);
        let _ = db(&console, move |s| s.remove_session(&hash)).await;
    }
    audit(&console, &op.user, "logout", String::new()).await;
    (
        [(header::SET_COOKIE, auth::cleared_cookie(console.secure))],
        Redirect::to("/login?bye=1"),
    )
        .into_response()
}
