//! A 管理员's tools for one screen on the 屏幕 page: rename it (and say
//! where it stands), move it to another group, remove it (its token is
//! refused from that moment), or give it a new token (the old one is
//! refused at once; the new one is shown once with its `[report]` section).
//! Each is audited.

use super::super::operator::Operator;
use super::super::store::{Enrolment, StoreError};
use super::super::{auth, db, Shared};
use super::{audit, db_failed, error_page, screens};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use std::collections::HashMap;

/// `POST /screens/<id>/<action>`: `rename`, `move`, `remove`, `token`.
pub async fn change(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path((id, action)): Path<(String, String)>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| fields.get(name).map_or("", |v| v.trim()).to_string();
    let owned = id.clone();
    let screen = match db(&console, move |s| {
        Ok(s.screens()?.into_iter().find(|r| r.id == owned))
    })
    .await
    {
        Ok(Some(screen)) if screen.removed_at.is_none() => screen,
        Ok(_) => {
            return error_page(
                &console,
                &op,
                StatusCode::NOT_FOUND,
                "没有这块屏幕，或它已被移除。",
            )
        }
        Err(e) => return db_failed(&console, &op, &e),
    };
    let n = id.clone();
    let (detail, result) = match action.as_str() {
        "rename" => {
            let (name, place) = (field("name"), field("place"));
            if name.is_empty() || !super::one_line(&name, 100) || !super::one_line(&place, 200) {
                return error_page(
                    &console,
                    &op,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "名称不能为空（一行，最多 100 个字），位置最多 200 个字。",
                );
            }
            let text = format!("屏幕 {id} 改名为“{name}”，位置“{place}”");
            (
                text,
                db(&console, move |s| s.rename_screen(&n, &name, &place)).await,
            )
        }
        "move" => {
            let group = field("group");
            if !super::group_names(&console).await.contains(&group) {
                return error_page(
                    &console,
                    &op,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "没有这个分组：请先在“节目单”页新建分组。",
                );
            }
            let text = format!("屏幕 {id} 从分组 {} 移到分组 {group}", screen.group);
            (text, db(&console, move |s| s.move_screen(&n, &group)).await)
        }
        "remove" => {
            let now = chrono::Utc::now().timestamp();
            let text = format!("移除屏幕 {id}（{}），其令牌立即失效", screen.name);
            (text, db(&console, move |s| s.remove_screen(&n, now)).await)
        }
        "token" => return new_token(&console, &op, screen).await,
        _ => return error_page(&console, &op, StatusCode::NOT_FOUND, "没有这个操作。"),
    };
    match result {
        Ok(()) => {
            audit(&console, &op.user, action_name(&action), detail).await;
            Redirect::to("/").into_response()
        }
        Err(StoreError::Missing(_)) => error_page(
            &console,
            &op,
            StatusCode::NOT_FOUND,
            "没有这块屏幕，或它已被移除。",
        ),
        Err(e) => db_failed(&console, &op, &e),
    }
}

/// Replaces the screen's token and shows the new one, once.
async fn new_token(console: &Shared, op: &Operator, screen: super::super::store::ScreenRow) -> Response {
    let token = match auth::random_token() {
        Ok(token) => token,
        Err(e) => return super::no_randomness(console, op, &e),
    };
    let (hash, id) = (auth::token_hash(&token), screen.id.clone());
    if let Err(e) = db(console, move |s| s.replace_token(&id, &hash)).await {
        return db_failed(console, op, &e);
    }
    audit(
        console,
        &op.user,
        "screen_token",
        format!("为屏幕 {} 换发令牌，旧令牌立即失效", screen.id),
    )
    .await;
    let interval = screen
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
        .and_then(|r| r["report_interval_secs"].as_u64())
        .unwrap_or(60);
    let enrolment = Enrolment {
        id: screen.id,
        name: screen.name,
        group: screen.group,
        place: screen.place,
    };
    screens::enrolled_page(console, op, &enrolment, &token, interval, "新令牌")
}

fn action_name(action: &str) -> &'static str {
    match action {
        "rename" => "screen_rename",
        "move" => "screen_move",
        _ => "screen_remove",
    }
}
