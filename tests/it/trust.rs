//! The trust boundary (issue 14), tested against real servers on
//! 127.0.0.1: an HTTPS server with a private CA, plain HTTP servers, and a
//! server that accepts and never answers. Each test names the finding it
//! guards.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::tls::{self, Answer};
use rankwall::config;
use rankwall::demo::{Reply, TestServer};
use rankwall::net::{FetchError, FetchOutcome, Fetcher, HttpFetcher, HttpOptions, Validators};
use rankwall::source::config::{ConfigTransport, LoadError, RemoteConfig};
use rankwall::source::{Outcome, Poller, SourceConfig};
use std::path::PathBuf;
use std::time::Duration;

const CONFIG: &str =
    "[screen]\nsize = \"1280x256\"\n\n[[playlist]]\nselect = { list = \"red\" }\nduration = 7\n";

fn options(ca: Option<PathBuf>) -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        ca_file: ca,
        ..HttpOptions::default()
    }
}

async fn fetch(url: &str, ca: Option<PathBuf>) -> Result<FetchOutcome, FetchError> {
    HttpFetcher::new(url, &options(ca))
        .unwrap()
        .fetch(&Validators::default())
        .await
}

/// Found: "an https → http redirect is followed silently". The private CA is
/// what makes the HTTPS server trusted at all; the downgrade is refused and
/// the plain server is never asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_private_ca_works_and_a_redirect_down_to_http_is_refused() {
    let plain = TestServer::start("127.0.0.1:0", |_| Reply::json(rankwall::feed::DEMO_FEED))
        .await
        .unwrap();
    let target = plain.url("/feed.json");
    let port = tls::serve(move |path| match path {
        "/down" => Answer::redirect(&target),
        "/again" => Answer::redirect("/feed.json"),
        _ => Answer::ok(rankwall::feed::DEMO_FEED),
    })
    .await;
    let https = |p: &str| format!("https://127.0.0.1:{port}{p}");
    let untrusted = fetch(&https("/feed.json"), None).await;
    assert!(untrusted.is_err(), "trusted without the CA: {untrusted:?}");
    let ok = fetch(&https("/feed.json"), Some(tls::ca_file())).await.unwrap();
    assert!(matches!(ok, FetchOutcome::Body(_)));
    let same_scheme = fetch(&https("/again"), Some(tls::ca_file())).await.unwrap();
    assert!(
        matches!(same_scheme, FetchOutcome::Body(_)),
        "https → https is followed"
    );
    let down = fetch(&https("/down"), Some(tls::ca_file())).await.unwrap_err();
    assert_eq!(down.code(), "insecure_redirect", "{down}");
    assert!(plain.requests().is_empty(), "the plain http server was asked");
}

fn initial(
    url: &str,
    cache: &std::path::Path,
    transport: ConfigTransport,
) -> Result<config::Settings, LoadError> {
    rankwall::source::config::initial(Some(url), None, cache, &transport).map(|(s, _)| s)
}

