//! `rankwall feed template` and `rankwall feed build`: the office's side of
//! the feed (issue 26). The template is the workbook a clerk fills; build
//! checks every cell of the filled sheets, and only when nothing is wrong
//! writes the document, its signature and the month's record in the
//! history folder. A month already published is refused unless the build
//! says why it corrects it. Problems are printed in Chinese, all at once.

use crate::publish::history::HistoryError;
use crate::publish::{sheet, History, Month, Scheme};
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// What `feed build` is given.
pub struct BuildArgs {
    /// `assessment.toml`.
    pub scheme: PathBuf,
    /// `2026-11`.
    pub month: String,
    /// The filled sheets.
    pub sheets: Vec<PathBuf>,
    /// The folder of published months.
    pub history: PathBuf,
    /// Where the document goes.
    pub out: PathBuf,
    /// The private key to sign with.
    pub key: Option<PathBuf>,
    /// Why a published month is built again.
    pub correct: Option<String>,
    /// Who publishes.
    pub by: String,
}

fn scheme(path: &Path) -> anyhow::Result<Scheme> {
    Scheme::load(path).map_err(|problems| anyhow::anyhow!("{}:\n{}", path.display(), problems.join("\n")))
}

fn month(text: &str) -> anyhow::Result<Month> {
    Month::parse(text).with_context(|| format!("`{text}` is not a month: write it as 2026-11"))
}

/// `feed template`: writes the workbook for `month`.
pub fn template(scheme_path: &Path, month_text: &str, out: &Path) -> anyhow::Result<String> {
    let scheme = scheme(scheme_path)?;
    let bytes = crate::publish::template::template(&scheme, month(month_text)?)?;
    crate::private_file::write_atomic(out, &[&bytes])
        .with_context(|| format!("cannot write {}", out.display()))?;
    Ok(format!("wrote {} ({} bytes)\n", out.display(), bytes.len()))
}

/// `feed build`: the month's document, or every problem.
pub fn build(args: &BuildArgs) -> anyhow::Result<String> {
    let scheme = scheme(&args.scheme)?;
    let month = month(&args.month)?;
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in &args.sheets {
        match sheet::read_file(path) {
            Ok(file) => files.push(file),
            Err(p) => problems.push(p),
        }
    }
    let history = History::load(&args.history)?;
    if history.months.contains_key(&month) && args.correct.is_none() {
        bail!("{}", HistoryError::Published(month));
    }
    let context = crate::publish::build::Context {
        scheme: &scheme,
        month,
        history: &history,
        now: chrono::Utc::now().with_timezone(&crate::china_standard_time()),
        by: &args.by,
    };
    let built = if problems.is_empty() {
        crate::publish::build(&context, &files)
            .map_err(|p| problems.extend(p))
            .ok()
    } else {
        None
    };
    let Some(built) = built else {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        bail!("{} 处问题，什么也没有写：\n{}", list.len(), list.join("\n"));
    };
    crate::private_file::write_atomic(&args.out, &[&built.body])
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    set_readable(&args.out)?;
    let mut said = format!(
        "wrote {} ({} boards, {} lists)\n",
        args.out.display(),
        built.feed.boards.len(),
        built.feed.lists.len()
    );
    if let Some(key) = &args.key {
        said.push_str(&super::signing::sign(&args.out, key)?);
    }
    History::save(&args.history, month, built.record, args.correct.as_deref())?;
    said.push_str(&format!("kept {month} in {}\n", args.history.display()));
    Ok(said)
}

/// The document is public: readable by the web server that serves it.
fn set_readable(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
