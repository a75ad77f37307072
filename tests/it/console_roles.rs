//! Who may do what in the console, by HTTP and not by what the page shows:
//! every route for a 管理员, an 编辑 of another group, an 编辑 of the
//! route's group, a 只读 operator, and nobody logged in; and screens removed
//! or given a new token, refused at their next report.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_app::{console, Console, PASSWORD, TOKEN};
use rankwall::console::operator::Role;
use rankwall::console::store::{Enrolment, Store};
use reqwest::{header, StatusCode};
use std::time::Duration;

/// The answer a route must give: shown, refused, sent to the login page, or
/// the handler's own (a redirect after a change, a 404, a 422).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    Ok,
    Forbidden,
    Login,
    Done(u16),
}

use Answer::{Done, Forbidden, Login, Ok as Shown};

fn answer_of(r: &reqwest::Response) -> Answer {
    let status = r.status();
    let to_login = r
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    match status {
        StatusCode::OK => Shown,
        StatusCode::FORBIDDEN => Forbidden,
        s if s.is_redirection() && to_login => Login,
        s => Done(s.as_u16()),
    }
}

/// Operators of every role, with the given password each.
fn add_operators(c: &Console) {
    let store = Store::open(&c.database).unwrap();
    store.ensure_group("villages").unwrap();
    let hash = rankwall::console::hash_password(PASSWORD).unwrap();
    for (name, role) in [
        ("other-editor", Role::Editor(vec!["villages".into()])),
        ("towns-editor", Role::Editor(vec!["towns".into()])),
        ("viewer", Role::Viewer),
        ("spare", Role::Viewer),
    ] {
        store.add_user(name, &hash, &role).unwrap();
    }
    // A screen for the matrix's irreversible rows (a new token, removal).
    let spare = Enrolment {
        id: "s9".into(),
        name: "备用屏".into(),
        group: "towns".into(),
        place: "仓库".into(),
    };
    store
        .enrol(
            &spare,
            &rankwall::digest::sha256_hex(b"spare-screen-token-0123456789"),
        )
        .unwrap();
}

