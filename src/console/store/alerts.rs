//! Alerts in the database: the admin's settings (threshold, webhook), the
//! screens whose alert went out and whose recovery has not (so a console
//! restart neither repeats nor forgets one), and each alert with how its
//! delivery went, for the 告警 page.

use super::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// The payload a webhook receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookFormat {
    /// rankwall's own JSON (documented in docs/console.md).
    Generic,
    /// A 企业微信 group robot (`msgtype: text`).
    WeCom,
    /// A 钉钉 group robot (`msgtype: text`).
    DingTalk,
}

impl WebhookFormat {
    /// The word the settings and the form carry.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Generic => "generic",
            WebhookFormat::WeCom => "wecom",
            WebhookFormat::DingTalk => "dingtalk",
        }
    }

    /// The format a word names; rankwall's own for anything else.
    pub fn parse(word: &str) -> WebhookFormat {
        match word {
            "wecom" => WebhookFormat::WeCom,
            "dingtalk" => WebhookFormat::DingTalk,
            _ => WebhookFormat::Generic,
        }
    }
}

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailSecurity {
    /// Plain first, then STARTTLS (required), usually port 587.
    StartTls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// None at all: only to a relay on this machine (refused otherwise).
    None,
}

impl MailSecurity {
    /// The word the settings and the form carry.
    pub fn as_str(self) -> &'static str {
        match self {
            MailSecurity::StartTls => "starttls",
            MailSecurity::Tls => "tls",
            MailSecurity::None => "none",
        }
    }

    /// The security a word names; STARTTLS for anything else.
    pub fn parse(word: &str) -> MailSecurity {
        match word {
            "tls" => MailSecurity::Tls,
            "none" => MailSecurity::None,
            _ => MailSecurity::StartTls,
        }
    }
}

/// Where alert e-mails go and how.
#[derive(Clone, Debug, PartialEq)]
pub struct MailSettings {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is protected.
    pub security: MailSecurity,
    /// The login, if the server wants one.
    pub user: String,
    /// Its password (kept in the console's private database).
    pub password: String,
    /// The sender's address.
    pub from: String,
    /// The recipients' addresses.
    pub to: Vec<String>,
}

/// What the admin set on the 告警 page.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertSettings {
    /// How long a screen must be 离线, 异常 or 数据过期 before an alert.
    pub threshold_secs: i64,
    /// Where alerts are posted; none: alerts are only listed and audited.
    pub webhook_url: Option<String>,
    /// What the webhook receives.
    pub format: WebhookFormat,
    /// Alert e-mails; none: no e-mail.
    pub mail: Option<MailSettings>,
}

/// The threshold until an admin sets one: five minutes.
pub const DEFAULT_THRESHOLD_SECS: i64 = 300;

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            threshold_secs: DEFAULT_THRESHOLD_SECS,
            webhook_url: None,
            format: WebhookFormat::Generic,
            mail: None,
        }
    }
}

/// One alert as the 告警 page lists it.
#[derive(Clone, Debug)]
pub struct AlertRow {
    /// Its number.
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The screen it is about.
    pub screen_id: String,
    /// `down`, `up` or `test`.
    pub kind: String,
    /// The message as sent.
    pub text: String,
    /// `pending`, `sent`, `failed` or `unset` (no webhook).
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last attempt's error.
    pub error: Option<String>,
    /// The e-mail's delivery, as `status`; none when no mail was due.
    pub mail_status: Option<String>,
    /// The last e-mail attempt's error.
    pub mail_error: Option<String>,
}

