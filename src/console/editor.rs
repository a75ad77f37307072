//! The playlist form editor: a group's TOML shown as form fields, and form
//! fields written back into the TOML with `toml_edit`, so comments, order
//! and everything the form does not show survive an edit. What an operator
//! types goes into the text as typed (a duration that is not a number
//! becomes a string): the config parser then reports it at its line and
//! column, exactly as `rankwall check --config` would.

use crate::feed::Feed;
use serde::Serialize;
use toml_edit::{value, Array, DocumentMut, InlineTable, Item, Table, Value};

/// One choice of what an item shows.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A playlist item as form fields.
#[derive(Clone, Debug, Serialize)]
pub struct ItemFields {
    pub index: usize,
    /// The chosen [`Choice`] value, or `custom` for what the form cannot show.
    pub content: String,
    pub duration: String,
    pub transition: String,
    pub from: String,
    pub until: String,
    /// False when the item has several windows or dates: edit those in the source.
    pub window_editable: bool,
}

/// The whole form.
#[derive(Clone, Debug, Serialize)]
pub struct FormFields {
    pub display_from: String,
    pub display_until: String,
    pub items: Vec<ItemFields>,
    pub choices: Vec<Choice>,
}

/// What an item may show, from the feed: every board, list and notice, and
/// the selectors for all of a kind.
pub fn choices(feed: &Feed) -> Vec<Choice> {
    let mut out: Vec<Choice> = [
        ("level:township", "所有乡镇（街道）榜"),
        ("level:village", "所有村榜"),
        ("red", "所有红榜"),
        ("black", "所有黑榜"),
        ("notices", "所有公告"),
    ]
    .into_iter()
    .map(|(v, l)| Choice {
        value: v.into(),
        label: l.into(),
    })
    .collect();
    let named = |kind: &str, word: &str, id: &str, title: &str| Choice {
        value: format!("{kind}:{id}"),
        label: format!("{word}：{title}（{id}）"),
    };
    out.extend(
        feed.boards
            .iter()
            .map(|b| named("board", "榜单", &b.id, &b.title)),
    );
    out.extend(feed.lists.iter().map(|l| named("list", "名单", &l.id, &l.title)));
    out.extend(
        feed.notices
            .iter()
            .map(|n| named("notice", "公告", &n.id, &n.title)),
    );
    out
}

/// The form for `text`; `None` when the text does not parse as TOML.
pub fn form_fields(text: &str, feed: &Feed) -> Option<FormFields> {
    let doc: DocumentMut = text.parse().ok()?;
    // `playlist = [{…}, …]` is valid TOML the form cannot edit in place: the
    // source editor only, rather than a form that would lose the items.
    if doc
        .get("playlist")
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return None;
    }
    let hours = doc.get("screen").and_then(|s| s.get("display_hours"));
    let items = doc
        .get("playlist")
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().enumerate().map(|(i, t)| item_fields(i, t)).collect())
        .unwrap_or_default();
    Some(FormFields {
        display_from: string_at(hours, "from"),
        display_until: string_at(hours, "until"),
        items,
        choices: choices(feed),
    })
}

fn string_at(table: Option<&Item>, key: &str) -> String {
    table
        .and_then(|t| t.get(key))
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_string()
}