/// Found: "http:// config URLs are accepted silently, and an https:// config
/// behind a private CA cannot be used (the config fetcher ignores ca_file)".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_urls_need_https_or_consent_and_use_the_same_ca_option() {
    let dir = common::temp_dir("trust-config-transport");
    let plain = TestServer::start("127.0.0.1:0", |_| {
        Reply::json(CONFIG).with_header("Content-Type", "text/plain")
    })
    .await
    .unwrap();
    let port = tls::serve(move |path| match path {
        "/down.toml" => Answer::redirect("http://127.0.0.1:1/c.toml"),
        _ => Answer::ok(CONFIG),
    })
    .await;
    let (http_url, https_url) = (plain.url("/c.toml"), format!("https://127.0.0.1:{port}/c.toml"));
    let down_url = format!("https://127.0.0.1:{port}/down.toml");
    let cache = move |n: &str| dir.join(n);
    let result = tokio::task::spawn_blocking(move || {
        let refused = initial(&http_url, &cache("a"), ConfigTransport::default());
        let consented = initial(
            &http_url,
            &cache("b"),
            ConfigTransport {
                allow_http: true,
                ca_file: None,
            },
        );
        let no_ca = initial(&https_url, &cache("c"), ConfigTransport::default());
        let ca = ConfigTransport {
            allow_http: false,
            ca_file: Some(tls::ca_file()),
        };
        let with_ca = initial(&https_url, &cache("d"), ca.clone());
        let downgraded = initial(&down_url, &cache("e"), ca);
        (refused, consented, no_ca, with_ca, downgraded)
    })
    .await
    .unwrap();
    let (refused, consented, no_ca, with_ca, downgraded) = result;
    let refused = refused.unwrap_err().to_string();
    assert!(
        refused.contains("--allow-http-config") && refused.contains("https"),
        "{refused}"
    );
    assert_eq!(
        plain.requests().len(),
        1,
        "only the consented fetch reached the plain server"
    );
    assert_eq!(consented.unwrap().playlist[0].duration, Duration::from_secs(7));
    assert!(matches!(no_ca, Err(LoadError::NoRemote(_))), "{no_ca:?}");
    assert_eq!(with_ca.unwrap().playlist[0].duration, Duration::from_secs(7));
    assert!(
        matches!(downgraded, Err(LoadError::NoRemote(_))),
        "{downgraded:?}"
    );
}

/// Found: "A config server that accepts and never answers delays start-up by
/// the request timeout before the cached copy is used". A valid last good
/// copy is used at once: start-up does not even connect (the background
/// fetcher does, later).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_remote_config_is_used_at_once_at_start() {
    let dir = common::temp_dir("trust-cached-config");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/c.toml", listener.local_addr().unwrap());
    let remote = RemoteConfig::new(&url, None, &dir);
    std::fs::write(&remote.cache_path, CONFIG).unwrap();
    let consent = ConfigTransport {
        allow_http: true,
        ca_file: None,
    };
    let settings = tokio::task::spawn_blocking(move || initial(&url, &dir, consent))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(settings.playlist[0].duration, Duration::from_secs(7));
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "start-up connected to the config server: {accepted:?}"
    );
}

/// Found: "A missing ca_file ends the feed task for good …, the last-good
/// cache is never loaded, the screen shows the idle slide and /healthz says
/// 200". Now the cache is loaded, each poll fails as `setup` with backoff,
/// health says why, and the feed recovers when the file appears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_ca_file_still_loads_the_cache_reports_and_recovers() {
    let dir = common::temp_dir("trust-missing-ca");
    let port = tls::serve(|_| Answer::ok(rankwall::feed::DEMO_FEED)).await;
    let url = format!("https://127.0.0.1:{port}/feed.json");
    let ca = dir.join("city-ca.pem");
    let config = |dir: &std::path::Path| {
        let mut c = SourceConfig::new(&url, dir.join("cache"));
        c.http = options(Some(ca.clone()));
        c
    };
    // A first run with the CA in place fills the cache.
    std::fs::copy(tls::ca_file(), &ca).unwrap();
    let mut first = Poller::new(
        config(&dir),
        HttpFetcher::retrying(&url, &options(Some(ca.clone()))),
    );
    assert_eq!(first.poll_once().await.outcome, Outcome::Updated);
    // Then the CA file goes missing.
    std::fs::remove_file(&ca).unwrap();
    let mut p = Poller::new(
        config(&dir),
        HttpFetcher::retrying(&url, &options(Some(ca.clone()))),
    );
    assert!(p.load_cache().is_some(), "the last good document is loaded");
    let failed = p.poll_once().await;
    assert!(
        matches!(&failed.outcome, Outcome::Failed { code, message } if code == "setup" && message.contains("city-ca.pem")),
        "{:?}",
        failed.outcome
    );
    assert!(failed.delay > Duration::ZERO);
    assert_eq!(p.status().consecutive_failures, 1);
    let status = rankwall::status::ScreenStatus {
        in_sync_at: Some(chrono::Utc::now()),
        feed: Some(p.status().clone()),
        ..Default::default()
    };
    let health = rankwall::status::health(&status, chrono::Utc::now())
        .unwrap_err()
        .to_string();
    assert!(health.contains("city-ca.pem"), "{health}");
    let metrics = rankwall::status::metrics_text(&status, chrono::Utc::now(), None);
    assert!(
        metrics.contains("rankwall_feed_consecutive_failures 1"),
        "{metrics}"
    );
    assert!(metrics.contains("rankwall_healthy 0"), "{metrics}");
    std::fs::copy(tls::ca_file(), &ca).unwrap();
    let back = p.poll_once().await;
    assert!(!back.outcome.is_failure(), "{:?}", back.outcome);
    assert_eq!(p.status().consecutive_failures, 0);
}

