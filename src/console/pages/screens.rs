//! 屏幕: every screen's state from its latest report, enrolment (the token
//! shown once, the screen's config file written out), screenshots on demand.

use super::super::operator::Operator;
use super::super::store::{Command, Enrolment, ScreenRow, StoreError};
use super::super::{auth, db, Shared};
use super::{audit, db_failed, group_names, page, page_with};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde_json::{json, Value};
use std::collections::HashMap;

/// A group's published version and (number, SHA-256) of each of its versions.
type GroupVersions = (Option<i64>, Vec<(i64, String)>);

/// Seconds between the page's refreshes.
const REFRESH_SECS: u32 = 10;

/// A screen is 离线 when its last report is older than this many intervals (plus a grace).
const MISSED_REPORTS: i64 = 3;

#[derive(serde::Deserialize)]
pub struct Filter {
    group: Option<String>,
    /// The screen a screenshot was just asked of, for the acknowledgement.
    asked: Option<String>,
    /// A remote action just queued and for how many screens, likewise.
    sent: Option<String>,
    n: Option<usize>,
}

/// Why reports were refused, in words.
fn rejection_text(reason: &str) -> &str {
    match reason {
        "unknown_screen" => "未登记的屏幕",
        "wrong_token" => "令牌不对",
        "removed_screen" => "已移除的屏幕",
        "too_large" => "报告过大",
        "too_slow" => "报告送达太慢",
        "bad_screenshot" => "截图不对",
        "bad_json" | "bad_report" => "报告格式不对",
        other => other,
    }
}

/// `GET /`.
pub async fn list(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Query(f): Query<Filter>,
) -> Response {
    let loaded = db(&console, |s| {
        let screens = s.screens()?;
        let mut versions = HashMap::new();
        for g in s.groups()? {
            versions.insert(g.name.clone(), (g.published, s.version_hashes(&g.name)?));
        }
        Ok::<_, StoreError>((screens, versions, s.rejected()?))
    })
    .await;
    let (screens, versions, rejected) = match loaded {
        Ok(l) => l,
        Err(e) => return db_failed(&console, &op, &e),
    };
    let group = f.group.filter(|g| !g.is_empty());
    let now = chrono::Utc::now().timestamp();
    let feed = console.feed.current();
    console
        .screens_viewed_at
        .store(now, std::sync::atomic::Ordering::Relaxed);
    let rows: Vec<Value> = screens
        .iter()
        .filter(|s| group.as_ref().is_none_or(|g| &s.group == g))
        .map(|s| {
            let mut row = describe(s, versions.get(&s.group), &feed.feed, now);
            row["may_act"] = json!(s.removed_at.is_none() && op.role.may_edit(&s.group));
            row
        })
        .collect();
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for r in &rows {
        let (label, class) = (
            r["state"].as_str().unwrap_or(""),
            r["class"].as_str().unwrap_or(""),
        );
        match counts.iter_mut().find(|c| c.0 == label) {
            Some(c) => c.2 += 1,
            None => counts.push((label.into(), class.into(), 1)),
        }
    }
    let summary: Vec<Value> = counts
        .into_iter()
        .map(|(label, class, count)| json!({"label": label, "class": class, "count": count}))
        .collect();
    let context = json!({
        "title": "屏幕", "refresh": REFRESH_SECS, "screens": rows, "summary": summary,
        "groups": group_names(&console).await, "group": group,
        "rejected": rejected.iter().map(|(why, n)| (rejection_text(why), n)).collect::<Vec<_>>(),
        "asked": f.asked,
        "sent": f.sent.as_deref().and_then(Command::parse).map(Command::label), "sent_to": f.n,
        "group_may_act": group.as_ref().is_some_and(|g| op.role.may_edit(g)),
    });
    page(&console, &op, "screens", "screens.html", context)
}

