//! Alerts when a screen goes dark: every few seconds the console looks at
//! each screen's state as the 屏幕 page shows it; a screen 离线, 异常 or
//! 数据过期 for longer than the admin's threshold gets one alert, and one
//! recovery notice when it is 正常 (or 关屏时段) again. Each is recorded,
//! audited and handed to the sender (webhook, e-mail), which retries with
//! backoff on its own task: a slow or failing receiver never holds up
//! reports.

mod mail;
mod webhook;

pub use mail::send as send_mail;
pub use webhook::send_test;

use super::pages::screens::state_of;
use super::store::{ScreenRow, StoreError};
use super::{db, Shared};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;

/// One alert to deliver.
#[derive(Clone, Debug)]
pub struct Notice {
    /// Its row in the `alerts` table.
    pub id: i64,
    /// `down`, `up` or `test`.
    pub kind: &'static str,
    /// The message, in Chinese.
    pub text: String,
    /// The screen's id, name, group and place; its state and why.
    pub screen: serde_json::Value,
    /// Unix seconds.
    pub at: i64,
}

/// Watches the screens every `every` for ever.
pub async fn watch(console: Shared, every: Duration) {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(webhook::deliver(console.clone(), rx));
    // When each screen was first seen in trouble (since this console started).
    let mut bad_since: HashMap<String, i64> = HashMap::new();
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(e) = check(&console, &mut bad_since, &tx).await {
            tracing::error!("console alerts: {e}");
        }
    }
}

/// One look at every screen.
async fn check(
    console: &Shared,
    bad_since: &mut HashMap<String, i64>,
    tx: &mpsc::UnboundedSender<Notice>,
) -> Result<(), StoreError> {
    let (screens, settings, open) = db(console, |s| {
        Ok((s.screens()?, s.alert_settings()?, s.open_incidents()?))
    })
    .await?;
    let now = chrono::Utc::now().timestamp();
    for screen in &screens {
        if screen.removed_at.is_some() {
            if open.contains_key(&screen.id) {
                let id = screen.id.clone();
                db(console, move |s| s.drop_incident(&id)).await?;
            }
            continue;
        }
        let report: Option<serde_json::Value> = screen
            .report
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok());
        let (label, class, why) = state_of(report.as_ref(), screen.last_report_at, now);
        let troubled = matches!(class, "offline" | "bad" | "stale");
        let notice = if troubled {
            let since = *bad_since.entry(screen.id.clone()).or_insert(now);
            (!open.contains_key(&screen.id) && now - since >= settings.threshold_secs)
                .then(|| down_text(screen, label, &why, now - since))
                .map(|text| ("down", label, text))
        } else {
            let since = bad_since.remove(&screen.id);
            open.get(&screen.id)
                .map(|was| ("up", label, up_text(screen, was, since.map(|s| now - s))))
        };
        if let Some((kind, state, text)) = notice {
            raise(console, tx, screen, (kind, state, text, &why), now).await?;
        }
    }
    Ok(())
}

/// Records, audits and queues one alert.
async fn raise(
    console: &Shared,
    tx: &mpsc::UnboundedSender<Notice>,
    screen: &ScreenRow,
    (kind, state, text, why): (&'static str, &str, String, &str),
    now: i64,
) -> Result<(), StoreError> {
    let (id, owned_kind, owned_state, owned_text) =
        (screen.id.clone(), kind, state.to_string(), text.clone());
    let row = db(console, move |s| {
        let row = s.add_alert(now, &id, owned_kind, &owned_state, &owned_text)?;
        let action = if owned_kind == "down" {
            "alert_down"
        } else {
            "alert_up"
        };
        s.audit("告警", action, &owned_text)?;
        Ok(row)
    })
    .await?;
    tracing::warn!(screen = %screen.id, kind, "{text}");
    let _ = tx.send(Notice {
        id: row,
        kind,
        text,
        screen: serde_json::json!({
            "id": screen.id, "name": screen.name, "group": screen.group, "place": screen.place,
            "state": state, "reason": why,
        }),
        at: now,
    });
    Ok(())
}

fn who(screen: &ScreenRow) -> String {
    let place = if screen.place.is_empty() {
        String::new()
    } else {
        format!(" · {}", screen.place)
    };
    format!("屏幕“{}”（{}，{}{place}）", screen.name, screen.id, screen.group)
}

fn down_text(screen: &ScreenRow, state: &str, why: &str, for_secs: i64) -> String {
    format!(
        "【rankwall 告警】{}{state}：{why}（已持续 {} 秒以上）",
        who(screen),
        for_secs
    )
}

fn up_text(screen: &ScreenRow, was: &str, for_secs: Option<i64>) -> String {
    let lasted = for_secs
        .map(|s| format!("，{was}约 {} 分钟", (s + 59) / 60))
        .unwrap_or_default();
    format!("【rankwall 恢复】{}已恢复正常{lasted}", who(screen))
}
