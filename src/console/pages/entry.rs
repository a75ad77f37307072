//! 数据录入: the office's month from its sheets to every screen (issue 26).
//! 管理员 and 编辑 download the template, upload the filled sheets, see
//! every problem at its sheet, row and column, look at each board as the
//! screens draw it, and publish; the console then serves the signed
//! document at `/feed.json` (`console::published`). Every publish and
//! correction is audited; the months kept are listed with who published
//! them and when.

use super::super::operator::Operator;
use super::super::{published, Shared};
use super::{audit, error_page, page_with};
use crate::publish::{self, History, Month, Scheme};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::{json, Value};
use std::sync::Arc;

/// A month built and not yet published.
pub(crate) struct Draft {
    /// Its id in the page's links (the first 16 hex of the body's SHA-256).
    pub id: String,
    /// The month.
    pub month: Month,
    /// What was built.
    pub built: publish::Built,
    /// Each board's and list's first page as PNG, drawn when first asked for.
    pub pictures: std::sync::Mutex<std::collections::HashMap<String, Arc<Vec<u8>>>>,
}

/// How many drafts are kept (the newest).
pub(crate) const DRAFTS: usize = 4;

/// `?published=2026-11` after a publish.
#[derive(serde::Deserialize)]
pub struct Done {
    published: Option<String>,
}

/// `GET /entry`.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(q): Query<Done>,
) -> Response {
    let mut context = json!({});
    if let Some(m) = q.published {
        context["done"] = json!(format!("已发布 {m} 的排名：屏幕下次取数时显示（默认 60 秒内）。"));
    }
    entry_page(&console, &op, StatusCode::OK, context)
}

fn scheme(console: &Shared) -> Result<Scheme, String> {
    let Some(path) = &console.options.scheme else {
        return Err("控制台没有配置考核方案：请管理员在启动控制台时指定考核方案文件（见发布说明）。".into());
    };
    Scheme::load(path).map_err(|p| format!("考核方案有错误：{}", p.join("；")))
}

