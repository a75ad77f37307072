//! The operator's own messages in the playlist form: a `message` item's
//! title, body and the instants it shows between, as fields (the instants
//! as the browser's date-and-time inputs, in China Standard Time), written
//! back only where they changed; and a new message added from the form.

use super::*;
use crate::config::schema::message;
use chrono::{DateTime, NaiveDateTime, TimeZone};

/// A message item's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageFields {
    /// The heading (通知 when empty).
    pub title: String,
    /// The text, line breaks kept.
    pub body: String,
    /// When it starts showing, as `YYYY-MM-DDTHH:MM` (or as written when
    /// that is not an instant); empty: at once.
    pub from: String,
    /// When it stops, the same way; empty: never.
    pub until: String,
}

/// The page seconds a message added from the form gets.
const ADDED_PAGE_SECS: i64 = 15;

/// The message of item `t`, when it is one.
pub(super) fn message_fields(t: &Table) -> Option<MessageFields> {
    let m = t.get(item::MESSAGE)?;
    let text = |key: &str| m.get(key).and_then(Item::as_str).unwrap_or_default().to_string();
    Some(MessageFields {
        title: text(message::TITLE),
        body: text(message::BODY),
        from: local_text(&text(message::FROM)),
        until: local_text(&text(message::UNTIL)),
    })
}

/// An RFC 3339 instant as a date-and-time input shows it, in China
/// Standard Time; anything else as written (the check then names it).
fn local_text(instant: &str) -> String {
    match DateTime::parse_from_rfc3339(instant) {
        Ok(at) => {
            let local = at.with_timezone(&crate::china_standard_time());
            let format = if local.format("%S").to_string() == "00" {
                "%Y-%m-%dT%H:%M"
            } else {
                "%Y-%m-%dT%H:%M:%S"
            };
            local.format(format).to_string()
        }
        Err(_) => instant.to_string(),
    }
}

/// What an input's date and time means as an instant in the config: RFC
/// 3339 in China Standard Time; what does not read as one goes in as typed.
fn instant_text(local: &str) -> String {
    let local = local.trim().replace(' ', "T");
    let parsed = NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M"));
    parsed
        .ok()
        .and_then(|n| crate::china_standard_time().from_local_datetime(&n).single())
        .map_or(local, |at| at.to_rfc3339())
}

/// Writes the message fields `msg_<key>_<i>` into item `t` where they
/// differ from `shown`.
pub(super) fn apply_message(t: &mut Table, field: impl Fn(&str) -> Option<String>, shown: &MessageFields) {
    let Some(m) = t.get_mut(item::MESSAGE).and_then(Item::as_table_like_mut) else {
        return;
    };
    let given = [
        (message::TITLE, "title", &shown.title, false),
        (message::BODY, "body", &shown.body, false),
        (message::FROM, "from", &shown.from, true),
        (message::UNTIL, "until", &shown.until, true),
    ];
    for (key, name, was, instant) in given {
        let Some(now) = field(name).filter(|v| v != was) else {
            continue;
        };
        if now.is_empty() && key != message::BODY {
            m.remove(key);
        } else if instant {
            m.insert(key, value(instant_text(&now)));
        } else {
            m.insert(key, value(now));
        }
    }
}

/// Appends the message the form's `add_message_*` fields write, if any.
pub(super) fn add_message(doc: &mut DocumentMut, field: impl Fn(&str) -> Option<String>) {
    let title = field("add_message_title").unwrap_or_default();
    // A browser sends a textarea's line breaks as CRLF.
    let body = field("add_message_body")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if title.is_empty() && body.is_empty() {
        return;
    }
    let mut shown = InlineTable::new();
    if !title.is_empty() {
        shown.insert(message::TITLE, title.into());
    }
    shown.insert(message::BODY, body.into());
    for (key, name) in [
        (message::FROM, "add_message_from"),
        (message::UNTIL, "add_message_until"),
    ] {
        if let Some(at) = field(name).filter(|v| !v.is_empty()) {
            shown.insert(key, instant_text(&at).into());
        }
    }
    let mut t = Table::new();
    t.insert(item::MESSAGE, value(shown));
    t.insert(item::DURATION, value(ADDED_PAGE_SECS));
    match doc
        .get_mut(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables_mut)
    {
        Some(items) => items.push(t),
        None => {
            let mut items = toml_edit::ArrayOfTables::new();
            items.push(t);
            doc.insert(schema::top::PLAYLIST, Item::ArrayOfTables(items));
        }
    }
}

