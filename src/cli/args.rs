//! The command line as types: what each command takes, parsed by clap. The
//! binary only parses and calls [`super::dispatch`].

use crate::client::RunOptions;
use crate::config::{PanelSize, ScreenSize, ThemeSettings};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The whole command line.
#[derive(Parser)]
#[command(
    name = "rankwall",
    version,
    about = "Township rankings and red/black lists on public screens"
)]
pub struct Cli {
    /// What to do; with none, `run` with the embedded demo config and feed.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Play the playlist full screen (or offscreen with --headless) until SIGTERM.
    Run(RunOptions),
    /// Say what was on the screen at an instant, from the proof-of-play log.
    Played {
        /// The instant (RFC 3339, e.g. 2026-11-03T10:05:00+08:00).
        #[arg(long)]
        at: String,
        /// The log (default: played.jsonl in the cache folder).
        #[arg(long)]
        log: Option<PathBuf>,
        /// The cache folder whose played.jsonl is read when --log is absent
        /// (default: $RANKWALL_CACHE_DIR, else $XDG_CACHE_HOME/rankwall, else ~/.cache/rankwall).
        #[arg(long)]
        cache_dir: Option<PathBuf>,
    },
    /// Render every page of every slide to PNG files.
    Render(RenderArgs),
    /// The publisher's side of signed feeds: make a key pair, sign a document.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Validate a feed and report what was refused, dropped, cleaned, and not covered by fonts.
    Check {
        /// Feed file or URL (with --config: the feed to check the playlist against;
        /// the embedded demo feed when absent).
        #[arg(long, required_unless_present = "config")]
        feed: Option<String>,
        /// A config file (rankwall.toml) to check.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Fonts besides the bundled ones, for the coverage report.
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// The operators' web console: watch every screen, edit, preview and publish playlists.
    Console(crate::cli::ConsoleArgs),
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
        fault: Option<crate::demo::Fault>,
    },
}

/// `rankwall render`.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// Feed file or URL (http, https, file://); the embedded demo feed when absent
    /// (with --config: the config's feed URL).
    #[arg(long)]
    pub feed: Option<String>,
    /// Screen size, WIDTHxHEIGHT (default 1920x1080; with --config, the config's size).
    #[arg(long, value_parser = PanelSize::parse)]
    pub size: Option<PanelSize>,
    /// Render what a screen with this config shows at --at (one frame, mid-transition
    /// included), or with --all every page of the cycle at --at.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// With --config: every page of the cycle instead of one frame.
    #[arg(long, requires = "config")]
    pub all: bool,
    /// With --config of a video wall's tile: the whole canvas instead of the tile.
    #[arg(long, requires = "config")]
    pub canvas: bool,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// The instant to render (RFC 3339); decides which notices are active.
    #[arg(long)]
    pub at: Option<String>,
    /// Fonts besides the bundled ones.
    #[command(flatten)]
    pub fonts: FontArgs,
    /// Folder for the last good copy of a feed URL (default: $RANKWALL_CACHE_DIR,
    /// else $XDG_CACHE_HOME/rankwall, else ~/.cache/rankwall).
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
}

impl RenderArgs {
    /// The size asked for, as an override of a config's size.
    pub fn size_override(&self) -> Option<ScreenSize> {
        self.size.map(ScreenSize::Fixed)
    }
}

/// Fonts besides the bundled ones.
#[derive(clap::Args)]
pub struct FontArgs {
    /// An extra font file (OTF, TTF, TTC) for characters the bundled fonts lack; repeatable.
    #[arg(long = "font", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Also use the system's fonts as a fallback (output then depends on the machine).
    #[arg(long)]
    pub system_fonts: bool,
}

impl FontArgs {
    /// The fonts asked for, as a theme.
    pub fn theme(&self) -> ThemeSettings {
        ThemeSettings {
            fonts: self.files.clone(),
            system_fonts: self.system_fonts,
        }
    }
}

/// `rankwall feed …`: signing feeds (contract Amendment 1, Integrity).
#[derive(Subcommand)]
pub enum FeedCommand {
    /// Make an Ed25519 key pair: DIR/feed-signing.key (private, mode 0600)
    /// and DIR/feed-signing.pub (the base64 public key for `[feed] public_key`).
    Keygen {
        /// The folder for the two files (created 0700 if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a feed document: writes FEED.sig, the base64 signature over its exact bytes.
    Sign {
        /// The document to sign, byte for byte as it will be served.
        feed: PathBuf,
        /// The private key file made by `rankwall feed keygen`.
        #[arg(long)]
        key: PathBuf,
    },
    /// Write the workbook a clerk fills for a month (xlsx), from the assessment scheme.
    Template {
        /// The assessment scheme (assessment.toml).
        #[arg(long)]
        scheme: PathBuf,
        /// The month, e.g. 2026-11.
        #[arg(long)]
        month: String,
        /// Where the workbook goes.
        #[arg(long)]
        out: PathBuf,
    },
    /// Build a month's feed from its filled sheets: checks every cell, ranks, grades,
    /// adds last month's ranks and the history, signs, and keeps the month.
    Build {
        /// The assessment scheme (assessment.toml).
        #[arg(long)]
        scheme: PathBuf,
        /// The month, e.g. 2026-11.
        #[arg(long)]
        month: String,
        /// The filled sheets (.xlsx, .xls, .ods, .csv): scores and households.
        #[arg(required = true)]
        sheets: Vec<PathBuf>,
        /// The folder of published months (made if missing).
        #[arg(long)]
        history: PathBuf,
        /// Where the document goes.
        #[arg(long)]
        out: PathBuf,
        /// The private key to sign with (writes OUT.sig).
        #[arg(long)]
        key: Option<PathBuf>,
        /// Build a published month again, saying why (kept in its record).
        #[arg(long)]
        correct: Option<String>,
    },
}