fn entry_page(console: &Shared, op: &Operator, code: StatusCode, mut context: Value) -> Response {
    context["title"] = json!("数据录入");
    if let Err(why) = scheme(console) {
        context["no_scheme"] = json!(why);
    }
    let now = chrono::Utc::now().with_timezone(&crate::china_standard_time());
    let this = Month {
        year: chrono::Datelike::year(&now),
        month: chrono::Datelike::month(&now),
    };
    if context.get("month").is_none() {
        context["month"] = json!(this.previous().to_string());
    }
    let history = match History::load(&published::history(&console.options.data)) {
        Ok(h) => h,
        Err(e) => {
            context["history_error"] = json!(e.to_string());
            History::default()
        }
    };
    let months: Vec<Value> = (history.months.iter().rev())
        .map(|(m, r)| {
            json!({"period": m.to_string(), "label": m.label(), "at": short_time(&r.published_at),
                   "by": r.published_by, "corrections": r.corrections.len()})
        })
        .collect();
    context["months"] = json!(months);
    if let Some(served) = console.current_feed() {
        context["served"] = json!({
            "at": served.modified().with_timezone(&crate::china_standard_time()).format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    context["signed"] = json!(console.options.feed_key.is_some());
    page_with(console, op, "entry", "entry.html", code, &mut context)
}

fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&crate::china_standard_time())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// `?month=2026-11`.
#[derive(serde::Deserialize)]
pub struct MonthAsk {
    month: Option<String>,
}

/// `GET /entry/template.xlsx?month=…`: the workbook to fill.
pub async fn template(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(q): Query<MonthAsk>,
) -> Response {
    let scheme = match scheme(&console) {
        Ok(s) => s,
        Err(why) => return error_page(&console, &op, StatusCode::CONFLICT, &why),
    };
    let Some(month) = q.month.as_deref().and_then(Month::parse) else {
        return error_page(&console, &op, StatusCode::BAD_REQUEST, "请选择月份，如 2026-11。");
    };
    match publish::template::template(&scheme, month) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{month}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(
            &console,
            &op,
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("无法生成模板：{e}"),
        ),
    }
}

/// `POST /entry/check`: the month's sheets (multipart: `month`, `sheets`).
pub async fn check(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    mut form: Multipart,
) -> Response {
    let scheme = match scheme(&console) {
        Ok(s) => s,
        Err(why) => return error_page(&console, &op, StatusCode::CONFLICT, &why),
    };
    let mut month_text = String::new();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return error_page(
                    &console,
                    &op,
                    StatusCode::BAD_REQUEST,
                    &format!("上传没有完成：{e}"),
                )
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file = field.file_name().map(str::to_string);
        let bytes = match limited(field).await {
            Ok(Some(b)) => b,
            // Over 20 MB: refused at its limit, the rest never held.
            Ok(None) => {
                let file = file.unwrap_or_default();
                problems.push(publish::Problem::of("", publish::sheet::too_large(&file)));
                continue;
            }
            Err(e) => {
                return error_page(
                    &console,
                    &op,
                    StatusCode::BAD_REQUEST,
                    &format!("上传没有完成：{e}"),
                )
            }
        };
        match (name.as_str(), file) {
            ("month", _) => month_text = String::from_utf8_lossy(&bytes).trim().to_string(),
            ("sheets", Some(file)) if !file.is_empty() => match publish::sheet::read(&file, &bytes) {
                Ok(grids) => files.push((file, grids)),
                Err(why) => problems.push(publish::Problem::of("", why)),
            },
            _ => {}
        }
    }
    let Some(month) = Month::parse(&month_text) else {
        return error_page(&console, &op, StatusCode::BAD_REQUEST, "请选择月份，如 2026-11。");
    };
    // Without the months kept, ranks would lose their past: refuse instead.
    let history = match History::load(&published::history(&console.options.data)) {
        Ok(h) => h,
        Err(e) => return error_page(&console, &op, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let ctx = publish::build::Context {
        scheme: &scheme,
        month,
        history: &history,
        now: chrono::Utc::now().with_timezone(&crate::china_standard_time()),
        by: &op.user,
    };
    let built = if problems.is_empty() {
        publish::build(&ctx, &files).map_err(|p| problems.extend(p)).ok()
    } else {
        None
    };
    let Some(built) = built else {
        let rows: Vec<Value> = (problems.iter())
            .map(|p| json!({"sheet": p.sheet, "row": p.row, "col": p.column(), "text": p.text}))
            .collect();
        let context = json!({"problems": rows, "month": month.to_string()});
        return entry_page(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, context);
    };
    let id = crate::digest::sha256_hex(&built.body)[..16].to_string();
    let summary = summary(&built);
    let published_before = history.months.contains_key(&month);
    console.keep_draft(Draft {
        id: id.clone(),
        month,
        built,
        pictures: Default::default(),
    });
    let context = json!({"draft": {"id": id, "period": month.to_string(), "label": month.label(),
        "boards": summary.0, "lists": summary.1, "correcting": published_before}, "month": month.to_string()});
    entry_page(&console, &op, StatusCode::OK, context)
}

/// A field's bytes, read chunk by chunk; `None` past a sheet's limit.
async fn limited(
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<Option<Vec<u8>>, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if (bytes.len() + chunk.len()) as u64 > publish::sheet::MAX_BYTES {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// Each board's title, units and first, and each list's size.
fn summary(built: &publish::Built) -> (Vec<Value>, Vec<Value>) {
    let boards = (built.feed.boards.iter())
        .map(|b| {
            let first: Vec<&str> = b
                .entries
                .iter()
                .filter(|e| e.rank == 1)
                .map(|e| e.name.as_str())
                .collect();
            json!({"title": b.title, "units": b.entries.len(), "first": first.join("、")})
        })
        .collect();
    let lists = (built.feed.lists.iter())
        .map(|l| json!({"title": l.title, "entries": l.entries.len()}))
        .collect();
    (boards, lists)
}

/// `GET /entry/draft/{id}/b{n}.png` (board `n`) or `l{n}.png` (list
/// `n`): that slide's first page of a draft as the screens draw it.
pub async fn draft_page(State(console): State<Shared>, Path((id, file)): Path<(String, String)>) -> Response {
    let Some(draft) = console.draft(&id) else {
        return (StatusCode::NOT_FOUND, "no such draft\n").into_response();
    };
    let cached = draft.pictures.lock().ok().and_then(|p| p.get(&file).cloned());
    if let Some(png) = cached {
        return png_answer(png);
    }
    let Some(feed) = one_slide(&draft.built.feed, &file) else {
        return (StatusCode::NOT_FOUND, "no such page\n").into_response();
    };
    let Ok(_permit) = console.renders.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let at = chrono::Utc::now().with_timezone(&crate::china_standard_time());
    let Ok(size) = crate::panel::PanelSize::parse(PREVIEW_SIZE) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let drawn =
        tokio::task::spawn_blocking(move || super::super::preview::slide_pngs(feed, false, size, at)).await;
    let Some(png) = drawn
        .ok()
        .and_then(Result::ok)
        .and_then(|(p, _)| p.into_iter().next())
    else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot draw the page\n").into_response();
    };
    let png = Arc::new(png);
    if let Ok(mut cache) = draft.pictures.lock() {
        cache.insert(file, png.clone());
    }
    png_answer(png)
}

/// The size a draft's pages are drawn at.
const PREVIEW_SIZE: &str = "960x540";

fn png_answer(png: Arc<Vec<u8>>) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], png.as_ref().clone()).into_response()
}

