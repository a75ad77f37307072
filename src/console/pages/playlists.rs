//! 节目单: one playlist per group, edited as a form or as TOML side by side.
//! Every save is checked exactly as `rankwall check --config` checks a
//! config from a URL (located messages, local-only keys refused); a text
//! with errors is neither saved nor published, and stays in the editor.

use super::super::operator::Operator;
use super::super::store::{StoreError, Version};
use super::super::{db, editor, Shared};
use super::{audit, db_failed, error_page, page, page_with};
use crate::config::Severity;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::{json, Value};

/// A new group's first playlist: every kind of slide, display hours, and a
/// poll interval that suits a fleet.
pub const STARTER: &str = include_str!("../starter.toml");

/// `GET /playlists`.
pub async fn list(State(console): State<Shared>, Extension(op): Extension<Operator>) -> Response {
    let loaded = db(&console, |s| Ok::<_, StoreError>((s.groups()?, s.screens()?))).await;
    let (groups, screens) = match loaded {
        Ok(l) => l,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let rows: Vec<Value> = groups
        .iter()
        .map(|g| {
            let n = screens.iter().filter(|s| s.group == g.name).count();
            json!({"name": g.name, "published": g.published, "screens": n})
        })
        .collect();
    page(
        &console,
        &op,
        "playlists",
        "playlists.html",
        json!({"title": "节目单", "groups": rows}),
    )
}

#[derive(serde::Deserialize)]
pub struct NewGroup {
    #[serde(default)]
    group: String,
}

/// `POST /playlists`: a new group with the starter playlist (saved, not published).
pub async fn create(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(f): Form<NewGroup>,
) -> Response {
    let group = f.group.trim().to_string();
    if !super::group_name_ok(&group) {
        return error_page(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, super::BAD_GROUP);
    }
    let (g, author) = (group.clone(), op.user.clone());
    let made = db(&console, move |s| {
        if s.ensure_group(&g)? {
            s.add_version(&g, STARTER, &author)?;
        }
        Ok(())
    })
    .await;
    if let Err(e) = made {
        return db_failed(&console, &op, &e);
    }
    audit(&console, &op.user, "edit", format!("新建分组 {group}")).await;
    Redirect::to(&format!("/playlists/{}", super::encode_segment(&group))).into_response()
}

#[derive(serde::Deserialize)]
pub struct Saved {
    saved: Option<i64>,
}

/// `GET /playlists/<group>`.
pub async fn edit(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path(group): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let (versions, published) = match group_versions(&console, &group).await {
        Ok(l) => l,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let Some(latest) = versions.first() else {
        return error_page(
            &console,
            &op,
            StatusCode::NOT_FOUND,
            &format!("没有分组 {group}。"),
        );
    };
    let messages = check(&console, &group, &latest.text).1;
    let mut context = editor_context(&console, &group, &latest.text, messages, false);
    context["published"] = json!(published.map(|v| v.number));
    context["latest"] = json!(latest.number);
    context["saved"] = json!(q.saved);
    page(&console, &op, "playlists", "playlist.html", context)
}

/// A group's versions (newest first) and the one it publishes.
async fn group_versions(
    console: &Shared,
    group: &str,
) -> Result<(Vec<Version>, Option<Version>), StoreError> {
    let g = group.to_string();
    db(console, move |s| Ok((s.versions(&g)?, s.published(&g)?))).await
}

/// A save that was refused: the text to keep in the editor and why.
struct Refused<'a> {
    text: &'a str,
    messages: Vec<Value>,
    code: StatusCode,
}

/// The editor again, with the refused text and its messages.
fn refused_page(
    console: &Shared,
    op: &Operator,
    group: &str,
    refused: &Refused<'_>,
    published: Option<&Version>,
    latest: i64,
) -> Response {
    let mut context = editor_context(console, group, refused.text, refused.messages.clone(), true);
    context["published"] = json!(published.map(|v| v.number));
    context["latest"] = json!(latest);
    page_with(
        console,
        op,
        "playlists",
        "playlist.html",
        refused.code,
        &mut context,
    )
}

/// The editor's context for `text` with `messages`.
fn editor_context(console: &Shared, group: &str, text: &str, messages: Vec<Value>, refused: bool) -> Value {
    let feed = console.feed.current();
    json!({
        "title": format!("节目单 {group}"), "group": group, "text": text,
        "form": editor::form_fields(text, &feed.feed), "refused": refused,
        "lines": numbered(text, &messages), "messages": messages,
        "message_preview": format!("/preview/message.png?group={}", super::encode_segment(group)),
    })
}

/// The errors in `text` (as a config from a URL) and every message,
/// located and in Chinese: its line, and the form item and key it is about.
fn check(console: &Shared, group: &str, text: &str) -> (usize, Vec<Value>) {
    use crate::config::messages::Lang;
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), text, Some(&feed.feed));
    let mut messages: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let (severity, label) = if d.severity == Severity::Error {
                ("error", "错误")
            } else {
                ("warning", "提示")
            };
            let mut said = format!("第 {} 行：{label}：{}", d.line, d.message_in(Lang::Zh));
            if let Some(hint) = d.hint_in(Lang::Zh) {
                said.push_str(&format!("（建议：{hint}）"));
            }
            let display = text
                .lines()
                .nth(d.line.saturating_sub(1))
                .is_some_and(|l| l.trim_start().starts_with("display_hours"));
            json!({"severity": severity, "text": said, "line": d.line, "item": item_at(text, d.line),
                   "display": display})
        })
        .collect();
    // A message's characters must be on the screens' fonts.
    let uncovered = (checked.settings.as_ref())
        .map(|s| crate::console::uncovered::uncovered_in_messages(s, text))
        .unwrap_or_default();
    let errors = checked.errors() + uncovered.len();
    messages.extend(uncovered);
    (errors, messages)
}

