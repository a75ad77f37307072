//! The rankwall binary: sets up logging, parses the command line and hands
//! it to the library. Errors exit with status 2 and say what to do.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    init_logging();
    match rankwall::cli::dispatch(rankwall::cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to journald when systemd runs us (it sets JOURNAL_STREAM), else to
/// stderr: coloured on a terminal, plain lines when stderr is a file or a
/// pipe (escape codes in a log file are noise to whoever reads it later).
fn init_logging() {
    use std::io::IsTerminal as _;
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
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
