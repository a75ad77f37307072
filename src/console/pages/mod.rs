//! The console's pages, one file per page. Each handler gathers what its
//! page shows into a JSON context and renders its template; every change an
//! operator makes goes into the audit trail.

pub mod alerts;
pub mod audit;
pub mod calendar;
pub mod data;
pub mod emergency;
pub mod entry;
pub mod login;
pub mod playlists;
pub mod plays;
pub mod preview;
pub mod publish;
pub mod remote;
pub mod screen_admin;
pub mod screens;
pub mod users;

use super::operator::Operator;
use super::{db, Shared};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

/// A page for `operator`, with the navigation marked at `nav`.
pub(super) fn page(
    console: &Shared,
    operator: &Operator,
    nav: &str,
    template: &str,
    mut context: Value,
) -> Response {
    page_with(console, operator, nav, template, StatusCode::OK, &mut context)
}

/// As [`page`], with a status code.
pub(super) fn page_with(
    console: &Shared,
    operator: &Operator,
    nav: &str,
    template: &str,
    code: StatusCode,
    context: &mut Value,
) -> Response {
    context["user"] = json!(operator.user);
    context["csrf"] = json!(operator.csrf);
    context["nav"] = json!(nav);
    context["is_admin"] = json!(operator.role.is_admin());
    context["role"] = json!(operator.role.label());
    console.templates.page(code, template, context)
}

/// An error page that says what went wrong.
pub(super) fn error_page(console: &Shared, operator: &Operator, code: StatusCode, message: &str) -> Response {
    let mut context = json!({ "title": "出错了", "message": message });
    page_with(console, operator, "", "error.html", code, &mut context)
}

/// What an operator is told when no secret could be made (the system's
/// random source failed): nothing is done, and someone must look at the server.
pub(super) const NO_RANDOMNESS: &str = "系统随机数源出错，无法生成安全令牌；请联系管理员检查服务器。";

/// The page for a request refused because the system's random source
/// failed: a 500, logged, with nothing done.
pub(super) fn no_randomness(
    console: &Shared,
    operator: &Operator,
    e: &super::auth::NoRandomness,
) -> Response {
    tracing::error!("console: {e}; request refused");
    error_page(
        console,
        operator,
        StatusCode::INTERNAL_SERVER_ERROR,
        NO_RANDOMNESS,
    )
}

/// The page for a failed database call.
pub(super) fn db_failed(console: &Shared, operator: &Operator, e: &super::store::StoreError) -> Response {
    tracing::error!("console: {e}");
    error_page(
        console,
        operator,
        StatusCode::SERVICE_UNAVAILABLE,
        "数据库出错，请稍后再试。",
    )
}

/// Appends to the audit trail; a failure is logged, the action stands.
pub(super) async fn audit(console: &Shared, actor: &str, action: &'static str, detail: String) {
    let actor = actor.to_string();
    if let Err(e) = db(console, move |s| s.audit(&actor, action, &detail)).await {
        tracing::error!("console audit trail: {e}");
    }
}

/// The names of every group, sorted.
pub(super) async fn group_names(console: &Shared) -> Vec<String> {
    db(console, |s| s.groups())
        .await
        .map(|g| g.into_iter().map(|g| g.name).collect())
        .unwrap_or_default()
}

/// The version a screen's report says it runs: the text it was served
/// (`config.remote_sha256`, or `config.sha256` without a local override)
/// matched against the group's versions, the published one first (two
/// versions may have the same text after a roll back).
pub(super) fn running_version(
    report: &Value,
    published: Option<i64>,
    hashes: &[(i64, String)],
) -> Option<i64> {
    let shas = [
        report["config"]["remote_sha256"].as_str(),
        report["config"]["sha256"].as_str(),
    ];
    let matches = |(_, sha): &&(i64, String)| shas.contains(&Some(sha.as_str()));
    hashes
        .iter()
        .filter(matches)
        .find(|(n, _)| Some(*n) == published)
        .or_else(|| hashes.iter().find(matches))
        .map(|(n, _)| *n)
}

/// What the operator sees when a group name cannot be used.
pub(super) const BAD_GROUP: &str =
    "分组名不能为空，最多 64 个字，不能只有“.”，不能含 / \\ ? # % \" < > 或不可见字符。";

/// Whether `name` can name a group: it becomes a path segment
/// (`/c/<group>.toml`), so no separators, no dot segments, and nothing
/// invisible that would make two names look alike.
pub(super) fn group_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 64
        && !name.chars().all(|c| c == '.')
        && !name.chars().any(|c| {
            c.is_control()
                || c.is_whitespace() && c != ' '
                || crate::feed::is_invisible_format(c)
                || "/\\?#%\"<>".contains(c)
        })
}

/// Whether a free-text field (a name, a place) is one line of visible text.
pub(super) fn one_line(text: &str, max: usize) -> bool {
    text.chars().count() <= max
        && !text
            .chars()
            .any(|c| c.is_control() || crate::feed::is_invisible_format(c))
}

/// `s` percent-encoded for a path segment or a query value. The form
/// encoder writes a space as `+`, which a path keeps as a plus: it becomes
/// `%20` (a literal plus is already `%2B`).
pub(super) fn encode_segment(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').replace('+', "%20"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::encode_segment;

    #[test]
    fn group_names_that_break_paths_are_refused() {
        use super::group_name_ok;
        for good in ["towns", "乡镇 屏", "a.b"] {
            assert!(group_name_ok(good), "{good}");
        }
        for bad in ["", ".", "..", "a/b", "a\u{200b}b", "a\u{a0}b", "a\nb", "a%b"] {
            assert!(!group_name_ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn segments_are_encoded_for_paths() {
        assert_eq!(encode_segment("towns"), "towns");
        assert_eq!(encode_segment("a b+c/d"), "a%20b%2Bc%2Fd");
        assert_eq!(encode_segment("乡镇"), "%E4%B9%A1%E9%95%87");
    }
}