impl Store {
    /// The alert settings, the defaults where none are set.
    pub fn alert_settings(&self) -> Result<AlertSettings, StoreError> {
        let conn = self.lock();
        let get = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
                .optional()?)
        };
        let defaults = AlertSettings::default();
        Ok(AlertSettings {
            threshold_secs: get("alert_threshold_secs")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(defaults.threshold_secs),
            webhook_url: get("alert_webhook_url")?.filter(|u| !u.is_empty()),
            format: WebhookFormat::parse(&get("alert_webhook_format")?.unwrap_or_default()),
            mail: match get("alert_mail")? {
                Some(json) if !json.is_empty() => mail_of(&json),
                _ => None,
            },
        })
    }

    /// Keeps the alert settings.
    pub fn set_alert_settings(&self, s: &AlertSettings) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let url = s.webhook_url.clone().unwrap_or_default();
        let threshold = s.threshold_secs.to_string();
        let mail = s.mail.as_ref().map(mail_json).unwrap_or_default();
        for (key, value) in [
            ("alert_threshold_secs", threshold.as_str()),
            ("alert_webhook_url", url.as_str()),
            ("alert_webhook_format", s.format.as_str()),
            ("alert_mail", mail.as_str()),
        ] {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The screens with an alert out and no recovery: id → state alerted.
    pub fn open_incidents(&self) -> Result<HashMap<String, String>, StoreError> {
        let conn = self.lock();
        let mut q = conn.prepare("SELECT screen_id, state FROM alert_incidents")?;
        let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records an alert: `down` opens the screen's incident, `up` closes
    /// it, `test` neither. The alert's number.
    pub fn add_alert(
        &self,
        at: i64,
        screen_id: &str,
        kind: &str,
        state: &str,
        text: &str,
    ) -> Result<i64, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        match kind {
            "down" => {
                tx.execute(
                    "INSERT OR REPLACE INTO alert_incidents (screen_id, opened_at, state) VALUES (?1, ?2, ?3)",
                    params![screen_id, at, state],
                )?;
            }
            "up" => {
                tx.execute("DELETE FROM alert_incidents WHERE screen_id = ?1", [screen_id])?;
            }
            _ => {}
        }
        tx.execute(
            "INSERT INTO alerts (at, screen_id, kind, text) VALUES (?1, ?2, ?3, ?4)",
            params![at, screen_id, kind, text],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Forgets a screen's incident without a recovery alert (it was removed).
    pub fn drop_incident(&self, screen_id: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("DELETE FROM alert_incidents WHERE screen_id = ?1", [screen_id])?;
        Ok(())
    }

    /// Records how mailing alert `id` went.
    pub fn alert_mail_delivery(&self, id: i64, status: &str, error: Option<&str>) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE alerts SET mail_status = ?2, mail_error = ?3 WHERE id = ?1",
            params![id, status, error],
        )?;
        Ok(())
    }

    /// Records how delivering alert `id` went.
    pub fn alert_delivery(
        &self,
        id: i64,
        status: &str,
        attempts: i64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE alerts SET status = ?2, attempts = ?3, error = ?4 WHERE id = ?1",
            params![id, status, attempts, error],
        )?;
        Ok(())
    }

    /// The latest `limit` alerts, newest first.
    pub fn recent_alerts(&self, limit: i64) -> Result<Vec<AlertRow>, StoreError> {
        let conn = self.lock();
        let mut q = conn.prepare(
            "SELECT id, at, screen_id, kind, text, status, attempts, error, mail_status, mail_error
             FROM alerts ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = q.query_map([limit], |r| {
            Ok(AlertRow {
                id: r.get(0)?,
                at: r.get(1)?,
                screen_id: r.get(2)?,
                kind: r.get(3)?,
                text: r.get(4)?,
                status: r.get(5)?,
                attempts: r.get(6)?,
                error: r.get(7)?,
                mail_status: r.get(8)?,
                mail_error: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The mail settings as one JSON value in the settings table.
fn mail_json(m: &MailSettings) -> String {
    serde_json::json!({
        "host": m.host, "port": m.port, "security": m.security.as_str(), "user": m.user,
        "password": m.password, "from": m.from, "to": m.to,
    })
    .to_string()
}

fn mail_of(json: &str) -> Option<MailSettings> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Some(MailSettings {
        host: text("host"),
        port: u16::try_from(v["port"].as_u64()?).ok()?,
        security: MailSecurity::parse(&text("security")),
        user: text("user"),
        password: text("password"),
        from: text("from"),
        to: v["to"]
            .as_array()?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_incidents_open_and_close() {
        let store = Store::in_memory().unwrap();
        assert_eq!(store.alert_settings().unwrap(), AlertSettings::default());
        let set = AlertSettings {
            threshold_secs: 120,
            webhook_url: Some("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into()),
            format: WebhookFormat::WeCom,
            mail: Some(MailSettings {
                host: "smtp.example.cn".into(),
                port: 587,
                security: MailSecurity::StartTls,
                user: "alerts".into(),
                password: "secret".into(),
                from: "rankwall@example.cn".into(),
                to: vec!["it@example.cn".into(), "duty@example.cn".into()],
            }),
        };
        store.set_alert_settings(&set).unwrap();
        assert_eq!(store.alert_settings().unwrap(), set);
        let down = store.add_alert(1, "s1", "down", "离线", "屏幕离线").unwrap();
        assert_eq!(store.open_incidents().unwrap()["s1"], "离线");
        store.alert_delivery(down, "sent", 2, None).unwrap();
        store.add_alert(2, "s1", "up", "正常", "屏幕恢复").unwrap();
        assert!(store.open_incidents().unwrap().is_empty());
        let rows = store.recent_alerts(10).unwrap();
        assert_eq!(
            (rows[0].kind.as_str(), rows[1].status.as_str(), rows[1].attempts),
            ("up", "sent", 2)
        );
    }
}
