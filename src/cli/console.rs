//! `rankwall console`: serve the operators' console, add an operator, or
//! try the whole thing on one machine (`console try`).

use crate::console::{store::Store, ConsoleOptions};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::io::BufRead as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// `rankwall console …`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConsoleArgs {
    /// What to do; serving the console when absent.
    #[command(subcommand)]
    pub command: Option<ConsoleCommand>,
    /// The serving options, read when no command is given.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Where the console keeps its data.
#[derive(Args, Clone)]
pub struct DataArg {
    /// The console's data folder (default: $RANKWALL_CONSOLE_DATA, else
    /// $XDG_DATA_HOME/rankwall-console, else ~/.local/share/rankwall-console).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// Serving the console.
#[derive(Args)]
pub struct ServeArgs {
    /// The data folder to serve from.
    #[command(flatten)]
    pub data: DataArg,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9480")]
    pub addr: SocketAddr,
    /// The feed to check playlists against and preview with (URL or file; default: the demo feed).
    #[arg(long)]
    pub feed: Option<String>,
    /// TLS certificate chain (PEM); with --tls-key, serve HTTPS.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Listen beyond loopback without TLS (passwords cross the network in clear).
    #[arg(long)]
    pub insecure_listen: bool,
    /// The address screens reach the console at, for the files enrolment writes
    /// (default: http(s)://ADDR).
    #[arg(long)]
    pub public_url: Option<String>,
    /// A reverse proxy in front of the console (repeat for more): its
    /// X-Forwarded-For names the client for login limits and the audit trail.
    /// An address (`127.0.0.1`) or a network (`10.0.0.0/8`).
    #[arg(long = "trusted-proxy", value_name = "IP|CIDR", value_parser = crate::net::parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The office's assessment scheme (assessment.toml): turns on the 数据录入 page,
    /// which builds the monthly feed from uploaded sheets and serves it at /feed.json.
    #[arg(long)]
    pub scheme: Option<PathBuf>,
    /// The city's private key (`rankwall feed keygen`): /feed.json.sig is signed with it.
    #[arg(long)]
    pub feed_key: Option<PathBuf>,
}

/// `rankwall console <command>`.
#[derive(Subcommand)]
pub enum ConsoleCommand {
    /// Add an operator (or set a new password): the password is read from the first line of stdin.
    AddUser {
        /// The data folder whose store gets the operator.
        #[command(flatten)]
        data: DataArg,
        /// The operator's login name.
        name: String,
    },
    /// Set up a demo (an operator, a group, an enrolled screen) and serve; prints the
    /// command that starts a headless screen reporting to it.
    Try {
        /// The data folder the demo is set up in.
        #[command(flatten)]
        data: DataArg,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:9480")]
        addr: SocketAddr,
    },
}

impl DataArg {
    fn folder(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = &self.data {
            return Ok(d.clone());
        }
        if let Some(d) = std::env::var_os("RANKWALL_CONSOLE_DATA") {
            return Ok(PathBuf::from(d));
        }
        if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
            return Ok(PathBuf::from(d).join("rankwall-console"));
        }
        let home = std::env::var_os("HOME")
            .context("no --data, $RANKWALL_CONSOLE_DATA or $HOME: give --data DIR")?;
        Ok(PathBuf::from(home).join(".local/share/rankwall-console"))
    }
}

/// Runs `rankwall console`.
pub fn console(args: ConsoleArgs) -> anyhow::Result<()> {
    match args.command {
        Some(ConsoleCommand::AddUser { data, name }) => add_user(&data.folder()?, &name),
        Some(ConsoleCommand::Try { data, addr }) => {
            let folder = data.folder()?;
            let mut options = ConsoleOptions::new(folder.clone());
            options.addr = addr;
            try_setup(&folder, addr)?;
            serve(options)
        }
        None => {
            let s = args.serve;
            let mut options = ConsoleOptions::new(s.data.folder()?);
            options.addr = s.addr;
            options.feed = s.feed;
            options.insecure_listen = s.insecure_listen;
            options.public_url = s.public_url;
            options.trusted_proxies = s.trusted_proxies;
            options.scheme = s.scheme;
            options.feed_key = s.feed_key;
            options.tls = s.tls_cert.zip(s.tls_key);
            serve(options)
        }
    }
}

/// Threads for the console's blocking work (database, thumbnails, fonts).
const CONSOLE_BLOCKING_THREADS: usize = 8;

fn serve(options: ConsoleOptions) -> anyhow::Result<()> {
    // The store is one SQLite connection behind a mutex: more blocking
    // threads than a few only wait on it, each with its own stack and malloc
    // arena (tokio's default of 512 took 500 screens' console to 262 threads
    // and 153 MiB). Blocking work beyond these queues instead.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(CONSOLE_BLOCKING_THREADS)
        .build()?;
    runtime.block_on(async {
        let running = crate::console::start(options).await?;
        eprintln!("rankwall console: {}/", running.url);
        tokio::select! {
            _ = running.task => {}
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate() => {}
        }
        anyhow::Ok(())
    })
}

/// Resolves on SIGTERM (systemd's stop).
async fn terminate() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

fn open_store(folder: &Path) -> anyhow::Result<Store> {
    crate::private_file::create_private_dir(folder)
        .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
    Ok(Store::open(
        &ConsoleOptions::new(folder.to_path_buf()).database(),
    )?)
}

fn add_user(folder: &Path, name: &str) -> anyhow::Result<()> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 64,
        "give a login name of 1 to 64 characters"
    );
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    anyhow::ensure!(
        password.chars().count() >= 10,
        "the password (first line of stdin) needs at least 10 characters"
    );
    let store = open_store(folder)?;
    store.set_user(name, &crate::console::hash_password(password)?)?;
    store.audit("（命令行）", "user", &format!("{name}：已设置密码"))?;
    eprintln!("operator {name} can log in ({})", folder.display());
    Ok(())
}

/// The demo: operator `admin` with a new password, group `demo` with the
/// starter playlist published, screen `demo-screen` enrolled and its file written.
fn try_setup(folder: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    let store = open_store(folder)?;
    let password = crate::console::random_password()?;
    store.set_user("admin", &crate::console::hash_password(&password)?)?;
    let screen_file = folder.join("demo-screen.toml");
    if store.screen_token_hash("demo-screen")?.is_none() || !screen_file.exists() {
        let token = crate::console::enrol_demo(&store, "demo-screen")?;
        let text = format!(
            "# The demo screen's own settings (written by `rankwall console try`).\n\
             [screen]\nid = \"demo-screen\"\n\n[report]\nurl = \"http://{addr}/api/report\"\n\
             token = \"{token}\"\ninterval = 10\n"
        );
        crate::private_file::write_atomic(&screen_file, &[text.as_bytes()])
            .with_context(|| format!("cannot write {}", screen_file.display()))?;
    }
    println!("console: http://{addr}/  user: admin  password: {password}");
    println!("start a screen reporting to it (in another terminal):");
    println!(
        "  rankwall run --headless --size 1280x720 --config http://{addr}/c/screen/demo-screen.toml \
         --screen-config {} --allow-http-config --status-addr off",
        screen_file.display()
    );
    Ok(())
}
