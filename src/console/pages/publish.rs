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
}

/// `GET /publish?group=…`.
pub async fn list(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(w): Query<Which>,
) -> Response {
    let groups = group_names(&console).await;
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
    let context = json!({
        "title": "发布", "groups": groups, "group": group, "versions": rows, "unknown": unknown,
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

/// `POST /publish/<group>/<number>`: publishes that version, checked again
/// against the current feed first.
pub async fn publish(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path((group, number)): Path<(String, i64)>,
) -> Response {
    let g = group.clone();
    let loaded = db(&console, move |s| {
        Ok::<_, StoreError>((s.version(&g, number)?, s.published(&g)?))
    })
    .await;
    let (version, current) = match loaded {
        Ok((Some(v), c)) => (v, c.map(|c| c.number)),
        Ok((None, _)) => {
            return error_page(
                &console,
                &op,
                StatusCode::NOT_FOUND,
                &format!("{group} 没有版本 v{number}。"),
            )
        }
        Err(e) => return db_failed(&console, &op, &e),
    };
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &version.text, Some(&feed.feed));
    if checked.errors() > 0 {
        let first = checked
            .diagnostics
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        audit(
            &console,
            &op.user,
            "edit_refused",
            format!("{group} v{number}: publish refused"),
        )
        .await;
        return error_page(
            &console,
            &op,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("v{number} 有错误，不能发布：{first}"),
        );
    }
    let g = group.clone();
    if let Err(e) = db(&console, move |s| s.publish(&g, number)).await {
        return db_failed(&console, &op, &e);
    }
    let action = if current.is_some_and(|c| number < c) {
        "rollback"
    } else {
        "publish"
    };
    let from = current.map_or("none".to_string(), |c| format!("v{c}"));
    audit(
        &console,
        &op.user,
        action,
        format!("{group} v{number} (was {from})"),
    )
    .await;
    Redirect::to(&format!("/publish?group={}", encode_segment(&group))).into_response()
}
