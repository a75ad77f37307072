//! 紧急插播: a message published at once to the playlists of the groups an
//! operator chooses, as a priority item that takes over every screen of
//! those groups until its end (or until 撤销), each group's change a new
//! version, published and audited like any other. Screens show it at their
//! next poll of the config.

use super::super::editor::{self, Emergency};
use super::super::operator::Operator;
use super::super::store::StoreError;
use super::super::{db, Shared};
use super::{audit, db_failed, error_page, page_with};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::{Local, NaiveDateTime, TimeZone};
use serde_json::{json, Value};

/// `GET /emergency`: the form, and what plays now in each group.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(q): Query<Done>,
) -> Response {
    let mut context = json!({"title": "紧急插播"});
    if let Some(n) = q.done {
        context["done"] = json!(format!("已插播到 {n} 个分组，在线的屏幕几秒内显示。"));
    }
    if let Some(group) = q.withdrawn {
        context["done"] = json!(format!(
            "已撤销分组 {group} 的紧急插播，在线的屏幕几秒内恢复原节目单。"
        ));
    }
    form_page(&console, &op, StatusCode::OK, &mut context).await
}

/// The banners a redirect after a change carries.
#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<usize>,
    withdrawn: Option<String>,
}

async fn form_page(console: &Shared, op: &Operator, code: StatusCode, context: &mut Value) -> Response {
    let groups = match db(console, |s| s.groups()).await {
        Ok(g) => g,
        Err(e) => return db_failed(console, op, &e),
    };
    let mut rows = Vec::new();
    for g in groups.iter().filter(|g| op.role.may_edit(&g.name)) {
        let name = g.name.clone();
        let text = db(console, move |s| s.published(&name))
            .await
            .ok()
            .flatten()
            .map(|v| v.text);
        let now: Vec<Value> = editor::emergencies(text.as_deref().unwrap_or(""))
            .into_iter()
            .map(|(title, until, banner)| {
                let until = if until.is_empty() {
                    "直到撤销".to_string()
                } else {
                    until
                };
                json!({"title": title, "until": until, "level": if banner { "提示" } else { "紧急" }})
            })
            .collect();
        rows.push(json!({"name": g.name, "published": text.is_some(), "now": now}));
    }
    context["groups"] = json!(rows);
    page_with(console, op, "emergency", "emergency.html", code, context)
}

/// `POST /emergency`: publishes the message to each chosen group.
pub async fn publish(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let groups: Vec<String> = (fields.iter())
        .filter(|(k, _)| k == "group")
        .map(|(_, v)| v.clone())
        .collect();
    let emergency = match emergency_of(
        (field("title"), field("body"), field("level") == "banner"),
        (field("until"), field("open") == "on"),
    ) {
        Ok(e) => e,
        Err(why) => return refused(&console, &op, &fields, &why).await,
    };
    if groups.is_empty() {
        return refused(&console, &op, &fields, "请至少选择一个分组。").await;
    }
    if let Some(g) = groups.iter().find(|g| !op.role.may_edit(g)) {
        let why = format!("你没有分组 {g} 的编辑权限。");
        return error_page(&console, &op, StatusCode::FORBIDDEN, &why);
    }
    for group in &groups {
        if let Err(why) = insert(&console, &op, group, &emergency).await {
            return refused(&console, &op, &fields, &why).await;
        }
    }
    Redirect::to(&format!("/emergency?done={}", groups.len())).into_response()
}

/// `POST /emergency/withdraw`: removes a group's emergencies.
pub async fn withdraw(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let group = fields
        .iter()
        .find(|(k, _)| k == "group")
        .map_or("", |(_, v)| v.as_str())
        .to_string();
    if !op.role.may_edit(&group) {
        return error_page(
            &console,
            &op,
            StatusCode::FORBIDDEN,
            &format!("你没有分组 {group} 的编辑权限。"),
        );
    }
    let changed = republish(&console, &op, &group, editor::without_emergencies).await;
    match changed {
        Ok(n) => {
            audit(
                &console,
                &op.user,
                "emergency_withdraw",
                format!("{group} 撤销紧急插播，v{n}"),
            )
            .await;
            Redirect::to(&format!("/emergency?withdrawn={}", super::encode_segment(&group))).into_response()
        }
        Err(why) => error_page(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, &why),
    }
}