/// One screen's row: state, data age, what it shows, the version it runs,
/// its thumbnail's age, and what may be done with it.
fn describe(s: &ScreenRow, group: Option<&GroupVersions>, feed: &crate::feed::Feed, now: i64) -> Value {
    let report: Option<Value> = s.report.as_deref().and_then(|r| serde_json::from_str(r).ok());
    let (state, class, why) = match s.removed_at {
        Some(at) => (
            "已移除",
            "removed",
            format!("{}移除，令牌已失效", moment(at, now)),
        ),
        None => {
            let (state, class, why) = state_of(report.as_ref(), s.last_report_at, now);
            (state, class, why)
        }
    };
    let r = report.unwrap_or(Value::Null);
    let age = r["data"]["age_secs"]
        .as_i64()
        .map(duration_text)
        .unwrap_or_else(|| "—".into());
    let live = s.removed_at.is_none() && class != "offline";
    let showing = if live {
        showing_text(&r["showing"], feed)
    } else {
        "—".into()
    };
    let since = r["showing"]["since"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp());
    json!({
        "id": s.id, "name": s.name, "group": s.group, "place": s.place,
        "state": state, "class": class, "why": why,
        "data_age": age, "showing": showing, "config": config_text(&r, group),
        "last_report": s.last_report_at.map(|t| moment(t, now)).unwrap_or_else(|| "从未".into()),
        "version": r["version"].as_str().unwrap_or("—"),
        "thumb": s.thumbnail_at.map(|t| format!("/screens/{}/thumb.png?t={t}", urlencode(&s.id))),
        "shot": s.thumbnail_at.map(|t| format!("/screens/{}/shot.png?t={t}", urlencode(&s.id))),
        "thumb_at": s.thumbnail_at.map(|t| moment(t, now)),
        "thumb_old": matches!((s.thumbnail_at, since), (Some(t), Some(since)) if t < since),
        "offline": class == "offline", "removed": s.removed_at.is_some(), "live": live,
        "asked": s.screenshot_wanted,
        "pending": s.command.map(Command::label),
    })
}

/// How long ago `at` was: 刚刚, 45 秒前, 3 分钟前.
fn moment(at: i64, now: i64) -> String {
    match now - at {
        ..=1 => "刚刚".into(),
        secs => format!("{}前", duration_text(secs)),
    }
}

/// The state a report says, in the console's words: (label, CSS class, why).
pub fn state_of(report: Option<&Value>, last: Option<i64>, now: i64) -> (&'static str, &'static str, String) {
    let (Some(r), Some(last)) = (report, last) else {
        return ("未报到", "never", "已登记，尚未报到".into());
    };
    let interval = r["report_interval_secs"].as_i64().unwrap_or(60).max(1);
    if now - last > MISSED_REPORTS * interval + 30 {
        return ("离线", "offline", format!("已 {} 秒没有报到", now - last));
    }
    // Unhealthy first (a screen frozen in its off hours must not look
    // fine), except for stale data, which fails /healthz by design.
    if r["healthy"] == false && r["data"]["stale"] != true {
        return ("异常", "bad", "屏幕报告自身异常（见其 /healthz）".into());
    }
    if r["showing"]["state"] == "off" {
        return ("关屏时段", "off", "在开屏时段之外".into());
    }
    if r["data"]["stale"] == true {
        return ("数据过期", "stale", "所显示的数据已超过过期时限".into());
    }
    ("正常", "ok", "按时报到，数据新鲜，画面正常输出".into())
}

/// What a report says is on screen, the slide named by its title.
fn showing_text(s: &Value, feed: &crate::feed::Feed) -> String {
    let number = |key: &str| usize::try_from(s[key].as_u64().unwrap_or(0)).unwrap_or(0);
    match s["state"].as_str() {
        Some("page") => {
            let slide = s["slide"].as_str().unwrap_or("—");
            super::super::timeline::slide_title(feed, slide, number("page"), number("pages"))
        }
        Some("idle") => "空闲画面".into(),
        Some("off") => "关屏".into(),
        Some("starting") => "启动中".into(),
        _ => "—".into(),
    }
}

/// `v3`, `v3（最新）`, or `未知` for a config the console did not publish.
fn config_text(report: &Value, group: Option<&GroupVersions>) -> String {
    let Some((published, hashes)) = group else {
        return "未知".into();
    };
    match super::running_version(report, *published, hashes) {
        Some(n) if Some(n) == *published => format!("v{n}（已发布）"),
        Some(n) => format!("v{n}"),
        None if report["config"].is_null() => "—".into(),
        None => "未知（非控制台发布）".into(),
    }
}

