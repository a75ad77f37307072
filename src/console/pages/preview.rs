//! 预览: the exact frame a group's screens show at an instant on a chosen
//! screen size (drawn by the code that draws the screens), and the day's
//! timeline.

use super::super::operator::Operator;
use super::super::store::{StoreError, Version};
use super::super::{db, preview, shot, timeline, Shared};
use super::{db_failed, encode_segment, group_names, page};
use crate::config::{PanelSize, PanelSizeError, Settings};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde_json::{json, Value};

/// The sizes offered besides each screen's own.
const SIZES: &[(&str, &str)] = &[
    ("1920x1080", "1920×1080 横屏"),
    ("1080x1920", "1080×1920 竖屏"),
    ("3840x2160", "3840×2160 4K"),
    ("1280x256", "1280×256 LED 条屏"),
];

#[derive(serde::Deserialize, Default)]
pub struct Ask {
    group: Option<String>,
    version: Option<String>,
    size: Option<String>,
    at: Option<String>,
}

/// What a preview request resolves to.
struct Resolved {
    group: String,
    version: Version,
    settings: Settings,
    size: PanelSize,
    at: DateTime<FixedOffset>,
}

/// Why a preview cannot be drawn: a message for the operator (in their words).
#[derive(Debug, thiserror::Error)]
enum Unresolved {
    /// There is no group to preview.
    #[error("还没有分组。")]
    NoGroups,
    /// The store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The group has no such version (or none at all).
    #[error("{0} 没有这个版本。")]
    NoVersion(String),
    /// The version's config has errors.
    #[error("v{0} 有错误，无法预览。")]
    Invalid(i64),
    /// The screen chosen for its size has not reported one.
    #[error("这块屏幕还没有报告尺寸。")]
    NoScreenSize,
    /// The size is not one rankwall lays out for.
    #[error("{}", size_in_chinese(.0))]
    Size(#[from] PanelSizeError),
    /// A size no screen the console supports has (a preview of it would
    /// take seconds and a gigabyte).
    #[error("预览尺寸 {0}×{1} 超出控制台支持的屏幕：长边至多 3840 像素，长宽比至多 8:1。")]
    Unsupported(u32, u32),
    /// The instant is not `YYYY-MM-DDTHH:MM[:SS]`.
    #[error("时刻 {0} 的格式不对，应为 2026-11-29T10:00")]
    BadInstant(String),
    /// The instant does not exist in the zone (a skipped hour).
    #[error("时刻 {0} 不存在")]
    NoSuchInstant(String),
}

/// A size the preview cannot lay out, said in Chinese.
fn size_in_chinese(e: &PanelSizeError) -> String {
    match e {
        PanelSizeError::NotAPair(text) => format!("尺寸「{text}」不是“宽×高”的写法，例如 1920×1080。"),
        PanelSizeError::OutOfRange { width, height } => format!(
            "尺寸 {width}×{height} 超出范围：宽至少 {}、高至少 {}，长边至多 {} 像素。",
            crate::panel::MIN_WIDTH,
            crate::panel::MIN_HEIGHT,
            crate::panel::MAX_SIDE
        ),
    }
}

/// Resolves `ask` against the store and the feed; a message for the operator otherwise.
async fn resolve(console: &Shared, ask: &Ask) -> Result<Resolved, Unresolved> {
    let groups = group_names(console).await;
    let group = ask
        .group
        .clone()
        .filter(|g| !g.is_empty())
        .or_else(|| groups.first().cloned())
        .ok_or(Unresolved::NoGroups)?;
    let number = ask
        .version
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| v.trim_start_matches('v').parse::<i64>());
    let g = group.clone();
    let version = db(console, move |s| match number {
        Some(Ok(n)) => s.version(&g, n),
        Some(Err(_)) => Ok(None),
        None => Ok(s.published(&g)?.or(s.versions(&g)?.into_iter().next())),
    })
    .await?
    .ok_or_else(|| Unresolved::NoVersion(group.clone()))?;
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &version.text, Some(&feed.feed));
    let settings = checked.settings.ok_or(Unresolved::Invalid(version.number))?;
    let size = size_of(console, ask.size.as_deref()).await?;
    let at = instant(ask.at.as_deref(), settings.screen.time_zone)?;
    Ok(Resolved {
        group,
        version,
        settings,
        size,
        at,
    })
}