/// The form again with `why`, what was typed kept.
async fn refused(console: &Shared, op: &Operator, fields: &[(String, String)], why: &str) -> Response {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut context = json!({
        "title": "紧急插播", "error": why,
        "form": {"title": field("title"), "body": field("body"), "until": field("until"), "banner": field("level") == "banner"},
    });
    form_page(console, op, StatusCode::UNPROCESSABLE_ENTITY, &mut context).await
}

/// The emergency the form describes, or why not: `until` is the form's
/// local time (`2026-12-05T18:00`, the console's zone), unless `open`;
/// `banner` is the 提示 level.
fn emergency_of(
    (title, body, banner): (&str, &str, bool),
    (until, open): (&str, bool),
) -> Result<Emergency, String> {
    if title.is_empty() || title.chars().count() > 60 {
        return Err("请填写标题（60 个字以内），如“寒潮预警”。".into());
    }
    if body.is_empty() || body.chars().count() > 4000 {
        return Err("请填写正文（4000 个字以内）。".into());
    }
    let until = if open {
        None
    } else {
        let local = NaiveDateTime::parse_from_str(until, "%Y-%m-%dT%H:%M")
            .map_err(|_| "请填写结束时间，或勾选“直到撤销”。".to_string())?;
        let at = Local
            .from_local_datetime(&local)
            .single()
            .ok_or("结束时间不存在（时区切换），请换一个时间。")?;
        if at <= Local::now() {
            return Err("结束时间已经过去：请填写一个将来的时间。".into());
        }
        Some(at.fixed_offset().to_rfc3339())
    };
    Ok(Emergency {
        title: title.to_string(),
        body: body.replace("\r\n", "\n"),
        until,
        banner,
    })
}

/// Appends the emergency to `group`'s published playlist and publishes it.
async fn insert(console: &Shared, op: &Operator, group: &str, e: &Emergency) -> Result<(), String> {
    let n = republish(console, op, group, |text| editor::with_emergency(text, e)).await?;
    let until = e.until.clone().unwrap_or_else(|| "直到撤销".into());
    audit(
        console,
        &op.user,
        "emergency",
        format!(
            "{group} 紧急插播「{}」（{}，{until}），v{n}",
            e.title,
            if e.banner { "提示" } else { "紧急" }
        ),
    )
    .await;
    Ok(())
}

/// `change` applied to `group`'s published text, checked as any save is,
/// saved as a new version and published; that version's number.
async fn republish(
    console: &Shared,
    op: &Operator,
    group: &str,
    change: impl FnOnce(&str) -> Result<String, String>,
) -> Result<i64, String> {
    let g = group.to_string();
    let published = db(console, move |s| s.published(&g))
        .await
        .map_err(|e| e.to_string())?;
    let Some(published) = published else {
        return Err(format!("分组 {group} 还没有发布过节目单，无法插播。"));
    };
    let text = change(&published.text)?;
    if text == published.text {
        // Nothing to withdraw: no new version.
        return Ok(published.number);
    }
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &text, Some(&feed.feed));
    let uncovered = (checked.settings.as_ref())
        .map(|s| crate::console::uncovered::uncovered_in_messages(s, &text))
        .unwrap_or_default();
    if let Some(first) = uncovered.first().and_then(|m| m["text"].as_str()) {
        return Err(first.to_string());
    }
    if let Some(d) = checked
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::config::Severity::Error)
    {
        return Err(format!(
            "第 {} 行：{}",
            d.line,
            d.message_in(crate::config::messages::Lang::Zh)
        ));
    }
    let (g, author) = (group.to_string(), op.user.clone());
    let n = db(console, move |s| {
        let n = s.add_version(&g, &text, &author)?;
        s.publish(&g, n)?;
        Ok::<_, StoreError>(n)
    })
    .await
    .map_err(|e| e.to_string())?;
    console.announce_publish();
    Ok(n)
}
