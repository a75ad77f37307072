//! 告警 (管理员 only): how long a screen may be 离线, 异常 or 数据过期
//! before an alert, where alerts are posted (a webhook: rankwall's JSON, a
//! 企业微信 or 钉钉 group robot), a 测试 button, and the latest alerts
//! with how their delivery went. Changes are audited.

use super::super::alerts::{send_mail, send_test, Notice};
use super::super::operator::Operator;
use super::super::store::{AlertSettings, MailSecurity, MailSettings, WebhookFormat};
use super::super::{db, Shared};
use super::{audit, db_failed, page, page_with};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::json;
use std::collections::HashMap;

/// Alerts the page lists.
const SHOWN: i64 = 100;
/// The shortest threshold an admin may set: a screen restarting, or a
/// link dropping for a minute, is not worth waking anyone.
const MIN_THRESHOLD_MINUTES: i64 = 1;

/// `?saved=1` or `?tested=ok|<error>` after a post.
#[derive(serde::Deserialize)]
pub struct Done {
    saved: Option<String>,
}

/// `GET /alerts`.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(done): Query<Done>,
) -> Response {
    let mut context = json!({ "saved": done.saved.is_some() });
    render(&console, &op, StatusCode::OK, &mut context).await
}

async fn render(
    console: &Shared,
    op: &Operator,
    status: StatusCode,
    context: &mut serde_json::Value,
) -> Response {
    let loaded = db(console, |s| Ok((s.alert_settings()?, s.recent_alerts(SHOWN)?))).await;
    let (settings, alerts) = match loaded {
        Ok(l) => l,
        Err(e) => return db_failed(console, op, &e),
    };
    let rows: Vec<_> = alerts
        .iter()
        .map(|a| {
            json!({
                "at": chrono::DateTime::from_timestamp(a.at, 0)
                    .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string()),
                "screen": a.screen_id, "kind": kind_text(&a.kind), "text": a.text,
                "status": status_text(&a.status, a.attempts), "failed": a.status == "failed",
                "error": a.error,
                "mail": a.mail_status.as_deref().map(|m| status_text(m, 1)), "mail_error": a.mail_error,
            })
        })
        .collect();
    context["title"] = json!("告警");
    if context.get("form").is_none() {
        context["form"] = form_of(&settings);
    }
    context["alerts"] = json!(rows);
    if status == StatusCode::OK {
        page(console, op, "alerts", "alerts.html", context.clone())
    } else {
        page_with(console, op, "alerts", "alerts.html", status, context)
    }
}

fn kind_text(kind: &str) -> &str {
    match kind {
        "down" => "告警",
        "up" => "恢复",
        "test" => "测试",
        other => other,
    }
}

fn status_text(status: &str, attempts: i64) -> String {
    match status {
        "sent" if attempts > 1 => format!("已送达（第 {attempts} 次）"),
        "sent" => "已送达".into(),
        "failed" => format!("失败（试了 {attempts} 次）"),
        "unset" => "未设置 Webhook，仅记录".into(),
        _ => "发送中".into(),
    }
}

/// The settings a form carries, or what is wrong with it, in Chinese.
fn settings_of(
    fields: &HashMap<String, String>,
    stored: Option<&MailSettings>,
) -> Result<AlertSettings, &'static str> {
    let field = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let minutes: i64 = field("minutes")
        .parse()
        .map_err(|_| "告警时限应为分钟数，如 5。")?;
    if !(MIN_THRESHOLD_MINUTES..=24 * 60).contains(&minutes) {
        return Err("告警时限应在 1 到 1440 分钟之间。");
    }
    let url = field("webhook");
    let web = url.starts_with("https://") || url.starts_with("http://");
    if !(url.is_empty() || web) || url.len() > 2000 {
        return Err("Webhook 地址应以 https:// 开头（最多 2000 个字符）。");
    }
    Ok(AlertSettings {
        threshold_secs: minutes * 60,
        webhook_url: (!url.is_empty()).then(|| url.to_string()),
        format: WebhookFormat::parse(field("format")),
        mail: mail_of(&field, stored)?,
    })
}