/// Seconds as people say them: 45 秒, 3 分钟, 2 小时, 4 天.
pub fn duration_text(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..=59 => format!("{secs} 秒"),
        60..=3599 => format!("{} 分钟", secs / 60),
        3600..=172_799 => format!("{} 小时", secs / 3600),
        _ => format!("{} 天", secs / 86_400),
    }
}

pub(super) fn urlencode(s: &str) -> String {
    super::encode_segment(s)
}

/// `GET /screens/new`.
pub async fn new_form(State(console): State<Shared>, Extension(op): Extension<Operator>) -> Response {
    let context = json!({"title": "添加屏幕", "groups": group_names(&console).await, "form": {}});
    page(&console, &op, "screens", "enrol.html", context)
}

/// The enrolment form.
#[derive(serde::Deserialize, serde::Serialize)]
pub struct EnrolForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    place: String,
    /// Seconds between the screen's reports, for its config file.
    #[serde(default)]
    interval: String,
}

/// `POST /screens`: enrols, creating (and publishing) the group's first playlist when the group is new.
pub async fn enrol(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Form(f): Form<EnrolForm>,
) -> Response {
    let screen = Enrolment {
        id: f.id.trim().to_string(),
        name: f.name.trim().to_string(),
        group: f.group.trim().to_string(),
        place: f.place.trim().to_string(),
    };
    let interval = match f.interval.trim() {
        "" => Some(60),
        text => text.parse::<u64>().ok().filter(|n| (10..=3600).contains(n)),
    };
    let problem = enrolment_problem(&screen).or(interval.is_none().then_some("报告间隔应为 10 到 3600 秒。"));
    if let Some(problem) = problem {
        let mut context =
            json!({"title": "添加屏幕", "error": problem, "form": f, "groups": group_names(&console).await});
        return page_with(
            &console,
            &op,
            "screens",
            "enrol.html",
            StatusCode::UNPROCESSABLE_ENTITY,
            &mut context,
        );
    }
    let token = match auth::random_token() {
        Ok(token) => token,
        Err(e) => return super::no_randomness(&console, &op, &e),
    };
    let (hash, s, author) = (auth::token_hash(&token), screen.clone(), op.user.clone());
    let created = db(&console, move |store| {
        store.enrol_in_group(&s, &hash, Some((super::playlists::STARTER, &author)))
    })
    .await;
    match created {
        Ok(new_group) => {
            if new_group {
                audit(
                    &console,
                    &op.user,
                    "publish",
                    format!("{} v1（初始节目单）", screen.group),
                )
                .await;
            }
            audit(
                &console,
                &op.user,
                "enrol",
                format!("屏幕 {}（{}）加入分组 {}", screen.id, screen.name, screen.group),
            )
            .await;
        }
        Err(StoreError::Exists(_)) => {
            let taken = format!("编号 {} 已被另一块屏幕使用：请换一个编号。", screen.id);
            let mut context = json!({"title": "添加屏幕", "error": taken, "form": f, "groups": group_names(&console).await});
            return page_with(
                &console,
                &op,
                "screens",
                "enrol.html",
                StatusCode::CONFLICT,
                &mut context,
            );
        }
        Err(e) => return super::db_failed(&console, &op, &e),
    }
    enrolled_page(&console, &op, &screen, &token, interval.unwrap_or(60), "已添加")
}

/// The page that shows a screen's token once, with the screen's config
/// file and the command that runs it.
pub(super) fn enrolled_page(
    console: &Shared,
    op: &Operator,
    screen: &Enrolment,
    token: &str,
    interval: u64,
    title: &str,
) -> Response {
    let report_url = format!("{}/api/report", console.public_url);
    // The screen's own URL: it follows the screen when it is moved.
    let config_url = format!("{}/c/screen/{}.toml", console.public_url, urlencode(&screen.id));
    let screen_config = format!(
        "# {name}（{place}）：本屏幕自己的设置；节目单由控制台提供。\n\
         [screen]\nid = \"{id}\"\n\n[report]\nurl = \"{report_url}\"\ntoken = \"{token}\"\ninterval = {interval}\n",
        name = screen.name,
        place = screen.place,
        id = screen.id,
    );
    let insecure = if config_url.starts_with("http://") {
        " --allow-http-config"
    } else {
        ""
    };
    let run_command =
        format!("rankwall run --config {config_url} --screen-config /etc/rankwall/screen.toml{insecure}");
    let context = json!({
        "title": title, "name": screen.name, "token": token,
        "screen_config": screen_config, "run_command": run_command,
    });
    page(console, op, "screens", "enrolled.html", context)
}