/// A playlist of the one message `title` and `body`, as the preview of the
/// form draws it (the message alone, as a screen shows it).
pub fn message_only(title: &str, body: &str) -> String {
    let mut doc = DocumentMut::new();
    add_message(&mut doc, |name| match name {
        "add_message_title" => Some(title.trim().to_string()),
        "add_message_body" => Some(body.trim().to_string()),
        _ => None,
    });
    doc.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn instants_show_in_china_time_and_go_back_as_written_by_the_config() {
        assert_eq!(local_text("2026-12-06T04:00:00Z"), "2026-12-06T12:00");
        assert_eq!(local_text("2026-12-06T12:00:30+08:00"), "2026-12-06T12:00:30");
        assert_eq!(local_text("明天"), "明天");
        assert_eq!(instant_text("2026-12-06T12:00"), "2026-12-06T12:00:00+08:00");
        assert_eq!(instant_text("明天"), "明天");
    }

    const TEXT: &str = "[[playlist]]\nselect = { level = \"township\" }\n\n[[playlist]]\n# 停水\nmessage = { title = \"停水通知\", body = \"明日停水\", until = \"2026-12-06T12:00:00+08:00\" } # 水务站\nduration = 20\n";

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_message_is_shown_and_edited_in_its_fields_leaving_the_rest() {
        let feed = crate::feed::demo().unwrap().0;
        let shown = form_fields(TEXT, &feed).unwrap();
        assert_eq!(shown.items[0].message, None);
        let m = shown.items[1].message.clone().unwrap();
        assert_eq!((m.title.as_str(), m.body.as_str()), ("停水通知", "明日停水"));
        assert_eq!((m.from.as_str(), m.until.as_str()), ("", "2026-12-06T12:00"));
        let same = [
            ("msg_title_1", "停水通知"),
            ("msg_body_1", "明日停水"),
            ("msg_from_1", ""),
            ("msg_until_1", "2026-12-06T12:00"),
        ];
        assert_eq!(
            apply_form(TEXT, &form(&same)).unwrap(),
            TEXT,
            "nothing changed, nothing written"
        );
        let edited = [
            ("msg_body_1", "明日\r\n全天停水"),
            ("msg_from_1", "2026-12-06T06:00"),
            ("msg_until_1", ""),
        ];
        let out = apply_form(TEXT, &form(&edited)).unwrap();
        // The line break is kept (as a multi-line string), and so are the
        // comments; `until` went, `from` came.
        assert!(
            out.contains("# 停水\n") && out.contains("} # 水务站\nduration = 20\n"),
            "{out}"
        );
        assert!(
            !out.contains("until") && out.contains("from = \"2026-12-06T06:00:00+08:00\""),
            "{out}"
        );
        let checked = crate::config::parse("g.toml", &out, None).settings.unwrap();
        assert_eq!(checked.messages[0].body, "明日\n全天停水");
    }

    #[test]
    fn a_message_added_in_the_form_is_a_message_item() {
        let added = [
            ("add_message_title", ""),
            ("add_message_body", "明日停水"),
            ("add_message_until", "2026-12-06T12:00"),
        ];
        let out = apply_form(TEXT, &form(&added)).unwrap();
        assert!(out.starts_with(TEXT), "{out}");
        let checked = crate::config::parse("g.toml", &out, None).settings.unwrap();
        assert_eq!(checked.messages.len(), 2);
        assert_eq!(checked.messages[1].body, "明日停水");
        let none = [("add_message_title", " "), ("add_message_body", "")];
        assert_eq!(
            apply_form(TEXT, &form(&none)).unwrap(),
            TEXT,
            "an empty message adds nothing"
        );
    }
}
