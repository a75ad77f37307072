//! The screen's end of the console's push channel (`GET /api/wait`, beside
//! `/api/report`, with the same token): one request held at a time, naming
//! the SHA-256 of the config last fetched; when the console answers that
//! the group's published version is another (an emergency, an edit), the
//! config fetcher fetches at once instead of at its next poll. A console
//! without the channel (404) leaves the screen polling, as before.
//!
//! The same answer may carry an operator's remote action: `reload` fetches
//! the config now; `restart` leaves the screen cleanly with
//! [`EXIT_RESTART`], so that systemd (`Restart=always`, or `on-failure`)
//! starts it again from its last good config and feed.

use super::events::{ClientEvent, EventSender};
use crate::config::{ReportSettings, Settings};
use crate::net::HttpOptions;
use crate::source::config::{ConfigOrigin, Nudge};
use crate::status::reporter::SCREEN_HEADER;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The exit status of a screen that leaves because the console asked it to
/// restart (EX_TEMPFAIL): not 0, so that a unit with `Restart=on-failure`
/// also starts it again, and not 2, the status of a real error.
pub const EXIT_RESTART: u8 = 75;

/// What the console answered one wait.
#[derive(Debug, PartialEq)]
enum Answer {
    /// No channel here (404).
    NoChannel,
    /// Whether the group's published version is another than the one asked about.
    Changed(bool),
    /// Fetch the config now.
    Reload,
    /// Leave, to be started again.
    Restart,
}

/// After a change, the fetch's head start before the next wait (the
/// console answers at once while the new text is not yet fetched).
const AFTER_CHANGE: Duration = Duration::from_secs(2);
/// When a fetch brought nothing new yet the console still names another
/// version (the screen's config URL is not the console's), the wait before
/// asking again: the channel cannot help, the poll carries on.
const UNMATCHED: Duration = Duration::from_secs(300);
/// After a failure, the wait before trying again.
const AFTER_FAILURE: Duration = Duration::from_secs(30);
/// A console without the channel is asked again this seldom (it may be
/// upgraded); the screen polls meanwhile.
const WITHOUT_CHANNEL: Duration = Duration::from_secs(600);

/// The push channel of one screen.
#[derive(Clone)]
pub(super) struct Push {
    url: String,
    report: ReportSettings,
    screen_id: String,
    http: HttpOptions,
    nudge: Arc<Nudge>,
    /// Set when the console asked the screen to restart: `run` then exits
    /// with [`EXIT_RESTART`].
    restart: Arc<AtomicBool>,
}

impl Push {
    /// The channel for a screen that reports to a console and fetches its
    /// config from a URL; `None` otherwise.
    pub(super) fn for_screen(
        settings: &Settings,
        origin: &ConfigOrigin,
        restart: Arc<AtomicBool>,
    ) -> Option<Push> {
        let (ConfigOrigin::Remote(remote), Some(report)) = (origin, &settings.report) else {
            return None;
        };
        let url = reqwest::Url::parse(&report.url)
            .ok()?
            .join("wait")
            .ok()?
            .to_string();
        let http = HttpOptions {
            screen_id: settings.screen.id.clone(),
            ca_file: settings.feed.ca_file.clone(),
            same_origin_only: true,
            ..HttpOptions::default()
        };
        Some(Push {
            url,
            report: report.clone(),
            screen_id: settings.screen.id.clone(),
            http,
            nudge: remote.nudge.clone(),
            restart,
        })
    }

    /// Waits for changes for ever (until a restart is asked for).
    pub(super) async fn run(self, events: EventSender) {
        let client = match crate::net::build_client(&self.http) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("no push channel to the console: {e}");
                return;
            }
        };
        let shown = crate::net::redact_url(&self.url);
        let mut failing = false;
        // The SHA-256 asked about when the console last answered "changed".
        let mut changed_from: Option<String> = None;
        loop {
            let asked = self.nudge.fetched();
            let pause = match self.wait_once(&client, &asked).await {
                Ok(Answer::Reload) => {
                    tracing::info!("the console asked to reload the config: fetching it now");
                    self.nudge.fetch_now();
                    AFTER_CHANGE
                }
                Ok(Answer::Restart) => {
                    tracing::warn!("the console asked the screen to restart: leaving");
                    self.restart.store(true, Ordering::SeqCst);
                    events.send(ClientEvent::Shutdown);
                    return;
                }
                Ok(Answer::Changed(true)) if changed_from.as_deref() == Some(asked.as_str()) => {
                    tracing::info!(url = %shown, "the fetched config is not the console's published one: the config is polled");
                    UNMATCHED
                }
                Ok(Answer::Changed(true)) => {
                    changed_from = Some(asked);
                    tracing::info!(url = %shown, "the console published a new config: fetching it now");
                    self.nudge.fetch_now();
                    AFTER_CHANGE
                }
                Ok(Answer::Changed(false)) => Duration::ZERO,
                Ok(Answer::NoChannel) => {
                    if !failing {
                        tracing::info!(url = %shown, "the console has no push channel: the config is polled");
                    }
                    failing = true;
                    WITHOUT_CHANNEL
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(url = %shown, "the console's push channel failed, retrying: {e}");
                    }
                    failing = true;
                    AFTER_FAILURE
                }
            };
            if pause == Duration::ZERO || pause == AFTER_CHANGE {
                failing = false;
            }
            tokio::time::sleep(pause).await;
        }
    }

    /// One wait.
    async fn wait_once(&self, client: &reqwest::Client, sha: &str) -> Result<Answer, String> {
        // The SHA-256 is hex: nothing to escape.
        let response = client
            .get(format!("{}?sha={sha}", self.url))
            .bearer_auth(&self.report.token)
            .header(SCREEN_HEADER, &self.screen_id)
            .send()
            .await
            .map_err(crate::net::error_text)?;
        match response.status() {
            reqwest::StatusCode::NOT_FOUND => return Ok(Answer::NoChannel),
            s if !s.is_success() => return Err(format!("the console answered {s}")),
            _ => {}
        }
        let body = response.bytes().await.map_err(crate::net::error_text)?;
        let reply: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        Ok(answer_of(&reply))
    }
}

/// The answer a reply body gives; a command this screen does not know is
/// ignored (a newer console), the change flag still read.
fn answer_of(reply: &serde_json::Value) -> Answer {
    match reply["command"].as_str() {
        Some("reload") => Answer::Reload,
        Some("restart") => Answer::Restart,
        _ => Answer::Changed(reply["changed"] == true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies_are_read_as_changes_or_commands() {
        assert_eq!(answer_of(&json!({"changed": true})), Answer::Changed(true));
        assert_eq!(answer_of(&json!({"changed": false})), Answer::Changed(false));
        assert_eq!(
            answer_of(&json!({"changed": false, "command": "reload"})),
            Answer::Reload
        );
        assert_eq!(
            answer_of(&json!({"changed": false, "command": "restart"})),
            Answer::Restart
        );
        assert_eq!(
            answer_of(&json!({"changed": true, "command": "dance"})),
            Answer::Changed(true)
        );
    }
}
