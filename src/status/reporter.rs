//! Reports to the operators' console. Screens sit behind NAT and 4G routers,
//! so the console cannot call them: each screen posts its status (the
//! `/status` document) to `[report] url` every `interval`, with its own
//! bearer token. When the reply asks for a screenshot, the screen posts the
//! frame on show as PNG to the same address. A console that is down or
//! refuses costs the screen nothing but a log line per change of outcome.

use super::{capture_png_within, status_document, CaptureError, ScreenStatus, ScreenshotRequest};
use crate::config::ReportSettings;
use crate::net::HttpOptions;
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The header naming the reporting screen, so the console checks the token
/// against that screen's hash alone.
pub const SCREEN_HEADER: &str = "x-rankwall-screen";

/// The width screenshots are scaled to before they go to the console: its
/// thumbnails fit a 480 px square, and a 4G link need not carry a 4K frame.
const SCREENSHOT_WIDTH: u32 = 640;

/// The largest reply read from the console: a small JSON object.
const MAX_REPLY_BYTES: usize = 16 * 1024;

/// What the console's reply may ask for.
#[derive(Debug, Default, serde::Deserialize)]
struct Reply {
    /// Whether the console wants a screenshot now.
    #[serde(default)]
    screenshot: bool,
}

/// One report's outcome, for logging only on a change.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Delivered,
    Failed(String),
}

/// Why one report did not get through; logged once per change.
#[derive(Debug, thiserror::Error)]
enum ReportError {
    /// The status document could not be written as JSON.
    #[error("{0}")]
    Encode(serde_json::Error),
    /// The request failed; the message has the URL's credentials hidden.
    #[error("{0}")]
    Send(String),
    /// The console does not know this screen or its token.
    #[error(
        "the console refused this screen's id or token (401); \
         check [screen] id and [report] token against the console's enrolment"
    )]
    Unauthorized,
    /// The console answered with another failure.
    #[error("the console answered {0}")]
    Status(reqwest::StatusCode),
    /// The reply's body could not be read (the client's words, no URL).
    #[error("{0}")]
    Read(String),
    /// The reply is larger than [`MAX_REPLY_BYTES`].
    #[error("the console's reply is too large")]
    TooLarge,
    /// The screenshot asked for could not be taken.
    #[error("{0}")]
    Screenshot(CaptureError),
}

/// A screen's reporter: its settings, its identity and where its status and
/// screenshots come from.
#[derive(Clone)]
pub struct Reporter {
    settings: ReportSettings,
    screen_id: String,
    http: HttpOptions,
    status: watch::Receiver<Arc<ScreenStatus>>,
    ask: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    /// Proof of play not yet delivered: each report carries a batch.
    played: Option<super::PlayQueue>,
}

impl Reporter {
    /// A reporter for the screen `screen_id`, trusting what `http` trusts.
    pub fn new(
        settings: ReportSettings,
        screen_id: &str,
        http: HttpOptions,
        status: watch::Receiver<Arc<ScreenStatus>>,
        ask: Arc<dyn Fn(ScreenshotRequest) -> bool + Send + Sync>,
    ) -> Self {
        // A report carries the screen's token and may carry its screenshot:
        // never re-posted to another server by a redirect.
        let http = HttpOptions {
            same_origin_only: true,
            ..http
        };
        Reporter {
            settings,
            screen_id: screen_id.to_string(),
            http,
            status,
            ask,
            played: None,
        }
    }

    /// Reports carry the lines of proof of play that `queue` holds.
    pub fn with_played(self, queue: super::PlayQueue) -> Self {
        Reporter {
            played: Some(queue),
            ..self
        }
    }

    /// Reports for ever. The first report goes out within a few seconds
    /// (a random part of them, so a fleet that boots together spreads out).
    pub async fn run(self) {
        let url = crate::net::redact_url(&self.settings.url);
        let client = match crate::net::build_client(&self.http) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(%url, "cannot report to the console: {e}");
                return;
            }
        };
        let first = self.settings.interval.min(Duration::from_secs(5));
        tokio::time::sleep(first.mul_f64(fastrand::f64())).await;
        let mut last: Option<Outcome> = None;
        loop {
            let outcome = match self.report_once(&client).await {
                Ok(()) => Outcome::Delivered,
                Err(e) => Outcome::Failed(e.to_string()),
            };
            if last.as_ref() != Some(&outcome) {
                match &outcome {
                    Outcome::Delivered => tracing::info!(%url, "reporting to the console"),
                    Outcome::Failed(e) => tracing::warn!(%url, "cannot report to the console: {e}"),
                }
                last = Some(outcome);
            }
            tokio::time::sleep(self.settings.interval).await;
        }
    }

    /// One report, and the screenshot if the reply asks for one.
    async fn report_once(&self, client: &reqwest::Client) -> Result<(), ReportError> {
        let status = self.status.borrow().clone();
        let now = Utc::now();
        let mut document = status_document(&status, now);
        document["report_interval_secs"] = self.settings.interval.as_secs().into();
        let batch = self.played.as_ref().map(|q| q.batch(now));
        if let Some(batch) = &batch {
            document["played"] = serde_json::to_value(&batch.lines).map_err(ReportError::Encode)?;
            document["played_dropped"] = batch.dropped.into();
        }
        let body = serde_json::to_vec(&document).map_err(ReportError::Encode)?;
        let response = self.post(client, "application/json", body).await?;
        let bytes = read_reply(response).await?;
        if let (Some(queue), Some(batch)) = (&self.played, &batch) {
            queue.delivered(batch);
        }
        let reply: Reply = serde_json::from_slice(&bytes).unwrap_or_default();
        if reply.screenshot {
            let png = capture_png_within(self.ask.as_ref(), Some(SCREENSHOT_WIDTH))
                .await
                .map_err(ReportError::Screenshot)?;
            let response = self.post(client, "image/png", png).await?;
            read_reply(response).await?;
        }
        Ok(())
    }

    /// Posts `body`; a connection the console closed just as it was
    /// reused (an idle keep-alive timing out) is retried once on a new one.
    /// A report only replaces the last, so sending it twice is harmless.
    async fn post(
        &self,
        client: &reqwest::Client,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::Response, ReportError> {
        let send = |body: Vec<u8>| {
            client
                .post(&self.settings.url)
                .bearer_auth(&self.settings.token)
                .header(SCREEN_HEADER, &self.screen_id)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body)
                .send()
        };
        let result = match send(body.clone()).await {
            Err(e) if !e.is_timeout() && !e.is_connect() => send(body).await,
            other => other,
        };
        // reqwest names the URL as it normalised it (a lower-cased host, a
        // trailing slash), which a search for the configured text would
        // miss: the message is taken without it.
        result.map_err(|e| ReportError::Send(crate::net::error_text(e)))
    }
}

/// The reply's body (at most [`MAX_REPLY_BYTES`]) when the console accepted
/// the report; an error naming the status and what to do otherwise.
async fn read_reply(mut response: reqwest::Response) -> Result<Vec<u8>, ReportError> {
    let code = response.status();
    if code == reqwest::StatusCode::UNAUTHORIZED {
        return Err(ReportError::Unauthorized);
    }
    if !code.is_success() {
        return Err(ReportError::Status(code));
    }
    let mut body = Vec::new();
    while let Some(chunk) =
        (response.chunk().await).map_err(|e| ReportError::Read(crate::net::error_text(e)))?
    {
        if body.len() + chunk.len() > MAX_REPLY_BYTES {
            return Err(ReportError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
