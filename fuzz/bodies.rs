//! The bodies of the fuzz targets. The cargo-fuzz targets in
//! `fuzz/fuzz_targets/` run them under libFuzzer and a sanitizer (nightly);
//! `tests/it/fuzz_corpus.rs` runs every committed corpus file through them as
//! an ordinary test (stable, in CI). A body panics only on a bug: a panic
//! inside the library, or one of the invariants checked here broken.

use chrono::{DateTime, TimeDelta, Utc};
use rankwall::config::{self, Checked, Severity};
use rankwall::feed::{self, Feed, Report};
use rankwall::net::{header_date, header_text, retry_after, FetchError, FetchOutcome, Fetcher, Validators};
use rankwall::source::{Poller, SourceConfig};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, DATE, ETAG, LAST_MODIFIED, RETRY_AFTER};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// Feed validation: whatever the bytes, `feed::parse` answers without
/// panicking, and an accepted document keeps the contract's promises.
pub fn feed(data: &[u8]) {
    let Ok((parsed, report)) = feed::parse(data) else {
        return;
    };
    check_feed(&parsed);
    // The operator's summary and findings are built from every field, so
    // writing them exercises the report code on whatever was accepted.
    // Both languages: the Chinese runs every finding through the catalogue.
    use rankwall::config::{check_words, messages::Lang};
    for lang in [Lang::En, Lang::Zh] {
        let _line = check_words::accepted_line("fuzz", &parsed, lang);
        let mut text = String::new();
        // Only ASCII counts as covered here, so the uncovered-characters list
        // is built too (the real answer needs the fonts, which are too slow).
        check_words::report_findings(&mut text, &parsed, &report, &|c: char| c.is_ascii(), lang);
    }
    revalidate(&parsed, &report);
}

/// The promises a validated feed makes to the layout: bounded sizes, unique
/// well-formed ids, entries in rank order and only clean, bounded strings.
fn check_feed(parsed: &Feed) {
    assert!(!parsed.period.id.is_empty() && !parsed.period.label.is_empty());
    assert!(parsed.boards.len() <= feed::MAX_ITEMS);
    assert!(parsed.lists.len() <= feed::MAX_ITEMS);
    assert!(parsed.notices.len() <= feed::MAX_ITEMS);
    let mut ids = HashSet::new();
    for board in &parsed.boards {
        check_id(&board.id, &mut ids);
        assert!(board.entries.len() <= feed::MAX_ENTRIES);
        assert!(board.columns.len() <= feed::MAX_COLUMNS);
        // Amendment 2: full marks above 0, award tiers bounded and clean.
        assert!(board
            .columns
            .iter()
            .all(|c| c.max.is_none_or(|m| m.is_finite() && m > 0.0)));
        assert!(board.awards.len() <= feed::MAX_AWARDS);
        board.awards.iter().for_each(|a| check_line(&a.grade));
        check_line(&board.title);
        assert!(board.entries.windows(2).all(|w| w[0].rank <= w[1].rank));
        for entry in &board.entries {
            assert!(entry.rank >= 1 && entry.previous_rank.is_none_or(|p| p >= 1));
            assert!(entry.score.is_none_or(f64::is_finite));
            assert!(entry.scores.values().all(|v| v.is_finite()));
            check_line(&entry.name);
            // Amendment 2: the newest 36 points at most, ranks ≥ 1, people bounded.
            assert!(entry.history.len() <= feed::MAX_HISTORY);
            assert!(entry
                .history
                .iter()
                .all(|h| h.rank >= 1 && h.score.is_none_or(f64::is_finite)));
            entry.history.iter().for_each(|h| check_line(&h.period));
            assert!(entry.responsible.len() <= feed::MAX_RESPONSIBLE);
            entry.responsible.iter().for_each(|r| {
                check_line(&r.role);
                check_line(&r.name);
            });
        }
    }
    for list in &parsed.lists {
        check_id(&list.id, &mut ids);
        assert!(list.entries.len() <= feed::MAX_ENTRIES);
        check_line(&list.title);
        list.entries.iter().for_each(|e| check_line(&e.name));
    }
    for notice in &parsed.notices {
        check_id(&notice.id, &mut ids);
        check_line(&notice.title);
        // A notice body keeps its line breaks and up to 4,000 characters, plus the "…" of a cut.
        assert!(notice.body.chars().count() <= 4_001);
        assert!(notice.body.chars().all(|c| c == '\n' || !is_hidden(c)));
    }
}