/// The mail settings a form carries (none when the server is left empty);
/// a password left empty keeps the stored one.
fn mail_of<'a>(
    field: &impl Fn(&str) -> &'a str,
    stored: Option<&MailSettings>,
) -> Result<Option<MailSettings>, &'static str> {
    let host = field("smtp_host");
    if host.is_empty() {
        return Ok(None);
    }
    let security = MailSecurity::parse(field("smtp_security"));
    let local = matches!(host, "localhost" | "127.0.0.1" | "::1");
    if security == MailSecurity::None && !local {
        return Err("不加密的邮件只能发给本机的邮件中继（localhost）：请选择 STARTTLS 或 SSL/TLS。");
    }
    let port: u16 = field("smtp_port")
        .parse()
        .map_err(|_| "邮件服务器端口应为数字，如 587。")?;
    let address = |a: &str| a.parse::<lettre::Address>().is_ok();
    let from = field("smtp_from");
    if !address(from) {
        return Err("请填写正确的发件人地址，如 rankwall@example.cn。");
    }
    let to: Vec<String> = field("smtp_to")
        .split([',', '，', ';', '；', ' ', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if to.is_empty() || !to.iter().all(|t| address(t)) || to.len() > 20 {
        return Err("请填写正确的收件人地址（最多 20 个，用逗号分开）。");
    }
    let password = match (field("smtp_password"), stored) {
        ("", Some(s)) => s.password.clone(),
        (p, _) => p.to_string(),
    };
    Ok(Some(MailSettings {
        host: host.to_string(),
        port,
        security,
        user: field("smtp_user").to_string(),
        password,
        from: from.to_string(),
        to,
    }))
}

/// `POST /alerts`: `action=save` keeps the settings; `action=test` posts a
/// test message with the settings in the form (saved or not) and says how
/// it went.
pub async fn change(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let stored = db(&console, |s| s.alert_settings())
        .await
        .ok()
        .and_then(|s| s.mail);
    let settings = match settings_of(&fields, stored.as_ref()) {
        Ok(s) => s,
        Err(why) => {
            let mut context = json!({ "error": why });
            return render(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, &mut context).await;
        }
    };
    if fields.get("action").map(String::as_str) == Some("test") {
        return test(&console, &op, &settings).await;
    }
    let kept = settings.clone();
    if let Err(e) = db(&console, move |s| s.set_alert_settings(&kept)).await {
        return db_failed(&console, &op, &e);
    }
    let target = settings
        .webhook_url
        .as_deref()
        .map_or("无".into(), crate::net::redact_url);
    let detail = format!(
        "告警时限 {} 分钟，Webhook {target}（{}），邮件 {}",
        settings.threshold_secs / 60,
        settings.format.as_str(),
        settings.mail.as_ref().map_or("无".into(), |m| format!(
            "{}:{} → {}",
            m.host,
            m.port,
            m.to.join("、")
        ))
    );
    audit(&console, &op.user, "alert_settings", detail).await;
    Redirect::to("/alerts?saved=1").into_response()
}

async fn test(console: &Shared, op: &Operator, settings: &AlertSettings) -> Response {
    if settings.webhook_url.is_none() && settings.mail.is_none() {
        let mut context = json!({ "error": "请先填写 Webhook 地址或邮件服务器，再发送测试消息。" });
        return render(console, op, StatusCode::UNPROCESSABLE_ENTITY, &mut context).await;
    }
    let now = chrono::Utc::now().timestamp();
    let text = "【rankwall 测试】这是一条测试告警：控制台的告警设置可以送达。".to_string();
    let owned = text.clone();
    let id = match db(console, move |s| s.add_alert(now, "-", "test", "测试", &owned)).await {
        Ok(id) => id,
        Err(e) => return db_failed(console, op, &e),
    };
    let notice = Notice {
        id,
        kind: "test",
        text,
        screen: json!({ "id": "-", "name": "测试", "group": "", "place": "", "state": "测试", "reason": "" }),
        at: now,
    };
    let mut said = Vec::new();
    let mut failed = false;
    if settings.webhook_url.is_some() {
        let result = send_test(settings, &notice).await;
        failed |= result.is_err();
        said.push(outcome("Webhook", &result));
        let (status, error) = status_of(result);
        let _ = db(console, move |s| {
            s.alert_delivery(id, status, 1, error.as_deref())
        })
        .await;
    } else {
        let _ = db(console, move |s| s.alert_delivery(id, "unset", 0, None)).await;
    }
    if let Some(mail) = &settings.mail {
        let result = send_mail(mail, &notice).await;
        failed |= result.is_err();
        said.push(outcome("邮件", &result));
        let (status, error) = status_of(result);
        let _ = db(console, move |s| {
            s.alert_mail_delivery(id, status, error.as_deref())
        })
        .await;
    }
    let said = said.join("；");
    audit(console, &op.user, "alert_test", format!("测试告警：{said}")).await;
    let mut context = if failed {
        json!({ "error": format!("测试消息没有全部送达：{said}") })
    } else {
        json!({ "tested": format!("测试消息已送达：{said}") })
    };
    context["form"] = form_of(settings);
    render(console, op, StatusCode::OK, &mut context).await
}

fn outcome(channel: &str, result: &Result<(), String>) -> String {
    match result {
        Ok(()) => format!("{channel}已送达"),
        Err(e) => format!("{channel}没有送达（{e}）"),
    }
}

fn status_of(result: Result<(), String>) -> (&'static str, Option<String>) {
    match result {
        Ok(()) => ("sent", None),
        Err(e) => ("failed", Some(e)),
    }
}

/// The form as the admin filled it in (the password never sent back).
fn form_of(s: &AlertSettings) -> serde_json::Value {
    let mail = s.mail.as_ref();
    json!({
        "minutes": s.threshold_secs / 60, "webhook": s.webhook_url, "format": s.format.as_str(),
        "smtp_host": mail.map(|m| m.host.clone()), "smtp_port": mail.map_or(587, |m| m.port),
        "smtp_security": mail.map_or("starttls", |m| m.security.as_str()),
        "smtp_user": mail.map(|m| m.user.clone()), "smtp_from": mail.map(|m| m.from.clone()),
        "smtp_to": mail.map(|m| m.to.join(", ")),
        "smtp_password_set": mail.is_some_and(|m| !m.password.is_empty()),
    })
}
