//! The background tasks on the tokio runtime: the feed poller, the config
//! watcher (file) or fetcher (URL), and the signal handler. Each reaches the
//! screen only through an [`EventSender`]. A task that panics is logged and
//! started again after a pause; it never takes the screen down.

use super::events::{ClientEvent, EventSender};
use crate::config::{Overrides, Settings};
use crate::feed::Feed;
use crate::net::{HttpFetcher, HttpOptions};
use crate::source::config::{watch_config, ConfigEvent, ConfigOrigin};
use crate::source::{Poller, SourceConfig, SourceEvent};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// How long a crashed task waits before it starts again.
const RESTART_PAUSE: Duration = Duration::from_secs(5);

/// Runs the future made by `make` until it returns; when it panics, logs the
/// panic and makes a new one after a pause.
pub async fn supervise<F, Fut>(name: &'static str, mut make: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(make()).await {
            Ok(()) => return,
            Err(e) if e.is_panic() => {
                tracing::error!(
                    task = name,
                    "background task panicked; restarting in {RESTART_PAUSE:?}"
                );
            }
            Err(_) => return,
        }
        tokio::time::sleep(RESTART_PAUSE).await;
    }
}

/// The feed source settings `settings` ask for, polling `url`, its last
/// good copy kept in `cache_dir`.
pub fn source_config(settings: &Settings, url: &str, cache_dir: &std::path::Path) -> SourceConfig {
    let mut source = SourceConfig::new(url, cache_dir.to_path_buf());
    let f = &settings.feed;
    source.interval = f.poll_interval;
    source.public_key = f.public_key.clone();
    source.backoff_max = f.backoff_max;
    source.http = HttpOptions {
        total_timeout: f.timeout,
        screen_id: settings.screen.id.clone(),
        ca_file: f.ca_file.clone(),
        ..HttpOptions::default()
    };
    source.stale_after = f
        .stale_after
        .and_then(|d| d.to_std().ok())
        .unwrap_or(Duration::ZERO);
    source
}

/// Polls the feed for ever (restarted on panic), forwarding data and status.
pub async fn feed_task(source: SourceConfig, events: EventSender, latest: watch::Sender<Option<Arc<Feed>>>) {
    supervise("feed poller", move || {
        let source = source.clone();
        let events = events.clone();
        let latest = latest.clone();
        async move {
            // Never a dead end: a fetcher whose client cannot be built (a
            // missing CA file) still lets the poller load the last good
            // document, back off, report the failure and recover.
            let fetcher = HttpFetcher::retrying(&source.url, &source.http);
            let (tx, mut rx) = mpsc::channel(8);
            let poller = tokio::spawn(Poller::new(source, fetcher).run(tx));
            while let Some(event) = rx.recv().await {
                let event = match event {
                    SourceEvent::Data(accepted) => {
                        latest.send_replace(Some(accepted.feed.clone()));
                        ClientEvent::Feed(accepted)
                    }
                    SourceEvent::Status(status) => ClientEvent::FeedStatus(status),
                };
                if !events.send(event) {
                    poller.abort();
                    return;
                }
            }
            // The poller stopped: a panic inside it surfaces here.
            reraise_panic(poller).await;
        }
    })
    .await;
}

/// Watches or fetches the config for ever, forwarding valid changes.
pub async fn config_task(
    origin: ConfigOrigin,
    overrides: Overrides,
    events: EventSender,
    latest: watch::Receiver<Option<Arc<Feed>>>,
) {
    match origin {
        ConfigOrigin::File(path) => {
            supervise("config watcher", move || {
                let (path, events, latest) = (path.clone(), events.clone(), latest.clone());
                let overrides = overrides.clone();
                async move {
                    let (tx, rx) = mpsc::channel(4);
                    let watcher = tokio::spawn(watch_config(path, Duration::from_secs(1), latest, tx));
                    forward_config(watcher, rx, &overrides, &events).await;
                }
            })
            .await
        }
        ConfigOrigin::Remote(remote) => {
            supervise("config fetcher", move || {
                let (remote, events, latest) = (remote.clone(), events.clone(), latest.clone());
                let overrides = overrides.clone();
                async move {
                    let (tx, rx) = mpsc::channel(4);
                    let fetcher = tokio::spawn(remote.run(tx, latest));
                    forward_config(fetcher, rx, &overrides, &events).await;
                }
            })
            .await
        }
        ConfigOrigin::Embedded => {}
    }
}

