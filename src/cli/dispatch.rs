//! From a parsed command line to the library call that does the work, and
//! the exit status: 0 done, 1 a negative answer (refused, not found), 2 an
//! error (printed by the binary).

use super::args::{Cli, Command, RenderArgs};
use crate::client::RunOptions;
use crate::config::PanelSize;
use crate::play::font_options;
use std::process::ExitCode;

/// Runs what `cli` asks for.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command.unwrap_or_else(|| Command::Run(RunOptions::default())) {
        Command::Run(opts) => crate::client::run(&opts),
        Command::Played { at, log, cache_dir } => {
            let log = match log {
                Some(log) => log,
                None => crate::client::default_play_log(&crate::source::cache_dir(cache_dir.as_deref())?),
            };
            let (text, found) = super::played(&log, &at)?;
            print!("{text}");
            Ok(yes_no(found))
        }
        Command::Render(args) => render(args),
        Command::Feed(command) => {
            print!("{}", super::signing::run(command)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { feed, config, fonts } => {
            let outcome = match (config, feed) {
                (Some(config), feed) => {
                    let loaded = super::load_feed(feed.as_deref(), None)?;
                    super::check_config(&config, &loaded.feed, &loaded.report)?
                }
                (None, Some(feed)) => super::check(&feed, &font_options(&fonts.theme()))?,
                (None, None) => anyhow::bail!("give --feed, --config or both"),
            };
            print!("{}", outcome.text);
            Ok(yes_no(outcome.accepted))
        }
        Command::Console(args) => {
            super::console::console(args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::DemoServer {
            addr,
            change_every,
            fault,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            let options = crate::demo::DemoOptions {
                addr,
                change_every,
                fault,
            };
            runtime.block_on(crate::demo::run_demo_server(options))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn yes_no(yes: bool) -> ExitCode {
    if yes {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn render(args: RenderArgs) -> anyhow::Result<ExitCode> {
    if let Some(config) = &args.config {
        let opts = super::ConfigRender {
            config: config.clone(),
            feed: args.feed.clone(),
            size: args.size_override(),
            at: args.at.clone(),
            all: args.all,
            canvas: args.canvas,
            out: args.out.clone(),
            cache_dir: args.cache_dir.clone(),
        };
        for f in super::render_config(&opts)? {
            println!("{}", f.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let opts = super::RenderOptions {
        feed: args.feed,
        size: args.size.unwrap_or(PanelSize {
            width: 1920,
            height: 1080,
        }),
        out: args.out,
        at: args.at,
        theme: args.fonts.theme(),
        cache_dir: args.cache_dir,
    };
    let files = super::render(&opts)?;
    println!("wrote {} page(s)", files.len());
    Ok(ExitCode::SUCCESS)
}
