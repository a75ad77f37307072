//! The rankwall binary: parses the command line and calls the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "rankwall",
    version,
    about = "Township rankings and red/black lists on public screens"
)]
struct Cli {
    /// What to do; with none, `run` with the embedded demo config and feed.
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Play the playlist full screen (or offscreen with --headless) until SIGTERM.
    Run {
        /// Config file or URL (http, https); the embedded demo config when absent.
        #[arg(long)]
        config: Option<String>,
        /// With a config URL: a local file whose [screen] keys replace the remote ones.
        #[arg(long, value_name = "FILE")]
        screen_config: Option<PathBuf>,
        /// Feed URL or file; overrides the config's feed URL.
        #[arg(long)]
        feed: Option<String>,
        /// WIDTHxHEIGHT: the offscreen size with --headless, else a plain window of that size.
        #[arg(long)]
        size: Option<String>,
        /// Draw offscreen instead of into a window (no display needed).
        #[arg(long)]
        headless: bool,
        /// Folder for the last good copies of the feed and a remote config.
        #[arg(long)]
        cache_dir: Option<PathBuf>,
        /// Status server address (HOST:PORT or `off`); overrides [status] addr.
        #[arg(long)]
        status_addr: Option<String>,
    },
    /// Say what was on the screen at an instant, from the proof-of-play log.
    Played {
        /// The instant (RFC 3339, e.g. 2026-11-03T10:05:00+08:00).
        #[arg(long)]
        at: String,
        /// The log (default: played.jsonl in the cache folder).
        #[arg(long)]
        log: Option<PathBuf>,
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Render every page of every slide to PNG files.
    Render {
        /// Feed file or URL (http, https, file://); the embedded demo feed when absent
        /// (with --config: the config's feed URL).
        #[arg(long)]
        feed: Option<String>,
        /// Screen size, WIDTHxHEIGHT (default 1920x1080; with --config, the config's size).
        #[arg(long)]
        size: Option<String>,
        /// Render what a screen with this config shows at --at (one frame, mid-transition
        /// included), or with --all every page of the cycle at --at.
        #[arg(long)]
        config: Option<PathBuf>,
        /// With --config: every page of the cycle instead of one frame.
        #[arg(long, requires = "config")]
        all: bool,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// The instant to render (RFC 3339); decides which notices are active.
        #[arg(long)]
        at: Option<String>,
        #[command(flatten)]
        fonts: FontArgs,
        /// Folder for the last good copy of a feed URL (default: $RANKWALL_CACHE_DIR,
        /// else $XDG_CACHE_HOME/rankwall, else ~/.cache/rankwall).
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Validate a feed and report what was refused, dropped, cleaned, and not covered by fonts.
    Check {
        /// Feed file or URL (with --config: the feed to check the playlist against;
        /// the embedded demo feed when absent).
        #[arg(long, required_unless_present = "config")]
        feed: Option<String>,
        /// A config file (rankwall.toml) to check.
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Serve the embedded demo feed over HTTP, changing scores now and then.
    DemoServer {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Seconds between score changes (0: never).
        #[arg(long, default_value_t = 30)]
        change_every: u64,
        /// Misbehave in this way on every request.
        #[arg(long, value_enum)]
        fault: Option<rankwall::demo::Fault>,
    },
}

/// Fonts besides the bundled ones.
#[derive(clap::Args)]
struct FontArgs {
    /// An extra font file (OTF, TTF, TTC) for characters the bundled fonts lack; repeatable.
    #[arg(long = "font", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Also use the system's fonts as a fallback (output then depends on the machine).
    #[arg(long)]
    system_fonts: bool,
}

impl FontArgs {
    fn options(self) -> rankwall::text::FontOptions {
        rankwall::text::FontOptions {
            extra_files: self.files,
            system_fallback: self.system_fonts,
        }
    }
}

fn main() -> ExitCode {
    init_logging();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to journald when systemd runs us (it sets JOURNAL_STREAM), else to stderr.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "rankwall=info,wgpu_hal=off,warn".into())
    };
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        if let Ok(journald) = tracing_journald::layer() {
            tracing_subscriber::registry()
                .with(filter())
                .with(journald)
                .init();
            return;
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .init();
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let command = cli.command.unwrap_or(Command::Run {
        config: None,
        screen_config: None,
        feed: None,
        size: None,
        headless: false,
        cache_dir: None,
        status_addr: None,
    });
    match command {
        Command::Run {
            config,
            screen_config,
            feed,
            size,
            headless,
            cache_dir,
            status_addr,
        } => {
            let opts = rankwall::client::RunOptions {
                config,
                screen_override: screen_config,
                feed,
                size,
                headless,
                cache_dir,
                status_addr,
            };
            rankwall::client::run(&opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Played { at, log, cache_dir } => {
            let log = log.unwrap_or_else(|| rankwall::client::default_play_log(cache_dir.as_deref()));
            let (text, found) = rankwall::cli::played(&log, &at)?;
            print!("{text}");
            Ok(if found {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Render {
            feed,
            size,
            config: Some(config),
            all,
            out,
            at,
            cache_dir,
            ..
        } => {
            let opts = rankwall::cli::ConfigRender {
                config,
                feed,
                size,
                at,
                all,
                out,
                cache_dir,
            };
            let files = rankwall::cli::render_config(&opts)?;
            for f in &files {
                println!("{}", f.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render {
            feed,
            size,
            out,
            at,
            fonts,
            cache_dir,
            ..
        } => {
            let fonts = fonts.options();
            let size = size.unwrap_or_else(|| "1920x1080".to_string());
            let opts = rankwall::cli::RenderOptions {
                feed,
                size,
                out,
                at,
                fonts,
                cache_dir,
            };
            let files = rankwall::cli::render(&opts)?;
            println!("wrote {} page(s)", files.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { feed, config, fonts } => {
            let outcome = match (config, feed) {
                (Some(config), feed) => {
                    let loaded = rankwall::cli::load_feed(feed.as_deref(), None)?;
                    rankwall::cli::check_config(&config, &loaded.feed, &loaded.report)?
                }
                (None, Some(feed)) => rankwall::cli::check(&feed, &fonts.options())?,
                (None, None) => anyhow::bail!("give --feed, --config or both"),
            };
            print!("{}", outcome.text);
            Ok(if outcome.accepted {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::DemoServer {
            addr,
            change_every,
            fault,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            let options = rankwall::demo::DemoOptions {
                addr,
                change_every,
                fault,
            };
            runtime.block_on(rankwall::demo::run_demo_server(options))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