fn item_fields(index: usize, t: &Table) -> ItemFields {
    let windows = t.get("windows").and_then(Item::as_array);
    let first = windows.and_then(|w| w.get(0)).and_then(Value::as_inline_table);
    let plain = first.is_none_or(|w| w.iter().all(|(k, _)| matches!(k, "from" | "until" | "days")));
    let text = |key: &str| {
        first
            .and_then(|w| w.get(key))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    ItemFields {
        index,
        content: content_of(t),
        duration: t.get("duration").map(number_text).unwrap_or_else(|| "10".into()),
        transition: t
            .get("transition")
            .and_then(|x| x.get("kind"))
            .and_then(Item::as_str)
            // An item without `transition` fades (the config's default).
            .unwrap_or("fade")
            .to_string(),
        from: text("from"),
        until: text("until"),
        window_editable: windows.is_none_or(|w| w.len() <= 1) && plain,
    }
}

fn number_text(item: &Item) -> String {
    match item.as_value() {
        Some(Value::Integer(i)) => i.value().to_string(),
        Some(Value::Float(f)) => f.value().to_string(),
        Some(Value::String(s)) => s.value().clone(),
        _ => String::new(),
    }
}

/// The choice an item's content matches, or `custom`.
fn content_of(t: &Table) -> String {
    for key in ["board", "list", "notice"] {
        if let Some(id) = t.get(key).and_then(Item::as_str) {
            return format!("{key}:{id}");
        }
    }
    let Some(select) = t.get("select") else {
        return "custom".into();
    };
    let keys: Vec<&str> = match select.as_inline_table() {
        Some(i) => i.iter().map(|(k, _)| k).collect(),
        None => select
            .as_table()
            .map(|t| t.iter().map(|(k, _)| k).collect())
            .unwrap_or_default(),
    };
    let get = |k: &str| select.get(k);
    match keys.as_slice() {
        ["level"] => get("level")
            .and_then(Item::as_str)
            .map_or("custom".into(), |l| format!("level:{l}")),
        ["list"] => get("list").and_then(Item::as_str).unwrap_or("custom").to_string(),
        ["notices"] if get("notices").and_then(Item::as_bool) == Some(true) => "notices".into(),
        _ => "custom".into(),
    }
}

/// `text` with the form's `fields` written in; an error when the text is not TOML.
pub fn apply_form(text: &str, fields: &[(String, String)]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the current text is not TOML, edit it in the source: {e}"))?;
    if doc
        .get("playlist")
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return Err("the playlist is written as an inline array: edit it in the source".into());
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    apply_display_hours(&mut doc, field("display_from"), field("display_until"));
    let mut removed = Vec::new();
    if let Some(items) = doc.get_mut("playlist").and_then(Item::as_array_of_tables_mut) {
        for (i, t) in items.iter_mut().enumerate() {
            if field(&format!("remove_{i}")) == Some("on") {
                removed.push(i);
                continue;
            }
            apply_item(t, fields, i);
        }
        for i in removed.into_iter().rev() {
            items.remove(i);
        }
    }
    if let Some(content) = field("add_content").filter(|c| !c.is_empty() && *c != "custom") {
        let mut t = Table::new();
        set_content(&mut t, content);
        t.insert("duration", value(10));
        match doc.get_mut("playlist").and_then(Item::as_array_of_tables_mut) {
            Some(items) => items.push(t),
            None => {
                let mut items = toml_edit::ArrayOfTables::new();
                items.push(t);
                doc.insert("playlist", Item::ArrayOfTables(items));
            }
        }
    }
    Ok(doc.to_string())
}

fn apply_display_hours(doc: &mut DocumentMut, from: Option<&str>, until: Option<&str>) {
    let (Some(from), Some(until)) = (from, until) else {
        return;
    };
    let screen = doc.entry("screen").or_insert(Item::Table(Table::new()));
    let Some(screen) = screen.as_table_like_mut() else {
        return;
    };
    if from.is_empty() && until.is_empty() {
        screen.remove("display_hours");
        return;
    }
    let mut hours = InlineTable::new();
    hours.insert("from", from.into());
    hours.insert("until", until.into());
    screen.insert("display_hours", value(hours));
}

/// The fields named `<name>_<i>` written into item `t`.
fn apply_item(t: &mut Table, fields: &[(String, String)], i: usize) {
    let field = |name: &str| {
        let key = format!("{name}_{i}");
        fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim())
    };
    // Rewriting an unchanged content would move its key to the end.
    if let Some(content) = field("content").filter(|c| *c != "custom" && *c != content_of(t)) {
        set_content(t, content);
    }
    if let Some(d) = field("duration") {
        match d.parse::<f64>() {
            Ok(n) if n.fract() == 0.0 && n.abs() < 1e9 => t.insert("duration", value(n as i64)),
            Ok(n) => t.insert("duration", value(n)),
            Err(_) => t.insert("duration", value(d)),
        };
    }
    if let Some(kind) = field("transition") {
        set_transition(t, kind);
    }
    if let (Some(from), Some(until)) = (field("from"), field("until")) {
        set_window(t, from, until);
    }
}

fn set_content(t: &mut Table, content: &str) {
    for key in ["board", "list", "notice", "select"] {
        t.remove(key);
    }
    let mut select = InlineTable::new();
    match content.split_once(':') {
        Some(("board" | "list" | "notice", id)) => {
            let key = content.split(':').next().unwrap_or("board");
            t.insert(key, value(id));
            return;
        }
        Some(("level", level)) => {
            select.insert("level", level.into());
        }
        _ if content == "notices" => {
            select.insert("notices", true.into());
        }
        _ => {
            select.insert("list", content.into());
        }
    }
    t.insert("select", value(select));
}

