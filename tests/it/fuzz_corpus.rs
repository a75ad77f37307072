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
    // Each seed's outcome: `refused-*` refused, every other accepted.
    let wrong: Vec<String> = seeds("feed")
        .into_iter()
        .filter(|(name, data)| name.starts_with("refused-") == rankwall::feed::parse(data).is_ok())
        .map(|(name, _)| name)
        .collect();
    assert!(wrong.is_empty(), "seeds with the wrong outcome: {wrong:?}");
}

/// Each config seed: (file, accepted as a local file, accepted from a URL).
const CONFIG_OUTCOMES: &[(&str, bool, bool)] = &[
    // Examples of assets/ and docs/ set local-only keys (status, report).
    ("assets-rankwall.toml", true, false),
    ("crlf-and-comments.toml", true, true),
    ("demo.toml", true, true),
    ("docs-configuration-1.toml", true, false),
    ("docs-console-1.toml", true, false),
    ("empty.toml", true, true),
    // Names a CA file and a font this machine lacks, and a strip turned a quarter.
    ("every-key.toml", false, false),
    ("impossible-values.toml", false, false),
    ("misspelt-key-bad-time.toml", false, false),
    ("nesting.toml", false, false),
    ("not-toml.toml", false, false),
    ("out-of-range.toml", false, false),
    ("overlapping-windows.toml", true, true),
    ("regression-messages-out-of-order.toml", false, false),
    ("remote-refused-local-only.toml", true, false),
    ("status-public-without-token.toml", false, false),
    ("unterminated-string.toml", false, false),
    ("wall-grid-bezels.toml", true, true),
    ("wall-numbers-that-would-wrap.toml", false, false),
    ("wall-with-region.toml", false, false),
    ("led-region-dimmed.toml", true, true),
    ("wrong-type.toml", false, false),
];

#[test]
fn config_corpus_passes() {
    let ran = run("config", bodies::config);
    assert!(ran > 0);
    eprintln!("config: {ran} inputs");
    let outcome = |name: &str| CONFIG_OUTCOMES.iter().find(|o| o.0 == name).map(|o| (o.1, o.2));
    for (name, data) in seeds("config") {
        let Some(expected) = outcome(&name) else {
            panic!("fuzz/corpus/config/{name}: add its expected outcome to CONFIG_OUTCOMES");
        };
        let text = String::from_utf8_lossy(&data);
        let local = rankwall::config::parse(&name, &text, None).settings.is_some();
        let remote = rankwall::config::parse_remote(&name, &text, None)
            .settings
            .is_some();
        assert_eq!((local, remote), expected, "{name}: (local, remote) accepted");
    }
}

/// Each header seed: (file, its `Date` reading as RFC 3339, its
/// `Retry-After` wait in seconds read at the Unix epoch).
const HEADER_OUTCOMES: &[(&str, Option<&str>, Option<u64>)] = &[
    // Recipients should read the obsolete forms too; the feed's servers
    // send IMF-fixdate, so these are not read (a date that cannot be read
    // only loses a clock-skew estimate).
    ("asctime-date", None, None),
    ("rfc850-date", None, None),
    (
        "date-comment",
        Some("2003-07-01T08:52:37+00:00"),
        Some(1057049557),
    ),
    ("date-february-31", None, None),
    (
        "date-leap-second",
        Some("2016-12-31T23:59:60+00:00"),
        Some(1483228800),
    ),
    ("date-tab-padded", None, Some(1445412480)),
    (
        "date-with-offset",
        Some("2026-11-28T02:00:00+00:00"),
        Some(1795831200),
    ),
    ("date-wrong-weekday", None, None),
    ("empty", None, None),
    ("etag-control-char", None, None),
    ("etag-empty-quotes", None, None),
    ("etag-obs-text", None, None),
    ("etag-strong", None, None),
    ("etag-weak", None, None),
    (
        "imf-fixdate-future",
        Some("2100-12-31T23:59:59+00:00"),
        Some(4133980799),
    ),
    (
        "imf-fixdate-past",
        Some("1994-11-06T08:49:37+00:00"),
        Some(784111777),
    ),
    (
        "imf-fixdate-year-9999",
        Some("9999-12-31T23:59:59+00:00"),
        Some(253402300799),
    ),
    (
        "last-modified",
        Some("2015-10-21T07:28:00+00:00"),
        Some(1445412480),
    ),
    ("nonsense-word", None, None),
    (
        "regression-retry-after-3-million-years",
        None,
        Some(100000000000000),
    ),
    ("retry-after-fraction", None, None),
    ("retry-after-negative", None, None),
    ("retry-after-plus", None, Some(30)),
    ("retry-after-seconds", None, Some(120)),
    ("retry-after-seconds-spaces", None, Some(7)),
    ("retry-after-u64-max", None, Some(u64::MAX)),
    ("retry-after-u64-overflow", None, None),
    ("retry-after-zero", None, Some(0)),
];

#[test]
fn headers_corpus_passes() {
    use reqwest::header::{HeaderMap, HeaderValue, DATE, RETRY_AFTER};
    let ran = run("headers", bodies::headers);
    assert!(ran > 0);
    eprintln!("headers: {ran} inputs");
    for (name, data) in seeds("headers") {
        let Some(&(_, date, wait)) = HEADER_OUTCOMES.iter().find(|o| o.0 == name) else {
            panic!("fuzz/corpus/headers/{name}: add its expected outcome to HEADER_OUTCOMES");
        };
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&data) {
            headers.insert(DATE, value.clone());
            headers.insert(RETRY_AFTER, value);
        }
        let read = rankwall::net::header_date(&headers, DATE).map(|d| d.to_rfc3339());
        assert_eq!(read.as_deref(), date, "{name}: Date");
        let waited = rankwall::net::retry_after(&headers, chrono::DateTime::UNIX_EPOCH).map(|d| d.as_secs());
        assert_eq!(waited, wait, "{name}: Retry-After");
    }
}

/// The committed seeds of a target (name, bytes): every file but those a
/// fuzz run adds in place (40 hex digits, git-ignored).
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let found: Vec<(String, Vec<u8>)> = corpus(target)
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let generated = name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit());
            let data = std::fs::read(&path).ok()?;
            (!generated).then_some((name, data))
        })
        .collect();
    assert!(!found.is_empty(), "fuzz/corpus/{target} has no seeds");
    found
}

#[test]
fn sheet_corpus_passes() {
    let ran = run("sheet", bodies::sheet);
    assert!(ran >= 3, "{ran}");
}
