//! The pages' templates, built into the binary and parsed once at start.
//! minijinja escapes every value in `.html` templates, so names from the
//! feed or an operator cannot inject markup.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// (name, text) of every template.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
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
];

/// The stylesheet, served at `/static/console.css`.
pub const STYLESHEET: &str = include_str!("static/console.css");

/// The parsed templates.
pub struct Templates(minijinja::Environment<'static>);

impl Templates {
    /// Parses every template; an error is a build defect (tests catch it).
    pub fn new() -> Result<Templates, minijinja::Error> {
        let mut env = minijinja::Environment::new();
        for (name, text) in TEMPLATES {
            env.add_template(name, text)?;
        }
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
}
