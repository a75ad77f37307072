//! Signed feeds (issue 13, contract Amendment 1, Integrity) against a server
//! on 127.0.0.1: with `[feed] public_key`, a document is accepted only when
//! `<url>.sig` verifies over its exact bytes; anything else is refused like
//! a bad document (last good kept, counted, never cached).
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use rankwall::demo::{Reply, TestServer};
use rankwall::net::HttpFetcher;
use rankwall::signing::{generate, sign, PublicKey};
use rankwall::source::{Cache, Outcome, Poller, SourceConfig};
use std::sync::{Arc, Mutex};

/// What the server serves: the document and its signature (404 when `None`).
type Served = Arc<Mutex<(Vec<u8>, Option<String>)>>;

fn body(stamp: &str, first_name: &str) -> Vec<u8> {
    let mut v = common::example();
    v["generated_at"] = serde_json::json!(stamp);
    v["lists"][0]["entries"][0]["name"] = serde_json::json!(first_name);
    serde_json::to_vec_pretty(&v).unwrap()
}

fn poller(url: &str, dir: &std::path::Path, key: Option<PublicKey>) -> Poller<HttpFetcher> {
    let mut config = SourceConfig::new(url, dir.to_path_buf());
    config.public_key = key;
    let fetcher = HttpFetcher::new(url, &config.http).unwrap();
    Poller::new(config, fetcher)
}

fn cached_sha(dir: &std::path::Path, url: &str) -> String {
    let text = std::fs::read(Cache::new(dir, url).path()).unwrap();
    let meta = text.split(|&b| b == b'\n').next().unwrap();
    let v: serde_json::Value = serde_json::from_slice(meta).unwrap();
    v["sha256"].as_str().unwrap().to_string()
}

