//! 播放记录: proof of play as the screens uploaded it, counted per day,
//! screen and item (with totals per item), downloadable as CSV; "what was
//! on screen X at T" answered from the screen's own lines; the retention
//! set by an admin.

use super::super::operator::Operator;
use super::super::store::{state_label, PlayCount, PlayFilter, PlayLine, MAX_COUNT_ROWS};
use super::super::{db, Shared};
use super::{audit, db_failed, error_page, page_with};
use axum::extract::{Form, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The query: filters, and the screen and instant of a "what was on" question.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Ask {
    group: Option<String>,
    screen: Option<String>,
    from: Option<String>,
    to: Option<String>,
    at_screen: Option<String>,
    at: Option<String>,
    saved: Option<String>,
}

/// Days shown when the operator has not chosen: the last seven.
const DEFAULT_DAYS: i64 = 7;

/// The longest retention an admin may set: ten years.
const MAX_RETENTION_DAYS: i64 = 3650;

impl Ask {
    /// The filter, with empty fields as no bound and the last week by default.
    fn filter(&self) -> Result<PlayFilter, String> {
        let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        let today = chrono::Utc::now()
            .with_timezone(&crate::china_standard_time())
            .date_naive();
        let day = |v: Option<String>, default: NaiveDate| -> Result<String, String> {
            match v {
                None => Ok(default.format("%Y-%m-%d").to_string()),
                Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .map_err(|_| format!("日期「{v}」不是“年-月-日”的写法，例如 2026-12-01。")),
            }
        };
        Ok(PlayFilter {
            group: given(&self.group),
            screen: given(&self.screen),
            from: Some(day(given(&self.from), today - Duration::days(DEFAULT_DAYS - 1))?),
            to: Some(day(given(&self.to), today)?),
        })
    }
}

/// `GET /plays`.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(ask): Query<Ask>,
) -> Response {
    let mut context = json!({});
    let code = match ask.filter() {
        Ok(filter) => {
            let f = filter.clone();
            let counts = match db(&console, move |s| s.play_counts(&f)).await {
                Ok(c) => c,
                Err(e) => return db_failed(&console, &op, &e),
            };
            context["truncated"] = json!(counts.len() as i64 >= MAX_COUNT_ROWS);
            context["totals"] = json!(totals(&counts));
            context["rows"] = json!(counts.iter().map(row).collect::<Vec<_>>());
            context["from"] = json!(filter.from);
            context["to"] = json!(filter.to);
            StatusCode::OK
        }
        Err(why) => {
            context["error"] = json!(why);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    if let Err(e) = answer_at(&console, &ask, &mut context).await {
        return db_failed(&console, &op, &e);
    }
    let (screens, retention) = match db(&console, |s| Ok((s.screens()?, s.plays_retention_days()?))).await {
        Ok(v) => v,
        Err(e) => return db_failed(&console, &op, &e),
    };
    context["title"] = json!("播放记录");
    context["groups"] = json!(super::group_names(&console).await);
    context["screens"] = json!(screens
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name}))
        .collect::<Vec<_>>());
    context["ask"] = json!({
        "group": ask.group, "screen": ask.screen, "at_screen": ask.at_screen, "at": ask.at,
    });
    context["csv"] = json!(format!("/plays.csv?{}", query_of(&ask)));
    context["retention"] = json!(retention);
    context["saved"] = json!(ask.saved.is_some());
    page_with(&console, &op, "plays", "plays.html", code, &mut context)
}

/// The filter's part of the query, for the CSV link.
fn query_of(ask: &Ask) -> String {
    let fields = [
        ("group", &ask.group),
        ("screen", &ask.screen),
        ("from", &ask.from),
        ("to", &ask.to),
    ];
    let given: Vec<(&str, &str)> = fields
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    serde_urlencoded::to_string(given).unwrap_or_default()
}

/// What an item is called on the page: its number, or the state. The
/// slide's id goes beside it, set as an id.
fn what(state: &str, item: Option<i64>) -> String {
    match (state, item) {
        ("page", Some(i)) => format!("第 {} 项", i + 1),
        _ => state_label(state).to_string(),
    }
}