/// What is wrong with an enrolment, in words for the operator.
fn enrolment_problem(s: &Enrolment) -> Option<&'static str> {
    let id_ok = !s.id.is_empty()
        && s.id.len() <= 64
        && s.id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Some("编号只能用字母、数字、- 和 _，最多 64 个字符。");
    }
    if s.name.is_empty() || !super::one_line(&s.name, 100) {
        return Some("请填写名称（一行，最多 100 个字）。");
    }
    if !super::group_name_ok(&s.group) {
        return Some(super::BAD_GROUP);
    }
    (!super::one_line(&s.place, 200)).then_some("位置应为一行，最多 200 个字。")
}

/// `POST /screens/<id>/screenshot`: asks for one at the next report.
pub async fn ask_screenshot(
    State(console): State<Shared>,
    Extension(op): Extension<Operator>,
    Path(id): Path<String>,
) -> Response {
    let owned = id.clone();
    if let Err(e) = db(&console, move |s| s.want_screenshot(&owned)).await {
        return db_failed(&console, &op, &e);
    }
    audit(&console, &op.user, "screenshot", format!("请求屏幕 {id} 的截图")).await;
    Redirect::to(&format!("/?asked={}", urlencode(&id))).into_response()
}

/// `GET /screens/<id>/thumb.png`.
pub async fn thumbnail(State(console): State<Shared>, Path(id): Path<String>) -> Response {
    picture(db(&console, move |s| s.thumbnail(&id)).await)
}

/// `GET /screens/<id>/shot.png`: the screenshot the thumbnail was made from.
pub async fn screenshot(State(console): State<Shared>, Path(id): Path<String>) -> Response {
    picture(db(&console, move |s| s.screenshot(&id)).await)
}

/// A stored PNG, or 404.
fn picture(png: Result<Option<Vec<u8>>, StoreError>) -> Response {
    match png {
        Ok(Some(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "max-age=60"),
            ],
            png,
        )
            .into_response(),
        _ => (StatusCode::NOT_FOUND, "没有截图\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::state_of;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn state(report: serde_json::Value, silent_for: i64) -> &'static str {
        state_of(Some(&report), Some(NOW - silent_for), NOW).0
    }

    #[test]
    fn a_screen_is_offline_after_three_missed_reports_and_half_a_minute() {
        let every_10 = json!({"report_interval_secs": 10, "healthy": true});
        assert_eq!(state(every_10.clone(), 60), "正常");
        assert_eq!(state(every_10.clone(), 61), "离线");
        // Without an interval, 60 s is assumed: 3 × 60 + 30.
        assert_eq!(state(json!({"healthy": true}), 210), "正常");
        assert_eq!(state(json!({"healthy": true}), 211), "离线");
        let (_, class, why) = state_of(Some(&every_10), Some(NOW - 61), NOW);
        assert_eq!((class, why.as_str()), ("offline", "已 61 秒没有报到"));
        assert_eq!(state_of(None, None, NOW).0, "未报到");
    }

    #[test]
    fn an_unhealthy_screen_is_bad_even_in_its_off_hours_but_stale_data_is_stale() {
        let frozen = json!({"healthy": false, "showing": {"state": "off"}});
        assert_eq!(state(frozen, 5), "异常");
        let stale = json!({"healthy": false, "data": {"stale": true}});
        assert_eq!(state(stale, 5), "数据过期");
        let off = json!({"healthy": true, "showing": {"state": "off"}});
        assert_eq!(state(off, 5), "关屏时段");
        // Offline wins over everything a last report said.
        assert_eq!(state(json!({"healthy": false}), 3600), "离线");
    }
}
