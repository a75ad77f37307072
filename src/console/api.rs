//! The two endpoints screens call: `POST /api/report` (status JSON, or a
//! PNG screenshot when the console asked for one) and `GET /c/<group>.toml`
//! (the group's published config, with an ETag so an unchanged config costs
//! a 304). A report is authenticated before its body is read: the screen
//! names itself in `X-Rankwall-Screen` and proves it with its bearer token.

use super::{auth, db, shot, Shared};
use crate::status::reporter::SCREEN_HEADER;
use axum::body::{to_bytes, Body};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The largest status report (a `/status` document is ~2 KiB).
pub const MAX_REPORT_BYTES: usize = 256 * 1024;

/// The largest screenshot (a 4K frame as PNG is ~2–6 MiB).
pub const MAX_SCREENSHOT_BYTES: usize = 16 * 1024 * 1024;

/// While someone watches the 屏幕 page, a new screenshot when the last is
/// older than this (seconds); nobody watching, none unless asked.
const THUMB_EVERY: i64 = 300;

/// Watching means a 屏幕 page loaded within this many seconds.
const WATCHED_FOR: i64 = 600;

/// The refresh period to ask screenshots at now.
fn refresh(console: &Shared, now: i64) -> Option<i64> {
    let viewed = console
        .screens_viewed_at
        .load(std::sync::atomic::Ordering::Relaxed);
    (now - viewed < WATCHED_FOR).then_some(THUMB_EVERY)
}

pub(super) fn plain(code: StatusCode, text: &str) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{text}\n"),
    )
        .into_response()
}

/// `POST /api/report`.
pub async fn report(State(console): State<Shared>, headers: HeaderMap, body: Body) -> Response {
    let id = match screen_of(&console, &headers).await {
        Ok(id) => id,
        Err(response) => return response,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_png = content_type.starts_with("image/png");
    let limit = if is_png {
        MAX_SCREENSHOT_BYTES
    } else {
        MAX_REPORT_BYTES
    };
    // A screenshot is taken only when asked for, one per screen at a time
    // (claimed before the check, so parallel uploads cannot all pass it),
    // and read two at a time: a stolen token must not be able to fill the
    // console's memory.
    let (_receiving, _permit) = if is_png {
        let Some(receiving) = console.uploads.claim(&id) else {
            return plain(
                StatusCode::CONFLICT,
                "a screenshot from this screen is already being received",
            );
        };
        let now = chrono::Utc::now().timestamp();
        let due = db(&console, {
            let (owned, every) = (id.clone(), refresh(&console, now));
            move |s| s.screenshot_due(&owned, now, every)
        })
        .await
        .unwrap_or(false);
        if !(due && shot_allowed(&console, &id, now).await) {
            return plain(StatusCode::CONFLICT, "no screenshot was asked for");
        }
        match console.thumbnails.acquire().await {
            Ok(p) => (Some(receiving), Some(p)),
            Err(_) => return plain(StatusCode::SERVICE_UNAVAILABLE, "the console is shutting down"),
        }
    } else {
        (None, None)
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large(&console, &id, is_png, limit).await;
    }
    let bytes = match to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) if super::bodies::timed_out(&e) => return too_slow(&console, &id, is_png).await,
        Err(_) => return too_large(&console, &id, is_png, limit).await,
    };
    if is_png {
        return screenshot(&console, id, bytes.to_vec()).await;
    }
    if !content_type.starts_with("application/json") {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send application/json or image/png",
        );
    }
    status(&console, id, &bytes).await
}

/// Checks the screen's token; the refusal (401, counted by reason) otherwise.
/// The screen a request names in `X-Rankwall-Screen`, authenticated by its
/// bearer token; the refusal otherwise.
pub(super) async fn screen_of(console: &Shared, headers: &HeaderMap) -> Result<String, Response> {
    let Some(id) = headers.get(SCREEN_HEADER).and_then(|v| v.to_str().ok()) else {
        return Err(plain(
            StatusCode::BAD_REQUEST,
            "name the screen in the X-Rankwall-Screen header",
        ));
    };
    authenticate(console, id, headers).await?;
    Ok(id.to_string())
}