/// `feed` with only the board (`b3.png`) or list (`l0.png`) the file names.
fn one_slide(feed: &crate::feed::Feed, file: &str) -> Option<crate::feed::Feed> {
    let name = file.strip_suffix(".png")?;
    let (kind, n) = name.split_at(1);
    let n: usize = n.parse().ok()?;
    let mut one = feed.clone();
    one.notices.clear();
    match kind {
        "b" => {
            one.boards = vec![feed.boards.get(n)?.clone()];
            one.lists.clear();
        }
        "l" => {
            one.lists = vec![feed.lists.get(n)?.clone()];
            one.boards.clear();
        }
        _ => return None,
    }
    Some(one)
}

/// `POST /entry/publish`: the draft `id` published (`correct`: why a
/// published month is published again).
pub async fn publish_draft(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |k: &str| -> String {
        (fields.iter())
            .find(|(n, _)| n == k)
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let Some(draft) = console.draft(&field("draft")) else {
        return error_page(
            &console,
            &op,
            StatusCode::NOT_FOUND,
            "这份数据已过期：请重新上传表格。",
        );
    };
    let correct = Some(field("correct")).filter(|c| !c.is_empty());
    let data = console.options.data.clone();
    let mut record = draft.built.record.clone();
    record.published_by = op.user.clone();
    record.published_at = chrono::Utc::now()
        .with_timezone(&crate::china_standard_time())
        .to_rfc3339();
    let (month, body, key) = (
        draft.month,
        draft.built.body.clone(),
        console.options.feed_key.clone(),
    );
    let why = correct.clone();
    let written = tokio::task::spawn_blocking(move || -> Result<_, String> {
        History::save(&published::history(&data), month, record, why.as_deref()).map_err(|e| match e {
            // The command's wording names its flag; the page has a field.
            publish::history::HistoryError::Published(m) => {
                format!(
                    "{} 已经发布过：如需更正，请在“更正原因”中写明原因后再发布。",
                    m.label()
                )
            }
            other => other.to_string(),
        })?;
        published::write(&data, &body, key.as_deref())
    })
    .await;
    let served = match written {
        Ok(Ok(s)) => s,
        Ok(Err(why)) => return error_page(&console, &op, StatusCode::CONFLICT, &why),
        Err(_) => {
            return error_page(
                &console,
                &op,
                StatusCode::INTERNAL_SERVER_ERROR,
                "发布没有完成，请重试。",
            )
        }
    };
    let detail = match correct {
        Some(why) => format!(
            "{month} 更正并发布（{why}），{} 个榜单，{}",
            draft.built.feed.boards.len(),
            &served.sha256()[..12]
        ),
        None => format!(
            "{month} 发布，{} 个榜单，{}",
            draft.built.feed.boards.len(),
            &served.sha256()[..12]
        ),
    };
    console.serve_feed(served);
    audit(&console, &op.user, "feed_publish", detail).await;
    Redirect::to(&format!("/entry?published={month}")).into_response()
}
