//! 日程: the week of a group's published playlist, day by day, in stretches
//! of what plays (`console::calendar`); each stretch opens the preview at
//! its start.

use super::super::operator::Operator;
use super::super::{calendar, db, editor, Shared};
use super::{db_failed, encode_segment, error_page, page};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

/// `?group=…&week=YYYY-MM-DD` (any day of the week; default this week).
#[derive(serde::Deserialize)]
pub struct Ask {
    group: Option<String>,
    week: Option<String>,
}

/// `GET /calendar`.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(ask): Query<Ask>,
) -> Response {
    let all = match db(&console, |s| s.groups()).await {
        Ok(g) => g,
        Err(e) => return db_failed(&console, &op, &e),
    };
    // Without a choice: the first group that plays something.
    let first = all.iter().find(|g| g.published.is_some()).map(|g| g.name.clone());
    let groups: Vec<String> = all.into_iter().map(|g| g.name).collect();
    let Some(group) = ask.group.clone().or(first) else {
        return error_page(&console, &op, StatusCode::NOT_FOUND, "还没有发布过节目单的分组。");
    };
    let g = group.clone();
    let published = match db(&console, move |s| s.published(&g)).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return error_page(
                &console,
                &op,
                StatusCode::NOT_FOUND,
                &format!("分组 {group} 还没有发布过节目单。"),
            )
        }
        Err(e) => return db_failed(&console, &op, &e),
    };
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &published.text, Some(&feed.feed));
    let Some(settings) = checked.settings else {
        return error_page(
            &console,
            &op,
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("分组 {group} 发布的节目单有错误。"),
        );
    };
    let today = chrono::Utc::now()
        .with_timezone(&settings.screen.time_zone)
        .date_naive();
    let day = ask
        .week
        .as_deref()
        .and_then(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let labels = item_labels(&published.text, &settings, &feed.feed);
    let week = calendar::week(&settings, &feed.feed, monday, &labels);
    let link = |d: NaiveDate| {
        format!(
            "/calendar?group={}&week={}",
            encode_segment(&group),
            d.format("%Y-%m-%d")
        )
    };
    let context = json!({
        "title": "日程", "group": group, "groups": groups, "days": week,
        "preview": format!("/preview?group={}&at=", encode_segment(&group)),
        "earlier": link(monday - Duration::days(7)), "later": link(monday + Duration::days(7)),
        "span": format!("{} 至 {}", monday.format("%-m月%-d日"), (monday + Duration::days(6)).format("%-m月%-d日")),
    });
    page(&console, &op, "calendar", "calendar.html", context)
}

/// Each item's name as the form shows it; an operator's message by its title.
fn item_labels(text: &str, settings: &crate::config::Settings, feed: &crate::feed::Feed) -> Vec<String> {
    let form = editor::form_fields(text, feed);
    (0..settings.playlist.len())
        .map(|i| {
            if let crate::config::Content::Notice(id) = &settings.playlist[i].content {
                if let Some(m) = settings.messages.iter().find(|m| &m.id == id) {
                    return format!("消息：{}", m.title);
                }
                if let Some(m) = settings.banners.iter().find(|m| &m.id == id) {
                    return format!("提示：{}", m.title);
                }
            }
            form.as_ref()
                .and_then(|f| {
                    let item = f.items.get(i)?;
                    let choice = f.choices.iter().find(|c| c.value == item.content);
                    choice.map(|c| c.label.clone()).or_else(|| item.own_label.clone())
                })
                .unwrap_or_else(|| format!("第 {} 项", i + 1))
        })
        .collect()
}
