//! The playlist form editor: a group's TOML shown as form fields, and form
//! fields written back into the TOML with `toml_edit`, so comments, order
//! and everything the form does not show survive an edit. What an operator
//! types goes into the text as typed (a duration that is not a number
//! becomes a string): the config parser then reports it at its line and
//! column, exactly as `rankwall check --config` would. The keys it reads
//! and writes, and the defaults it shows, are the config module's own
//! ([`crate::config::schema`]).

use crate::config::schema::{self, defaults, item, ITEM_CONTENT};
use crate::config::MinuteOfDay;
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
    let level = |l: &str| format!("{}:{l}", schema::select::LEVEL);
    let mut out: Vec<Choice> = [
        (level("township"), "所有乡镇（街道）榜"),
        (level("village"), "所有村榜"),
        ("red".into(), "所有红榜"),
        ("black".into(), "所有黑榜"),
        (NOTICES.into(), "所有公告"),
    ]
    .into_iter()
    .map(|(value, l)| Choice {
        value,
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
            .map(|b| named(item::BOARD, "榜单", &b.id, &b.title)),
    );
    out.extend(
        feed.lists
            .iter()
            .map(|l| named(item::LIST, "名单", &l.id, &l.title)),
    );
    out.extend(
        feed.notices
            .iter()
            .map(|n| named(item::NOTICE, "公告", &n.id, &n.title)),
    );
    out
}

/// The form for `text`; `None` when the text does not parse as TOML.
pub fn form_fields(text: &str, feed: &Feed) -> Option<FormFields> {
    let doc: DocumentMut = text.parse().ok()?;
    // `playlist = [{…}, …]` is valid TOML the form cannot edit in place: the
    // source editor only, rather than a form that would lose the items.
    if doc
        .get(schema::top::PLAYLIST)
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return None;
    }
    let display = doc
        .get(schema::top::SCREEN)
        .and_then(|s| s.get(schema::screen::DISPLAY_HOURS));
    let items = doc
        .get(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables)
        .map(|a| a.iter().enumerate().map(|(i, t)| item_fields(i, t)).collect())
        .unwrap_or_default();
    Some(FormFields {
        display_from: string_at(display, schema::hours::FROM),
        display_until: string_at(display, schema::hours::UNTIL),
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
    let windows = t.get(item::WINDOWS).and_then(Item::as_array);
    let first = windows.and_then(|w| w.get(0)).and_then(Value::as_inline_table);
    let plain = first.is_none_or(|w| w.iter().all(|(k, _)| WINDOW_KEYS.contains(&k)));
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
        duration: t
            .get(item::DURATION)
            .map(number_text)
            .unwrap_or_else(|| defaults::ITEM_DURATION.to_string()),
        transition: transition_kind(t).to_string(),
        from: text(schema::window::FROM),
        until: text(schema::window::UNTIL),
        window_editable: windows.is_none_or(|w| w.len() <= 1) && plain,
    }
}

/// The keys of a window the form shows or keeps through an edit; a window
/// with any other (dates) is edited in the source.
const WINDOW_KEYS: [&str; 3] = [schema::window::FROM, schema::window::UNTIL, schema::window::DAYS];

/// The form's value for `select = { notices = true }`.
const NOTICES: &str = schema::select::NOTICES;

/// An item's transition kind; one without `transition` has the config's default.
fn transition_kind(t: &Table) -> &str {
    t.get(item::TRANSITION)
        .and_then(|x| x.get(schema::transition::KIND))
        .and_then(Item::as_str)
        .unwrap_or(defaults::TRANSITION_KIND)
}