/// `WIDTHxHEIGHT`, or `screen:<id>` for the size a screen last reported,
/// within the screens the console supports.
async fn size_of(console: &Shared, size: Option<&str>) -> Result<PanelSize, Unresolved> {
    let size = any_size_of(console, size).await?;
    if !shot::size_supported(size.width, size.height) {
        return Err(Unresolved::Unsupported(size.width, size.height));
    }
    Ok(size)
}

/// The size a screen last reported, when it is one the console supports.
fn reported_size(report: Option<&str>) -> Option<(u32, u32)> {
    let report: Value = serde_json::from_str(report?).ok()?;
    let side = |key: &str| report[key].as_u64().and_then(|n| u32::try_from(n).ok());
    let (w, h) = (side("width")?, side("height")?);
    shot::size_supported(w, h).then_some((w, h))
}

async fn any_size_of(console: &Shared, size: Option<&str>) -> Result<PanelSize, Unresolved> {
    let size = size.filter(|s| !s.is_empty()).unwrap_or("1920x1080");
    if let Some(id) = size.strip_prefix("screen:") {
        let id = id.to_string();
        let screens = db(console, |s| s.screens()).await?;
        let report: Value = screens
            .into_iter()
            .find(|s| s.id == id)
            .and_then(|s| s.report)
            .and_then(|r| serde_json::from_str(&r).ok())
            .ok_or(Unresolved::NoScreenSize)?;
        let (w, h) = (
            report["width"].as_u64().unwrap_or(0),
            report["height"].as_u64().unwrap_or(0),
        );
        return Ok(PanelSize::parse(&format!("{w}x{h}"))?);
    }
    Ok(PanelSize::parse(size)?)
}

/// A `datetime-local` value in `zone`, or now.
fn instant(at: Option<&str>, zone: FixedOffset) -> Result<DateTime<FixedOffset>, Unresolved> {
    let Some(at) = at.filter(|a| !a.is_empty()) else {
        return Ok(chrono::Utc::now().with_timezone(&zone));
    };
    let local = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M"))
        .map_err(|_| Unresolved::BadInstant(at.to_string()))?;
    zone.from_local_datetime(&local)
        .single()
        .ok_or_else(|| Unresolved::NoSuchInstant(at.to_string()))
}

