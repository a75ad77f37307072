//! Posting alerts to the admin's webhook: rankwall's own JSON, or the text
//! message of a 企业微信 or 钉钉 group robot. Tried up to [`ATTEMPTS`]
//! times, waiting 1, 2, 4 … seconds between tries; the outcome of each
//! alert is kept for the 告警 page.

use super::super::store::{AlertSettings, WebhookFormat};
use super::super::{db, Shared};
use super::Notice;
use crate::net::HttpOptions;
use std::time::Duration;
use tokio::sync::mpsc;

/// Tries per alert before it is marked failed.
pub const ATTEMPTS: i64 = 4;
/// The first wait between tries; doubled after each.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest one post may take.
const POST_TIMEOUT: Duration = Duration::from_secs(10);

/// The body `format` posts for `notice`.
pub fn payload(format: WebhookFormat, notice: &Notice) -> serde_json::Value {
    match format {
        WebhookFormat::Generic => serde_json::json!({
            "event": notice.kind,
            "text": notice.text,
            "screen": notice.screen,
            "at": chrono::DateTime::from_timestamp(notice.at, 0).map(|t| t.to_rfc3339()),
        }),
        // Both robots take the same text message; a robot secured by
        // keyword needs one the text carries, e.g. "rankwall".
        WebhookFormat::WeCom | WebhookFormat::DingTalk => serde_json::json!({
            "msgtype": "text",
            "text": { "content": notice.text },
        }),
    }
}

/// Delivers alerts one after another, in order, for ever.
pub(super) async fn deliver(console: Shared, mut rx: mpsc::UnboundedReceiver<Notice>) {
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("console alerts: no HTTP client: {e}");
            return;
        }
    };
    while let Some(notice) = rx.recv().await {
        let settings = db(&console, |s| s.alert_settings()).await.unwrap_or_default();
        let (status, attempts, error) = match &settings.webhook_url {
            None => ("unset", 0, None),
            Some(_) => with_retries(|| post(&client, &settings, &notice)).await,
        };
        let id = notice.id;
        if let Err(e) = db(&console, move |s| {
            s.alert_delivery(id, status, attempts, error.as_deref())
        })
        .await
        {
            tracing::error!("console alerts: {e}");
        }
        if let Some(mail) = &settings.mail {
            let (status, _, error) = with_retries(|| super::mail::send(mail, &notice)).await;
            if let Err(e) = db(&console, move |s| {
                s.alert_mail_delivery(id, status, error.as_deref())
            })
            .await
            {
                tracing::error!("console alerts: {e}");
            }
        }
    }
}

/// Tries `send` until it succeeds or [`ATTEMPTS`] have failed: the status,
/// the tries, the last error.
async fn with_retries<F, Fut>(mut send: F) -> (&'static str, i64, Option<String>)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let mut wait = FIRST_BACKOFF;
    let mut last = None;
    for attempt in 1..=ATTEMPTS {
        match send().await {
            Ok(()) => return ("sent", attempt, None),
            Err(e) => {
                tracing::warn!(attempt, "console alerts: a delivery failed: {e}");
                last = Some(e);
            }
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    ("failed", ATTEMPTS, last)
}

/// One post; the error in words (the URL's secret redacted).
async fn post(client: &reqwest::Client, settings: &AlertSettings, notice: &Notice) -> Result<(), String> {
    let Some(url) = &settings.webhook_url else {
        return Err("没有设置 Webhook 地址".into());
    };
    let answer = client
        .post(url)
        .header("content-type", "application/json")
        .body(payload(settings.format, notice).to_string())
        .send()
        .await
        // Without the URL: a robot's URL carries its key.
        .map_err(crate::net::error_text)?;
    let status = answer.status();
    if !status.is_success() {
        return Err(format!("接收方回答 {status}"));
    }
    // The robots answer 200 with an error code in the body.
    let body = answer.bytes().await.unwrap_or_default();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    match body["errcode"].as_i64() {
        Some(code) if code != 0 => Err(format!(
            "接收方拒绝：errcode {code} {}",
            body["errmsg"].as_str().unwrap_or("")
        )),
        _ => Ok(()),
    }
}

/// The 测试 button: one post of a test message, now; the error if it failed.
pub async fn send_test(settings: &AlertSettings, notice: &Notice) -> Result<(), String> {
    let client = client().map_err(|e| e.to_string())?;
    post(&client, settings, notice).await
}

fn client() -> Result<reqwest::Client, crate::net::FetchError> {
    crate::net::build_client(&HttpOptions {
        total_timeout: POST_TIMEOUT,
        screen_id: "console".into(),
        ..HttpOptions::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            id: 1,
            kind: "down",
            text: "【rankwall 告警】屏幕“一号屏”离线".into(),
            screen: serde_json::json!({"id": "s1", "state": "离线"}),
            at: 1_800_000_000,
        }
    }

    #[test]
    fn each_format_carries_the_text_as_its_receiver_expects() {
        let generic = payload(WebhookFormat::Generic, &notice());
        assert_eq!(
            (generic["event"].as_str(), generic["screen"]["id"].as_str()),
            (Some("down"), Some("s1"))
        );
        assert_eq!(generic["at"], "2027-01-15T08:00:00+00:00");
        for robot in [WebhookFormat::WeCom, WebhookFormat::DingTalk] {
            let body = payload(robot, &notice());
            assert_eq!(body["msgtype"], "text");
            assert_eq!(body["text"]["content"], notice().text);
        }
    }
}
