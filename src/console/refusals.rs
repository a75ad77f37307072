//! Every refusal an operator's browser can meet is a page in the console's
//! look, in Chinese: what axum's extractors answer for a path, query or
//! form they cannot read (plain English text), a method a route does not
//! take (an empty 405), and the body limits' 413 and 408 are turned into
//! one here. The screens' endpoints (`/api/report`, `/c/…`, `/healthz`)
//! keep their plain answers: a program reads those, and logs them.

use super::Shared;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Turns a plain refusal on an operator's path into the console's error page.
pub async fn as_pages(State(console): State<Shared>, request: Request, next: Next) -> Response {
    let for_screens = for_screens(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if for_screens || !(status.is_client_error() || status.is_server_error()) || is_page(&response) {
        return response;
    }
    let (title, message) = words(status);
    let context = serde_json::json!({ "title": title, "message": message });
    let mut page = console.templates.page(status, "error.html", &context);
    // What the refusal said about the connection and retrying still holds.
    for name in [header::CONNECTION, header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            page.headers_mut().insert(name, value.clone());
        }
    }
    page
}

/// The paths screens and monitors call: their answers stay as they are.
fn for_screens(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/c/") || path == "/healthz"
}

/// Whether the response is a page already (HTML), a picture, or an answer
/// for the page's own script (JSON, read by the message preview).
fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/html") || t.starts_with("image/") || t.starts_with("application/json")
        })
}

/// The title and the sentence for a refusal.
fn words(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => (
            "请求有误",
            "地址或表单的内容不对：请回到上一页，从页面上的按钮或链接重试。",
        ),
        StatusCode::NOT_FOUND => ("找不到页面", "没有这个页面：地址可能有误，或页面已移走。"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "不能这样打开",
            "这个地址只接受页面上按钮的提交：请从页面上的按钮或链接进入。",
        ),
        StatusCode::REQUEST_TIMEOUT => ("提交超时", "提交的内容太久没有传完，已放弃：请重试。"),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "内容太大",
            "提交的内容太大，未被接受：节目单的文本应在一兆字节以内。",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("格式不对", "提交的格式不对：请从页面上的表单提交。"),
        StatusCode::UNPROCESSABLE_ENTITY => ("表单有误", "表单的内容不对：请回到上一页检查后重试。"),
        StatusCode::TOO_MANY_REQUESTS => ("请求太频繁", "请求太频繁：请稍等一会儿再试。"),
        s if s.is_server_error() => (
            "控制台出了故障",
            "控制台暂时无法完成这个请求：请稍后重试；一直如此请告诉管理员。",
        ),
        _ => ("请求未被接受", "这个请求未被接受：请回到上一页重试。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_chinese_words_and_the_screens_paths_are_left_alone() {
        for code in [400u16, 404, 405, 408, 411, 413, 415, 422, 429, 500, 503] {
            let (title, message) = words(StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST));
            let latin = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
            assert!(!latin(title) && !latin(message), "{code}: {title} {message}");
        }
        assert!(for_screens("/api/report") && for_screens("/c/screen/s1.toml") && for_screens("/healthz"));
        assert!(!for_screens("/publish/towns/abc") && !for_screens("/login"));
    }
}
