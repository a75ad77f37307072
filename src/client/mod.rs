//! The display client, `rankwall run`: plays the playlist over live data for
//! months. The thread that owns the screen (the winit main thread, or the
//! headless loop) holds the [`Driver`] and the GPU; a tokio runtime on other
//! threads runs the feed poller, the config watcher and the signal handler,
//! which reach the screen only by [`ClientEvent`] messages plus a wake-up.

mod driver;
mod events;
mod headless;
mod paint;
mod snapshot;
mod tasks;
mod window;

pub use driver::{Driver, Identity};
pub use events::{ClientEvent, EventSender};
pub use headless::run_headless;
pub use paint::{composition, paint, OffscreenScreen};
pub use tasks::{source_config, supervise};

use crate::config::{self, Config, RemoteConfig};
use crate::feed::{Feed, Period, PeriodKind};
use crate::play::Player;
use crate::text::Fonts;
use anyhow::{bail, Context as _};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};

/// The demo config `rankwall` plays with no arguments.
pub const DEMO_CONFIG: &str = include_str!("../../assets/demo/demo.toml");

/// What `rankwall run` was asked for.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// A config file or URL; the embedded demo config when absent.
    pub config: Option<String>,
    /// With a config URL: a local file whose `[screen]` keys win.
    pub screen_override: Option<PathBuf>,
    /// Overrides the config's feed URL.
    pub feed: Option<String>,
    /// WIDTHxHEIGHT: the headless size, or a plain window of that size.
    pub size: Option<String>,
    pub headless: bool,
    pub cache_dir: Option<PathBuf>,
    /// Overrides `[status] addr` (`off` for no server).
    pub status_addr: Option<String>,
}

/// Where the config comes from, and so how it is watched.
#[derive(Clone, Debug)]
pub enum ConfigOrigin {
    Embedded,
    File(PathBuf),
    Remote(RemoteConfig),
}

/// Reads the config the client starts with.
pub fn initial_config(opts: &RunOptions) -> anyhow::Result<(Config, ConfigOrigin)> {
    let Some(location) = opts.config.as_deref() else {
        let checked = config::parse("(embedded demo config)", DEMO_CONFIG, None);
        let config = checked
            .config
            .context("the embedded demo config is invalid (a build defect)")?;
        return Ok((config, ConfigOrigin::Embedded));
    };
    if location.starts_with("http://") || location.starts_with("https://") {
        let cache = crate::source::cache_dir(opts.cache_dir.as_deref());
        let mut remote = RemoteConfig::new(location, opts.screen_override.clone(), &cache);
        let config = remote_initial(&remote)?;
        // The config is checked for changes as often as the feed.
        remote.interval = std::time::Duration::from_secs(config.feed.poll_interval.max(1));
        remote.backoff_max = std::time::Duration::from_secs(config.feed.backoff_max.max(1));
        remote.http.screen_id = config.screen.id.clone();
        return Ok((config, ConfigOrigin::Remote(remote)));
    }
    let path = PathBuf::from(location.strip_prefix("file://").unwrap_or(location));
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("cannot read config {}", path.display()))?;
    let checked = config::parse(&path.display().to_string(), &text, None);
    for d in &checked.diagnostics {
        eprintln!("{d}");
    }
    match checked.config {
        Some(config) => Ok((config, ConfigOrigin::File(path))),
        None => bail!("{} has errors (above); fix them and start again", path.display()),
    }
}

/// The remote config at start: fetched now, else the last good copy.
fn remote_initial(remote: &RemoteConfig) -> anyhow::Result<Config> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let fetcher = crate::source::HttpFetcher::new(&remote.url, &remote.http)?;
    let mut validators = crate::source::Validators::default();
    let fetched = runtime.block_on(remote.fetch(&fetcher, &mut validators));
    if let Ok(Some(text)) = &fetched {
        let checked = remote.check(text, None);
        for d in &checked.diagnostics {
            eprintln!("{d}");
        }
        if let Some(config) = checked.config {
            if let Err(e) = crate::source::write_atomic(&remote.cache_path, &[text.as_bytes()]) {
                tracing::warn!("cannot keep the config's last good copy: {e}");
            }
            return Ok(config);
        }
    }
    if let Err(e) = &fetched {
        tracing::warn!("{e}");
    }
    remote
        .load_cached()
        .with_context(|| format!("no usable config from {} and no last good copy", remote.url))
}

/// A feed with nothing in it: the idle slide shows until data arrives.
pub fn empty_feed() -> Feed {
    Feed {
        generated_at: chrono::Utc::now().with_timezone(&crate::china_standard_time()),
        issuer: None,
        period: Period {
            id: String::new(),
            label: String::new(),
            kind: PeriodKind::Month,
        },
        boards: Vec::new(),
        lists: Vec::new(),
        notices: Vec::new(),
    }
}