/// An id is `[a-z0-9_-]{1,64}` and unique in the whole document.
fn check_id(id: &str, seen: &mut HashSet<String>) {
    let well_formed = id
        .bytes()
        .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
    assert!((1..=64).contains(&id.len()) && well_formed, "id {id:?}");
    assert!(seen.insert(id.to_string()), "id {id:?} used twice");
}

/// A one-line string holds at most 200 characters plus the "…" of a cut,
/// and nothing invisible.
fn check_line(text: &str) {
    assert!(text.chars().count() <= 201, "{} characters", text.chars().count());
    assert!(!text.chars().any(is_hidden), "{text:?}");
}

fn is_hidden(c: char) -> bool {
    c.is_control() || feed::is_invisible_format(c)
}

/// Writes an accepted feed back as a document and validates it again: it
/// must be accepted with nothing dropped, and, unless a string was cut
/// (a cut adds "…", which a second pass would cut again), it must come back
/// the same with nothing cleaned.
fn revalidate(parsed: &Feed, report: &Report) {
    let written = to_value(parsed);
    let mut doc = written.clone();
    drop_nulls(&mut doc);
    if let Value::Object(root) = &mut doc {
        root.insert("schema_version".into(), Value::from(1));
    }
    let bytes = doc.to_string().into_bytes();
    let (again, second) = match feed::parse(&bytes) {
        Ok(both) => both,
        Err(e) => panic!("an accepted feed, written back, is refused: {e}"),
    };
    assert!(second.dropped.is_empty(), "{:?}", second.dropped);
    let cut = report.cleaned.iter().any(|f| f.message.contains("cut from"));
    if !cut {
        assert!(second.cleaned.is_empty(), "{:?}", second.cleaned);
        assert!(
            same(&to_value(&again), &written),
            "{again:?}\n  is not\n{parsed:?}"
        );
    }
}

fn to_value(parsed: &Feed) -> Value {
    match serde_json::to_value(parsed) {
        Ok(value) => value,
        Err(e) => panic!("an accepted feed cannot be written as JSON: {e}"),
    }
}

/// Equal documents, numbers within a few units in the last place: serde_json
/// reads a long decimal (a 90-digit score) only to about the nearest double
/// (its `float_roundtrip` feature is off), so the shortest form written back
/// may be read one or two bits away. Everything else must match exactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
            _ => false,
        },
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().all(|(k, x)| ys.get(k).is_some_and(|y| same(x, y)))
        }
        _ => a == b,
    }
}

/// Absent optional fields are written as `null` by serde; the contract
/// leaves them out, so they are removed before the document is read again.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The file name diagnostics carry.
const CONFIG_FILE: &str = "fuzz.toml";

/// Config parsing and validation: the input as TOML text (invalid UTF-8
/// replaced, as a lossy reader would), read as a local and as a remote
/// config, with and without the demo feed. None of it may panic, and the
/// four readings must agree with each other.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let feed = demo_feed();
    let local = config::parse(CONFIG_FILE, &text, None);
    let local_fed = config::parse(CONFIG_FILE, &text, Some(feed));
    let remote = config::parse_remote(CONFIG_FILE, &text, None);
    let remote_fed = config::parse_remote(CONFIG_FILE, &text, Some(feed));
    for checked in [&local, &local_fed, &remote, &remote_fed] {
        check_checked(checked, &text);
    }
    // The feed only adds warnings about content it lacks: it never changes
    // the settings or turns a good file bad.
    assert_eq!(local.errors(), local_fed.errors());
    assert_eq!(local.settings, local_fed.settings);
    assert_eq!(remote.errors(), remote_fed.errors());
    // A remote config is a local one with more keys refused: a file that
    // sets a local-only key is refused from a URL however good it is.
    assert!(remote.errors() >= local.errors());
    if sets_local_only_key(&text) {
        assert!(remote.settings.is_none(), "a remote config set a local-only key");
        assert!(remote.errors() > local.errors());
    }
    if remote.settings.is_some() {
        assert_eq!(remote.settings, local.settings);
    }
}

/// The keys only the screen's own files may set, written out here rather
/// than read from the library, so that a key dropped from its refusal is
/// caught.
const LOCAL_ONLY: [(&str, &str); 11] = [
    ("status", "addr"),
    ("status", "token"),
    ("status", "play_log"),
    ("feed", "cache_dir"),
    ("feed", "ca_file"),
    ("feed", "public_key"),
    ("theme", "fonts"),
    ("theme", "system_fonts"),
    ("report", "url"),
    ("report", "token"),
    ("report", "interval"),
];