/// Found: "A remote config that names a missing font is reported accepted at
/// run time, cached, and then stops the screen from starting". Every path a
/// config names is looked at when it is checked, with its place.
#[test]
fn every_path_a_config_names_is_checked_when_it_is_parsed() {
    let dir = common::temp_dir("trust-paths");
    let a_file = dir.join("a-file");
    std::fs::write(&a_file, "x").unwrap();
    let cases = [
        (
            format!("[theme]\nfonts = [\"{}/missing.otf\"]\n", dir.display()),
            "2:10",
            "missing.otf",
        ),
        (
            "[theme]\nfonts = [\"/dev/zero\"]\n".to_string(),
            "2:10",
            "not a regular file",
        ),
        (
            "[feed]\nca_file = \"/nonexistent/ca.pem\"\n".to_string(),
            "2:11",
            "/nonexistent/ca.pem",
        ),
        (
            format!("[status]\nplay_log = \"{}\"\n", dir.display()),
            "2:12",
            "not a regular file",
        ),
        (
            format!("[feed]\ncache_dir = \"{}\"\n", a_file.display()),
            "2:13",
            "not a folder",
        ),
    ];
    for (text, place, says) in cases {
        let checked = config::parse("screen.toml", &text, None);
        let shown: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(checked.settings.is_none(), "accepted: {text}");
        assert!(
            shown
                .iter()
                .any(|d| d.contains(&format!("screen.toml:{place}")) && d.contains(says)),
            "{text}: {shown:?}"
        );
    }
    let fine = format!(
        "[status]\nplay_log = \"{0}/logs/played.jsonl\"\n[feed]\ncache_dir = \"{0}/cache\"\nca_file = \"{1}\"\n",
        dir.display(),
        tls::ca_file().display()
    );
    let checked = config::parse("screen.toml", &fine, None);
    assert!(checked.settings.is_some(), "{:?}", checked.diagnostics);
}

/// Found in review: a config from a URL could point the feed at a file
/// (`/dev/zero` reports length 0 and was read without end). A URL config
/// may name only an http(s) feed, and a feed file is read only if regular
/// and within the 8 MiB limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_from_a_url_cannot_point_the_feed_at_a_file() {
    for url in ["/dev/zero", "file:///etc/shadow"] {
        let text = format!("[feed]\nurl = \"{url}\"\n");
        let checked = config::parse_remote("https://cfg.example/x.toml", &text, None);
        assert!(checked.settings.is_none(), "{url} accepted");
        let shown: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            shown
                .iter()
                .any(|d| d.contains("x.toml:2:7") && d.contains("not a file")),
            "{shown:?}"
        );
    }
    assert!(
        config::parse("local.toml", "[feed]\nurl = \"/srv/feed.json\"\n", None)
            .settings
            .is_some()
    );
    let zero = HttpFetcher::new("/dev/zero", &options(None)).unwrap();
    let refused = zero.fetch(&Validators::default()).await.unwrap_err();
    assert!(refused.to_string().contains("not a regular file"), "{refused}");
}