/// The playlist item (0-based, as the form numbers them) line `line` of
/// `text` belongs to, if it is inside one.
fn item_at(text: &str, line: usize) -> Option<usize> {
    let (mut items, mut inside) = (0, false);
    for l in text.lines().take(line).map(str::trim) {
        if l.starts_with("[[playlist]]") {
            items += 1;
            inside = true;
        } else if l.starts_with('[') {
            inside = false;
        }
    }
    inside.then(|| items - 1)
}

/// Each line of `text` with its number and whether a message points at it,
/// for the numbered view beside the source editor.
fn numbered(text: &str, messages: &[Value]) -> Vec<Value> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let marked = messages.iter().any(|m| m["line"] == i + 1);
            json!({"n": i + 1, "text": l, "marked": marked})
        })
        .collect()
}

/// `POST /playlists/<group>`: the form or the source, saved (and published) if it has no errors.
pub async fn save(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path(group): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let publish = field("action").as_deref() == Some("publish");
    let (versions, published) = match group_versions(&console, &group).await {
        Ok(l) => l,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let Some(latest) = versions.first().cloned() else {
        return error_page(
            &console,
            &op,
            StatusCode::NOT_FOUND,
            &format!("没有分组 {group}。"),
        );
    };
    // The form applies to the text it was built from (a refused text
    // included), and only while nobody saved a newer version meanwhile.
    let base = field("base").and_then(|b| b.parse::<i64>().ok());
    let base_text = field("base_text").map(|t| t.replace("\r\n", "\n"));
    let text = match field("source") {
        Some(source) => source.replace("\r\n", "\n"),
        None => match editor::apply_form(base_text.as_deref().unwrap_or(&latest.text), &fields) {
            Ok(t) => t,
            // The editor again, the message beside the form (at 开屏时段
            // when it is about it), nothing saved and nothing lost but the
            // edit the form could not take.
            Err(e) => {
                let display = e.contains("开屏时段");
                let refused = Refused {
                    text: base_text.as_deref().unwrap_or(&latest.text),
                    messages: vec![json!({"severity": "error", "text": e, "display": display})],
                    code: StatusCode::UNPROCESSABLE_ENTITY,
                };
                return refused_page(&console, &op, &group, &refused, published.as_ref(), latest.number);
            }
        },
    };
    if base.is_some_and(|b| b != latest.number) {
        let message = json!({"severity": "error", "text": format!(
            "在你编辑期间，{} 已保存了 v{}：这次没有保存。你的内容在下方；请重新打开本页，再改一次。",
            latest.author, latest.number
        )});
        let refused = Refused {
            text: &text,
            messages: vec![message],
            code: StatusCode::CONFLICT,
        };
        return refused_page(&console, &op, &group, &refused, published.as_ref(), latest.number);
    }
    let (errors, messages) = check(&console, &group, &text);
    if errors > 0 {
        audit(
            &console,
            &op.user,
            "edit_refused",
            format!("{group}：{errors} 处错误，未保存"),
        )
        .await;
        let refused = Refused {
            text: &text,
            messages,
            code: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return refused_page(&console, &op, &group, &refused, published.as_ref(), latest.number);
    }
    let (g, author, changed) = (group.clone(), op.user.clone(), text != latest.text);
    let saved = db(&console, move |s| {
        let number = if changed {
            s.add_version(&g, &text, &author)?
        } else {
            latest.number
        };
        Ok(number)
    })
    .await;
    let number = match saved {
        Ok(n) => n,
        Err(e) => return db_failed(&console, &op, &e),
    };
    if changed {
        audit(&console, &op.user, "edit", format!("{group} 保存为 v{number}")).await;
    }
    // 保存并发布 asks first, on the page that names the version and how
    // many screens will play it; nothing is published by a save alone.
    if publish && published.as_ref().map(|v| v.number) != Some(number) {
        let to = format!("/publish/{}/{number}", super::encode_segment(&group));
        return Redirect::to(&to).into_response();
    }
    Redirect::to(&format!(
        "/playlists/{}?saved={number}",
        super::encode_segment(&group)
    ))
    .into_response()
}