/// A number as an operator writes it: `10`, not `10.0`.
fn number(n: f64) -> Item {
    if n.fract() == 0.0 && n.abs() < 1e9 {
        value(n as i64)
    } else {
        value(n)
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
    for key in [item::BOARD, item::LIST, item::NOTICE] {
        if let Some(id) = t.get(key).and_then(Item::as_str) {
            return format!("{key}:{id}");
        }
    }
    let Some(select) = t.get(item::SELECT) else {
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
        [key @ schema::select::LEVEL] => get(key)
            .and_then(Item::as_str)
            .map_or("custom".into(), |l| format!("{key}:{l}")),
        [key @ schema::select::LIST] => get(key).and_then(Item::as_str).unwrap_or("custom").to_string(),
        [key @ schema::select::NOTICES] if get(key).and_then(Item::as_bool) == Some(true) => NOTICES.into(),
        _ => "custom".into(),
    }
}

/// `text` with the form's `fields` written in; an error when the text is not TOML.
pub fn apply_form(text: &str, fields: &[(String, String)]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the current text is not TOML, edit it in the source: {e}"))?;
    if doc
        .get(schema::top::PLAYLIST)
        .is_some_and(|p| p.as_array_of_tables().is_none())
    {
        return Err("the playlist is written as an inline array: edit it in the source".into());
    }
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    apply_display_hours(&mut doc, field("display_from"), field("display_until"));
    let mut removed = Vec::new();
    if let Some(items) = doc
        .get_mut(schema::top::PLAYLIST)
        .and_then(Item::as_array_of_tables_mut)
    {
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
        t.insert(item::DURATION, number(defaults::ITEM_DURATION));
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
    Ok(doc.to_string())
}

fn apply_display_hours(doc: &mut DocumentMut, from: Option<&str>, until: Option<&str>) {
    let (Some(from), Some(until)) = (from, until) else {
        return;
    };
    let screen = doc
        .entry(schema::top::SCREEN)
        .or_insert(Item::Table(Table::new()));
    let Some(screen) = screen.as_table_like_mut() else {
        return;
    };
    if from.is_empty() && until.is_empty() {
        screen.remove(schema::screen::DISPLAY_HOURS);
        return;
    }
    let mut hours = InlineTable::new();
    hours.insert(schema::hours::FROM, from.into());
    hours.insert(schema::hours::UNTIL, until.into());
    screen.insert(schema::screen::DISPLAY_HOURS, value(hours));
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
            Ok(n) => t.insert(item::DURATION, number(n)),
            Err(_) => t.insert(item::DURATION, value(d)),
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
    // Every content key goes: an item shows exactly one.
    for key in ITEM_CONTENT {
        t.remove(key);
    }
    let mut select = InlineTable::new();
    match content.split_once(':') {
        Some((key @ (item::BOARD | item::LIST | item::NOTICE), id)) => {
            t.insert(key, value(id));
            return;
        }
        Some((key @ schema::select::LEVEL, level)) => {
            select.insert(key, level.into());
        }
        _ if content == NOTICES => {
            select.insert(schema::select::NOTICES, true.into());
        }
        _ => {
            select.insert(schema::select::LIST, content.into());
        }
    }
    t.insert(item::SELECT, value(select));
}

fn set_transition(t: &mut Table, kind: &str) {
    if transition_kind(t) == kind {
        return;
    }
    let duration = t
        .get(item::TRANSITION)
        .and_then(|x| x.get(schema::transition::DURATION))
        .and_then(Item::as_value)
        .cloned()
        .unwrap_or_else(|| defaults::TRANSITION_DURATION.into());
    let mut transition = InlineTable::new();
    transition.insert(schema::transition::KIND, kind.into());
    transition.insert(schema::transition::DURATION, duration);
    t.insert(item::TRANSITION, value(transition));
}

fn set_window(t: &mut Table, from: &str, until: &str) {
    use schema::window::{DAYS, FROM, UNTIL};
    let days = t
        .get(item::WINDOWS)
        .and_then(Item::as_array)
        .and_then(|w| w.get(0))
        .and_then(Value::as_inline_table)
        .and_then(|w| w.get(DAYS))
        .cloned();
    if from.is_empty() && until.is_empty() && days.is_none() {
        t.remove(item::WINDOWS);
        return;
    }
    let mut window = InlineTable::new();
    if let Some(days) = days {
        window.insert(DAYS, days);
    }
    // An empty end is the config's own: a window without `from` starts at
    // midnight, one without `until` runs to the end of the day.
    let or = |given: &str, default: MinuteOfDay| match given {
        "" => default.to_string(),
        given => given.to_string(),
    };
    window.insert(FROM, or(from, MinuteOfDay::START).into());
    window.insert(UNTIL, or(until, MinuteOfDay::END).into());
    let mut windows = Array::new();
    windows.push(window);
    t.insert(item::WINDOWS, value(windows));
}

#[cfg(test)]
#[path = "editor_tests.rs"]
mod tests;
