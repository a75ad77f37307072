//! `GET /api/wait`: the screens' push channel. A screen holds one request,
//! authenticated as its reports are (`X-Rankwall-Screen` and its bearer
//! token), naming the SHA-256 of the config it plays; the console answers
//! `{"changed": true}` as soon as the published version of the screen's
//! group is another (at once when it already is), and `{"changed": false}`
//! after [`MAX_WAIT`] otherwise, and the screen asks again. On a change the
//! screen fetches its config at once: an emergency reaches it in the time a
//! fetch takes, not at its next poll. A remote action an operator queued for
//! the screen (重新加载配置, 重启程序) is answered the same way, as
//! `{"changed": false, "command": "reload" | "restart"}`, and taken off the
//! queue as it is sent.

use super::api::{plain, screen_of};
use super::store::Command;
use super::{db, Shared};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The longest a request is held: under the listener's connection lifetime
/// the proxies' usual read timeout (60 s) and the screen's own read timeout (20 s).
pub const MAX_WAIT: Duration = Duration::from_secs(15);

/// `?sha=<the config's SHA-256>&wait=<seconds, at most 15>`.
#[derive(serde::Deserialize)]
pub struct Ask {
    #[serde(default)]
    sha: String,
    wait: Option<u64>,
}

/// `GET /api/wait`.
pub async fn wait(State(console): State<Shared>, headers: HeaderMap, Query(ask): Query<Ask>) -> Response {
    let id = match screen_of(&console, &headers).await {
        Ok(id) => id,
        Err(response) => return response,
    };
    // Subscribed before the first look, so a publish in between is not missed.
    let mut published = console.published.subscribe();
    let limit = ask.wait.map_or(MAX_WAIT, Duration::from_secs).min(MAX_WAIT);
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match take_command(&console, &id).await {
            Ok(Some(command)) => return delivered(&console, &id, command).await,
            Ok(None) => {}
            Err(response) => return response,
        }
        match current_sha(&console, &id).await {
            Ok(Some(sha)) if sha != ask.sha => return answer(true),
            Ok(_) => {}
            Err(response) => return response,
        }
        match tokio::time::timeout_at(deadline, published.changed()).await {
            Ok(Ok(())) => continue,
            // The deadline, or the console shutting down.
            _ => return answer(false),
        }
    }
}

/// The remote action waiting for the screen, taken off the queue.
async fn take_command(console: &Shared, id: &str) -> Result<Option<Command>, Response> {
    let owned = id.to_string();
    db(console, move |s| s.take_command(&owned)).await.map_err(|e| {
        tracing::error!("console wait: {e}");
        plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed")
    })
}

/// Sends `command` to the screen, and says so in the audit trail.
async fn delivered(console: &Shared, id: &str, command: Command) -> Response {
    let detail = format!("{}已送达屏幕 {id}", command.label());
    let (owned, action) = (id.to_string(), command_action(command));
    if let Err(e) = db(console, move |s| s.audit(&owned, action, &detail)).await {
        tracing::error!("console audit trail: {e}");
    }
    axum::Json(serde_json::json!({ "changed": false, "command": command.as_str() })).into_response()
}

/// The audit trail's word for a delivered command.
fn command_action(command: Command) -> &'static str {
    match command {
        Command::Reload => "command_delivered_reload",
        Command::Restart => "command_delivered_restart",
    }
}

/// The SHA-256 of the version the screen's group publishes now.
async fn current_sha(console: &Shared, id: &str) -> Result<Option<String>, Response> {
    let owned = id.to_string();
    let found = db(console, move |s| {
        let Some(group) = s.screen_group(&owned)? else {
            return Ok(None);
        };
        Ok(s.published(&group)?.map(|v| v.sha256))
    })
    .await;
    found.map_err(|e| {
        tracing::error!("console wait: {e}");
        plain(StatusCode::SERVICE_UNAVAILABLE, "the console's database failed")
    })
}

fn answer(changed: bool) -> Response {
    axum::Json(serde_json::json!({ "changed": changed })).into_response()
}
