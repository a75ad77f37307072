//! 数据录入 (issue 26): an operator uploads a month's sheets with a seeded
//! error and sees it at its cell with nothing published, uploads them fixed,
//! previews a board as the screens draw it, and publishes; the console then
//! serves the signed document at `/feed.json` (ETag, 304, gzip, the
//! signature over the exact bytes). A published month is published again
//! only as a correction with its reason. A real headless screen with the
//! city's public key polling the console's `/feed.json` shows the next
//! month within one poll.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::console_app::{console_options, Console};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn sheets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/publish")
}

/// A console with the example scheme and a signing key; the public key.
async fn entry_console(dir: &Path) -> (Console, rankwall::signing::PublicKey) {
    let (private, public) = rankwall::signing::generate().unwrap();
    let key = dir.join("feed-signing.key");
    std::fs::write(&key, private).unwrap();
    let c = console_options(Duration::from_secs(3600), &[], Duration::from_secs(10), |o| {
        o.scheme = Some(sheets().join("assessment.toml"));
        o.feed_key = Some(key);
    })
    .await;
    (c, public)
}

/// The month's three sheets, the villages' as `villages` says.
fn month_files(month: &str, villages: Option<String>) -> Vec<(String, Vec<u8>)> {
    ["townships", "villages", "households"]
        .iter()
        .map(|k| {
            let name = format!("{month}-{k}.csv");
            let bytes = match (*k, &villages) {
                ("villages", Some(v)) => v.clone().into_bytes(),
                _ => std::fs::read(sheets().join(&name)).unwrap(),
            };
            (name, bytes)
        })
        .collect()
}

