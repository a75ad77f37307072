//! What a running screen tells the fleet: the status server, the
//! proof-of-play log and the systemd watchdog, wired to the driver as the
//! settings say.

use super::driver::Driver;
use super::events::{ClientEvent, EventSender};
use crate::config::Settings;
use crate::source::config::ConfigOrigin;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The status server, the proof-of-play log and the watchdog, as configured.
pub(super) struct Reporting {
    addr: Option<SocketAddr>,
    token: Option<String>,
    log: crate::status::PlayLog,
    source: String,
    /// The console to report to, with the screen's id and HTTP trust.
    console: Option<(crate::config::ReportSettings, String, crate::net::HttpOptions)>,
}

impl Reporting {
    /// What `settings` (overrides applied) ask for; `origin` names the config.
    /// The proof-of-play log goes in `cache_dir` unless the settings name a file.
    pub(super) fn new(settings: &Settings, origin: &ConfigOrigin, cache_dir: &Path) -> Self {
        let status = &settings.status;
        let log_path = match &status.play_log {
            Some(p) => p.clone(),
            None => default_play_log(cache_dir),
        };
        Reporting {
            addr: status.addr,
            token: status.token.clone(),
            log: crate::status::PlayLog::new(log_path, status.play_log_max_bytes),
            source: origin.describe(),
            console: settings.report.clone().map(|r| {
                let http = crate::net::HttpOptions {
                    screen_id: settings.screen.id.clone(),
                    ca_file: settings.feed.ca_file.clone(),
                    ..crate::net::HttpOptions::default()
                };
                (r, settings.screen.id.clone(), http)
            }),
        }
    }

    /// Binds the status server (a taken port is logged and the screen plays
    /// on without it) and wires the driver to it.
    pub(super) fn start(
        self,
        runtime: &tokio::runtime::Runtime,
        mut driver: Driver,
        events: &EventSender,
    ) -> Driver {
        let (status_tx, status_rx) = tokio::sync::watch::channel(Arc::new(driver.status(driver.now())));
        driver.set_config_source(self.source);
        tracing::info!(path = %self.log.path().display(), "proof-of-play log");
        let played = crate::status::PlayQueue::default();
        let log = crate::status::PlayLogWriter::start(self.log)
            .inspect_err(|e| {
                tracing::error!("cannot start the proof-of-play writer, playing without it: {e}")
            })
            .ok()
            .map(|w| match self.console {
                Some(_) => w.with_console(played.clone()),
                None => w,
            });
        driver.report_to(status_tx, log, crate::status::Watchdog::from_env());
        let ask: Arc<dyn Fn(crate::status::ScreenshotRequest) -> bool + Send + Sync> = {
            let events = events.clone();
            Arc::new(move |request| events.send(ClientEvent::Screenshot(request)))
        };
        if let Some((report, id, http)) = self.console {
            let reporter = crate::status::Reporter::new(report, &id, http, status_rx.clone(), ask.clone())
                .with_played(played);
            runtime.spawn(super::supervise("console reporter", move || {
                reporter.clone().run()
            }));
        }
        let Some(addr) = self.addr else {
            return driver;
        };
        // A taken port must not keep the wall dark: log it and play on.
        let listener = match runtime.block_on(async { bind(addr) }) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(%addr, "cannot listen for the status server, running without it: {e}");
                return driver;
            }
        };
        // The bound address, not the configured one: with port 0 the kernel
        // picks a free port, and this line is how a test or a script finds it.
        let bound = listener.local_addr().unwrap_or(addr);
        tracing::info!(addr = %bound, "status server listening");
        let server = Arc::new(crate::status::StatusServer::new(status_rx, self.token, ask));
        runtime.spawn(crate::status::serve_status(listener, server));
        driver
    }
}

/// `played.jsonl` in the cache folder.
pub fn default_play_log(cache_dir: &Path) -> PathBuf {
    cache_dir.join("played.jsonl")
}

/// Binds `addr` with a deep accept queue: a burst of connections (a
/// monitoring sweep, or a flood) waits in the kernel instead of being
/// dropped while the server evicts idle ones.
fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Connections the kernel holds for the status server before it accepts them.
const ACCEPT_BACKLOG: u32 = 1024;
