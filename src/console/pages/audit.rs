//! 审计: every login, enrolment, edit, publish and roll back, newest first.

use super::super::operator::Operator;
use super::super::{db, Shared};
use super::{db_failed, page};
use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use serde_json::json;

/// How many lines the page shows.
const SHOWN: i64 = 500;

/// `GET /audit`.
pub async fn show(State(console): State<Shared>, Extension(op): Extension<Operator>) -> Response {
    let rows = match db(&console, |s| s.audit_trail(SHOWN)).await {
        Ok(r) => r,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let labels = json!({
        "login": "登录", "login_failed": "登录失败", "logout": "退出", "enrol": "添加屏幕",
        "edit": "修改节目单", "edit_refused": "修改被拒绝（有错误）", "publish": "发布",
        "rollback": "回滚", "screenshot": "请求截图", "user": "设置操作员",
        "user_add": "添加操作员", "user_role": "更改角色", "user_disable": "停用操作员",
        "user_enable": "启用操作员", "user_password": "重置密码", "screen_rename": "屏幕改名",
        "screen_move": "移动屏幕", "screen_remove": "移除屏幕", "screen_token": "换发令牌",
        "emergency": "紧急插播", "emergency_withdraw": "撤销插播",
        "command_reload": "重新加载配置", "command_restart": "重启程序",
        "alert_down": "屏幕告警", "alert_up": "屏幕恢复", "alert_settings": "告警设置",
        "alert_test": "测试告警", "plays_retention": "播放记录保留期",
        "feed_publish": "发布排名数据",
        "command_delivered_reload": "已送达：重新加载配置",
        "command_delivered_restart": "已送达：重启程序",
    });
    page(
        &console,
        &op,
        "audit",
        "audit.html",
        json!({"title": "审计", "rows": rows, "labels": labels}),
    )
}
