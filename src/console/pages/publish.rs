//! 发布: a group's versions with who and when, the diff to the version
//! before, which screens run each; publishing one (a roll back when it is
//! older than the one published). Screens fetch `/c/<group>.toml` and have
//! it within their poll interval.

use super::super::operator::Operator;
use super::super::store::StoreError;
use super::super::{db, Shared};
use super::{audit, db_failed, encode_segment, error_page, group_names, page};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde_json::{json, Value};

#[derive(serde::Deserialize)]
pub struct Which {
    group: Option<String>,
    /// The version just published (the result banner).
    done: Option<i64>,
    /// The version rolled back to, when `done` was a roll back.
    from: Option<i64>,
}

/// `GET /publish?group=…`.
pub async fn list(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(w): Query<Which>,
) -> Response {
    let groups = group_names(&console).await;
    if let Some(asked) = w.group.as_ref().filter(|g| !g.is_empty() && !groups.contains(g)) {
        return error_page(
            &console,
            &op,
            StatusCode::NOT_FOUND,
            &format!("没有分组 {asked}。"),
        );
    }
    let Some(group) = w
        .group
        .filter(|g| !g.is_empty())
        .or_else(|| groups.first().cloned())
    else {
        return page(
            &console,
            &op,
            "publish",
            "publish.html",
            json!({"title": "发布", "groups": groups}),
        );
    };
    let g = group.clone();
    let loaded = db(&console, move |s| {
        Ok::<_, StoreError>((s.versions(&g)?, s.published(&g)?, s.screens()?))
    })
    .await;
    let (versions, published, screens) = match loaded {
        Ok(l) => l,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let published = published.map(|v| v.number);
    // Which version each screen of the group reports running.
    let hashes: Vec<(i64, String)> = versions.iter().map(|v| (v.number, v.sha256.clone())).collect();
    // Which version each screen of the group reports running (-1: no report yet).
    let running: Vec<(String, Option<i64>)> = screens
        .iter()
        .filter(|s| s.group == group)
        .map(|s| {
            match s
                .report
                .as_deref()
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
            {
                Some(r) => (s.id.clone(), super::running_version(&r, published, &hashes)),
                None => (s.id.clone(), Some(-1)),
            }
        })
        .collect();
    // Diffs of long texts take seconds: off the async workers.
    let texts: Vec<String> = versions.iter().map(|v| v.text.clone()).collect();
    let diffs = tokio::task::spawn_blocking(move || {
        (0..texts.len())
            .map(|i| diff(texts.get(i + 1).map_or("", String::as_str), &texts[i]))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let rows: Vec<Value> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let on: Vec<&str> = running
                .iter()
                .filter(|(_, n)| *n == Some(v.number))
                .map(|(id, _)| id.as_str())
                .collect();
            json!({
                "number": v.number, "author": v.author, "created_at": v.created_at,
                "published": Some(v.number) == published,
                "older": published.is_some_and(|p| v.number < p),
                "screens": on, "diff": diffs.get(i).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let unknown: Vec<&str> = running
        .iter()
        .filter(|(_, n)| n.is_none())
        .map(|(id, _)| id.as_str())
        .collect();
    let done = w.done.map(|n| match w.from {
        Some(from) => {
            format!("已回滚到 v{from} 的内容（另存为 v{n} 并发布），在线的屏幕几秒内更新。")
        }
        None => format!("已发布 v{n}，在线的屏幕几秒内更新。"),
    });
    let context = json!({
        "title": "发布", "groups": groups, "group": group, "versions": rows, "unknown": unknown,
        "done": done, "published": published,
        "config_url": format!("{}/c/{}.toml", console.public_url, encode_segment(&group)),
    });
    page(&console, &op, "publish", "publish.html", context)
}

/// The longest pair of texts diffed (a diff is quadratic at worst).
const MAX_DIFF_BYTES: usize = 128 * 1024;

/// A unified diff of two versions' texts (two lines of context).
fn diff(before: &str, after: &str) -> String {
    if before.len() + after.len() > MAX_DIFF_BYTES {
        return "（版本太长，不显示差异）".into();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .to_string()
}

/// What a publish request is about: the version, the one published now,
/// the newest, and how many screens the group has.
struct Target {
    version: super::super::store::Version,
    current: Option<i64>,
    latest: i64,
    screens: usize,
}

async fn target(console: &Shared, group: &str, number: i64) -> Result<Option<Target>, StoreError> {
    let g = group.to_string();
    db(console, move |s| {
        let Some(version) = s.version(&g, number)? else {
            return Ok(None);
        };
        let current = s.published(&g)?.map(|c| c.number);
        let latest = s.versions(&g)?.first().map_or(number, |v| v.number);
        let screens = s.screens()?.iter().filter(|x| x.group == g).count();
        Ok(Some(Target {
            version,
            current,
            latest,
            screens,
        }))
    })
    .await
}

/// `GET /publish/<group>/<number>`: asks before publishing, naming what
/// changes (a page, so it works without script).
pub async fn confirm(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path((group, number)): Path<(String, i64)>,
) -> Response {
    let t = match target(&console, &group, number).await {
        Ok(Some(t)) => t,
        Ok(None) => return no_version(&console, &op, &group, number),
        Err(e) => return db_failed(&console, &op, &e),
    };
    let rollback = t.current.is_some_and(|c| number < c);
    let question = if rollback {
        format!(
            "把分组 {group} 的 {} 块屏幕回滚到 v{number} 的内容？（将另存为 v{} 并发布）",
            t.screens,
            t.latest + 1
        )
    } else {
        format!("发布 v{number} 到分组 {group} 的 {} 块屏幕？", t.screens)
    };
    let now = t.current.map_or("目前没有已发布的版本。".to_string(), |c| {
        format!("目前发布的是 v{c}。")
    });
    let context = json!({
        "title": "确认发布", "group": group, "number": number, "question": question, "now": now,
        "rollback": rollback,
    });
    page(&console, &op, "publish", "confirm.html", context)
}

fn no_version(console: &Shared, op: &Operator, group: &str, number: i64) -> Response {
    error_page(
        console,
        op,
        StatusCode::NOT_FOUND,
        &format!("{group} 没有版本 v{number}。"),
    )
}

/// `POST /publish/<group>/<number>`: publishes that version, checked again
/// against the current feed first. An older version is a roll back: its
/// text is saved again as the newest version and that is published, so the
/// editor, which opens the newest, opens what the screens play.
pub async fn publish(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path((group, number)): Path<(String, i64)>,
) -> Response {
    let t = match target(&console, &group, number).await {
        Ok(Some(t)) => t,
        Ok(None) => return no_version(&console, &op, &group, number),
        Err(e) => return db_failed(&console, &op, &e),
    };
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &t.version.text, Some(&feed.feed));
    if checked.errors() > 0 {
        let first = checked
            .diagnostics
            .first()
            .map(|d| {
                format!(
                    "第 {} 行：{}",
                    d.line,
                    d.message_in(crate::config::messages::Lang::Zh)
                )
            })
            .unwrap_or_default();
        audit(
            &console,
            &op.user,
            "edit_refused",
            format!("{group} v{number}：有错误，未发布"),
        )
        .await;
        return error_page(
            &console,
            &op,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("v{number} 有错误，不能发布：{first}"),
        );
    }
    let rollback = t.current.is_some_and(|c| number < c);
    let (g, text, author) = (group.clone(), t.version.text.clone(), op.user.clone());
    let done = db(&console, move |s| {
        let n = if rollback {
            s.add_version(&g, &text, &author)?
        } else {
            number
        };
        s.publish(&g, n)?;
        Ok(n)
    })
    .await;
    let published = match done {
        Ok(n) => n,
        Err(e) => return db_failed(&console, &op, &e),
    };
    console.announce_publish();
    let was = t
        .current
        .map_or("原先未发布".to_string(), |c| format!("原为 v{c}"));
    let (action, detail) = if rollback {
        (
            "rollback",
            format!("{group} 回滚到 v{number} 的内容，另存为 v{published}（{was}）"),
        )
    } else {
        ("publish", format!("{group} v{published}（{was}）"))
    };
    audit(&console, &op.user, action, detail).await;
    let from = if rollback {
        format!("&from={number}")
    } else {
        String::new()
    };
    Redirect::to(&format!(
        "/publish?group={}&done={published}{from}",
        encode_segment(&group)
    ))
    .into_response()
}