/// Forwards a config task's events until it ends; re-raises its panic so
/// [`supervise`] restarts it.
async fn forward_config(
    task: tokio::task::JoinHandle<()>,
    mut rx: mpsc::Receiver<ConfigEvent>,
    overrides: &Overrides,
    events: &EventSender,
) {
    while let Some(event) = rx.recv().await {
        if !events.send(forward(event, overrides)) {
            task.abort();
            return;
        }
    }
    reraise_panic(task).await;
}

/// Waits for `task`; its panic panics here too, so [`supervise`] restarts
/// the task that spawned it.
async fn reraise_panic(task: tokio::task::JoinHandle<()>) {
    if let Err(e) = task.await {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
    }
}

/// A config event for the screen thread, with the command line's overrides
/// applied to new settings (the same function as at start).
fn forward(event: ConfigEvent, overrides: &Overrides) -> ClientEvent {
    match event {
        ConfigEvent::Applied(settings) => match overrides.apply(*settings) {
            Ok(settings) => ClientEvent::Settings(Box::new(settings)),
            Err(exposed) => {
                tracing::warn!("config change refused, keeping the old config: {exposed}");
                ClientEvent::ConfigRejected(vec![exposed.to_string()])
            }
        },
        ConfigEvent::Rejected(lines) => ClientEvent::ConfigRejected(lines),
    }
}

/// The environment variable that enables a test hook, and its values.
#[cfg(feature = "test-hooks")]
const TEST_HOOKS: &str = "RANKWALL_TEST_HOOKS";
#[cfg(feature = "test-hooks")]
const FREEZE_ON_SIGUSR2: &str = "freeze-on-sigusr2";
#[cfg(feature = "test-hooks")]
const LOSE_DEVICE_ON_SIGUSR2: &str = "lose-device-on-sigusr2";
#[cfg(feature = "test-hooks")]
const LOSE_SURFACE_ON_SIGUSR2: &str = "lose-surface-on-sigusr2";

/// With `RANKWALL_TEST_HOOKS` set (tests only), SIGUSR2 triggers a fault
/// that cannot be caused from outside the process: `freeze-on-sigusr2`
/// freezes the screen thread once (see `assets/debian/systemd-vm.sh`);
/// `lose-device-on-sigusr2` destroys the window's GPU device, and
/// `lose-surface-on-sigusr2` makes its surface report itself out of date and
/// then lost, at every signal (see `tests/it/window_recovery.rs`).
/// Compiled only with the `test-hooks` feature (the tests turn it on): a
/// shipped screen has no way to be frozen or faulted from outside.
#[cfg(feature = "test-hooks")]
pub async fn test_hook_task(events: EventSender) {
    let hook = std::env::var(TEST_HOOKS).unwrap_or_default();
    let (event, repeat): (fn() -> ClientEvent, bool) = match hook.as_str() {
        FREEZE_ON_SIGUSR2 => (|| ClientEvent::FreezeForTest, false),
        LOSE_DEVICE_ON_SIGUSR2 => (|| ClientEvent::LoseDeviceForTest, true),
        LOSE_SURFACE_ON_SIGUSR2 => (|| ClientEvent::SurfaceFaultsForTest, true),
        _ => return,
    };
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut usr2) = signal(SignalKind::user_defined2()) else {
        return;
    };
    tracing::warn!("{TEST_HOOKS}={hook}: SIGUSR2 is a test hook");
    while usr2.recv().await.is_some() {
        events.send(event());
        if !repeat {
            return;
        }
    }
}

/// Sends `Shutdown` on SIGTERM or SIGINT.
pub async fn signal_task(events: EventSender) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            let _ = ctrl_c.await;
            events.send(ClientEvent::Shutdown);
            return;
        };
        tokio::select! {
            _ = ctrl_c => tracing::info!("SIGINT: leaving"),
            _ = term.recv() => tracing::info!("SIGTERM: leaving"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    events.send(ClientEvent::Shutdown);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn a_panicking_task_is_restarted_after_a_pause() {
        let runs = Arc::new(AtomicU32::new(0));
        let counter = runs.clone();
        let started = tokio::time::Instant::now();
        supervise("test task", move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    panic!("deliberate panic {n}");
                }
            }
        })
        .await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            3,
            "two panics, two restarts, then a normal end"
        );
        assert!(started.elapsed() >= RESTART_PAUSE * 2);
    }
}