/// (method, path, form fields, the answer for each of the five callers).
type Route<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, [Answer; 5]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_it_must() {
    let c = console(Duration::from_secs(3600)).await;
    add_operators(&c);
    let mut sessions = Vec::new();
    for name in ["admin", "other-editor", "towns-editor", "viewer"] {
        sessions.push(Some(c.session_as(name, PASSWORD).await));
    }
    sessions.push(None);
    let source = "[[playlist]]\nselect = { level = \"township\" }\nduration = 10\n";
    // (method, path, form, answers for admin, other-editor, towns-editor, viewer, nobody)
    let routes: Vec<Route> = vec![
        ("GET", "/", vec![], [Shown, Shown, Shown, Shown, Login]),
        ("GET", "/playlists", vec![], [Shown, Shown, Shown, Shown, Login]),
        (
            "GET",
            "/playlists/towns",
            vec![],
            [Shown, Shown, Shown, Shown, Login],
        ),
        ("GET", "/publish", vec![], [Shown, Shown, Shown, Shown, Login]),
        ("GET", "/preview", vec![], [Shown, Shown, Shown, Shown, Login]),
        ("GET", "/data", vec![], [Shown, Shown, Shown, Shown, Login]),
        ("GET", "/audit", vec![], [Shown, Shown, Shown, Shown, Login]),
        (
            "GET",
            "/screens/s1/thumb.png",
            vec![],
            [Done(404), Done(404), Done(404), Done(404), Login],
        ),
        (
            "GET",
            "/screens/new",
            vec![],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "GET",
            "/users",
            vec![],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "GET",
            "/publish/towns/1",
            vec![],
            [Shown, Forbidden, Shown, Forbidden, Login],
        ),
        (
            "POST",
            "/playlists/towns",
            vec![("source", source), ("action", "save")],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        (
            "POST",
            "/publish/towns/1",
            vec![],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        (
            "POST",
            "/playlists",
            vec![("group", "new-group")],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/screens/s1/screenshot",
            vec![],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        (
            "POST",
            "/screens/s1/rename",
            vec![("name", "一号屏"), ("place", "广场")],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/screens/s1/move",
            vec![("group", "towns")],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/screens",
            vec![("id", "bad id!"), ("name", "x"), ("group", "towns")],
            [Done(422), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/users",
            vec![("name", "new-one"), ("role", "viewer")],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/users/spare/role",
            vec![("role", "editor"), ("groups", "towns")],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/users/spare/password",
            vec![],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/users/spare/disable",
            vec![],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/screens/s1/command",
            vec![("command", "reload")],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        (
            "POST",
            "/groups/towns/command",
            vec![("command", "reload")],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        ("GET", "/emergency", vec![], [Shown, Shown, Shown, Shown, Login]),
        // 数据录入: 管理员 and 编辑 of any group, not 只读.
        ("GET", "/entry", vec![], [Shown, Shown, Shown, Forbidden, Login]),
        (
            "POST",
            "/entry/publish",
            vec![("draft", "gone")],
            [Done(404), Done(404), Done(404), Forbidden, Login],
        ),
        ("GET", "/calendar", vec![], [Shown, Shown, Shown, Shown, Login]),
        ("GET", "/plays", vec![], [Shown, Shown, Shown, Shown, Login]),
        (
            "GET",
            "/preview/message.png?group=towns&title=%E9%80%9A%E7%9F%A5&body=%E5%81%9C%E6%B0%B4",
            vec![],
            [Shown, Shown, Shown, Shown, Login],
        ),
        (
            "POST",
            "/plays/retention",
            vec![("days", "0")],
            [Done(422), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "GET",
            "/alerts",
            vec![],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/alerts",
            vec![("minutes", "0")],
            [Done(422), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/emergency/withdraw",
            vec![("group", "towns")],
            [Done(303), Forbidden, Done(303), Forbidden, Login],
        ),
        (
            "POST",
            "/users/spare/enable",
            vec![],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "GET",
            "/preview.png?group=towns&size=640x360",
            vec![],
            [Shown, Shown, Shown, Shown, Login],
        ),
        (
            "GET",
            "/data/slide/nothing.png",
            vec![],
            [Done(404), Done(404), Done(404), Done(404), Login],
        ),
        (
            "POST",
            "/screens/s9/token",
            vec![],
            [Shown, Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "POST",
            "/screens/s9/remove",
            vec![],
            [Done(303), Forbidden, Forbidden, Forbidden, Login],
        ),
        (
            "GET",
            "/no-such-page",
            vec![],
            [Done(404), Done(404), Done(404), Done(404), Done(404)],
        ),
        // Last: it ends each caller's session (and sends them to the login page).
        ("POST", "/logout", vec![], [Login, Login, Login, Login, Login]),
    ];
    let mut wrong = Vec::new();
    for (method, path, form, answers) in &routes {
        for (who, session) in ["admin", "other-editor", "towns-editor", "viewer", "nobody"]
            .iter()
            .zip(&sessions)
        {
            let (cookie, csrf) = session.clone().unwrap_or_default();
            let r = match *method {
                "GET" => c.get(path, &cookie).await,
                _ => {
                    let mut form = form.clone();
                    form.push(("csrf", &csrf));
                    c.post_form(path, &cookie, &form).await
                }
            };
            let expected = answers[["admin", "other-editor", "towns-editor", "viewer", "nobody"]
                .iter()
                .position(|w| w == who)
                .unwrap()];
            let got = answer_of(&r);
            if got != expected {
                wrong.push(format!("{method} {path} as {who}: {got:?}, must be {expected:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // A refusal is a page in the console's words, naming the role.
    // (The matrix ended every session; the viewer logs in again.)
    let (cookie, _) = c.session_as("viewer", PASSWORD).await;
    let refused = c.get("/users", &cookie).await.text().await.unwrap();
    assert!(refused.contains("只读"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_operator_is_logged_out_and_cannot_log_in_and_the_last_admin_stays() {
    let c = console(Duration::from_secs(3600)).await;
    add_operators(&c);
    let (admin, csrf) = c.session().await;
    let (viewer, _) = c.session_as("viewer", PASSWORD).await;
    let r = c
        .post_form("/users/viewer/disable", &admin, &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer_of(&c.get("/", &viewer).await), Login, "its session ended");
    assert_eq!(
        c.login_as("viewer", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The only 管理员 cannot be made less, nor disable themself.
    let demote = c
        .post_form(
            "/users/admin/role",
            &admin,
            &[("csrf", &csrf), ("role", "viewer")],
        )
        .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    let audit = c.get("/audit", &admin).await.text().await.unwrap();
    assert!(audit.contains("停用用户 viewer"), "{audit}");
}

/// A report from screen `id` with `token`.
async fn report(c: &Console, id: &str, token: &str) -> StatusCode {
    let status = format!(
        r#"{{"screen_id":"{id}","showing":{{"state":"page"}},"healthy":true,"report_interval_secs":60}}"#
    );
    c.report(id, token, "application/json", status.into_bytes())
        .await
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_or_retokened_screen_is_refused_at_once_and_the_new_token_works() {
    let c = console(Duration::from_secs(3600)).await;
    let old = "second-screen-token-0123456789";
    Store::open(&c.database)
        .unwrap()
        .enrol(
            &Enrolment {
                id: "s2".into(),
                name: "二号屏".into(),
                group: "towns".into(),
                place: "大厅".into(),
            },
            &rankwall::digest::sha256_hex(old.as_bytes()),
        )
        .unwrap();
    assert_eq!(report(&c, "s1", TOKEN).await, StatusCode::OK);
    assert_eq!(report(&c, "s2", old).await, StatusCode::OK);
    let (cookie, csrf) = c.session().await;
    let removed = c
        .post_form("/screens/s1/remove", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(report(&c, "s1", TOKEN).await, StatusCode::UNAUTHORIZED);
    let page = c.get("/", &cookie).await.text().await.unwrap();
    let row = page
        .split("data-screen=\"s1\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains("已移除"), "{row}");
    let shown = c
        .post_form("/screens/s2/token", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(shown.status(), StatusCode::OK);
    let shown = shown.text().await.unwrap();
    let new = shown
        .split("<code id=\"token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(shown.contains("[report]") && shown.contains(&new), "{shown}");
    assert_eq!(
        report(&c, "s2", old).await,
        StatusCode::UNAUTHORIZED,
        "the old token is refused"
    );
    assert_eq!(
        report(&c, "s2", &new).await,
        StatusCode::OK,
        "the new token works"
    );
    let rejected = c.rejected();
    assert!(rejected.contains(&("removed_screen".into(), 1)), "{rejected:?}");
}

/// The config a screen fetches by its own URL.
async fn screen_config(c: &Console, id: &str) -> (StatusCode, String) {
    let r = c
        .http
        .get(c.url(&format!("/c/screen/{id}.toml")))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_screen_fetches_its_new_groups_playlist_by_its_own_url() {
    let c = console(Duration::from_secs(3600)).await;
    let store = Store::open(&c.database).unwrap();
    store.ensure_group("villages").unwrap();
    let villages = "[[playlist]]\nselect = { level = \"village\" }\nduration = 12\n";
    let n = store.add_version("villages", villages, "test").unwrap();
    store.publish("villages", n).unwrap();
    drop(store);
    let (status, before) = screen_config(&c, "s1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(before.contains("township"), "{before}");
    let (cookie, csrf) = c.session().await;
    let moved = c
        .post_form(
            "/screens/s1/move",
            &cookie,
            &[("csrf", &csrf), ("group", "villages")],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let (status, after) = screen_config(&c, "s1").await;
    assert_eq!((status, after.as_str()), (StatusCode::OK, villages));
    // The group's own URL still serves the group.
    let towns = c.http.get(c.url("/c/towns.toml")).send().await.unwrap();
    assert!(towns.text().await.unwrap().contains("township"));
    // A screen nobody enrolled, or one removed, has no config of its own.
    assert_eq!(screen_config(&c, "nobody").await.0, StatusCode::NOT_FOUND);
    c.post_form("/screens/s1/remove", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(screen_config(&c, "s1").await.0, StatusCode::NOT_FOUND);
}
