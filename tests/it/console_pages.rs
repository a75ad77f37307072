//! What an operator's browser meets when something is wrong: every refusal
//! a page in Chinese (a malformed address, a method a route does not take, a
//! bad preview size), a half-filled 开屏时段 shown beside its field with the
//! editor kept, a mistyped password that keeps the page asked for, and a
//! password reset through the 用户 page that ends the operator's sessions.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_app::{console, FORM, PASSWORD};
use rankwall::console::operator::Role;
use rankwall::console::store::Store;
use reqwest::{header, StatusCode};
use std::time::Duration;

/// Runs of three or more Latin letters in the page's text, outside tags,
/// `<code>` and the stylesheet's and script's names.
fn latin_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let (mut in_tag, mut in_code) = (false, false);
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<code") {
            in_code = true;
        } else if rest.starts_with("</code>") {
            in_code = false;
        }
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !in_code => text.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    let mut words = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if word.len() >= 3 && !["rankwall", "admin", "towns", "LED"].contains(&word) {
            words.push(word.to_string());
        }
    }
    words
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_an_operator_meets_is_a_page_in_chinese() {
    let c = console(Duration::from_secs(3600)).await;
    let (cookie, _) = c.session().await;
    for (path, status) in [
        ("/publish/towns/abc", StatusCode::BAD_REQUEST),
        ("/logout", StatusCode::METHOD_NOT_ALLOWED),
        ("/screens/s1/rename", StatusCode::METHOD_NOT_ALLOWED),
        // The preview page says what is wrong with the size where the frame would be.
        ("/preview?group=towns&size=1920x", StatusCode::OK),
        ("/preview?group=towns&size=99999x2", StatusCode::OK),
        (
            "/preview.png?group=towns&size=1920x",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/data/slide/nothing.png", StatusCode::NOT_FOUND),
        ("/no-such-page", StatusCode::NOT_FOUND),
    ] {
        let r = c.get(path, &cookie).await;
        assert_eq!(r.status(), status, "{path}");
        let kind = r.headers()[header::CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains("回到屏幕列表") || page.contains("预览"),
            "{path}: {page}"
        );
        let latin = latin_words(&page);
        assert!(latin.is_empty(), "{path}: {latin:?} in {page}");
    }
    // The screens' endpoints keep their plain answers, for programs.
    let r = c.http.get(c.url("/c/screen/nobody.toml")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_filled_display_window_is_shown_beside_its_field_and_nothing_is_saved() {
    let c = console(Duration::from_secs(3600)).await;
    let (cookie, csrf) = c.session().await;
    let text = "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n";
    let r = c
        .post_form(
            "/playlists/towns",
            &cookie,
            &[
                ("csrf", &csrf),
                ("base", "1"),
                ("base_text", text),
                ("display_from", "06:30"),
                ("display_until", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let fieldset = page
        .split("id=\"display-hours\"")
        .nth(1)
        .expect("the editor again, with its 开屏时段 fieldset")
        .split("</fieldset>")
        .next()
        .unwrap();
    assert!(fieldset.contains("开屏时段要同时填写"), "{fieldset}");
    assert!(page.contains("name=\"duration_0\""), "the form is kept: {page}");
    let store = Store::open(&c.database).unwrap();
    assert_eq!(store.versions("towns").unwrap().len(), 1, "nothing saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_password_keeps_the_page_asked_for() {
    let c = console(Duration::from_secs(3600)).await;
    let login = |password: &'static str| {
        let form = [
            ("username", "admin"),
            ("password", password),
            ("next", "/publish?group=towns"),
        ];
        c.http
            .post(c.url("/login"))
            .header(header::CONTENT_TYPE, FORM)
            .body(serde_urlencoded::to_string(form).unwrap())
            .send()
    };
    let wrong = login("not-the-password").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let page = wrong.text().await.unwrap();
    assert!(
        page.contains("name=\"next\" value=\"&#x2f;publish?group=towns\""),
        "the link survives the mistake: {page}"
    );
    let right = login(PASSWORD).await.unwrap();
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()[header::LOCATION], "/publish?group=towns");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_on_the_users_page_ends_that_operators_sessions() {
    let c = console(Duration::from_secs(3600)).await;
    let hash = rankwall::console::hash_password(PASSWORD).unwrap();
    Store::open(&c.database)
        .unwrap()
        .add_user("viewer", &hash, &Role::Viewer)
        .unwrap();
    let (viewer, _) = c.session_as("viewer", PASSWORD).await;
    assert_eq!(c.get("/", &viewer).await.status(), StatusCode::OK);
    let (cookie, csrf) = c.session().await;
    let reset = c
        .post_form("/users/viewer/password", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let after = c.get("/", &viewer).await;
    assert!(after.status().is_redirection(), "{:?}", after.status());
    assert!(after.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    assert_eq!(
        c.get("/", &cookie).await.status(),
        StatusCode::OK,
        "the admin's own session stays"
    );
}

/// Issue 23: an operator's message with a character no font on the screens
/// has is refused before it can be published, the character named; without
/// it the same message saves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_with_a_character_no_font_has_is_refused_naming_it() {
    let c = console(Duration::from_secs(3600)).await;
    let (cookie, csrf) = c.session().await;
    let text = "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n\n[[playlist]]\n\
                message = { title = \"停水通知\", body = \"王\u{20000}华家门前 明日停水\" }\npriority = true\n";
    let save = |source: String| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let c = &c;
        async move {
            c.post_form(
                "/playlists/towns",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("base", "1"),
                    ("source", &source),
                    ("action", "save"),
                ],
            )
            .await
        }
    };
    let refused = save(text.to_string()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("第 5 行：错误：消息中的「\u{20000}」（U+20000）"),
        "{page}"
    );
    let store = Store::open(&c.database).unwrap();
    assert_eq!(store.versions("towns").unwrap().len(), 1, "nothing saved");
    let saved = save(text.replace('\u{20000}', "")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(store.versions("towns").unwrap().len(), 2);
}

/// Issue 23: a message written in the playlist form (title, body, end time)
/// is checked like the source (a character no font has is named, nothing
/// saved), saved as a `message` item, edited in its own fields, and drawn
/// by the live preview, which names such a character too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_written_in_the_form_with_a_live_preview() {
    let c = console(Duration::from_secs(3600)).await;
    let (cookie, csrf) = c.session().await;
    let store = Store::open(&c.database).unwrap();
    let post = |pairs: Vec<(&'static str, String)>| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let c = &c;
        async move {
            let latest = Store::open(&c.database).unwrap().versions("towns").unwrap();
            let base = latest[0].clone(); // newest first
            let mut form: Vec<(&str, String)> = vec![
                ("csrf", csrf),
                ("base", base.number.to_string()),
                ("base_text", base.text.clone()),
                ("order", String::new()),
                ("action", "save".into()),
            ];
            form.extend(pairs);
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form("/playlists/towns", &cookie, &borrowed).await
        }
    };
    let message = |body: &str| {
        vec![
            ("add_message_title", "停水通知".to_string()),
            ("add_message_body", body.to_string()),
            ("add_message_until", "2026-12-06T12:00".to_string()),
        ]
    };
    let refused = post(message("王\u{20000}华家门前\r\n明日停水")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("消息中的「\u{20000}」（U+20000）"), "{page}");
    assert_eq!(store.versions("towns").unwrap().len(), 1, "nothing saved");
    assert_eq!(
        post(message("王华家门前\r\n明日停水")).await.status(),
        StatusCode::SEE_OTHER
    );
    let text = store.versions("towns").unwrap()[0].text.clone();
    let settings = rankwall::config::parse("towns.toml", &text, None)
        .settings
        .unwrap();
    let m = &settings.messages[0];
    assert_eq!(
        (m.title.as_str(), m.body.as_str()),
        ("停水通知", "王华家门前\n明日停水"),
        "{text}"
    );
    assert!(text.contains("until = \"2026-12-06T12:00:00+08:00\""), "{text}");
    // The form shows it in its own fields, and an edit of the body keeps the rest.
    let page = c.get("/playlists/towns", &cookie).await.text().await.unwrap();
    assert!(
        page.contains("name=\"msg_body_1\"") && page.contains("value=\"2026-12-06T12:00\""),
        "{page}"
    );
    let edited = post(vec![
        ("msg_title_1", "停水通知".into()),
        ("msg_body_1", "明日全天停水".into()),
        ("msg_from_1", String::new()),
        ("msg_until_1", "2026-12-06T12:00".into()),
    ])
    .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let now = store.versions("towns").unwrap()[0].text.clone();
    let settings = rankwall::config::parse("towns.toml", &now, None)
        .settings
        .unwrap();
    assert_eq!(settings.messages[0].body, "明日全天停水");
    assert_eq!(
        now.replace("明日全天停水", "X"),
        text.replace("\"\"\"\n王华家门前\n明日停水\"\"\"", "\"X\"")
    );

    // The live preview: a picture that changes with the text, and a
    // character no font has named instead of drawn.
    let shot = |title: &str, body: &str| {
        let url = format!(
            "/preview/message.png?group=towns&title={}&body={}",
            urlencode(title),
            urlencode(body)
        );
        let cookie = cookie.clone();
        let c = &c;
        async move { c.get(&url, &cookie).await }
    };
    let one = shot("停水通知", "明日全天停水").await;
    assert_eq!(one.status(), StatusCode::OK);
    assert_eq!(one.headers()["content-type"], "image/png");
    let one = one.bytes().await.unwrap();
    let two = shot("寒潮预警", "今夜气温骤降").await.bytes().await.unwrap();
    assert!(
        one.starts_with(b"\x89PNG") && one != two,
        "the picture follows the text"
    );
    let bad = shot("停水通知", "王\u{20000}华").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said: serde_json::Value = serde_json::from_slice(&bad.bytes().await.unwrap()).unwrap();
    let said = said["error"].as_str().unwrap();
    assert!(said.contains("「\u{20000}」（U+20000）没有字体能显示"), "{said}");
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap()
        .trim_start_matches('=')
        .to_string()
}

/// Issue 23: 日程 tells a group's week day by day, in stretches of what
/// plays, each opening the preview at its start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_tells_the_week_in_stretches_that_open_the_preview() {
    let c = console(Duration::from_secs(3600)).await;
    let (cookie, _) = c.session().await;
    let r = c.get("/calendar?group=towns&week=2026-12-09", &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    for day in ["12月7日 周一", "12月13日 周日"] {
        assert!(page.contains(day), "{day}: {page}");
    }
    assert!(
        page.contains("at=2026-12-07T00:00") && page.contains("00:00–24:00"),
        "{page}"
    );
    let latin = latin_words(&page);
    assert!(latin.is_empty(), "{latin:?}");
}
