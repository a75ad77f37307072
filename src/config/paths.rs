//! Every file or folder a config names is looked at when the config is
//! checked, not when the screen first needs it: a missing font or CA file is
//! a located error in `check --config` and on reload (the old config keeps
//! playing), never a screen that cannot start after a restart.

use super::diagnostic::{error, Diagnostic, Locator};
use super::raw::RawConfig;
use crate::limited_read::MAX_NAMED_FILE;
use std::path::Path;

/// What a named path must be.
#[derive(Clone, Copy)]
enum Want {
    /// A font or a certificate: a regular file of at most 32 MiB, read whole.
    ReadFile,
    /// The proof-of-play log: absent, or a regular file (never a link).
    LogFile,
    /// The cache folder: absent (it is created), or a folder.
    Folder,
}

/// Checks the paths `raw` names, pushing an error at each bad one.
pub(super) fn check_named_paths(loc: &Locator, raw: &RawConfig, out: &mut Vec<Diagnostic>) {
    let named = raw
        .theme
        .fonts
        .iter()
        .map(|p| (p, Want::ReadFile))
        .chain(raw.feed.ca_file.iter().map(|p| (p, Want::ReadFile)))
        .chain(raw.status.play_log.iter().map(|p| (p, Want::LogFile)))
        .chain(raw.feed.cache_dir.iter().map(|p| (p, Want::Folder)));
    for (path, want) in named {
        if let Err((message, hint)) = check(Path::new(path.get_ref()), want) {
            out.push(error(loc, path.span(), message, hint));
        }
    }
}

fn check(path: &Path, want: Want) -> Result<(), (String, &'static str)> {
    let shown = super::diagnostic::quoted(&path.display().to_string());
    let meta = std::fs::symlink_metadata(path);
    match (want, meta) {
        (Want::ReadFile, Err(e)) => Err((
            format!("cannot use {shown}: {e}"),
            "give the path of an existing file readable by the screen's user",
        )),
        (Want::ReadFile, Ok(_)) => {
            // Followed here: a link to a font is fine, a link to a device is not.
            match std::fs::metadata(path) {
                Ok(m) if !m.is_file() => Err((
                    format!("{shown} is not a regular file"),
                    "name a font or certificate file, not a folder or a device",
                )),
                Ok(m) if m.len() > MAX_NAMED_FILE => Err((
                    format!("{shown} is larger than {} MiB", MAX_NAMED_FILE >> 20),
                    "name a font or certificate file",
                )),
                Ok(_) => Ok(()),
                Err(e) => Err((format!("cannot use {shown}: {e}"), "check the path")),
            }
        }
        (Want::LogFile, Ok(m)) if !m.is_file() => Err((
            format!("{shown} exists and is not a regular file"),
            "the log is written only to a plain file (never through a link)",
        )),
        (Want::Folder, Ok(m)) if !m.is_dir() => Err((
            format!("{shown} exists and is not a folder"),
            "name a folder (it is created when missing)",
        )),
        (Want::LogFile | Want::Folder, _) => Ok(()),
    }
}