fn set_transition(t: &mut Table, kind: &str) {
    let current = t
        .get("transition")
        .and_then(|x| x.get("kind"))
        .and_then(Item::as_str)
        .unwrap_or("fade");
    if current == kind {
        return;
    }
    let duration = t
        .get("transition")
        .and_then(|x| x.get("duration"))
        .and_then(Item::as_value)
        .cloned()
        .unwrap_or_else(|| 0.6.into());
    let mut transition = InlineTable::new();
    transition.insert("kind", kind.into());
    transition.insert("duration", duration);
    t.insert("transition", value(transition));
}

fn set_window(t: &mut Table, from: &str, until: &str) {
    let days = t
        .get("windows")
        .and_then(Item::as_array)
        .and_then(|w| w.get(0))
        .and_then(Value::as_inline_table)
        .and_then(|w| w.get("days"))
        .cloned();
    if from.is_empty() && until.is_empty() && days.is_none() {
        t.remove("windows");
        return;
    }
    let mut window = InlineTable::new();
    if let Some(days) = days {
        window.insert("days", days);
    }
    window.insert("from", if from.is_empty() { "00:00" } else { from }.into());
    window.insert("until", if until.is_empty() { "24:00" } else { until }.into());
    let mut windows = Array::new();
    windows.push(window);
    t.insert("windows", value(windows));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const TEXT: &str = "# 乡镇屏\n[screen]\nid = \"x\"\n\n[[playlist]]\nselect = { level = \"township\" } # 乡镇\nduration = 10\n\n[[playlist]]\nselect = { list = \"red\" }\nduration = 8\nwindows = [{ days = [\"mon\"], from = \"08:00\", until = \"18:00\" }]\n";

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_shows_what_the_text_says() {
        let feed = crate::feed::demo().unwrap().0;
        let form = form_fields(TEXT, &feed).unwrap();
        assert_eq!(form.items.len(), 2);
        assert_eq!(form.items[0].content, "level:township");
        assert_eq!(form.items[0].duration, "10");
        assert_eq!(form.items[1].content, "red");
        assert_eq!(
            (form.items[1].from.as_str(), form.items[1].until.as_str()),
            ("08:00", "18:00")
        );
        assert!(form.items[1].window_editable);
    }

    #[test]
    fn an_edit_keeps_comments_and_days_and_writes_what_was_typed() {
        let out = apply_form(
            TEXT,
            &fields(&[
                ("duration_0", "7"),
                ("from_1", "25:00"),
                ("until_1", "18:00"),
                ("content_1", "black"),
            ]),
        )
        .unwrap();
        assert!(out.contains("# 乡镇屏") && out.contains("# 乡镇"), "{out}");
        assert!(out.contains("duration = 7\n"), "{out}");
        assert!(
            out.contains("days = [\"mon\"]") && out.contains("from = \"25:00\""),
            "{out}"
        );
        assert!(out.contains("select = { list = \"black\" }"), "{out}");
        // No transition written means a fade: the form shows it, and "cut" is written out.
        assert_eq!(
            form_fields(TEXT, &crate::feed::demo().unwrap().0).unwrap().items[0].transition,
            "fade"
        );
        let cut = apply_form(TEXT, &fields(&[("transition_0", "cut")])).unwrap();
        assert!(cut.contains("kind = \"cut\""), "{cut}");
        let same = apply_form(TEXT, &fields(&[("transition_0", "fade")])).unwrap();
        assert!(
            !same.contains("transition"),
            "an unchanged default stays unwritten: {same}"
        );
        let inline = "playlist = [{ select = { list = \"red\" }, duration = 8 }]\n";
        assert!(form_fields(inline, &crate::feed::demo().unwrap().0).is_none());
        assert!(apply_form(inline, &fields(&[("add_content", "notices")])).is_err());
        let bad = apply_form(TEXT, &fields(&[("duration_0", "ten")])).unwrap();
        assert!(bad.contains("duration = \"ten\""), "{bad}");
    }

    #[test]
    fn items_are_removed_and_added() {
        let out = apply_form(TEXT, &fields(&[("remove_0", "on"), ("add_content", "notices")])).unwrap();
        assert!(!out.contains("township"), "{out}");
        assert!(out.contains("select = { notices = true }"), "{out}");
    }
}
