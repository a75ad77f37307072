//! The pages' templates, built into the binary and parsed once at start.
//! minijinja escapes every value in `.html` templates, so names from the
//! feed or an operator cannot inject markup.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// (name, text) of every template.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("alerts.html", include_str!("templates/alerts.html")),
    ("login.html", include_str!("templates/login.html")),
    ("screens.html", include_str!("templates/screens.html")),
    ("enrol.html", include_str!("templates/enrol.html")),
    ("enrolled.html", include_str!("templates/enrolled.html")),
    ("playlists.html", include_str!("templates/playlists.html")),
    ("playlist.html", include_str!("templates/playlist.html")),
    ("publish.html", include_str!("templates/publish.html")),
    ("confirm.html", include_str!("templates/confirm.html")),
    ("preview.html", include_str!("templates/preview.html")),
    ("data.html", include_str!("templates/data.html")),
    ("audit.html", include_str!("templates/audit.html")),
    ("error.html", include_str!("templates/error.html")),
    ("users.html", include_str!("templates/users.html")),
    ("emergency.html", include_str!("templates/emergency.html")),
    ("calendar.html", include_str!("templates/calendar.html")),
    ("entry.html", include_str!("templates/entry.html")),
    ("plays.html", include_str!("templates/plays.html")),
];

/// The stylesheet, served at `/static/console.css`.
pub const STYLESHEET: &str = include_str!("static/console.css");

/// The script, served at `/static/console.js` (the CSP allows scripts from
/// the console itself only, never inline).
pub const SCRIPT: &str = include_str!("static/console.js");

/// A message with its `backticked` parts (ids, keys, values as written in
/// the TOML) set as `<code>`, everything escaped: `{{ m.text|code_spans }}`.
/// An unpaired backtick is kept as it is.
fn code_spans(text: &str) -> minijinja::Value {
    let escape = |t: &str| minijinja::HtmlEscape(t).to_string();
    let parts: Vec<&str> = text.split('`').collect();
    let mut html = String::new();
    for (i, part) in parts.iter().enumerate() {
        let inside = i % 2 == 1 && i + 1 < parts.len();
        match (inside, i % 2 == 1) {
            (true, _) => html.push_str(&format!("<code>{}</code>", escape(part))),
            (false, true) => html.push_str(&format!("`{}", escape(part))),
            (false, false) => html.push_str(&escape(part)),
        }
    }
    minijinja::Value::from_safe_string(html)
}

/// The parsed templates.
pub struct Templates(minijinja::Environment<'static>);

impl Templates {
    /// Parses every template; an error is a build defect (tests catch it).
    pub fn new() -> Result<Templates, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        for (name, text) in TEMPLATES {
            env.add_template(name, text)?;
        }
        env.add_filter("code_spans", code_spans);
        Ok(Templates(env))
    }

    /// The page `name` with `context`, as an HTML response with `code`.
    pub fn page(&self, code: StatusCode, name: &str, context: &serde_json::Value) -> Response {
        let rendered = self
            .0
            .get_template(name)
            .and_then(|t| t.render(minijinja::Value::from(minijinja::value::Serde(context))));
        match rendered {
            Ok(html) => (code, Html(html)).into_response(),
            Err(e) => {
                tracing::error!("console template {name}: {e:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, "template error\n").into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_template_parses_and_escapes() {
        let t = Templates::new().unwrap();
        let page = t.page(
            StatusCode::OK,
            "error.html",
            &serde_json::json!({"title": "t", "message": "<script>x</script>"}),
        );
        assert_eq!(page.status(), StatusCode::OK);
        let _ = t.0.get_template("audit.html").unwrap();
        let html =
            t.0.get_template("error.html")
                .unwrap()
                .render(minijinja::context! { message => "<b>" })
                .unwrap();
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"), "{html}");
    }

    #[test]
    fn backticked_parts_become_code_and_everything_is_escaped() {
        let said = code_spans("没有通知 `a<b>`（建议：`winter`）").to_string();
        assert_eq!(
            said,
            "没有通知 <code>a&lt;b&gt;</code>（建议：<code>winter</code>）"
        );
        assert_eq!(code_spans("一个 ` 单独<").to_string(), "一个 ` 单独&lt;");
    }
}