/// Whether `text`, read as TOML, sets one of [`LOCAL_ONLY`].
fn sets_local_only_key(text: &str) -> bool {
    let Ok(table) = text.parse::<toml::Table>() else {
        return false;
    };
    LOCAL_ONLY.iter().any(|(section, key)| {
        table
            .get(*section)
            .and_then(toml::Value::as_table)
            .is_some_and(|t| t.contains_key(*key))
    })
}

/// The demo feed, parsed once: the config body checks playlist items against it.
fn demo_feed() -> &'static Feed {
    static DEMO: OnceLock<Feed> = OnceLock::new();
    DEMO.get_or_init(|| match feed::demo() {
        Ok((demo, _)) => demo,
        Err(e) => panic!("the demo feed is refused: {e}"),
    })
}

/// Settings come out exactly when no diagnostic is an error; diagnostics
/// are sorted, name the file and point inside the text.
fn check_checked(checked: &Checked, text: &str) {
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(errors, checked.errors());
    assert_eq!(checked.settings.is_some(), errors == 0);
    let positions: Vec<_> = checked.diagnostics.iter().map(|d| (d.line, d.column)).collect();
    assert!(positions.is_sorted(), "{positions:?}");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in &checked.diagnostics {
        assert_eq!(d.file, CONFIG_FILE);
        assert!(d.line >= 1 && d.line <= lines.len(), "{d}");
        let width = lines[d.line - 1].chars().count();
        assert!(d.column >= 1 && d.column <= width + 1, "{d}");
        assert!(!d.to_string().is_empty());
    }
}

/// The header parsing the feed source does: the input as one header value
/// (as `Retry-After`, `Date`, `ETag` and `Last-Modified`), read directly and
/// by a poller, then as the seed of a seconds value and a date written the
/// way a server writes them.
pub fn headers(data: &[u8]) {
    if let Ok(value) = HeaderValue::from_bytes(data) {
        raw_value(&value);
        poller_reading(&all_four(&value));
    }
    let mut seed = [0u8; 8];
    let n = data.len().min(8);
    seed[..n].copy_from_slice(&data[..n]);
    written_values(u64::from_le_bytes(seed));
}

/// Whatever the value, the validators are sent back exactly as received,
/// and `Retry-After` agrees with the `Date` reading of the same text.
fn raw_value(value: &HeaderValue) {
    let headers = all_four(value);
    let text = value.to_str().ok();
    assert_eq!(header_text(&headers, ETAG).as_deref(), text);
    assert_eq!(header_text(&headers, LAST_MODIFIED).as_deref(), text);
    let date = header_date(&headers, DATE);
    assert!(date.is_none() || text.is_some());
    let epoch = DateTime::UNIX_EPOCH;
    if let Some(secs) = text.and_then(|t| t.trim().parse::<u64>().ok()) {
        // Seconds are taken as written, whenever they are read.
        assert_eq!(retry_after(&headers, epoch), Some(Duration::from_secs(secs)));
        assert_eq!(retry_after(&headers, Utc::now()), Some(Duration::from_secs(secs)));
        return;
    }
    if let Some(at) = date {
        date_waits(&headers, at, &format!("{value:?}"));
    }
}

/// A `Retry-After` date asks for a wait until that instant: the rest of it
/// before, zero at the instant, and none once it has passed.
fn date_waits(headers: &HeaderMap, at: DateTime<Utc>, written: &str) {
    if let Some(before) = at.checked_sub_signed(TimeDelta::seconds(90)) {
        assert_eq!(
            retry_after(headers, before),
            Some(Duration::from_secs(90)),
            "{written}"
        );
    }
    assert_eq!(retry_after(headers, at), Some(Duration::ZERO), "{written}");
    // Two seconds on, so that a leap second (23:59:60) has passed too.
    if let Some(after) = at.checked_add_signed(TimeDelta::seconds(2)) {
        assert_eq!(retry_after(headers, after), None, "{written}");
    }
}

/// A seconds value with the spaces a server may add, and the same seed as
/// an IMF-fixdate between 1970 and 9999: both are read back exactly.
fn written_values(seed: u64) {
    let seconds = HeaderValue::from_str(&format!(" {seed} ")).ok();
    if let Some(value) = seconds {
        let headers = all_four(&value);
        assert_eq!(retry_after(&headers, Utc::now()), Some(Duration::from_secs(seed)));
    }
    // 253402300799 is 9999-12-31T23:59:59Z, the last instant with a four-digit year.
    let secs = i64::try_from(seed % 253_402_300_800).unwrap_or(0);
    let Some(at) = DateTime::from_timestamp(secs, 0) else {
        return;
    };
    let written = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let Ok(value) = HeaderValue::from_str(&written) else {
        panic!("{written:?} is not a header value");
    };
    let headers = all_four(&value);
    assert_eq!(header_date(&headers, DATE), Some(at), "{written}");
    assert_eq!(header_date(&headers, LAST_MODIFIED), Some(at), "{written}");
    date_waits(&headers, at, &written);
}