async fn authenticate(console: &Shared, id: &str, headers: &HeaderMap) -> Result<(), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    let owned = id.to_string();
    let stored = db(console, move |s| s.screen_token_hash(&owned)).await;
    let reason = match stored {
        Err(e) => {
            tracing::error!("console report: {e}");
            return Err(plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the console's database failed",
            ));
        }
        Ok(None) => "unknown_screen",
        Ok(Some(hash)) if hash.is_empty() => "removed_screen",
        Ok(Some(hash)) if auth::same_secret(&auth::token_hash(&token), &hash) && !token.is_empty() => {
            return Ok(())
        }
        Ok(Some(_)) => "wrong_token",
    };
    if should_log(console, reason) {
        tracing::warn!(screen = ?crate::config::quoted(id), reason, "report refused (logged at most once a minute per reason; the 屏幕 page counts them all)");
    }
    let _ = db(console, move |s| s.count_rejected(reason)).await;
    let mut r = plain(StatusCode::UNAUTHORIZED, "unknown screen or wrong token");
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    Err(r)
}

/// Whether a refusal for `reason` may be logged now (once a minute each).
fn should_log(console: &Shared, reason: &'static str) -> bool {
    let mut logged = console
        .refusals_logged
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = std::time::Instant::now();
    let due = logged
        .get(reason)
        .is_none_or(|t| now.duration_since(*t) >= std::time::Duration::from_secs(60));
    if due {
        logged.insert(reason, now);
    }
    due
}

/// Refuses a report over `limit` (413); an oversized screenshot also clears
/// its request, so the screen does not send it again at every report.
async fn too_large(console: &Shared, id: &str, is_png: bool, limit: usize) -> Response {
    upload_failed(console, id, is_png).await;
    let _ = db(console, |s| s.count_rejected("too_large")).await;
    plain(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("the report is larger than {limit} bytes"),
    )
}

/// The refusal of a report whose body did not arrive within its deadline.
async fn too_slow(console: &Shared, id: &str, is_png: bool) -> Response {
    upload_failed(console, id, is_png).await;
    let _ = db(console, |s| s.count_rejected("too_slow")).await;
    plain(StatusCode::REQUEST_TIMEOUT, "the report did not arrive in time")
}

/// A screenshot that did not arrive: the request is cleared, so the screen
/// does not send it again at once, and the screen waits before the next.
async fn upload_failed(console: &Shared, id: &str, is_png: bool) {
    if is_png {
        console.uploads.failed(id, chrono::Utc::now().timestamp());
        let owned = id.to_string();
        let _ = db(console, move |s| s.clear_screenshot_request(&owned)).await;
    }
}

/// Keeps a status report; the reply says whether a screenshot is wanted.
async fn status(console: &Shared, id: String, bytes: &[u8]) -> Response {
    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(bytes);
    let Ok(mut value @ serde_json::Value::Object(_)) = parsed else {
        return plain(StatusCode::BAD_REQUEST, "the report is not a JSON object");
    };
    let played = played_lines(&mut value);
    let text = value.to_string();
    let now = chrono::Utc::now().timestamp();
    let every = refresh(console, now);
    let owned = id.clone();
    let saved = db(console, move |s| {
        let due = s.save_report(&owned, &text, now, every)?;
        if let Some(group) = s.screen_group(&owned)?.filter(|_| !played.is_empty()) {
            s.save_plays(&owned, &group, &played)?;
        }
        Ok(due)
    });
    match saved.await {
        Ok(due) => {
            let wanted = due && shot_allowed(console, &id, now).await;
            axum::Json(serde_json::json!({ "screenshot": wanted })).into_response()
        }
        Err(e) => {
            tracing::error!("console report: {e}");
            plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed")
        }
    }
}

/// The most proof-of-play lines one report may carry (a screen sends at
/// most `status::played_queue::PER_REPORT`); lines beyond are not kept.
const MAX_PLAYED_LINES: usize = 1000;

