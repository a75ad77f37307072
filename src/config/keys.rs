//! Unknown keys: every key a table may not hold is reported where it stands,
//! with the known key it most resembles. The known keys are the serde types'
//! own fields ([`super::schema`]).

use super::diagnostic::{suggestion, Diagnostic, Locator, Severity};
use super::schema;
use toml::de::{DeTable, DeValue};

/// Reports every key not in the known set of its table, with a suggestion.
pub(super) fn unknown_keys(loc: &Locator, table: &DeTable, path: &str, out: &mut Vec<Diagnostic>) {
    let known = schema::keys(path);
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if !known.contains(&name) {
            let place = if path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{path}]")
            };
            let hint = match suggestion(name, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here: {}", known.join(", ")),
            };
            out.push(loc.at(
                Severity::Error,
                key.span(),
                format!("unknown key `{}` {place}", super::diagnostic::quoted(name)),
                Some(hint),
            ));
            continue;
        }
        let sub = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        match value.get_ref() {
            DeValue::Table(t) => unknown_keys(loc, t, &sub, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        unknown_keys(loc, t, &sub, out);
                    }
                }
            }
            _ => {}
        }
    }
}