/// Replaces `from` by `to` in the cached document and rewrites its
/// checksum to match, as someone with the screen's disk could.
fn edit_cache(dir: &std::path::Path, url: &str, from: &str, to: &str) {
    let path = Cache::new(dir, url).path().to_path_buf();
    let text = std::fs::read_to_string(&path).unwrap();
    let (meta, body) = text.split_once('\n').unwrap();
    assert!(body.contains(from), "the cached document lacks {from}");
    let body = body.replace(from, to);
    let mut meta: serde_json::Value = serde_json::from_str(meta).unwrap();
    meta["sha256"] = rankwall::digest::sha256_hex(body.as_bytes()).into();
    std::fs::write(&path, format!("{meta}\n{body}")).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_documents_whose_signature_verifies_are_accepted() {
    let dir = common::temp_dir("signed-feed");
    let (private, public) = generate().unwrap();
    let (other_private, _) = generate().unwrap();
    let v1 = body("2026-11-28T10:00:00+08:00", "陈小祥");
    let sig_v1 = sign(&private, &v1).unwrap().0;
    let served: Served = Arc::new(Mutex::new((v1.clone(), Some(sig_v1.clone()))));
    let state = served.clone();
    let server = TestServer::start("127.0.0.1:0", move |req| {
        let (doc, sig) = state.lock().unwrap().clone();
        match (req.path.ends_with(".sig"), sig) {
            (true, Some(sig)) => Reply::json(sig),
            (true, None) => Reply::status(404),
            (false, _) => Reply::json(doc),
        }
    })
    .await
    .unwrap();
    let url = server.url("/feed.json");
    let mut p = poller(&url, &dir, Some(public.clone()));
    assert_eq!(p.poll_once().await.outcome, Outcome::Updated, "a good signature");
    let good = p.status().sha256.clone().unwrap();
    assert_eq!(cached_sha(&dir, &url), good);

    let v2 = body("2026-11-28T11:00:00+08:00", "陈小祥");
    let tampered = String::from_utf8(v1.clone())
        .unwrap()
        .replace("陈小祥", "陈小样")
        .into_bytes();
    let cases: [(&str, Vec<u8>, Option<String>); 4] = [
        ("one character of a name changed", tampered, Some(sig_v1.clone())),
        (
            "a new body with the previous signature",
            v2.clone(),
            Some(sig_v1.clone()),
        ),
        ("no .sig at all", v2.clone(), None),
        (
            "signed with another key",
            v2.clone(),
            Some(sign(&other_private, &v2).unwrap().0),
        ),
    ];
    for (n, (what, doc, sig)) in cases.into_iter().enumerate() {
        *served.lock().unwrap() = (doc, sig);
        let result = p.poll_once().await;
        assert!(
            matches!(&result.outcome, Outcome::Refused { code, .. } if code == "signature"),
            "{what}: {:?}",
            result.outcome
        );
        assert!(result.accepted.is_none(), "{what}");
        assert_eq!(
            p.status().sha256.as_deref(),
            Some(good.as_str()),
            "{what}: last good kept"
        );
        assert_eq!(cached_sha(&dir, &url), good, "{what}: the cache never stores it");
        assert_eq!(p.status().signature_failures, n as u64 + 1, "{what}: counted");
    }
    *served.lock().unwrap() = (v2.clone(), Some(sign(&private, &v2).unwrap().0));
    assert_eq!(
        p.poll_once().await.outcome,
        Outcome::Updated,
        "properly signed again"
    );
    // A restarted screen verifies its cache again: the kept signature holds.
    let mut restarted = poller(&url, &dir, Some(public.clone()));
    assert!(restarted.load_cache().is_some());
    // A cache edited on disk (a name changed, its checksum made to match)
    // still carries a signature, but not one over these bytes: not shown.
    edit_cache(&dir, &url, "陈小祥", "王大锤");
    assert!(
        poller(&url, &dir, Some(public)).load_cache().is_none(),
        "an edited cache was shown"
    );
    assert!(
        poller(&url, &dir, None).load_cache().is_some(),
        "the edit itself is a well-formed cache"
    );
    // A cache from a screen that did not check signatures is not shown by
    // one that does.
    let unsigned_dir = dir.join("unsigned");
    let mut plain = poller(&url, &unsigned_dir, None);
    assert_eq!(plain.poll_once().await.outcome, Outcome::Updated);
    let (_, key) = generate().unwrap();
    assert!(poller(&url, &unsigned_dir, Some(key)).load_cache().is_none());
}

/// The key is the screen's own: a bad one is a located error, and a config
/// from a URL may not set it (whoever may change the key may sign the wall).
#[test]
fn the_public_key_is_checked_and_comes_only_from_the_screen() {
    let bad = rankwall::config::parse("screen.toml", "[feed]\npublic_key = \"c2hvcnQ=\"\n", None);
    let shown: Vec<String> = bad.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(bad.settings.is_none());
    assert!(
        shown
            .iter()
            .any(|d| d.contains("screen.toml:2:14") && d.contains("32-byte")),
        "{shown:?}"
    );
    let (_, public) = generate().unwrap();
    let text = format!("[feed]\npublic_key = \"{}\"\n", public.to_base64());
    let good = rankwall::config::parse("screen.toml", &text, None)
        .settings
        .unwrap();
    assert_eq!(good.feed.public_key, Some(public));
    let remote = rankwall::config::parse_remote("https://cfg.example/x.toml", &text, None);
    assert!(remote.settings.is_none(), "a URL config set the key");
}

/// The publisher's commands: `feed keygen` writes a private key 0600 and the
/// public key; `feed sign` writes FEED.sig that verifies with it.
#[test]
fn keygen_and_sign_make_a_signature_the_screen_accepts() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = common::temp_dir("signing-cli");
    let bin = env!("CARGO_BIN_EXE_rankwall");
    let keys = dir.join("keys");
    let out = std::process::Command::new(bin)
        .args(["feed", "keygen", "--out"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = keys.join("feed-signing.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let public = PublicKey::parse(&std::fs::read_to_string(keys.join("feed-signing.pub")).unwrap()).unwrap();
    let again = std::process::Command::new(bin)
        .args(["feed", "keygen", "--out"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(!again.status.success(), "a key was overwritten");
    let feed = dir.join("feed.json");
    std::fs::write(&feed, rankwall::feed::DEMO_FEED).unwrap();
    let out = std::process::Command::new(bin)
        .args(["feed", "sign"])
        .arg(&feed)
        .arg("--key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sig = std::fs::read(dir.join("feed.json.sig")).unwrap();
    assert_eq!(public.verify(rankwall::feed::DEMO_FEED.as_bytes(), &sig), Ok(()));
}