/// Seconds as 时:分:秒.
fn duration_text(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as i64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn row(c: &PlayCount) -> Value {
    json!({
        "day": c.day, "screen": c.screen_id, "name": c.screen_name, "group": c.group,
        "what": what(&c.state, c.item), "slide": c.slide, "plays": c.plays, "pages": c.pages,
        "duration": duration_text(c.seconds),
    })
}

/// The counts summed over days and screens, per group and item.
fn totals(counts: &[PlayCount]) -> Vec<Value> {
    type Key = (String, String, Option<String>);
    let mut sums: BTreeMap<Key, (i64, i64, f64)> = BTreeMap::new();
    for c in counts {
        let key = (c.group.clone(), what(&c.state, c.item), c.slide.clone());
        let sum = sums.entry(key).or_default();
        *sum = (sum.0 + c.plays, sum.1 + c.pages, sum.2 + c.seconds);
    }
    sums.into_iter()
        .map(|((group, what, slide), (plays, pages, seconds))| {
            json!({"group": group, "what": what, "slide": slide, "plays": plays, "pages": pages, "duration": duration_text(seconds)})
        })
        .collect()
}

/// Answers "what was on screen `at_screen` at `at`" into the context.
async fn answer_at(
    console: &Shared,
    ask: &Ask,
    context: &mut Value,
) -> Result<(), super::super::store::StoreError> {
    let (Some(screen), Some(at)) = (
        ask.at_screen.clone().filter(|s| !s.is_empty()),
        ask.at.as_deref().filter(|a| !a.is_empty()),
    ) else {
        return Ok(());
    };
    let Some(instant) = instant(at) else {
        context["at_error"] = json!(format!("时间「{at}」不是“年-月-日 时:分”的写法。"));
        return Ok(());
    };
    let ms = instant.timestamp_millis();
    let (before, after) = db(console, move |s| s.played_at(&screen, ms)).await?;
    context["at_answer"] = match before {
        None => json!({"head": "那时这块屏幕还没有播放记录。"}),
        Some(line) => on_show(&line, after.as_ref(), ms),
    };
    Ok(())
}

/// A `datetime-local` value (or with a space) in China Standard Time.
fn instant(at: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let at = at.trim().replace(' ', "T");
    let local = NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M"))
        .ok()?;
    crate::china_standard_time().from_local_datetime(&local).single()
}

/// The sentence for the line on show at `at_ms`, `after` the one that
/// followed: its words before and after the slide's id.
fn on_show(line: &PlayLine, after: Option<&PlayLine>, at_ms: i64) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339(&line.start).ok();
    let shown = start.map_or(line.start.clone(), |s| {
        s.with_timezone(&crate::china_standard_time())
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    });
    let page = match (line.page, line.pages) {
        (Some(p), Some(n)) => format!(" 第 {p} 页（共 {n} 页）"),
        _ => String::new(),
    };
    let head = format!("{shown} 起播放 {}", what(&line.state, line.item));
    let ended = start.is_some_and(|s| s.timestamp_millis() + ((line.seconds * 1000.0) as i64) < at_ms);
    let tail = match (after, ended) {
        // Nothing came after and the line's time ran out: the screen
        // stopped reporting (switched off, killed, or not reported yet).
        (None, true) => format!(
            "{page}，已知显示 {} 秒；之后没有记录（屏幕可能已停止或尚未上报）。",
            line.seconds.round()
        ),
        _ => format!("{page}，显示 {} 秒。", line.seconds.round()),
    };
    json!({"head": head, "slide": line.slide, "tail": tail})
}

/// `GET /plays.csv`: the counts of the filter, one row per day, screen and item.
pub async fn csv(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(ask): Query<Ask>,
) -> Response {
    let filter = match ask.filter() {
        Ok(f) => f,
        Err(why) => return error_page(&console, &op, StatusCode::UNPROCESSABLE_ENTITY, &why),
    };
    let f = filter.clone();
    let counts = match db(&console, move |s| s.play_counts(&f)).await {
        Ok(c) => c,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let name = format!(
        "播放记录-{}-{}.csv",
        filter.from.unwrap_or_default(),
        filter.to.unwrap_or_default()
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"plays.csv\"; filename*=UTF-8''{}",
                    super::encode_segment(&name)
                ),
            ),
        ],
        csv_text(&counts),
    )
        .into_response()
}

/// The CSV: a byte-order mark (so a spreadsheet opens it as UTF-8), a
/// Chinese header, then one row per count.
fn csv_text(counts: &[PlayCount]) -> String {
    let mut text =
        String::from("\u{feff}日期,屏幕编号,屏幕名称,分组,内容,项目序号,幻灯片,播放次数,页数,时长（秒）\r\n");
    for c in counts {
        let cells = [
            c.day.clone(),
            c.screen_id.clone(),
            c.screen_name.clone(),
            c.group.clone(),
            state_label(&c.state).to_string(),
            c.item.map_or(String::new(), |i| (i + 1).to_string()),
            c.slide.clone().unwrap_or_default(),
            c.plays.to_string(),
            c.pages.to_string(),
            format!("{:.1}", c.seconds),
        ];
        let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        text.push_str(&quoted.join(","));
        text.push_str("\r\n");
    }
    text
}

/// One cell, quoted when it holds a comma, a quote or a line break, and
/// with a leading apostrophe where a spreadsheet would read a formula.
fn csv_cell(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// `POST /plays/retention` (admin): how many days lines are kept.
pub async fn retention(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(fields): Form<std::collections::HashMap<String, String>>,
) -> Response {
    let given = fields
        .get("days")
        .map(|d| d.trim().to_string())
        .unwrap_or_default();
    let Some(days) = given
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_RETENTION_DAYS).contains(d))
    else {
        return error_page(
            &console,
            &op,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("保留天数「{given}」无效：请填写 1 到 {MAX_RETENTION_DAYS} 之间的整数。"),
        );
    };
    if let Err(e) = db(&console, move |s| s.set_plays_retention_days(days)).await {
        return db_failed(&console, &op, &e);
    }
    audit(
        &console,
        &op.user,
        "plays_retention",
        format!("播放记录保留 {days} 天"),
    )
    .await;
    super::super::plays::prune_now(&console).await;
    Redirect::to("/plays?saved=1").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_misread_are_quoted() {
        assert_eq!(csv_cell("红榜"), "红榜");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(duration_text(3725.4), "1:02:05");
    }
}
