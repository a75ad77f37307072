//! The fuzz targets' committed corpus, run as an ordinary test: every file of
//! `fuzz/corpus/<target>/` goes through the same body the cargo-fuzz target
//! runs (`fuzz/bodies.rs`). CI has only the stable toolchain, so this is how
//! the seeds and every crash found by a long run (kept as a regression input)
//! are checked on each change; the sanitizer runs themselves need nightly
//! (`cargo +nightly fuzz run <target>`, see fuzz/README.md).

#[path = "../../fuzz/bodies.rs"]
mod bodies;

use std::path::{Path, PathBuf};

/// Every file of the target's corpus folder, sorted so a failure names the same file each run.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs each input of `target` through `body` and returns how many ran. It
/// fails naming every input that panicked (each panic's message is printed
/// above it), and on an empty corpus, so it cannot pass having run nothing.
fn run(target: &str, body: fn(&[u8])) -> usize {
    let files = corpus(target);
    assert!(!files.is_empty(), "fuzz/corpus/{target} holds no inputs");
    let mut ran = 0;
    let mut panicked = Vec::new();
    for file in &files {
        let data = match std::fs::read(file) {
            Ok(data) => data,
            // A fuzz run in progress grows and prunes the same folder (its
            // new inputs are git-ignored): one it removed since the listing
            // is not an input any more.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot read {}: {e}", file.display()),
        };
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            panicked.push(file.display().to_string());
        }
        ran += 1;
    }
    assert!(panicked.is_empty(), "the {target} body panicked on {panicked:#?}");
    ran
}

#[test]
fn feed_corpus_passes() {
    let ran = run("feed", bodies::feed);
    assert!(ran > 0);
    eprintln!("feed: {ran} inputs");
}

#[test]
fn config_corpus_passes() {
    let ran = run("config", bodies::config);
    assert!(ran > 0);
    eprintln!("config: {ran} inputs");
}

#[test]
fn headers_corpus_passes() {
    let ran = run("headers", bodies::headers);
    assert!(ran > 0);
    eprintln!("headers: {ran} inputs");
}
