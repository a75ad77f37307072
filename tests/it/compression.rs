//! Contract Amendment 1, compression: the screen asks for `gzip, br`, takes
//! a compressed document, and applies the 8 MiB limit to the decoded body,
//! so a small body that decodes to gigabytes is refused at the limit with
//! the last good document kept. Against a server on 127.0.0.1.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use rankwall::demo::{Reply, TestServer};
use rankwall::net::HttpFetcher;
use rankwall::source::{Outcome, Poller, SourceConfig};
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bombs")
        .join(name);
    std::fs::read(path).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn encoded(encoding: &str, body: Vec<u8>) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Content-Encoding".into(), encoding.into()),
        ],
        body,
    }
}

/// Serves, in turn: the demo feed gzip-compressed, the 20 MiB gzip bomb,
/// the 1 GiB brotli bomb. The poller must take the first and refuse both
/// bombs at the limit, keeping the first document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_documents_are_taken_and_bombs_refused_at_the_decoded_limit() {
    let dir = common::temp_dir("compression");
    let turn = Arc::new(AtomicUsize::new(0));
    let t = turn.clone();
    let (gz_feed, gz_bomb, br_bomb) = (
        gzip(rankwall::feed::DEMO_FEED.as_bytes()),
        fixture("zeros-20mib.gz"),
        fixture("zeros-1gib.br"),
    );
    assert!(gz_bomb.len() < 21_000 && br_bomb.len() < 1_000);
    let server = TestServer::start("127.0.0.1:0", move |_| match t.load(Ordering::SeqCst) {
        0 => encoded("gzip", gz_feed.clone()),
        1 => encoded("gzip", gz_bomb.clone()),
        _ => encoded("br", br_bomb.clone()),
    })
    .await
    .unwrap();
    let url = server.url("/feed.json");
    let mut config = SourceConfig::new(&url, dir.join("cache"));
    config.http.total_timeout = Duration::from_secs(30);
    let mut poller = Poller::new(config.clone(), HttpFetcher::new(&url, &config.http).unwrap());

    let first = poller.poll_once().await;
    assert_eq!(
        first.outcome,
        Outcome::Updated,
        "a gzip-compressed document is accepted"
    );
    let asked = server.requests()[0]
        .header("Accept-Encoding")
        .unwrap_or("")
        .to_string();
    assert!(
        asked.contains("gzip") && asked.contains("br"),
        "Accept-Encoding: {asked:?}"
    );
    let good = poller.status().sha256.clone();

    for (n, what) in [
        (1, "20 KB of gzip, 20 MiB decoded"),
        (2, "809 B of brotli, 1 GiB decoded"),
    ] {
        turn.store(n, Ordering::SeqCst);
        let bomb = poller.poll_once().await;
        assert!(
            matches!(&bomb.outcome, Outcome::Failed { code, .. } if code == "too_large"),
            "{what}: {:?}",
            bomb.outcome
        );
        assert_eq!(
            poller.status().sha256,
            good,
            "{what}: the last good document is kept"
        );
    }
    // The cache still holds the good document.
    let mut restarted = Poller::new(config.clone(), HttpFetcher::new(&url, &config.http).unwrap());
    assert_eq!(restarted.load_cache().map(|a| a.sha256.clone()), good);
}

/// The most a bomb may cost above the 8 MiB limit: the decoder's window
/// (brotli's ring buffer is as large as the stream asks, at most 16 MiB;
/// gzip's is 32 KiB) and 4 MiB for the client's buffers.
const BOMB_SLACK_KIB: u64 = (16 + 4) * 1024;

/// Both bombs, polled by this test alone in a child process (see
/// `common::alone`) after a first good document: its peak rises at most the
/// 8 MiB limit and the decoders' room above where it was.
#[test]
fn a_decompression_bomb_costs_at_most_the_limit() {
    if common::alone::in_child() {
        return poll_the_bombs();
    }
    let grown = common::alone::peak_growth_kib("compression::a_decompression_bomb_costs_at_most_the_limit");
    eprintln!("polling two decompression bombs: peak +{grown} KiB");
    let limit = (rankwall::feed::MAX_BODY_BYTES as u64 >> 10) + BOMB_SLACK_KIB;
    assert!(grown < limit, "the peak rose {grown} KiB (limit {limit} KiB)");
}

fn poll_the_bombs() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = common::temp_dir("compression-alone");
        let turn = Arc::new(AtomicUsize::new(0));
        let t = turn.clone();
        let (gz_feed, gz_bomb, br_bomb) = (
            gzip(rankwall::feed::DEMO_FEED.as_bytes()),
            fixture("zeros-20mib.gz"),
            fixture("zeros-1gib.br"),
        );
        let server = TestServer::start("127.0.0.1:0", move |_| match t.load(Ordering::SeqCst) {
            0 => encoded("gzip", gz_feed.clone()),
            1 => encoded("gzip", gz_bomb.clone()),
            _ => encoded("br", br_bomb.clone()),
        })
        .await
        .unwrap();
        let url = server.url("/feed.json");
        let config = SourceConfig::new(&url, dir.join("cache"));
        let mut poller = Poller::new(config.clone(), HttpFetcher::new(&url, &config.http).unwrap());
        assert_eq!(poller.poll_once().await.outcome, Outcome::Updated);
        let (start, _) = common::alone::rss_and_peak_kib();
        for n in [1, 2] {
            turn.store(n, Ordering::SeqCst);
            let bomb = poller.poll_once().await;
            assert!(matches!(&bomb.outcome, Outcome::Failed { code, .. } if code == "too_large"));
        }
        common::alone::report(start);
    });
}
