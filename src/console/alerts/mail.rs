//! Alert e-mails over SMTP (`lettre`): STARTTLS (required, not
//! opportunistic) or TLS from the start, with the system's roots; plain
//! SMTP only to a relay on this machine, which the 告警 page enforces.

use super::super::store::{MailSecurity, MailSettings};
use super::Notice;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The longest one conversation with the server may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Sends `notice` to every recipient; the error in words.
pub async fn send(mail: &MailSettings, notice: &Notice) -> Result<(), String> {
    let message = message(mail, notice)?;
    let transport = transport(mail)?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("邮件服务器：{e}"))
}

fn message(mail: &MailSettings, notice: &Notice) -> Result<Message, String> {
    let from = mail
        .from
        .parse()
        .map_err(|_| format!("发件人地址不对：{}", mail.from))?;
    let mut builder = Message::builder().from(from).subject(subject(notice));
    for to in &mail.to {
        builder = builder.to(to.parse().map_err(|_| format!("收件人地址不对：{to}"))?);
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(format!("{}\n\n—— rankwall 控制台\n", notice.text))
        .map_err(|e| format!("邮件无法生成：{e}"))
}

/// The subject: the text up to its first full-width colon.
fn subject(notice: &Notice) -> String {
    notice.text.split('：').next().unwrap_or(&notice.text).to_string()
}

fn transport(mail: &MailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match mail.security {
        MailSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&mail.host),
        MailSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&mail.host),
        MailSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &mail.host,
        )),
    }
    .map_err(|e| format!("邮件服务器设置不对：{e}"))?;
    let mut builder = builder.port(mail.port).timeout(Some(SMTP_TIMEOUT));
    if !mail.user.is_empty() {
        builder = builder.credentials(Credentials::new(mail.user.clone(), mail.password.clone()));
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_is_the_alert_up_to_its_reason() {
        let notice = Notice {
            id: 1,
            kind: "down",
            text: "【rankwall 告警】屏幕“一号屏”（s1，towns）离线：已 95 秒没有报到".into(),
            screen: serde_json::Value::Null,
            at: 0,
        };
        assert_eq!(subject(&notice), "【rankwall 告警】屏幕“一号屏”（s1，towns）离线");
        let mail = MailSettings {
            host: "127.0.0.1".into(),
            port: 25,
            security: MailSecurity::None,
            user: String::new(),
            password: String::new(),
            from: "not an address".into(),
            to: vec!["it@example.cn".into()],
        };
        assert!(message(&mail, &notice).unwrap_err().contains("发件人地址不对"));
    }
}