/// Uploads the files as the page's form does (multipart, the token in the address).
async fn upload(
    c: &Console,
    cookie: &str,
    csrf: &str,
    month: &str,
    files: &[(String, Vec<u8>)],
) -> (StatusCode, String) {
    let boundary = "rankwall-test-boundary";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"month\"\r\n\r\n{month}\r\n")
            .as_bytes(),
    );
    for (name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"sheets\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    let r = c
        .http
        .post(c.url(&format!("/entry/check?csrf={csrf}")))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

fn draft_id(page: &str) -> String {
    let at =
        page.find("name=\"draft\" value=\"").expect("a draft to publish") + "name=\"draft\" value=\"".len();
    page[at..at + 16].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_is_checked_at_its_cells_previewed_published_and_served_signed() {
    let dir = common::temp_dir("console-entry");
    let (c, public) = entry_console(&dir).await;
    let (cookie, csrf) = c.session().await;
    let page = c.get("/entry", &cookie).await.text().await.unwrap();
    assert!(page.contains("下载模板") && page.contains("上传并检查"), "{page}");
    let template = c.get("/entry/template.xlsx?month=2026-10", &cookie).await;
    assert_eq!(template.status(), StatusCode::OK);
    let grids = rankwall::publish::sheet::read("t.xlsx", &template.bytes().await.unwrap()).unwrap();
    assert_eq!(grids[0].cell(0, 0).text(), "乡镇");
    assert_eq!(
        c.http.get(c.url("/feed.json")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    // A seeded error: shown at its cell, nothing published.
    let villages = std::fs::read_to_string(sheets().join("2026-10-villages.csv")).unwrap();
    let mut rows: Vec<Vec<String>> = villages
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    rows[11][5] = "31".into();
    let seeded: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let (status, page) = upload(
        &c,
        &cookie,
        &csrf,
        "2026-10",
        &month_files("2026-10", Some(seeded)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(
            "<td>2026-10-villages.csv</td><td>12</td><td>F</td><td>柴草垛整治 31 分，超过满分 4 分</td>"
        ),
        "{page}"
    );
    assert!(!page.contains("name=\"draft\""));
    // A file over 20 MB: refused at its limit, in Chinese, nothing built.
    let mut files = month_files("2026-10", None);
    files[2].1 = vec![b' '; 21 * 1024 * 1024];
    let (status, page) = upload(&c, &cookie, &csrf, "2026-10", &files).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("「2026-10-households.csv」超过 20 MB"), "{page}");
    assert_eq!(
        c.http.get(c.url("/feed.json")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    // Fixed: the boards, a picture, the publish button.
    let (status, page) = upload(&c, &cookie, &csrf, "2026-10", &month_files("2026-10", None)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("乡镇农村人居环境整治月度排名") && page.contains("2026年10月 红榜"),
        "{page}"
    );
    let id = draft_id(&page);
    if common::gpu_or_skip().is_some() {
        // Each board's and list's first page, as the screens draw it.
        for file in ["b0.png", "b2.png", "l1.png"] {
            let png = c.get(&format!("/entry/draft/{id}/{file}"), &cookie).await;
            assert_eq!(png.status(), StatusCode::OK, "{file}");
            assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));
        }
        let none = c.get(&format!("/entry/draft/{id}/b9.png"), &cookie).await;
        assert_eq!(none.status(), StatusCode::NOT_FOUND);
    }
    let sent = c
        .post_form("/entry/publish", &cookie, &[("csrf", &csrf), ("draft", &id)])
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    // Served: the document, its ETag and Last-Modified, 304, gzip, the signature.
    let r = c.http.get(c.url("/feed.json")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert!(r.headers().contains_key("last-modified"));
    let body = r.bytes().await.unwrap();
    let (feed, report) = rankwall::feed::parse(&body).unwrap();
    assert_eq!(feed.period.id, "2026-10");
    assert!(report.dropped.is_empty() && report.cleaned.is_empty());
    let sig = c
        .http
        .get(c.url("/feed.json.sig"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    public.verify(&body, &sig).unwrap();
    let again = c
        .http
        .get(c.url("/feed.json"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // A client that leaves the body as sent.
    let raw = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let zipped = raw
        .get(c.url("/feed.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let mut plain = Vec::new();
    use std::io::Read as _;
    flate2::read::GzDecoder::new(&zipped.bytes().await.unwrap()[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, body);
    // Again the same month: only as a correction, with its reason.
    let (_, page) = upload(&c, &cookie, &csrf, "2026-10", &month_files("2026-10", None)).await;
    assert!(
        page.contains("已经发布过") && page.contains("name=\"correct\""),
        "{page}"
    );
    let id = draft_id(&page);
    let refused = c
        .post_form("/entry/publish", &cookie, &[("csrf", &csrf), ("draft", &id)])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let said = refused.text().await.unwrap();
    assert!(
        said.contains("2026年10月 已经发布过：如需更正，请在“更正原因”中写明原因"),
        "{said}"
    );
    let fixed = [
        ("csrf", csrf.as_str()),
        ("draft", &id),
        ("correct", "花山镇 分数录入有误"),
    ];
    assert_eq!(
        c.post_form("/entry/publish", &cookie, &fixed).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = c.get("/entry", &cookie).await.text().await.unwrap();
    let months = page.split("id=\"months\"").nth(1).unwrap();
    assert!(
        months.contains("2026年10月") && months.contains("<td>admin</td><td>1</td>"),
        "{months}"
    );
    let trail = rankwall::console::store::Store::open(&c.database)
        .unwrap()
        .audit_trail(10)
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|a| a.action == "feed_publish" && a.detail.contains("更正")),
        "{trail:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_reading_the_consoles_feed_shows_the_next_month_within_one_poll() {
    if common::gpu_or_skip().is_none() {
        return;
    }
    let dir = common::temp_dir("console-entry-screen");
    let (c, public) = entry_console(&dir).await;
    let (cookie, csrf) = c.session().await;
    let publish = |month: &'static str| {
        let (c, cookie, csrf) = (&c, cookie.clone(), csrf.clone());
        async move {
            let (status, page) = upload(c, &cookie, &csrf, month, &month_files(month, None)).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            let id = draft_id(&page);
            let sent = c
                .post_form("/entry/publish", &cookie, &[("csrf", &csrf), ("draft", &id)])
                .await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        }
    };
    publish("2026-10").await;
    // A headless screen reading the console's `/feed.json` with the city's key.
    let config = format!(
        "[feed]\nurl = \"{}\"\npoll_interval = 2\npublic_key = \"{}\"\n\n\
         [[playlist]]\nselect = {{ level = \"township\" }}\nduration = 5\n",
        c.url("/feed.json"),
        public.to_base64()
    );
    let screen = common::screen::Screen::start(&config, "960x540", &["--allow-http-config"], &[]);
    let served = || async {
        c.http
            .get(c.url("/feed.json"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    };
    // The screen shows a month when its data is the bytes the console serves:
    // fetched (their SHA-256) and on show (their generated_at).
    let until = |body: Vec<u8>, within: Duration| {
        let sha = rankwall::digest::sha256_hex(&body);
        let (feed, _) = rankwall::feed::parse(&body).unwrap();
        tokio::task::block_in_place(|| {
            screen.wait_status("the month served on screen", within, |s| {
                let shown = (s["data"]["generated_at"].as_str())
                    .and_then(|g| chrono::DateTime::parse_from_rfc3339(g).ok());
                s["data"]["sha256"].as_str() == Some(sha.as_str()) && shown == Some(feed.generated_at)
            })
        })
    };
    let october = until(served().await, Duration::from_secs(60));
    publish("2026-11").await;
    // One poll is 2 s (± 10 %), then the page on show ends (5 s); the
    // margin is for a loaded two-core machine.
    let november = until(served().await, Duration::from_secs(15));
    assert_ne!(october["data"]["generated_at"], november["data"]["generated_at"]);
}
