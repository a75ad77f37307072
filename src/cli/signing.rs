//! `rankwall feed keygen` and `rankwall feed sign`: the publisher's side of
//! signed feeds. The private key is written 0600 in a 0700 folder and never
//! over an existing file; a signature is made over the document's exact bytes.

use super::args::FeedCommand;
use anyhow::Context as _;
use std::io::Write as _;
use std::path::Path;

/// The private key's file name in the `keygen` folder.
pub const PRIVATE_KEY: &str = "feed-signing.key";
/// The public key's file name in the `keygen` folder.
pub const PUBLIC_KEY: &str = "feed-signing.pub";

/// Runs a `feed` command; returns what to print.
pub fn run(command: FeedCommand) -> anyhow::Result<String> {
    match command {
        FeedCommand::Keygen { out } => keygen(&out),
        FeedCommand::Sign { feed, key } => sign(&feed, &key),
        FeedCommand::Template { scheme, month, out } => super::publish::template(&scheme, &month, &out),
        FeedCommand::Build {
            scheme,
            month,
            sheets,
            history,
            out,
            key,
            correct,
        } => super::publish::build(&super::publish::BuildArgs {
            scheme,
            month,
            sheets,
            history,
            out,
            key,
            correct,
            by: std::env::var("USER").unwrap_or_else(|_| "rankwall".into()),
        }),
    }
}

fn keygen(dir: &Path) -> anyhow::Result<String> {
    let (private, public) = crate::signing::generate()?;
    crate::private_file::create_private_dir(dir).with_context(|| {
        format!(
            "cannot create {}; check the path and its permissions",
            dir.display()
        )
    })?;
    let key_path = dir.join(PRIVATE_KEY);
    write_new(&key_path, &private, 0o600)?;
    let pub_path = dir.join(PUBLIC_KEY);
    write_new(&pub_path, format!("{}\n", public.to_base64()).as_bytes(), 0o644)?;
    Ok(format!(
        "private key: {} (keep it secret; sign with it)\npublic key:  {}\nput this in each screen's --screen-config file:\n[feed]\npublic_key = \"{}\"\n",
        key_path.display(),
        pub_path.display(),
        public.to_base64()
    ))
}

pub(super) fn sign(feed: &Path, key: &Path) -> anyhow::Result<String> {
    let max = crate::limited_read::MAX_NAMED_FILE;
    let private = crate::limited_read::read_regular(key, max)
        .with_context(|| format!("cannot read the private key {}", key.display()))?;
    let body = crate::limited_read::read_regular(feed, crate::feed::MAX_BODY_BYTES as u64)
        .with_context(|| format!("cannot read {} (a regular file of at most 8 MiB)", feed.display()))?;
    let (signature, public) = crate::signing::sign(&private, &body)
        .with_context(|| format!("cannot sign with {}", key.display()))?;
    let mut sig_path = feed.as_os_str().to_owned();
    sig_path.push(".sig");
    let sig_path = std::path::PathBuf::from(sig_path);
    crate::private_file::write_atomic(&sig_path, &[signature.as_bytes()])
        .with_context(|| format!("cannot write {}", sig_path.display()))?;
    // The signature is public: readable by the web server that serves it.
    set_mode(&sig_path, 0o644)?;
    Ok(format!(
        "wrote {} (public key {})\n",
        sig_path.display(),
        public.to_base64()
    ))
}

/// Writes a new file (never over an existing one) with `mode`.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    set_mode(path, mode)
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the mode of {}", path.display()))?;
    }
    Ok(())
}