/// `rankwall run`: the screen until SIGTERM or SIGINT.
pub fn run(opts: &RunOptions) -> anyhow::Result<()> {
    let (config, origin) = initial_config(opts)?;
    let feed_url = opts.feed.clone().or_else(|| config.feed.url.clone());
    let fonts = Fonts::load(&config.theme.font_options())?;
    let size = requested_size(opts, &config)?;
    let feed = match &feed_url {
        Some(_) => empty_feed(),
        None => {
            crate::feed::demo()
                .context("the embedded demo feed is invalid")?
                .0
        }
    };
    let source = feed_url
        .as_deref()
        .map(|url| source_config(&config, url, opts.cache_dir.as_deref()));
    let reporting = Reporting::new(opts, &config, &origin)?;
    let player = Player::new(fonts, config, feed, size.unwrap_or((1920, 1080)))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rankwall-bg")
        .enable_all()
        .build()?;
    let (tx, rx) = mpsc::channel();
    if opts.headless {
        let events = EventSender::new(tx, Arc::new(|| {}));
        let driver = reporting.start(&runtime, Driver::new(player), &events)?;
        start_tasks(&runtime, source, origin, &events);
        let physical =
            size.context("run --headless needs a size: give --size WIDTHxHEIGHT or set screen.size")?;
        return run_headless(driver, rx, physical);
    }
    let event_loop = winit::event_loop::EventLoop::new()
        .context("cannot open the display (is DISPLAY or WAYLAND_DISPLAY set? use --headless without one)")?;
    // After our own connection: an X server with no client left resets, and a
    // connection made during the reset fails.
    inhibit_blanking();
    let proxy = Mutex::new(event_loop.create_proxy());
    let wake = Arc::new(move || {
        if let Ok(p) = proxy.lock() {
            let _ = p.send_event(());
        }
    });
    let events = EventSender::new(tx, wake);
    let driver = reporting.start(&runtime, Driver::new(player), &events)?;
    start_tasks(&runtime, source, origin, &events);
    let explicit = opts.size.as_ref().and(size);
    window::App::new(driver, rx, explicit).run(event_loop)
}

/// The status server, the proof-of-play log and the watchdog, as configured.
struct Reporting {
    addr: Option<std::net::SocketAddr>,
    token: Option<String>,
    log: crate::status::PlayLog,
    source: String,
}

impl Reporting {
    fn new(opts: &RunOptions, config: &Config, origin: &ConfigOrigin) -> anyhow::Result<Self> {
        let text = opts
            .status_addr
            .clone()
            .unwrap_or_else(|| config.status.addr.get_ref().clone());
        let token = config.status.token.clone();
        let addr = match text.as_str() {
            "off" => None,
            a => {
                let addr: std::net::SocketAddr = a
                    .parse()
                    .with_context(|| format!("status address `{a}` is not HOST:PORT"))?;
                crate::status::check_bind(&addr, token.as_deref()).map_err(anyhow::Error::msg)?;
                Some(addr)
            }
        };
        let log_path = match &config.status.play_log {
            Some(p) => PathBuf::from(p),
            None => default_play_log(
                opts.cache_dir
                    .as_deref()
                    .or(config.feed.cache_dir.as_deref().map(std::path::Path::new)),
            ),
        };
        let max = config.status.play_log_max_mb.max(1) * 1024 * 1024;
        let source = match origin {
            ConfigOrigin::Embedded => "embedded demo config".to_string(),
            ConfigOrigin::File(p) => p.display().to_string(),
            ConfigOrigin::Remote(r) => r.url.clone(),
        };
        Ok(Reporting {
            addr,
            token,
            log: crate::status::PlayLog::new(log_path, max),
            source,
        })
    }

    /// Binds the status server (failing now if the address is taken) and
    /// wires the driver to it.
    fn start(
        self,
        runtime: &tokio::runtime::Runtime,
        mut driver: Driver,
        events: &EventSender,
    ) -> anyhow::Result<Driver> {
        let (status_tx, status_rx) = tokio::sync::watch::channel(Arc::new(driver.snapshot(driver.now())));
        driver.identity.config_source = self.source;
        tracing::info!(path = %self.log.path().display(), "proof-of-play log");
        driver.report_to(status_tx, Some(self.log), crate::status::Watchdog::from_env());
        let Some(addr) = self.addr else {
            return Ok(driver);
        };
        // A taken port must not keep the wall dark: log it and play on.
        let listener = match runtime.block_on(tokio::net::TcpListener::bind(addr)) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(%addr, "cannot listen for the status server, running without it: {e}");
                return Ok(driver);
            }
        };
        tracing::info!(%addr, "status server listening");
        let events = events.clone();
        let ask = Arc::new(move |request| events.send(ClientEvent::Screenshot(request)));
        let server = Arc::new(crate::status::StatusServer::new(status_rx, self.token, ask));
        runtime.spawn(crate::status::serve_status(listener, server));
        Ok(driver)
    }
}

/// `played.jsonl` in the cache folder.
pub fn default_play_log(cache_dir: Option<&std::path::Path>) -> PathBuf {
    crate::source::cache_dir(cache_dir).join("played.jsonl")
}

/// `--size`, else the config's size unless it is "monitor".
fn requested_size(opts: &RunOptions, config: &Config) -> anyhow::Result<Option<(u32, u32)>> {
    let text = opts
        .size
        .clone()
        .unwrap_or_else(|| config.screen.size.get_ref().clone());
    if text == "monitor" {
        return Ok(None);
    }
    let profile = crate::layout::ScreenProfile::parse(&text).context("screen size")?;
    Ok(Some((profile.width, profile.height)))
}

fn start_tasks(
    runtime: &tokio::runtime::Runtime,
    source: Option<crate::source::SourceConfig>,
    origin: ConfigOrigin,
    events: &EventSender,
) {
    let (latest_tx, latest_rx) = tokio::sync::watch::channel(None);
    if let Some(source) = source {
        runtime.spawn(tasks::feed_task(source, events.clone(), latest_tx));
    }
    runtime.spawn(tasks::config_task(origin, events.clone(), latest_rx));
    runtime.spawn(tasks::signal_task(events.clone()));
}

/// Turns off the X screen saver and DPMS where `xset` is available; on
/// Wayland kiosks (cage) blanking is the compositor's setting (docs/deploy.md).
fn inhibit_blanking() {
    if std::env::var_os("DISPLAY").is_none() {
        return;
    }
    let status = std::process::Command::new("xset")
        .args(["s", "off", "-dpms", "s", "noblank"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => tracing::info!("X screen saver and DPMS turned off"),
        _ => tracing::info!("xset not available: screen blanking left as the session sets it"),
    }
}