/// A fetcher that answers as a server sending `headers` would: first
/// `304 Not Modified` with its `Date`, then 429 with its `Retry-After`.
struct Answers {
    headers: HeaderMap,
    answered: AtomicBool,
}

impl Fetcher for Answers {
    async fn fetch(&self, _: &Validators) -> Result<FetchOutcome, FetchError> {
        if !self.answered.swap(true, Ordering::Relaxed) {
            let server_date = header_date(&self.headers, DATE);
            return Ok(FetchOutcome::NotModified { server_date });
        }
        let retry_after = retry_after(&self.headers, Utc::now());
        Err(FetchError::RetryLater {
            status: 429,
            retry_after,
        })
    }

    fn location(&self) -> &str {
        "fuzz"
    }
}

/// What the poller makes of the headers: the server's clock, a backoff that
/// honours `Retry-After` as a lower bound, and a status that says when the
/// next attempt is. Neither answer touches the disk (there is no document
/// to cache), so the poll futures run without a tokio runtime.
fn poller_reading(headers: &HeaderMap) {
    let dir = std::env::temp_dir().join("rankwall-fuzz-never-created");
    let answers = Answers {
        headers: headers.clone(),
        answered: AtomicBool::new(false),
    };
    let mut poller = Poller::new(SourceConfig::new("https://fuzz.invalid/feed.json", dir), answers);
    let unchanged = pollster::block_on(poller.poll_once());
    assert!(!unchanged.outcome.is_failure());
    let wanted = retry_after(headers, Utc::now()).unwrap_or_default();
    let failed = pollster::block_on(poller.poll_once());
    assert!(failed.outcome.is_failure());
    // Retry-After is read again a moment later, so a date-form wait may be
    // a second shorter; a wait in seconds is exact.
    let slack = Duration::from_secs(1);
    assert!(
        failed.delay.saturating_add(slack) >= wanted,
        "{:?} < {wanted:?}",
        failed.delay
    );
    assert_eq!(poller.status().consecutive_failures, 1);
}

/// A header map with `value` under every name the source reads.
fn all_four(value: &HeaderValue) -> HeaderMap {
    let names: [HeaderName; 4] = [RETRY_AFTER, DATE, ETAG, LAST_MODIFIED];
    names.into_iter().map(|name| (name, value.clone())).collect()
}

/// The example city's assessment scheme, read once.
fn example_scheme() -> &'static rankwall::publish::Scheme {
    static SCHEME: OnceLock<rankwall::publish::Scheme> = OnceLock::new();
    SCHEME.get_or_init(|| {
        let text = include_str!("../assets/publish/assessment.toml");
        rankwall::publish::Scheme::parse(text).unwrap_or_else(|p| panic!("the example scheme: {p:?}"))
    })
}

/// `sheet`: the bytes as an xlsx, xls, ods and csv file of the office
/// (`publish::sheet::read`), and what reads through the month's build with
/// the example scheme. A refusal is a message in Chinese; what is read keeps
/// the limits; a build is accepted with nothing dropped, or refused with
/// every problem located in Chinese.
pub fn sheet(data: &[u8]) {
    use rankwall::publish::{build, sheet, History, Month};
    for name in ["a.xlsx", "a.xls", "a.ods", "a.csv"] {
        let grids = match sheet::read(name, data) {
            Ok(grids) => grids,
            Err(why) => {
                assert!(why.contains('「') && !why.is_empty(), "{why}");
                continue;
            }
        };
        for g in &grids {
            assert!(g.rows.len() <= sheet::MAX_ROWS, "{} rows", g.rows.len());
            assert!(g.rows.iter().all(|r| r.len() <= sheet::MAX_COLUMNS));
        }
        let ctx = build::Context {
            scheme: example_scheme(),
            month: Month::parse("2026-11").unwrap_or_else(|| unreachable!()),
            history: &History::default(),
            now: DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap_or_else(|_| unreachable!()),
            by: "fuzz",
        };
        match rankwall::publish::build(&ctx, &[(name.to_string(), grids)]) {
            Ok(built) => {
                let (_, report) = feed::parse(&built.body).unwrap_or_else(|r| panic!("refused: {r}"));
                assert!(report.dropped.is_empty() && report.cleaned.is_empty());
            }
            Err(problems) => assert!(!problems.is_empty() && problems.iter().all(|p| !p.text.is_empty())),
        }
    }
}
