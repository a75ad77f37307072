//! The display client, `rankwall run`: plays the playlist over live data for
//! months. The thread that owns the screen (the winit main thread, or the
//! headless loop) holds the [`Driver`] and the GPU; a tokio runtime on other
//! threads runs the feed poller, the config watcher and the signal handler,
//! which reach the screen only by [`ClientEvent`] messages plus a wake-up.

mod blanking;
mod driver;
mod events;
mod headless;
mod push;
mod reporting;
mod tasks;
mod window;

pub use driver::{Driver, Identity};
pub use events::{ClientEvent, EventSender};
pub use headless::run_headless;
pub use reporting::default_play_log;
pub use tasks::{source_config, supervise};

use crate::config::{self, Overrides, ScreenSize, Settings};
use crate::play::Player;
use crate::source::config::{self as config_source, ConfigOrigin};
use crate::source::SourceConfig;
use crate::text::Fonts;
use anyhow::Context as _;
use reporting::Reporting;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex};

/// What `rankwall run` was asked for: the command line's options, defined once.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RunOptions {
    /// Config file or URL (http, https); the embedded demo config when absent.
    #[arg(long)]
    pub config: Option<String>,
    /// With a config URL: a local file whose `[screen]` keys replace the remote ones.
    #[arg(long, value_name = "FILE")]
    pub screen_config: Option<PathBuf>,
    /// Feed URL or file; overrides the config's feed URL.
    #[arg(long)]
    pub feed: Option<String>,
    /// WIDTHxHEIGHT: the offscreen size with --headless, else a plain window of that size.
    #[arg(long, value_parser = ScreenSize::parse)]
    pub size: Option<ScreenSize>,
    /// Draw offscreen instead of into a window (no display needed).
    #[arg(long)]
    pub headless: bool,
    /// Folder for the last good copies of the feed and a remote config.
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// Status server address (HOST:PORT or `off`); overrides `[status] addr`.
    #[arg(long, value_parser = config::parse_status_addr)]
    pub status_addr: Option<config::StatusAddr>,
    /// A CA certificate (PEM) trusted besides the system's, for both the feed
    /// and a config URL; overrides `[feed] ca_file`.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Accept a plain `http://` config URL or `[report] url` (anyone on the
    /// way can read and change the config, and read the screen's token;
    /// logged as a warning).
    #[arg(long)]
    pub allow_http_config: bool,
}

impl RunOptions {
    /// The options that replace config values, at start and on every reload.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            size: self.size,
            feed_url: self.feed.clone(),
            status_addr: self.status_addr.map(|a| a.0),
            cache_dir: self.cache_dir.clone(),
            ca_file: self.ca_file.clone(),
        }
    }

    /// How a config URL may be fetched.
    pub fn transport(&self) -> config_source::ConfigTransport {
        config_source::ConfigTransport {
            allow_http: self.allow_http_config,
            ca_file: self.ca_file.clone(),
        }
    }
}

/// The settings the client starts with (overrides applied) and their origin.
pub fn initial_settings(opts: &RunOptions) -> anyhow::Result<(Settings, ConfigOrigin)> {
    let cache = crate::source::cache_dir(opts.cache_dir.as_deref())?;
    let (settings, origin) = config_source::initial(
        opts.config.as_deref(),
        opts.screen_config.as_deref(),
        &cache,
        &opts.transport(),
    )?;
    let settings = opts.overrides().apply(settings).map_err(anyhow::Error::msg)?;
    report_consent(&settings, opts.allow_http_config)?;
    Ok((settings, origin))
}

/// A `[report] url` over plain `http://` sends the screen's token and its
/// screenshots where anyone on the way can read them: it needs the same
/// consent as a plain-http config URL, and is logged as a warning.
fn report_consent(settings: &Settings, allow_http: bool) -> anyhow::Result<()> {
    let Some(url) = settings.report.as_ref().map(|r| r.url.as_str()) else {
        return Ok(());
    };
    if !url.to_ascii_lowercase().starts_with("http://") {
        return Ok(());
    }
    let shown = crate::net::redact_url(url);
    if !allow_http {
        anyhow::bail!(
            "refused [report] url {shown}: plain http sends the screen's token and its screenshots in the clear; \
             serve the console over https (with --ca-file for a private CA), or pass --allow-http-config to accept the risk"
        );
    }
    tracing::warn!(url = %shown, "--allow-http-config: reporting to the console over plain http");
    Ok(())
}

