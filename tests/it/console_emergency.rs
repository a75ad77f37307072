//! 紧急插播 (issue 23): a message published at once to the chosen groups'
//! playlists as a priority item, and withdrawn again, each a new version;
//! refused for a role without the group, for a character no font has, and
//! for an end already past. At the 提示 level it is a banner, no page.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_app::{console, Console, PASSWORD};
use rankwall::console::operator::Role;
use rankwall::console::store::Store;
use reqwest::StatusCode;
use std::time::Duration;

async fn served(c: &Console) -> String {
    c.http
        .get(c.url("/c/towns.toml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_takes_over_the_groups_playlist_until_it_is_withdrawn() {
    let c = console(Duration::from_secs(3600)).await;
    let before = served(&c).await;
    let (cookie, csrf) = c.session().await;
    let sent = c
        .post_form(
            "/emergency",
            &cookie,
            &[
                ("csrf", &csrf),
                ("title", "寒潮预警"),
                ("body", "今夜至明日气温骤降，请注意防寒保暖。"),
                ("open", "on"),
                ("group", "towns"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = served(&c).await;
    assert!(now.starts_with(&before), "the playlist is kept: {now}");
    let settings = rankwall::config::parse_remote("towns.toml", &now, None)
        .settings
        .unwrap();
    let last = settings.playlist.last().unwrap();
    assert!(last.priority, "{now}");
    assert_eq!(settings.messages[0].title, "寒潮预警");
    let page = c.get("/emergency", &cookie).await.text().await.unwrap();
    let current = page.split("id=\"current\"").nth(1).unwrap();
    assert!(
        current.contains("寒潮预警") && current.contains("直到撤销") && current.contains("撤销"),
        "{current}"
    );
    let withdrawn = c
        .post_form(
            "/emergency/withdraw",
            &cookie,
            &[("csrf", &csrf), ("group", "towns")],
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
    assert_eq!(served(&c).await, before, "withdrawn: the playlist as it was");
    let store = Store::open(&c.database).unwrap();
    assert_eq!(
        store.versions("towns").unwrap().len(),
        3,
        "the emergency and its withdrawal are versions"
    );
    let actions: Vec<String> = store
        .audit_trail(50)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(
        actions.contains(&"emergency".to_string()) && actions.contains(&"emergency_withdraw".to_string()),
        "{actions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_level_emergency_is_a_banner_over_what_plays() {
    let c = console(Duration::from_secs(3600)).await;
    let before = served(&c).await;
    let (cookie, csrf) = c.session().await;
    let form = c.get("/emergency", &cookie).await.text().await.unwrap();
    assert!(
        form.contains("name=\"level\" value=\"banner\"") && form.contains("提示"),
        "the form offers the level"
    );
    let sent = c
        .post_form(
            "/emergency",
            &cookie,
            &[
                ("csrf", &csrf),
                ("title", "停水通知"),
                ("body", "明日 8:00 至 12:00 停水"),
                ("level", "banner"),
                ("open", "on"),
                ("group", "towns"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let now = served(&c).await;
    assert!(now.starts_with(&before), "the playlist is kept: {now}");
    let settings = rankwall::config::parse_remote("towns.toml", &now, None)
        .settings
        .unwrap();
    assert!(settings.messages.is_empty(), "no page: {now}");
    assert_eq!(settings.banners[0].title, "停水通知");
    let page = c.get("/emergency", &cookie).await.text().await.unwrap();
    let current = page.split("id=\"current\"").nth(1).unwrap();
    assert!(
        current.contains("提示") && current.contains("停水通知"),
        "{current}"
    );
    let calendar = c
        .get("/calendar?group=towns", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(calendar.contains("横幅 提示：停水通知"), "{calendar}");
    let trail = Store::open(&c.database).unwrap().audit_trail(5).unwrap();
    assert!(
        trail.iter().any(|a| a.detail.contains("（提示，直到撤销）")),
        "{trail:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_is_refused_without_the_group_or_with_a_bad_message() {
    let c = console(Duration::from_secs(3600)).await;
    let before = served(&c).await;
    let hash = rankwall::console::hash_password(PASSWORD).unwrap();
    let store = Store::open(&c.database).unwrap();
    store.add_user("viewer", &hash, &Role::Viewer).unwrap();
    store
        .add_user("villages-editor", &hash, &Role::Editor(vec!["villages".into()]))
        .unwrap();
    let form = |csrf: &str, body: &str, open: bool, until: &str| -> Vec<(String, String)> {
        let mut f = vec![
            ("csrf".to_string(), csrf.to_string()),
            ("title".into(), "停水通知".into()),
            ("body".into(), body.into()),
            ("group".into(), "towns".into()),
            ("until".into(), until.into()),
        ];
        if open {
            f.push(("open".into(), "on".into()));
        }
        f
    };
    let post = |cookie: String, f: Vec<(String, String)>| {
        let c = &c;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            c.post_form("/emergency", &cookie, &pairs).await
        }
    };
    for who in ["viewer", "villages-editor"] {
        let (cookie, csrf) = c.session_as(who, PASSWORD).await;
        let r = post(cookie, form(&csrf, "明日停水", true, "")).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
    }
    let (cookie, csrf) = c.session().await;
    let r = post(
        cookie.clone(),
        form(&csrf, "王\u{20000}华家门前 明日停水", true, ""),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("「\u{20000}」（U+20000）"), "{page}");
    assert!(page.contains("明日停水"), "what was typed is kept: {page}");
    let r = post(cookie.clone(), form(&csrf, "明日停水", false, "2020-01-01T08:00")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("结束时间已经过去"));
    assert_eq!(served(&c).await, before, "nothing was published");
    assert_eq!(store.versions("towns").unwrap().len(), 1);
}