/// Takes the proof-of-play lines out of a report (they are kept in their
/// own table, not in the report shown on the 屏幕 page). A line that does
/// not read as one is left out.
fn played_lines(report: &mut serde_json::Value) -> Vec<crate::status::PlayedLine> {
    let Some(serde_json::Value::Array(lines)) = report.as_object_mut().and_then(|o| o.remove("played"))
    else {
        return Vec::new();
    };
    lines
        .into_iter()
        .take(MAX_PLAYED_LINES)
        .filter_map(|l| serde_json::from_value::<crate::status::PlayedLine>(l).ok())
        .filter(|l| l.seconds.is_finite() && l.seconds >= 0.0)
        .collect()
}

/// Whether a screen whose screenshot is due may send it: not when its last
/// upload failed within the refresh period, unless an operator asked since.
async fn shot_allowed(console: &Shared, id: &str, now: i64) -> bool {
    if !console.uploads.failed_recently(id, now, THUMB_EVERY) {
        return true;
    }
    let owned = id.to_string();
    db(console, move |s| s.screenshot_asked(&owned))
        .await
        .unwrap_or(false)
}

/// Keeps a screenshot as a thumbnail. A screenshot that cannot be one
/// clears the request, so the screen does not send it again at every report.
async fn screenshot(console: &Shared, id: String, png: Vec<u8>) -> Response {
    let thumb = tokio::task::spawn_blocking(move || shot::thumbnail(&png).map(|t| (t, png))).await;
    let now = chrono::Utc::now().timestamp();
    let thumb = match thumb {
        Ok(Ok(thumb)) => thumb,
        Ok(Err(e)) => return shot_refused(console, &id, now, &e.to_string()).await,
        Err(e) => return shot_refused(console, &id, now, &format!("the thumbnail task failed: {e}")).await,
    };
    console.uploads.succeeded(&id);
    let (thumb, png) = thumb;
    match db(console, move |s| s.save_thumbnail(&id, (&thumb, &png), now)).await {
        Ok(()) => axum::Json(serde_json::json!({ "screenshot": false })).into_response(),
        Err(e) => {
            tracing::error!("console screenshot: {e}");
            plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed")
        }
    }
}

/// Refuses a screenshot (400, the reason said) and clears its request.
async fn shot_refused(console: &Shared, id: &str, now: i64, why: &str) -> Response {
    console.uploads.failed(id, now);
    let owned = id.to_string();
    let _ = db(console, move |s| s.clear_screenshot_request(&owned)).await;
    let _ = db(console, |s| s.count_rejected("bad_screenshot")).await;
    if should_log(console, "bad_screenshot") {
        tracing::warn!(screen = ?crate::config::quoted(id), "screenshot refused (logged at most once a minute): {why}");
    }
    plain(StatusCode::BAD_REQUEST, why)
}

/// `GET /c/<group>.toml`: the published version, or 304 when the screen has it.
pub async fn group_config(
    State(console): State<Shared>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(group) = file.strip_suffix(".toml").map(str::to_string) else {
        return plain(StatusCode::NOT_FOUND, "configs are at /c/<group>.toml");
    };
    published_config(&console, group, &headers).await
}

/// `GET /c/screen/<id>.toml`: the published version of the group the screen
/// is in now, so that moving a screen in the console moves what it plays at
/// its next fetch (a group's own URL names the group for good).
pub async fn screen_config(
    State(console): State<Shared>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = file.strip_suffix(".toml").map(str::to_string) else {
        return plain(StatusCode::NOT_FOUND, "configs are at /c/screen/<id>.toml");
    };
    match db(&console, move |s| s.screen_group(&id)).await {
        Ok(Some(group)) => published_config(&console, group, &headers).await,
        Ok(None) => plain(
            StatusCode::NOT_FOUND,
            "no such screen (never enrolled, or removed)",
        ),
        Err(e) => {
            tracing::error!("console config: {e}");
            plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed")
        }
    }
}

/// The published version of `group`, or 304 when the screen has it.
async fn published_config(console: &Shared, group: String, headers: &HeaderMap) -> Response {
    let shown = group.clone();
    let version = match db(console, move |s| s.published(&group)).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return plain(
                StatusCode::NOT_FOUND,
                &format!("group {shown} has no published playlist"),
            )
        }
        Err(e) => {
            tracing::error!("console config: {e}");
            return plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed");
        }
    };
    let etag = format!("\"{}\"", version.sha256);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        StatusCode::OK,
        common,
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        version.text,
    )
        .into_response()
}