/// `GET /preview`.
pub async fn show(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(ask): Query<Ask>,
) -> Response {
    let screens = match db(&console, |s| s.screens()).await {
        Ok(s) => s,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let mut sizes: Vec<Value> = SIZES
        .iter()
        .map(|(v, l)| json!({"value": v, "label": l}))
        .collect();
    // A screen is offered for its size only when that size is one the
    // console previews (a screen reporting 8192×8192 is not listed).
    sizes.extend(screens.iter().filter(|s| reported_size(s.report.as_deref()).is_some()).map(
        |s| json!({"value": format!("screen:{}", s.id), "label": format!("屏幕 {}（{}）", s.name, s.id)}),
    ));
    let mut context = json!({
        "title": "预览", "groups": group_names(&console).await, "sizes": sizes,
        "group": ask.group, "version": ask.version, "size": ask.size.clone().unwrap_or_else(|| "1920x1080".into()), "at": ask.at,
    });
    let resolved = match resolve(&console, &ask).await {
        Ok(r) => r,
        Err(message) => {
            context["error"] = json!(message.to_string());
            return page(&console, &op, "preview", "preview.html", context);
        }
    };
    let at_text = resolved.at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let query = serde_urlencoded::to_string([
        ("group", resolved.group.as_str()),
        ("version", &resolved.version.number.to_string()),
        ("size", context["size"].as_str().unwrap_or("1920x1080")),
        ("at", &at_text),
    ])
    .unwrap_or_default();
    let feed = console.feed.current().feed.as_ref().clone();
    let (settings, size, date) = (resolved.settings.clone(), resolved.size, resolved.at.date_naive());
    // A timeline lays out the whole playlist: one at a time, like the frames.
    let Ok(_permit) = console.renders.acquire().await else {
        return db_failed(
            &console,
            &op,
            &super::super::store::StoreError::Missing("the console".into()),
        );
    };
    let rows = tokio::task::spawn_blocking(move || {
        let fonts = crate::text::Fonts::load(&crate::play::font_options(&settings.theme)).ok()?;
        let player = crate::play::Player::new(fonts, settings.clone(), feed, size.pair()).ok()?;
        Some(timeline::day(&player, &settings, date))
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default();
    context["group"] = json!(resolved.group);
    context["version_shown"] = json!(resolved.version.number);
    context["at"] = json!(at_text);
    context["date"] = json!(date.to_string());
    let today = chrono::Utc::now()
        .with_timezone(&resolved.settings.screen.time_zone)
        .date_naive();
    context["day"] = json!(match (date - today).num_days() {
        0 => "今天".to_string(),
        1 => "明天".to_string(),
        -1 => "昨天".to_string(),
        _ => date.format("%-m月%-d日").to_string(),
    });
    context["frame"] = json!(format!("/preview.png?{query}"));
    context["timeline"] = json!(rows);
    context["publish_link"] = json!(format!("/publish?group={}", encode_segment(&resolved.group)));
    page(&console, &op, "preview", "preview.html", context)
}

/// `GET /preview.png`: the frame, as PNG.
pub async fn frame(State(console): State<Shared>, Query(ask): Query<Ask>) -> Response {
    let resolved = match resolve(&console, &ask).await {
        Ok(r) => r,
        Err(message) => return (StatusCode::UNPROCESSABLE_ENTITY, message.to_string()).into_response(),
    };
    let Ok(_permit) = console.renders.acquire().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    };
    let current = console.feed.current();
    let feed = current.feed.as_ref().clone();
    let mut settings = resolved.settings;
    if current.embedded_demo {
        settings.feed.for_embedded_demo();
    }
    let drawn =
        tokio::task::spawn_blocking(move || preview::frame_png(settings, feed, resolved.size, resolved.at))
            .await;
    match drawn {
        Ok(Ok(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            png,
        )
            .into_response(),
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot draw the preview: {e}"),
        )
            .into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the preview task failed").into_response(),
    }
}

/// `?group=…&title=…&body=…`: a message as the playlist form is writing it.
#[derive(serde::Deserialize)]
pub struct MessageAsk {
    group: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// The longest message text the live preview draws (the config's limit).
const MESSAGE_PREVIEW_CHARS: usize = 4000;

/// `GET /preview/message.png`: the message alone as a 1920×1080 screen shows
/// it now, for the playlist form's live preview; a character no font draws
/// is refused (422) with the character named, as a save would be.
pub async fn message(State(console): State<Shared>, Query(ask): Query<MessageAsk>) -> Response {
    // JSON for the form's script, which shows `error` under the picture.
    let refuse = |text: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(serde_json::json!({ "error": text })),
        )
            .into_response()
    };
    if ask.title.chars().count() > 60 || ask.body.chars().count() > MESSAGE_PREVIEW_CHARS {
        return refuse(format!(
            "消息太长：标题最多 60 个字，正文最多 {MESSAGE_PREVIEW_CHARS} 个字。"
        ));
    }
    let text = crate::console::editor::message_only(&ask.title, &ask.body);
    let group = ask.group.unwrap_or_default();
    let feed = console.feed.current();
    let checked = crate::config::parse_remote(&format!("{group}.toml"), &text, Some(&feed.feed));
    let Some(mut settings) = checked.settings else {
        return refuse("这条消息还不能显示：请填写标题或正文。".into());
    };
    let uncovered = crate::console::uncovered::uncovered_in_messages(&settings, &text);
    if let Some(first) = uncovered.first() {
        let said = first["text"].as_str().unwrap_or_default();
        // The line number means nothing here: only what follows it.
        let said = said.split_once('：').map_or(said, |(_, rest)| rest);
        return refuse(said.to_string());
    }
    let Ok(_permit) = console.renders.acquire().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    };
    let feed = feed.feed.as_ref().clone();
    if console.feed.current().embedded_demo {
        settings.feed.for_embedded_demo();
    }
    let Ok(size) = PanelSize::parse("1920x1080") else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no preview size").into_response();
    };
    let at = chrono::Utc::now().with_timezone(&settings.screen.time_zone);
    let drawn = tokio::task::spawn_blocking(move || preview::frame_png(settings, feed, size, at)).await;
    match drawn {
        Ok(Ok(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            png,
        )
            .into_response(),
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot draw the preview: {e}"),
        )
            .into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the preview task failed").into_response(),
    }
}
