//! Remote actions on the 屏幕 page: 重新加载配置 (the screen fetches its
//! config now) and 重启程序 (the screen leaves and systemd starts it again),
//! for one screen or every screen of a group. Each is queued on the screen's
//! row, sent on its push channel at once when it is connected or when it
//! next connects, and audited when asked and when sent. The access table
//! lets only a 管理员 or the group's 编辑 ask; 只读 operators are refused.

use super::super::operator::Operator;
use super::super::store::Command;
use super::super::{db, Shared};
use super::screens::urlencode;
use super::{audit, db_failed, error_page};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use std::collections::HashMap;

/// `POST /screens/<id>/command` with `command=reload|restart`.
pub async fn screen(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let Some(command) = command_of(&fields) else {
        return unknown(&console, &op);
    };
    let ids = vec![id.clone()];
    let what = format!("屏幕 {id}");
    queue(&console, &op, ids, command, &what, "").await
}

/// `POST /groups/<group>/command` with `command=reload|restart`: every
/// screen of the group.
pub async fn group(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path(group): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let Some(command) = command_of(&fields) else {
        return unknown(&console, &op);
    };
    let owned = group.clone();
    let ids = match db(&console, move |s| s.screens_in_group(&owned)).await {
        Ok(ids) => ids,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let what = format!("分组“{group}”的 {} 块屏幕", ids.len());
    queue(
        &console,
        &op,
        ids,
        command,
        &what,
        &format!("&group={}", urlencode(&group)),
    )
    .await
}

fn command_of(fields: &HashMap<String, String>) -> Option<Command> {
    fields.get("command").and_then(|c| Command::parse(c.trim()))
}

fn unknown(console: &Shared, op: &Operator) -> Response {
    error_page(
        console,
        op,
        StatusCode::UNPROCESSABLE_ENTITY,
        "请选择“重新加载配置”或“重启程序”。",
    )
}

/// Queues `command` for `ids`, wakes the waiting screens, audits, and goes
/// back to the 屏幕 page with an acknowledgement.
async fn queue(
    console: &Shared,
    op: &Operator,
    ids: Vec<String>,
    command: Command,
    what: &str,
    back: &str,
) -> Response {
    let kept = match db(console, move |s| s.queue_command(&ids, command)).await {
        Ok(kept) => kept,
        Err(e) => return db_failed(console, op, &e),
    };
    if kept.is_empty() {
        return error_page(
            console,
            op,
            StatusCode::NOT_FOUND,
            "没有可以操作的屏幕（不存在或已被移除）。",
        );
    }
    console.announce_publish();
    let action = match command {
        Command::Reload => "command_reload",
        Command::Restart => "command_restart",
    };
    audit(
        console,
        &op.user,
        action,
        format!("对{what}：{}", command.label()),
    )
    .await;
    let to = format!("/?sent={}&n={}{back}", command.as_str(), kept.len());
    Redirect::to(&to).into_response()
}