/// `rankwall run`: the screen until SIGTERM or SIGINT (success), or until
/// the console asks it to restart (exit status 75, `push::EXIT_RESTART`).
pub fn run(opts: &RunOptions) -> anyhow::Result<ExitCode> {
    let (settings, origin) = initial_settings(opts)?;
    let fonts = Fonts::load(&crate::play::font_options(&settings.theme))?;
    let cache_dir = crate::source::cache_dir(settings.feed.cache_dir.as_deref())?;
    let feed = match &settings.feed.url {
        Some(_) => crate::feed::empty(chrono::Utc::now()),
        None => {
            crate::feed::demo()
                .context("the embedded demo feed is invalid")?
                .0
        }
    };
    let source = settings
        .feed
        .url
        .as_deref()
        .map(|url| source_config(&settings, url, &cache_dir));
    let reporting = Reporting::new(&settings, &origin, &cache_dir);
    let restart = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let push = push::Push::for_screen(&settings, &origin, restart.clone());
    let has_source = source.is_some();
    let size = settings.screen.size.fixed().map(|s| s.pair());
    let player = Player::new(fonts, settings, feed, size.unwrap_or((1920, 1080)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rankwall-bg")
        .enable_all()
        .build()?;
    let (tx, rx) = mpsc::channel();
    let background = Background {
        source,
        push,
        origin,
        overrides: opts.overrides(),
    };
    if opts.headless {
        let physical =
            size.context("run --headless needs a size: give --size WIDTHxHEIGHT or set screen.size")?;
        let events = EventSender::new(tx, Arc::new(|| {}));
        let driver = reporting.start(&runtime, driver_for(player, has_source), &events);
        background.start(&runtime, &events);
        run_headless(driver, rx, physical)?;
        return Ok(exit_status(&restart));
    }
    let event_loop = winit::event_loop::EventLoop::new()
        .context("cannot open the display (is DISPLAY or WAYLAND_DISPLAY set? use --headless without one)")?;
    blanking::inhibit_blanking();
    let proxy = Mutex::new(event_loop.create_proxy());
    let wake = Arc::new(move || {
        if let Ok(p) = proxy.lock() {
            let _ = p.send_event(());
        }
    });
    let events = EventSender::new(tx, wake);
    let driver = reporting.start(&runtime, driver_for(player, has_source), &events);
    background.start(&runtime, &events);
    let explicit = opts.size.and(size);
    window::App::new(driver, rx, explicit).run(event_loop)?;
    Ok(exit_status(&restart))
}

/// How a screen that left cleanly exits: [`push::EXIT_RESTART`] when the
/// console asked it to restart, else success.
fn exit_status(restart: &std::sync::atomic::AtomicBool) -> ExitCode {
    if restart.load(std::sync::atomic::Ordering::SeqCst) {
        tracing::info!(
            "leaving with status {} so that systemd starts the screen again",
            push::EXIT_RESTART
        );
        ExitCode::from(push::EXIT_RESTART)
    } else {
        ExitCode::SUCCESS
    }
}

/// The screen thread's driver; without a feed source the screen plays the
/// embedded demo, which cannot go stale.
fn driver_for(player: Player, has_source: bool) -> Driver {
    let driver = Driver::new(player);
    if has_source {
        driver
    } else {
        driver.without_source()
    }
}

/// The background tasks a screen runs beside the screen thread.
struct Background {
    source: Option<SourceConfig>,
    /// The console's push channel, for a screen that reports to one.
    push: Option<push::Push>,
    origin: ConfigOrigin,
    overrides: Overrides,
}

impl Background {
    fn start(self, runtime: &tokio::runtime::Runtime, events: &EventSender) {
        let (latest_tx, latest_rx) = tokio::sync::watch::channel(None);
        if let Some(source) = self.source {
            runtime.spawn(tasks::feed_task(source, events.clone(), latest_tx));
        }
        runtime.spawn(tasks::config_task(
            self.origin,
            self.overrides,
            events.clone(),
            latest_rx,
        ));
        if let Some(push) = self.push {
            let events = events.clone();
            runtime.spawn(supervise("console push channel", move || {
                push.clone().run(events.clone())
            }));
        }
        runtime.spawn(tasks::signal_task(events.clone()));
        #[cfg(feature = "test-hooks")]
        runtime.spawn(tasks::test_hook_task(events.clone()));
    }
}
